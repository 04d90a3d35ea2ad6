#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of the software MakeCredential (makecred.c) through
tests/makecred-tool:

 - KDFa and KDFe against the reference implementation below (hashlib and
   hmac, written from TPM 2.0 Part 1, 11.4.10), for every hash and for
   lengths that are not a multiple of the digest size or of 8 bits;
 - credentials activated by a software TPM (swtpm, through tpm2-tools'
   tpm2_activatecredential), the independent judge: RSA and ECC EKs as
   tpm2_createek makes them, ECC P-384 and RSA 3072 storage primaries;
   credentials for another AK or with a flipped byte are refused;
 - tpm2_makecredential -T none's file is activated too, and has the layout
   of ours.
The swtpm tests are skipped (and pass) without swtpm or tpm2-tools.

Usage: test-makecred.py MAKECRED-TOOL [TEST]...
"""
import hashlib
import hmac
import os
import random
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import Fail, expect, expect_rc, main, run, test  # noqa: E402
from swtpm import Swtpm  # noqa: E402

HASHES = {'sha1': 20, 'sha256': 32, 'sha384': 48, 'sha512': 64,
          'sm3_256': 32}
HASHLIB = {'sm3_256': 'sm3'}
TPM = {}


def kdfa(alg, key, label, u, v, bits):
    """KDFa: HMAC(key, i || label || 0 || u || v || bits), i from 1."""
    out, i = b'', 1
    h = HASHLIB.get(alg, alg)
    while len(out) * 8 < bits:
        msg = (i.to_bytes(4, 'big') + label.encode() + b'\0' + u + v +
               bits.to_bytes(4, 'big'))
        out += hmac.new(key, msg, h).digest()
        i += 1
    return mask(out[:(bits + 7) // 8], bits)


def kdfe(alg, z, label, u, v, bits):
    """KDFe: H(i || z || label || 0 || u || v), i from 1."""
    out, i = b'', 1
    h = HASHLIB.get(alg, alg)
    while len(out) * 8 < bits:
        out += hashlib.new(h, i.to_bytes(4, 'big') + z + label.encode() +
                           b'\0' + u + v).digest()
        i += 1
    return mask(out[:(bits + 7) // 8], bits)


def mask(out, bits):
    if bits % 8:
        out = bytes([out[0] & ((1 << (bits % 8)) - 1)]) + out[1:]
    return out


def tool(args):
    return run(args)


@test
def kdf_vectors():
    rnd = random.Random(11)
    n = 0
    for alg, size in HASHES.items():
        for bits in (1, 7, 8, 128, 160, 256, 264, 300, size * 8,
                     size * 8 + 1, size * 16 - 3, 1024, 2049):
            key = rnd.randbytes(rnd.choice((1, size, 70)))
            u = rnd.randbytes(rnd.choice((0, 5, size + 2)))
            v = rnd.randbytes(rnd.choice((0, 33)))
            label = rnd.choice(('STORAGE', 'INTEGRITY', 'IDENTITY', 'x'))
            for name, ref in (('kdfa', kdfa), ('kdfe', kdfe)):
                res = tool([name, alg, key.hex(), label, u.hex(), v.hex(),
                            str(bits)])
                expect_rc(res, 0)
                want = ref(alg, key, label, u, v, bits).hex()
                expect(res[1].strip() == want, '%s %s %d: %s, wanted %s'
                       % (name, alg, bits, res[1].strip(), want))
                n += 1
    expect(n == 2 * 5 * 13, n)


@test
def kdf_usage():
    expect_rc(tool(['kdfa', 'md5', '00', 'L', '', '', '8']), 2)
    expect_rc(tool(['kdfa', 'sha256', '0', 'L', '', '', '8']), 2)
    expect_rc(tool(['kdfe', 'sha256', '00', 'L', '', '', '0']), 2)
    expect_rc(tool(['kdfa', 'sha256', '', 'L', '', '', '8']), 1)


class Tpm:
    """One swtpm for all tests, with a directory for the files."""

    def __init__(self):
        self.t = Swtpm(banks=('sha256',))
        self.dir = tempfile.mkdtemp(prefix='vtrust-makecred-')
        self.made = {}

    def path(self, name):
        return os.path.join(self.dir, name)

    def tpm2(self, *args, check=True, flush=True):
        p = subprocess.run(list(args), env=self.t.env(), capture_output=True,
                           cwd=self.dir, timeout=120)
        # without a resource manager, loaded objects and sessions stay
        if flush:
            self.flush()
        if check and p.returncode:
            raise Fail('%s: exit %d\n%s' % (' '.join(args), p.returncode,
                                            p.stderr.decode()))
        return p

    def flush(self):
        subprocess.run(['tpm2_flushcontext', '-t'], env=self.t.env(),
                       capture_output=True, cwd=self.dir)
        subprocess.run(['tpm2_flushcontext', '-s'], env=self.t.env(),
                       capture_output=True, cwd=self.dir)

    def ek(self, kind):
        """An EK (rsa, ecc: tpm2_createek) or a storage primary (ecc384,
        rsa3072: tpm2_createprimary) and two AKs, made once: a dict of
        the file names and the AK Names."""
        if kind in self.made:
            return self.made[kind]
        ek = {'ctx': kind + '-ek.ctx', 'pub': kind + '-ek.pub',
              'ek': kind in ('rsa', 'ecc')}
        if ek['ek']:
            self.tpm2('tpm2_createek', '-c', ek['ctx'], '-G', kind, '-u',
                      ek['pub'])
        else:
            self.tpm2('tpm2_createprimary', '-C', 'o', '-G',
                      kind + ':aes128cfb', '-c', ek['ctx'])
            self.tpm2('tpm2_readpublic', '-c', ek['ctx'], '-o', ek['pub'])
        for ak in ('ak', 'ak2'):
            ctx, name = '%s-%s.ctx' % (kind, ak), '%s-%s.name' % (kind, ak)
            if ek['ek']:
                self.tpm2('tpm2_createak', '-C', ek['ctx'], '-c', ctx, '-u',
                          '%s-%s.pub' % (kind, ak), '-n', name)
            else:
                priv = '%s-%s.priv' % (kind, ak)
                pub = '%s-%s.pub' % (kind, ak)
                self.tpm2('tpm2_create', '-C', ek['ctx'], '-G', 'ecc',
                          '-r', priv, '-u', pub)
                self.tpm2('tpm2_load', '-C', ek['ctx'], '-r', priv, '-u',
                          pub, '-c', ctx, '-n', name)
            ek[ak] = ctx
            with open(self.path(name), 'rb') as f:
                ek[ak + '-name'] = f.read()
        self.made[kind] = ek
        return ek

    def activate(self, ek, cred, ak='ak'):
        """tpm2_activatecredential of @cred for @ak: the secret or None."""
        out = self.path('out.bin')
        if os.path.exists(out):
            os.unlink(out)
        args = ['tpm2_activatecredential', '-c', ek[ak], '-C', ek['ctx'],
                '-i', cred, '-o', out]
        if ek['ek']:
            # the EK's policy: PolicySecret(TPM_RH_ENDORSEMENT)
            self.tpm2('tpm2_startauthsession', '--policy-session', '-S',
                      's.ctx', flush=False)
            self.tpm2('tpm2_policysecret', '-S', 's.ctx', '-c', 'e',
                      flush=False)
            args += ['-P', 'session:s.ctx']
        p = self.tpm2(*args, check=False)
        if p.returncode or not os.path.exists(out):
            return None
        with open(out, 'rb') as f:
            return f.read()

    def stop(self):
        self.t.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def tpm():
    if 'tpm' not in TPM:
        TPM['tpm'] = Tpm()
    return TPM['tpm'] if TPM['tpm'].t.tcti else None


def makecred(t, ek, name, secret, out='cred.out'):
    with open(t.path('secret'), 'wb') as f:
        f.write(secret)
    res = tool(['--ek', t.path(ek['pub']), '--name', name.hex(),
                '--secret', t.path('secret'), '--out', t.path(out)])
    expect_rc(res, 0)
    with open(t.path(out), 'rb') as f:
        return f.read()


def layout(cred):
    """The header and the two TPM2B sizes of a credential file."""
    expect(len(cred) >= 12, cred.hex())
    n = int.from_bytes(cred[8:10], 'big')
    expect(len(cred) >= 12 + n, cred.hex())
    m = int.from_bytes(cred[10 + n:12 + n], 'big')
    expect(len(cred) == 12 + n + m, 'trailing bytes: ' + cred.hex())
    return cred[:8], n, m


def activated(kind):
    t = tpm()
    if not t:
        return
    rnd = random.Random(kind)
    ek = t.ek(kind)
    for size in (32, 1, 17):
        secret = rnd.randbytes(size)
        cred = makecred(t, ek, ek['ak-name'], secret)
        expect(layout(cred)[0] == bytes.fromhex('badcc0de00000001'), cred)
        got = t.activate(ek, t.path('cred.out'))
        expect(got == secret, '%s: %s, wanted %s' %
               (kind, got and got.hex(), secret.hex()))


@test
def activated_rsa_ek():
    activated('rsa')


@test
def activated_ecc_ek():
    activated('ecc')


@test
def activated_ecc384_storage_key():
    activated('ecc384')


@test
def activated_rsa3072_storage_key():
    activated('rsa3072')


@test
def refused_for_another_ak_or_a_flipped_byte():
    t = tpm()
    if not t:
        return
    for kind in ('rsa', 'ecc'):
        ek = t.ek(kind)
        secret = os.urandom(32)
        cred = makecred(t, ek, ek['ak2-name'], secret)
        expect(t.activate(ek, t.path('cred.out'), 'ak2') == secret, kind)
        expect(t.activate(ek, t.path('cred.out'), 'ak') is None, kind)
        cred = makecred(t, ek, ek['ak-name'], secret)
        _, n, m = layout(cred)
        end = 10 + n
        # the HMAC's first byte, encIdentity's first (the secret's size)
        # and last bytes, the encrypted secret's first and last bytes
        for off in (12, end - 34, end - 1, end + 2, end + 1 + m):
            bad = bytearray(cred)
            bad[off] ^= 0x01
            with open(t.path('bad.out'), 'wb') as f:
                f.write(bad)
            got = t.activate(ek, t.path('bad.out'))
            expect(got is None, '%s: flipped byte %d accepted: %s'
                   % (kind, off, got and got.hex()))


@test
def tpm2_makecredential_agrees():
    t = tpm()
    if not t:
        return
    for kind in ('rsa', 'ecc'):
        ek = t.ek(kind)
        secret = os.urandom(32)
        with open(t.path('secret'), 'wb') as f:
            f.write(secret)
        p = subprocess.run(['tpm2_makecredential', '-T', 'none', '-e',
                            t.path(ek['pub']), '-s', t.path('secret'), '-n',
                            ek['ak-name'].hex(), '-o', t.path('theirs.out')],
                           capture_output=True)
        expect(p.returncode == 0, p.stderr.decode())
        expect(t.activate(ek, t.path('theirs.out')) == secret, kind)
        with open(t.path('theirs.out'), 'rb') as f:
            theirs = f.read()
        ours = makecred(t, ek, ek['ak-name'], secret)
        expect(layout(ours) == layout(theirs), '%s: %s, theirs %s' %
               (kind, layout(ours), layout(theirs)))
        expect(len(ours) == len(theirs), kind)


@test
def refused_inputs():
    t = tpm()
    if not t:
        return
    ek = t.ek('rsa')
    with open(t.path(ek['pub']), 'rb') as f:
        pub = f.read()
    with open(t.path('secret'), 'wb') as f:
        f.write(os.urandom(33))
    name = ek['ak-name'].hex()

    def refused(pub, name, want):
        with open(t.path('bad.pub'), 'wb') as f:
            f.write(pub)
        res = tool(['--ek', t.path('bad.pub'), '--name', name, '--secret',
                    t.path('secret'), '--out', t.path('x.out')])
        expect_rc(res, 1)
        expect(want in res[2], res[2])

    refused(pub, name, 'secret: 33 bytes, wanted 1 to 32')
    with open(t.path('secret'), 'wb') as f:
        f.write(os.urandom(32))
    refused(pub + b'\0', name, 'not a TPM2B_PUBLIC')
    refused(pub[:-1], name, 'not a TPM2B_PUBLIC')
    refused(pub, name[:-2], 'AK name: 33 bytes')
    refused(pub, '0001' + name[4:], 'AK name: 34 bytes')


if __name__ == '__main__':
    try:
        rc = main(sys.argv)
    finally:
        if 'tpm' in TPM:
            TPM['tpm'].stop()
    sys.exit(rc)
