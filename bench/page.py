#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Benchmark: vtrustd's status page with a large fleet (issue 10). A
database on SQLite is filled by the load generator (userspace/tests/
loadgen.c: instances with software TPMs, two boots each, so trusted,
untrusted and invalid verdicts are mixed), then:

  list   GET /v1/instances (the operator API the page reads): the time to
         the whole JSON body, best of 7, and its size;
  page   the fleet view in headless chromium (through chromedriver): from
         the start of navigation to the moment every instance's row is in
         the page (the page's own performance mark, 'vtrust-fleet-shown';
         the row count is checked), best and median of 7 fresh loads.

for 10,000 instances and, as the peer in the same run, 100: the ratio
says how the page grows with the fleet.

Usage: bench/page.py VTRUSTD [INSTANCES (10000)] [PEER (100)]
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, 'userspace', 'tests'))
from loadfix import Vtrustd, loadgen, make_logs  # noqa: E402
from webdriver import CHROMEDRIVER, Browser  # noqa: E402

CHROMIUM = '/usr/bin/chromium'
RUNS = 7


def token_of(vtrustd, db):
    p = subprocess.run([vtrustd, '--db', db, 'token', 'create'],
                       capture_output=True, text=True, check=True)
    return p.stdout.strip()


def list_time(url, token):
    best, size = None, 0
    for _ in range(RUNS):
        req = urllib.request.Request(url + '/v1/instances', headers={
            'Authorization': 'Bearer ' + token})
        t = time.monotonic()
        with urllib.request.urlopen(req, timeout=60) as r:
            size = len(r.read())
        t = time.monotonic() - t
        best = t if best is None else min(best, t)
    return best, size


SHOWN = '''
const m = performance.getEntriesByName('vtrust-fleet-shown');
return m.length ? [m[0].startTime,
                   document.querySelectorAll('#instances tr').length] : null;
'''


def page_times(browser, url, token, n):
    times = []
    for _ in range(RUNS):
        browser.open('about:blank')
        browser.open('%s/#token=%s' % (url, token))
        end = time.monotonic() + 120
        while True:
            got = browser.execute(SHOWN)
            if got or time.monotonic() > end:
                break
            time.sleep(0.05)
        if not got or got[1] != n:
            raise SystemExit('the page showed %r rows, not %d' % (got, n))
        times.append(got[0] / 1000)
    return min(times), statistics.median(times)


def measure(vtrustd, browser, n, d):
    logs = make_logs(d)
    db = 'sqlite:' + os.path.join(d, 'fleet-%d.db' % n)
    svc = Vtrustd(vtrustd, db)
    try:
        r = loadgen(svc.url, logs, n, 2, 8, 'f%d' % n)
        if r['rc'] or int(r['right']) != 2 * n:
            raise SystemExit('loadgen: %r' % r)
        token = token_of(vtrustd, db)
        lt, size = list_time(svc.url, token)
        best, med = page_times(browser, svc.url, token, n)
    finally:
        svc.stop()
    print('%6d instances: list %7.1f ms (%d bytes), page shown %7.1f ms '
          '(median %7.1f ms)' % (n, lt * 1000, size, best * 1000,
                                 med * 1000))
    return lt, best


def main(argv):
    vtrustd = os.path.abspath(argv[1])
    n = int(argv[2]) if len(argv) > 2 else 10000
    peer = int(argv[3]) if len(argv) > 3 else 100
    if not CHROMEDRIVER or not os.path.exists(CHROMIUM):
        print('no chromium and chromedriver (make deps): not measured')
        return 1
    with tempfile.TemporaryDirectory(prefix='vtrust-page-') as d, \
            Browser(CHROMIUM) as browser:
        pl, pp = measure(vtrustd, browser, peer, d)
        nl, np_ = measure(vtrustd, browser, n, d)
    print('ratio %d / %d instances: list %.1fx, page %.1fx' % (
        n, peer, nl / pl, np_ / pp))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
