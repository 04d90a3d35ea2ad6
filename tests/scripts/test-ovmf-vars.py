#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Tests of scripts/ovmf-vars on Debian's own OVMF variable stores (package
ovmf): the MokList it writes is checked byte by byte against the layout
EDK2 and the UEFI specification give (not against its own reader), the
certificate read back out of it by openssl; bad input is refused with an
error and no output file; and mutated stores never crash the reader.
That OVMF, shim and the kernel accept the result is the real-guest
story's boot 6 (tests/guest/t-debian-story.sh: the key reaches the kernel's
keyring and the module it signed loads under lockdown)."""

import hashlib
import importlib.machinery
import importlib.util
import os
import random
import struct
import subprocess
import sys
import tempfile
import uuid

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
TOOL = os.path.join(TOP, 'scripts', 'ovmf-vars')
STORES = ['/usr/share/OVMF/OVMF_VARS_4M.ms.fd',
          '/usr/share/OVMF/OVMF_VARS_4M.fd']
SHIM_LOCK = uuid.UUID('605dab50-e046-4300-abb6-3dd810dd8b23').bytes_le
X509 = uuid.UUID('a5c059a1-94e4-4aa7-87b5-ab155c2bf072').bytes_le

failures = 0


def check(cond, what):
    global failures
    print('%s: %s' % ('ok' if cond else 'FAIL', what))
    if not cond:
        failures += 1


def run(*args):
    return subprocess.run([TOOL] + list(args), capture_output=True,
                          text=True)


def load_tool():
    loader = importlib.machinery.SourceFileLoader('ovmf_vars', TOOL)
    spec = importlib.util.spec_from_loader('ovmf_vars', loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def end_of_vars(d):
    """Where the variable list of a store ends, walked here by the layout
    (FV header length at 0x30, 28-byte store header, 60-byte variable
    headers, 4-byte alignment)."""
    p = struct.unpack_from('<H', d, 0x30)[0] + 28
    while struct.unpack_from('<H', d, p)[0] == 0x55aa:
        ns, ds = struct.unpack_from('<II', d, p + 36)
        p = (p + 60 + ns + ds + 3) & ~3
    return p


def make_cert(work, name):
    key, der, pem = (os.path.join(work, name + s) for s in
                     ('.key', '.der', '.pem'))
    subprocess.run(['openssl', 'req', '-new', '-x509', '-newkey', 'rsa:2048',
                    '-nodes', '-days', '30', '-subj', '/CN=%s/' % name,
                    '-keyout', key, '-outform', 'DER', '-out', der],
                   check=True, capture_output=True)
    subprocess.run(['openssl', 'x509', '-inform', 'DER', '-in', der,
                    '-out', pem], check=True)
    return der, pem


def fingerprint(der):
    r = subprocess.run(['openssl', 'x509', '-inform', 'DER', '-noout',
                        '-fingerprint', '-sha256'], input=der,
                       capture_output=True, check=True)
    return r.stdout.strip()


def test_add_mok(work, store):
    der, pem = make_cert(work, 'mok-a')
    der2, _ = make_cert(work, 'mok-b')
    out = os.path.join(work, 'out.fd')
    orig = open(store, 'rb').read()
    end = end_of_vars(orig)
    r = run('add-mok', store, out, der, der2)
    check(r.returncode == 0, '%s: add-mok exits 0 (%s)' %
          (store, r.stderr.strip()))
    new = open(out, 'rb').read()
    check(len(new) == len(orig), 'same size')
    check(new[:end] == orig[:end], 'every byte before the old end kept')
    # the header, field by field
    sid, state, res, attr, mc = struct.unpack_from('<HBBIQ', new, end)
    check((sid, state, res, attr, mc) == (0x55aa, 0x3f, 0, 3, 0),
          'header: start id, VAR_ADDED, attributes NV|BS (got %x %x %x %x)'
          % (sid, state, attr, mc))
    check(new[end + 8:end + 36] == bytes(28),
          'no time stamp, no public key index')
    ns, ds = struct.unpack_from('<II', new, end + 36)
    check(new[end + 44:end + 60] == SHIM_LOCK, 'vendor GUID: shim lock')
    name = new[end + 60:end + 60 + ns]
    check(name == 'MokList\0'.encode('utf-16-le'), 'name: MokList')
    data = new[end + 60 + ns:end + 60 + ns + ds]
    # two EFI_SIGNATURE_LISTs, one X.509 certificate each
    certs = []
    p = 0
    while p < len(data):
        stype = data[p:p + 16]
        lsize, hsize, ssize = struct.unpack_from('<III', data, p + 16)
        check(stype == X509 and hsize == 0 and lsize == 28 + ssize,
              'signature list at %d: X.509, sizes' % p)
        check(data[p + 28:p + 44] == SHIM_LOCK, 'owner: shim lock GUID')
        certs.append(data[p + 44:p + lsize])
        p += lsize
    check(p == len(data), 'the lists fill the data exactly')
    check([fingerprint(c) for c in certs] ==
          [fingerprint(open(der, 'rb').read()),
           fingerprint(open(der2, 'rb').read())],
          'openssl reads both certificates back, in order')
    nxt = (end + 60 + ns + ds + 3) & ~3
    store_end = struct.unpack_from('<H', new, 0x30)[0] + \
        struct.unpack_from('<I', new, struct.unpack_from('<H', new, 0x30)[0]
                           + 16)[0]
    check(set(new[nxt:store_end]) <= {0xff}, 'the rest stays erased')
    # PEM gives the same bytes as DER
    out2 = os.path.join(work, 'out2.fd')
    r = run('add-mok', store, out2, pem, der2)
    check(r.returncode == 0 and open(out2, 'rb').read() == new,
          'PEM and DER give the same store')
    r = run('list', '--json', out)
    check(r.returncode == 0 and '"MokList"' in r.stdout, 'list shows it')
    os.unlink(out)
    os.unlink(out2)


def test_refusals(work):
    der, _ = make_cert(work, 'mok-c')
    ms = open(STORES[0], 'rb').read()
    out = os.path.join(work, 'refused.fd')
    with_mok = os.path.join(work, 'with-mok.fd')
    check(run('add-mok', STORES[0], with_mok, der).returncode == 0,
          'setup: a store with MokList')

    def bad(name, data, cert=der, expect=None):
        src = os.path.join(work, 'bad.fd')
        if data is not None:
            with open(src, 'wb') as f:
                f.write(data)
        else:
            src = with_mok
        r = run('add-mok', src, out, cert)
        check(r.returncode == 1 and r.stderr.startswith('ovmf-vars: ') and
              'Traceback' not in r.stderr and not os.path.exists(out),
              'refused, nothing written: %s (%s)' % (name, r.stderr.strip()))
        if expect:
            check(expect in r.stderr, '... says "%s"' % expect)

    hl = struct.unpack_from('<H', ms, 0x30)[0]
    bad('MokList already set', None, expect='set already')
    bad('not a firmware volume', b'\0' * len(ms), expect='_FVH')
    m = bytearray(ms)
    m[0x10] ^= 1
    bad('another file system GUID', bytes(m))
    m = bytearray(ms)
    m[hl] ^= 1
    bad('not an authenticated store', bytes(m), expect='authenticated')
    m = bytearray(ms)
    m[hl + 21] = 0
    bad('store state not healthy', bytes(m), expect='healthy')
    m = bytearray(ms)
    p = hl + 28
    struct.pack_into('<I', m, p + 40, 0x7fffffff)
    bad('a data size past the store', bytes(m), expect='out of range')
    m = bytearray(ms)
    end = end_of_vars(ms)
    m[end + 100] = 0
    bad('free space not erased', bytes(m), expect='not erased')
    bad('truncated', ms[:0x200])
    notcert = os.path.join(work, 'notcert')
    with open(notcert, 'wb') as f:
        f.write(b'hello')
    bad('not a certificate', ms, cert=notcert, expect='not an X.509')
    bad('no such certificate', ms, cert=os.path.join(work, 'nonexistent'))
    # full: a certificate larger than the free space
    big = os.path.join(work, 'big.pem')
    with open(big, 'wb') as f:
        f.write(b'-----BEGIN CERTIFICATE-----\n' + b'QUFB' * 100000 +
                b'\n-----END CERTIFICATE-----\n')
    bad('a "certificate" that is no X.509', ms, cert=big)


def test_no_room():
    tool = load_tool()
    st = tool.Store(open(STORES[0], 'rb').read())
    free = st.end - st.free
    try:
        st.add('Big', uuid.UUID(bytes_le=SHIM_LOCK), 3, bytes(free))
        check(False, 'a variable larger than the free space is refused')
    except tool.Bad as e:
        check('no room' in str(e), 'no room: %s' % e)
    st.add('Fits', uuid.UUID(bytes_le=SHIM_LOCK), 3, bytes(free - 60 - 10))
    check(st.free <= st.end, 'a variable that just fits is added')


def test_mutations(n=5000):
    """Random byte changes and truncations of the stores: the reader either
    reads them or raises its own error, never anything else."""
    tool = load_tool()
    rng = random.Random(20261129)
    origs = [open(s, 'rb').read() for s in STORES]
    crashes = read = refused = 0
    for i in range(n):
        d = bytearray(rng.choice(origs))
        end = end_of_vars(d)
        for _ in range(rng.randint(1, 8)):
            pos = rng.randrange(0, min(len(d), end + 256))
            d[pos] = rng.randrange(256)
        if rng.random() < 0.1:
            d = d[:rng.randrange(len(d))]
        try:
            st = tool.Store(bytes(d))
            st.add('MokList', uuid.UUID(bytes_le=SHIM_LOCK), 3, b'x' * 900)
            read += 1
        except tool.Bad:
            refused += 1
        except Exception as e:  # noqa: BLE001 -- any other is a bug
            crashes += 1
            if crashes < 4:
                print('crash on mutant %d: %r' % (i, e))
    check(crashes == 0, '%d mutated stores: %d read, %d refused, %d crashes'
          % (n, read, refused, crashes))


def main():
    for s in STORES:
        if not os.path.exists(s):
            print('SKIP: no %s (package ovmf)' % s)
            return 0
    with tempfile.TemporaryDirectory() as work:
        for s in STORES:
            test_add_mok(work, s)
        test_refusals(work)
    test_no_room()
    test_mutations()
    print('%s (%d failures)' % ('PASS' if not failures else 'FAIL',
                                failures))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
