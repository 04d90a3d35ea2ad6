#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Tests of the quote verifier (tpm2s.c, quote.c, through tests/quote-check)
against quotes a software TPM made: swtpm on a TCP port of this host, driven
by tpm2-tools. Honest RSA and ECC quotes must pass every check; the known
attacks on quote verifiers must each fail the check named for them:

  CVE-2024-29038  a TPMS_ATTEST with a wrong magic, signed by the real AK
                  through TPM2_Hash + TPM2_Sign: "magic"
  GHSA-gwfg-w3jr-xh66  a certify attestation offered as a quote: "type"
                       (and an NV certify with the right nonce: "type")
  CVE-2024-29039  a signed selection other than the requested one:
                  "pcr-selection"

and a wrong nonce, another AK, an unrestricted key, a changed PCR value and
cut or extended files their own checks. tpm2_createak's Name and
tpm2_checkquote's verdict on the honest quote are the independent side.
Skipped (and counted as passed) without swtpm or tpm2-tools.

Usage: test-quote.py QUOTE-CHECK [TEST]...
"""
import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import expect, main, run, test  # noqa: E402
from swtpm import Swtpm  # noqa: E402

NONCE = bytes(range(0x40, 0x60))      # 32 bytes
SEL = 'sha256:0,1,2,3+sha1:0'
HASHES = {'sha1': hashlib.sha1, 'sha256': hashlib.sha256}
CHECKS = ['attest-parse', 'signature-parse', 'ak-attributes',
          'signature-scheme', 'signature', 'magic', 'type', 'nonce',
          'qualified-signer', 'pcr-selection', 'pcr-digest', 'clock-safe']
FX = {}


class Tpm:
    """swtpm with a work directory; tools run there, transient objects and
    sessions are flushed after each (no resource manager)."""

    def __init__(self):
        self.t = Swtpm(banks=('sha1', 'sha256'))
        self.dir = tempfile.mkdtemp(prefix='vtrust-quote-')

    def __call__(self, *args, check=True):
        p = subprocess.run(list(args), cwd=self.dir, env=self.t.env(),
                           capture_output=True, text=True)
        for f in ('-t', '-s'):
            subprocess.run(['tpm2_flushcontext', f], env=self.t.env(),
                           capture_output=True)
        if check and p.returncode:
            raise RuntimeError('%s: %s' % (' '.join(args), p.stderr))
        return p

    def path(self, name):
        return os.path.join(self.dir, name)

    def read(self, name):
        with open(self.path(name), 'rb') as f:
            return f.read()

    def write(self, name, data):
        with open(self.path(name), 'wb' if isinstance(data, bytes)
                  else 'w') as f:
            f.write(data)
        return self.path(name)

    def stop(self):
        self.t.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def pcrread(tpm, sel):
    """{bank: {pcr: bytes}} from tpm2_pcrread."""
    vals, bank = {}, None
    for line in tpm('tpm2_pcrread', sel).stdout.splitlines():
        line = line.strip()
        if line.endswith(':'):
            bank = line[:-1]
            vals[bank] = {}
        elif ':' in line:
            n, v = line.split(':', 1)
            vals[bank][int(n)] = bytes.fromhex(v.strip()[2:])
    return vals


def values_text(vals):
    return ''.join('%s %d %s\n' % (b, n, v.hex())
                   for b, pcrs in vals.items() for n, v in pcrs.items())


def createak(tpm, name, alg, scheme):
    p = tpm('tpm2_createak', '-C', 'ek.ctx', '-c', name + '.ctx', '-G', alg,
            '-g', 'sha256', '-s', scheme, '-u', name + '.pub', '-n',
            name + '.name')
    qn = [line.split(':')[1].strip() for line in p.stdout.splitlines()
          if 'qualified name:' in line]
    return qn[0]


SCHEMES = {'ak': 'rsassa', 'eak': 'ecdsa', 'pak': 'rsapss', 'uk': 'rsassa'}


def quote(tpm, ak, prefix, sel=SEL, nonce=NONCE):
    tpm('tpm2_quote', '-c', ak + '.ctx', '-l', sel, '-q', nonce.hex(), '-m',
        prefix + '.attest', '-s', prefix + '.sig', '-o', prefix + '.pcrs',
        '-g', 'sha256', '--scheme', SCHEMES[ak])


def fixture():
    """One TPM for all tests: an EK, RSA, ECC and RSA-PSS AKs, a second
    RSA AK, an unrestricted signing key; an RSA and an ECC quote."""
    if 'tpm' in FX:
        return FX['tpm']
    tpm = Tpm()
    FX['tpm'] = tpm
    if not tpm.t.tcti:
        return tpm
    tpm('tpm2_pcrextend', '0:sha256=%s,sha1=%s' % ('11' * 32, '22' * 20))
    tpm('tpm2_pcrextend', '3:sha256=%s' % ('33' * 32))
    tpm('tpm2_createek', '-c', 'ek.ctx', '-G', 'rsa', '-u', 'ek.pub')
    FX['qn'] = {'ak': createak(tpm, 'ak', 'rsa', 'rsassa'),
                'eak': createak(tpm, 'eak', 'ecc', 'ecdsa'),
                'pak': createak(tpm, 'pak', 'rsa', 'rsapss'),
                'ak2': createak(tpm, 'ak2', 'rsa', 'rsassa')}
    # a signing key without restricted, under an owner primary
    tpm('tpm2_createprimary', '-C', 'o', '-c', 'prim.ctx')
    tpm('tpm2_create', '-C', 'prim.ctx', '-G', 'rsa2048:rsassa-sha256',
        '-a', 'fixedtpm|fixedparent|sensitivedataorigin|userwithauth|sign',
        '-u', 'uk.pub', '-r', 'uk.priv')
    tpm('tpm2_load', '-C', 'prim.ctx', '-u', 'uk.pub', '-r', 'uk.priv', '-c',
        'uk.ctx')
    for ak in ('ak', 'eak', 'pak', 'uk'):
        quote(tpm, ak, ak)
    FX['vals'] = pcrread(tpm, SEL)
    tpm.write('values', values_text(FX['vals']))
    return tpm


def qc(tpm, prefix='ak', ak='ak', nonce=NONCE, sel=SEL, values='values',
       extra=(), attest=None, sig=None):
    """quote-check's JSON on a quote; fails on a sanitizer report."""
    args = ['--attest', attest or tpm.path(prefix + '.attest'),
            '--sig', sig or tpm.path(prefix + '.sig'),
            '--ak', tpm.path(ak + '.pub'), '--nonce', nonce.hex(),
            '--pcrs', sel, '--values', tpm.path(values), '--json']
    rc, out, err = run(args + list(extra))
    expect(rc in (0, 1), 'exit %d: %s' % (rc, err))
    res = json.loads(out)
    expect(res['ok'] == (rc == 0), 'exit %d but ok %s' % (rc, res['ok']))
    expect(list(res['checks']) == CHECKS, list(res['checks']))
    return res


def state(res):
    return {k: v['result'] for k, v in res['checks'].items()}


def expect_only(res, failed, not_run=()):
    """Exactly @failed fail, @not_run are not run, every other check
    passes (qualified-signer may be skipped)."""
    st = state(res)
    for k, v in st.items():
        if k in failed:
            want = ('fail',)
        elif k in not_run:
            want = ('not run',)
        elif k == 'qualified-signer':
            want = ('pass', 'skipped')
        else:
            want = ('pass',)
        expect(v in want, '%s: %s, wanted %s\n%s' %
               (k, v, want, json.dumps(res['checks'], indent=1)))
    expect(res['ok'] == (not failed and not not_run), res['ok'])


def honest(ak):
    tpm = fixture()
    if not tpm.t.tcti:
        return None
    res = qc(tpm, ak, ak, extra=['--qualified-signer', FX['qn'][ak]])
    expect_only(res, ())
    expect(state(res)['qualified-signer'] == 'pass', res)
    expect(res['attest']['safe'] == 1 and res['ignored'] == 0, res)
    cov = {(c['bank'], c['pcr']): c['value'] for c in res['covered']}
    want = {(b, n): v.hex() for b, p in FX['vals'].items()
            for n, v in p.items()}
    expect(cov == want, cov)
    expect(cov[('sha256', 3)] == hashlib.sha256(bytes(32) + b'\x33' * 32)
           .hexdigest(), cov)
    # the Name, against tpm2_createak's
    rc, out, err = run(['--name', tpm.path(ak + '.pub')])
    expect(rc == 0 and out.strip() == tpm.read(ak + '.name').hex(),
           (out, err))
    if ak == 'pak':
        pss_openssl(tpm)
        return tpm
    # tpm2_checkquote agrees (a cross-check only: Debian 12's is unsafe)
    p = tpm('tpm2_checkquote', '-u', ak + '.pub', '-m', ak + '.attest',
            '-s', ak + '.sig', '-f', ak + '.pcrs', '-g', 'sha256', '-q',
            NONCE.hex(), check=False)
    expect(p.returncode == 0, p.stderr)
    return tpm


def pss_openssl(tpm):
    """tpm2_checkquote 5.4 cannot verify RSA-PSS quotes: openssl pkeyutl
    checks the signature instead, with the salt length of the digest."""
    tpm('tpm2_readpublic', '-c', 'pak.ctx', '-f', 'pem', '-o', 'pak.pem')
    sig = tpm.read('pak.sig')
    expect(sig[:4] == b'\x00\x16\x00\x0b', sig[:4])
    tpm.write('pak.rawsig', sig[6:])
    tpm.write('pak.digest', hashlib.sha256(tpm.read('pak.attest')).digest())
    p = tpm('openssl', 'pkeyutl', '-verify', '-pubin', '-inkey', 'pak.pem',
            '-pkeyopt', 'rsa_padding_mode:pss', '-pkeyopt',
            'rsa_pss_saltlen:32', '-pkeyopt', 'digest:sha256', '-in',
            'pak.digest', '-sigfile', 'pak.rawsig', check=False)
    expect(p.returncode == 0, p.stdout + p.stderr)


@test
def honest_rsa_quote_passes():
    honest('ak')


@test
def honest_ecc_quote_passes():
    honest('eak')


@test
def honest_rsapss_quote_passes():
    honest('pak')


@test
def ek_name_matches_tpm2_readpublic():
    tpm = fixture()
    if not tpm.t.tcti:
        return
    tpm('tpm2_readpublic', '-c', 'ek.ctx', '-n', 'ek.name')
    rc, out, err = run(['--name', tpm.path('ek.pub')])
    expect(rc == 0 and out.strip() == tpm.read('ek.name').hex(), (out, err))


@test
def wrong_qualified_signer_fails():
    tpm = fixture()
    if not tpm.t.tcti:
        return
    res = qc(tpm, extra=['--qualified-signer', FX['qn']['ak2']])
    expect_only(res, ('qualified-signer',))
    # the AK's Name is not its qualified name
    res = qc(tpm, extra=['--qualified-signer', tpm.read('ak.name').hex()])
    expect_only(res, ('qualified-signer',))
    expect('Name' in res['checks']['qualified-signer']['message'], res)


def forged_attest(tpm, magic, vals):
    """A quote's TPMS_ATTEST from the honest one, with @magic and the
    pcrDigest of the values @vals claims over the same selection."""
    honest_attest = tpm.read('ak.attest')
    digest = hashlib.sha256(b''.join(
        vals[b][n] for b, n in (('sha256', 0), ('sha256', 1), ('sha256', 2),
                                ('sha256', 3), ('sha1', 0)))).digest()
    body = honest_attest[4:-32]
    expect(honest_attest[-34:-32] == b'\x00\x20', 'pcrDigest size')
    return struct.pack('>I', magic) + body + digest


@test
def forged_magic_signed_through_hash_and_sign():
    """CVE-2024-29038: TPM2_Hash gives a ticket for data that does not start
    with TPM_GENERATED_VALUE; TPM2_Sign with the restricted AK then signs
    it. The signature is good: only the magic tells."""
    tpm = fixture()
    if not tpm.t.tcti:
        return
    chosen = {'sha256': {n: bytes([0xa0 + n]) * 32 for n in range(4)},
              'sha1': {0: b'\xee' * 20}}
    tpm.write('forged.values', values_text(chosen))
    for magic, signs in ((0xff544348, True), (0xff544347, False)):
        tpm.write('forged.attest', forged_attest(tpm, magic, chosen))
        tpm('tpm2_hash', '-C', 'e', '-g', 'sha256', '-o', 'forged.digest',
            '-t', 'forged.ticket', 'forged.attest')
        p = tpm('tpm2_sign', '-c', 'ak.ctx', '-g', 'sha256', '-s', 'rsassa',
                '-d', '-t', 'forged.ticket', '-o', 'forged.sig',
                'forged.digest', check=False)
        expect((p.returncode == 0) == signs, (magic, p.stderr))
        if not signs:
            # the TPM refuses: no ticket for TPM_GENERATED_VALUE data
            continue
        res = qc(tpm, 'forged', values='forged.values')
        expect_only(res, ('magic',))


@test
def certify_offered_as_quote_fails_type():
    """GHSA-gwfg-w3jr-xh66: a TPM2_Certify attestation by the same AK."""
    tpm = fixture()
    if not tpm.t.tcti:
        return
    tpm('tpm2_certify', '-C', 'ak.ctx', '-c', 'ak2.ctx', '-g', 'sha256',
        '-o', 'cert.attest', '-s', 'cert.sig')
    res = qc(tpm, 'cert')
    # the signature is the AK's own; nonce: tpm2_certify gave none
    expect_only(res, ('type', 'nonce'), ('pcr-selection', 'pcr-digest'))


@test
def nv_certify_offered_as_quote_fails_type():
    """A TPM2_NV_Certify attestation by the same AK, with the verifier's
    nonce as its qualifying data: a good signature and nonce, not a
    quote."""
    tpm = fixture()
    if not tpm.t.tcti:
        return
    tpm('tpm2_nvdefine', '0x01500017', '-C', 'o', '-s', '32', '-a',
        'ownerread|ownerwrite|authread|authwrite')
    tpm.write('nv.data', b'\x5a' * 32)
    tpm('tpm2_nvwrite', '0x01500017', '-C', 'o', '-i', 'nv.data')
    tpm('tpm2_nvcertify', '-C', 'ak.ctx', '-c', 'o', '-g', 'sha256',
        '-s', 'rsassa', '-o', 'nv.sig',
        '--attestation', 'nv.attest', '-q', NONCE.hex(), '--size', '32',
        '0x01500017')
    res = qc(tpm, 'nv')
    expect_only(res, ('type',), ('pcr-selection', 'pcr-digest'))


@test
def selection_other_than_requested_fails():
    """CVE-2024-29039: the quote covers sha256:0-3 and sha1:0."""
    tpm = fixture()
    if not tpm.t.tcti:
        return
    for sel in ('sha256:0-7+sha1:0', 'sha256:0-3', 'sha1:0+sha256:0-3+'
                'sha384:0', 'sha256:0-3+sha1:1', 'sha256:0-3+sha1:0+sha1:0'):
        res = qc(tpm, sel=sel)
        expect_only(res, ('pcr-selection',))
    # the banks may come in any order
    expect_only(qc(tpm, sel='sha1:0+sha256:0-3'), ())


@test
def wrong_nonce_fails():
    tpm = fixture()
    if not tpm.t.tcti:
        return
    expect_only(qc(tpm, nonce=NONCE[:-1] + b'\x00'), ('nonce',))
    expect_only(qc(tpm, nonce=NONCE[:-1]), ('nonce',))
    expect_only(qc(tpm, nonce=NONCE + b'\x00'), ('nonce',))


@test
def another_ak_fails_signature():
    tpm = fixture()
    if not tpm.t.tcti:
        return
    expect_only(qc(tpm, ak='ak2'), ('signature',))
    # an ECC AK for an RSA quote: the scheme differs too
    expect_only(qc(tpm, ak='eak'), ('signature', 'signature-scheme'))


@test
def unrestricted_key_fails_ak_attributes():
    tpm = fixture()
    if not tpm.t.tcti:
        return
    res = qc(tpm, 'uk', ak='uk')
    expect_only(res, ('ak-attributes',))
    expect('restricted' in res['checks']['ak-attributes']['message'], res)


@test
def changed_pcr_value_fails_digest():
    tpm = fixture()
    if not tpm.t.tcti:
        return
    for bank, n in (('sha256', 3), ('sha1', 0)):
        vals = {b: dict(p) for b, p in FX['vals'].items()}
        v = bytearray(vals[bank][n])
        v[0] ^= 1
        vals[bank][n] = bytes(v)
        tpm.write('bad.values', values_text(vals))
        res = qc(tpm, values='bad.values')
        expect_only(res, ('pcr-digest',))
        expect(res['covered'] == [], res['covered'])
    # a value missing
    vals = {b: dict(p) for b, p in FX['vals'].items()}
    del vals['sha256'][2]
    tpm.write('bad.values', values_text(vals))
    res = qc(tpm, values='bad.values')
    expect_only(res, ('pcr-digest',))
    expect('no value for PCR 2' in res['checks']['pcr-digest']['message'],
           res)


@test
def value_outside_selection_ignored():
    tpm = fixture()
    if not tpm.t.tcti:
        return
    vals = {b: dict(p) for b, p in FX['vals'].items()}
    vals['sha256'][7] = b'\x77' * 32
    vals['sha1'][3] = b'\x33' * 20
    tpm.write('more.values', values_text(vals))
    res = qc(tpm, values='more.values')
    expect_only(res, ())
    expect(res['ignored'] == 2, res)
    cov = {(c['bank'], c['pcr']) for c in res['covered']}
    expect(('sha256', 7) not in cov and len(cov) == 5, cov)


@test
def cut_and_extended_files_fail_parse():
    tpm = fixture()
    if not tpm.t.tcti:
        return
    attest, sig = tpm.read('ak.attest'), tpm.read('ak.sig')
    for bad in (attest[:-1], attest + b'\x00', attest[:10], b''):
        res = qc(tpm, attest=tpm.write('bad.attest', bad))
        expect_only(res, ('attest-parse', 'signature'),
                    ('magic', 'type', 'nonce', 'qualified-signer',
                     'pcr-selection', 'pcr-digest', 'clock-safe'))
    for bad in (sig[:-1], sig + b'\x00', sig[:3], b''):
        res = qc(tpm, sig=tpm.write('bad.sig', bad))
        expect_only(res, ('signature-parse',),
                    ('signature-scheme', 'signature'))


@test
def usage_errors_exit_2():
    tpm = fixture()
    if not tpm.t.tcti:
        return
    for extra in (['--pcrs', 'sha256:0-24'], ['--pcrs', 'md5:0'],
                  ['--nonce', 'abc'], ['--bogus']):
        args = ['--attest', tpm.path('ak.attest'), '--sig',
                tpm.path('ak.sig'), '--ak', tpm.path('ak.pub'), '--nonce',
                NONCE.hex(), '--pcrs', SEL] + extra
        rc, out, err = run(args)
        expect(rc == 2, (extra, rc, err))


if __name__ == '__main__':
    try:
        rc = main(sys.argv)
    finally:
        if 'tpm' in FX:
            FX['tpm'].stop()
    sys.exit(rc)
