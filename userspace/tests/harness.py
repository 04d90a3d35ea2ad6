# SPDX-License-Identifier: GPL-2.0-or-later
"""The small test harness of the Python end-to-end tests.

A test is a function marked @test; main() runs them all and prints
"N passed, N failed". run() runs vtrust and fails on any sanitizer report.
"""
import json
import os
import subprocess
import sys
import tempfile

TESTS = []
VT = None


class Fail(Exception):
    pass


def test(fn):
    TESTS.append(fn)
    return fn


def expect(cond, what):
    if not cond:
        raise Fail(what)


def run_once(args, stdin=None, binary=None, env=None):
    e = dict(os.environ)
    if env:
        e.update(env)
    p = subprocess.run([binary or VT] + args, input=stdin,
                       capture_output=True, timeout=300, env=e)
    out = p.stdout.decode(errors='replace')
    err = p.stderr.decode(errors='replace')
    if 'Sanitizer' in err or 'runtime error' in err:
        raise Fail('sanitizer report:\n' + err)
    return p.returncode, out, err


def run(args, stdin=None, binary=None, env=None):
    """Run vtrust. A verify against a baseline with an index
    (BASELINE.md, "The index") runs twice, with the index and with it out
    of the way, and both must say the same (exit status and stdout): the
    index only makes it faster."""
    res = run_once(args, stdin, binary, env)
    if binary or not args or args[0] != 'verify' or '--init' in args or \
            '--baseline' not in args:
        return res
    idx = args[args.index('--baseline') + 1] + '.idx'
    if not os.path.exists(idx):
        return res
    os.rename(idx, idx + '.away')
    try:
        full = run_once(args, stdin, binary, env)
    finally:
        os.rename(idx + '.away', idx)
    # stderr may say why an index is not used
    if full[:2] != res[:2]:
        raise Fail('verify with the index and without disagree:\n'
                   'with: %r\nwithout: %r' % (res, full))
    return res


def expect_rc(res, rc):
    if res[0] != rc:
        raise Fail('exit %d, wanted %d\nstdout:\n%s\nstderr:\n%s'
                   % (res[0], rc, res[1], res[2]))


def run_json(args, rc=None):
    res = run(args)
    if rc is not None:
        expect_rc(res, rc)
    try:
        return res, json.loads(res[1]) if res[1] else None
    except ValueError as e:
        raise Fail('bad JSON: %s\n%s' % (e, res[1]))


def tree(prefix='vtrust-test-'):
    return tempfile.TemporaryDirectory(prefix=prefix)


def main(argv):
    global VT
    VT = os.path.abspath(argv[1])
    passed = failed = 0
    only = argv[2:]
    for t in TESTS:
        if only and t.__name__ not in only:
            continue
        try:
            t()
        except Exception as e:  # noqa: BLE001
            failed += 1
            print('FAIL %s: %s' % (t.__name__, e))
        else:
            passed += 1
            print('ok   %s' % t.__name__)
        sys.stdout.flush()
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0
