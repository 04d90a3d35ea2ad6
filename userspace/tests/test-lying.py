#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Lying logs: the lists are altered, the TPM's PCRs are not.

Each case first records a baseline of an honest boot, then builds a boot
that really loaded something (the PCRs, computed with hashlib, cover it),
and then rewrites what the lists say, as root in the guest or a hostile
guest sending its files to a verifier could. `vtrust verify` must never
exit 0 on such a boot: 1 (untrusted) or 2 (bad input), and each case
checks that the report names what it expects. The review findings each
case covers are named (../shared/reviews/userspace-2026-11-28.md):

  F1  forged_prior_hides_a_load, reload_leaves_unverifiable_history,
      start_entry_in_imas_list_is_not_honoured, aggregate_of_another_boot
  F2  rewritten_default_file, rewritten_ima_default_file
  F3  zeroed_boot_aggregate          F4  rollback_after_accept,
  F5  sha1_log_for_a_sha256_tpm,         copied_exception
      log_without_the_tpms_banks     F6, F10  hostile_names_stay_escaped
  F7  deleted_baseline               F9  edited_event_data
  F12 accept_all_of_another_set      F13 event_beyond_pcr_23
  F14 shim_pcr_14_changed            F15 violation_names_are_not_components
  the operator's finding: vtrust_absent_but_its_pcr_extended,
      vtrust_stage_missing; item 5: vtrust_with_less_policy; gaps:
      list_full_is_a_gap.

F8 (IMA's padded SHA-1 banks) is an honest case, in test-replay.py
(ima_padded_sha1_bank); F11 (linear cost) is in tests/test-compare.c and
bench/run verify.

Usage: test-lying.py VTRUST [TEST]...
"""
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import eventlog as ev  # noqa: E402
from harness import expect, expect_rc, main, run, test, tree  # noqa: E402
from imalist import (BANKS, Entry, dng, fake_tpm, field, ima_buf,  # noqa
                     ima_ng, list_bytes, securityfs, start_entry, violation,
                     write)
from imalist import replay as list_replay  # noqa: E402
from machine import System, accept_all  # noqa: E402

EVIL = ('/tmp/evil.ko', b'evil module')


def honest_then_attack(root, banks=('sha1', 'sha256')):
    """A baseline of an honest boot; then a boot that loaded evil.ko."""
    s = System(root, banks).write().init()
    s.modules.append(EVIL)
    s.write()
    return s


def write_vtrust(s, entries):
    """Replace every file of vtrust's list (the PCRs stay)."""
    sfs = securityfs(s.root, 'vtrust')
    write(os.path.join(sfs, 'binary_runtime_measurements'),
          list_bytes(entries, 'sha1'))
    for b in s.banks:
        write(os.path.join(sfs, 'binary_runtime_measurements_' + b),
              list_bytes(entries, b))


def tpm_values(s):
    """The fake TPM's PCRs, as System.write() set them."""
    out = {}
    for b in s.banks:
        d = os.path.join(s.root, 'sys/class/tpm/tpm0/pcr-' + b)
        out[b] = {int(n): bytes.fromhex(open(os.path.join(d, n)).read())
                  for n in os.listdir(d)}
    return out


def verdict(s, *extra):
    """verify --json: never exit 0; the report (exit 1) or None (exit 2)."""
    res, rep = s.verify_json(*extra)
    expect(res[0] in (1, 2), 'a lying log was trusted (exit %d):\n%s\n%s'
           % (res[0], res[1], res[2]))
    expect(rep is not None and rep['result'] != 'trusted', rep)
    return res, rep


def problem(rep, kind, text):
    expect(any(p['kind'] == kind and text in p['text']
               for p in rep['problems'] or []),
           'no %s problem "%s" in %s' % (kind, text, rep['problems']))


def difference(rep, stage, kind, name=None):
    expect(any(d['stage'] == stage and d['kind'] == kind and
               (name is None or d['name'] == name) and
               not d['accepted'] for d in rep['differences'] or []),
           'no %s %s difference %s in %s' % (stage, kind, name,
                                             rep['differences']))


# ---- F1: prior= is the list's own word ----

@test
def forged_prior_hides_a_load():
    # F1 reproducer A: start(prior=<PCR 11 now>) + the baseline's modules
    with tree() as root:
        s = honest_then_attack(root)
        pcr11 = {b: v[11] for b, v in tpm_values(s).items()}
        forged = [start_entry(11, pcr11)] + [
            ima_ng(11, n, content=c) for n, c in s.modules[:-1]]
        write_vtrust(s, forged)
        res, rep = verdict(s)
        expect_rc(res, 1)
        problem(rep, 'unverifiable', 'history before vtrust started is '
                'unverifiable')


@test
def reload_leaves_unverifiable_history():
    # F1 reproducer B: an honest kernel; the first instance measured
    # evil.ko and its unload, the second starts at prior= = PCR 11
    with tree() as root:
        s = honest_then_attack(root)
        log = ev.log_bytes(s.events, s.banks)
        first, prior = s.vt_entries(log)
        first.append(ima_ng(11, 'vtrust-unload'))
        after_first = {b: list_replay(first, b, start={11: prior[b]})[11]
                       for b in s.banks}
        second = [start_entry(11, after_first, s.aggregate(log))] + [
            ima_ng(11, n, content=c) for n, c in s.modules[:-1]]
        write_vtrust(s, second)
        values = tpm_values(s)
        for b in s.banks:
            values[b].update(list_replay(second, b,
                                         start={11: after_first[b]}))
        fake_tpm(root, values)
        res, rep = verdict(s)
        expect_rc(res, 1)
        problem(rep, 'unverifiable', 'history before vtrust started')
        expect(any(p['status'] == 'unverifiable' and p['pcr'] == 11
                   for p in rep['replay']['pcrs']), rep['replay']['pcrs'])


@test
def start_entry_in_imas_list_is_not_honoured():
    # F1 reproducer C: IMA's list "starting" at PCR 10's value
    with tree() as root:
        s = honest_then_attack(root)
        pcr10 = tpm_values(s)['sha256'][10]
        buf = ('vtrust-start version=1 pcr=10 aggregate=none prior=sha256:%s'
               % pcr10.hex()).encode()
        lie = [ima_buf(10, 'vtrust-start', buf)] + s.ima[1:]
        write(os.path.join(securityfs(root, 'ima'),
                           'binary_runtime_measurements'),
              list_bytes(lie, 'sha1'))
        res, rep = verdict(s)
        expect_rc(res, 1)
        expect(any(p['pcr'] == 10 and p['status'] == 'mismatch'
                   for p in rep['replay']['pcrs']), rep['replay']['pcrs'])


@test
def aggregate_of_another_boot():
    # a list whose start entry was taken in another boot state
    with tree() as root:
        s = honest_then_attack(root)
        vt, prior = s.vt_entries(ev.log_bytes(s.events, s.banks))
        other = [start_entry(11, prior, 'sha256:' + '11' * 32)] + vt[1:]
        write_vtrust(s, other)
        values = tpm_values(s)
        for b in s.banks:
            values[b].update(list_replay(other, b, start={11: prior[b]}))
        fake_tpm(root, values)
        res, rep = verdict(s)
        problem(rep, 'unverifiable', 'aggregate= is not the sha256 digest '
                'of PCRs 0-9')


# ---- F2: one pass, one buffer ----

@test
def rewritten_default_file():
    # the per-bank lists and PCRs are genuine; only the default file says
    # what the baseline had
    with tree() as root:
        s = honest_then_attack(root)
        base, _ = System(root, s.banks).vt_entries(
            ev.log_bytes(s.events, s.banks))
        write(os.path.join(securityfs(root, 'vtrust'),
                           'binary_runtime_measurements'),
              list_bytes(base, 'sha1'))
        res, rep = verdict(s)
        problem(rep, 'disagree', 'holds more entries than')
        # the same length, other entries
        base.append(ima_ng(11, '/tmp/innocent.ko', content=b'innocent'))
        write(os.path.join(securityfs(root, 'vtrust'),
                           'binary_runtime_measurements'),
              list_bytes(base, 'sha1'))
        res, rep = verdict(s)
        problem(rep, 'disagree', 'differ at entry 4')


@test
def rewritten_ima_default_file():
    # IMA with per-bank lists: the default file rewritten
    with tree() as root:
        s = System(root).write().init()
        s.ima.append(ima_ng(10, '/tmp/evil-binary', content=b'evil'))
        s.write()
        sfs = securityfs(root, 'ima')
        for b in s.banks:
            write(os.path.join(sfs, 'binary_runtime_measurements_' + b),
                  list_bytes(s.ima, b))
        write(os.path.join(sfs, 'binary_runtime_measurements'),
              list_bytes(s.ima[:-1], 'sha1'))
        res, rep = verdict(s)
        expect_rc(res, 1)
        # the files end differently: the PCR covers the entry only the
        # per-bank files have
        expect(rep['replay']['result'] != 'match', rep['replay'])


# ---- F3: IMA's TPM bypass ----

@test
def zeroed_boot_aggregate():
    with tree() as root:
        s = System(root).write().init()
        s.ima.append(ima_ng(10, '/tmp/evil-binary', content=b'evil'))
        s.write()
        lie = [Entry(10, 'ima-ng', field(dng('sha256', bytes(32))) +
                     field(b'boot_aggregate\0'))] + s.ima[1:-1]
        write(os.path.join(securityfs(root, 'ima'),
                           'binary_runtime_measurements'),
              list_bytes(lie, 'sha1'))
        res, rep = verdict(s)
        expect_rc(res, 1)
        problem(rep, 'edited', 'claims that IMA ran without a TPM, but PCR '
                '10 is not zero')


# ---- F5: banks the log lacks ----

@test
def sha1_log_for_a_sha256_tpm():
    # F5 (b): a SHA-1 log; the sha256 bank's PCRs 0-9 arbitrary
    with tree() as root:
        s = System(root).write()
        log = ev.sha1_log_bytes(s.events)
        write(os.path.join(root, 'sys/kernel/security/tpm0/'
                           'binary_bios_measurements'), log)
        values = tpm_values(s)
        values['sha1'].update(ev.replay(log, 'sha1'))
        values['sha256'].update({k: bytes([k]) * 32 for k in range(10)})
        fake_tpm(root, values)
        res = s.baseline_cmd('init')
        expect_rc(res, 1)
        expect(not os.path.exists(s.baseline), 'a baseline was written')
        shutil.rmtree(os.path.dirname(s.baseline), ignore_errors=True)
        res, rep = s.verify_json('--init')
        expect_rc(res, 1)
        problem(rep, 'unverifiable', 'the firmware log has no sha256 digests')


@test
def log_without_the_tpms_banks():
    # F5 (a): the Spec ID event lists only sha384
    with tree() as root:
        s = System(root).write().init()
        log = ev.log_bytes(s.events, ['sha384'])
        write(os.path.join(root, 'sys/kernel/security/tpm0/'
                           'binary_bios_measurements'), log)
        res, rep = verdict(s)
        expect_rc(res, 1)
        problem(rep, 'unverifiable', 'no sha1 digests')
        problem(rep, 'unverifiable', 'no sha256 digests')


# ---- F9: event data that contradicts its digest ----

@test
def edited_event_data():
    with tree() as root:
        s = System(root).write().init()
        # SecureBoot's data says 01, its digests still say 00
        e = s.events[3]
        e.data = e.data[:-1] + b'\x01'
        s.write()
        res, rep = verdict(s)
        expect_rc(res, 1)
        problem(rep, 'edited', 'SecureBoot) does not match its digest')


# ---- the operator's finding and F7: missing stages and baselines ----

@test
def vtrust_absent_but_its_pcr_extended():
    with tree() as root:
        s = honest_then_attack(root)
        shutil.rmtree(securityfs(root, 'vtrust'))
        values = tpm_values(s)
        for b in s.banks:
            values[b][11] = b'\xab' * BANKS[b]
        fake_tpm(root, values)
        res, rep = verdict(s)
        expect_rc(res, 1)
        expect(any(p['pcr'] == 11 and p['status'] == 'unexplained'
                   for p in rep['replay']['pcrs']), rep['replay']['pcrs'])


@test
def vtrust_stage_missing():
    # vtrust not loaded this boot, PCR 11 untouched: the stage is missing
    with tree() as root:
        s = System(root).write().init()
        shutil.rmtree(securityfs(root, 'vtrust'))
        values = tpm_values(s)
        for b in s.banks:
            values[b][11] = bytes(BANKS[b])
        fake_tpm(root, values)
        res, rep = verdict(s)
        expect_rc(res, 1)
        difference(rep, 'vtrust', 'missing')


@test
def deleted_baseline():
    with tree() as root:
        s = honest_then_attack(root)
        os.unlink(s.baseline)
        res, rep = s.verify_json()
        expect_rc(res, 2)
        expect(rep['result'] == 'error' and 'no baseline' in rep['error'],
               rep)
        expect(not os.path.exists(s.baseline), 'verify made a baseline')
        # --init records, and says it did not verify
        res, rep = s.verify_json('--init')
        expect_rc(res, 4)
        expect(rep['result'] == 'recorded', rep)
        # and never replaces one
        res, rep = s.verify_json('--init')
        expect_rc(res, 2)


@test
def vtrust_with_less_policy():
    # item 5: the baseline's vtrust had a policy written; this boot's did
    # not (or another): its modules may all be known, its state is not
    with tree() as root:
        s = System(root)
        s.modules.insert(1, ('vtrust-policy', b'measure func=MODULE_CHECK\n'
                             b'measure func=FIRMWARE_CHECK\n'))
        s.write().init()
        s.modules.pop(1)
        s.write()
        res, rep = verdict(s)
        expect_rc(res, 1)
        difference(rep, 'vtrust', 'changed', 'vtrust-state')
        s.modules.insert(1, ('vtrust-policy', b'measure func=MODULE_CHECK\n'))
        s.write()
        res, rep = verdict(s)
        difference(rep, 'vtrust', 'changed', 'vtrust-state')


# ---- gaps ----

@test
def list_full_is_a_gap():
    with tree() as root:
        s = System(root).write().init()
        s.modules.append(('list-full', b'list-full'))
        s.write()
        res, rep = verdict(s)
        expect_rc(res, 1)
        problem(rep, 'gap', 'the list is full')


# ---- F4: accept replaces ----

@test
def rollback_after_accept():
    with tree() as root:
        s = System(root).write().init()
        old = s.modules[1]
        s.modules[1] = (old[0], b'vfat 2')
        s.write()
        res, rep = s.verify_json()
        expect_rc(res, 1)
        expect_rc(accept_all(s, 'vfat fix'), 0)
        expect_rc(s.verify(), 0)
        s.modules[1] = old
        s.write()
        res, rep = verdict(s)
        expect_rc(res, 1)


@test
def copied_exception():
    # F4 reproducer 2: one accepted image, run three times and renamed
    with tree() as root:
        s = System(root).write().init()
        tool = ev.image(4, '\\EFI\\tool.efi', b'tool')
        s.events.insert(11, tool)
        s.write()
        res, rep = s.verify_json()
        expect_rc(res, 1)
        expect_rc(accept_all(s, 'tool'), 0)
        expect_rc(s.verify(), 0)
        s.events.insert(11, ev.image(4, '\\EFI\\tool.efi', b'tool'))
        s.events.insert(11, ev.image(4, '\\EFI\\tool.efi', b'tool'))
        s.events.append(ev.image(4, '\\EFI\\BOOT\\BOOTX64.EFI', b'tool'))
        s.write()
        res, rep = verdict(s)
        expect_rc(res, 1)


@test
def accept_all_of_another_set():
    # F12: a module loaded after the operator read verify's output
    with tree() as root:
        s = System(root).write().init()
        s.modules.append(('/tmp/seen.ko', b'seen'))
        s.write()
        res, rep = s.verify_json()
        seen = rep['set']
        s.modules.append(EVIL)
        s.write()
        res = s.baseline_cmd('accept', '--all', '--set', seen, '--reason',
                             'what I saw')
        expect_rc(res, 1)
        res, rep = verdict(s)
        difference(rep, 'vtrust', 'new', EVIL[0])


@test
def event_beyond_pcr_23():
    # F13: an event for PCR 0xffffffff is malformed, not "not replayed"
    with tree() as root:
        s = System(root).write().init()
        s.events.append(ev.efi_action(0xffffffff, 'nowhere'))
        log = ev.log_bytes(s.events, s.banks)
        write(os.path.join(root, 'sys/kernel/security/tpm0/'
                           'binary_bios_measurements'), log)
        res, rep = verdict(s)
        expect_rc(res, 2)


@test
def shim_pcr_14_changed():
    # F14: shim's MokList (PCR 14) is part of the baseline
    with tree() as root:
        s = System(root)
        s.events.append(ev.Event(14, ev.EV_IPL, b'MokList\0',
                                 hashed=b'mok key 1'))
        s.write().init()
        s.events[-1] = ev.Event(14, ev.EV_IPL, b'MokList\0',
                                hashed=b'mok key 2')
        s.write()
        res, rep = verdict(s)
        expect_rc(res, 1)
        expect(any(d['stage'] == 'kernel' and d['pcr'] == 14
                   for d in rep['differences']), rep['differences'])


@test
def violation_names_are_not_components():
    # F15: a violation's name is not covered by the PCR: no component,
    # a difference of its own kind
    with tree() as root:
        s = System(root).write().init()
        s.ima.append(violation(10, '/usr/bin/bash'))
        s.write()
        res, rep = verdict(s)
        expect_rc(res, 1)
        difference(rep, 'ima', 'violation', '/usr/bin/bash')
        expect(not any(d['stage'] == 'ima' and d['kind'] != 'violation'
                       for d in rep['differences']), rep['differences'])


@test
def hostile_names_stay_escaped():
    # F10, F6: a name with terminal escapes and bytes that are not UTF-8
    with tree() as root:
        s = System(root).write().init()
        name = '/tmp/\x1b]0;owned\x07\x1b[2J\nline2\xe9.ko'
        s.modules.append((name, b'x'))
        s.write()
        res = run(['verify'] + s.args())
        expect_rc(res, 1)
        expect('\x1b' not in res[1] and '\nline2' not in res[1] and
               '\\x1b' in res[1], res[1])
        res, rep = verdict(s)      # valid JSON, or verify_json fails
        expect(any('\\x1b' in d['name'] for d in rep['differences']),
               rep['differences'])


@test
def lying_never_via_run():
    # the text verdict agrees with the JSON one on a lying log
    with tree() as root:
        s = honest_then_attack(root)
        res = run(['verify'] + s.args())
        expect_rc(res, 1)
        expect('result: untrusted' in res[1], res[1])


if __name__ == '__main__':
    sys.exit(main(sys.argv))
