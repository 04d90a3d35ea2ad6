#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Tests of the guest side of remote attestation (vtrust ek, ak, credential,
quote) against a software TPM: swtpm on a TCP port of this host, with an EK
certificate from a local CA. tpm2-tools and OpenSSL are the independent
side: every check compares vtrust's output with what they say. Skipped
(and counted as passed) without swtpm or tpm2-tools.

Usage: test-attest.py VTRUST [TEST]...
"""
import base64
import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import expect, expect_rc, main, run, test, tree  # noqa: E402
from swtpm import Swtpm  # noqa: E402
import tpm2files  # noqa: E402

BANKS = ('sha1', 'sha256')
TPM_ALG = {0x0004: 'sha1', 0x000b: 'sha256', 0x000c: 'sha384',
           0x000d: 'sha512', 0x0012: 'sm3_256'}
AK = '0x81010002'
AK_ECC = '0x81010003'
SWTPM = {}
TOOLS = ('tpm2_createek', 'tpm2_makecredential', 'tpm2_checkquote',
         'tpm2_readpublic', 'tpm2_nvread', 'openssl')


def tpm():
    """The swtpm of all tests, or None (skip)."""
    if 'tpm' not in SWTPM:
        if not all(shutil.which(t) for t in TOOLS):
            print('     (no tpm2-tools or openssl: skipped)')
            SWTPM['tpm'] = None
        else:
            SWTPM['tpm'] = Swtpm(banks=BANKS, ek_cert=True)
    t = SWTPM['tpm']
    return t if t and t.tcti else None


def tool(t, args, binary=False, check=True):
    """A tpm2-tools or openssl command; then flush what tpm2-tools left
    loaded (there is no resource manager between them and swtpm)."""
    p = subprocess.run(args, capture_output=True, env=t.env())
    if args[0].startswith('tpm2_'):
        for f in ('-t', '-s'):
            subprocess.run(['tpm2_flushcontext', f], capture_output=True,
                           env=t.env())
    if check and p.returncode:
        raise AssertionError('%s: exit %d\n%s' % (' '.join(args),
                                                  p.returncode,
                                                  p.stderr.decode()))
    return p.stdout if binary else p.stdout.decode()


def vt(t, args):
    return run(args, env={'TPM2TOOLS_TCTI': t.tcti})


def vt_json(t, args, rc=0):
    res = vt(t, args)
    expect_rc(res, rc)
    return json.loads(res[1])


def spki(t, pem_text, d):
    """A public key as OpenSSL re-encodes it (DER)."""
    path = os.path.join(d, 'k.pem')
    with open(path, 'w') as f:
        f.write(pem_text)
    return tool(t, ['openssl', 'pkey', '-pubin', '-in', path, '-outform',
                    'der'], binary=True)


def readpublic(t, handle):
    """tpm2_readpublic's fields we compare: name, qualified name,
    attributes, and the TPM2B_PUBLIC (tss format) and PEM files."""
    with tree() as d:
        tss, pem = os.path.join(d, 'p.tss'), os.path.join(d, 'p.pem')
        out = tool(t, ['tpm2_readpublic', '-c', handle, '-o', tss])
        tool(t, ['tpm2_readpublic', '-c', handle, '-f', 'pem', '-o', pem])
        info = {'tss': open(tss, 'rb').read(), 'pem': open(pem).read()}
    attrs = None
    lines = out.splitlines()
    for i, line in enumerate(lines):
        if line.startswith('name:'):
            info['name'] = line.split()[1]
        elif line.startswith('qualified name:'):
            info['qname'] = line.split()[2]
        elif line.startswith('attributes:'):
            attrs = lines[i + 1].split(':', 1)[1].strip()
    info['attributes'] = set(attrs.split('|'))
    return info


def ensure_ak(t, handle=AK, alg='rsa'):
    """The AK at @handle (made once)."""
    res = vt(t, ['ak', 'show', '--handle', handle, '--json'])
    if res[0] == 0:
        return json.loads(res[1])
    return vt_json(t, ['ak', 'create', '--alg', alg, '--handle', handle,
                       '--json'])


def pem_body(pem_text):
    return base64.b64decode(''.join(
        line for line in pem_text.splitlines() if not line.startswith('-')))


@test
def ek_show_rsa_matches_tpm2_tools_and_certificate():
    t = tpm()
    if not t:
        return
    ek = vt_json(t, ['ek', 'show', '--json'])
    with tree() as d:
        ref = os.path.join(d, 'ek.pem')
        tool(t, ['tpm2_createek', '-G', 'rsa', '-c', os.path.join(d, 'ctx'),
                 '-u', ref, '-f', 'pem'])
        expect(spki(t, ek['public'], d) == spki(t, open(ref).read(), d),
               'EK public differs from tpm2_createek')
        rp = readpublic(t, '0x81010001')
        expect(spki(t, rp['pem'], d) == spki(t, ek['public'], d),
               'EK public differs from 0x81010001')
        expect(ek['name'] == rp['name'], (ek['name'], rp['name']))
        expect(base64.b64decode(ek['tpm2b_public']) == rp['tss'],
               'tpm2b_public differs from tpm2_readpublic -o')
        # the certificate: the NV bytes, and the local CA accepts it
        der = os.path.join(d, 'cert.der')
        tool(t, ['tpm2_nvread', '0x01c00002', '-C', 'o', '-o', der])
        raw = open(der, 'rb').read()
        expect(ek['certificate'] and pem_body(ek['certificate']) == raw,
               'the certificate is not the NV bytes')
        cert = os.path.join(d, 'cert.pem')
        with open(cert, 'w') as f:
            f.write(ek['certificate'])
        out = tool(t, ['openssl', 'verify', '-CAfile', t.ca_pem,
                       '-untrusted', t.issuer_pem, cert])
        expect(out.strip().endswith(': OK'), out)
        # E1: the certificate's key is the EK
        key = tool(t, ['openssl', 'x509', '-in', cert, '-noout', '-pubkey'])
        expect(spki(t, key, d) == spki(t, ek['public'], d),
               'certificate key differs')
    # text: the two PEMs
    res = vt(t, ['ek', 'show'])
    expect_rc(res, 0)
    expect(res[1] == ek['public'] + ek['certificate'], res[1])


@test
def ek_show_ecc_and_sm2():
    t = tpm()
    if not t:
        return
    ek = vt_json(t, ['ek', 'show', '--alg', 'ecc', '--json'])
    expect(ek['algorithm'] == 'ecc' and ek['certificate'] is None, ek)
    with tree() as d:
        ref = os.path.join(d, 'ek.pem')
        tool(t, ['tpm2_createek', '-G', 'ecc', '-c', os.path.join(d, 'ctx'),
                 '-u', ref, '-f', 'pem'])
        expect(spki(t, ek['public'], d) == spki(t, open(ref).read(), d),
               'ECC EK differs from tpm2_createek')
        # the name is nameAlg || SHA-256(TPMT_PUBLIC)
        pub = base64.b64decode(ek['tpm2b_public'])
        expect(struct.unpack('>H', pub[:2])[0] == len(pub) - 2, 'size')
        expect(ek['name'] == '000b' + hashlib.sha256(pub[2:]).hexdigest(),
               ek['name'])
    res = vt(t, ['ek', 'show', '--alg', 'ecc'])
    expect_rc(res, 0)
    expect('no EK certificate at NV 0x01c0000a' in res[2], res[2])
    # a certificate longer than one NV_Read (the TPM's NV buffer, 1024):
    # the bytes as stored, whatever they are
    with tree() as d:
        blob = os.path.join(d, 'blob')
        with open(blob, 'wb') as f:
            f.write(os.urandom(2000))
        tool(t, ['tpm2_nvdefine', '0x01c0000a', '-C', 'p', '-s', '2000',
                 '-a', 'ppwrite|ppread|ownerread|authread|no_da|'
                 'platformcreate'])
        try:
            tool(t, ['tpm2_nvwrite', '0x01c0000a', '-C', 'p', '-i', blob])
            ek = vt_json(t, ['ek', 'show', '--alg', 'ecc', '--json'])
            raw = tool(t, ['tpm2_nvread', '0x01c0000a', '-C', 'o'],
                       binary=True)
        finally:
            tool(t, ['tpm2_nvundefine', '0x01c0000a', '-C', 'p'])
        expect(len(raw) == 2000 and ek['certificate'] and
               pem_body(ek['certificate']) == raw, 'a long certificate')
    # libtpms 0.9 has no SM3 or SM4: a clear error
    res = vt(t, ['ek', 'show', '--alg', 'sm2'])
    expect_rc(res, 3)
    expect('cannot make SM2 keys' in res[2], res[2])
    res = vt(t, ['ek', 'show', '--alg', 'dsa'])
    expect_rc(res, 2)


@test
def ak_create_and_show():
    t = tpm()
    if not t:
        return
    res = vt(t, ['ak', 'show', '--handle', '0x81010009'])
    expect_rc(res, 2)
    expect('no key at 0x81010009' in res[2], res[2])
    ak = ensure_ak(t)
    rp = readpublic(t, AK)
    want = {'fixedtpm', 'fixedparent', 'sensitivedataorigin', 'userwithauth',
            'restricted', 'sign'}
    expect(rp['attributes'] == want, rp['attributes'])
    expect(ak['name'] == rp['name'], (ak, rp['name']))
    show = vt_json(t, ['ak', 'show', '--json'])
    expect(show['handle'] == AK and show['algorithm'] == 'rsa' and
           show['name'] == rp['name'], show)
    expect(base64.b64decode(show['tpm2b_public']) == rp['tss'],
           'tpm2b_public differs')
    with tree() as d:
        expect(spki(t, show['public'], d) == spki(t, rp['pem'], d),
               'AK public differs')
    persistent = tool(t, ['tpm2_getcap', 'handles-persistent'])
    expect('- ' + AK in persistent, persistent)
    # E6: a child of the EK (the endorsement hierarchy): QN(AK) =
    # 000b || SHA-256(QN(EK) || Name(AK))
    ek = readpublic(t, '0x81010001')
    qn = '000b' + hashlib.sha256(bytes.fromhex(ek['qname']) +
                                 bytes.fromhex(rp['name'])).hexdigest()
    expect(rp['qname'] == qn, 'the AK is not a child of the RSA EK')
    # an occupied handle needs --force, which makes a new key there
    res = vt(t, ['ak', 'create'])
    expect_rc(res, 2)
    expect('0x81010002 is in use (--force' in res[2], res[2])
    again = vt_json(t, ['ak', 'create', '--force', '--json'])
    expect(again['name'] != ak['name'] and
           again['name'] == readpublic(t, AK)['name'], again)
    # ECC, ECDSA with SHA-256
    ecc = ensure_ak(t, AK_ECC, 'ecc')
    expect(ecc['algorithm'] == 'ecc', ecc)
    out = tool(t, ['tpm2_readpublic', '-c', AK_ECC])
    expect('value: ecdsa' in out and 'value: sha256' in out and
           'raw: 0x3\n' in out.split('curve-id:')[1], out)
    expect(ecc['name'] == readpublic(t, AK_ECC)['name'], ecc)
    res = vt(t, ['ak', 'create', '--handle', '0x01000000'])
    expect_rc(res, 2)
    expect('--handle: a persistent handle' in res[2], res[2])
    res = vt(t, ['ak', 'create', '--alg', 'sm2', '--handle', '0x81010004'])
    expect_rc(res, 3)
    expect('cannot make SM2 keys' in res[2], res[2])
    expect('0x81010004' not in tool(t, ['tpm2_getcap', 'handles-persistent']),
           'an SM2 AK was made')


@test
def credential_activate():
    t = tpm()
    if not t:
        return
    ak = ensure_ak(t)
    with tree() as d:
        ekpub = os.path.join(d, 'ek.pub')
        tool(t, ['tpm2_createek', '-G', 'rsa', '-c', os.path.join(d, 'ctx'),
                 '-u', ekpub])
        secret = os.urandom(32)
        sfile = os.path.join(d, 'secret.bin')
        with open(sfile, 'wb') as f:
            f.write(secret)
        cred = os.path.join(d, 'cred.out')
        tool(t, ['tpm2_makecredential', '-T', 'none', '-e', ekpub, '-s',
                 sfile, '-n', ak['name'], '-o', cred])
        res = vt(t, ['credential', 'activate', cred])
        expect_rc(res, 0)
        expect(res[1] == secret.hex() + '\n', (res[1], secret.hex()))
        out = os.path.join(d, 'got.bin')
        res = vt(t, ['credential', 'activate', cred, '--out', out])
        expect_rc(res, 0)
        expect(open(out, 'rb').read() == secret and
               os.stat(out).st_mode & 0o777 == 0o600, 'the --out file')
        # made for another AK's name: refused, nothing written
        other = '000b' + hashlib.sha256(b'other').hexdigest()
        bad = os.path.join(d, 'bad.out')
        tool(t, ['tpm2_makecredential', '-T', 'none', '-e', ekpub, '-s',
                 sfile, '-n', other, '-o', bad])
        out2 = os.path.join(d, 'no.bin')
        res = vt(t, ['credential', 'activate', bad, '--out', out2])
        expect_rc(res, 2)
        expect('refuses the credential: it was not made for the AK at '
               '0x81010002' in res[2], res[2])
        expect(not os.path.exists(out2) and secret.hex() not in res[1],
               'something was written')
        # not a credential file; a truncated one
        res = vt(t, ['credential', 'activate', sfile])
        expect_rc(res, 2)
        expect('not a credential file' in res[2], res[2])
        trunc = os.path.join(d, 'trunc.out')
        with open(trunc, 'wb') as f:
            f.write(open(cred, 'rb').read()[:-1])
        res = vt(t, ['credential', 'activate', trunc])
        expect_rc(res, 2)
        expect('broken credential file' in res[2], res[2])
        # the ECC AK: its parent, the ECC EK, found from its qualified name
        ecc = ensure_ak(t, AK_ECC, 'ecc')
        tool(t, ['tpm2_createek', '-G', 'ecc', '-c', os.path.join(d, 'ctx'),
                 '-u', ekpub, '-f', 'pem'])
        tool(t, ['tpm2_makecredential', '-T', 'none', '-G', 'ecc', '-e',
                 ekpub, '-s', sfile, '-n', ecc['name'], '-o', cred])
        res = vt(t, ['credential', 'activate', cred, '--handle', AK_ECC])
        expect_rc(res, 0)
        expect(res[1] == secret.hex() + '\n', res)


def parse_attest(b):
    """TPMS_ATTEST of a quote: the fields the tests look at."""
    magic, typ = struct.unpack_from('>IH', b, 0)
    off = 6
    n, = struct.unpack_from('>H', b, off)
    signer = b[off + 2:off + 2 + n]
    off += 2 + n
    n, = struct.unpack_from('>H', b, off)
    extra = b[off + 2:off + 2 + n]
    off += 2 + n
    clock, reset, restart, safe = struct.unpack_from('>QIIB', b, off)
    off += 17 + 8
    count, = struct.unpack_from('>I', b, off)
    off += 4
    sel = []
    for _ in range(count):
        alg, size = struct.unpack_from('>HB', b, off)
        bits = int.from_bytes(b[off + 3:off + 3 + size], 'little')
        sel.append((TPM_ALG[alg], [k for k in range(8 * size)
                                   if bits >> k & 1]))
        off += 3 + size
    n, = struct.unpack_from('>H', b, off)
    digest = b[off + 2:off + 2 + n]
    off += 2 + n
    expect(off == len(b), 'trailing bytes in the attest')
    return {'magic': magic, 'type': typ, 'signer': signer, 'extra': extra,
            'reset': reset, 'restart': restart, 'safe': safe, 'sel': sel,
            'digest': digest}


def fake_logs(root):
    """Small logs under a --sysfs-root tree: {bundle key: bytes}."""
    sec = os.path.join(root, 'sys/kernel/security')
    files = {
        'uefi': 'tpm0/binary_bios_measurements',
        'ima': 'ima/binary_runtime_measurements',
        'ima_sha256': 'ima/binary_runtime_measurements_sha256',
        'vtrust': 'vtrust/binary_runtime_measurements',
        'vtrust_sha1': 'vtrust/binary_runtime_measurements_sha1',
        'vtrust_sm3_256': 'vtrust/binary_runtime_measurements_sm3_256',
    }
    want = {}
    for key, rel in files.items():
        path = os.path.join(sec, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        want[key] = os.urandom(100 + len(want)) if key != 'ima' else b''
        with open(path, 'wb') as f:
            f.write(want[key])
    return want


def pcrread(t):
    return {b: {k: v.hex() for k, v in vals.items()}
            for b, vals in tpm2files.pcrread(t.tcti).items()}


@test
def quote_bundle_checks_with_tpm2_tools():
    t = tpm()
    if not t:
        return
    ensure_ak(t)
    tool(t, ['tpm2_pcrextend', '3:sha1=%s,sha256=%s' %
             (os.urandom(20).hex(), os.urandom(32).hex())])
    nonce = os.urandom(32).hex()
    with tree() as root:
        logs = fake_logs(root)
        ev = os.path.join(root, 'ev.json')
        res = vt(t, ['quote', '--nonce', nonce, '--out', ev, '--sysfs-root',
                     root])
        expect_rc(res, 0)
        b = json.load(open(ev))
        expect(b['format'] == 'vtrust-evidence' and b['version'] == 1 and
               b['nonce'] == nonce, b)
        expect(b['collected']['tool'].startswith('vtrust ') and
               b['collected']['time'].endswith('Z'), b['collected'])
        attest = base64.b64decode(b['quote']['attest'])
        a = parse_attest(attest)
        expect(a['magic'] == 0xff544347 and a['type'] == 0x8018, a)
        expect(a['extra'].hex() == nonce, a)
        # every allocated bank, PCRs 0-15
        expect(a['sel'] == [(bk, list(range(16))) for bk in BANKS], a['sel'])
        # qualifiedSigner is the AK's qualified name
        rp = readpublic(t, AK)
        expect(a['signer'].hex() == rp['qname'], 'qualifiedSigner')
        # E6: the endorsement hierarchy shows the real counters
        clk = tool(t, ['tpm2_readclock'])
        expect('reset_count: %d' % a['reset'] in clk and
               'restart_count: %d' % a['restart'] in clk, (a, clk))
        # the PCR values are tpm2_pcrread's
        now = pcrread(t)
        for bk in BANKS:
            expect(b['pcrs'][bk] == {str(k): now[bk][k] for k in range(16)},
                   (bk, b['pcrs'][bk]))
        # the logs are the files, byte for byte
        expect(set(b['logs']) == set(logs), sorted(b['logs']))
        for key, data in logs.items():
            expect(base64.b64decode(b['logs'][key]) == data, key)
        # the EK is the AK's parent, with its certificate
        ek = vt_json(t, ['ek', 'show', '--json'])
        expect(b['ek'] == {k: ek[k] for k in ('public', 'certificate',
                                             'tpm2b_public')}, b['ek'])
        expect(b['ak']['handle'] == AK and b['ak']['name'] == rp['name'] and
               base64.b64decode(b['ak']['tpm2b_public']) == rp['tss'],
               b['ak'])
        # tpm2_checkquote accepts it
        values = b''.join(bytes.fromhex(b['pcrs'][bk][str(k)])
                          for bk in BANKS for k in range(16))
        files = {'m': attest, 's': base64.b64decode(b['quote']['signature']),
                 'f': tpm2files.checkquote_pcrs(b['pcrs'], BANKS)}
        for name, data in files.items():
            with open(os.path.join(root, name), 'wb') as f:
                f.write(data)
        with open(os.path.join(root, 'ak.pem'), 'w') as f:
            f.write(b['ak']['public'])
        check = ['tpm2_checkquote', '-u', os.path.join(root, 'ak.pem'),
                 '-m', os.path.join(root, 'm'), '-s',
                 os.path.join(root, 's'), '-f', os.path.join(root, 'f'),
                 '-g', 'sha256', '-q', nonce]
        tool(t, check)
        # and refuses a changed PCR value
        bad = bytearray(files['f'])
        bad[-64] ^= 1                   # sha256 PCR 15, its first byte
        with open(os.path.join(root, 'f'), 'wb') as f:
            f.write(bad)
        p = subprocess.run(check, capture_output=True, env=t.env())
        expect(p.returncode != 0, 'tpm2_checkquote accepted a changed PCR')
        # the pcrDigest, with the signature's hash (SHA-256)
        expect(hashlib.sha256(values).digest() == a['digest'],
               'pcrDigest')


@test
def quote_pcr_list_and_missing_logs():
    t = tpm()
    if not t:
        return
    ensure_ak(t)
    with tree() as root:
        ev = os.path.join(root, 'ev.json')
        res = vt(t, ['quote', '--nonce', 'ab', '--pcrs', '0-7,10,11',
                     '--out', ev, '--sysfs-root', root])
        expect_rc(res, 0)
        b = json.load(open(ev))
        want = [0, 1, 2, 3, 4, 5, 6, 7, 10, 11]
        a = parse_attest(base64.b64decode(b['quote']['attest']))
        expect(a['sel'] == [(bk, want) for bk in BANKS], a['sel'])
        expect(sorted(b['pcrs']['sha256'], key=int) ==
               [str(k) for k in want], b['pcrs'])
        expect(b['logs'] == {'uefi': None, 'ima': None, 'vtrust': None},
               b['logs'])
        # the ECC AK signs with ECDSA; tpm2_checkquote accepts it too
        ensure_ak(t, AK_ECC, 'ecc')
        res = vt(t, ['quote', '--nonce', 'cd', '--handle', AK_ECC, '--pcrs',
                     '0', '--out', ev, '--sysfs-root', root])
        expect_rc(res, 0)
        b = json.load(open(ev))
        files = {'m': base64.b64decode(b['quote']['attest']),
                 's': base64.b64decode(b['quote']['signature']),
                 'ak.pem': b['ak']['public'].encode()}
        for name, data in files.items():
            with open(os.path.join(root, name), 'wb') as f:
                f.write(data)
        tool(t, ['tpm2_checkquote', '-u', os.path.join(root, 'ak.pem'),
                 '-m', os.path.join(root, 'm'), '-s',
                 os.path.join(root, 's'), '-g', 'sha256', '-q', 'cd'])


@test
def quote_errors():
    t = tpm()
    if not t:
        return
    ensure_ak(t)
    with tree() as root:
        ev = os.path.join(root, 'ev.json')
        for args, rc, msg in (
                (['--nonce', '00' * 65], 2, '--nonce: 1 to 64 bytes'),
                (['--nonce', 'zz'], 2, '--nonce: 1 to 64 bytes'),
                (['--nonce', 'abc'], 2, '--nonce: 1 to 64 bytes'),
                (['--nonce', ''], 2, '--nonce: 1 to 64 bytes'),
                ([], 2, '--nonce is required'),
                (['--nonce', '00', '--pcrs', '0-24'], 2, '--pcrs:'),
                (['--nonce', '00', '--pcrs', '3-1'], 2, '--pcrs:'),
                (['--nonce', '00', '--handle', '0x81010009'], 2,
                 'no key at 0x81010009'),
                (['--nonce', '00', '--handle', '0x81010001'], 2,
                 'is not a restricted signing key')):
            res = vt(t, ['quote', '--out', ev, '--sysfs-root', root] + args)
            expect_rc(res, rc)
            expect(msg in res[2], (args, res[2]))
            expect(not os.path.exists(ev), 'written: %s' % args)
        res = vt(t, ['quote', '--nonce', '00', '--sysfs-root', root])
        expect_rc(res, 2)
        expect('--out is required' in res[2], res[2])
        bad = os.path.join(root, 'no/such/dir/ev.json')
        res = vt(t, ['quote', '--nonce', '00', '--out', bad, '--sysfs-root',
                     root])
        expect_rc(res, 3)
        expect(bad in res[2] and 'No such file' in res[2], res[2])
        expect(os.listdir(root) == [], os.listdir(root))


@test
def usage_and_help():
    for args, rc in ((['ek', '--help'], 0), (['ak', 'create', '--help'], 0),
                     (['credential', 'activate', '--help'], 0),
                     (['quote', '--help'], 0), (['ek'], 2),
                     (['ak', 'remove'], 2), (['ak', 'show', '--nonce', '00'],
                                             2),
                     (['credential', 'activate'], 2),
                     (['ek', 'show', 'extra'], 2)):
        res = run(args)
        expect_rc(res, rc)
        if rc:
            expect(res[2].startswith('vtrust: ') and '--help' in res[2],
                   res[2])
        else:
            expect(res[1].startswith('Usage: vtrust '), res[1])
    res = run(['--help'])
    for cmd in ('ek', 'ak', 'credential', 'quote'):
        expect('\n  %s ' % cmd in res[1], res[1])
    # --json errors are JSON
    res = run(['ak', 'show', '--json'],
              env={'TPM2TOOLS_TCTI': 'swtpm:host=127.0.0.1,port=1'})
    expect_rc(res, 3)
    o = json.loads(res[1])
    expect(o['exit'] == 3 and 'cannot open the TPM' in o['error'], o)


if __name__ == '__main__':
    try:
        rc = main(sys.argv)
    finally:
        if SWTPM.get('tpm'):
            SWTPM['tpm'].stop()
    sys.exit(rc)
