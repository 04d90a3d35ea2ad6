# SPDX-License-Identifier: GPL-2.0-or-later
"""A machine for the end-to-end tests of `vtrust verify` and `vtrust
baseline`: a firmware log (eventlog.py), IMA's and vtrust's lists
(imalist.py) and a TPM whose PCRs match them, all computed with hashlib,
under a fake sysfs root.
"""
import hashlib
import json
import os
import shutil

import eventlog as ev
from harness import Fail, expect_rc, run
from imalist import (BANKS, Entry, aggregate_of, dng, fake_tpm, field,
                     ima_ng, list_bytes, securityfs, start_entry, write)
from imalist import replay as list_replay


class System:
    """A machine: its firmware log, IMA's and vtrust's lists, its TPM."""

    def __init__(self, root, banks=('sha1', 'sha256')):
        self.root = root
        self.banks = list(banks)
        self.events = ev.sample_events()
        self.ima = [ima_ng(10, 'boot_aggregate', content=b'aggregate'),
                    ima_ng(10, '/usr/bin/bash', content=b'bash 1')]
        self.modules = [('resident:ext4', b'ext4'),
                        ('/usr/lib/modules/6.1.0/kernel/fs/fat/vfat.ko',
                         b'vfat 1'),
                        ('init_module:dummy', b'dummy 1')]
        self.prior = None
        self.tpm_extra = {}
        self.absent = set()        # sources not shown this boot
        self.real_aggregate = False
        self.baseline = os.path.join(root, 'var/lib/vtrust/baseline.json')

    def aggregate(self, log):
        """aggregate=: vtrust's digest of PCRs 0-9 as the log leaves them."""
        bank = 'sha256' if 'sha256' in self.banks else self.banks[0]
        v = ev.replay(log, bank)
        return aggregate_of({k: v[k] for k in range(10)}, bank)

    def vt_entries(self, log):
        prior = self.prior or {b: bytes(BANKS[b]) for b in self.banks}
        agg = self.aggregate(log)
        return [start_entry(11, prior, agg)] + [
            ima_ng(11, n, content=c) for n, c in self.modules], prior

    def write(self):
        log = ev.log_bytes(self.events, self.banks)
        if self.real_aggregate:
            # IMA's boot_aggregate: SHA-256 of the sha256 bank's PCRs 0-9
            v = ev.replay(log, 'sha256')
            agg = hashlib.sha256(b''.join(v[n] for n in range(10))).digest()
            self.ima[0] = Entry(10, 'ima-ng', field(dng('sha256', agg)) +
                                field(b'boot_aggregate\0'))
        write(os.path.join(self.root, 'sys/kernel/security/tpm0/'
                           'binary_bios_measurements'), log)
        for src in ('ima', 'vtrust'):
            shutil.rmtree(securityfs(self.root, src), ignore_errors=True)
        if 'ima' not in self.absent:
            write(os.path.join(securityfs(self.root, 'ima'),
                               'binary_runtime_measurements'),
                  list_bytes(self.ima, 'sha1'))
        vt, prior = self.vt_entries(log)
        sfs = securityfs(self.root, 'vtrust')
        if 'vtrust' not in self.absent:
            write(os.path.join(sfs, 'binary_runtime_measurements'),
                  list_bytes(vt, 'sha1'))
            for b in self.banks:
                write(os.path.join(sfs, 'binary_runtime_measurements_' + b),
                      list_bytes(vt, b))
        values = {}
        for b in self.banks:
            v = ev.replay(log, b, pcrs=range(24))
            if 'ima' not in self.absent:
                v.update(list_replay(self.ima, b, ima_rules=True))
            if 'vtrust' not in self.absent:
                v.update(list_replay(vt, b, start={11: prior[b]}))
            v.update(self.tpm_extra.get(b, {}))
            values[b] = v
        fake_tpm(self.root, values)
        return self

    def args(self, *extra):
        return ['--sysfs-root', self.root, '--baseline', self.baseline] + \
            list(extra)

    def verify(self, *extra, env=None):
        return run(['verify'] + self.args(*extra), env=env)

    def verify_json(self, *extra):
        res = run(['verify', '--json'] + self.args(*extra))
        try:
            return res, json.loads(res[1])
        except ValueError as e:
            raise Fail('bad JSON: %s\n%s\n%s' % (e, res[1], res[2]))

    def baseline_cmd(self, sub, *extra, env=None):
        return run(['baseline', sub] + self.args(*extra), env=env)

    def init(self):
        expect_rc(self.baseline_cmd('init'), 0)
        return self

    def history(self):
        return run(['baseline', 'history', '--baseline', self.baseline])

    def doc(self):
        return json.load(open(self.baseline))


def diffs_of(rep, open_only=True):
    return [d for d in rep['differences']
            if not open_only or not (d['accepted'] or d['referenced'])]


def reseal(doc):
    """The checksum vtrust computes: SHA-256 of json-c's compact JSON."""
    doc = dict(doc)
    doc.pop('checksum', None)
    text = json.dumps(doc, separators=(',', ':'), ensure_ascii=False)
    doc['checksum'] = 'sha256:' + hashlib.sha256(text.encode()).hexdigest()
    return doc


def set_id(rep):
    """The set ID of verify's open differences, as BASELINE.md defines it:
    SHA-256 of the sorted IDs, each followed by a newline."""
    ids = sorted(d['id'] for d in diffs_of(rep))
    return hashlib.sha256(''.join(i + '\n' for i in ids).encode()) \
        .hexdigest()[:16]


def accept_all(s, reason, *extra):
    """accept --all with the set of differences that verify shows now."""
    res, rep = s.verify_json()
    return s.baseline_cmd('accept', '--all', '--set', set_id(rep),
                          '--reason', reason, *extra)
