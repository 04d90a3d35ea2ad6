#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""vtrustd under load: 1,000 instances with software TPMs (tests/loadgen.c:
keys held by the generator, credentials activated and quotes made in
software), 10 boots each, honest, changed and forged evidence mixed in.

 - SQLite, one vtrustd: every verdict is the expected one (trusted,
   untrusted naming the change, invalid), and every instance's
   attestations read back through the operator API are exactly its boots,
   in order: nothing lost or duplicated;
 - PostgreSQL (a throw-away server, pgcluster.py), two vtrustd processes,
   half the instances on each; one process is killed mid-run. Every
   request the survivor got is answered right and its instances check
   out; the killed one's instances hold, through the survivor, a prefix of
   their boots' verdicts, each boot at most once.

Usage: test-load.py VTRUSTD [TEST]...
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import expect, main, test  # noqa: E402
from loadfix import (Vtrustd, enrolled, loadgen, make_logs, plan,  # noqa: E402
                     result)
from pgcluster import BIN as PG_BIN, Cluster  # noqa: E402

VTRUSTD = None
INSTANCES, BOOTS = 1000, 10


def token_of(db):
    return subprocess.run([VTRUSTD, '--db', db, 'token', 'create'],
                          capture_output=True, check=True,
                          text=True).stdout.strip()


def get(url, path, token):
    req = urllib.request.Request(url + path)
    req.add_header('Authorization', 'Bearer ' + token)
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())


def all_right(r, n):
    expect(r['rc'] == 0 and int(r['right']) == n and r['wrong'] == '0' and
           r['errors'] == '0', (r, r['stderr'][-2000:]))


@test
def sqlite_thousand_instances():
    with tempfile.TemporaryDirectory() as d:
        logs = make_logs(d)
        db = 'sqlite:' + os.path.join(d, 'vtrustd.db')
        svc = Vtrustd(VTRUSTD, db)
        try:
            r = loadgen(svc.url, logs, INSTANCES, BOOTS, 4, 'sq',
                        token=token_of(db))
            all_right(r, INSTANCES * BOOTS)
            print('     %s attestations/s (with the check)' % r['per_second'])
            ids = [i['id'] for i in get(svc.url, '/v1/instances',
                                        token_of(db))]
            expect(len(ids) == INSTANCES and len(set(ids)) == INSTANCES,
                   len(ids))
            # each verdict's list holds the instances whose last boot
            # the plan gave that verdict
            tok = token_of(db)
            for v in ('trusted', 'untrusted', 'invalid', 'unmeasured'):
                got = sorted(i['id'] for i in get(
                    svc.url, '/v1/instances?verdict=' + v, tok))
                want = sorted('sq-%05d' % i for i in range(INSTANCES)
                              if plan(i, BOOTS) == v)
                expect(got == want, (v, len(got), len(want)))
        finally:
            svc.stop()


@test
def postgresql_two_processes_one_killed():
    if not PG_BIN:
        print('     (no PostgreSQL: skipped)')
        return
    with tempfile.TemporaryDirectory() as d, Cluster() as pg:
        logs = make_logs(d)
        db = pg.database()
        a, b = Vtrustd(VTRUSTD, db), Vtrustd(VTRUSTD, db)
        try:
            half = INSTANCES // 2
            pa = loadgen(a.url, logs, half, BOOTS, 3, 'pa',
                         token=token_of(db), wait=False)
            pb = loadgen(b.url, logs, half, BOOTS, 3, 'pb', wait=False)
            # killed while its instances attest
            expect(enrolled(pb) == half, 'pb did not enrol them all')
            time.sleep(1)
            b.kill()
            ra, rb = result(pa), result(pb)
            # the survivor answered everything, and right
            all_right(ra, half * BOOTS)
            # the killed one: answered right until it died, then errors
            expect(rb['wrong'] == '0' and int(rb['errors']) > 0 and
                   int(rb['right']) > 0, rb)
            token = token_of(db)
            ids = [i['id'] for i in get(a.url, '/v1/instances', token)
                   if i['id'].startswith('pb-')]
            expect(ids, 'none of the killed process\'s instances enrolled')
            for ident in ids:
                i = int(ident.split('-')[1])
                got = [x['verdict'] for x in reversed(get(
                    a.url, '/v1/instances/' + ident, token)['attestations'])]
                want = [plan(i, k) for k in range(1, len(got) + 1)]
                expect(len(got) <= BOOTS and got == want, (ident, got))
            print('     the killed process answered %s before it died'
                  % rb['right'])
        finally:
            a.stop()
            b.stop()


if __name__ == '__main__':
    VTRUSTD = os.path.abspath(sys.argv[1])
    sys.exit(main(sys.argv[:1] + ['vtrust'] + sys.argv[2:]))
