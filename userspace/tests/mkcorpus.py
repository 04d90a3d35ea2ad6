#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the fuzzers' seed corpora (deterministic).

tests/corpus/: fuzz-imalog. A seed is one byte picking the digest size
(0: 20, 1: 32, 2: 48, 3: 64; see fuzz-imalog.c) followed by a binary list.
tests/corpus-uefilog/: fuzz-uefilog. A seed is a firmware event log: the
real ones of tests/data/ and synthetic ones (SM3, SHA-1 format, locality).
tests/corpus-baseline/: fuzz-baseline. A seed is a baseline file.
tests/corpus-bindex/: fuzz-bindex. A seed is a baseline index (BASELINE.md,
"The index"), written here from the format's description.
tests/corpus-start/: fuzz-start. A seed is the buf of a start entry.
tests/corpus-pcrs/: fuzz-pcrs. A seed is a PCR file (--pcrs).
tests/corpus-reference/: fuzz-reference. A seed is a reference file.
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from machine import reseal  # noqa: E402
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
    uefi_corpus()
    baseline_corpus()
    bindex_corpus()
    text_corpora()


def baseline_corpus():
    """Baselines in the schema of BASELINE.md, sealed as vtrust seals them."""
    import json
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, 'corpus-baseline')
    os.makedirs(out, exist_ok=True)
    d20, d32 = 'ab' * 20, 'cd' * 32
    ev = {'pcr': 7, 'type': 'EV_EFI_VARIABLE_DRIVER_CONFIG',
          'name': 'SecureBoot', 'digests': {'sha1': d20, 'sha256': d32}}
    kev = {'pcr': 4, 'type': 'EV_EFI_BOOT_SERVICES_APPLICATION',
           'name': 'VenMedia(1428f772-b64a-441e-b8c3-9ebdd7f893c7)/kernel',
           'digests': {'sha256': d32}}
    doc = {
        'format': 'vtrust-baseline', 'version': 2,
        'created': '2026-11-27T10:00:00Z', 'updated': '2026-11-27T11:00:00Z',
        'host': 'vm', 'kernel_release': '6.1.0-56-amd64',
        'pcrs': {'sha1': [d20] * 12 + [None] * 12,
                 'sha256': [d32] * 24},
        'stages': {
            'firmware': [ev, dict(ev, pcr=0, type='EV_SEPARATOR',
                                  name='separator')],
            'kernel': [kev, dict(kev, pcr=14, type='EV_IPL',
                                 name='MokList')],
            'ima': {'pcr': 10, 'components': {
                'boot_aggregate': ['sha256:' + d32],
                '(empty)': ['sha256:' + d32],
                '\\x28x\\\\y': ['sha256:' + d32],
                '/usr/bin/bash': ['sha1:' + d20, 'sha256:' + d32]},
                'violations': ['/var/log/x', '(empty)']},
            'vtrust': {'pcr': 11, 'components': {
                'resident:ext4': ['sha256:' + d32],
                'init_module:dummy': ['sm3:' + d32]}},
        },
        'retired': [
            dict(kev, stage='kernel', digests={'sha256': 'ef' * 32}),
            {'stage': 'vtrust', 'name': '/x.ko', 'digest': 'sha256:' + d20}],
        'exceptions': [
            {'id': '0123456789abcdef', 'stage': 'kernel', 'kind': 'changed',
             'pcr': 4, 'type': kev['type'], 'name': kev['name'],
             'old': {'sha256': 'ef' * 32}, 'new': {'sha256': d32}},
            {'id': 'fedcba9876543210', 'stage': 'vtrust', 'kind': 'new',
             'pcr': None, 'type': None, 'name': '/x.ko', 'old': None,
             'new': 'sha256:' + d32}],
        'history': [
            {'time': '2026-11-27T10:00:00Z', 'action': 'init', 'uid': 0,
             'user': 'root', 'sudo_user': None, 'reason': None,
             'events': []},
            {'time': '2026-11-27T11:00:00Z', 'action': 'accept', 'uid': 1000,
             'user': 'admin', 'sudo_user': 'alice', 'reason': 'update',
             'events': ['0123456789abcdef', 'fedcba9876543210'],
             'differences': [], 'replaced': [
                 {'stage': 'kernel', 'pcr': 4, 'old': [], 'new': [kev]},
                 {'stage': 'ima', 'value': None}]},
            {'time': '2026-11-27T12:00:00Z', 'action': 'revoke', 'uid': 0,
             'user': 'root', 'sudo_user': None, 'reason': 'bad',
             'events': [], 'digest': 'sha256:' + d20},
            {'time': '2026-11-27T13:00:00Z', 'action': 'init --force',
             'uid': 0, 'user': 'root', 'sudo_user': None, 'reason': None,
             'events': [], 'previous': 'sha256:' + d32}],
    }
    seeds = {
        'full': reseal(doc),
        'empty-stages': reseal(dict(doc, stages={
            'firmware': [], 'kernel': [], 'ima': None, 'vtrust': None},
            retired=[], exceptions=[], history=[])),
        'unsealed': doc,
    }
    for name, d in seeds.items():
        with open(os.path.join(out, name), 'w') as f:
            json.dump(d, f, indent=2)


M64 = (1 << 64) - 1


def name_hash(key, data):
    """vt_name_hash() (compset.c), as BASELINE.md describes it."""
    h = key ^ len(data)
    for i in range(0, len(data) - len(data) % 8, 8):
        h = ((h ^ int.from_bytes(data[i:i + 8], 'little')) *
             0xff51afd7ed558ccd) & M64
        h ^= h >> 32
    tail = data[len(data) - len(data) % 8:]
    if tail:
        h = ((h ^ int.from_bytes(tail, 'little')) * 0xff51afd7ed558ccd) & M64
    h ^= h >> 33
    h = (h * 0xc4ceb9fe1a85ec53) & M64
    h ^= h >> 33
    return h & 0xffffffff


def index_sum(key, data):
    """The index's sum over the 8-byte words of data, eight lanes."""
    mix = 0x9fb21c651e98df25
    h = [key ^ i for i in range(8)]
    n = len(data) - len(data) % 64
    for b in range(0, n, 64):
        for i in range(8):
            h[i] = ((h[i] ^ int.from_bytes(data[b + 8 * i:b + 8 * i + 8],
                                           'little')) * mix) & M64
            h[i] ^= h[i] >> 29
    tail = data[n:] + bytes(64 - (len(data) - n))
    w = 0
    for i in range(8):
        h[i] = ((h[i] ^ int.from_bytes(tail[8 * i:8 * i + 8], 'little') ^
                 (len(data) - n)) * mix) & M64
        h[i] ^= h[i] >> 29
        w = ((w ^ h[i]) * mix) & M64
    w ^= w >> 32
    return (w * mix) & M64


def index_bytes(stages, key=0x0123456789abcdef, ranges=((100, 200),
                                                       (300, 400))):
    """A baseline index of stages [ima, vtrust], each a list of
    (name, [digest, ...]), for a JSON file of 4096 bytes, inode 42."""
    import struct
    head = bytearray(192)
    body = bytearray()
    for i, comps in enumerate(stages):
        nslots = 8
        while nslots < 2 * len(comps):
            nslots *= 2
        slots = [0] * nslots
        entries, pool = [], bytearray()
        for k, (name, digests) in enumerate(comps):
            nb = name.encode()
            h = name_hash(key, nb)
            at = len(pool)
            pool += nb + b'\0'
            dat = len(pool)
            for d in digests:
                pool += d.encode() + b'\0'
            entries.append((h, at, len(nb), dat, len(digests)))
            j = h & (nslots - 1)
            while slots[j]:
                j = (j + 1) & (nslots - 1)
            slots[j] = k + 1
        table = struct.pack('<%dI' % nslots, *slots) + b''.join(
            struct.pack('<5I', *e) for e in entries)
        table += bytes(-len(table) % 8)
        pool += bytes(-len(pool) % 8)
        table_at = 192 + len(body)
        body += table
        pool_at = 192 + len(body)
        body += pool
        struct.pack_into('<QQQQQII', head, 96 + 48 * i, ranges[i][0],
                         ranges[i][1], table_at, pool_at,
                         len(pool), nslots, len(comps))
    size = 192 + len(body)
    head[0:8] = b'VTBIDX1\n'
    struct.pack_into('<IIQ', head, 8, 1, 192, size)
    struct.pack_into('<Q', head, 32, key)
    struct.pack_into('<QQQ', head, 40, 4096, 0, 42)
    data = bytes(head) + bytes(body)
    head32 = data[:24] + bytes(8)
    total = index_sum(index_sum(key, data[32:]), head32)
    return data[:24] + struct.pack('<Q', total) + data[32:]


def bindex_corpus():
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, 'corpus-bindex')
    os.makedirs(out, exist_ok=True)
    d = 'sha256:' + 'cd' * 32
    ima = [('/usr/lib/x86_64-linux-gnu/lib%04d.so.1' % k,
            [d.replace('cd', '%02x' % (k % 256), 1)]) for k in range(40)]
    ima.append(('/usr/bin/bash', ['sha1:' + 'ab' * 20, d]))
    vt = [('resident:ext4', [d]), ('init_module:dummy', ['sm3:' + 'ef' * 32])]
    seeds = {
        'both': index_bytes([ima, vt]),
        'empty': index_bytes([[], []], ranges=((0, 0), (0, 0))),
        'many-digests': index_bytes([[('/x', ['sha256:%064x' % k
                                               for k in range(30)])], vt]),
    }
    for name, data in seeds.items():
        with open(os.path.join(out, name), 'wb') as f:
            f.write(data)


def uefi_corpus():
    import glob
    import shutil
    import eventlog as ev
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, 'corpus-uefilog')
    os.makedirs(out, exist_ok=True)
    for path in glob.glob(os.path.join(here, 'data', '*', 'eventlog.bin')):
        shutil.copy(path, os.path.join(out, os.path.basename(
            os.path.dirname(path))))
    events = ev.sample_events()
    seeds = {
        'synthetic-sm3': ev.log_bytes(events, ['sha256', 'sm3_256']),
        'synthetic-locality': ev.log_bytes([ev.locality_event(3)] + events,
                                           ['sm3_256']),
        'synthetic-sha1': ev.sha1_log_bytes(events),
        'synthetic-padded': ev.log_bytes(events[:3], ['sha1']) + bytes(64),
        'synthetic-erased': ev.log_bytes(events[:3], ['sha256']) +
        b'\xff' * 64,
        'synthetic-separators': ev.log_bytes(
            [ev.separator(0, 0xffffffff), ev.efi_action(4, 'x'),
             ev.separator(1, 1), ev.separator(2, 0xffffffff)], ['sha256']),
        'synthetic-pcr23': ev.log_bytes([ev.efi_action(23, 'high')] +
                                        events[:2], ['sha384']),
    }
    for name, data in seeds.items():
        with open(os.path.join(out, name), 'wb') as f:
            f.write(data)


def text_corpora():
    """Seeds of the text parsers: start entries, PCR files, references."""
    import glob
    import shutil
    here = os.path.dirname(os.path.abspath(__file__))
    h = {'sha1': 'a1' * 20, 'sha256': 'b2' * 32, 'sm3': 'c3' * 32}
    start = {
        'v2': 'vtrust-start version=2 pcr=11 aggregate=sha256:%s '
              'prior=sha1:%s,sha256:%s instance=0011 '
              'policy_digest=sha256:%s param.pcr=11 lockdown=none'
              % (h['sha256'], h['sha1'], h['sha256'], h['sha256']),
        'v1': 'vtrust-start version=1 pcr=9 aggregate=none',
        'sm3': 'vtrust-start version=2 pcr=23 prior=sm3:%s,md5:00'
               % h['sm3'],
    }
    pcrs = {
        'pcrread': 'sha1:\n  0 : 0x%s\n  11: 0x%s\nsha256:\n  10: %s\n'
                   % (h['sha1'].upper(), h['sha1'], h['sha256']),
        'lines': 'sha256 0 %s\nsm3_256 23 %s  # comment\n'
                 % (h['sha256'], h['sm3']),
    }
    reference = {
        'modules': '# baseline generate\nsha256:%s /lib/modules/a.ko\n'
                   'SHA1:%s   /lib/modules/b b.ko  \nsm3:%s\n'
                   % (h['sha256'], h['sha1'].upper(), h['sm3']),
    }
    for name, seeds in (('start', start), ('pcrs', pcrs),
                        ('reference', reference)):
        out = os.path.join(here, 'corpus-' + name)
        os.makedirs(out, exist_ok=True)
        for seed, text in seeds.items():
            with open(os.path.join(out, seed), 'w') as f:
                f.write(text)
    for path in glob.glob(os.path.join(here, 'data', '*', 'pcrs.txt')):
        shutil.copy(path, os.path.join(here, 'corpus-pcrs', os.path.basename(
            os.path.dirname(path))))


if __name__ == '__main__':
    main()
