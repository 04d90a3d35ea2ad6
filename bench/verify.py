#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Benchmark: `vtrust verify` next to `vtrust replay` on the same input, and
verify's peak RSS per entry as the lists grow (issue 8, item 10).

The input is built on the host with the test helpers: a firmware log
(userspace/tests/eventlog.py), an IMA list of I entries and a vtrust list
of V entries (imalist.py, V = I / 10), a --sysfs-root tree holding them, a
--pcrs file of the PCR values they replay to (computed here with hashlib),
and a baseline of the same boot (`vtrust baseline init`), so verify
compares every one of the I + V components and finds no difference.

Usage: bench/verify.py VTRUST [IMA_ENTRIES (100000)] [RUNS (11)]

Prints, for the full size, replay's and verify's best CPU times (user +
system; run in turn) and their
ratio (goal: verify at most 1.5x replay), the same for a boot whose lists
hold the same entries in another order (reported, not a goal), then verify's peak RSS at a
quarter, half and all of the entries, per entry, and the ratio of the
upper half's added bytes per added entry to the lower half's (flat: 1.0;
goal: at most 1.25). Exit status 0 when both goals are met, else 1.
"""
import os
import random
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTS = os.path.join(TOP, 'userspace', 'tests')
sys.path.insert(0, TESTS)
import eventlog as ev  # noqa: E402
from imalist import (BANKS, aggregate_of, ima_ng, list_bytes, replay, securityfs,  # noqa
                     start_entry, write)

MAXRSS = os.path.join(TESTS, 'maxrss')
BANKS_USED = ('sha1', 'sha256')
GOAL_RATIO = 1.5
GOAL_FLAT = 1.25


def build(d, n_ima, shuffled=False):
    """The tree, PCR file and baseline of a boot with n_ima IMA entries and
    n_ima / 10 vtrust entries; returns the common arguments. shuffled: the
    same entries after the first in another order (another boot of the same
    machine, its loads in another order)."""
    rnd = random.Random(n_ima)
    root = os.path.join(d, 'root')
    log = ev.log_bytes(ev.sample_events(), BANKS_USED)
    write(os.path.join(root, 'sys/kernel/security/tpm0/'
                       'binary_bios_measurements'), log)
    ima = [ima_ng(10, 'boot_aggregate', content=b'aggregate')] + [
        ima_ng(10, '/usr/lib/x86_64-linux-gnu/lib%07d.so.1' % i,
               content=rnd.randbytes(16)) for i in range(n_ima - 1)]
    prior = {b: bytes(BANKS[b]) for b in BANKS_USED}
    fw = ev.replay(log, 'sha256')
    agg = aggregate_of({k: fw[k] for k in range(10)})
    vt = [start_entry(11, prior, agg)] + [
        ima_ng(11, '/usr/lib/modules/6.1.0-56-amd64/kernel/m%06d.ko' % i,
               content=rnd.randbytes(16)) for i in range(n_ima // 10 - 1)]
    if shuffled:
        order = random.Random(7)
        ima = ima[:1] + order.sample(ima[1:], len(ima) - 1)
        vt = vt[:1] + order.sample(vt[1:], len(vt) - 1)
    write(os.path.join(securityfs(root, 'ima'), 'binary_runtime_measurements'),
          list_bytes(ima, 'sha1'))
    sfs = securityfs(root, 'vtrust')
    write(os.path.join(sfs, 'binary_runtime_measurements'),
          list_bytes(vt, 'sha1'))
    pcrs = os.path.join(d, 'pcrs')
    with open(pcrs, 'w') as f:
        for b in BANKS_USED:
            write(os.path.join(sfs, 'binary_runtime_measurements_' + b),
                  list_bytes(vt, b))
            v = ev.replay(log, b)
            v.update(replay(ima, b, ima_rules=True))
            v.update(replay(vt, b, start={11: prior[b]}))
            for n in range(24):
                f.write('%s %d %s\n' % (b, n, v.get(n, bytes(BANKS[b])).hex()))
    args = ['--sysfs-root', root, '--pcrs', pcrs]
    return args, args + ['--baseline', os.path.join(d, 'baseline.json')]


def run(cmd, want_rc=0):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    if p.returncode != want_rc:
        raise SystemExit('%s: exit %d\n%s' % (' '.join(cmd[:3]), p.returncode,
                                              p.stdout[-3000:]))
    return p.stdout


def timed(cmd):
    """cmd's CPU time (user + system, from wait4): the work it did, which
    a shared host's other guests change less than the wall-clock time."""
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise SystemExit('%s: exit %d' % (' '.join(cmd[:2]), p.returncode))
    return ru.ru_utime + ru.ru_stime


def best_pair(a, b, runs):
    """The best CPU times of commands a and b, run in turn (so that both
    see the machine as it is)."""
    ta, tb = [], []
    for _ in range(runs):
        ta.append(timed(a))
        tb.append(timed(b))
    return min(ta), min(tb)


def setup(vt, d, n_ima, shuffled=False):
    replay_args, verify_args = build(d, n_ima)
    out = run([vt, 'replay'] + replay_args)
    if 'result: match' not in out:
        raise SystemExit('replay: no match\n' + out[-3000:])
    run([vt, 'baseline', 'init', '--reason', 'bench'] + verify_args)
    if shuffled:
        build(d, n_ima, shuffled=True)
    out = run([vt, 'verify'] + verify_args)
    if 'result: trusted' not in out:
        raise SystemExit('verify: not trusted\n' + out[-3000:])
    return [vt, 'replay'] + replay_args, [vt, 'verify'] + verify_args


def peak_rss(d, cmd):
    rss_file = os.path.join(d, 'rss')
    subprocess.run([MAXRSS, rss_file] + cmd, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True)
    return int(open(rss_file).read())


def main(argv):
    vt = os.path.abspath(argv[1])
    n = int(argv[2]) if len(argv) > 2 else 100000
    runs = int(argv[3]) if len(argv) > 3 else 11
    ok = True
    sizes = [n // 4, n // 2, n]
    rss = []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix='vtrust-bench-') as d:
            rp, vf = setup(vt, d, size)
            entries = size + size // 10
            if size == n:
                t_rp, t_vf = best_pair(rp, vf, runs)
                ratio = t_vf / t_rp
                print('%d IMA + %d vtrust entries, baseline of the same: '
                      'replay %.3f s, verify %.3f s of CPU (best of %d): verify/'
                      'replay %.2f (goal: at most %.1f)'
                      % (size, size // 10, t_rp, t_vf, runs, ratio,
                         GOAL_RATIO))
                ok &= ratio <= GOAL_RATIO
            rss.append((entries, peak_rss(d, vf), peak_rss(d, rp)))
    # not a goal: the same boot with its lists in another order than the
    # baseline's, which the index cannot walk in order
    with tempfile.TemporaryDirectory(prefix='vtrust-bench-') as d:
        rp, vf = setup(vt, d, n, shuffled=True)
        t_rp, t_vf = best_pair(rp, vf, runs)
        print('the same, the lists in another order than the baseline\'s: '
              'replay %.3f s, verify %.3f s: verify/replay %.2f'
              % (t_rp, t_vf, t_vf / t_rp))
    for entries, v, r in rss:
        print('%7d entries: verify peak RSS %7d KiB (%5.0f bytes/entry), '
              'replay %6d KiB' % (entries, v, v * 1024 / entries, r))
    (e0, v0, _), (e1, v1, _), (e2, v2, _) = rss
    low = (v1 - v0) * 1024 / (e1 - e0)
    high = (v2 - v1) * 1024 / (e2 - e1)
    flat = high / low if low > 0 else float('inf')
    print('verify: %.0f added bytes per added entry from %d to %d entries, '
          '%.0f from %d to %d: ratio %.2f (flat: 1.00; goal: at most %.2f)'
          % (low, e0, e1, high, e1, e2, flat, GOAL_FLAT))
    ok &= flat <= GOAL_FLAT
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
