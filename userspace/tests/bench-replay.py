#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Benchmark: `vtrust replay` against `evmctl ima_measurement` on the same
IMA list (ima-ng, SHA-1 template digests, replayed into the sha1 and sha256
banks), and vtrust's peak RSS on a list of a million entries.

Usage: bench-replay.py VTRUST [ENTRIES (100000)] [BIG (1000000)]
Goals: vtrust at least 4x faster than evmctl; at most 16 MB of RSS.
"""
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from imalist import ima_ng  # noqa: E402

MAXRSS = os.path.join(HERE, 'maxrss')


def make_list(path, n):
    """An IMA list of n entries; returns PCR 10 of sha1 and sha256."""
    rnd = random.Random(11)
    v1, v2 = bytes(20), bytes(32)
    with open(path, 'wb') as f:
        for i in range(n):
            e = ima_ng(10, '/usr/lib/x86_64-linux-gnu/lib%07d.so.1' % i,
                       content=rnd.randbytes(16))
            f.write(e.binary('sha1'))
            v1 = hashlib.sha1(v1 + hashlib.sha1(e.data).digest()).digest()
            v2 = hashlib.sha256(v2 + hashlib.sha256(e.data).digest()).digest()
    return v1, v2


def best_of(cmd, runs=3):
    best = None
    for _ in range(runs):
        t = time.monotonic()
        p = subprocess.run(cmd, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        dt = time.monotonic() - t
        if p.returncode:
            raise SystemExit('%s: exit %d\n%s' % (cmd[0], p.returncode,
                                                  p.stdout[-2000:]))
        best = dt if best is None else min(best, dt)
    return best, p.stdout


def main(argv):
    vt = os.path.abspath(argv[1])
    n = int(argv[2]) if len(argv) > 2 else 100000
    big = int(argv[3]) if len(argv) > 3 else 1000000
    ok = True
    with tempfile.TemporaryDirectory(prefix='vtrust-bench-') as d:
        lst = os.path.join(d, 'binary_runtime_measurements')
        v1, v2 = make_list(lst, n)
        pcrs = os.path.join(d, 'pcrs')
        with open(pcrs, 'w') as f:
            f.write('sha1 10 %s\nsha256 10 %s\n' % (v1.hex(), v2.hex()))
        evm = []
        for b, v in (('sha1', v1), ('sha256', v2)):
            p = os.path.join(d, 'evm.' + b)
            with open(p, 'w') as f:
                for k in range(24):
                    f.write('PCR-%02d: %s\n' % (k, (v if k == 10 else
                                                     bytes(len(v))).hex()))
            evm += ['--pcrs', '%s,%s' % (b, p)]
        t_vt, out = best_of([vt, 'replay', '--source', 'ima', '--list', lst,
                             '--pcrs', pcrs])
        if 'result: match' not in out:
            raise SystemExit('vtrust: no match\n' + out)
        if shutil.which('evmctl'):
            t_evm, out = best_of(['evmctl', 'ima_measurement'] + evm + [lst])
            ratio = t_evm / t_vt
            print('%d entries: vtrust replay %.3f s, evmctl ima_measurement '
                  '%.3f s: %.1fx faster (goal: 4x)' % (n, t_vt, t_evm, ratio))
            ok &= ratio >= 4
        else:
            print('%d entries: vtrust replay %.3f s (no evmctl)' % (n, t_vt))
        # a million entries: the list repeated, RSS only
        with open(lst, 'rb') as f:
            one = f.read()
        reps = max(1, big // n)
        with open(lst, 'wb') as f:
            for _ in range(reps):
                f.write(one)
        rss_file = os.path.join(d, 'rss')
        p = subprocess.run([MAXRSS, rss_file, vt, 'replay', '--source', 'ima',
                            '--list', lst, '--pcrs', pcrs],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        rss = int(open(rss_file).read())
        print('%d entries: peak RSS %d KiB (goal: at most 16384 KiB)'
              % (reps * n, rss))
        ok &= rss <= 16384
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
