#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Tests of the tpm2-tss PCR backend (--pcrs tpm, and auto) against a
software TPM: swtpm on a TCP port of this host, reached through tctildr's
"swtpm" TCTI, with tpm2-tools (tpm2_pcrextend, tpm2_pcrread) as the
independent side. Skipped (and counted as passed) without swtpm or
tpm2-tools.

Usage: test-tpm.py VTRUST [TEST]...
"""
import json
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import expect, expect_rc, main, run, test, tree  # noqa: E402
from swtpm import Swtpm, free_port  # noqa: E402
from tpm2files import pcrread  # noqa: E402
from imalist import (BANKS, aggregate_of, fake_tpm, ima_ng, list_bytes, replay,  # noqa
                     start_entry, write)

TPM_BANKS = ['sha1', 'sha256', 'sha384']
SWTPM = {}


def start_swtpm():
    """A fresh swtpm with TPM_BANKS (one for all tests); its TCTI."""
    if 'tpm' not in SWTPM:
        SWTPM['tpm'] = Swtpm(banks=TPM_BANKS)
    return SWTPM['tpm'].tcti


def stop_swtpm():
    if 'tpm' in SWTPM:
        SWTPM['tpm'].stop()


def extend(tcti, pcr, digests):
    arg = '%d:%s' % (pcr, ','.join('%s=%s' % (b, d.hex())
                                   for b, d in digests.items()))
    subprocess.run(['tpm2_pcrextend', arg], check=True, capture_output=True,
                   env=dict(os.environ, TPM2TOOLS_TCTI=tcti))


def env(tcti):
    return {'TPM2TOOLS_TCTI': tcti}


@test
def tpm_backend_reads_every_pcr():
    tcti = start_swtpm()
    if not tcti:
        return
    rnd = random.Random(5)
    for pcr in (0, 7, 9, 16, 23):
        extend(tcti, pcr, {b: rnd.randbytes(BANKS[b]) for b in TPM_BANKS})
    want = pcrread(tcti)
    expect(set(want) == set(TPM_BANKS), want)
    with tree() as root:
        bl = os.path.join(root, 'bl.json')
        # extended PCRs that no log explains: no baseline of that
        res = run(['baseline', 'init', '--pcrs', 'tpm', '--sysfs-root', root,
                   '--baseline', bl], env=env(tcti))
        expect_rc(res, 1)
        expect(not os.path.exists(bl), 'a baseline was written')
        res = run(['replay', '--pcrs', 'tpm', '--sysfs-root', root,
                   '--json'], env=env(tcti))
        expect_rc(res, 1)
        rep = json.loads(res[1])
        got = {(p['bank'], p['pcr']): p for p in rep['pcrs']}
        for b in TPM_BANKS:
            for n in (0, 7, 9, 16, 23):
                p = got[(b, n)]
                expect(p['status'] == 'unexplained' and
                       bytes.fromhex(p['value']) == want[b][n], p)
        expect(len(got) == 5 * len(TPM_BANKS), got)
        res = run(['status', '--pcrs', 'tpm', '--sysfs-root', root],
                  env=env(tcti))
        expect('banks: sha1 sha256 sha384' in res[1] and
               'pcr_source: tpm2-tss (%s)' % tcti in res[1], res[1])


@test
def tpm_backend_replay():
    tcti = start_swtpm()
    if not tcti:
        return
    before = pcrread(tcti)
    prior = {b: before[b][11] for b in TPM_BANKS}
    agg = aggregate_of({k: before['sha256'][k] for k in range(10)})
    entries = [start_entry(11, prior, agg)] + [
        ima_ng(11, '/m%d.ko' % i, content=b'%d' % i) for i in range(5)]
    for e in entries:
        extend(tcti, 11, {b: e.tdigest(b) for b in TPM_BANKS})
    with tree() as root:
        lst = os.path.join(root, 'binary_runtime_measurements')
        write(lst, list_bytes(entries, 'sha1'))
        res = run(['replay', '--source', 'vtrust', '--list', lst, '--pcrs',
                   'tpm', '-v'], env=env(tcti))
        expect_rc(res, 0)
        for b in TPM_BANKS:
            expect('%-7s PCR 11: match (6 entries, from prior=)' % b in
                   res[1], res[1])
        # one entry too many: a mismatch the TPM's values show
        entries.append(ima_ng(11, '/late.ko'))
        write(lst, list_bytes(entries, 'sha1'))
        res = run(['replay', '--source', 'vtrust', '--list', lst, '--pcrs',
                   'tpm', '--bank', 'sha384', '-v'], env=env(tcti))
        expect_rc(res, 0)
        expect('sha384  PCR 11: match up to entry 5' in res[1], res[1])


@test
def auto_fills_banks_sysfs_lacks():
    tcti = start_swtpm()
    if not tcti:
        return
    values = pcrread(tcti)
    with tree() as root:
        # sysfs shows sha1 and sha256 only (as a kernel without SM3 would
        # hide an sm3 bank); sha384 comes from the TPM
        fake_tpm(root, {b: values[b] for b in ('sha1', 'sha256')})
        entries = [ima_ng(10, 'boot_aggregate')]
        write(os.path.join(root, 'sys/kernel/security/ima/'
                           'binary_runtime_measurements'),
              list_bytes(entries, 'sha1'))
        res = run(['replay', '--sysfs-root', root, '--json'], env=env(tcti))
        rep = json.loads(res[1])
        banks = sorted({p['bank'] for p in rep['pcrs']})
        expect(banks == ['sha1', 'sha256', 'sha384'], rep)
        p = [x for x in rep['pcrs'] if x['bank'] == 'sha384' and
             x['pcr'] == 10][0]
        expect(p['value'] == values['sha384'][10].hex(), p)
        # without a TCTI, a --sysfs-root tree never reaches a real TPM
        res = run(['replay', '--sysfs-root', root, '--json'])
        rep = json.loads(res[1])
        expect(sorted({p['bank'] for p in rep['pcrs']}) ==
               ['sha1', 'sha256'], rep)
        res = run(['status', '--sysfs-root', root], env=env(tcti))
        expect('banks: sha1 sha256 sha384' in res[1] and
               ' and tpm2-tss (%s)' % tcti in res[1], res[1])


@test
def tpm_backend_errors():
    port = free_port()
    res = run(['replay', '--pcrs', 'tpm', '--source', 'vtrust', '--list',
               '/dev/null'], env={'TPM2TOOLS_TCTI':
                                  'swtpm:host=127.0.0.1,port=%d' % port})
    expect_rc(res, 3)
    expect('vtrust: tpm2-tss (swtpm:host=127.0.0.1,port=%d): ' % port in
           res[2] and ('cannot open the TPM' in res[2] or
                       'does not answer' in res[2]), res[2])
    expect('ERROR' not in res[2], 'tpm2-tss logged: ' + res[2])
    res = run(['replay', '--pcrs', 'tpm', '--source', 'vtrust', '--list',
               '/dev/null'], env={'TPM2TOOLS_TCTI': 'nosuchtcti'})
    expect_rc(res, 3)


if __name__ == '__main__':
    try:
        rc = main(sys.argv)
    finally:
        stop_swtpm()
    sys.exit(rc)
