#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""End-to-end tests of the firmware event log: `vtrust log --source uefi`
and `vtrust replay` of real OVMF and SeaBIOS logs (tests/data/, with the PCR
values read in the same boot) and of synthetic logs with an SM3 bank, whose
expected PCRs come from eventlog.py (hashlib), not from vtrust.

Usage: test-uefi.py VTRUST [TEST]...
"""
import glob
import json
import os
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import eventlog as ev  # noqa: E402
from harness import (Fail, expect, expect_rc, main, run, run_json,  # noqa
                     test, tree)
from imalist import fake_tpm, ima_ng, list_bytes, securityfs, write  # noqa
from imalist import replay as ima_replay, start_entry, aggregate_of  # noqa

DATA = os.path.join(HERE, 'data')
CAPTURES = sorted(os.path.dirname(p) for p in
                  glob.glob(os.path.join(DATA, '*', 'eventlog.bin')))


def read_pcrs(path):
    pcrs = {}
    for line in open(path):
        b, n, h = line.split()
        b = 'sm3_256' if b == 'sm3' else b
        pcrs.setdefault(b, {})[int(n)] = bytes.fromhex(h)
    return pcrs


def uefi_log_path(root):
    return os.path.join(root, 'sys/kernel/security/tpm0/'
                        'binary_bios_measurements')


def capture_tree(root, cap):
    """A fake /sys with a capture's log, lists and PCR values."""
    fake_tpm(root, read_pcrs(os.path.join(cap, 'pcrs.txt')))
    write(uefi_log_path(root), open(os.path.join(cap, 'eventlog.bin'),
                                    'rb').read())
    ima = os.path.join(cap, 'ima.bin')
    if os.path.exists(ima):
        write(os.path.join(securityfs(root, 'ima'),
                           'binary_runtime_measurements'),
              open(ima, 'rb').read())
    vt = os.path.join(cap, 'vtrust')
    if os.path.isdir(vt):
        shutil.copytree(vt, securityfs(root, 'vtrust'))


def synthetic_tree(root, events, banks, tpm_banks=None, extra=None,
                   log=None):
    """A log of @events in @banks and a TPM that matches it."""
    data = log if log is not None else ev.log_bytes(events, banks)
    write(uefi_log_path(root), data)
    values = {}
    for b in tpm_banks or banks:
        values[b] = ev.replay(data, b) if b in banks else {}
        values[b].update((extra or {}).get(b, {}))
    fake_tpm(root, values)
    return data, values


def replay(root, *args):
    return run(['replay', '--sysfs-root', root, '-v'] + list(args))


def pcr_lines(out, status='match'):
    return [line for line in out.splitlines()
            if re.match(r'^\S+ +PCR +\d+: ' + status, line)]


# ---- real logs ----

@test
def captures_present():
    names = [os.path.basename(c) for c in CAPTURES]
    for want in ('ovmf-4bank', 'seabios-4bank', 'ovmf-sha256',
                 'seabios-sha256'):
        expect(want in names, 'no capture %s in %s' % (want, DATA))


@test
def real_logs_replay_all_sources():
    for cap in CAPTURES:
        with tree() as root:
            capture_tree(root, cap)
            res = replay(root)
            expect_rc(res, 0)
            banks = read_pcrs(os.path.join(cap, 'pcrs.txt'))
            for b in banks:
                for n in range(10):
                    expect(any(line.startswith('%-7s PCR %2d: match' % (b, n))
                               for line in res[1].splitlines()),
                           '%s: %s PCR %d\n%s' % (cap, b, n, res[1]))
                expect('%-7s PCR 10: match (1 entry)' % b in res[1], res[1])
            expect('uefi log %s: ' % uefi_log_path(root) in res[1], res[1])
            expect('warning' not in res[2], res[2])
            has_vt = os.path.isdir(os.path.join(cap, 'vtrust'))
            expect(('PCR 11: match' in res[1]) == has_vt, res[1])
            expect(('vtrust: absent' in res[1]) != has_vt, res[1])


@test
def shared_captures_replay():
    # the other captures of the project (tests/data/eventlogs/), if there
    shared = os.path.join(HERE, '..', '..', 'tests', 'data', 'eventlogs')
    for cap in sorted(glob.glob(os.path.join(shared, '*', 'pcrs'))):
        cap = os.path.dirname(cap)
        with tree() as root:
            fake_tpm(root, read_pcrs(os.path.join(cap, 'pcrs')))
            write(uefi_log_path(root), open(os.path.join(
                cap, 'binary_bios_measurements'), 'rb').read())
            if os.path.isdir(os.path.join(cap, 'ima')):
                shutil.copytree(os.path.join(cap, 'ima'),
                                securityfs(root, 'ima'))
            if os.path.isdir(os.path.join(cap, 'vtrust')):
                shutil.copytree(os.path.join(cap, 'vtrust'),
                                securityfs(root, 'vtrust'))
            res = replay(root)
            expect_rc(res, 0)
            expect(not pcr_lines(res[1], 'MISMATCH') and
                   len(pcr_lines(res[1])) >= 40, res[1])


@test
def real_logs_list_and_pcrs_file():
    for cap in CAPTURES:
        res = run(['replay', '-v', '--source', 'uefi', '--list',
                   os.path.join(cap, 'eventlog.bin'), '--pcrs',
                   os.path.join(cap, 'pcrs.txt')])
        expect_rc(res, 0)
        expect(len(pcr_lines(res[1])) ==
               10 * len(read_pcrs(os.path.join(cap, 'pcrs.txt'))), res[1])


@test
def real_log_json_report():
    cap = os.path.join(DATA, 'ovmf-4bank')
    with tree() as root:
        capture_tree(root, cap)
        res, rep = run_json(['replay', '--sysfs-root', root, '--json'], 0)
        expect(rep['result'] == 'match' and rep['absent'] == [], rep)
        lst = [x for x in rep['lists'] if x['source'] == 'uefi'][0]
        expect(lst['format'] == 'crypto-agile' and lst['events'] == 25 and
               lst['algorithms'] == 'sha1 sha256 sha384 sha512' and
               lst['banks'] == ['sha1', 'sha256', 'sha384', 'sha512'], lst)
        p = [x for x in rep['pcrs'] if x['bank'] == 'sha256' and
             x['pcr'] == 7][0]
        expect(p['source'] == 'uefi' and p['status'] == 'match' and
               p['entries'] == 6, p)


def tamper(data, index, bank, byte=0x55):
    """Change one byte of event @index's @bank digest."""
    pos, n = 0, 0
    first = ev.parse(data)
    pos = 32 + len(first[0]['data'])
    sizes = {ev.ALG_IDS[b]: ev.SIZES[b] for b in ev.ALG_IDS}
    out = bytearray(data)
    while pos < len(data):
        count = int.from_bytes(data[pos + 8:pos + 12], 'little')
        p = pos + 12
        for _ in range(count):
            a = int.from_bytes(data[p:p + 2], 'little')
            if n + 1 == index and ev.ALG_NAMES.get(a) == bank:
                out[p + 2] ^= byte
            p += 2 + sizes[a]
        size = int.from_bytes(data[p:p + 4], 'little')
        pos = p + 4 + size
        n += 1
    return bytes(out)


@test
def real_log_tampered_variable_is_named():
    cap = os.path.join(DATA, 'ovmf-4bank')
    with tree() as root:
        capture_tree(root, cap)
        data = open(os.path.join(cap, 'eventlog.bin'), 'rb').read()
        write(uefi_log_path(root), tamper(data, 12, 'sha256'))
        res = replay(root, '--source', 'uefi')
        expect_rc(res, 1)
        expect('sha256  PCR  1: MISMATCH (3 events); the log stops matching '
               'at event 12 (EV_EFI_VARIABLE_BOOT Boot0000) (its digest '
               'does not match its data)' in res[1], res[1])
        expect('sha1    PCR  1: match' in res[1], res[1])
        expect('edited: the data of event 12 (EV_EFI_VARIABLE_BOOT Boot0000) '
               'does not match its digest: the log was edited' in res[1],
               res[1])
        expect(res[1].rstrip().endswith('result: mismatch'), res[1])
        # a firmware blob's digest cannot be checked: unknown
        write(uefi_log_path(root), tamper(data, 2, 'sha384'))
        res = replay(root, '--source', 'uefi')
        expect_rc(res, 1)
        expect('sha384  PCR  0: MISMATCH (4 events); the event where the '
               'log stops matching is unknown' in res[1], res[1])


@test
def real_log_garbage_is_bad_input():
    cap = os.path.join(DATA, 'seabios-4bank')
    data = open(os.path.join(cap, 'eventlog.bin'), 'rb').read()
    with tree() as root:
        capture_tree(root, cap)
        write(uefi_log_path(root), data[:-5])
        res = replay(root)
        expect_rc(res, 2)
        expect('binary_bios_measurements: offset %d (event 13): event is '
               'cut off' % (len(data) - 5) in res[2] or
               'event size' in res[2], res[2])
        write(uefi_log_path(root), b'')
        res = replay(root)
        expect_rc(res, 2)
        expect('binary_bios_measurements: offset 0 (event 0): the log is '
               'empty' in res[2], res[2])


# ---- synthetic logs ----

@test
def sm3_bank_synthetic():
    banks = ['sha256', 'sm3_256']
    with tree() as root:
        events = ev.sample_events()
        data, values = synthetic_tree(root, events, banks)
        expect(values['sm3_256'][7] != bytes(32), 'sm3 PCR 7 unchanged')
        # the fake sysfs names the bank pcr-sm3, as the kernel does
        expect(os.path.isdir(os.path.join(root, 'sys/class/tpm/tpm0/'
                                          'pcr-sm3')), 'pcr-sm3')
        res = replay(root)
        expect_rc(res, 0)
        expect(len(pcr_lines(res[1])) == 20, res[1])
        expect('sm3_256 PCR  7: match (6 events)' in res[1], res[1])
        expect('sm3_256 PCR  8: match (0 events)' in res[1], res[1])
        # one SM3 digest changed: only that bank's PCR, named
        events[8].digests['sm3_256'] = b'\x01' * 32
        synthetic_tree(root, events, banks)
        ev.replay(ev.log_bytes(ev.sample_events(), banks), 'sm3_256')
        write(uefi_log_path(root), ev.log_bytes(events, banks))
        fake_tpm(root, {'sha256': ev.replay(data, 'sha256'),
                        'sm3_256': ev.replay(data, 'sm3_256')})
        res = replay(root)
        expect_rc(res, 1)
        expect('sm3_256 PCR  7: MISMATCH (6 events); the log stops matching '
               'at event 9 (EV_SEPARATOR separator)' in res[1], res[1])
        expect(len(pcr_lines(res[1], 'MISMATCH')) == 1, res[1])


def sm3_of(data):
    """SM3 from OpenSSL's command line, a second opinion on hashlib's."""
    import subprocess
    p = subprocess.run(['openssl', 'dgst', '-sm3', '-binary'], input=data,
                       capture_output=True)
    return p.stdout if p.returncode == 0 else None


@test
def sm3_digests_agree_with_openssl():
    d = sm3_of(b'abc')
    if d is None:
        return
    expect(d == ev.H('sm3_256', b'abc'), 'hashlib and openssl differ')
    expect(d.hex() == '66c7f0f462eeedd9d1f2d46bdc10e4e2'
           '4167c4875cf2f7a2297da02b8f4ba8e0', d.hex())


@test
def startup_locality():
    banks = ['sha256', 'sm3_256']
    for loc in (3, 4):
        with tree() as root:
            events = [ev.locality_event(loc)] + ev.sample_events()
            data, values = synthetic_tree(root, events, banks)
            # the independent replay starts PCR 0 at 00..0<loc>
            first = ev.H('sha256', bytes(31) + bytes([loc]) +
                         events[1].digest('sha256'))
            expect(first != ev.H('sha256', bytes(32) +
                                 events[1].digest('sha256')), 'locality')
            res = replay(root)
            expect_rc(res, 0)
            expect('sha256  PCR  0: match (4 events, start locality %d)'
                   % loc in res[1], res[1])
            res, rep = run_json(['replay', '--sysfs-root', root, '--json'],
                                0)
            p = [x for x in rep['pcrs'] if x['pcr'] == 0][0]
            expect(p['start_locality'] == loc, p)
            # a TPM started at locality 0 does not match this log
            fake_tpm(root, {b: ev.replay(ev.log_bytes(events[1:], banks), b)
                            for b in banks})
            res = replay(root)
            expect_rc(res, 1)
            expect(len(pcr_lines(res[1], 'MISMATCH')) == 2, res[1])
    with tree() as root:
        events = [ev.locality_event(2)] + ev.sample_events()
        synthetic_tree(root, events, banks)
        res = replay(root)
        expect_rc(res, 2)
        expect('StartupLocality 2 is not 0, 3 or 4' in res[2], res[2])
        events = [ev.locality_event(3), ev.locality_event(0)]
        synthetic_tree(root, events, banks)
        res = replay(root)
        expect_rc(res, 2)
        expect('a second StartupLocality event' in res[2], res[2])


@test
def no_action_events_are_not_extended():
    banks = ['sha256']
    with tree() as root:
        noact = ev.Event(0, ev.EV_NO_ACTION, b'SP800-155 Event\0xyz')
        events = ev.sample_events()[:3] + [noact]
        data, values = synthetic_tree(root, events, banks)
        res = replay(root)
        expect_rc(res, 0)
        expect('sha256  PCR  0: match (3 events)' in res[1], res[1])
        res = run(['log', '--source', 'uefi', uefi_log_path(root)])
        expect('#4 PCR 0 EV_NO_ACTION: SP800-155 Event\n' in res[1], res[1])
        # the PFP has EV_NO_ACTION digests zero: anything else is malformed
        noact.digests['sha256'] = b'\x77' * 32
        synthetic_tree(root, events, banks)
        res = replay(root)
        expect_rc(res, 2)
        expect('(event 4): EV_NO_ACTION event has a non-zero digest' in
               res[2], res[2])


@test
def padding_after_the_last_event():
    # an erased (0xFF) or unused (0x00) log area ends the log
    banks = ['sha256']
    events = ev.sample_events()
    data = ev.log_bytes(events, banks)
    for pad in (b'\xff', b'\0'):
        with tree() as root:
            write(uefi_log_path(root), data + pad * 4000)
            fake_tpm(root, {'sha256': ev.replay(data, 'sha256')})
            res = replay(root)
            expect_rc(res, 0)
            expect(len(pcr_lines(res[1])) == 10, res[1])
            res = run(['log', '--source', 'uefi', uefi_log_path(root)])
            expect_rc(res, 0)
            heads = [x for x in res[1].splitlines() if x.startswith('#')]
            expect(len(heads) == len(events) + 1, res[1])
            expect('4000 bytes of 0x%02x padding after the last event'
                   % pad[0] in res[1], res[1])
            res, js = run_json(['log', '--source', 'uefi', '--json',
                                uefi_log_path(root)], 0)
            expect(len(js) == len(events) + 1, js)
    # padding that is not all one byte is a broken event
    with tree() as root:
        path = os.path.join(root, 'log.bin')
        write(path, data + b'\xff' * 40 + b'\0')
        res = run(['log', '--source', 'uefi', path])
        expect_rc(res, 2)
        expect('(event %d)' % (len(events) + 1) in res[2], res[2])


@test
def pcr_index_above_23_is_an_error():
    with tree() as root:
        events = ev.sample_events()[:3] + [ev.efi_action(24, 'x')]
        synthetic_tree(root, events, ['sha256'])
        res = replay(root)
        expect_rc(res, 2)
        expect('(event 4): PCR index 24 is not 0-23' in res[2], res[2])
        res = run(['log', '--source', 'uefi', uefi_log_path(root)])
        expect_rc(res, 2)


@test
def locality_only_at_the_start_of_pcr_0():
    banks = ['sha256']
    with tree() as root:
        events = ev.sample_events()
        events.insert(1, ev.locality_event(3))
        synthetic_tree(root, events, banks)
        res = replay(root)
        expect_rc(res, 2)
        expect('(event 2): StartupLocality event comes after an event that '
               'extends PCR 0' in res[2], res[2])
        loc = ev.locality_event(3)
        loc.pcr = 1
        synthetic_tree(root, [loc] + ev.sample_events(), banks)
        res = replay(root)
        expect_rc(res, 2)
        expect('StartupLocality event is in PCR 1, not 0' in res[2], res[2])


def edited(event, data):
    """@event with other data and the digests of its original data."""
    out = ev.Event(event.pcr, event.type, data,
                   digests={b: event.digest(b) for b in ('sha256', 'sha1')})
    return out


def digest_warnings(events):
    """The replay's "edited" problems; the boot matches only without."""
    with tree() as root:
        synthetic_tree(root, events, ['sha256'])
        res = replay(root)
        warn = [x for x in res[1].splitlines()
                if 'does not match its digest: the log was edited' in x]
        expect_rc(res, 1 if warn else 0)
        return warn


@test
def event_data_checked_against_its_digest():
    # digests from hashlib; each event is then edited, its digest kept
    var = ev.variable
    cases = [
        (ev.separator(7), ev.u32(1)),
        (ev.Event(2, ev.EV_ACTION, b'Start Option ROM Scan'), b'Start'),
        (ev.efi_action(4, 'Calling EFI Application from Boot Option'),
         b'Calling'),
        (ev.Event(0, ev.EV_S_CRTM_VERSION, 'v1\0'.encode('utf-16-le')),
         'v2\0'.encode('utf-16-le')),
        (var(7, 'SecureBoot', b'\1'), var(7, 'SecureBoot', b'\0').data),
        (var(7, 'db', b'cert', etype=ev.EV_EFI_VARIABLE_AUTHORITY),
         var(7, 'db', b'evil', etype=ev.EV_EFI_VARIABLE_AUTHORITY).data),
        (var(1, 'Boot0000', b'opt', etype=ev.EV_EFI_VARIABLE_BOOT),
         var(1, 'Boot0000', b'new', etype=ev.EV_EFI_VARIABLE_BOOT).data),
        (ev.Event(5, ev.EV_EFI_GPT_EVENT, b'G' * 100), b'H' * 100),
        (ev.Event(1, 0xa, b'flags'), b'flagz'),
        (ev.Event(1, 0xc, b'compact'), b'compacT'),
        (ev.Event(4, 0x12, b'BOOT ATTEMPTS OMITTED'), b'BOOT'),
    ]
    base = ev.sample_events()
    for honest, data in cases:
        expect(not digest_warnings(base + [honest]), honest.type)
        warn = digest_warnings(base + [edited(honest, data)])
        expect(len(warn) == 1 and ('event %d ' % (len(base) + 1)) in warn[0],
               (hex(honest.type), warn))
    # Boot####: the digest of its VariableData alone is EDK2's, and fine
    boot = var(1, 'Boot0001', b'\1\0opt', etype=ev.EV_EFI_VARIABLE_BOOT)
    boot.hashed = b'\1\0opt'
    expect(not digest_warnings(base + [boot]), 'VariableData only')
    # ... but not for SecureBoot, whose digest covers the whole structure
    sb = var(7, 'SecureBoot', b'\1')
    sb.hashed = b'\1'
    expect(len(digest_warnings(base + [sb])) == 1, 'SecureBoot')
    # types whose digest is of something the log does not hold
    for other in (ev.Event(8, ev.EV_IPL, b'grub_cmd: linux /vmlinuz\0',
                           hashed=b'linux /vmlinuz'),
                  ev.Event(9, ev.EV_EVENT_TAG,
                           ev.u32(0x8f3b22ec) + ev.u32(4) + b'init',
                           hashed=b'initrd'),
                  ev.Event(0, 0x80000010, b'HCRTM', hashed=b'H-CRTM code')):
        expect(not digest_warnings(base + [other]), hex(other.type))


@test
def log_matching_before_its_end_names_the_event():
    banks = ['sha256']
    with tree() as root:
        events = ev.sample_events()
        data = ev.log_bytes(events, banks)
        shorter = ev.replay(ev.log_bytes(events[:-1], banks), 'sha256')
        synthetic_tree(root, events, banks, log=data,
                       extra={'sha256': {5: shorter[5]}})
        res = replay(root)
        expect_rc(res, 1)
        expect('sha256  PCR  5: MISMATCH (3 events); the log cannot match '
               'from event 22 (EV_EFI_ACTION Exit Boot Services Returned '
               'with Success) on' in res[1], res[1])
        res, rep = run_json(['replay', '--sysfs-root', root, '--json'], 1)
        p = [x for x in rep['pcrs'] if x['pcr'] == 5][0]
        expect(p['status'] == 'mismatch' and p['first_bad_entry'] == 22, p)


@test
def pcr_extended_outside_the_log():
    # PCR 8 has no events; a TPM value other than zero is a mismatch
    with tree() as root:
        synthetic_tree(root, ev.sample_events(), ['sha256'],
                       extra={'sha256': {8: b'\x08' * 32}})
        res = replay(root)
        expect_rc(res, 1)
        expect('sha256  PCR  8: MISMATCH (0 events); the event where the '
               'log stops matching is unknown' in res[1], res[1])


@test
def bad_data_digest_means_an_edited_log():
    # a separator whose digest is not of its data, extended as logged: the
    # PCRs match, but the log's words for that event are not the measured
    # ones (F9)
    with tree() as root:
        events = ev.sample_events()
        events[8].digests['sha256'] = b'\x02' * 32
        synthetic_tree(root, events, ['sha256'])
        res = replay(root)
        expect_rc(res, 1)
        expect('sha256  PCR  7: match' in res[1], res[1])
        expect('uefi PCR 7: edited: the data of event 9 (EV_SEPARATOR '
               'separator) does not match its digest' in res[1], res[1])
        expect('1 whose digest does not match their data (first: event 9)'
               in res[1], res[1])


@test
def error_separator_is_a_problem():
    with tree() as root:
        events = ev.sample_events()
        events[8] = ev.separator(events[8].pcr, 1)
        synthetic_tree(root, events, ['sha256'])
        res = replay(root)
        expect_rc(res, 1)
        expect('error: event 9 (EV_SEPARATOR separator 0x00000001): the '
               'firmware signals an error' in res[1], res[1])
        # after EV_EFI_* events 0xffffffff is the PFP's error value too
        # (SeaBIOS's logs, with no EFI event, use it as the normal one:
        # real_logs_replay_all_sources)
        events[8] = ev.separator(events[8].pcr, 0xffffffff)
        synthetic_tree(root, events, ['sha256'])
        res = replay(root)
        expect_rc(res, 1)
        expect('separator 0xffffffff): the firmware signals an error'
               in res[1], res[1])


@test
def tpm_bank_missing_from_log():
    with tree() as root:
        synthetic_tree(root, ev.sample_events(), ['sha256'],
                       tpm_banks=['sha256', 'sha384'])
        res = replay(root)
        # a bank the TPM has and the log lacks is not vouched for (F5)
        expect_rc(res, 1)
        expect('the firmware log has no sha384 digests, a bank the TPM has'
               in res[1], res[1])
        expect('sha384  PCR  0: UNVERIFIABLE' in res[1], res[1])


@test
def events_missing_a_bank_digest():
    # an event with only some of the log's banks leaves the others alone
    banks = ['sha256', 'sm3_256']
    with tree() as root:
        events = ev.sample_events()
        data = ev.spec_id_event(banks)
        for i, e in enumerate(events):
            data += e.agile(['sha256'] if i == 3 else banks)
        write(uefi_log_path(root), data)
        fake_tpm(root, {b: ev.replay(data, b) for b in banks})
        expect(ev.replay(data, 'sm3_256')[7] != ev.replay(
            ev.log_bytes(events, banks), 'sm3_256')[7], 'no effect')
        res = replay(root)
        expect_rc(res, 1)
        expect('sm3_256 PCR  7: UNVERIFIABLE (5 events, 1 without a digest '
               'of this bank)' in res[1], res[1])
        expect('sha256  PCR  7: match' in res[1], res[1])


@test
def sha1_format_log():
    with tree() as root:
        events = ev.sample_events()
        data = ev.sha1_log_bytes(events)
        write(uefi_log_path(root), data)
        fake_tpm(root, {'sha1': ev.replay(data, 'sha1')})
        res = replay(root)
        expect_rc(res, 0)
        expect('SHA-1 format: sha1' in res[1], res[1])
        expect('sha1    PCR  7: match (6 events)' in res[1], res[1])
        # with a SHA-256 bank, a SHA-1 log is a downgrade: unverifiable
        fake_tpm(root, {'sha1': ev.replay(data, 'sha1'), 'sha256': {}})
        res = replay(root)
        expect_rc(res, 1)
        expect('no sha256 digests' in res[1] and
               'sha256  PCR  7: UNVERIFIABLE' in res[1], res[1])


@test
def events_above_pcr_9_are_replayed():
    # shim's PCR 14 and systemd-stub's 11-13 are the firmware log's (F14)
    with tree() as root:
        events = ev.sample_events() + [ev.efi_action(12, 'sd-stub'),
                                       ev.efi_action(14, 'shim')]
        data = ev.log_bytes(events, ['sha256'])
        values = {'sha256': ev.replay(data, 'sha256', range(24))}
        synthetic_tree(root, events, ['sha256'], log=data,
                       extra=values)
        res = replay(root)
        expect_rc(res, 0)
        expect('sha256  PCR 12: match (1 event)' in res[1] and
               'sha256  PCR 14: match (1 event)' in res[1], res[1])
        # a TPM whose PCR 14 the log does not explain
        fake_tpm(root, {'sha256': {**values['sha256'], 14: b'\x14' * 32}})
        res = replay(root)
        expect_rc(res, 1)
        expect('sha256  PCR 14: MISMATCH' in res[1], res[1])


@test
def explicit_source_must_exist():
    with tree() as root:
        fake_tpm(root, {'sha256': {}})
        res = replay(root, '--source', 'uefi')
        expect_rc(res, 3)
        expect('binary_bios_measurements: No such file' in res[2], res[2])
        res = replay(root)
        expect_rc(res, 1)
        expect('uefi: absent (no ' in res[1] and
               'nothing was compared with the TPM' in res[1], res[1])
        res = replay(root, '--source', 'uefi,ima', '--list', 'x')
        expect_rc(res, 2)
        expect('--list needs one source' in res[2], res[2])
        res = replay(root, '--source', 'efi')
        expect_rc(res, 2)


@test
def ima_in_a_log_pcr_follows_the_log():
    # the kernel's lists come after the firmware's events: they chain
    with tree() as root:
        data, values = synthetic_tree(root, ev.sample_events(), ['sha256'])
        entries = [ima_ng(9, '/boot/x')]
        write(os.path.join(securityfs(root, 'ima'),
                           'binary_runtime_measurements'),
              list_bytes(entries, 'sha1'))
        res = replay(root)
        expect_rc(res, 1)
        expect('sha256  PCR  9: MISMATCH (1 entry after 1 uefi event)'
               in res[1], res[1])
        final = ima_replay(entries, 'sha256', start={9: values['sha256'][9]})
        fake_tpm(root, {'sha256': {**values['sha256'], **final}})
        res = replay(root)
        expect_rc(res, 0)
        expect('sha256  PCR  9: match (1 entry after 1 uefi event)'
               in res[1], res[1])


@test
def vtrust_after_the_log_in_pcr_9():
    # vtrust loaded with pcr=9: its prior= is where the log left PCR 9
    banks = ['sha256']
    with tree() as root:
        events = ev.sample_events()
        data, values = synthetic_tree(root, events, banks)
        prior = {'sha256': values['sha256'][9]}
        agg = aggregate_of({k: values['sha256'][k] for k in range(10)})
        entries = [start_entry(9, prior, agg), ima_ng(9, '/m.ko')]
        write(os.path.join(securityfs(root, 'vtrust'),
                           'binary_runtime_measurements_sha256'),
              list_bytes(entries, 'sha256'))
        final = ima_replay(entries, 'sha256', start={9: prior['sha256']})
        fake_tpm(root, {'sha256': {**values['sha256'], **final}})
        res = replay(root)
        expect_rc(res, 0)
        expect('sha256  PCR  9: match (2 entries, from prior= after 1 uefi '
               'event)' in res[1], res[1])
        # a prior= that the log does not lead to
        prior = {'sha256': b'\x09' * 32}
        entries = [start_entry(9, prior, agg), ima_ng(9, '/m.ko')]
        write(os.path.join(securityfs(root, 'vtrust'),
                           'binary_runtime_measurements_sha256'),
              list_bytes(entries, 'sha256'))
        final = ima_replay(entries, 'sha256', start={9: prior['sha256']})
        fake_tpm(root, {'sha256': {**values['sha256'], **final}})
        res = replay(root)
        expect_rc(res, 1)
        expect('sha256  PCR  9: UNVERIFIABLE' in res[1] and
               'history before vtrust started is unverifiable' in res[1],
               res[1])


# ---- vtrust log --source uefi ----

@test
def log_text_real():
    cap = os.path.join(DATA, 'ovmf-4bank')
    res = run(['log', '--source', 'uefi', os.path.join(cap, 'eventlog.bin')])
    expect_rc(res, 0)
    heads = [line for line in res[1].splitlines() if line.startswith('#')]
    expect(len(heads) == 25, heads)
    expect(heads[4] == '#4 PCR 7 EV_EFI_VARIABLE_DRIVER_CONFIG: SecureBoot',
           heads)
    expect(heads[10] == '#10 PCR 4 EV_EFI_BOOT_SERVICES_APPLICATION: '
           'VenMedia(1428f772-b64a-441e-b8c3-9ebdd7f893c7)/kernel', heads)
    expect('  variable 8be4df61-93ca-11d2-aa0d-00e098032b8c '
           '(EFI_GLOBAL_VARIABLE) SecureBoot, 1 byte: 00\n' in res[1], res[1])
    expect('  spec 2.0 errata 0, platform class 0, uintn size 2, '
           'algorithms sha1/20 sha256/32 sha384/48 sha512/64\n' in res[1],
           res[1])
    # the default file, under --sysfs-root
    with tree() as root:
        capture_tree(root, cap)
        res2 = run(['log', '--source', 'uefi', '--sysfs-root', root])
        expect(res2 == res, res2[1][:200])


@test
def log_json_real():
    for cap, n in (('ovmf-4bank', 25), ('seabios-sha256', 14)):
        res, js = run_json(['log', '--source', 'uefi', '--json',
                            os.path.join(DATA, cap, 'eventlog.bin')], 0)
        expect(len(js) == n, len(js))
        expect(js[0]['event']['kind'] == 'spec_id', js[0])
    expect(js[13]['description'] == 'separator 0xffffffff' and
           js[13]['event'] == {'kind': 'separator', 'value': 0xffffffff},
           js[13])
    expect(list(js[13]['digests']) == ['sha256'], js[13])
    res, js = run_json(['log', '--source', 'uefi', '--json',
                        os.path.join(DATA, 'ovmf-4bank', 'eventlog.bin')], 0)
    var = js[4]['event']
    expect(var == {'kind': 'variable',
                   'guid': '8be4df61-93ca-11d2-aa0d-00e098032b8c',
                   'guid_name': 'EFI_GLOBAL_VARIABLE', 'name': 'SecureBoot',
                   'data': '00'}, var)
    img = js[10]['event']
    expect(img['kind'] == 'image' and img['device_path'] ==
           'VenMedia(1428f772-b64a-441e-b8c3-9ebdd7f893c7)/kernel', img)
    expect(js[2]['event'] == {'kind': 'blob', 'base': 0x820000,
                              'length': 0xe0000}, js[2])
    expect(set(js[1]['digests']) == {'sha1', 'sha256', 'sha384', 'sha512'},
           js[1])


@test
def log_unknown_event_type_is_raw():
    with tree() as root:
        events = [ev.Event(3, 0x12345678, b'\x01\x02\xff'),
                  ev.Event(5, ev.EV_EFI_ACTION, b'ok')]
        data = ev.log_bytes(events, ['sm3_256'])
        path = os.path.join(root, 'log.bin')
        write(path, data)
        res = run(['log', '--source', 'uefi', path])
        expect_rc(res, 0)
        expect('#1 PCR 3 0x12345678: 0102ff\n  sm3_256 %s\n  data: 0102ff\n'
               % ev.H('sm3_256', b'\x01\x02\xff').hex() in res[1], res[1])
        res, js = run_json(['log', '--source', 'uefi', '--json', path], 0)
        expect(js[1]['type'] is None and js[1]['type_value'] == 0x12345678
               and js[1]['event'] == {'kind': 'raw'} and
               js[1]['data'] == '0102ff', js[1])
        # standard input
        res2 = run(['log', '--source', 'uefi', '-'], stdin=data)
        expect(res2[1] == run(['log', '--source', 'uefi', path])[1], res2)


@test
def log_long_and_hostile_text():
    # UTF-16 text longer than the 4 KiB name and 16 KiB JSON limits: cut
    # between characters; control, C1 and bidi characters escaped
    text = 'a' + '\u20ac' * 5600
    hostile = 'x\u202ey\x1b[2J\u0085\nz'
    events = [ev.Event(4, ev.EV_EFI_ACTION, text.encode('utf-16-le')),
              ev.variable(7, hostile, b'\1'),
              ev.variable(7, '', b'\1')]
    with tree() as root:
        path = os.path.join(root, 'log.bin')
        write(path, ev.log_bytes(events, ['sha256']))
        res, js = run_json(['log', '--source', 'uefi', '--json', path], 0)
        for got, limit in ((js[1]['event']['text'], 16384),
                           (js[1]['description'], 4096)):
            expect(text.startswith(got) and
                   limit - 3 <= len(got.encode()) < limit, len(got))
        want = 'x\\u202ey\\x1b[2J\\u0085\\x0az'
        expect(js[2]['description'] == want, js[2])
        expect(js[3]['description'] == '(empty)' and
               js[3]['event']['name'] == '', js[3])
        res = run(['log', '--source', 'uefi', path])
        expect_rc(res, 0)
        expect('#2 PCR 7 EV_EFI_VARIABLE_DRIVER_CONFIG: %s\n' % want
               in res[1], res[1])
        expect('#3 PCR 7 EV_EFI_VARIABLE_DRIVER_CONFIG: (empty)\n' in res[1],
               res[1])
        expect('\ufffd' not in res[1], 'a cut character')


@test
def log_errors():
    with tree() as root:
        path = os.path.join(root, 'log.bin')
        data = ev.log_bytes(ev.sample_events(), ['sha256'])
        write(path, data[:-3])
        res = run(['log', '--source', 'uefi', path])
        expect_rc(res, 2)
        expect(len([x for x in res[1].splitlines() if x.startswith('#')])
               == 22, res[1])
        expect('log.bin: offset' in res[2] and '(event 22)' in res[2],
               res[2])
        res = run(['log', '--source', 'uefi', path + '.none'])
        expect_rc(res, 3)
        expect('No such file' in res[2], res[2])
        for args, msg in ((['--bank', 'sha1'], 'does not apply'),
                          ([path, 'x'], "unexpected argument 'x'")):
            res = run(['log', '--source', 'uefi'] + args)
            expect_rc(res, 2)
            expect(msg in res[2], res[2])


if __name__ == '__main__':
    sys.exit(main(sys.argv))
