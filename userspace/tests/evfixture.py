# SPDX-License-Identifier: GPL-2.0-or-later
"""A machine whose evidence a real (software) TPM signs, for the verifier's
tests (test-evidence.py, test-vtrustd.py): swtpm with an EK certificate
from a local CA, whose PCRs are extended with the digests of a machine's
firmware log and lists (machine.py, computed with hashlib, not by vtrust),
an AK made by `vtrust ak create`, and `vtrust quote` over the machine's
logs. The tests' harness (harness.py) must have its vtrust set."""
import hashlib
import json
import os
import shutil
import subprocess

import eventlog as ev
from harness import expect_rc, run
from imalist import BANKS, ima_ng
from machine import System
from swtpm import Swtpm

TPM_BANKS = ('sha1', 'sha256')
AK = '0x81010002'


class Fixture:
    """One swtpm (with an EK certificate from a local CA), its AK, and a
    machine whose logs its PCRs match."""

    def __init__(self):
        self.t = Swtpm(banks=TPM_BANKS, ek_cert=True)
        self.dir = self.t.dir
        self.root = os.path.join(self.dir, 'machine')
        self.sys = System(self.root, banks=TPM_BANKS)
        self.sys.ima += [ima_ng(10, '/usr/bin/%s' % n, content=n.encode())
                         for n in ('ls', 'cat', 'sh')]
        self.sys.write()
        self.extend_all()
        res = run(['ak', 'create', '--handle', AK, '--json'], env=self.env())
        expect_rc(res, 0)
        self.ak = json.loads(res[1])
        self.ak_tss = self.path('ak.tss')
        self.tool('tpm2_readpublic', '-c', AK, '-o', self.ak_tss)
        with open(self.path('ak.pem'), 'w') as f:
            f.write(self.ak['public'])
        self.ca = self.path('ek-ca')
        os.mkdir(self.ca)
        shutil.copy(self.t.ca_pem, os.path.join(self.ca, 'root.pem'))
        shutil.copy(self.t.issuer_pem, os.path.join(self.ca, 'issuer.pem'))
        self.count = 0

    def env(self):
        return {'TPM2TOOLS_TCTI': self.t.tcti}

    def path(self, name):
        return os.path.join(self.dir, name)

    def tool(self, *args, check=True):
        p = subprocess.run(args, capture_output=True, env=self.t.env())
        if args[0].startswith('tpm2_'):
            for f in ('-t', '-s'):
                subprocess.run(['tpm2_flushcontext', f], capture_output=True,
                               env=self.t.env())
        if check and p.returncode:
            raise AssertionError('%s: exit %d\n%s' % (
                ' '.join(args), p.returncode, p.stderr.decode()))
        return p

    def extend(self, pcr, digests):
        self.tool('tpm2_pcrextend', '%d:%s' % (pcr, ','.join(
            '%s=%s' % (b, digests[b].hex()) for b in TPM_BANKS)))

    def extend_all(self):
        """What the firmware, IMA and vtrust would have extended, in order,
        from the machine's logs (eventlog.py and imalist.py parse them)."""
        log = open(os.path.join(self.root, 'sys/kernel/security/tpm0/'
                                'binary_bios_measurements'), 'rb').read()
        for e in ev.parse(log)[1:]:
            if e['type'] != ev.EV_NO_ACTION:
                self.extend(e['pcr'], e['digests'])
        for e in self.sys.ima:
            self.extend(e.pcr, {b: e.tdigest(b) if any(e.tdigest(b)) else
                                b'\xff' * BANKS[b] for b in TPM_BANKS})
        vt, _ = self.sys.vt_entries(log)
        for e in vt:
            self.extend(e.pcr, {b: e.tdigest(b) for b in TPM_BANKS})

    def add_module(self, name, content):
        """A module loads: vtrust's lists grow and PCR 11 is extended."""
        e = ima_ng(11, name, content=content)
        self.sys.modules.append((name, content))
        self.sys.write()
        self.extend(11, {b: e.tdigest(b) for b in TPM_BANKS})

    def quote(self, *extra, nonce=None):
        """A fresh nonce (or @nonce) and `vtrust quote` over the machine's
        logs: the bundle (dict) and the nonce."""
        self.count += 1
        if nonce is None:
            nonce = hashlib.sha256(b'nonce %d' % self.count).hexdigest()[:32]
        out = self.path('ev.json')
        res = run(['quote', '--nonce', nonce, '--out', out, '--sysfs-root',
                   self.root] + list(extra), env=self.env())
        expect_rc(res, 0)
        return json.load(open(out)), nonce
