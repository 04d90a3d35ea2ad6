#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Run test programs and add up their "N passed, N failed" lines.

Usage: run-tests.py PROG... [-- CMD [ARG]...]...
Each PROG runs alone; each command after a -- runs with its arguments. A
program that exits non-zero without a summary line counts as one failure.
The last line printed is the total, "N passed, N failed".
"""
import re
import subprocess
import sys

SUMMARY = re.compile(r'^(\d+) passed, (\d+) failed$')


def main(argv):
    groups, cur = [], []
    for a in argv:
        if a == '--':
            groups.append(cur)
            cur = []
        else:
            cur.append(a)
    groups.append(cur)
    cmds = [[p] for p in groups[0]] + [g for g in groups[1:] if g]
    passed = failed = 0
    for cmd in cmds:
        print('== %s' % ' '.join(cmd), flush=True)
        p = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
        sys.stdout.write(p.stdout)
        last = p.stdout.strip().splitlines()[-1:] or ['']
        m = SUMMARY.match(last[0])
        if m:
            passed += int(m.group(1))
            failed += int(m.group(2))
        if p.returncode and (not m or not int(m.group(2))):
            print('%s: exit status %d' % (cmd[0], p.returncode))
            failed += 1
        elif not m:
            print('%s: no summary line' % cmd[0])
            failed += 1
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
