#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the fuzzer's seed corpus to tests/corpus/ (deterministic).

A seed is one byte picking the digest size (0: 20, 1: 32, 2: 48, 3: 64;
see fuzz-imalog.c) followed by a binary list.
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from imalist import (Entry, dng, field, ima_buf, ima_ng, ima_sig,  # noqa
                     legacy, list_bytes, start_entry, violation)

SEL = {'sha1': 0, 'sha256': 1, 'sha384': 2, 'sha512': 3}


def main():
    random.seed(1)
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'corpus')
    os.makedirs(out, exist_ok=True)
    prior = {'sha1': bytes(20), 'sha256': bytes(32)}
    vt = [start_entry(11, prior), ima_ng(11, 'resident:ext4'),
          ima_ng(11, '/usr/lib/modules/6.1.0/kernel/fs/fat/vfat.ko'),
          ima_ng(11, 'init_module:dummy'), ima_ng(11, 'vtrust-unload')]
    ima = [ima_ng(10, 'boot_aggregate'), legacy(10, '/bin/sh'),
           violation(10, '/tmp/x'), ima_sig(10, '/usr/bin/a', b'\x03\x02ab'),
           ima_sig(10, '/usr/bin/b'), ima_buf(10, 'kexec-cmdline', b'ro')]
    modsig = Entry(10, 'ima-modsig',
                   field(dng('sha256', bytes(32))) + field(b'/m.ko\0') +
                   field(b'SIG') + field(dng('sha1', bytes(20))) +
                   field(b'MODSIG'))
    evm = Entry(10, 'evm-sig',
                field(dng('sha256', bytes(32))) + field(b'/etc/x\0') +
                field(b'') + field(b'security.ima\0') + field(b'\x02\0') +
                field(b'ab') + field(b'\0\0\0\0') + field(b'\0\0\0\0') +
                field(b'\xa4\x81'))
    custom = Entry(10, 'd-ng|n-ng|buf',
                   field(dng('sha384', bytes(48))) + field(b'n\0') +
                   field(b'x'))
    unknown = Entry(12, 'my-template', field(b'one') + field(b'two'))
    seeds = {
        'vtrust-sha1': ('sha1', vt),
        'vtrust-sha256': ('sha256', vt),
        'vtrust-sha512': ('sha512', vt[:2]),
        'ima-sha1': ('sha1', ima),
        'ima-kinds-sha384': ('sha384', [modsig, evm, custom, unknown]),
    }
    for name, (bank, entries) in seeds.items():
        with open(os.path.join(out, name), 'wb') as f:
            f.write(bytes([SEL[bank]]) + list_bytes(entries, bank))
    data = bytes([0]) + list_bytes(ima, 'sha1')
    with open(os.path.join(out, 'ima-truncated'), 'wb') as f:
        f.write(data[:-7])


if __name__ == '__main__':
    main()
