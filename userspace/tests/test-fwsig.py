#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""vtrust sign and vtrust verify-file against OpenSSL.

 - what 'vtrust sign' writes, 'openssl cms -verify' accepts, with the signer
   found only among the given certificates (-nointern); its form is what
   the kernel takes for firmware (signed contentType and messageDigest, no
   S/MIME capabilities, no certificates, the signer named by the subject
   key identifier that openssl x509 reads from the certificate); RSA with
   SHA-256/384/512, ECDSA P-256, and SM2 with SM3;
 - verify-file says good for it, and refuses, with the kernel's reason, a
   changed file, another key, a cut or padded signature, none at all, one
   over 64 KiB, and openssl's own signatures without signed attributes or
   with S/MIME capabilities; it takes openssl's issuer-and-serial ones;
 - bad input (a key that is not the certificate's, a certificate without a
   subject key identifier, a hash the key does not take, a file that cannot
   be read) is refused with a clear error and writes nothing, and an
   existing FILE.p7s stays as it was.

Usage: test-fwsig.py VTRUST [TEST]...
"""
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import expect, main, run, test  # noqa: E402

D = tempfile.mkdtemp(prefix='vtrust-fwsig-')


def p(name):
    return os.path.join(D, name)


def ossl(*args, ok=True):
    r = subprocess.run(['openssl'] + list(args), capture_output=True)
    if ok and r.returncode:
        raise AssertionError('openssl %s: %s' % (' '.join(args),
                                                 r.stderr.decode()))
    return r


def key(name, alg='rsa', skid=True):
    """KEY.pem, its certificate KEY.crt (PEM) and KEY.der."""
    if not os.path.exists(p(name + '.pem')):
        conf = p(name + '.cnf')
        with open(conf, 'w') as f:
            f.write('[req]\ndistinguished_name = dn\nprompt = no\n'
                    'x509_extensions = v3\n[dn]\nCN = %s\n[v3]\n%s'
                    'basicConstraints = CA:FALSE\n' %
                    (name, 'subjectKeyIdentifier = hash\n' if skid else
                     'subjectKeyIdentifier = none\n'
                     'authorityKeyIdentifier = none\n'))
        if alg == 'sm2':
            ossl('genpkey', '-algorithm', 'SM2', '-out', p(name + '.pem'))
        elif alg == 'ec':
            ossl('genpkey', '-algorithm', 'EC', '-pkeyopt',
                 'ec_paramgen_curve:P-256', '-out', p(name + '.pem'))
        else:
            ossl('genpkey', '-algorithm', 'RSA', '-pkeyopt',
                 'rsa_keygen_bits:2048', '-out', p(name + '.pem'))
        ossl('req', '-config', conf, '-x509', '-key', p(name + '.pem'),
             '-days', '2', '-out', p(name + '.crt'),
             *(['-sm3'] if alg == 'sm2' else []))
        ossl('x509', '-in', p(name + '.crt'), '-outform', 'DER', '-out',
             p(name + '.der'))
    return p(name + '.pem'), p(name + '.crt')


def skid_of(crt):
    out = ossl('x509', '-in', crt, '-noout', '-ext',
               'subjectKeyIdentifier').stdout.decode()
    return out.strip().splitlines()[-1].replace(':', '').strip().lower()


def blob(name, size=5000):
    with open(p(name), 'wb') as f:
        f.write(os.urandom(size))
    return p(name)


def openssl_verifies(path, sig, crt):
    return ossl('cms', '-verify', '-binary', '-inform', 'DER', '-in', sig,
                '-content', path, '-certfile', crt, '-nointern', '-noverify',
                '-out', os.devnull, ok=False).returncode == 0


def verify_file(path, *certs, sig=None):
    args = ['verify-file', '--json']
    for c in certs:
        args += ['--cert', c]
    if sig:
        args += ['--sig', sig]
    rc, out, err = run(args + [path])
    return rc, json.loads(out)[0] if out.strip() else None, err


@test
def sign_is_what_openssl_and_the_kernel_take():
    k, c = key('k1')
    for h in ('sha256', 'sha384', 'sha512'):
        f = blob('fw-' + h, 70001)
        rc, out, err = run(['sign', '--key', k, '--cert', c, '--hash', h, f])
        expect(rc == 0, 'sign %s: %d %s' % (h, rc, err))
        expect(out.strip() == '%s.p7s: signed by skid:%s (%s)' %
               (f, skid_of(c), h), 'sign printed %r' % out)
        expect(openssl_verifies(f, f + '.p7s', c),
               'openssl does not verify the %s signature' % h)
        _, c2 = key('k2')
        expect(not openssl_verifies(f, f + '.p7s', c2),
               'openssl verifies it with another key')
        text = ossl('cms', '-cmsout', '-print', '-inform', 'DER', '-in',
                    f + '.p7s').stdout.decode()
        for what in ('contentType', 'messageDigest'):
            expect(what in text, 'no signed %s' % what)
        expect('SMIMECapabilities' not in text and 'S/MIME' not in text,
               'S/MIME capabilities in the signature')
        expect(re.search(r'certificates:\s*<ABSENT>', text),
               'certificates in the signature')
        expect('d.subjectKeyIdentifier' in text, 'signer not by its SKID')
        rc, o, _ = verify_file(f, c)
        expect(rc == 0 and o['verdict'] == 'good' and
               o['key_id'] == 'skid:' + skid_of(c) and
               o['signers'][0]['digest'] == h, 'verify-file: %r' % o)


@test
def ecdsa_p256():
    k, c = key('ec', alg='ec')
    f = blob('fw-ec')
    rc, out, err = run(['sign', '--key', k, '--cert', c, f])
    expect(rc == 0, 'sign: %d %s' % (rc, err))
    expect(openssl_verifies(f, f + '.p7s', c), 'openssl does not verify')
    rc, o, _ = verify_file(f, c)
    expect(rc == 0 and o['key_id'] == 'skid:' + skid_of(c), repr(o))


@test
def sm2_with_sm3():
    k, c = key('sm2', alg='sm2')
    f = blob('fw-sm2')
    rc, out, err = run(['sign', '--key', k, '--cert', c, f])
    expect(rc == 0, 'sign: %d %s' % (rc, err))
    expect(openssl_verifies(f, f + '.p7s', c), 'openssl does not verify')
    text = ossl('cms', '-cmsout', '-print', '-inform', 'DER', '-in',
                f + '.p7s').stdout.decode()
    expect('SM2-with-SM3' in text and 'sm3' in text, 'not SM2-with-SM3')
    rc, o, _ = verify_file(f, c)
    expect(rc == 0 and o['signers'][0]['digest'] == 'sm3', repr(o))
    rc, _, err = run(['sign', '--key', k, '--cert', c, '--hash', 'sha256', f])
    expect(rc == 2 and 'sm3 only' in err, 'SM2 with sha256: %d %s' % (rc, err))


@test
def verify_file_refusals():
    k, c = key('k1')
    k2, c2 = key('k2')
    f = blob('fw-r')
    run(['sign', '--key', k, '--cert', c, f])
    with open(f + '.p7s', 'rb') as s:
        good = s.read()
    cases = []

    def sig(name, data):
        with open(p(name), 'wb') as s:
            s.write(data)
        return p(name)

    cases.append(('cut', sig('cut.p7s', good[:-20]), c, 'bad-signature'))
    cases.append(('padded', sig('pad.p7s', good + b'\0'), c,
                  'bad-signature'))
    cases.append(('empty', sig('empty.p7s', b''), c, 'bad-signature'))
    cases.append(('over 64 KiB', sig('big.p7s', good + b'\0' * 65536), c,
                  'bad-signature'))
    cases.append(('another key', f + '.p7s', c2, 'unknown-key'))
    ossl('cms', '-sign', '-binary', '-noattr', '-nocerts', '-md', 'sha256',
         '-inkey', k, '-signer', c, '-in', f, '-outform', 'DER', '-out',
         p('noattr.p7s'))
    cases.append(('no signed attributes', p('noattr.p7s'), c,
                  'bad-signature'))
    ossl('cms', '-sign', '-binary', '-md', 'sha256', '-inkey', k, '-signer',
         c, '-in', f, '-outform', 'DER', '-out', p('smime.p7s'))
    cases.append(('S/MIME capabilities', p('smime.p7s'), c, 'bad-signature'))
    for what, s, cert, reason in cases:
        rc, o, err = verify_file(f, cert, sig=s)
        expect(rc == 1 and o['verdict'] == 'refused' and
               o['reason'] == reason,
               '%s: expected %s, got %d %r %s' % (what, reason, rc, o, err))
    # issuer and serial, with the certificate in the message: good
    ossl('cms', '-sign', '-binary', '-nosmimecap', '-md', 'sha256',
         '-inkey', k, '-signer', c, '-in', f, '-outform', 'DER', '-out',
         p('is.p7s'))
    rc, o, _ = verify_file(f, c, sig=p('is.p7s'))
    expect(rc == 0 and o['key_id'].startswith('issuer-serial:'), repr(o))
    # the file changed after signing
    with open(f, 'ab') as b:
        b.write(b'x')
    rc, o, _ = verify_file(f, c)
    expect(rc == 1 and o['reason'] == 'bad-signature' and
           'changed after signing' in o['detail'], repr(o))
    # no signature at all, and several files: each reported, exit 1
    g = blob('fw-nosig')
    rc, out, _ = run(['verify-file', '--cert', c, g, p('fw-sm2')])
    expect(rc == 1 and 'refused: no-signature' in out, out)


@test
def bad_input_writes_nothing():
    k, c = key('k1')
    k2, c2 = key('k2')
    kn, cn = key('noskid', skid=False)
    f = blob('fw-b')
    run(['sign', '--key', k, '--cert', c, f])
    with open(f + '.p7s', 'rb') as s:
        before = s.read()
    g = blob('fw-b2')
    for args, rc_want, text in (
            (['--key', k2, '--cert', c, f, g], 2, 'does not hold the public key'),
            (['--key', kn, '--cert', cn, f, g], 2, 'no subject key identifier'),
            (['--key', k, '--cert', c, '--hash', 'md5', f, g], 2,
             'not sha256, sha384 or sha512'),
            (['--key', c, '--cert', c, f, g], 2, 'not a PEM private key'),
            (['--key', k, '--cert', k, f, g], 2, 'not an X.509 certificate'),
            (['--key', k, f, g], 2, '--key and --cert are required'),
            (['--key', k, '--cert', c], 2, 'no FILE'),
            (['--key', k, '--cert', c, p('missing'), g], 3,
             'No such file')):
        rc, out, err = run(['sign'] + args)
        expect(rc == rc_want and text in err,
               'sign %s: expected %d "%s", got %d %s' %
               (args, rc_want, text, rc, err))
        with open(f + '.p7s', 'rb') as s:
            expect(s.read() == before, 'sign %s changed %s.p7s' % (args, f))
        expect(not os.path.exists(g + '.p7s'), 'sign %s wrote %s.p7s' %
               (args, g))
    leftovers = [n for n in os.listdir(D) if '.p7s.' in n]
    expect(not leftovers, 'temporary files left: %s' % leftovers)
    for args, text in ((['verify-file', f], 'no --cert'),
                       (['verify-file', '--cert', c], 'no FILE'),
                       (['verify-file', '--cert', c, '--sig', f + '.p7s', f,
                         g], '--sig goes with one FILE'),
                       (['verify-file', '--cert', f, f],
                        'not an X.509 certificate')):
        rc, out, err = run(args)
        expect(rc == 2 and text in err,
               '%s: %d %s %s' % (args, rc, out, err))


@test
def log_names_the_signers():
    """vtrust log --json on an ima-modsig entry holding a .p7s: its signer,
    as openssl x509 reads the certificate's subject key identifier."""
    import hashlib
    import struct
    k, c = key('k1')
    f = blob('fw-log')
    run(['sign', '--key', k, '--cert', c, f])
    with open(f + '.p7s', 'rb') as s:
        p7s = s.read()
    with open(f, 'rb') as b:
        dng = b'sha256:\0' + hashlib.sha256(b.read()).digest()

    def fld(b):
        return struct.pack('<I', len(b)) + b
    data = (fld(dng) + fld(f.encode() + b'\0') + fld(b'') + fld(dng) +
            fld(p7s))
    entry = (struct.pack('<I', 11) + hashlib.sha1(data).digest() +
             struct.pack('<I', 10) + b'ima-modsig' +
             struct.pack('<I', len(data)) + data)
    with open(p('modsig.list'), 'wb') as o:
        o.write(entry)
    rc, out, err = run(['log', '--json', '--list', p('modsig.list')])
    expect(rc == 0, 'log: %d %s' % (rc, err))
    e = json.loads(out)[0]
    expect(e['signers'] == ['skid:' + skid_of(c)] and e['name'] == f,
           'log --json: %r' % e)


@test
def help_and_usage():
    for cmd in ('sign', 'verify-file'):
        rc, out, _ = run([cmd, '--help'])
        expect(rc == 0 and out.startswith('Usage: vtrust ' + cmd), out)
        rc, _, err = run([cmd, '--bogus'])
        expect(rc == 2 and "unknown option '--bogus'" in err, err)


if __name__ == '__main__':
    try:
        sys.exit(main(sys.argv))
    finally:
        subprocess.run(['rm', '-rf', D])
