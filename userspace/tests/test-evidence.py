#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Tests of `vtrust verify-evidence`, the remote verifier, on evidence that
a real (software) TPM signed: swtpm on a loopback port, whose PCRs are
extended with the digests of a machine's firmware log and lists (computed
by machine.py with hashlib, not by vtrust), quoted by `vtrust quote`.
tpm2_checkquote and OpenSSL are the independent side for honest evidence;
every tampered bundle must fail the check that names its fault.

Usage: test-evidence.py VTRUST [TEST]...
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
from evfixture import AK, TPM_BANKS, Fixture  # noqa: E402
from harness import expect, expect_rc, main, run, test, tree  # noqa: E402
TOOLS = ('tpm2_pcrextend', 'tpm2_checkquote', 'tpm2_readpublic', 'tpm2_hash',
         'tpm2_sign', 'openssl')
FX = {}


def fixture():
    """The fixture, or None (skip); a fixture that failed fails every
    test."""
    if 'error' in FX:
        raise AssertionError('fixture: %s' % FX['error'])
    if 'fx' not in FX:
        if not all(shutil.which(t) for t in TOOLS):
            print('     (no tpm2-tools or openssl: skipped)')
            FX['fx'] = None
            return None
        try:
            fx = Fixture()
        except Exception as e:  # noqa: BLE001
            FX['error'] = e
            raise
        FX['fx'] = fx if fx.t.tcti else None
    return FX['fx']


def verify(fx, bundle, nonce, *extra, ak=None, rc=None):
    """verify-evidence --json on @bundle (a dict, or bytes as they are)."""
    path = fx.path('check.json')
    with open(path, 'wb') as f:
        f.write(bundle if isinstance(bundle, bytes) else
                json.dumps(bundle).encode())
    res = run(['verify-evidence', path, '--nonce', nonce, '--ak',
               ak or fx.ak_tss, '--json'] + list(extra))
    if rc is not None:
        expect_rc(res, rc)
    try:
        v = json.loads(res[1])
    except ValueError:
        raise AssertionError('not JSON (exit %d): %s %s' % (res[0], res[1],
                                                            res[2]))
    expect(v['exit'] == res[0], (v['exit'], res[0]))
    return v


def checks(v):
    return {c['name']: c['result'] for c in v['checks']}


def failed(v):
    return sorted(n for n, r in checks(v).items() if r == 'fail')


def expect_fails(v, names, result='invalid'):
    expect(v['result'] == result and v['exit'] == 1, (v['result'], v['exit'],
                                                      failed(v)))
    expect(failed(v) == sorted(names), (failed(v), [
        (c['name'], c['message']) for c in v['checks']
        if c['result'] == 'fail']))


def edit_log(bundle, key, fn):
    b = json.loads(json.dumps(bundle))
    b['logs'][key] = base64.b64encode(fn(base64.b64decode(
        b['logs'][key]))).decode()
    return b


def list_entries(data, digest_len):
    """An IMA-format binary list as a list of entries (bytes)."""
    out, pos = [], 0
    while pos < len(data):
        start = pos
        pos += 4 + digest_len
        n, = struct.unpack_from('<I', data, pos)
        pos += 4 + n
        n, = struct.unpack_from('<I', data, pos)
        pos += 4 + n
        out.append(data[start:pos])
    return out


# ---- honest evidence ----

@test
def honest_evidence_is_valid_and_tpm2_checkquote_agrees():
    fx = fixture()
    if not fx:
        return
    b, nonce = fx.quote()
    v = verify(fx, b, nonce, rc=0)
    expect(v['result'] == 'valid', v['result'])
    st = checks(v)
    expect(all(r == 'pass' for n, r in st.items()
               if n not in ('ek-certificate', 'baseline')), st)
    expect(st['qualified-signer'] == 'pass', st)
    expect(st['ek-certificate'] == 'skipped' and st['baseline'] == 'skipped',
           st)
    # the reported attestation fields are the TPM's (tpm2_readclock)
    clock = fx.tool('tpm2_readclock').stdout.decode()
    reset = [int(line.split(':')[1]) for line in clock.splitlines()
             if 'reset_count' in line][0]
    expect(v['quote']['resetCount'] == reset and v['quote']['safe'],
           v['quote'])
    expect(v['quote']['selection'] == {bk: list(range(16))
                                       for bk in TPM_BANKS}, v['quote'])
    # tpm2_checkquote accepts the same quote, signature and AK
    att = fx.path('m')
    sig = fx.path('s')
    with open(att, 'wb') as f:
        f.write(base64.b64decode(b['quote']['attest']))
    with open(sig, 'wb') as f:
        f.write(base64.b64decode(b['quote']['signature']))
    fx.tool('tpm2_checkquote', '-u', fx.path('ak.pem'), '-m', att, '-s', sig,
            '-g', 'sha256', '-q', nonce)
    # the PCRs it replayed to are the TPM's own
    rep = v['replay']
    expect(rep['result'] == 'match', rep.get('result'))


@test
def pem_ak_needs_the_enrolled_name():
    fx = fixture()
    if not fx:
        return
    b, nonce = fx.quote()
    pem = fx.path('ak.pem')
    v = verify(fx, b, nonce, '--ak-name', fx.ak['name'], ak=pem, rc=0)
    expect(checks(v)['ak-public'] == 'pass', checks(v))
    v = verify(fx, b, nonce, ak=pem, rc=1)
    expect_fails(v, ['ak-public'])
    other = fx.ak['name'][:-2] + ('00' if fx.ak['name'][-2:] != '00' else
                                  '01')
    v = verify(fx, b, nonce, '--ak-name', other, ak=pem, rc=1)
    expect_fails(v, ['ak-public'])


@test
def ek_certificate_chains_to_the_swtpm_ca_only():
    fx = fixture()
    if not fx:
        return
    b, nonce = fx.quote()
    v = verify(fx, b, nonce, '--ek-ca', fx.ca, rc=0)
    expect(checks(v)['ek-certificate'] == 'pass', v['checks'])
    # an independent check: openssl verify agrees on the chain
    cert = fx.path('ek.pem')
    with open(cert, 'w') as f:
        f.write(b['ek']['certificate'])
    fx.tool('openssl', 'verify', '-CAfile', os.path.join(fx.ca, 'root.pem'),
            '-untrusted', os.path.join(fx.ca, 'issuer.pem'), cert)
    # another CA
    other = fx.path('other-ca')
    os.makedirs(other, exist_ok=True)
    fx.tool('openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes',
            '-keyout', os.path.join(other, 'key'), '-out',
            os.path.join(other, 'ca.pem'), '-subj', '/CN=other', '-days', '2')
    v = verify(fx, b, nonce, '--ek-ca', other, rc=1)
    expect_fails(v, ['ek-certificate'])
    # the certificate of another key than the bundle's EK
    b2 = json.loads(json.dumps(b))
    b2['ek']['certificate'] = open(os.path.join(fx.ca, 'issuer.pem')).read()
    v = verify(fx, b2, nonce, '--ek-ca', fx.ca, rc=1)
    expect_fails(v, ['ek-certificate'])


# ---- the baseline: first boot, match, a change named ----

@test
def baseline_recorded_then_trusted_then_a_new_module_named():
    fx = fixture()
    if not fx:
        return
    with tree() as d:
        base = os.path.join(d, 'b.json')
        b, nonce = fx.quote()
        v = verify(fx, b, nonce, '--baseline', base, rc=2)
        expect(v['result'] == 'error' and 'no baseline' in v['error'], v)
        v = verify(fx, b, nonce, '--baseline', base, '--init', rc=4)
        expect(v['result'] == 'recorded', v['result'])
        # the same stages as `vtrust baseline init` records from the files
        local = os.path.join(d, 'local.json')
        expect_rc(run(['baseline', 'init', '--sysfs-root', fx.root,
                       '--baseline', local, '--pcrs', 'tpm'],
                      env=fx.env()), 0)
        expect(json.load(open(base))['stages'] ==
               json.load(open(local))['stages'], 'stages differ')
        v = verify(fx, b, nonce, '--baseline', base, '--init', rc=2)
        b, nonce = fx.quote()
        v = verify(fx, b, nonce, '--baseline', base, rc=0)
        expect(v['result'] == 'trusted' and v['differences'] == [], v)
        fx.add_module('/usr/lib/modules/6.1.0/extra/new.ko', b'new module')
        b, nonce = fx.quote()
        v = verify(fx, b, nonce, '--baseline', base, rc=1)
        expect_fails(v, ['baseline'], 'untrusted')
        names = [d.get('name') for d in v['differences']]
        expect(names == ['/usr/lib/modules/6.1.0/extra/new.ko'], names)


@test
def library_in_four_threads_gives_one_verdict():
    """The library judges bundles in several threads at once (its error
    text and the replay's file view are per thread): the same verdicts as
    the command, in every thread."""
    fx = fixture()
    if not fx:
        return
    bench = os.path.join(HERE, 'evidence-bench')
    with tree() as d:
        base = os.path.join(d, 'b.json')
        b, nonce = fx.quote()
        verify(fx, b, nonce, '--baseline', base, '--init', rc=4)
        bad = edit_log(b, 'vtrust_sha256', lambda x: x[:-1] + bytes(
            [x[-1] ^ 1]))
        for doc, want in ((b, 'trusted'), (bad, 'untrusted')):
            path = os.path.join(d, 'ev.json')
            with open(path, 'w') as f:
                json.dump(doc, f)
            expect(verify(fx, doc, nonce, '--baseline', base)['result'] ==
                   want, want)
            p = subprocess.run([bench, path, nonce, fx.ak_tss, base, '0.3',
                                '4'], capture_output=True, text=True)
            expect(p.returncode == 0, (p.returncode, p.stdout, p.stderr))
            r = json.loads(p.stdout)
            expect(r['result'] == want and r['threads'] == 4, r)


@test
def entries_after_the_quoted_state_are_not_judged():
    """The quote/log race: lists read after the quote may hold entries the
    quoted PCRs do not cover yet. The replay uses the prefix they vouch
    for: still valid, and the verdict says how far the PCRs cover."""
    fx = fixture()
    if not fx:
        return
    b, nonce = fx.quote()
    keys = [k for k in b['logs'] if k == 'vtrust' or k.startswith('vtrust_')]
    b2 = b
    for key in keys:
        dlen = 20 if key in ('vtrust', 'vtrust_sha1') else 32
        b2 = edit_log(b2, key, lambda data, dlen=dlen:
                      data + list_entries(data, dlen)[-1])
    v = verify(fx, b2, nonce, rc=0)
    expect(v['result'] == 'valid', (v['result'], failed(v)))
    lst = [x for x in v['replay']['lists'] if x['source'] == 'vtrust'][0]
    expect(lst['verified_through'] + 2 == lst['entries'], lst)
    # in one file only, too: the files are read one after the other, so
    # one may have an entry more
    one = edit_log(b, keys[0], lambda data: data + list_entries(
        data, 20 if keys[0] == 'vtrust' else 32)[-1])
    expect(verify(fx, one, nonce, rc=0)['result'] == 'valid', keys[0])


# ---- tampered evidence: each fails the check that names it ----

@test
def log_entry_dropped_duplicated_reordered_altered():
    fx = fixture()
    if not fx:
        return
    b, nonce = fx.quote()
    for key, dlen in (('vtrust_sha256', 32), ('vtrust', 20), ('ima', 20)):
        if key not in b['logs'] or not b['logs'][key]:
            continue
        for what, fn in (
                ('dropped', lambda es: es[:1] + es[2:]),
                # (a copy of the last entry would only be pending: entries
                # past the quoted state are what loaded after the quote)
                ('duplicated', lambda es: es[:2] + es[1:]),
                ('reordered', lambda es: es[:1] + es[1:][::-1]),
                ('altered', lambda es: es[:-1] + [
                    es[-1][:-1] + bytes([es[-1][-1] ^ 1])])):
            def change(data, fn=fn, dlen=dlen):
                es = list_entries(data, dlen)
                expect(len(es) >= 3, (key, len(es)))
                return b''.join(fn(es))
            v = verify(fx, edit_log(b, key, change), nonce)
            expect(v['exit'] == 1 and checks(v)['replay'] == 'fail',
                   (key, what, v['result'], failed(v)))
            expect(failed(v) == ['replay'], (key, what, failed(v)))
    # a firmware event's digest
    def fw(data):
        i = data.index(b'SecureBoot'.decode().encode('utf-16-le'))
        return data[:i] + b'X\0' + data[i + 2:]
    v = verify(fx, edit_log(b, 'uefi', fw), nonce)
    expect(failed(v) == ['replay'], failed(v))
    # a list left out
    b2 = json.loads(json.dumps(b))
    b2['logs']['vtrust'] = None
    for k in [k for k in b2['logs'] if k.startswith('vtrust_')]:
        del b2['logs'][k]
    v = verify(fx, b2, nonce)
    expect(failed(v) == ['replay'], failed(v))


@test
def quote_faults_named():
    fx = fixture()
    if not fx:
        return
    b, nonce = fx.quote()
    # a wrong or reused nonce
    v = verify(fx, b, '00' + nonce[2:], rc=1)
    expect_fails(v, ['nonce'])
    # a changed PCR value
    b2 = json.loads(json.dumps(b))
    b2['pcrs']['sha256']['11'] = '00' * 32
    expect_fails(verify(fx, b2, nonce, rc=1), ['pcr-digest'])
    # a selection other than the one asked for (CVE-2024-29039)
    v = verify(fx, b, nonce, '--pcrs', 'sha256:0-15', rc=1)
    expect_fails(v, ['pcr-selection'])
    v = verify(fx, b, nonce, '--pcrs', 'sha1:0-15+sha256:0-15', rc=0)
    bq, nq = fx.quote('--pcrs', '0-7')
    v = verify(fx, bq, nq, rc=1)
    expect_fails(v, ['pcr-selection'])
    # asked for and signed, but without the PCRs the lists extend: the
    # replay cannot vouch for IMA's and vtrust's lists
    v = verify(fx, bq, nq, '--pcrs', 'sha1:0-7+sha256:0-7', rc=1)
    expect_fails(v, ['replay'], 'untrusted')
    # truncated and extended fields
    for field, cut, names in (('attest', 1, ['attest-parse']),
                              ('attest', -1, ['attest-parse']),
                              ('signature', 1, ['signature-parse']),
                              ('signature', -1, ['signature-parse'])):
        raw = base64.b64decode(b['quote'][field])
        raw = raw[:-1] if cut > 0 else raw + b'\0'
        b2 = json.loads(json.dumps(b))
        b2['quote'][field] = base64.b64encode(raw).decode()
        v = verify(fx, b2, nonce, rc=1)
        expect(set(names) <= set(failed(v)), (field, cut, failed(v)))
    # another AK (a second one of the same TPM)
    fx.tool('tpm2_readpublic', '-c', '0x81010001', '-o', fx.path('ek.tss'))
    v = verify(fx, b, nonce, ak=fx.path('ek.tss'), rc=1)
    expect('ak-attributes' in failed(v), failed(v))
    # a wrong-magic attest signed by the real AK through TPM2_Hash and
    # TPM2_Sign (CVE-2024-29038): the signature is good, the magic is not
    raw = base64.b64decode(b['quote']['attest'])
    forged = struct.pack('>I', 0xff544348) + raw[4:]
    with open(fx.path('forged'), 'wb') as f:
        f.write(forged)
    fx.tool('tpm2_hash', '-C', 'e', '-g', 'sha256', '-o', fx.path('fd'),
            '-t', fx.path('ft'), fx.path('forged'))
    fx.tool('tpm2_sign', '-c', AK, '-g', 'sha256', '-s', 'rsassa', '-d',
            '-t', fx.path('ft'), '-o', fx.path('fs'), fx.path('fd'))
    b2 = json.loads(json.dumps(b))
    b2['quote']['attest'] = base64.b64encode(forged).decode()
    b2['quote']['signature'] = base64.b64encode(
        open(fx.path('fs'), 'rb').read()).decode()
    expect_fails(verify(fx, b2, nonce, rc=1), ['magic'])


@test
def malformed_bundles_fail_evidence_parse():
    fx = fixture()
    if not fx:
        return
    b, nonce = fx.quote()
    text = json.dumps(b)
    cases = [
        ('unknown key', dict(b, extra=1)),
        ('version 2', dict(b, version=2)),
        ('nonce upper', dict(b, nonce=b['nonce'].upper())),
        ('no quote', {k: v for k, v in b.items() if k != 'quote'}),
        ('bad base64', dict(b, quote=dict(b['quote'], attest='@@@@'))),
        ('base64 line break', dict(b, quote=dict(
            b['quote'], attest=b['quote']['attest'][:8] + '\n' +
            b['quote']['attest'][8:]))),
        ('PCR index 24', dict(b, pcrs=dict(b['pcrs'], sha256=dict(
            b['pcrs']['sha256'], **{'24': '00' * 32})))),
        ('PCR index 07', dict(b, pcrs=dict(b['pcrs'], sha256=dict(
            b['pcrs']['sha256'], **{'07': '00' * 32})))),
        ('short PCR', dict(b, pcrs=dict(b['pcrs'], sha1=dict(
            b['pcrs']['sha1'], **{'3': '00' * 19})))),
        ('unknown bank', dict(b, pcrs=dict(b['pcrs'], md5={}))),
        ('unknown log', dict(b, logs=dict(b['logs'], bios=''))),
        ('null per-bank log', dict(b, logs=dict(b['logs'],
                                                ima_sha256=None))),
    ]
    for what, doc in cases:
        v = verify(fx, doc, nonce, rc=1)
        expect_fails(v, ['evidence-parse'])
        expect(all(c['result'] == 'not run' for c in v['checks'][1:]),
               (what, v['checks'][1]))
    for what, raw in (('duplicate key', text[:-1] + ', "nonce": "00"}'),
                      ('logs twice', text[:-1] + ', "logs": ' +
                       json.dumps(b['logs']) + '}'),
                      ('trailing bytes', text + ' x'),
                      ('truncated', text[:len(text) // 2]),
                      ('empty', '')):
        v = verify(fx, raw.encode(), nonce, rc=1)
        expect_fails(v, ['evidence-parse'])


@test
def escaped_slashes_are_json():
    """A bundle written with every '/' escaped as JSON allows (json-c's
    default) is the same bundle; another escape inside a log's base64 is
    refused."""
    fx = fixture()
    if not fx:
        return
    b, nonce = fx.quote()
    text = json.dumps(b)
    expect(text.count('/') > 0, 'no slash to escape')
    v = verify(fx, text.replace('/', '\\/').encode(), nonce, rc=0)
    expect(v['result'] == 'valid', v['result'])
    log = b['logs']['ima']
    bad = text.replace(log, log[:4] + '\\u0041' + log[5:], 1)
    v = verify(fx, bad.encode(), nonce, rc=1)
    expect_fails(v, ['evidence-parse'])
    expect('escape other than' in v['checks'][0]['message'], v['checks'][0])


@test
def usage_errors():
    fx = fixture()
    with tree() as d:
        ev_file = os.path.join(d, 'ev.json')
        with open(ev_file, 'w') as f:
            f.write('{}')
        ak = fx.ak_tss if fx else ev_file
        os.mkdir(os.path.join(d, 'empty'))
        for args, msg in (
                ([ev_file, '--ak', ak], '--nonce and --ak are required'),
                ([ev_file, '--nonce', '00'], '--nonce and --ak are required'),
                ([ev_file, '--nonce', 'zz', '--ak', ak], '--nonce: not'),
                ([ev_file, '--nonce', '00', '--ak', ak, '--pcrs', 'md5:0'],
                 '--pcrs'),
                ([ev_file, '--nonce', '00', '--ak', ak, '--init'],
                 '--init needs --baseline'),
                (['--nonce', '00', '--ak', ak], 'no evidence file'),
                ([ev_file, '--nonce', '00', '--ak', os.path.join(d, 'no')],
                 'No such file'),
                ([ev_file, '--nonce', '00', '--ak', ev_file],
                 'neither a PEM public key nor a TPM2B_PUBLIC'),
                ([ev_file, '--nonce', '00', '--ak', ak, '--ek-ca',
                  os.path.join(d, 'empty')],
                 'no PEM certificate')):
            res = run(['verify-evidence'] + args)
            expect(res[0] in (2, 3) and msg in res[2], (args, res))
        res = run(['verify-evidence', '--help'])
        expect_rc(res, 0)
        expect('ek-certificate' in res[1], res[1])


if __name__ == '__main__':
    try:
        rc = main(sys.argv)
    finally:
        if FX.get('fx'):
            FX['fx'].t.stop()
    sys.exit(rc)
