#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Turn the console log of data/capture-guest.sh into test data files.

Usage:
  capture.py CONSOLE_LOG OUTDIR
  capture.py --run OUTDIR [vm-run options] [-- guest script args]

The guest prints each file as `od -An -v -tx1` between markers, with its size
and SHA-256; every file is checked against both before it is written:

  OUTDIR/eventlog.bin     /sys/kernel/security/tpm0/binary_bios_measurements
  OUTDIR/ima.bin          IMA's binary_runtime_measurements
  OUTDIR/vtrust/<name>    vtrust's binary lists, if vtrust was loaded
  OUTDIR/pcrs.txt         "<bank> <pcr> <hex>" lines (vtrust replay --pcrs)
  OUTDIR/kernel.txt       the guest's kernel release
"""
import hashlib
import os
import re
import subprocess
import sys

HEX_LINE = re.compile(r'^\s*([0-9a-f]{2}(\s+[0-9a-f]{2})*)\s*$')
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))


def parse(text):
    files, pcrs, kernel = {}, [], None
    cur = None
    in_pcrs = False
    for raw in text.splitlines():
        line = raw.strip('\r')
        if line.startswith('CAPTURE-KERNEL '):
            kernel = line.split(' ', 1)[1].strip()
        elif line.startswith('CAPTURE-PCRS-BEGIN'):
            in_pcrs = True
        elif line.startswith('CAPTURE-PCRS-END'):
            in_pcrs = False
        elif in_pcrs:
            parts = line.split()
            if len(parts) == 3 and re.fullmatch(r'[0-9A-Fa-f]+', parts[2]):
                pcrs.append('%s %s %s' % (parts[0], parts[1],
                                          parts[2].lower()))
        elif line.startswith('CAPTURE-FILE-BEGIN '):
            _, name, size, digest = line.split()
            cur = (name, int(size), digest, bytearray())
        elif line.startswith('CAPTURE-FILE-END '):
            name, size, digest, data = cur
            if len(data) != size:
                raise SystemExit('%s: %d bytes, the guest said %d'
                                 % (name, len(data), size))
            if hashlib.sha256(data).hexdigest() != digest:
                raise SystemExit('%s: SHA-256 differs from the guest\'s'
                                 % name)
            files[name] = bytes(data)
            cur = None
        elif cur is not None:
            m = HEX_LINE.match(line)
            if not m:
                raise SystemExit('%s: unexpected console line %r'
                                 % (cur[0], line))
            cur[3].extend(bytes.fromhex(m.group(1).replace(' ', '')))
    return kernel, files, pcrs


def write(outdir, kernel, files, pcrs):
    os.makedirs(outdir, exist_ok=True)
    names = {'eventlog': 'eventlog.bin', 'ima': 'ima.bin'}
    for name, data in files.items():
        path = os.path.join(outdir, names.get(name, name))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'wb') as f:
            f.write(data)
    with open(os.path.join(outdir, 'pcrs.txt'), 'w') as f:
        f.write('\n'.join(pcrs) + '\n')
    with open(os.path.join(outdir, 'kernel.txt'), 'w') as f:
        f.write((kernel or 'unknown') + '\n')


def main(argv):
    if len(argv) >= 2 and argv[0] == '--run':
        outdir = argv[1]
        rest = argv[2:]
        script_args = []
        if '--' in rest:
            i = rest.index('--')
            rest, script_args = rest[:i], rest[i + 1:]
        cmd = [os.path.join(REPO, 'scripts/vm-run')] + rest + [
            '--', os.path.join(REPO, 'userspace/tests/data/capture-guest.sh')
        ] + script_args
        p = subprocess.run(cmd, stdout=subprocess.PIPE, text=True,
                           errors='replace')
        if p.returncode:
            sys.stdout.write(p.stdout)
            return p.returncode
        text = p.stdout
    elif len(argv) == 2:
        text = open(argv[0], errors='replace').read()
        outdir = argv[1]
    else:
        sys.stderr.write(__doc__)
        return 2
    kernel, files, pcrs = parse(text)
    if not pcrs:
        raise SystemExit('no PCR values in the console log')
    write(outdir, kernel, files, pcrs)
    print('%s: %s, %d PCR values' % (outdir, ', '.join(
        '%s (%d bytes)' % (n, len(d)) for n, d in sorted(files.items())),
        len(pcrs)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
