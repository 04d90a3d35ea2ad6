#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""End-to-end tests of `vtrust replay` and `vtrust log` on fake sysfs trees.

The expected PCR values come from imalist.py (hashlib), not from vtrust.
Usage: test-replay.py VTRUST [VTRUST_OPTIMIZED]
The optimized binary (no sanitizers) is used for the memory test.
"""
import json
import os
import random
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from imalist import (BANKS, H, Entry, aggregate_of, dng, fake_tpm,  # noqa
                     field, ima_buf, ima_ng, ima_sig, legacy, list_bytes,
                     replay, securityfs, start_entry, violation, write)
import harness  # noqa: E402
from harness import Fail, expect, expect_rc, run, run_json, test  # noqa

VT_FAST = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else sys.argv[1])
MAXRSS = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'maxrss')


def run_rusage(args, binary):
    """Run under tests/maxrss: ((rc, out, err), peak RSS in KiB)."""
    with tempfile.NamedTemporaryFile() as f:
        res = run([f.name, binary] + args, binary=MAXRSS)
        return res, int(open(f.name).read())


def modules(n, pcr=11, seed=1):
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        if i % 5 == 0:
            name = 'resident:mod%d' % i
        else:
            name = '/usr/lib/modules/6.1.0/kernel/drivers/m%d.ko' % i
        out.append(ima_ng(pcr, name, content=rnd.randbytes(64)))
    return out


def vtrust_setup(root, banks, entries, prior=None, upto=None, pcrs=None):
    """vtrust's lists for @banks and a TPM whose PCRs match entries[:upto]."""
    sfs = securityfs(root, 'vtrust')
    for b in banks:
        write(os.path.join(sfs, 'binary_runtime_measurements_' + b),
              list_bytes(entries, b))
    write(os.path.join(sfs, 'binary_runtime_measurements'),
          list_bytes(entries, 'sha1'))
    values = {}
    for b in banks:
        start = {entries[0].pcr: prior[b]} if prior and b in prior else None
        values[b] = replay(entries, b, start=start, upto=upto)
        if pcrs and b in pcrs:
            values[b].update(pcrs[b])
    fake_tpm(root, values)
    return values


def vtrust_entries(n, banks, prior=None, pcr=11):
    prior = prior or {b: bytes(BANKS[b]) for b in banks}
    agg = aggregate_of(bank='sha256' if 'sha256' in banks else banks[0])
    return [start_entry(pcr, prior, agg)] + modules(n, pcr), prior


def tree():
    return harness.tree(prefix='vtrust-replay-')


def replay_json(root, *extra):
    return run_json(['replay', '--sysfs-root', root, '--json'] + list(extra))


def pcr_of(rep, bank, pcr):
    for p in rep['pcrs']:
        if p['bank'] == bank and p['pcr'] == pcr:
            return p
    raise Fail('no %s PCR %d in the report' % (bank, pcr))


# ---- vtrust's lists ----

@test
def vtrust_match_sha1_sha256():
    with tree() as root:
        entries, prior = vtrust_entries(20, ['sha1', 'sha256'])
        vtrust_setup(root, ['sha1', 'sha256'], entries, prior)
        res = run(['replay', '--sysfs-root', root, '-v'])
        expect_rc(res, 0)
        expect('sha1    PCR 11: match (21 entries, from prior=)' in res[1],
               res[1])
        expect('sha256  PCR 11: match' in res[1], res[1])
        expect(res[1].rstrip().endswith('result: match'), res[1])


@test
def vtrust_all_banks_nonzero_prior_json():
    banks = list(BANKS)
    with tree() as root:
        rnd = random.Random(7)
        prior = {b: rnd.randbytes(BANKS[b]) for b in banks}
        entries, _ = vtrust_entries(30, banks, prior)
        values = vtrust_setup(root, banks, entries, prior)
        res, rep = replay_json(root)
        # the lists replay from prior= to the PCRs, but nothing explains
        # prior=: an unload and reload, a kexec, or a forged list (F1)
        expect_rc(res, 1)
        expect(rep['result'] == 'mismatch' and rep['exit'] == 1, rep)
        expect(len(rep['lists']) == 1, rep['lists'])
        for b in banks:
            p = pcr_of(rep, b, 11)
            expect(p['status'] == 'unverifiable' and p['entries'] == 31 and
                   p['from_prior'] and p['culprit'] == 'prior', p)
            expect(p['value'] == values[b][11].hex() == p['computed'], p)
        lst = rep['lists'][0]
        expect(lst['path'].endswith('/binary_runtime_measurements') and
               len(lst['files']) == 6 and lst['banks'] == banks, lst)
        expect(lst['start'] == {'version': 1, 'pcr': 11}, lst)
        probs = [x for x in rep['problems'] if x['kind'] == 'unverifiable']
        expect(len(probs) == 1 and 'history before vtrust started is '
               'unverifiable' in probs[0]['text'], rep['problems'])


@test
def vtrust_prior_ignored_would_mismatch():
    # the same lists, but a TPM that started from zero: the prior matters
    with tree() as root:
        prior = {'sha256': b'\x01' * 32}
        entries, _ = vtrust_entries(3, ['sha256'], prior)
        vtrust_setup(root, ['sha256'], entries, None)
        res = run(['replay', '--sysfs-root', root, '-v'])
        expect_rc(res, 1)
        expect('UNVERIFIABLE' in res[1] and 'history before vtrust started '
               'is unverifiable' in res[1], res[1])


@test
def vtrust_race_entries_after_pcr_read():
    with tree() as root:
        entries, prior = vtrust_entries(20, ['sha1', 'sha256'])
        vtrust_setup(root, ['sha1', 'sha256'], entries, prior, upto=18)
        res = run(['replay', '--sysfs-root', root, '-v'])
        expect_rc(res, 0)
        expect('match up to entry 17' in res[1], res[1])
        expect('3 later entries were added after the PCR was read' in res[1],
               res[1])
        res, rep = replay_json(root)
        p = pcr_of(rep, 'sha256', 11)
        expect(p['status'] == 'partial' and p['matched_through'] == 17 and
               p['left_out'] == 3 and p['entries'] == 21, p)
        expect(rep['result'] == 'match', rep)


@test
def vtrust_race_before_first_entry():
    with tree() as root:
        entries, prior = vtrust_entries(2, ['sha256'])
        vtrust_setup(root, ['sha256'], entries, prior, upto=0)
        # a match at the start value would let the PCR vouch for nothing
        res = run(['replay', '--sysfs-root', root, '-v'])
        expect_rc(res, 1)
        expect('MISMATCH' in res[1] and
               'the PCRs do not cover the list\'s first entry' in res[1],
               res[1])


@test
def vtrust_pcr_mismatch_unknown_entry():
    with tree() as root:
        entries, prior = vtrust_entries(10, ['sha256'])
        vtrust_setup(root, ['sha256'], entries, prior,
                     pcrs={'sha256': {11: b'\x42' * 32}})
        res = run(['replay', '--sysfs-root', root, '-v'])
        expect_rc(res, 1)
        expect('MISMATCH (11 entries' in res[1] and 'unknown' in res[1],
               res[1])
        expect('PCR      ' + '42' * 32 in res[1], res[1])
        res, rep = replay_json(root)
        p = pcr_of(rep, 'sha256', 11)
        expect(p['status'] == 'mismatch' and p['first_bad_entry'] is None, p)
        expect(rep['result'] == 'mismatch' and rep['exit'] == 1, rep)


@test
def vtrust_tampered_data_is_caught():
    # entry 7's data changes, its template digest stays: the PCR matches
    # (it covers the digests), the digest check names the entry
    with tree() as root:
        entries, prior = vtrust_entries(10, ['sha1', 'sha256'])
        vtrust_setup(root, ['sha1', 'sha256'], entries, prior)
        e = entries[7]
        e.tdigest_override['sha256'] = H('sha256', e.data)
        e.tdigest_override['sha1'] = H('sha1', e.data)
        e.data = e.data.replace(b'/m', b'/x') if b'/m' in e.data else \
            e.data.replace(b'mod', b'MOD')
        e.tail = e.tail[:4] + e.data
        sfs = securityfs(root, 'vtrust')
        sha256_list = os.path.join(sfs, 'binary_runtime_measurements_sha256')
        write(sha256_list, list_bytes(entries, 'sha256'))
        # only one file edited: the files disagree at entry 7
        res, rep = replay_json(root)
        expect_rc(res, 1)
        probs = [x for x in rep['problems'] if x['kind'] == 'disagree']
        expect(len(probs) == 1 and 'differ at entry 7' in probs[0]['text'],
               rep['problems'])
        # every file edited alike: the digest checks name the entry
        write(os.path.join(sfs, 'binary_runtime_measurements'),
              list_bytes(entries, 'sha1'))
        write(os.path.join(sfs, 'binary_runtime_measurements_sha1'),
              list_bytes(entries, 'sha1'))
        res = run(['replay', '--sysfs-root', root, '-v'])
        expect_rc(res, 1)
        expect('(entry 7): template digest does not match sha256(template data)'
               in res[2], res[2])
        expect('3 with a wrong template digest (first: entry 7)' in res[1],
               res[1])
        res, rep = replay_json(root)
        lst = rep['lists'][0]
        expect(lst['digest_errors'] >= 1 and lst['first_digest_error'] == 7,
               lst)
        expect(rep['result'] == 'mismatch', rep)


@test
def vtrust_tampered_digest_names_entry():
    with tree() as root:
        entries, prior = vtrust_entries(10, ['sha256'])
        vtrust_setup(root, ['sha256'], entries, prior)
        entries[5].tdigest_override['sha256'] = b'\x13' * 32
        write(os.path.join(securityfs(root, 'vtrust'),
                           'binary_runtime_measurements_sha256'),
              list_bytes(entries, 'sha256'))
        res = run(['replay', '--sysfs-root', root, '-v'])
        expect_rc(res, 1)
        expect('the list stops matching at entry 5' in res[1], res[1])
        res, rep = replay_json(root)
        expect(pcr_of(rep, 'sha256', 11)['first_bad_entry'] == 5, rep)


@test
def vtrust_consistent_forgery_is_a_mismatch():
    # data and digest changed together: only the PCR can tell
    with tree() as root:
        entries, prior = vtrust_entries(6, ['sha256'])
        vtrust_setup(root, ['sha256'], entries, prior)
        forged = entries[:3] + [ima_ng(11, '/evil.ko')] + entries[4:]
        write(os.path.join(securityfs(root, 'vtrust'),
                           'binary_runtime_measurements_sha256'),
              list_bytes(forged, 'sha256'))
        res = run(['replay', '--sysfs-root', root, '-v'])
        expect_rc(res, 1)
        expect('MISMATCH' in res[1] and 'unknown' in res[1], res[1])
        expect('wrong template digest' not in res[1], res[1])


@test
def vtrust_start_without_prior_for_bank():
    with tree() as root:
        entries, _ = vtrust_entries(4, ['sha1'], {'sha1': bytes(20)})
        vtrust_setup(root, ['sha1', 'sha256'], entries, {'sha1': bytes(20)})
        # a bank the TPM has and prior= lacks cannot be vouched for
        res, rep = replay_json(root)
        expect_rc(res, 1)
        expect(pcr_of(rep, 'sha1', 11)['status'] == 'match', rep)
        expect(pcr_of(rep, 'sha256', 11)['status'] == 'unverifiable', rep)
        expect(any('prior= (sha256)' in x['text'] for x in rep['problems']),
               rep['problems'])


@test
def vtrust_extend_failed_marks():
    # entries 3 and 4 are in the list but their extends failed; the marks
    # that name them come later and are extended (docs/FORMATS.md)
    with tree() as root:
        entries, prior = vtrust_entries(6, ['sha1', 'sha256'])
        entries += [ima_ng(11, 'extend-failed:3'),
                    ima_ng(11, 'extend-failed:4'), ima_ng(11, '/after.ko')]
        vtrust_setup(root, ['sha1', 'sha256'], entries, prior)
        extended = [e for i, e in enumerate(entries) if i not in (3, 4)]
        fake_tpm(root, {b: replay(extended, b) for b in ('sha1', 'sha256')})
        res, rep = replay_json(root)
        expect_rc(res, 0)
        p = pcr_of(rep, 'sha256', 11)
        expect(p['status'] == 'match' and p['entries'] == 8, p)
        gaps = [x for x in rep['problems'] if x['kind'] == 'gap']
        expect(len(gaps) == 2 and 'extend-failed:3' in gaps[0]['text'], gaps)
        # a mark that names an entry whose extend did not fail
        fake_tpm(root, {b: replay(entries, b) for b in ('sha1', 'sha256')})
        res, rep = replay_json(root)
        expect_rc(res, 1)
        expect(pcr_of(rep, 'sha256', 11)['status'] == 'mismatch', rep)
        # a mark that names itself or a later entry
        entries[7] = ima_ng(11, 'extend-failed:9')
        vtrust_setup(root, ['sha1', 'sha256'], entries, prior)
        res, rep = replay_json(root)
        expect_rc(res, 1)
        expect(any('names no earlier entry' in x['text']
                   for x in rep['problems']), rep['problems'])


@test
def vtrust_start_pcr_disagrees():
    with tree() as root:
        entries = [start_entry(12, {'sha256': bytes(32)})] + modules(2)
        entries[0].pcr = 11
        vtrust_setup(root, ['sha256'], entries)
        res = run(['replay', '--sysfs-root', root, '-v'])
        expect_rc(res, 2)
        expect('start entry says pcr=12 but extends PCR 11' in res[2], res[2])


@test
def vtrust_bad_start_entry():
    with tree() as root:
        entries = [ima_buf(11, 'vtrust-start', b'vtrust-start version=9')] + \
            modules(1)
        vtrust_setup(root, ['sha256'], entries)
        res = run(['replay', '--sysfs-root', root, '-v'])
        expect_rc(res, 2)
        expect('start entry: unsupported version=9' in res[2], res[2])


@test
def vtrust_truncated_list():
    with tree() as root:
        entries, prior = vtrust_entries(5, ['sha256'])
        vtrust_setup(root, ['sha256'], entries, prior)
        path = os.path.join(securityfs(root, 'vtrust'),
                            'binary_runtime_measurements_sha256')
        data = open(path, 'rb').read()
        write(path, data[:-10])
        res = run(['replay', '--sysfs-root', root, '-v'])
        expect_rc(res, 2)
        expect('(entry 5): template data length' in res[2] and
               'exceeds the' in res[2], res[2])


@test
def vtrust_pcr_out_of_range():
    with tree() as root:
        entries, prior = vtrust_entries(2, ['sha256'])
        entries.append(ima_ng(30, '/x'))
        vtrust_setup(root, ['sha256'], entries, prior, upto=3)
        res = run(['replay', '--sysfs-root', root, '-v'])
        expect_rc(res, 2)
        expect('PCR 30 is out of range' in res[2], res[2])


@test
def vtrust_not_loaded():
    with tree() as root:
        fake_tpm(root, {'sha256': {}})
        res = run(['replay', '--sysfs-root', root, '--source', 'vtrust'])
        expect_rc(res, 3)
        expect('vtrust/binary_runtime_measurements_sha256: No such file' in
               res[2], res[2])
        # by default, absent sources are reported; nothing compared is
        # never a match
        res = run(['replay', '--sysfs-root', root, '-v'])
        expect_rc(res, 1)
        expect(res[1].splitlines() == [
            'uefi: absent (no %s/sys/kernel/security/tpm0/'
            'binary_bios_measurements)' % root,
            'ima: absent (no %s/sys/kernel/security/ima)' % root,
            'vtrust: absent (no %s/sys/kernel/security/vtrust)' % root,
            'nothing was compared with the TPM', 'result: unverifiable'],
            res[1])
        res, rep = replay_json(root)
        expect(rep['absent'] == ['uefi', 'ima', 'vtrust'] and
               rep['source'] == 'uefi,ima,vtrust' and
               rep['result'] == 'unverifiable' and rep['compared'] == 0, rep)
        # vtrust's directory without a bank's list is an error
        os.makedirs(securityfs(root, 'vtrust'))
        res = run(['replay', '--sysfs-root', root, '-v'])
        expect_rc(res, 3)
        expect('vtrust/binary_runtime_measurements_sha256: No such file' in
               res[2], res[2])


@test
def no_tpm():
    with tree() as root:
        res = run(['replay', '--sysfs-root', root, '-v'])
        expect_rc(res, 3)
        expect('tpm0: No such file or directory (no TPM?)' in res[2], res[2])


@test
def tpm_without_banks():
    with tree() as root:
        os.makedirs(os.path.join(root, 'sys/class/tpm/tpm0'))
        res = run(['replay', '--sysfs-root', root, '-v'])
        expect_rc(res, 3)
        expect('no PCR banks' in res[2], res[2])


@test
def bank_option_selects_and_checks():
    with tree() as root:
        entries, prior = vtrust_entries(3, ['sha1', 'sha256'])
        vtrust_setup(root, ['sha1', 'sha256'], entries, prior)
        res = run(['replay', '--sysfs-root', root, '--bank', 'sha256', '-v'])
        expect_rc(res, 0)
        expect('sha1 ' not in res[1] and 'sha256  PCR 11: match' in res[1],
               res[1])
        res = run(['replay', '--sysfs-root', root, '--bank', 'sha384'])
        expect_rc(res, 2)
        expect('no sha384 bank' in res[2], res[2])


@test
def pcr_unreadable():
    with tree() as root:
        entries, prior = vtrust_entries(3, ['sha256'])
        vtrust_setup(root, ['sha256'], entries, prior)
        write(os.path.join(root, 'sys/class/tpm/tpm0/pcr-sha256/11'),
              'garbage\n', 'w')
        res = run(['replay', '--sysfs-root', root, '-v'])
        expect_rc(res, 3)
        expect('PCR unavailable: not a hex value' in res[1], res[1])
        expect('result: unavailable' in res[1], res[1])


@test
def pcr_option_limits_comparison():
    with tree() as root:
        entries, prior = vtrust_entries(3, ['sha256'])
        entries += [ima_ng(12, '/other')]
        vtrust_setup(root, ['sha256'], entries, prior,
                     pcrs={'sha256': {12: b'\x99' * 32}})
        res = run(['replay', '--sysfs-root', root, '--pcr', '11', '-v'])
        expect_rc(res, 0)
        expect('PCR 12: not compared' in res[1], res[1])
        res = run(['replay', '--sysfs-root', root, '-v'])
        expect_rc(res, 1)


@test
def lowercase_pcr_values():
    with tree() as root:
        entries, prior = vtrust_entries(3, ['sha256'])
        values = vtrust_setup(root, ['sha256'], entries, prior)
        fake_tpm(root, values, upper=False)
        expect_rc(run(['replay', '--sysfs-root', root, '-v']), 0)


@test
def sm3_bank_kernel_names():
    # sysfs calls the bank pcr-sm3, vtrust's file says sm3_256
    with tree() as root:
        entries, prior = vtrust_entries(8, ['sm3_256'])
        vtrust_setup(root, ['sm3_256'], entries, prior)
        expect(os.path.isdir(os.path.join(root,
                                          'sys/class/tpm/tpm0/pcr-sm3')), '')
        res = run(['replay', '--sysfs-root', root, '-v'])
        expect_rc(res, 0)
        expect('sm3_256 PCR 11: match' in res[1], res[1])


@test
def big_entry_and_empty_list():
    with tree() as root:
        entries, prior = vtrust_entries(3, ['sha256'])
        entries.insert(2, ima_buf(11, 'big', os.urandom(900 * 1024)))
        vtrust_setup(root, ['sha256'], entries, prior)
        expect_rc(run(['replay', '--sysfs-root', root, '-v']), 0)
        write(os.path.join(securityfs(root, 'vtrust'),
                           'binary_runtime_measurements_sha256'), b'')
        write(os.path.join(securityfs(root, 'vtrust'),
                           'binary_runtime_measurements'), b'')
        # emptied lists: PCR 11 holds what no list explains
        res = run(['replay', '--sysfs-root', root, '-v'])
        expect_rc(res, 1)
        expect('sha256  PCR 11: UNEXPLAINED' in res[1] and
               'nothing was compared with the TPM' in res[1], res[1])


# ---- --list and --pcrs ----

def pcrread_text(values):
    out = ''
    for bank, pcrs in values.items():
        out += '  %s:\n' % bank
        for n in sorted(pcrs):
            out += '    %-2d: 0x%s\n' % (n, pcrs[n].hex().upper())
    return out


@test
def list_file_and_pcrs_file():
    with tree() as root:
        entries, prior = vtrust_entries(12, ['sha1', 'sha256', 'sha384'])
        values = {b: replay(entries, b, start={11: prior[b]})
                  for b in ('sha1', 'sha256', 'sha384')}
        pcrs = os.path.join(root, 'pcrs.txt')
        write(pcrs, pcrread_text(values), 'w')
        # a default-style list: SHA-1 digests, the rest recomputed
        lst = os.path.join(root, 'list.bin')
        write(lst, list_bytes(entries, 'sha1'))
        res = run(['replay', '--list', lst, '--pcrs', pcrs, '-v'])
        expect_rc(res, 0)
        for b in ('sha1', 'sha256', 'sha384'):
            expect('%-7s PCR 11: match' % b in res[1], res[1])
        # a per-bank list by its name
        lst = os.path.join(root, 'binary_runtime_measurements_sha384')
        write(lst, list_bytes(entries, 'sha384'))
        expect_rc(run(['replay', '--list', lst, '--pcrs', pcrs]), 0)
        # the same bytes under a name that says SHA-1 cannot parse
        lst2 = os.path.join(root, 'other.bin')
        write(lst2, list_bytes(entries, 'sha384'))
        expect_rc(run(['replay', '--list', lst2, '--pcrs', pcrs]), 2)
        # standard input, "<bank> <pcr> <hex>" lines
        write(pcrs, 'sha256 11 %s\n' % values['sha256'][11].hex(), 'w')
        res = run(['replay', '--list', '-', '--pcrs', pcrs, '-v'],
                  stdin=list_bytes(entries, 'sha1'))
        expect_rc(res, 0)
        expect('vtrust list stdin: 13 entries' in res[1], res[1])


@test
def pcrs_file_errors():
    with tree() as root:
        pcrs = os.path.join(root, 'pcrs.txt')
        write(pcrs, 'sha1:\n  11: 0x1234\n', 'w')
        res = run(['replay', '--list', '-', '--pcrs', pcrs], stdin=b'')
        expect_rc(res, 2)
        expect('line 2: bad sha1 value' in res[2], res[2])
        res = run(['replay', '--list', '-', '--pcrs', pcrs + '.no'],
                  stdin=b'')
        expect_rc(res, 3)


# ---- IMA's list ----

def ima_entries():
    return [
        ima_ng(10, 'boot_aggregate', content=b'aggregate'),
        ima_ng(10, '/usr/lib/systemd/systemd'),
        legacy(10, '/bin/legacy-template'),
        violation(10, '/var/log/open-writers'),
        ima_sig(10, '/usr/bin/signed', sig=b'\x03\x02' + os.urandom(64)),
        ima_sig(10, '/usr/bin/unsigned'),
        ima_buf(10, 'kexec-cmdline', b'root=/dev/vda console=ttyS0'),
        ima_ng(11, '/policy-in-pcr-11', algo='sha1'),
        violation(10, '/tmp/tomtou'),
        ima_ng(10, '/usr/bin/bash', algo='sha512'),
    ]


@test
def ima_default_file_all_banks():
    with tree() as root:
        entries = ima_entries()
        write(os.path.join(securityfs(root, 'ima'),
                           'binary_runtime_measurements'),
              list_bytes(entries, 'sha1'))
        banks = ['sha1', 'sha256', 'sha512']
        fake_tpm(root, {b: replay(entries, b, ima_rules=True) for b in banks})
        res = run(['replay', '--source', 'ima', '--sysfs-root', root, '-v'])
        expect_rc(res, 0)
        expect('sha256  PCR 10: match (9 entries, 2 violations)' in res[1],
               res[1])
        expect('sha512  PCR 11: match (1 entry)' in res[1], res[1])
        expect(res[1].count('list ') == 1, res[1])
        res, rep = replay_json(root, '--source', 'ima')
        expect(rep['source'] == 'ima' and rep['lists'][0]['banks'] == banks,
               rep)
        expect(pcr_of(rep, 'sha1', 10)['violations'] == 2, rep)


@test
def ima_without_a_tpm_is_not_compared():
    # IMA that started before the TPM: zero boot_aggregate, PCR 10 untouched
    with tree() as root:
        entries = [Entry(10, 'ima-ng', field(dng('sha256', bytes(32))) +
                         field(b'boot_aggregate\0')),
                   ima_ng(10, '/usr/bin/bash')]
        write(os.path.join(securityfs(root, 'ima'),
                           'binary_runtime_measurements'),
              list_bytes(entries, 'sha1'))
        fake_tpm(root, {'sha256': {}})
        res = run(['replay', '--sysfs-root', root, '-v'])
        # believed (PCR 10 is zero), but then nothing vouches for the list
        expect_rc(res, 1)
        expect('IMA started without a TPM (a zero boot_aggregate, and PCR 10 '
               'is zero)' in res[1] and 'nothing was compared' in res[1],
               res[1])
        res, rep = replay_json(root)
        expect(rep['lists'][0]['tpm_bypass'] is True and rep['pcrs'] == [] and
               rep['result'] == 'unverifiable', rep)
        # with PCR 10 extended, the zero boot_aggregate is a lie (F3)
        fake_tpm(root, {'sha256': {10: b'\x69' * 32}})
        res, rep = replay_json(root)
        expect_rc(res, 1)
        expect(rep['result'] == 'mismatch' and
               rep['lists'][0]['tpm_bypass'] is False and
               pcr_of(rep, 'sha256', 10)['status'] == 'mismatch' and
               any(x['kind'] == 'edited' for x in rep['problems']), rep)


@test
def ima_violation_rule_only_for_ima():
    with tree() as root:
        entries = ima_entries()
        write(os.path.join(securityfs(root, 'ima'),
                           'binary_runtime_measurements'),
              list_bytes(entries, 'sha1'))
        lst = os.path.join(securityfs(root, 'ima'),
                           'binary_runtime_measurements')
        fake_tpm(root, {'sha1': replay(entries, 'sha1', ima_rules=True)})
        expect_rc(run(['replay', '--source', 'ima', '--list', lst,
                       '--sysfs-root', root]), 0)
        # as a vtrust list, a zero digest is just a wrong digest
        res = run(['replay', '--list', lst, '--sysfs-root', root])
        expect_rc(res, 1)
        expect('(entry 3): template digest does not match' in res[2], res[2])


@test
def ima_per_bank_files():
    with tree() as root:
        entries = ima_entries()
        sfs = securityfs(root, 'ima')
        write(os.path.join(sfs, 'binary_runtime_measurements'),
              list_bytes(entries, 'sha1'))
        write(os.path.join(sfs, 'binary_runtime_measurements_sha256'),
              list_bytes(entries, 'sha256'))
        write(os.path.join(sfs, 'binary_runtime_measurements_sm3'),
              list_bytes(entries, 'sm3_256'))
        banks = ['sha1', 'sha256', 'sha384', 'sm3_256']
        fake_tpm(root, {b: replay(entries, b, ima_rules=True) for b in banks})
        res, rep = replay_json(root, '--source', 'ima')
        expect_rc(res, 0)
        # one pass over the three files, every bank
        lst = rep['lists'][0]
        expect(len(rep['lists']) == 1 and lst['banks'] == banks and
               [os.path.basename(f) for f in lst['files']] == [
                   'binary_runtime_measurements',
                   'binary_runtime_measurements_sha256',
                   'binary_runtime_measurements_sm3'], lst)
        # a per-bank file whose template data differ is refused (F2)
        forged = list(entries)
        forged[2] = ima_ng(10, '/usr/bin/innocent')
        write(os.path.join(sfs, 'binary_runtime_measurements'),
              list_bytes(forged, 'sha1'))
        res, rep = replay_json(root, '--source', 'ima')
        expect_rc(res, 1)
        expect(any(x['kind'] == 'disagree' and 'differ at entry 2' in x['text']
                   for x in rep['problems']), rep['problems'])


def padded_replay(entries, bank):
    """IMA's PCR values in a bank it had no hash for at its start: each
    entry extends SHA1(template data) zero-padded to the bank's size."""
    size = BANKS[bank]
    pcrs = {}
    for e in entries:
        v = pcrs.get(e.pcr, bytes(size))
        if e.violation:
            ext = b'\xff' * size
        else:
            ext = H('sha1', e.data) + bytes(size - 20)
        pcrs[e.pcr] = H(bank, v + ext)
    return pcrs


@test
def ima_padded_sha1_bank():
    # F8: the kernel had no sm3 hash at IMA's start, so IMA extended padded
    # SHA-1 into the sm3 bank; sha256 is extended properly
    with tree() as root:
        entries = ima_entries()
        sfs = securityfs(root, 'ima')
        write(os.path.join(sfs, 'binary_runtime_measurements'),
              list_bytes(entries, 'sha1'))
        values = {'sha1': replay(entries, 'sha1', ima_rules=True),
                  'sha256': replay(entries, 'sha256', ima_rules=True),
                  'sm3_256': padded_replay(entries, 'sm3_256')}
        fake_tpm(root, values)
        res, rep = replay_json(root, '--source', 'ima')
        expect_rc(res, 0)
        for n in (10, 11):
            p = pcr_of(rep, 'sm3_256', n)
            expect(p['status'] == 'match' and p['padded_sha1'], p)
            p = pcr_of(rep, 'sha256', n)
            expect(p['status'] == 'match' and not p['padded_sha1'], p)
        res = run(['replay', '--sysfs-root', root, '--source', 'ima'])
        expect('match*' in res[1] and 'SHA-1 strength only' in res[1], res[1])
        # a per-bank file that holds the padded digests (kernels with them)
        pad = [H('sha1', e.data) + bytes(12) if not e.violation else None
               for e in entries]
        for e, d in zip(entries, pad):
            if d:
                e.tdigest_override['sm3_256'] = d
        write(os.path.join(sfs, 'binary_runtime_measurements_sm3'),
              list_bytes(entries, 'sm3_256'))
        res, rep = replay_json(root, '--source', 'ima')
        expect_rc(res, 0)
        expect(pcr_of(rep, 'sm3_256', 10)['status'] == 'match', rep)
        # sha384 padded too (Debian's guest does that); SHA-256, built in
        # wherever it is IMA's default hash, never is
        os.unlink(os.path.join(sfs, 'binary_runtime_measurements_sm3'))
        fake_tpm(root, {**values, 'sha384': padded_replay(entries, 'sha384')})
        res, rep = replay_json(root, '--source', 'ima')
        expect_rc(res, 0)
        expect(pcr_of(rep, 'sha384', 10)['padded_sha1'], rep)
        fake_tpm(root, {**values, 'sha256': padded_replay(entries, 'sha256')})
        res, rep = replay_json(root, '--source', 'ima')
        expect_rc(res, 1)
        expect(pcr_of(rep, 'sha256', 10)['status'] == 'mismatch', rep)
        fake_tpm(root, {**values, 'sm3_256': {10: b'\x10' * 32}})
        res, rep = replay_json(root, '--source', 'ima')
        expect_rc(res, 1)
        expect(pcr_of(rep, 'sm3_256', 10)['status'] == 'mismatch', rep)


@test
def ima_sha1_digest_checked_without_sha1_bank():
    with tree() as root:
        entries = ima_entries()
        entries[1].tdigest_override['sha1'] = b'\x01' * 20
        write(os.path.join(securityfs(root, 'ima'),
                           'binary_runtime_measurements'),
              list_bytes(entries, 'sha1'))
        fake_tpm(root, {'sha256': replay(entries, 'sha256', ima_rules=True)})
        res = run(['replay', '--source', 'ima', '--sysfs-root', root, '-v'])
        expect_rc(res, 1)
        expect('(entry 1): template digest does not match sha1' in res[2],
               res[2])
        expect('sha256  PCR 10: match' in res[1], res[1])


@test
def ima_sha1_digests_with_a_sha256_file():
    # The SHA-1 file is not hashed again when the sha256 file proved the
    # entry's data and the SHA-1 bank replays it; a wrong SHA-1 digest is
    # then the SHA-1 bank's mismatch. Without a SHA-1 bank it is checked.
    with tree() as root:
        entries = ima_entries()
        sfs = securityfs(root, 'ima')
        values = {'sha1': replay(entries, 'sha1', ima_rules=True),
                  'sha256': replay(entries, 'sha256', ima_rules=True)}
        entries[1].tdigest_override['sha1'] = b'\x01' * 20
        write(os.path.join(sfs, 'binary_runtime_measurements'),
              list_bytes(entries, 'sha1'))
        write(os.path.join(sfs, 'binary_runtime_measurements_sha256'),
              list_bytes(entries, 'sha256'))
        fake_tpm(root, values)
        res, rep = replay_json(root, '--source', 'ima')
        expect_rc(res, 1)
        expect(pcr_of(rep, 'sha1', 10)['status'] == 'mismatch' and
               pcr_of(rep, 'sha256', 10)['status'] == 'match', rep)
        # the sha256 file wrong too: both are named
        entries[1].tdigest_override['sha256'] = b'\x02' * 32
        write(os.path.join(sfs, 'binary_runtime_measurements_sha256'),
              list_bytes(entries, 'sha256'))
        fake_tpm(root, values)
        res = run(['replay', '--source', 'ima', '--sysfs-root', root, '-v'])
        expect_rc(res, 1)
        for b in ('sha1', 'sha256'):
            expect('(entry 1): template digest does not match %s' % b
                   in res[2], res[2])
    with tree() as root:
        sfs = securityfs(root, 'ima')
        write(os.path.join(sfs, 'binary_runtime_measurements'),
              list_bytes(entries, 'sha1'))
        entries[1].tdigest_override.pop('sha256')
        write(os.path.join(sfs, 'binary_runtime_measurements_sha256'),
              list_bytes(entries, 'sha256'))
        fake_tpm(root, {'sha256': values['sha256']})
        res = run(['replay', '--source', 'ima', '--sysfs-root', root, '-v'])
        expect_rc(res, 1)
        expect('(entry 1): template digest does not match sha1' in res[2],
               res[2])
        expect('template digest does not match sha256' not in res[2],
               res[2])


# ---- log ----

def ima_ascii(entries, bank='sha1'):
    """IMA's ascii_runtime_measurements, written out by the rules of
    ima_ascii_measurements_show()."""
    lines = []
    for e in entries:
        line = '%2d %s %s' % (e.pcr, e.tdigest(bank).hex(), e.template)
        if e.template == 'ima':
            d, n = e.data[:20], e.data[20:].rstrip(b'\0')
            line += ' %s %s' % (d.hex(), n.decode())
        else:
            pos, fields = 0, []
            while pos < len(e.data):
                n = int.from_bytes(e.data[pos:pos + 4], 'little')
                fields.append(e.data[pos + 4:pos + 4 + n])
                pos += 4 + n
            for i, f in enumerate(fields):
                line += ' '
                if not f:
                    continue
                if i == 0:
                    algo, dig = f.split(b'\0', 1)
                    line += algo.decode() + dig.hex()
                elif i == 1:
                    line += f.split(b'\0')[0].decode()
                else:
                    line += f.hex()
        lines.append(line + '\n')
    return ''.join(lines)


@test
def log_ascii_like_ima():
    with tree() as root:
        entries = ima_entries()
        path = os.path.join(securityfs(root, 'ima'),
                            'binary_runtime_measurements')
        write(path, list_bytes(entries, 'sha1'))
        res = run(['log', '--source', 'ima', '--sysfs-root', root, '--raw'])
        expect_rc(res, 0)
        want = ima_ascii(entries)
        expect(res[1] == want, 'got:\n%s\nwanted:\n%s' % (res[1], want))
        expect(' /usr/bin/unsigned \n' in res[1], 'ima-sig trailing space')
        res2 = run(['log', '--list', path, '--raw'])
        expect(res2[1] == want, res2[1])


@test
def log_vtrust_bank_file_and_json():
    with tree() as root:
        entries, prior = vtrust_entries(4, ['sha1', 'sha256'])
        vtrust_setup(root, ['sha1', 'sha256'], entries, prior)
        res = run(['log', '--sysfs-root', root, '--bank', 'sha256', '--raw'])
        expect_rc(res, 0)
        expect(res[1] == ima_ascii(entries, 'sha256'), res[1])
        res = run(['log', '--sysfs-root', root, '--raw'])
        expect(res[1] == ima_ascii(entries, 'sha1'), res[1])
        expect(res[1].startswith('11 ') and 'ima-buf sha256:' in res[1] and
               ' vtrust-start 7674727573742d7374617274' in res[1], res[1])
        res = run(['log', '--sysfs-root', root, '--json'])
        expect_rc(res, 0)
        js = json.loads(res[1])
        expect(len(js) == 5, js)
        s = js[0]
        expect(s['index'] == 0 and s['offset'] == 0 and s['pcr'] == 11 and
               s['template'] == 'ima-buf' and s['name'] == 'vtrust-start' and
               s['algo'] == 'sha256', s)
        expect(s['template_digest'] == entries[0].tdigest('sha1').hex(), s)
        expect(bytes.fromhex(s['fields'][2]['hex']).startswith(
            b'vtrust-start version=1 pcr=11'), s)
        expect(js[1]['fields'][1] == {'id': 'n-ng', 'value': js[1]['name']},
               js[1])


@test
def log_json_ima_kinds():
    with tree() as root:
        entries = ima_entries()
        lst = os.path.join(root, 'list')
        write(lst, list_bytes(entries, 'sha1'))
        res = run(['log', '--list', lst, '--json'])
        expect_rc(res, 0)
        js = json.loads(res[1])
        expect(js[2]['template'] == 'ima' and 'algo' not in js[2] and
               js[2]['name'] == '/bin/legacy-template' and
               js[2]['fields'][0]['id'] == 'd', js[2])
        expect(js[3]['template_digest'] == '00' * 20, js[3])
        expect([e.get('violation', False) for e in js] ==
               [e.violation for e in entries], js)
        expect(js[5]['fields'][2] == {'id': 'sig', 'hex': ''}, js[5])
        expect(js[9]['algo'] == 'sha512', js[9])
        res = run(['log', '--list', '-', '--json'], stdin=b'')
        expect_rc(res, 0)
        expect(json.loads(res[1]) == [], res[1])


# Names a hostile user can have measured, as bytes: not UTF-8, terminal
# escapes and a forged second line, a bidi override, C1, backslashes.
HOSTILE_NAMES = [
    b'/tmp/caf\xe9', b'/tmp/\x1b]0;owned\x07\x1b[2J\nline2',
    '/tmp/evil\u202etxt.exe'.encode(), b'/tmp/a\\x41\\', b'/ok/\xc3\xa9t\xc3\xa9',
    b'/tmp/\xc2\x85c1', b'/tmp/\xed\xa0\x80surrogate', b'/tmp/\xf0\x9f\x98\x80',
    b'/tmp/cut\xe2\x82', b'/tmp/over\xc0\xaf', b'/tmp/\x7fdel\t',
]


def unescape(text):
    """Undo vtrust's escapes: \\xNN is a byte, \\uNNNN a character."""
    out, i = b'', 0
    while i < len(text):
        if text[i] == '\\' and text[i + 1] == 'x':
            out += bytes([int(text[i + 2:i + 4], 16)])
            i += 4
        elif text[i] == '\\' and text[i + 1] == 'u':
            out += chr(int(text[i + 2:i + 6], 16)).encode()
            i += 6
        else:
            out += text[i].encode()
            i += 1
    return out


def run_bytes(args):
    p = subprocess.run([harness.VT] + args, capture_output=True, timeout=60)
    expect(b'Sanitizer' not in p.stderr, p.stderr)
    return p.returncode, p.stdout


@test
def log_names_escaped():
    entries = [Entry(10, 'ima-ng', field(dng('sha256', H('sha256', n))) +
                     field(n + b'\0')) for n in HOSTILE_NAMES]
    with tree() as root:
        lst = os.path.join(root, 'list')
        write(lst, list_bytes(entries, 'sha1'))
        # JSON: valid, and the names come back byte for byte
        rc, out = run_bytes(['log', '--list', lst, '--json'])
        expect(rc == 0, rc)
        js = json.loads(out.decode('utf-8'))
        expect([unescape(e['name']) for e in js] == HOSTILE_NAMES,
               [e['name'] for e in js])
        expect(js[0]['name'] == '/tmp/caf\\xe9' and
               js[3]['name'] == '/tmp/a\\x5cx41\\x5c' and
               js[2]['name'] == '/tmp/evil\u202etxt.exe', js[:4])
        # text: one line per entry, nothing a terminal acts on
        rc, out = run_bytes(['log', '--list', lst])
        expect(rc == 0, rc)
        text = out.decode('utf-8')
        lines = text.split('\n')
        expect(len(lines) == len(entries) + 1 and lines[-1] == '', lines)
        for ch in text:
            expect(ch == '\n' or not (ord(ch) < 0x20 or
                                      0x7f <= ord(ch) < 0xa0 or
                                      ch in '\u061c\u200e\u200f' or
                                      0x202a <= ord(ch) <= 0x202e or
                                      0x2066 <= ord(ch) <= 0x2069),
                   repr(ch))
        names = [unescape(x.split(' ', 4)[4]) for x in lines[:-1]]
        expect(names == HOSTILE_NAMES, names)
        expect(lines[1].endswith(' /tmp/\\x1b]0;owned\\x07\\x1b[2J\\x0aline2'),
               lines[1])
        expect(lines[2].endswith(' /tmp/evil\\u202etxt.exe'), lines[2])
        # random names: both forms give every byte back
        rnd = random.Random(8)
        names = [bytes(rnd.choice(range(1, 256)) for _ in
                       range(rnd.randrange(1, 40))) for _ in range(300)]
        lst256 = lst + '_sha256'
        write(lst256, list_bytes([Entry(10, 'ima-ng', field(dng(
            'sha256', bytes(32))) + field(n + b'\0')) for n in names],
            'sha256'))
        rc, out = run_bytes(['log', '--list', lst256, '--json'])
        expect(rc == 0, (rc, out[-300:]))
        js = json.loads(out.decode('utf-8'))
        expect([unescape(e['name']) for e in js] == names, 'json names')
        rc, out = run_bytes(['log', '--list', lst256])
        lines = out.decode('utf-8').split('\n')[:-1]
        expect([unescape(x.split(' ', 4)[4]) for x in lines] == names,
               'text names')
        # --raw: the kernel's bytes
        rc, out = run_bytes(['log', '--list', lst, '--raw'])
        expect(rc == 0, rc)
        for n in HOSTILE_NAMES:
            expect(b' ' + n + b'\n' in out, n)
        for args in (['--raw', '--json'], ['--raw', '--source', 'uefi']):
            res = run(['log', '--list', lst] + args)
            expect_rc(res, 2)


@test
def log_errors():
    with tree() as root:
        lst = os.path.join(root, 'list')
        write(lst, list_bytes(ima_entries(), 'sha1')[:-1])
        res = run(['log', '--list', lst])
        expect_rc(res, 2)
        expect('(entry 9): template data length' in res[2], res[2])
        expect(res[1].count('\n') == 9, res[1])
        res = run(['log', '--sysfs-root', root])
        expect_rc(res, 3)
        expect('vtrust/binary_runtime_measurements: No such file' in res[2],
               res[2])
        # IMA of kernel 6.1 has no per-bank list: log --bank says so
        write(os.path.join(securityfs(root, 'ima'),
                           'binary_runtime_measurements'),
              list_bytes(ima_entries(), 'sha1'))
        res = run(['log', '--source', 'ima', '--sysfs-root', root,
                   '--bank', 'sha256'])
        expect_rc(res, 3)
        expect('no sha256 list of its own' in res[2], res[2])
        expect_rc(run(['log', '--source', 'ima', '--sysfs-root', root,
                       '--bank', 'sha1']), 0)


# ---- usage ----

@test
def usage_and_help():
    for args in (['--help'], ['-h'], ['help'], ['log', '--help'],
                 ['log', '-h']):
        res = run(args)
        expect_rc(res, 0)
        expect(res[1].startswith('Usage: vtrust'), res[1])
        expect('Exit status: 0 ok or match, 1 mismatch, 2 bad usage or '
               'input, 3 system error.' in res[1], res[1])
    for args in (['help', 'replay'], ['replay', '--help']):
        res = run(args)
        expect_rc(res, 0)
        expect(res[1].startswith('Usage: vtrust replay') and
               'Exit status: 0 match, 1 mismatch or unverifiable' in res[1],
               res[1])
    expect_rc(run(['--version']), 0)
    bad = [([], 'Usage:'),
           (['frobnicate'], "vtrust: frobnicate: unknown command"),
           (['replay', '--bogus'], "unknown option '--bogus'"),
           (['replay', '-x'], "unknown option '-x'"),
           (['replay', '--bank'], "option '--bank' needs an argument"),
           (['replay', '--bank', 'md5'], "unknown bank 'md5'"),
           (['replay', '--source', 'tpm'], "unknown source 'tpm'"),
           (['replay', '--pcr', '24'], "bad PCR '24'"),
           (['replay', '--pcr', '1x'], "bad PCR '1x'"),
           (['replay', 'extra'], "unexpected argument 'extra'"),
           (['log', '--bank', 'sha1', '--list', 'x'], 'exclude each other'),
           (['log', '--json', 'extra'], "unexpected argument"),
           (['log', '--nope'], "vtrust: log: unknown option '--nope'")]
    for args, msg in bad:
        res = run(args)
        expect_rc(res, 2)
        expect(msg in res[2], '%s: %s' % (args, res[2]))


# ---- memory and time ----

@test
def constant_memory_large_list():
    # 300k entries, sha1 + sha256 from the default file: RSS must not grow
    # with the list (the 1M-entry budget is 16 MB)
    n = 300000
    with tree() as root:
        rnd = random.Random(3)
        parts, v1, v2 = [], bytes(20), bytes(32)
        for i in range(n):
            e = ima_ng(10, '/usr/lib/x86_64-linux-gnu/lib%07d.so' % i,
                       content=rnd.randbytes(16))
            t1 = H('sha1', e.data)
            parts.append(e.binary('sha1'))
            v1 = H('sha1', v1 + t1)
            v2 = H('sha256', v2 + H('sha256', e.data))
        lst = os.path.join(root, 'binary_runtime_measurements')
        write(lst, b''.join(parts))
        pcrs = os.path.join(root, 'pcrs')
        write(pcrs, 'sha1 10 %s\nsha256 10 %s\n' % (v1.hex(), v2.hex()), 'w')
        t = time.monotonic()
        res, rss = run_rusage(['replay', '--source', 'ima', '--list', lst,
                               '--pcrs', pcrs, '-v'], VT_FAST)
        dt = time.monotonic() - t
        expect_rc(res, 0)
        expect('sha256  PCR 10: match (%d entries)' % n in res[1], res[1])
        expect(rss < 16 * 1024, 'max RSS %d KiB' % rss)
        print('     %d entries: %.2f s, max RSS %d KiB' % (n, dt, rss))


if __name__ == '__main__':
    # argv[2] is the optimized binary, not a test name.
    sys.exit(harness.main(sys.argv[:2]))
