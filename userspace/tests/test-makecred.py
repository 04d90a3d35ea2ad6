#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
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
   of ours;
 - the command, vtrust credential make (given VTRUST): its credentials for
   the EKs that vtrust ek show prints (PEM, on the default templates) and
   for their TPM2B_PUBLIC are activated by swtpm through
   tpm2_activatecredential and through vtrust credential activate, its EK
   encoding is the TPM's own, a credential for another AK is refused, and
   bad input leaves nothing behind; SM2 (which swtpm lacks) is activated by
   a software ActivateCredential written here from Part 1 (pure-Python SM2
   arithmetic, hashlib's SM3, OpenSSL's SM4-CFB).
The swtpm tests are skipped (and pass) without swtpm or tpm2-tools.

Usage: test-makecred.py MAKECRED-TOOL [VTRUST] [TEST]...
"""
import base64
import hashlib
import hmac
import json
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
VTRUST = {}


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


# ---- vtrust credential make ----

AKS = {'rsa': '0x81010002', 'ecc': '0x81010003'}


def vt(t, args):
    return run(args, binary=VTRUST['bin'],
               env={'TPM2TOOLS_TCTI': t.t.tcti} if t else None)


def vt_ready():
    """The swtpm, with vtrust given; else None (skip)."""
    if 'bin' not in VTRUST:
        print('     (no VTRUST argument: skipped)')
        return None
    return tpm()


def vt_keys(t, kind):
    """vtrust's AK (persistent, under the EK) and EK of @kind, made once:
    the AK's name, the EK's PEM and TPM2B_PUBLIC in files, and a dict for
    Tpm.activate() with the AK as 'vak'."""
    key = 'vt-' + kind
    if key in t.made:
        return t.made[key]
    res = vt(t, ['ak', 'create', '--alg', kind, '--handle', AKS[kind],
                 '--json'])
    expect_rc(res, 0)
    ak = json.loads(res[1])
    res = vt(t, ['ek', 'show', '--alg', kind, '--json'])
    expect_rc(res, 0)
    ek = json.loads(res[1])
    with open(t.path(kind + '-vt-ek.pem'), 'w') as f:
        f.write(ek['public'])
    k = {'name': ak['name'], 'ek': ek, 'pem': t.path(kind + '-vt-ek.pem'),
         'act': dict(t.ek(kind), vak=AKS[kind])}
    t.made[key] = k
    return k


def make(t, args, rc=0):
    res = vt(t, ['credential', 'make', '--json'] + args)
    expect_rc(res, rc)
    return json.loads(res[1])


def vt_activate(t, kind, cred):
    """vtrust credential activate: the secret, or None (and the result)."""
    res = vt(t, ['credential', 'activate', cred, '--handle', AKS[kind]])
    return (bytes.fromhex(res[1].strip()) if res[0] == 0 else None), res


def ek_certificate(t, pem, kind):
    """A certificate (PEM) of the EK's key, issued by a throwaway CA."""
    ca, csr = t.path('ca.key'), t.path('ca.csr')
    cert = t.path(kind + '-ek-cert.pem')
    for args in (['genpkey', '-algorithm', 'EC', '-pkeyopt',
                  'ec_paramgen_curve:P-256', '-out', ca],
                 ['req', '-new', '-key', ca, '-subj', '/CN=ca', '-out', csr],
                 ['x509', '-req', '-in', csr, '-signkey', ca,
                  '-force_pubkey', pem, '-out', cert]):
        subprocess.run(['openssl'] + args, check=True, capture_output=True)
    return cert


def vt_made_activated(kind):
    t = vt_ready()
    if not t:
        return
    k = vt_keys(t, kind)
    cred, sec = t.path('vt.cred'), t.path('vt.secret')
    tss = t.path(t.ek(kind)['pub'])
    cert = ek_certificate(t, k['pem'], kind)
    for ek, extra in ((k['pem'], ['--secret-len', '17']), (k['pem'], []),
                      (cert, ['--secret-len', '5']),
                      (tss, ['--secret-len', '1'])):
        o = make(t, ['--ek', ek, '--ak-name', k['name'], '--out', cred,
                     '--secret-out', sec] + extra)
        with open(sec, 'rb') as f:
            secret = f.read()
        want = int(extra[1]) if extra else 32
        expect(len(secret) == want == o['secret_bytes'], o)
        expect(os.stat(sec).st_mode & 0o777 == 0o600, 'secret mode')
        with open(cred, 'rb') as f:
            expect(layout(f.read())[0] == bytes.fromhex('badcc0de00000001'),
                   'header')
        # the EK as the TPM has it: the template assumption holds
        expect(o['ek']['tpm2b_public'] == k['ek']['tpm2b_public'] and
               o['ek']['name'] == k['ek']['name'], (o, k['ek']))
        expect(o['ek']['template'] == (None if ek == tss else kind), o)
        got, res = vt_activate(t, kind, cred)
        expect(got == secret, '%s: vtrust activate: %s' % (kind, res))
        got = t.activate(k['act'], cred, 'vak')
        expect(got == secret, '%s: tpm2_activatecredential: %s, wanted %s'
               % (kind, got and got.hex(), secret.hex()))
    # a given secret, no --secret-out: the credential alone
    secret = os.urandom(20)
    with open(t.path('given'), 'wb') as f:
        f.write(secret)
    os.unlink(sec)
    o = make(t, ['--ek', k['pem'], '--ak-name', k['name'], '--out', cred,
                 '--secret', t.path('given')])
    expect(o['secret_out'] is None and not os.path.exists(sec), o)
    expect(vt_activate(t, kind, cred)[0] == secret, kind)


@test
def vtrust_make_activated_rsa():
    vt_made_activated('rsa')


@test
def vtrust_make_activated_ecc():
    vt_made_activated('ecc')


@test
def vtrust_activates_tpm2_makecredential():
    t = vt_ready()
    if not t:
        return
    for kind in ('rsa', 'ecc'):
        k = vt_keys(t, kind)
        secret = os.urandom(32)
        with open(t.path('secret'), 'wb') as f:
            f.write(secret)
        p = subprocess.run(['tpm2_makecredential', '-T', 'none', '-G', kind,
                            '-e', k['pem'], '-s', t.path('secret'), '-n',
                            k['name'], '-o', t.path('theirs.out')],
                           capture_output=True)
        expect(p.returncode == 0, p.stderr.decode())
        got, res = vt_activate(t, kind, t.path('theirs.out'))
        expect(got == secret, '%s: %s' % (kind, res))


@test
def vtrust_make_for_another_ak_refused():
    t = vt_ready()
    if not t:
        return
    for kind in ('rsa', 'ecc'):
        k = vt_keys(t, kind)
        cred = t.path('other.cred')
        make(t, ['--ek', k['pem'], '--ak-name', t.ek(kind)['ak2-name'].hex(),
                 '--out', cred, '--secret-out', t.path('other.secret')])
        got, res = vt_activate(t, kind, cred)
        expect(got is None and res[0] == 2 and
               'refuses the credential' in res[2], res)
        expect(t.activate(k['act'], cred, 'vak') is None, kind)
        # and tpm2-tools' AK, whose name it is, does activate it
        with open(t.path('other.secret'), 'rb') as f:
            expect(t.activate(t.ek(kind), cred, 'ak2') == f.read(), kind)


def refused(t, args, rc, msg):
    """A refused make: exit @rc, @msg on stderr, no file left behind."""
    d = t.path('refused')
    os.makedirs(d, exist_ok=True)
    before = sorted(os.listdir(d))
    full = ['credential', 'make'] + [a.replace('@', d + '/') for a in args]
    res = vt(t, full)
    expect_rc(res, rc)
    expect(res[2].startswith('vtrust: ') and msg in res[2],
           '%s: %s' % (args, res[2]))
    expect(sorted(os.listdir(d)) == before, '%s: left %s' %
           (args, sorted(set(os.listdir(d)) - set(before))))
    # with --json first, the error is a JSON object too
    res = vt(t, full[:2] + ['--json'] + full[2:])
    expect_rc(res, rc)
    o = json.loads(res[1])
    expect(o['exit'] == rc and msg in o['error'], o)


@test
def vtrust_make_refuses_bad_input():
    t = vt_ready()
    if not t:
        return
    k = vt_keys(t, 'rsa')
    d = t.path('refused')
    os.makedirs(d, exist_ok=True)
    files = {
        'bad.pem': b'-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n',
        'ek.pem': open(k['pem'], 'rb').read(),
        'cut.pub': open(t.path(t.ek('rsa')['pub']), 'rb').read()[:-1],
        'empty': b'', 'big': os.urandom(65), 'ok': os.urandom(32),
    }
    for key in ('rsa3072', 'ec384'):
        alg = ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072'] \
            if key == 'rsa3072' else \
            ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384']
        priv = subprocess.run(['openssl', 'genpkey'] + alg,
                              capture_output=True, check=True).stdout
        files[key + '.pem'] = subprocess.run(
            ['openssl', 'pkey', '-pubout'], input=priv, capture_output=True,
            check=True).stdout
    for name, data in files.items():
        with open(os.path.join(d, name), 'wb') as f:
            f.write(data)
    name = k['name']
    ok = ['--out', '@c', '--secret-out', '@s']
    for args, rc, msg in (
            (['--ek', '@bad.pem', '--ak-name', name] + ok, 2,
             'no PEM public key or certificate'),
            (['--ek', '@rsa3072.pem', '--ak-name', name] + ok, 2,
             'an RSA 3072 key: the default EK template is RSA 2048'),
            (['--ek', '@ec384.pem', '--ak-name', name] + ok, 2,
             'an EK is RSA 2048, ECC NIST P-256 or SM2'),
            (['--ek', '@cut.pub', '--ak-name', name] + ok, 2,
             'neither a PEM key nor a TPM2B_PUBLIC'),
            (['--ek', '@none', '--ak-name', name] + ok, 3,
             'No such file'),
            (['--ek', '@ek.pem', '--ak-name', name[:-2]] + ok, 2,
             '--ak-name: 31 bytes of sha256 digest, wanted 32'),
            (['--ek', '@ek.pem', '--ak-name', name + '00'] + ok, 2,
             '--ak-name: 33 bytes of sha256 digest'),
            (['--ek', '@ek.pem', '--ak-name', '0001' + name[4:]] + ok, 2,
             '--ak-name: nameAlg 0x0001 is not'),
            (['--ek', '@ek.pem', '--ak-name', 'zz' + name[2:]] + ok, 2,
             '--ak-name: a nameAlg and a digest in hex'),
            (['--ek', '@ek.pem', '--ak-name', '000b'] + ok, 2,
             '--ak-name: 0 bytes of sha256 digest, wanted 32'),
            (['--ek', '@ek.pem', '--ak-name', '0b'] + ok, 2,
             '--ak-name: a nameAlg and a digest in hex'),
            (['--ek', '@ek.pem', '--ak-name', name, '--secret-len', '33']
             + ok, 2, 'secret: 33 bytes, wanted 1 to 32 (the EK\'s sha256)'),
            (['--ek', '@ek.pem', '--ak-name', name, '--secret-len', '65']
             + ok, 2, '--secret-len: 1 to 64'),
            (['--ek', '@ek.pem', '--ak-name', name, '--secret-len', '0']
             + ok, 2, '--secret-len: 1 to 64'),
            (['--ek', '@ek.pem', '--ak-name', name, '--secret', '@empty']
             + ok, 2, 'a secret is 1 to 64 bytes'),
            (['--ek', '@ek.pem', '--ak-name', name, '--secret', '@big']
             + ok, 2, 'a secret is 1 to 64 bytes'),
            (['--ek', '@ek.pem', '--ak-name', name, '--secret', '@ok',
              '--secret-len', '8'] + ok, 2, 'exclude each other'),
            (['--ek', '@ek.pem', '--ak-name', name, '--out', '@c'], 2,
             '--secret-out is required'),
            (['--ek', '@ek.pem', '--out', '@c', '--secret-out', '@s'], 2,
             '--ek, --ak-name and --out are required'),
            (['--ek', '@ek.pem', '--ak-name', name, '--out', '@c',
              '--secret-out', '@c'], 2, 'are the same file'),
            (['--ek', '@ek.pem', '--ak-name', name, '--out', '@no/c',
              '--secret-out', '@s'], 3, 'No such file'),
            (['--ek', '@ek.pem', '--ak-name', name, '--out', '@c',
              '--secret-out', '@no/s'], 3, 'No such file'),
            (['--ek', '@ek.pem', '--ak-name', name, '--out', '@c',
              '--secret-out', '@s', 'extra'], 2, 'unexpected argument'),
            (['--ek', '@ek.pem', '--ak-name', name, '--out', '@c',
              '--secret-out', '@s', '--handle', '1'], 2,
             "unknown option '--handle'")):
        refused(t, args, rc, msg)
    # a directory where a file goes fails its rename: the credential is
    # placed first, so a failed secret takes it back
    for where in ('c', 's'):
        os.mkdir(os.path.join(d, where))
        refused(t, ['--ek', '@ek.pem', '--ak-name', name] + ok, 3,
                'Is a directory')
        os.rmdir(os.path.join(d, where))


@test
def vtrust_credential_help():
    if 'bin' not in VTRUST:
        return
    for args, rc in ((['credential', '--help'], 0),
                     (['credential', 'make', '--help'], 0),
                     (['credential', 'make', '-h'], 0),
                     (['credential'], 2), (['credential', 'forge'], 2),
                     (['credential', 'make'], 2)):
        res = vt(None, args)
        expect_rc(res, rc)
        if rc:
            expect(res[2].startswith('vtrust: credential') and
                   '--help' in res[2], res[2])
        else:
            expect(res[1].startswith('Usage: vtrust credential make'),
                   res[1])
    res = vt(None, ['credential', '--help'])
    expect('Usage: vtrust credential activate' in res[1], res[1])


# SM2 P-256 (GB/T 32918.5): a, p and the generator, to check a key's point
SM2_P = int('FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF',
            16)
SM2_A = SM2_P - 3
SM2_G = (int('32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7',
             16),
         int('BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0',
             16))


def ec_add(p1, p2):
    if p1 is None:
        return p2
    if p2 is None:
        return p1
    if p1[0] == p2[0] and (p1[1] + p2[1]) % SM2_P == 0:
        return None
    if p1 == p2:
        m = (3 * p1[0] * p1[0] + SM2_A) * pow(2 * p1[1], -1, SM2_P)
    else:
        m = (p2[1] - p1[1]) * pow(p2[0] - p1[0], -1, SM2_P)
    x = (m * m - p1[0] - p2[0]) % SM2_P
    return x, (m * (p1[0] - x) - p1[1]) % SM2_P


def ec_mul(k, pt):
    out = None
    while k:
        if k & 1:
            out = ec_add(out, pt)
        pt = ec_add(pt, pt)
        k >>= 1
    return out


def sm2_activate(d, name, cred):
    """TPM2_ActivateCredential in software for an SM2 EK (private key @d):
    the secret, or None if the HMAC does not hold."""
    _, n, m = layout(cred)
    idobj, es = cred[10:10 + n], cred[12 + n:12 + n + m]
    hlen = int.from_bytes(idobj[:2], 'big')
    outer, enc = idobj[2:2 + hlen], idobj[2 + hlen:]
    xl = int.from_bytes(es[:2], 'big')
    ex = es[2:2 + xl]
    ey = es[4 + xl:]
    z = ec_mul(d, (int.from_bytes(ex, 'big'), int.from_bytes(ey, 'big')))
    ek_x = ec_mul(d, SM2_G)[0].to_bytes(32, 'big')
    seed = kdfe('sm3_256', z[0].to_bytes(32, 'big'), 'IDENTITY', ex, ek_x,
                256)
    hkey = kdfa('sm3_256', seed, 'INTEGRITY', b'', b'', 256)
    if not hmac.compare_digest(hmac.new(hkey, enc + name, 'sm3').digest(),
                               outer):
        return None
    key = kdfa('sm3_256', seed, 'STORAGE', name, b'', 128)
    plain = subprocess.run(['openssl', 'enc', '-d', '-sm4-cfb', '-K',
                            key.hex(), '-iv', '00' * 16, '-nopad'],
                           input=enc, capture_output=True,
                           check=True).stdout
    size = int.from_bytes(plain[:2], 'big')
    expect(size == len(plain) - 2, plain.hex())
    return plain[2:]


@test
def vtrust_make_sm2_software_round_trip():
    if 'bin' not in VTRUST:
        return
    with tempfile.TemporaryDirectory(prefix='vtrust-sm2-') as d:
        key, pem = os.path.join(d, 'k.pem'), os.path.join(d, 'ek.pem')
        p = subprocess.run(['openssl', 'genpkey', '-algorithm', 'SM2',
                            '-out', key], capture_output=True)
        if p.returncode:
            print('     (no SM2 in OpenSSL: skipped)')
            return
        subprocess.run(['openssl', 'pkey', '-in', key, '-pubout', '-out',
                        pem], check=True, capture_output=True)
        text = subprocess.run(['openssl', 'pkey', '-in', key, '-noout',
                               '-text'], capture_output=True, text=True,
                              check=True).stdout
        priv = text.split('priv:')[1].split('pub:')[0]
        d_int = int(''.join(priv.split()).replace(':', ''), 16)
        pub = ''.join(text.split('pub:')[1].split('ASN1')[0].split())
        pt = ec_mul(d_int, SM2_G)
        expect(pub.replace(':', '') == '04%064x%064x' % pt,
               'the SM2 arithmetic here is wrong')
        name = bytes.fromhex('0012') + os.urandom(32)
        cred, sec = os.path.join(d, 'c'), os.path.join(d, 's')
        res = vt(None, ['credential', 'make', '--ek', pem, '--ak-name',
                        name.hex(), '--out', cred, '--secret-out', sec,
                        '--json'])
        expect_rc(res, 0)
        o = json.loads(res[1])
        expect(o['ek']['template'] == 'sm2', o)
        tp = base64.b64decode(o['ek']['tpm2b_public'])
        # nameAlg SM3, SM4-128-CFB, curve SM2 P-256, and the key's point
        expect(tp[4:6] == b'\x00\x12' and tp[44:50] == bytes.fromhex(
            '001300800043') and tp[52:54] == b'\x00\x20', tp.hex())
        expect(tp[-68:] == b'\x00\x20' + pt[0].to_bytes(32, 'big') +
               b'\x00\x20' + pt[1].to_bytes(32, 'big'), tp.hex())
        with open(cred, 'rb') as f:
            blob = f.read()
        with open(sec, 'rb') as f:
            secret = f.read()
        expect(sm2_activate(d_int, name, blob) == secret, 'SM2 round trip')
        other = name[:-1] + bytes([name[-1] ^ 1])
        expect(sm2_activate(d_int, other, blob) is None,
               'SM2: accepted for another name')


def take_vtrust(argv):
    """The optional VTRUST argument (a file, not a test name)."""
    if len(argv) > 2 and os.path.isfile(argv[2]):
        VTRUST['bin'] = os.path.abspath(argv.pop(2))
    return argv


if __name__ == '__main__':
    try:
        rc = main(take_vtrust(sys.argv))
    finally:
        if 'tpm' in TPM:
            TPM['tpm'].stop()
    sys.exit(rc)
