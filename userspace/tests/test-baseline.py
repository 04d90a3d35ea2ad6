#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
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
from harness import (Fail, expect, expect_rc, main, run, run_json,  # noqa
                     test, tree)
from imalist import ima_ng, securityfs, write  # noqa: E402
from machine import System, diffs_of, reseal  # noqa: E402

DATA = os.path.join(HERE, 'data')
SHARED = os.path.join(HERE, '..', '..', 'tests', 'data', 'eventlogs')


def save(path, doc):
    with open(path, 'w') as f:
        json.dump(doc, f, indent=2)


# ---- init and verify ----

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
        expect(doc['format'] == 'vtrust-baseline' and doc['version'] == 1,
               doc)
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
        expect(sorted(vt) == sorted(n for n, _ in s.modules), vt)
        h = doc['history']
        expect(len(h) == 1 and h[0]['action'] == 'init' and
               h[0]['uid'] == os.getuid() and h[0]['reason'] == 'first boot',
               h)
        res = s.verify()
        expect_rc(res, 0)
        expect('result: trusted' in res[1], res[1])
        expect('firmware 18 events, as in the baseline' in res[1], res[1])
        expect('vtrust   3 components, as in the baseline' in res[1], res[1])
        res, rep = s.verify_json()
        expect_rc(res, 0)
        expect(rep['result'] == 'trusted' and rep['differences'] == [] and
               rep['replay']['result'] == 'match', rep)
        expect(rep['stages']['kernel'] == {'absent': False, 'items': 4,
                                           'differences': 0,
                                           'accepted': 0}, rep['stages'])


@test
def verify_init_first_boot_and_missing_baseline():
    with tree() as root:
        s = System(root).write()
        res = s.verify()
        expect_rc(res, 2)
        expect('no baseline (create one with' in res[2], res[2])
        res = s.verify('--init')
        expect_rc(res, 0)
        expect('first boot: the baseline was created' in res[1], res[1])
        expect(s.doc()['history'][0]['reason'] == 'verify --init: first boot',
               s.doc())
        # an existing baseline: --init just verifies
        before = open(s.baseline).read()
        expect_rc(s.verify('--init'), 0)
        expect(open(s.baseline).read() == before, 'rewritten')
        res = s.baseline_cmd('init')
        expect_rc(res, 2)
        expect('a baseline exists (--force replaces it)' in res[2], res[2])
        expect_rc(s.baseline_cmd('init', '--force'), 0)


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
        expect('accepted [%s] firmware "SecureBoot"' % eid in res[1], res[1])
        res = s.verify()
        expect_rc(res, 0)
        expect('firmware 18 events, as in the baseline (1 accepted)' in
               res[1], res[1])
        res = s.baseline_cmd('history')
        expect_rc(res, 0)
        lines = res[1].splitlines()
        expect(lines[1].endswith(' accept by root (uid 0, sudo from '
                                 'alice): Secure Boot on'), lines)
        expect(lines[2] == '  [%s] firmware PCR 7 EV_EFI_VARIABLE_DRIVER_'
               'CONFIG "SecureBoot" changed' % eid, lines)
        res, js = run_json(['baseline', 'history', '--json',
                            '--baseline', s.baseline], 0)
        expect(js['history'][1]['sudo_user'] == 'alice' and
               js['history'][1]['events'] == [eid] and
               js['exceptions'][0]['id'] == eid, js)
        # accepting it again: nothing open with that ID
        res = s.baseline_cmd('accept', '--event', eid, '--reason', 'x')
        expect_rc(res, 2)
        expect('already trusted' in res[2], res[2])


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
        res = s.baseline_cmd('accept', '--all', '--reason', 'firmware update')
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
        # a module absent this boot is fine; a reload with a new prior= too
        s.modules = s.modules[:2] + [
            ('/usr/lib/modules/6.1.0/kernel/vtt_0042.ko', b'vtt'),
            ('/usr/lib/modules/6.1.0/kernel/fs/fat/vfat.ko', b'vfat 2')]
        s.prior = {'sha1': b'\x05' * 20, 'sha256': b'\x05' * 32}
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
        expect(len(diffs_of(rep, False)) == 3, rep)


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
        expect('vtrust   3 components, as in the baseline (3 accepted)' in
               res[1], res[1])
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
               'untrusted: the measurement lists do not match the TPM' in
               res[1] and 'result: trusted' not in res[1], res[1])
        res, rep = s.verify_json()
        expect_rc(res, 1)
        expect(rep['result'] == 'untrusted' and rep['differences'] is None
               and rep['replay']['result'] == 'mismatch', rep)
        res = s.baseline_cmd('accept', '--all', '--reason', 'x')
        expect_rc(res, 1)
        expect('refusing to accept' in res[1], res[1])
        res = s.baseline_cmd('init', '--force')
        expect_rc(res, 1)
        expect('refusing to record a baseline' in res[1], res[1])


@test
def broken_baselines_are_refused():
    with tree() as root:
        s = System(root).write().init()
        good = s.doc()
        mutations = [
            ('format', lambda d: d.update(format='other'), 'format: not'),
            ('version', lambda d: d.update(version=2), 'version: not 1-1'),
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
             'stages.kernel[0].pcr: not an integer'),
            ('digests', lambda d: d['stages']['kernel'][0].update(
                digests={}), 'stages.kernel[0].digests: no digests'),
            ('comp', lambda d: d['stages']['ima']['components'].update(
                x=[]), 'not an array of digests'),
            ('compdigest', lambda d: d['stages']['ima']['components'].update(
                x=['sha256']), 'not "<algo>:<hex>"'),
            ('exc', lambda d: d['exceptions'].append(
                {'id': 'x', 'stage': 'ima', 'kind': 'new', 'name': 'a',
                 'digest': 'sha1:00'}), 'exceptions[0].id: not an event ID'),
            ('excstage', lambda d: d['exceptions'].append({'stage': 'os'}),
             'exceptions[0]: no known "stage"'),
            ('uid', lambda d: d['history'][0].update(uid=-1),
             'history[0].uid: not 0-4294967295'),
            ('action', lambda d: d['history'][0].update(action='edit'),
             'history[0]: "action" is not init or accept'),
            ('null', lambda d: d.update(stages=None), 'stages: not an object'),
            ('nul', lambda d: d.update(host='a\0b'), 'a string with a NUL'),
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
                          'unknown key')):
            write(s.baseline, bad, 'w')
            res = s.verify()
            expect_rc(res, 2)
            expect(msg in res[2], '%r: %s' % (bad[:40], res[2]))
        # whitespace after the document is fine
        write(s.baseline, text + '\n\n', 'w')
        expect_rc(s.verify(), 0)
        for args in (['accept', '--all', '--reason', 'x'], ['history']):
            save(s.baseline, dict(good, version=3))
            res = run(['baseline'] + args + s.args()[2:] if args[0] ==
                      'history' else ['baseline'] + args + s.args())
            expect_rc(res, 2)


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
        p = subprocess.run([run.__globals__['VT'], 'baseline', 'accept',
                            '--all', '--reason', 'r' * 4000] + s.args(),
                           capture_output=True, preexec_fn=small_files)
        expect(p.returncode == 3, (p.returncode, p.stderr))
        expect(b'cannot write the baseline: File too large' in p.stderr,
               p.stderr)
        expect(open(s.baseline, 'rb').read() == before, 'changed')
        left = glob.glob(s.baseline + '.*')
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
                (['accept', '--all'], 'accept needs --reason TEXT'),
                (['accept', '--reason', 'x'], 'accept needs --all or --event'),
                (['accept', '--all', '--event', '0' * 16, '--reason', 'x'],
                 'exclude each other'),
                (['accept', '--event', 'xyz', '--reason', 'x'],
                 "'xyz' is not an event ID"),
                (['accept', '--event', '0' * 16, '--reason', 'x'],
                 'no difference of this boot has this event ID'),
                (['history', '--force'], "an option that 'history' does "
                 'not take'),
                (['frob'], "unknown subcommand 'frob'"),
                ([], 'no subcommand'),
                (['init', 'extra'], "unexpected argument 'extra'")):
            res = run(['baseline'] + args + (s.args() if args and
                                             args[0] != 'history' else []))
            expect_rc(res, 2)
            expect(msg in res[2], '%s: %s' % (args, res[2]))
        res = s.baseline_cmd('accept', '--all', '--reason', 'nothing')
        expect_rc(res, 0)
        expect('nothing to accept' in res[1], res[1])
        for args in (['verify', '--help'], ['baseline', '--help'],
                     ['help', 'verify']):
            res = run(args)
            expect_rc(res, 0)
            expect(res[1].startswith('Usage: vtrust'), res[1])


@test
def man_page_covers_every_command():
    man = open(os.path.join(HERE, '..', 'vtrust.8')).read()
    res = run(['--help'])
    cmds = [line.split()[0] for line in
            res[1].split('Commands:\n')[1].split('\n\n')[0].splitlines()]
    expect(len(cmds) >= 5, cmds)
    for c in cmds:
        expect(('.SS %s' % c) in man, 'vtrust.8 has no section for ' + c)
    for sub in ('init', 'accept', 'history', 'generate'):
        expect('.SS baseline %s' % sub in man, sub)
    for word in ('.SH EXIT STATUS', '.SH FILES', '/var/lib/vtrust/baseline.json',
                 'MODULE_INIT_COMPRESSED_FILE'):
        expect(word in man, word)


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
