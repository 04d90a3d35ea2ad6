#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""End-to-end tests of `vtrust verify` and `vtrust baseline` on fake sysfs
trees: a firmware log (eventlog.py), IMA's and vtrust's lists (imalist.py)
and a TPM whose PCRs match them, all computed with hashlib.

Usage: test-baseline.py VTRUST [TEST]...
"""
import glob
import hashlib
import json
import os
import resource
import shutil
import signal
import stat
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import eventlog as ev  # noqa: E402
from harness import (expect, expect_rc, main, run, run_json, test,  # noqa
                     tree)
from imalist import Entry, dng, field, ima_ng, securityfs, write  # noqa
from machine import (System, accept_all, diffs_of, reseal,  # noqa: E402
                     set_id)

DATA = os.path.join(HERE, 'data')
SHARED = os.path.join(HERE, '..', '..', 'tests', 'data', 'eventlogs')


def save(path, doc):
    with open(path, 'w') as f:
        json.dump(doc, f, indent=2)


# ---- init and verify ----

def state_digest(s):
    """vtrust-state of a list whose only state event is its start entry:
    SHA-256 of (SHA-256 of the start line's words but prior=, aggregate=
    and instance=, each followed by a space), as BASELINE.md defines it."""
    line = s.vt_entries(ev.log_bytes(s.events, s.banks))[0][0].buf
    words = [w for w in line.split(b' ') if not
             w.startswith((b'prior=', b'aggregate=', b'instance='))]
    config = hashlib.sha256(b''.join(w + b' ' for w in words)).digest()
    return 'sha256:' + hashlib.sha256(config).hexdigest()


@test
def init_then_verify_trusted():
    with tree() as root:
        s = System(root).write()
        res = s.baseline_cmd('init', '--reason', 'first boot')
        expect_rc(res, 0)
        expect('replay: match' in res[1] and 'baseline %s created'
               % s.baseline in res[1], res[1])
        st = os.stat(s.baseline)
        expect(stat.S_IMODE(st.st_mode) == 0o600, oct(st.st_mode))
        expect(stat.S_IMODE(os.stat(os.path.dirname(s.baseline)).st_mode)
               == 0o700, 'directory mode')
        doc = s.doc()
        expect(doc['format'] == 'vtrust-baseline' and doc['version'] == 2,
               doc)
        expect(doc['retired'] == [] and doc['exceptions'] == [] and
               doc['stages']['ima']['violations'] == [], doc)
        expect(reseal(doc)['checksum'] == doc['checksum'], 'checksum')
        expect(set(doc['pcrs']) == {'sha1', 'sha256'} and
               len(doc['pcrs']['sha256']) == 24, doc['pcrs'])
        fw = doc['stages']['firmware']
        expect([e['pcr'] for e in fw] == [0, 0, 0, 7, 7, 7, 7, 7, 7, 1, 0,
                                          1, 2, 3, 5, 6, 5, 5], fw)
        expect(fw[3] == {'pcr': 7, 'type': 'EV_EFI_VARIABLE_DRIVER_CONFIG',
                         'name': 'SecureBoot', 'digests': {
                             'sha1': ev.H('sha1', s.events[3].data).hex(),
                             'sha256': ev.H('sha256', s.events[3].data).hex()
                         }}, fw[3])
        kern = doc['stages']['kernel']
        expect([(e['pcr'], e['type']) for e in kern] == [
            (4, 'EV_EFI_ACTION'), (4, 'EV_SEPARATOR'),
            (4, 'EV_EFI_BOOT_SERVICES_APPLICATION'), (9, 'EV_EVENT_TAG')],
            kern)
        ima = doc['stages']['ima']
        expect(ima['pcr'] == 10 and ima['components']['/usr/bin/bash'] ==
               ['sha256:' + hashlib.sha256(b'bash 1').hexdigest()], ima)
        vt = doc['stages']['vtrust']['components']
        expect(sorted(vt) == sorted([n for n, _ in s.modules] +
                                    ['vtrust-state']), vt)
        expect(vt['vtrust-state'] == [state_digest(s)], vt['vtrust-state'])
        h = doc['history']
        expect(len(h) == 1 and h[0]['action'] == 'init' and
               h[0]['uid'] == os.getuid() and h[0]['reason'] == 'first boot',
               h)
        res = s.verify()
        expect_rc(res, 0)
        expect('result: trusted' in res[1], res[1])
        expect('firmware 18 events, as in the baseline' in res[1], res[1])
        expect('vtrust   4 components, as in the baseline' in res[1], res[1])
        res, rep = s.verify_json()
        expect_rc(res, 0)
        expect(rep['result'] == 'trusted' and rep['differences'] == [] and
               rep['replay']['result'] == 'match', rep)
        expect(rep['stages']['kernel'] == {'absent': False, 'missing': False,
                                           'items': 4, 'differences': 0,
                                           'accepted': 0}, rep['stages'])


@test
def missing_baseline_and_init_force():
    with tree() as root:
        s = System(root).write()
        res = s.verify()
        expect_rc(res, 2)
        expect('no baseline (create one with' in res[2], res[2])
        expect(not os.path.exists(s.baseline), 'created')
        expect_rc(s.baseline_cmd('init', '--reason', 'one'), 0)
        res = s.baseline_cmd('init')
        expect_rc(res, 2)
        expect('a baseline exists (--force replaces it, and keeps it as '
               '%s.old)' % s.baseline in res[2], res[2])
        old = open(s.baseline, 'rb').read()
        res = s.baseline_cmd('init', '--force', '--reason', 'two')
        expect_rc(res, 0)
        expect('baseline %s replaced (the old one is kept as %s.old)'
               % (s.baseline, s.baseline) in res[1], res[1])
        expect(open(s.baseline + '.old', 'rb').read() == old, '.old')
        h = s.doc()['history']
        expect([(e['action'], e['reason']) for e in h] ==
               [('init', 'one'), ('init --force', 'two')], h)
        expect(h[1]['previous'] == 'sha256:' + hashlib.sha256(old)
               .hexdigest(), h[1])
        res = s.history()
        expect('  replaced a baseline file of sha256:%s\n'
               % hashlib.sha256(old).hexdigest() in res[1], res[1])
        expect_rc(s.verify(), 0)
        # a version 1 file: refused, named, replaced by init --force
        v1 = dict(s.doc(), version=1)
        for k in ('retired',):
            v1.pop(k)
        save(s.baseline, reseal(v1))
        old = open(s.baseline, 'rb').read()
        res = s.verify()
        expect_rc(res, 2)
        expect("version: 1, an older schema that this vtrust does not read: "
               "record a new baseline with 'vtrust baseline init --force'"
               in res[2], res[2])
        expect_rc(s.baseline_cmd('init', '--force'), 0)
        h = s.doc()['history']
        expect([e['action'] for e in h] == ['init --force'] and
               h[0]['previous'] == 'sha256:' + hashlib.sha256(old)
               .hexdigest(), h)
        expect(open(s.baseline + '.old', 'rb').read() == old, '.old')


@test
def firmware_change_accept_and_history():
    with tree() as root:
        s = System(root).write().init()
        s.events[3] = ev.variable(7, 'SecureBoot', b'\x01')
        s.write()
        res = s.verify()
        expect_rc(res, 1)
        old = ev.H('sha256', ev.variable(7, 'SecureBoot', b'\0').data).hex()
        new = ev.H('sha256', s.events[3].data).hex()
        line = [x for x in res[1].splitlines() if x.startswith('  [')]
        expect(len(line) == 1, res[1])
        expect(line[0].endswith('] firmware PCR 7 EV_EFI_VARIABLE_DRIVER_'
                                'CONFIG "SecureBoot": changed sha256:%s -> '
                                'sha256:%s' % (old, new)), line)
        eid = line[0][3:19]
        expect('firmware 18 events, 1 difference' in res[1], res[1])
        expect('result: untrusted (1 difference)' in res[1], res[1])
        res, rep = s.verify_json()
        d = diffs_of(rep)
        expect(len(d) == 1 and d[0]['id'] == eid and d[0]['kind'] ==
               'changed' and d[0]['baseline']['sha256'] == old and
               d[0]['current']['sha1'] == ev.H('sha1', s.events[3].data).hex(),
               d)
        # the ID is stable
        expect(s.verify()[1] == res[1] or eid in s.verify()[1], 'stable')
        res = s.baseline_cmd('accept', '--event', eid, '--reason',
                             'Secure Boot on', env={'SUDO_USER': 'alice'})
        expect_rc(res, 0)
        old1 = ev.H('sha1', ev.variable(7, 'SecureBoot', b'\0').data).hex()
        new1 = ev.H('sha1', s.events[3].data).hex()
        expect('accepted [%s] firmware changed "SecureBoot" sha1:%s '
               'sha256:%s' % (eid, new1, new) in res[1], res[1])
        res = s.verify()
        expect_rc(res, 0)
        expect('firmware 18 events, as in the baseline\n' in res[1], res[1])
        doc = s.doc()
        expect(doc['stages']['firmware'][3]['digests'] ==
               {'sha1': new1, 'sha256': new}, doc['stages']['firmware'])
        expect(doc['retired'] == [{
            'stage': 'firmware', 'pcr': 7,
            'type': 'EV_EFI_VARIABLE_DRIVER_CONFIG', 'name': 'SecureBoot',
            'digests': {'sha1': old1, 'sha256': old}}], doc['retired'])
        res = s.history()
        expect_rc(res, 0)
        lines = res[1].splitlines()
        expect(lines[1].endswith(' accept by root (uid 0, sudo from '
                                 'alice): Secure Boot on'), lines)
        expect(lines[2] == '  [%s] firmware PCR 7 EV_EFI_VARIABLE_DRIVER_'
               'CONFIG "SecureBoot" changed sha1:%s,sha256:%s -> sha1:%s,'
               'sha256:%s' % (eid, old1, old, new1, new), lines)
        res, js = run_json(['baseline', 'history', '--json',
                            '--baseline', s.baseline], 0)
        h = js['history'][1]
        expect(h['sudo_user'] == 'alice' and h['events'] == [eid] and
               h['differences'][0]['new']['sha256'] == new and
               h['replaced'][0]['pcr'] == 7 and
               js['exceptions'][0]['id'] == eid, js)
        # accepting it again: this boot has no such difference any more
        res = s.baseline_cmd('accept', '--event', eid, '--reason', 'x')
        expect_rc(res, 2)
        expect('no difference of this boot has this event ID' in res[2],
               res[2])
        # rolling back to the old value: a rollback, untrusted
        s.events[3] = ev.variable(7, 'SecureBoot', b'\0')
        s.write()
        res, rep = s.verify_json()
        expect_rc(res, 1)
        d = diffs_of(rep)
        expect([(x['kind'], x['name'], x['current']['sha256']) for x in d]
               == [('rollback', 'SecureBoot', old)], d)


@test
def boot_aggregate_follows_the_pcrs():
    # the firmware changed: the kernel stage says so, IMA's boot_aggregate
    # (a digest of PCRs 0-9) is no second difference
    with tree() as root:
        s = System(root)
        s.real_aggregate = True
        s.write().init()
        expect('boot_aggregate' not in
               s.doc()['stages']['ima']['components'], s.doc())
        s.events[19] = ev.Event(9, ev.EV_EVENT_TAG, ev.u32(0x8f3b22ed) +
                                ev.u32(13) + b'Linux initrd\0',
                                hashed=b'other initrd')
        s.write()
        res, rep = s.verify_json()
        expect_rc(res, 1)
        expect([(d['stage'], d['pcr']) for d in diffs_of(rep)] ==
               [('kernel', 9)], rep['differences'])
        # an aggregate that is not of these PCRs is a component
        s.real_aggregate = False
        s.ima[0] = ima_ng(10, 'boot_aggregate', content=b'forged')
        s.write()
        res, rep = s.verify_json()
        expect(sorted((d['stage'], d['name']) for d in diffs_of(rep)) ==
               [('ima', 'boot_aggregate'),
                ('kernel', 'tag 0x8f3b22ed Linux initrd')], rep)


@test
def added_removed_and_kernel_changes():
    with tree() as root:
        s = System(root).write().init()
        s.events[18] = ev.image(4, '\\EFI\\BOOT\\BOOTX64.EFI', b'MZ new')
        s.events.insert(20, ev.efi_action(5, 'Extra action'))
        del s.events[13]        # the separator of PCR 2
        s.write()
        res, rep = s.verify_json()
        expect_rc(res, 1)
        got = sorted((d['stage'], d['kind'], d['pcr'], d['type'], d['name'])
                     for d in diffs_of(rep))
        expect(got == [
            ('firmware', 'added', 5, 'EV_EFI_ACTION', 'Extra action'),
            ('firmware', 'removed', 2, 'EV_SEPARATOR', 'separator'),
            ('kernel', 'changed', 4, 'EV_EFI_BOOT_SERVICES_APPLICATION',
             '\\EFI\\BOOT\\BOOTX64.EFI')], got)
        rm = [d for d in diffs_of(rep) if d['kind'] == 'removed'][0]
        expect(rm['current'] is None and rm['baseline']['sha256'] ==
               ev.H('sha256', b'\0\0\0\0').hex(), rm)
        res = s.verify()
        expect('"separator": removed sha256:%s -> (none)'
               % ev.H('sha256', b'\0\0\0\0').hex() in res[1], res[1])
        expect('"Extra action": added (none) -> sha256:' in res[1], res[1])
        # --all takes only the set that verify showed
        res = s.baseline_cmd('accept', '--all', '--set', '0' * 16,
                             '--reason', 'firmware update')
        expect_rc(res, 1)
        expect('the open differences of this boot are set %s, not %s'
               % (set_id(rep), '0' * 16) in res[2], res[2])
        res = accept_all(s, 'firmware update')
        expect_rc(res, 0)
        expect('3 differences accepted' in res[1], res[1])
        expect_rc(s.verify(), 0)
        # an accepted change does not cover the next one
        s.events[17] = ev.image(4, '\\EFI\\BOOT\\BOOTX64.EFI', b'MZ newer')
        s.write()
        res, rep = s.verify_json()
        expect_rc(res, 1)
        expect([d['kind'] for d in diffs_of(rep)] == ['changed'], rep)


@test
def order_matters_in_the_firmware_stage():
    with tree() as root:
        s = System(root).write().init()
        s.events[4], s.events[5] = s.events[5], s.events[4]    # PK, KEK
        s.write()
        res, rep = s.verify_json()
        expect_rc(res, 1)
        kinds = sorted(d['kind'] for d in diffs_of(rep))
        expect(kinds == ['added', 'removed'], rep['differences'])


@test
def runtime_components():
    with tree() as root:
        s = System(root).write().init()
        # a module absent this boot is fine
        s.modules = s.modules[:2] + [
            ('/usr/lib/modules/6.1.0/kernel/vtt_0042.ko', b'vtt'),
            ('/usr/lib/modules/6.1.0/kernel/fs/fat/vfat.ko', b'vfat 2')]
        s.ima.append(ima_ng(10, '/usr/bin/new', content=b'new'))
        s.write()
        res, rep = s.verify_json()
        expect_rc(res, 1)
        got = sorted((d['stage'], d['kind'], d['name']) for d in
                     diffs_of(rep))
        expect(got == [('ima', 'new', '/usr/bin/new'),
                       ('vtrust', 'changed',
                        '/usr/lib/modules/6.1.0/kernel/fs/fat/vfat.ko'),
                       ('vtrust', 'new',
                        '/usr/lib/modules/6.1.0/kernel/vtt_0042.ko')], got)
        ch = [d for d in diffs_of(rep) if d['kind'] == 'changed'][0]
        expect(ch['baseline'] == ['sha256:' + hashlib.sha256(b'vfat 1')
                                  .hexdigest()] and
               ch['current'] == 'sha256:' + hashlib.sha256(b'vfat 2')
               .hexdigest(), ch)
        res = s.verify()
        expect('vtrust PCR 11 "/usr/lib/modules/6.1.0/kernel/vtt_0042.ko": new '
               '(none) -> sha256:' in res[1], res[1])
        ids = [d['id'] for d in diffs_of(rep)]
        res = s.baseline_cmd('accept', '--event', ids[0], '--event', ids[1],
                             '--reason', 'two of three')
        expect_rc(res, 0)
        res, rep = s.verify_json()
        expect_rc(res, 1)
        expect([d['id'] for d in diffs_of(rep)] == ids[2:], rep)
        expect(len(diffs_of(rep, False)) == 1, rep)
        # vfat 1 and vfat 2 were both seen this boot: both stay
        vfat = '/usr/lib/modules/6.1.0/kernel/fs/fat/vfat.ko'
        h = lambda c: 'sha256:' + hashlib.sha256(c).hexdigest()  # noqa
        expect(s.doc()['stages']['vtrust']['components'][vfat] ==
               [h(b'vfat 1'), h(b'vfat 2')], s.doc()['stages']['vtrust'])


@test
def reference_file_for_vtrust():
    with tree() as root:
        s = System(root).write().init()
        s.modules = [('/usr/lib/modules/6.1.0/kernel/vtt_0042.ko', b'vtt'),
                     ('init_module:snd-hda', b'hda'),
                     ('/usr/lib/modules/6.1.0/kernel/other.ko', b'other')]
        s.write()
        ref = os.path.join(root, 'ref.txt')
        h = lambda c: hashlib.sha256(c).hexdigest()  # noqa: E731
        write(ref, '# vtrust baseline generate\n'
              'sha256:%s /lib/modules/6.1.0/kernel/vtt_0042.ko\n'
              '  sha256:%s\t/lib/modules/6.1.0/kernel/sound/snd_hda.ko  \n'
              'sha256:%s /lib/modules/6.1.0/kernel/other.ko\n'
              % (h(b'vtt'), h(b'hda').upper(), h(b'not other')), 'w')
        res, rep = s.verify_json('--reference', ref)
        expect_rc(res, 1)
        got = [(d['name'], d['referenced']) for d in rep['differences']]
        expect(sorted(got) == [
            ('/usr/lib/modules/6.1.0/kernel/other.ko', False),
            ('/usr/lib/modules/6.1.0/kernel/vtt_0042.ko', True),
            ('init_module:snd-hda', True)], got)
        with open(ref, 'a') as f:
            f.write('sha256:%s\n' % h(b'other'))    # any name
        res = s.verify('--reference', ref)
        expect_rc(res, 0)
        expect('vtrust   4 components, as in the baseline, 3 accepted '
               'differences (in the reference)' in res[1], res[1])
        for bad in ('sha256:abc /x\n', 'md5:%s /x\n' % ('0' * 32),
                    'sha256:%s\r\n' % h(b'x'), 'sha256:%sX /x\n' % h(b'x')):
            write(ref, '# ok\n' + bad, 'w')
            res = s.verify('--reference', ref)
            expect_rc(res, 2)
            expect('ref.txt: line 2: not "<algo>:<hex digest> <name>"' in
                   res[2], res[2])


# ---- refusals ----

@test
def lists_that_do_not_match_the_tpm():
    with tree() as root:
        s = System(root).write().init()
        s.tpm_extra = {'sha256': {7: b'\x07' * 32}}
        s.write()
        res = s.verify()
        expect_rc(res, 1)
        expect('sha256  PCR  7: MISMATCH' in res[1] and
               'result: untrusted (the measurement lists do not match the '
               'TPM' in res[1] and 'result: trusted' not in res[1], res[1])
        res, rep = s.verify_json()
        expect_rc(res, 1)
        expect(rep['result'] == 'untrusted' and rep['differences'] is None
               and rep['replay']['result'] == 'mismatch', rep)
        res = s.baseline_cmd('accept', '--all', '--set', '0' * 16,
                             '--reason', 'x')
        expect_rc(res, 1)
        expect('refusing to accept' in res[2], res[2])
        res = s.baseline_cmd('init', '--force')
        expect_rc(res, 1)
        expect('refusing to record a baseline' in res[2], res[2])


@test
def broken_baselines_are_refused():
    with tree() as root:
        s = System(root).write().init()
        good = s.doc()
        mutations = [
            ('format', lambda d: d.update(format='other'), 'format: not'),
            ('version', lambda d: d.update(version=3),
             'version: 3, a newer schema'),
            ('version1', lambda d: d.update(version=1),
             "version: 1, an older schema"),
            ('retired', lambda d: d.pop('retired'), 'no "retired"'),
            ('violations', lambda d: d['stages']['ima'].pop('violations'),
             'stages.ima: no "violations"'),
            ('violation2', lambda d: d['stages']['ima'].update(
                violations=['/a', '/a']), 'violations[1]: a name twice'),
            ('bidi', lambda d: d['stages']['kernel'][0].update(
                name='a\u202eb'), 'stages.kernel[0].name: a string with a '
             'control, C1 or bidi character'),
            ('ctlkey', lambda d: d['stages']['ima']['components'].update(
                {'a\x1b': ['sha1:00']}), 'with a control, C1 or bidi'),
            ('empty', lambda d: d['stages']['kernel'][0].update(name=''),
             'stages.kernel[0].name: a string of 0 bytes'),
            ('retired2', lambda d: d['retired'].append(
                {'stage': 'kernel', 'pcr': 7, 'type': 'x', 'name': 'y',
                 'digests': {'sha1': '00' * 20}}),
             'retired[0].pcr: PCR 7 is not of stage kernel'),
            ('record', lambda d: d['exceptions'].append(
                {'id': '0' * 16, 'stage': 'ima', 'kind': 'added', 'pcr': None,
                 'type': None, 'name': 'x', 'old': None, 'new': None}),
             'exceptions[0]: "kind" is not one of stage ima'),
            ('pcr14', lambda d: d['stages']['firmware'][0].update(pcr=14),
             'PCR 14 is not of stage firmware'),
            ('key', lambda d: d.update(extra=1), 'unknown key "extra"'),
            ('missing', lambda d: d.pop('history'), 'no "history"'),
            ('time', lambda d: d.update(created='yesterday'),
             'created: not a UTC time'),
            ('bank', lambda d: d['pcrs'].update(md5=[None] * 24),
             'pcrs: unknown bank "md5"'),
            ('pcrlen', lambda d: d['pcrs']['sha1'].pop(),
             'sha1 is not an array of 24'),
            ('hex', lambda d: d['pcrs']['sha1'].__setitem__(0, 'ab'),
             'pcrs.sha1[0]: not 40 lowercase hex digits'),
            ('stagepcr', lambda d: d['stages']['firmware'][0].update(pcr=4),
             'stages.firmware[0].pcr: PCR 4 is not of stage firmware'),
            ('double', lambda d: d['stages']['kernel'][0].update(pcr=4.0),
             'a number that is not an integer at byte'),
            ('digests', lambda d: d['stages']['kernel'][0].update(
                digests={}), 'stages.kernel[0].digests: no digests'),
            ('comp', lambda d: d['stages']['ima']['components'].update(
                x=[]), 'not an array of digests'),
            ('compdigest', lambda d: d['stages']['ima']['components'].update(
                x=['sha256']), 'not "<algo>:<hex>"'),
            ('exc', lambda d: d['exceptions'].append(
                {'id': 'x', 'stage': 'ima', 'kind': 'new', 'pcr': None,
                 'type': None, 'name': 'a', 'old': None, 'new': 'sha1:00'}),
             'exceptions[0].id: not an event ID'),
            ('excstage', lambda d: d['exceptions'].append({'stage': 'os'}),
             'exceptions[0]: no known "stage"'),
            ('uid', lambda d: d['history'][0].update(uid=-1),
             'history[0].uid: not 0-4294967295'),
            ('action', lambda d: d['history'][0].update(action='edit'),
             'history[0]: "action" is not init, init --force, accept or '
             'revoke'),
            ('null', lambda d: d.update(stages=None), 'stages: not an object'),
            ('nul', lambda d: d.update(host='a\0b'),
             'a NUL character in a string at byte'),
        ]
        for name, fn, msg in mutations:
            doc = json.loads(json.dumps(good))
            fn(doc)
            save(s.baseline, reseal(doc))
            res = s.verify()
            expect_rc(res, 2)
            expect(('vtrust: %s: broken baseline: ' % s.baseline) in res[2]
                   and msg in res[2], '%s: %s' % (name, res[2]))
        # a hand edit that keeps the schema: the checksum
        doc = json.loads(json.dumps(good))
        doc['stages']['ima']['components']['/usr/bin/evil'] = ['sha1:00']
        save(s.baseline, doc)
        res = s.verify()
        expect_rc(res, 2)
        expect('checksum: does not match the content: the file was changed '
               'outside vtrust' in res[2], res[2])
        text = json.dumps(reseal(good))
        for bad, msg in ((text[:-20], 'not JSON'), ('', 'not JSON'),
                         (text + '{}', 'not JSON'), ('[1]', 'not an object'),
                         (text.replace('{', '{"a":1,"a":2,', 1),
                          'key "a" twice')):
            write(s.baseline, bad, 'w')
            res = s.verify()
            expect_rc(res, 2)
            expect(msg in res[2], '%r: %s' % (bad[:40], res[2]))
        # whitespace after the document is fine
        write(s.baseline, text + '\n\n', 'w')
        expect_rc(s.verify(), 0)
        for args in (['accept', '--event', '0' * 16, '--reason', 'x'],
                     ['history'], ['revoke', '--digest', 'sha1:00',
                                   '--reason', 'x']):
            save(s.baseline, reseal(dict(good, version=3)))
            res = run(['baseline'] + args + s.args()[2:] if args[0] !=
                      'accept' else ['baseline'] + args + s.args())
            expect_rc(res, 2)


def check_index_format(path):
    """The index vtrust wrote for the baseline at path, read as
    BASELINE.md describes it (tests/mkcorpus.py has the sum and the name
    hash): its sum, the JSON file it names, and every component of the
    JSON's runtime stages at the slot its name hashes to."""
    import struct
    from mkcorpus import index_sum, name_hash
    data = open(path + '.idx', 'rb').read()
    text = open(path, 'rb').read()
    doc = json.loads(text)
    expect(data[:8] == b'VTBIDX1\n', data[:8])
    version, hsize, size, total, key = struct.unpack_from('<IIQQQ', data, 8)
    expect((version, hsize, size) == (1, 192, len(data)), (version, hsize))
    expect(total == index_sum(index_sum(key, data[32:]),
                              data[:24] + bytes(8)), 'sum')
    st = os.stat(path)
    ident = struct.unpack_from('<7Q', data, 40)
    expect(ident == (st.st_size, st.st_dev, st.st_ino, st.st_mtime_ns //
                     10**9, st.st_mtime_ns % 10**9, st.st_ctime_ns // 10**9,
                     st.st_ctime_ns % 10**9), ident)
    for i, stage in enumerate(('ima', 'vtrust')):
        start, end, table, pool, psize, nslots, n = struct.unpack_from(
            '<QQQQQII', data, 96 + 48 * i)
        comps = doc['stages'][stage]['components']
        # the JSON text of the components object is where it says
        expect(json.loads(text[start:end]) == comps, stage)
        expect(n == len(comps) and nslots >= 2 * n, (n, nslots))
        slots = struct.unpack_from('<%dI' % nslots, data, table)
        for k, (name, digests) in enumerate(comps.items()):
            h, at, nlen, dat, nd = struct.unpack_from(
                '<5I', data, table + 4 * nslots + 20 * k)
            nb = name.encode()
            expect(h == name_hash(key, nb) and nlen == len(nb) and
                   data[pool + at:pool + at + nlen + 1] == nb + b'\0', name)
            got = data[pool + dat:].split(b'\0')[:nd]
            expect([g.decode() for g in got] == digests, (name, got))
            j = h & (nslots - 1)
            while slots[j] != k + 1:
                expect(slots[j] != 0, 'not in its probe run: ' + name)
                j = (j + 1) & (nslots - 1)


@test
def index_is_a_cache():
    """The index (BASELINE.md, "The index") is written with the baseline and
    used only for the file it was made from: a changed, foreign, damaged or
    missing index leaves verify's verdict as the JSON alone gives it (the
    harness runs every verify with and without the index besides)."""
    with tree() as root:
        s = System(root).write().init()
        idx = s.baseline + '.idx'
        expect(os.path.exists(idx) and os.stat(idx).st_mode & 0o777 == 0o600,
               'no index, or not 0600')
        check_index_format(s.baseline)
        s.modules.append(('/usr/lib/modules/6.1.0/kernel/x.ko', b'x'))
        s.write()
        res = s.verify()
        expect_rc(res, 1)
        expect(res[2] == '', res[2])
        want = res[1]
        # the JSON changed after the index (the same bytes, a new mtime)
        os.utime(s.baseline, (1, 1))
        res = s.verify()
        expect(res[0] == 1 and res[1] == want and res[2] == '', res)
        # an index made for another baseline is not this one's
        with tree() as root2:
            t = System(root2).write().init()
            shutil.copy(t.baseline + '.idx', idx)
        res = s.verify()
        expect(res[0] == 1 and res[1] == want and res[2] == '', res)
        # accept writes a new index; it is used, and agrees
        res, rep = s.verify_json()
        expect_rc(s.baseline_cmd('accept', '--all', '--set', set_id(rep),
                                 '--reason', 'x.ko'), 0)
        expect(os.path.getmtime(idx) >= os.path.getmtime(s.baseline), 'old')
        expect_rc(s.verify(), 0)
        good = open(idx, 'rb').read()
        for what, data in (('damaged', good[:1000] + bytes([good[1000] ^ 1]) +
                            good[1001:]),
                           ('damaged', good[:-8]),
                           ('not a vtrust baseline index', b'x' * 300),
                           ('no index', b'VTBIDX1\n')):
            write(idx, data)
            res = s.verify()
            expect_rc(res, 0)
            expect('.idx: not used: ' in res[2] and what in res[2],
                   (what, res[2]))
        os.unlink(idx)
        res = s.verify()
        expect(res[0] == 0 and res[2] == '', res)


@test
def failed_write_keeps_the_old_file():
    with tree() as root:
        s = System(root).write().init()
        before = open(s.baseline, 'rb').read()
        s.modules.append(('/x.ko', b'x'))
        s.write()

        def small_files():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

        import subprocess
        res, rep = s.verify_json()
        p = subprocess.run([run.__globals__['VT'], 'baseline', 'accept',
                            '--all', '--set', set_id(rep), '--reason',
                            'r' * 4000] + s.args(),
                           capture_output=True, preexec_fn=small_files)
        expect(p.returncode == 3, (p.returncode, p.stderr))
        expect(b'cannot write the baseline: File too large' in p.stderr,
               p.stderr)
        expect(open(s.baseline, 'rb').read() == before, 'changed')
        left = [f for f in glob.glob(s.baseline + '.*')
                if f != s.baseline + '.idx']
        expect(not left, left)
        # the directory cannot hold the temporary file
        res = run(['baseline', 'init', '--sysfs-root', root, '--baseline',
                   '/proc/version/baseline.json'])
        expect_rc(res, 3)


@test
def usage_errors():
    with tree() as root:
        s = System(root).write().init()
        for args, msg in (
                (['accept', '--all'], '--all needs --set ID, the set of '
                 "differences that 'vtrust verify' printed"),
                (['accept', '--all', '--set', '0' * 16], 'needs --reason TEXT'),
                (['accept', '--set', '0' * 16, '--event', '1' * 16,
                  '--reason', 'x'], '--set goes with --all'),
                (['accept', '--all', '--set', 'x', '--reason', 'x'],
                 "'x' is not a set ID"),
                (['accept', '--event', '0' * 16, '--reason', 'r' * 4097],
                 '--reason is longer than 4096 bytes'),
                (['init', '--reason', 'r' * 4097],
                 '--reason is longer than 4096 bytes'),
                (['accept', '--reason', 'x'],
                 'accept needs --all --set ID or --event ID'),
                (['revoke', '--reason', 'x'],
                 'revoke needs one --event ID or one --digest'),
                (['revoke', '--digest', 'sha1:00'], 'needs --reason'),
                (['revoke', '--event', '0' * 16, '--reason', 'x'],
                 'no accepted difference in effect has this ID'),
                (['revoke', '--digest', 'sha1:00', '--reason', 'x'],
                 'no component of the baseline has this digest'),
                (['accept', '--all', '--event', '0' * 16, '--reason', 'x'],
                 'exclude each other'),
                (['accept', '--event', 'xyz', '--reason', 'x'],
                 "'xyz' is not an event ID"),
                (['accept', '--event', '0' * 16, '--reason', 'x'],
                 'no difference of this boot has this event ID'),
                (['history', '--force'], "'history' does not take --force"),
                (['init', '--keep-old'], "'init' does not take --keep-old"),
                (['frob'], "unknown subcommand 'frob'"),
                ([], 'no subcommand'),
                (['init', 'extra'], "unexpected argument 'extra'")):
            res = run(['baseline'] + args + (s.args() if args and
                                             args[0] not in ('history',
                                                             'revoke') else
                                             s.args()[2:] if args and
                                             args[0] == 'revoke' else []))
            expect_rc(res, 2)
            expect(msg in res[2], '%s: %s' % (args, res[2]))
        # the empty set: SHA-256 of nothing
        res = s.baseline_cmd('accept', '--all', '--set',
                             hashlib.sha256(b'').hexdigest()[:16],
                             '--reason', 'nothing')
        expect_rc(res, 0)
        expect('nothing to accept' in res[1], res[1])
        for args in (['verify', '--help'], ['baseline', '--help'],
                     ['help', 'verify']):
            res = run(args)
            expect_rc(res, 0)
            expect(res[1].startswith('Usage: vtrust'), res[1])
        for sub in ('init', 'accept', 'revoke', 'history', 'generate'):
            res = run(['baseline', sub, '--help'])
            expect_rc(res, 0)
            expect(res[1].startswith('Usage: vtrust baseline ' + sub), res[1])


@test
def man_page_covers_every_command():
    man = open(os.path.join(HERE, '..', 'vtrust.8')).read()
    res = run(['--help'])
    cmds = [line.split()[0] for line in
            res[1].split('Commands:\n')[1].split('\n\n')[0].splitlines()]
    expect(len(cmds) >= 5, cmds)
    for c in cmds:
        expect(('.SS %s' % c) in man, 'vtrust.8 has no section for ' + c)
    for sub in ('init', 'accept', 'revoke', 'history', 'generate'):
        expect('.SS baseline %s' % sub in man, sub)
    for word in ('.SH EXIT STATUS', '.SH FILES', '/var/lib/vtrust/baseline.json',
                 'MODULE_INIT_COMPRESSED_FILE'):
        expect(word in man, word)


# ---- accept replaces, revoke, rollbacks ----

VFAT = '/usr/lib/modules/6.1.0/kernel/fs/fat/vfat.ko'


def sha(c):
    return 'sha256:' + hashlib.sha256(c).hexdigest()


@test
def accepted_change_retires_the_old_value():
    for keep_old in (False, True):
        with tree() as root:
            s = System(root).write().init()
            s.modules[1] = (VFAT, b'vfat 2')
            s.write()
            res, rep = s.verify_json()
            d = diffs_of(rep)
            expect([(x['kind'], x['current']) for x in d] ==
                   [('changed', sha(b'vfat 2'))], d)
            extra = ['--keep-old'] if keep_old else []
            res = s.baseline_cmd('accept', '--event', d[0]['id'],
                                 '--reason', 'vfat fix', *extra)
            expect_rc(res, 0)
            expect('accepted [%s] vtrust changed "%s" %s'
                   % (d[0]['id'], VFAT, sha(b'vfat 2')) in res[1], res[1])
            doc = s.doc()
            comps = doc['stages']['vtrust']['components']
            expect(comps[VFAT] == ([sha(b'vfat 1')] if keep_old else []) +
                   [sha(b'vfat 2')], comps)
            expect(doc['retired'] == ([] if keep_old else [
                {'stage': 'vtrust', 'name': VFAT, 'digest': sha(b'vfat 1')}]),
                doc['retired'])
            expect_rc(s.verify(), 0)
            # the old module again
            s.modules[1] = (VFAT, b'vfat 1')
            s.write()
            res, rep = s.verify_json()
            if keep_old:
                expect_rc(res, 0)
                continue
            expect_rc(res, 1)
            d = diffs_of(rep)
            expect([(x['kind'], x['name'], x['current']) for x in d] ==
                   [('rollback', VFAT, sha(b'vfat 1'))], d)
            res = s.verify()
            expect('"%s": rollback %s -> %s (a value the baseline retired)'
                   % (VFAT, sha(b'vfat 2'), sha(b'vfat 1')) in res[1], res[1])


@test
def accepted_events_are_bound_to_position_and_count():
    with tree() as root:
        s = System(root).write().init()
        tool = ev.image(4, '\\EFI\\tool.efi', b'MZ tool')
        s.events.insert(19, tool)
        s.write()
        res = accept_all(s, 'a tool')
        expect_rc(res, 0)
        expect_rc(s.verify(), 0)
        kern = [e['name'] for e in s.doc()['stages']['kernel']]
        expect(kern == ['Calling EFI Application from Boot Option',
                        'separator', '\\EFI\\BOOT\\BOOTX64.EFI',
                        '\\EFI\\tool.efi', 'tag 0x8f3b22ed Linux initrd'],
               kern)
        # the tool three times, and once more under the boot loader's name
        s.events[19:20] = [tool, tool, tool]
        s.events.insert(22, ev.image(4, '\\EFI\\BOOT\\BOOTX64.EFI',
                                     b'MZ tool'))
        s.write()
        res, rep = s.verify_json()
        expect_rc(res, 1)
        got = [(d['kind'], d['name'], d['current']['sha256'])
               for d in diffs_of(rep)]
        t = ev.H('sha256', b'MZ tool').hex()
        expect(got == [('added', '\\EFI\\tool.efi', t)] * 2 +
               [('added', '\\EFI\\BOOT\\BOOTX64.EFI', t)], got)
        # a PCR's differences are accepted together
        res = s.baseline_cmd('accept', '--event', diffs_of(rep)[0]['id'],
                             '--reason', 'one of three')
        expect_rc(res, 2)
        expect('replaces the baseline\'s events of PCR 4 by this boot\'s: '
               'accept this difference of PCR 4 too' in res[2], res[2])


@test
def retired_events_belong_to_their_pcr():
    # separators have the same digest in every PCR
    with tree() as root:
        s = System(root).write().init()
        sep2 = s.events.pop(13)
        s.write()
        expect_rc(accept_all(s, 'no PCR 2 separator'), 0)
        sep = ev.H('sha256', b'\0\0\0\0').hex()
        expect([(r['pcr'], r['digests']['sha256']) for r in s.doc()['retired']]
               == [(2, sep)], s.doc()['retired'])
        s.events.insert(18, ev.separator(5))
        s.write()
        expect_rc(accept_all(s, 'a second PCR 5 separator'), 0)
        expect([r['pcr'] for r in s.doc()['retired']] == [2],
               s.doc()['retired'])
        s.events.insert(13, sep2)
        s.write()
        res, rep = s.verify_json()
        expect_rc(res, 1)
        expect([(d['kind'], d['pcr']) for d in diffs_of(rep)] ==
               [('rollback', 2)], rep['differences'])


@test
def firmware_pcrs_10_to_23_are_in_the_kernel_stage():
    with tree() as root:
        s = System(root)
        s.events.insert(19, ev.Event(14, ev.EV_IPL, b'MokList\0',
                                     hashed=b'mok keys 1'))
        s.write().init()
        k = [(e['pcr'], e['name']) for e in s.doc()['stages']['kernel']]
        expect((14, 'MokList') in k, k)
        s.events[19] = ev.Event(14, ev.EV_IPL, b'MokList\0',
                                hashed=b'mok keys 2')
        s.write()
        res, rep = s.verify_json()
        expect_rc(res, 1)
        got = [(d['stage'], d['kind'], d['pcr'], d['name'],
                d['current']['sha256']) for d in diffs_of(rep)]
        expect(got == [('kernel', 'changed', 14, 'MokList',
                        ev.H('sha256', b'mok keys 2').hex())], got)


@test
def revoke_a_digest_and_an_accept():
    with tree() as root:
        s = System(root).write().init()
        res = run(['baseline', 'revoke', '--digest', sha(b'vfat 1'),
                   '--reason', 'CVE', '--baseline', s.baseline])
        expect_rc(res, 0)
        doc = s.doc()
        expect(VFAT not in doc['stages']['vtrust']['components'] and
               doc['retired'] == [{'stage': 'vtrust', 'name': VFAT,
                                   'digest': sha(b'vfat 1')}], doc)
        expect(doc['history'][-1]['action'] == 'revoke' and
               doc['history'][-1]['digest'] == sha(b'vfat 1'), doc)
        res, rep = s.verify_json()
        expect_rc(res, 1)
        expect([(d['kind'], d['name']) for d in diffs_of(rep)] ==
               [('rollback', VFAT)], rep)
        # a firmware accept, revoked: the old events come back
        s = System(root).write()
        s.init = None
        expect_rc(s.baseline_cmd('init', '--force'), 0)
        old = ev.H('sha256', s.events[3].data).hex()
        s.events[3] = ev.variable(7, 'SecureBoot', b'\x01')
        s.write()
        res, rep = s.verify_json()
        eid = diffs_of(rep)[0]['id']
        expect_rc(s.baseline_cmd('accept', '--event', eid, '--reason',
                                 'on'), 0)
        expect_rc(s.verify(), 0)
        res = run(['baseline', 'revoke', '--event', eid, '--reason', 'off',
                   '--baseline', s.baseline])
        expect_rc(res, 0)
        doc = s.doc()
        expect(doc['stages']['firmware'][3]['digests']['sha256'] == old and
               doc['exceptions'] == [], doc['stages']['firmware'][3])
        res, rep = s.verify_json()
        expect_rc(res, 1)
        expect([d['kind'] for d in diffs_of(rep)] == ['rollback'], rep)
        # revoking it twice: no longer in effect
        res = run(['baseline', 'revoke', '--event', eid, '--reason', 'off',
                   '--baseline', s.baseline])
        expect_rc(res, 2)
        expect('no accepted difference in effect' in res[2], res[2])


@test
def revoke_refuses_a_pcr_replaced_again():
    with tree() as root:
        s = System(root).write().init()
        ids = []
        for v in (b'\x01', b'\x02'):
            s.events[3] = ev.variable(7, 'SecureBoot', v)
            s.write()
            res, rep = s.verify_json()
            ids.append(diffs_of(rep)[0]['id'])
            expect_rc(s.baseline_cmd('accept', '--event', ids[-1],
                                     '--reason', 'step'), 0)
        res = run(['baseline', 'revoke', '--event', ids[0], '--reason', 'x',
                   '--baseline', s.baseline])
        expect_rc(res, 2)
        expect("PCR 7's events were replaced again since" in res[2], res[2])
        expect_rc(run(['baseline', 'revoke', '--event', ids[1], '--reason',
                       'x', '--baseline', s.baseline]), 0)
        expect_rc(run(['baseline', 'revoke', '--event', ids[0], '--reason',
                       'x', '--baseline', s.baseline]), 0)
        s.events[3] = ev.variable(7, 'SecureBoot', b'\0')
        s.write()
        expect_rc(s.verify(), 0)


@test
def a_missing_stage_is_untrusted():
    for src in ('vtrust', 'ima'):
        with tree() as root:
            s = System(root).write().init()
            s.absent = {src}
            s.write()
            res, rep = s.verify_json()
            expect_rc(res, 1)
            d = diffs_of(rep)
            expect([(x['stage'], x['kind'], x['name']) for x in d] ==
                   [(src, 'missing', src)], d)
            res = s.verify()
            expect('%s PCR %d: missing: the baseline has this stage, this '
                   'boot has no %s list' % (src, 10 if src == 'ima' else 11,
                                            src) in res[1], res[1])
            res = s.baseline_cmd('accept', '--event', d[0]['id'],
                                 '--reason', 'no more ' + src)
            expect_rc(res, 0)
            expect(s.doc()['stages'][src] is None, s.doc()['stages'])
            expect_rc(s.verify(), 0)
            # revoked: the stage is back, and missing again
            expect_rc(run(['baseline', 'revoke', '--event', d[0]['id'],
                           '--reason', 'back', '--baseline', s.baseline]), 0)
            expect(s.doc()['stages'][src] is not None, s.doc()['stages'])
            expect_rc(s.verify(), 1)


# ---- names ----

UNSAFE = ((0, 0x1f), (0x7f, 0x9f), (0x61c, 0x61c), (0x200b, 0x200f),
          (0x2028, 0x202e), (0x2060, 0x206f), (0xfeff, 0xfeff),
          (0xfff9, 0xfffb))


def escape(b, limit=4096):
    """The storage escape of names.h, written again from its rules."""
    if not b:
        return '(empty)'
    pieces, i = [], 0
    while i < len(b):
        for k in (1, 2, 3, 4):
            try:
                c = b[i:i + k].decode('utf-8')
            except UnicodeDecodeError:
                continue
            if len(c) == 1:
                break
        else:
            c, k = None, 1
        raw = b[i:i + k]
        if raw == b'\\':
            pieces.append('\\\\')
        elif c is None or (i == 0 and raw == b'(') or \
                any(lo <= ord(c) <= hi for lo, hi in UNSAFE):
            pieces.append(''.join('\\x%02x' % x for x in raw))
        else:
            pieces.append(c)
        i += k
    out = ''.join(pieces)
    if len(out.encode()) <= limit:
        return out
    kept = ''
    for p in pieces:
        if len((kept + p).encode()) > limit - 27:
            break
        kept += p
    return kept + '\\...sha256:' + hashlib.sha256(b).hexdigest()[:16]


def raw_entry(name, content):
    return Entry(10, 'ima-ng', field(dng('sha256', hashlib.sha256(content)
                                         .digest())) + field(name + b'\0'))


ODD_NAMES = [b'', b'(empty)', b'\\x0a', b'\n', b'caf\xe9', b'caf\xc3\xa9',
             '\u202eexe.txt'.encode(), b'\xc2\x85', b'a\\b', b'a' * 5000,
             b'a' * 4090 + '\u20ac'.encode() * 3,
             b'b' * 4094 + b'\x01\x02', b'b' * 4094 + b'\x01\x03']


@test
def odd_names_round_trip():
    with tree() as root:
        s = System(root)
        s.ima += [raw_entry(n, b'odd %d' % i) for i, n in enumerate(ODD_NAMES)]
        s.write()
        # 1913 bytes, longer than 4096 escaped: cut
        reason = b'caf\xe9 \x1b[2J \\ ' + b'\x01' * 1000 + \
            '\u20ac'.encode() * 300
        res = run(['baseline', 'init', '--reason', reason] + s.args(),
                  env={'SUDO_USER': '\u202eeve\udce9'})
        expect_rc(res, 0)
        doc = s.doc()
        comps = doc['stages']['ima']['components']
        for i, n in enumerate(ODD_NAMES):
            expect(comps.get(escape(n)) == [sha(b'odd %d' % i)],
                   (n[:40], escape(n)[-40:]))
        # and boot_aggregate, /usr/bin/bash
        expect(len(comps) == len(ODD_NAMES) + 2, len(comps))
        h = doc['history'][0]
        expect(h['reason'] == escape(reason) and
               h['sudo_user'] == escape('\u202eeve'.encode() + b'\xe9', 256),
               h)
        expect_rc(s.verify(), 0)
        # a new odd name reaches the terminal escaped
        s.ima.append(raw_entry(b'/tmp/\x1b]0;owned\x07\x1b[2J\nline2\xe2\x80'
                               b'\xae', b'x'))
        s.write()
        res = s.verify()
        expect_rc(res, 1)
        expect('\x1b' not in res[1] and '\u202e' not in res[1], res[1])
        expect('"/tmp/\\x1b]0;owned\\x07\\x1b[2J\\x0aline2\\xe2\\x80\\xae": new'
               in res[1], res[1])
        res = s.history()
        expect('\x1b' not in res[1] and '\u202e' not in res[1] and
               'sudo from \\xe2\\x80\\xaeeve\\xe9' in res[1], res[1])


# ---- --json ----

@test
def json_results_and_errors():
    with tree() as root:
        s = System(root).write()
        res, js = run_json(['baseline', 'init', '--json'] + s.args(), 0)
        expect(js == {'result': 'created', 'exit': 0,
                      'baseline': s.baseline}, js)
        res, js = run_json(['baseline', 'init', '--json'] + s.args(), 2)
        expect(js['exit'] == 2 and js['error'].startswith(
            'a baseline exists'), js)
        res, js = run_json(['baseline', 'init', '--json', '--force'] +
                           s.args(), 0)
        expect(js['result'] == 'replaced', js)
        s.modules[1] = (VFAT, b'vfat 2')
        s.write()
        res, rep = s.verify_json()
        res, js = run_json(['baseline', 'accept', '--json', '--all', '--set',
                            '0' * 16, '--reason', 'x'] + s.args(), 1)
        expect(js['exit'] == 1 and 'not 0000000000000000' in js['error'], js)
        res, js = run_json(['baseline', 'accept', '--json', '--all', '--set',
                            set_id(rep), '--reason', 'x'] + s.args(), 0)
        expect(js['result'] == 'accepted' and
               [(a['kind'], a['name'], a['old'], a['new'])
                for a in js['accepted']] ==
               [('changed', VFAT, [sha(b'vfat 1')], sha(b'vfat 2'))], js)
        res, js = run_json(['baseline', 'history', '--json', '--baseline',
                            s.baseline], 0)
        expect([h['action'] for h in js['history']] ==
               ['init', 'init --force', 'accept'] and
               js['retired'][0]['digest'] == sha(b'vfat 1'), js)
        res, js = run_json(['baseline', 'revoke', '--json', '--digest',
                            sha(b'vfat 2'), '--reason', 'x', '--baseline',
                            s.baseline], 0)
        expect(js['result'] == 'revoked' and js['digest'] == sha(b'vfat 2'),
               js)
        res, js = run_json(['baseline', 'accept', '--json', '--event',
                            'zz', '--reason', 'x'] + s.args(), 2)
        expect(js == {'error': "'zz' is not an event ID (16 hex digits)",
                      'exit': 2}, js)
        res, js = run_json(['baseline', 'history', '--json', '--baseline',
                            os.path.join(root, 'none.json')], 2)
        expect(js['exit'] == 2 and 'error' in js, js)
        res, js = run_json(['baseline', 'generate', '--json',
                            '--kernel-release', '6.1.0-56-amd64'], 2)
        expect('needs --output' in js['error'], js)


# ---- status ----

@test
def status_report():
    with tree() as root:
        s = System(root).write()
        res = run(['status', '--sysfs-root', root, '--baseline', s.baseline])
        expect_rc(res, 0)
        lines = res[1].splitlines()
        for want in ('module: not loaded', 'module_status: absent',
                     'tpm: present', 'banks: sha1 sha256',
                     'vtrust_entries: unknown', 'uefi_log: crypto-agile',
                     'uefi_events: 23', 'baseline_state: absent'):
            expect(want in lines, '%s\n%s' % (want, res[1]))
        os.makedirs(os.path.join(root, 'sys/module/vtrust'))
        sfs = securityfs(root, 'vtrust')
        write(os.path.join(sfs, 'status'), 'tpm: present\nmode: measure\n'
              'pcr: 11\nhash: sha256\nbanks: sha1 sha256\n', 'w')
        write(os.path.join(sfs, 'runtime_measurements_count'), '4\n', 'w')
        write(os.path.join(securityfs(root, 'ima'),
                           'runtime_measurements_count'), '2\n', 'w')
        s.init()
        res, js = run_json(['status', '--json', '--sysfs-root', root,
                            '--baseline', s.baseline], 0)
        expect(js['module'] == 'loaded' and js['module_status']['pcr'] == '11'
               and js['vtrust_pcr'] == '11' and js['vtrust_entries'] == 4 and
               js['ima_entries'] == 2 and js['baseline_state'] == 'ok' and
               0 <= js['baseline_age_seconds'] < 600 and
               js['baseline_exceptions'] == 0, js)
        res = run(['status', '--sysfs-root', root, '--baseline', s.baseline])
        expect('module.mode: measure' in res[1].splitlines() and
               'baseline_age: 0d 0h ' in res[1], res[1])
        write(s.baseline, '{', 'w')
        res, js = run_json(['status', '--json', '--sysfs-root', root,
                            '--baseline', s.baseline], 0)
        expect(js['baseline_state'] == 'broken' and
               js['baseline_error'].startswith('not JSON'), js)
        expect_rc(run(['status', 'x']), 2)


# ---- real logs ----

@test
def real_captures_init_and_verify():
    caps = [os.path.join(DATA, 'ovmf-4bank'),
            os.path.join(DATA, 'seabios-4bank')]
    for cap in caps:
        with tree() as root:
            sfs = os.path.join(root, 'sys/kernel/security')
            write(os.path.join(sfs, 'tpm0', 'binary_bios_measurements'),
                  open(os.path.join(cap, 'eventlog.bin'), 'rb').read())
            write(os.path.join(sfs, 'ima', 'binary_runtime_measurements'),
                  open(os.path.join(cap, 'ima.bin'), 'rb').read())
            shutil.copytree(os.path.join(cap, 'vtrust'),
                            os.path.join(sfs, 'vtrust'))
            pcrs = os.path.join(cap, 'pcrs.txt')
            bl = os.path.join(root, 'bl.json')
            base = ['--sysfs-root', root, '--pcrs', pcrs, '--baseline', bl]
            expect_rc(run(['baseline', 'init'] + base), 0)
            res = run(['verify'] + base)
            expect_rc(res, 0)
            doc = json.load(open(bl))
            names = [e['name'] for e in doc['stages']['kernel']]
            if 'ovmf' in cap:
                expect(names == [
                    'VenMedia(1428f772-b64a-441e-b8c3-9ebdd7f893c7)/kernel',
                    'Calling EFI Application from Boot Option', 'separator',
                    'tag 0x8f3b22ed LOADED_IMAGE::LoadOptions',
                    'tag 0x8f3b22ec Linux initrd'], names)
            else:
                expect(names == ['Calling INT 19h', 'separator 0xffffffff'],
                       names)
            expect(sorted(n for n in doc['stages']['vtrust']['components']
                          if n.startswith('/')) == [
                '/vtrust/tests/modules/gen/vtt_0000.ko',
                '/vtrust/tests/modules/gen/vtt_0001.ko',
                '/vtrust/tests/modules/gen/vtt_0002.ko'],
                doc['stages']['vtrust'])


if __name__ == '__main__':
    sys.exit(main(sys.argv))
