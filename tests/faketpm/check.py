#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Host-only checks of faketpm's command handling (no vtpm_proxy needed).

    check.py FAKETPM [MAKECRED-TOOL]   (`make check`: ./faketpm-asan and
                                      ../../userspace/tests/makecred-tool)

Runs faketpm --stdio: the commands the Linux 6.1 TPM driver sends while it
registers a chip and uses its PCRs, with known answers computed here with
Python's hashlib; then malformed commands (every truncation of every valid
command, bad tags, lengths, sessions, handles, algorithms) and random
mutations, each of which must get a well-formed error response.

Then the SM2 commands, checked independently of faketpm's code: Names
recomputed here, the quote's TPMS_ATTEST parsed here and its SM2 signature
verified by `openssl pkeyutl -verify` over the raw SM3 digest, policy
session HMACs recomputed, and (with MAKECRED-TOOL, vtrust's software
MakeCredential) an ActivateCredential round trip that must refuse a
changed byte or another AK's Name; contexts saved and loaded; every
truncation of every SM2 command and random mutations of them.
"""
import hashlib
import hmac
import os
import random
import struct
import subprocess
import sys
import tempfile

ST_NO, ST_S = 0x8001, 0x8002
CC = dict(startup=0x144, self_test=0x143, shutdown=0x145, getcap=0x17A,
          getrandom=0x17B, pcr_read=0x17E, pcr_extend=0x182,
          set_locality=0x20001000)
ALGS = {'sha1': (0x0004, 20), 'sha256': (0x000B, 32), 'sha384': (0x000C, 48),
        'sha512': (0x000D, 64), 'sm3': (0x0012, 32)}
failures = 0


def cmd(tag, cc, body=b''):
    return struct.pack('>HII', tag, 10 + len(body), cc) + body


def run(faketpm, banks, cmds):
    """Execute cmds in one faketpm; return the list of responses."""
    data = b''.join(struct.pack('>I', len(c)) + c for c in cmds)
    p = subprocess.run([faketpm, '--stdio', '--banks', banks], input=data,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.exit('faketpm exited %d: %s' % (p.returncode, p.stderr.decode()))
    out, resps = p.stdout, []
    while out:
        if len(out) < 10:
            sys.exit('truncated response')
        tag, size, rc = struct.unpack('>HII', out[:10])
        if size < 10 or size > len(out):
            sys.exit('bad response size %d' % size)
        if rc and size != 10:
            sys.exit('an error response has a body')
        resps.append((tag, rc, out[10:size]))
        out = out[size:]
    if len(resps) != len(cmds):
        sys.exit('%d commands, %d responses' % (len(cmds), len(resps)))
    return resps


def expect(what, want, got):
    global failures
    if want != got:
        failures += 1
        print('FAIL: %s: expected %r, got %r' % (what, want, got))
    else:
        print('ok: %s' % what)


def pw_session(hmac=b'', handle=0x40000009, nonce=b'', attrs=1):
    s = (struct.pack('>IH', handle, len(nonce)) + nonce +
         struct.pack('>BH', attrs, len(hmac)) + hmac)
    return struct.pack('>I', len(s)) + s


def extend(pcr, digests, session=None):
    body = struct.pack('>I', pcr) + (session or pw_session())
    body += struct.pack('>I', len(digests))
    for alg, d in digests:
        body += struct.pack('>H', alg) + d
    return cmd(ST_S, CC['pcr_extend'], body)


def pcr_read(alg, pcrs, size=3):
    sel = bytearray(size)
    for p in pcrs:
        sel[p >> 3] |= 1 << (p & 7)
    return cmd(ST_NO, CC['pcr_read'],
               struct.pack('>IHB', 1, alg, size) + bytes(sel))


def mutate(rng, seeds):
    """One of @seeds with 1 to 4 random changes, its size maybe fixed up."""
    c = bytearray(rng.choice(seeds))
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(3)
        if op == 0 and c:
            c[rng.randrange(len(c))] = rng.randrange(256)
        elif op == 1:
            c = c[:rng.randrange(len(c) + 1)]
        else:
            c += bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    if rng.randrange(2) and len(c) >= 6:
        c[2:6] = struct.pack('>I', len(c))
    return bytes(c[:4096])


def getcap(cap, prop, count):
    return cmd(ST_NO, CC['getcap'], struct.pack('>III', cap, prop, count))


def main():
    faketpm = sys.argv[1]
    banks = 'sha256,sm3'
    startup = cmd(ST_NO, CC['startup'], b'\x00\x00')

    # What tpm2_auto_startup() and tpm2_get_pcr_allocation() send.
    r = run(faketpm, banks, [
        cmd(ST_S, CC['set_locality'], b'\x00'),
        cmd(ST_NO, CC['self_test'], b'\x00'),
        startup,
        cmd(ST_NO, CC['self_test'], b'\x00'),
        getcap(6, 0x129, 1),
        getcap(2, 0x11F, 7),
        getcap(5, 0, 1),
        cmd(ST_NO, CC['getrandom'], b'\x00\x20'),
        startup,
    ])
    expect('SetLocality', 0, r[0][1])
    expect('SelfTest before Startup', 0x100, r[1][1])
    expect('Startup', 0, r[2][1])
    expect('SelfTest', 0, r[3][1])
    expect('TPM_PT_TOTAL_COMMANDS', struct.pack('>BIIII', 1, 6, 1, 0x129, 21),
           r[4][2])
    cnt = struct.unpack('>I', r[5][2][5:9])[0]
    ccs = [struct.unpack('>I', r[5][2][9 + 4 * i:13 + 4 * i])[0]
           for i in range(cnt)]
    expect('commands from 0x11F, 7 of them, more', (1, [
        0x120, 0x131, 0x143, 0x144, 0x145, 0x147, 0x14E]),
           (r[5][2][0], [c & 0xffff for c in ccs]))
    expect('EvictControl: 2 handles', 2, (ccs[0] >> 25) & 7)
    expect('CreatePrimary: 1 handle and a response handle', (1, 1),
           ((ccs[1] >> 25) & 7, (ccs[1] >> 28) & 1))
    expect('PCR allocation',
           struct.pack('>BII', 0, 5, 2) + b'\x00\x0b\x03\xff\xff\xff' +
           b'\x00\x12\x03\xff\xff\xff', r[6][2])
    expect('GetRandom 32 bytes', 34, len(r[7][2]))
    expect('second Startup', 0x100, r[8][1])

    # Extends and reads, against hashlib.
    d256 = hashlib.sha256(b'a').digest()
    dsm3 = hashlib.new('sm3', b'a').digest()
    pcr = {'sha256': bytes(32), 'sm3': bytes(32)}
    cmds = [startup]
    for i in range(3):
        cmds.append(extend(11, [(0x000B, d256), (0x0012, dsm3)]))
        pcr['sha256'] = hashlib.sha256(pcr['sha256'] + d256).digest()
        pcr['sm3'] = hashlib.new('sm3', pcr['sm3'] + dsm3).digest()
    cmds += [pcr_read(0x0012, [11]), pcr_read(0x000B, [11]),
             pcr_read(0x0012, [0]), pcr_read(0x0004, [11]),
             extend(11, [(0x0004, bytes(20))]),  # unallocated bank: ignored
             pcr_read(0x0012, [11]),
             extend(0x40000007, [(0x0012, dsm3)]),  # TPM_RH_NULL
             pcr_read(0x000B, range(24)),
             cmd(ST_NO, CC['shutdown'], b'\x00\x00')]
    r = run(faketpm, banks, cmds)
    for i in range(1, 4):
        expect('PCR_Extend %d' % i, (ST_S, 0, b'\0\0\0\0\0\0\x01\0\0'), r[i])

    def read_out(body, sel, digests):
        return (struct.pack('>IIHB', 3, 1, sel[0], 3) + sel[1] +
                struct.pack('>I', len(digests)) +
                b''.join(struct.pack('>H', len(d)) + d for d in digests))
    sel11 = bytes([0, 8, 0])
    expect('SM3 PCR 11', read_out(None, (0x12, sel11), [pcr['sm3']]), r[4][2])
    expect('SHA-256 PCR 11', read_out(None, (0x0B, sel11), [pcr['sha256']]),
           r[5][2])
    expect('SM3 PCR 0', read_out(None, (0x12, bytes([1, 0, 0])), [bytes(32)]),
           r[6][2])
    expect('unallocated SHA-1 bank', read_out(None, (4, bytes(3)), []),
           r[7][2])
    expect('extend of an unallocated bank', 0, r[8][1])
    expect('SM3 PCR 11 unchanged', r[4][2][4:], r[9][2][4:])
    expect('extend of TPM_RH_NULL', 0, r[10][1])
    body = r[11][2]
    expect('24 PCRs read: 8 digests', 8, struct.unpack('>I', body[14:18])[0])
    expect('24 PCRs read: selection of the 8', b'\xff\x00\x00', body[11:14])
    expect('Shutdown', 0, r[12][1])

    # Malformed commands: each must get its error, never a crash.
    good_ext = extend(11, [(0x000B, d256), (0x0012, dsm3)])
    bad = [
        (b'', 0x142), (b'\x80\x01\x00', 0x142),
        (cmd(ST_NO, 0x17E)[:-1], 0x142),
        (struct.pack('>HII', ST_NO, 99, 0x17E), 0x142),
        (struct.pack('>HII', 0x00C1, 10, 0x17E), 0x01E),
        (cmd(ST_NO, 0x12345678), 0x143),
        (cmd(ST_NO, CC['pcr_extend'], good_ext[10:]), 0x125),
        (cmd(ST_S, CC['getcap'], struct.pack('>III', 6, 0, 1)), 0x145),
        (getcap(0x99, 0, 1), 0x1C4),
        (cmd(ST_NO, CC['getcap'], struct.pack('>II', 6, 0)), 0x3DA),
        (getcap(6, 0, 1) + b'\0', 0x142),
        (pcr_read(0x0099, [1]), 0x1C3),
        (pcr_read(0x000B, [1], size=4), 0x1C4),
        (cmd(ST_NO, CC['pcr_read'], struct.pack('>I', 17)), 0x1D5),
        (cmd(ST_NO, CC['pcr_read'], struct.pack('>I', 1000000)), 0x1D5),
        (extend(24, [(0x000B, d256)]), 0x184),
        (extend(11, [(0x0099, d256)]), 0x1C3),
        (extend(11, [(0x000B, d256)], pw_session(hmac=b'x')), 0x98E),
        (extend(11, [(0x000B, d256)], pw_session(handle=0x02000000)), 0x984),
        (extend(11, [(0x000B, d256)], pw_session(nonce=b'n')), 0x995),
        (extend(11, [(0x000B, d256)],
                struct.pack('>I', 8) + pw_session()[4:]), 0x144),
        (extend(11, [(0x000B, d256)],
                struct.pack('>I', 0xffffffff) + b'\0' * 9), 0x144),
        (extend(11, [(0x000B, d256)], struct.pack('>I', 18) +
                pw_session()[4:] * 2), 0x144),
        (cmd(ST_S, CC['pcr_extend'], struct.pack('>I', 11) + pw_session() +
             struct.pack('>I', 100)), 0x1D5),
        (cmd(ST_S, CC['set_locality'], b'\x05'), 0x107),
        (cmd(ST_S, CC['set_locality'], b''), 0x142),
        (cmd(ST_NO, CC['self_test'], b'\x02'), 0x1C4),
        (cmd(ST_NO, CC['startup'], b'\x00'), 0x1DA),
    ]
    # Every truncation of a valid command, with the header length fixed up.
    for c in (good_ext, pcr_read(0x0012, [11]), getcap(2, 0x11F, 7),
              cmd(ST_NO, CC['getrandom'], b'\x00\x20')):
        for n in range(10, len(c)):
            t = bytearray(c[:n])
            t[2:6] = struct.pack('>I', n)
            bad.append((bytes(t), None))
    r = run(faketpm, banks, [startup] + [c for c, _ in bad])
    for i, (c, want) in enumerate(bad):
        got = r[i + 1][1]
        if want is None:
            if got == 0:
                expect('truncated %s' % c.hex(), 'an error', got)
        else:
            expect('malformed %d (%s)' % (i, c[:24].hex()), hex(want),
                   hex(got))

    # Random mutations of valid commands: any response, but a response.
    rng = random.Random(1)
    seeds = [good_ext, pcr_read(0x0012, [11, 12]), getcap(6, 0, 100),
             getcap(2, 0, 100), getcap(5, 0, 1), getcap(0, 0, 100),
             cmd(ST_NO, CC['getrandom'], b'\x01\x00')]
    fuzz = [mutate(rng, seeds) for _ in range(20000)]
    r = run(faketpm, banks + ',sha1,sha384,sha512', [startup] + fuzz)
    expect('random mutations answered', len(fuzz) + 1, len(r))

    # A bank faketpm cannot compute: readable, never extended.
    r = run(faketpm, 'sha256,0x1234:32', [
        startup, getcap(5, 0, 1), pcr_read(0x1234, [0]),
        extend(11, [(0x000B, d256), (0x1234, bytes(32))])])
    expect('unknown bank allocated', b'\x00\x00\x00\x00\x05\x00\x00\x00\x02'
           b'\x00\x0b\x03\xff\xff\xff\x12\x34\x03\xff\xff\xff', r[1][2])
    expect('unknown bank read', 0, r[2][1])
    expect('unknown bank extend refused', 0x1C3, r[3][1])

    r = run(faketpm, banks, [startup, getcap(2, 0x182, 1)])
    expect('PCR_Extend has one handle, no response handle', (1, 0),
           ((struct.unpack('>I', r[1][2][9:13])[0] >> 25) & 7,
            (struct.unpack('>I', r[1][2][9:13])[0] >> 28) & 1))

    sm2_checks(faketpm, sys.argv[2] if len(sys.argv) > 2 else None)
    fault_checks(faketpm)

    print('faketpm check: %s' % ('FAIL (%d)' % failures if failures else 'PASS'))
    sys.exit(1 if failures else 0)


# ---- faults on command (--faults, faults.c) -------------------------------

def fault_checks(faketpm):
    """Each fault kind, counts, reloading, and refused rule files."""
    import time
    startup = cmd(ST_NO, CC['startup'], b'\x00\x00')
    d = hashlib.sha256(b'x').digest()
    ext = extend(11, [(0x000B, d)])
    read = pcr_read(0x000B, [11])
    with tempfile.TemporaryDirectory() as tmp:
        rules = os.path.join(tmp, 'faults')
        log = open(os.path.join(tmp, 'log'), 'w+')

        def write_rules(text):
            # a new file renamed over the old one: a new inode
            with open(rules + '.new', 'w') as f:
                f.write(text)
            os.rename(rules + '.new', rules)

        write_rules('# two retries, then one failure, for PCR_Extend only\n'
                    'PCR_Extend retry 2\nPCR_Extend failure\n')
        t = Tpm(faketpm, 'sha256', ['--faults', rules], stderr=log)
        expect('Startup is not faulted', 0, t.send(startup)[0])
        rcs = [t.send(ext)[0] for _ in range(4)]
        expect('PCR_Extend: RETRY, RETRY, FAILURE, then success',
               [0x922, 0x922, 0x101, 0], rcs)
        # only the extend that succeeded changed the PCR
        rc, body = t.send(read)
        expect('PCR 11 after the faults: one extend',
               hashlib.sha256(bytes(32) + d).digest(), body[-32:])
        expect('PCR_Read is not faulted', 0, rc)
        write_rules('* failure *\n')
        rcs = [t.send(c)[0] for c in (read, ext, read)]
        expect("'* failure *': every command fails", [0x101] * 3, rcs)
        os.unlink(rules)
        expect('no file: no faults', 0, t.send(ext)[0])
        write_rules('PCR_Extend timeout=300 1\n')
        t0 = time.monotonic()
        rc = t.send(ext)[0]
        late = time.monotonic() - t0
        expect('timeout: executed, answered late', (0, True),
               (rc, 0.3 <= late < 5))
        t0 = time.monotonic()
        t.send(ext)
        expect('timeout once: the next one is on time', True,
               time.monotonic() - t0 < 0.3)
        write_rules('PCR_Extend bogus\n')
        expect('a file that does not parse: no faults', 0, t.send(ext)[0])
        write_rules('PCR_Read disappear\n')
        expect('before disappearing', 0, t.send(ext)[0])
        t.p.stdin.write(struct.pack('>I', len(read)) + read)
        t.p.stdin.flush()
        expect('disappear: no answer, exit 0', (b'', 0),
               (t.p.stdout.read(), t.p.wait()))
        log.seek(0)
        text = log.read()
        for line in ('fault: PCR_Extend retry (2 of 2)',
                     'fault: PCR_Extend failure (1 of 1)',
                     'fault: PCR_Read failure (3 of *)',
                     'fault: PCR_Extend timeout (1 of 1)',
                     "unknown fault 'bogus'",
                     'fault: PCR_Read disappear (1 of 1)'):
            expect('logged: %s' % line, True, line in text)
        # Files refused at startup, with the reason.
        for bad, why in (('PCR_Extend\n', 'expected COMMAND FAULT'),
                         ('PCR_Extend retry 0\n', 'positive number'),
                         ('PCR_Extend retry -1\n', 'positive number'),
                         ('PCR_Extend retry 1 2\n', 'expected COMMAND'),
                         ('PCR_Extend retry=5\n', 'only timeout takes'),
                         ('PCR_Extend timeout=\n', 'only timeout takes'),
                         ('PCR_Extend timeout=9999999\n', '0-600000'),
                         ('x' * 40 + ' retry\n', 'too long'),
                         ('* retry\n' * 17, 'more than 16'),
                         ('* ' + 'a' * 300 + '\n', 'line too long')):
            write_rules(bad)
            p = subprocess.run([faketpm, '--stdio', '--faults', rules],
                               input=b'', stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
            expect('refused at startup (%s)' % why, (1, True),
                   (p.returncode, why in p.stderr.decode()))


# ---- SM2 keys, sessions, quote, credentials -------------------------------

RH_OWNER, RH_NULL, RH_ENDORSEMENT, RS_PW = (0x40000001, 0x40000007,
                                             0x4000000B, 0x40000009)
SM3, SM4, SM2, ECC, CFB, NULL = 0x12, 0x13, 0x1B, 0x23, 0x43, 0x10
CC.update(create_primary=0x131, create=0x153, load=0x157, evict=0x120,
          read_public=0x173, start_session=0x176, policy_secret=0x151,
          activate=0x147, quote=0x158, context_save=0x162,
          context_load=0x161, flush=0x165, nv_read_public=0x169)


def sm3(*parts):
    return hashlib.new('sm3', b''.join(parts)).digest()


def b2(data):
    return struct.pack('>H', len(data)) + data


class Tpm:
    """One faketpm --stdio, one command at a time (state kept)."""

    def __init__(self, faketpm, banks='sha256,sm3', args=(), stderr=None):
        self.p = subprocess.Popen([faketpm, '--stdio', '--banks', banks] +
                                  list(args),
                                  stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE,
                                  stderr=stderr or subprocess.DEVNULL)

    def send(self, c):
        self.p.stdin.write(struct.pack('>I', len(c)) + c)
        self.p.stdin.flush()
        hdr = self.p.stdout.read(10)
        if len(hdr) != 10:
            sys.exit('faketpm died (exit %s) on %s' % (self.p.wait(),
                                                      c[:32].hex()))
        tag, size, rc = struct.unpack('>HII', hdr)
        body = self.p.stdout.read(size - 10)
        if rc and size != 10:
            sys.exit('an error response has a body')
        return rc, body

    def close(self):
        self.p.stdin.close()
        rc = self.p.wait()
        if rc:
            sys.exit('faketpm exited %d' % rc)


class Rd:
    def __init__(self, b):
        self.b, self.o = b, 0

    def take(self, n):
        if self.o + n > len(self.b):
            raise ValueError('truncated')
        v = self.b[self.o:self.o + n]
        self.o += n
        return v

    def u8(self):
        return self.take(1)[0]

    def u16(self):
        return struct.unpack('>H', self.take(2))[0]

    def u32(self):
        return struct.unpack('>I', self.take(4))[0]

    def u64(self):
        return struct.unpack('>Q', self.take(8))[0]

    def b2(self):
        return self.take(self.u16())


def policy_session(handle, nonce, attrs=1, hmac_=b''):
    s = struct.pack('>I', handle) + b2(nonce) + bytes([attrs]) + b2(hmac_)
    return s


def auth_area(*sessions):
    a = b''.join(sessions)
    return struct.pack('>I', len(a)) + a


PW = policy_session(RS_PW, b'')


def ek_policy():
    return sm3(sm3(bytes(32), struct.pack('>II', 0x151, RH_ENDORSEMENT)))


def ecc_public(attrs, policy=b'', sym=None, scheme=None, x=b'', y=b''):
    p = struct.pack('>HHI', ECC, SM3, attrs) + b2(policy)
    p += struct.pack('>H', NULL) if sym is None else struct.pack('>HHH', *sym)
    p += struct.pack('>H', NULL) if scheme is None else \
        struct.pack('>HH', *scheme)
    p += struct.pack('>HH', 0x0020, NULL) + b2(x) + b2(y)
    return p


# The TCG default EK template's shape with SM2, SM3 and SM4 (as vtrust
# makes it): fixedTPM fixedParent sensitiveDataOrigin adminWithPolicy
# restricted decrypt; and the AK: ... userWithAuth restricted sign.
EK_TEMPLATE = ecc_public(0x000300B2, ek_policy(), (SM4, 128, CFB), None,
                         bytes(32), bytes(32))
AK_TEMPLATE = ecc_public(0x00050072, b'', None, (SM2, SM3))


def create_body(template):
    return (b2(b2(b'') + b2(b'')) + b2(template) + b2(b'') +
            struct.pack('>I', 0))


def parse_public(r):
    """TPM2B_PUBLIC: (bytes of the TPMT_PUBLIC, x, y)."""
    raw = r.b2()
    p = Rd(raw)
    p.u16(), p.u16(), p.u32(), p.b2()
    if p.u16() != NULL:
        p.u16(), p.u16()
    if p.u16() != NULL:
        p.u16()
    p.u16(), p.u16()
    x, y = p.b2(), p.b2()
    if p.o != len(raw):
        raise ValueError('trailing bytes in TPMT_PUBLIC')
    return raw, x, y


def name_of(tpmt):
    return b'\x00\x12' + sm3(tpmt)


def der_len(n):
    return bytes([n]) if n < 128 else bytes([0x81, n])


def der_int(v):
    v = v.lstrip(b'\0') or b'\0'
    if v[0] & 0x80:
        v = b'\0' + v
    return b'\x02' + der_len(len(v)) + v


def sm2_spki_pem(x, y):
    """SubjectPublicKeyInfo of an SM2 point: id-ecPublicKey, curve SM2."""
    alg = (b'\x30\x13\x06\x07\x2a\x86\x48\xce\x3d\x02\x01'
           b'\x06\x08\x2a\x81\x1c\xcf\x55\x01\x82\x2d')
    bits = b'\x03\x42\x00\x04' + x + y
    der = b'\x30' + der_len(len(alg) + len(bits)) + alg + bits
    import base64
    return (b'-----BEGIN PUBLIC KEY-----\n' + base64.encodebytes(der) +
            b'-----END PUBLIC KEY-----\n')


def openssl_verify(tmp, pem, digest, r, s):
    """openssl pkeyutl -verify of (r, s) over @digest itself (no Z_A)."""
    sig = der_int(r) + der_int(s)
    sig = b'\x30' + der_len(len(sig)) + sig
    paths = {}
    for n, d in (('pub.pem', pem), ('dgst', digest), ('sig', sig)):
        paths[n] = os.path.join(tmp, n)
        with open(paths[n], 'wb') as f:
            f.write(d)
    p = subprocess.run(['openssl', 'pkeyutl', '-verify', '-pubin', '-inkey',
                        paths['pub.pem'], '-in', paths['dgst'], '-sigfile',
                        paths['sig']], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT)
    return p.returncode == 0 and b'Signature Verified Successfully' in p.stdout


def start_session(t, nonce, stype=1):
    rc, body = t.send(cmd(ST_NO, CC['start_session'], struct.pack(
        '>II', RH_NULL, RH_NULL) + b2(nonce) + b2(b'') + bytes([stype]) +
        struct.pack('>HH', NULL, SM3)))
    if rc:
        return rc, None, None
    r = Rd(body)
    return rc, r.u32(), r.b2()


def policy_secret(t, sess):
    return t.send(cmd(ST_S, CC['policy_secret'], struct.pack(
        '>II', RH_ENDORSEMENT, sess) + auth_area(PW) + b2(b'') + b2(b'') +
        b2(b'') + struct.pack('>I', 0)))


def ek_session(t, nonce=b'n' * 16):
    rc, sess, ntpm = start_session(t, nonce)
    rc2, _ = policy_secret(t, sess)
    return sess, (rc, rc2)


def response_hmac_ok(cc, body, nonce_caller):
    """The policy session's response HMAC (empty key), recomputed."""
    r = Rd(body)
    psize = r.u32()
    params = r.take(psize)
    ntpm, attrs, h = r.b2(), r.u8(), r.b2()
    rp = sm3(struct.pack('>II', 0, cc), params)
    want = hmac.new(b'', rp + ntpm + nonce_caller + bytes([attrs]),
                    'sm3').digest()
    return h == want


def sm2_checks(faketpm, makecred):
    t = Tpm(faketpm)
    startup = cmd(ST_NO, CC['startup'], b'\x00\x00')
    expect('SM2: Startup', 0, t.send(startup)[0])

    # capabilities a vTCM client asks for
    rc, body = t.send(getcap(0, 0x12, 4))
    expect('algorithms from SM3', [(0x12, 4), (0x13, 2), (0x1B, 0x101),
                                   (0x23, 9)],
           [struct.unpack('>HI', body[9 + 6 * i:15 + 6 * i])
            for i in range(4)])
    rc, body = t.send(getcap(8, 0x20, 1))
    expect('ECC curves: SM2 P-256', b'\x00\x00\x00\x00\x08\x00\x00\x00\x01'
           b'\x00\x20', body)

    # CreatePrimary of the EK, twice: the same key
    cp = cmd(ST_S, CC['create_primary'], struct.pack('>I', RH_ENDORSEMENT) +
             auth_area(PW) + create_body(EK_TEMPLATE))
    rc, body = t.send(cp)
    expect('CreatePrimary SM2 EK', 0, rc)
    r = Rd(body)
    ek = r.u32()
    r.u32()
    ek_pub, ek_x, ek_y = parse_public(r)
    creation, chash = r.b2(), r.b2()
    expect('EK: creationHash = SM3(creationData)', sm3(creation), chash)
    r.u16(), r.u32(), r.b2()
    ek_name = r.b2()
    expect('EK handle', 0x80000000, ek)
    expect('EK Name = SM3 || SM3(TPMT_PUBLIC)', name_of(ek_pub), ek_name)
    expect('EK public: the template with its point',
           EK_TEMPLATE[:-70], ek_pub[:-70])
    rc, body = t.send(cp)
    r = Rd(body)
    ek2 = r.u32()
    r.u32()
    expect('second CreatePrimary: the same key', ek_pub, parse_public(r)[0])
    expect('FlushContext', 0, t.send(cmd(ST_NO, CC['flush'],
                                         struct.pack('>I', ek2)))[0])
    expect('FlushContext of a flushed handle', 0x1CB,
           t.send(cmd(ST_NO, CC['flush'], struct.pack('>I', ek2)))[0])
    ek_qn = b'\x00\x12' + sm3(struct.pack('>I', RH_ENDORSEMENT), ek_name)
    rc, body = t.send(cmd(ST_NO, CC['read_public'], struct.pack('>I', ek)))
    r = Rd(body)
    expect('ReadPublic of the EK', (ek_pub, ek_name, ek_qn),
           (parse_public(r)[0], r.b2(), r.b2()))

    # Create and Load the AK under the EK, with the EK's policy
    nonce = bytes(range(16))
    rc, sess, ntpm = start_session(t, nonce)
    expect('StartAuthSession (policy, SM3)', (0, 0x03000000, 32),
           (rc, sess, len(ntpm or b'')))
    create = cmd(ST_S, CC['create'], struct.pack('>I', ek) +
                 auth_area(policy_session(sess, nonce)) +
                 create_body(AK_TEMPLATE))
    expect('Create under the EK without PolicySecret', 0x99D,
           t.send(create)[0])
    expect('Create under the EK with a password', 0x12F,
           t.send(cmd(ST_S, CC['create'], struct.pack('>I', ek) +
                      auth_area(PW) + create_body(AK_TEMPLATE)))[0])
    rc, body = policy_secret(t, sess)
    expect('PolicySecret(TPM_RH_ENDORSEMENT)', 0, rc)
    expect('PolicySecret: NULL ticket', struct.pack('>IHHIH', 10, 0, 0x8023,
                                                    RH_NULL, 0), body[:14])
    rc, body = t.send(create)
    expect('Create the AK', 0, rc)
    expect('Create: the policy session\'s response HMAC',
           True, rc == 0 and response_hmac_ok(0x153, body, nonce))
    r = Rd(body)
    r.u32()
    ak_priv = r.b2()
    ak_pub, ak_x, ak_y = parse_public(r)
    expect('AK private part: no private key in the clear', True,
           len(ak_priv) > 34)
    ak_name = name_of(ak_pub)
    rc, body = t.send(create)
    expect('a policy session after its use starts over', 0x99D, rc)
    ek_session_load = ek_session(t)[0]
    load = cmd(ST_S, CC['load'], struct.pack('>I', ek) +
               auth_area(policy_session(ek_session_load, b'n' * 16, 0)) +
               b2(ak_priv) + b2(ak_pub))
    rc, body = t.send(load)
    expect('Load the AK', 0, rc)
    r = Rd(body)
    ak = r.u32()
    r.u32()
    expect('Load: the AK\'s Name', ak_name, r.b2())
    expect('a session without continueSession ends', 0x910 + 1,
           policy_secret(t, ek_session_load)[0])
    bad_priv = bytearray(ak_priv)
    bad_priv[-1] ^= 1
    s2 = ek_session(t)[0]
    expect('Load of a changed private part', 0x1DF,
           t.send(cmd(ST_S, CC['load'], struct.pack('>I', ek) +
                      auth_area(policy_session(s2, b'n' * 16)) +
                      b2(bytes(bad_priv)) + b2(ak_pub)))[0])
    t.send(cmd(ST_NO, CC['flush'], struct.pack('>I', s2)))
    ak_qn = b'\x00\x12' + sm3(ek_qn, ak_name)

    # EvictControl to 0x81010002
    evict = cmd(ST_S, CC['evict'], struct.pack('>II', RH_OWNER, ak) +
                auth_area(PW) + struct.pack('>I', 0x81010002))
    expect('EvictControl', 0, t.send(evict)[0])
    expect('EvictControl again: the handle is taken', 0x14C,
           t.send(evict)[0])
    expect('EvictControl outside the owner\'s range', 0x1CD,
           t.send(cmd(ST_S, CC['evict'], struct.pack(
               '>II', RH_OWNER, ak) + auth_area(PW) +
               struct.pack('>I', 0x81800000)))[0])
    t.send(cmd(ST_NO, CC['flush'], struct.pack('>I', ak)))
    rc, body = t.send(getcap(1, 0x81000000, 8))
    expect('persistent handles', struct.pack('>BIII', 0, 1, 1, 0x81010002),
           body)
    rc, body = t.send(cmd(ST_NO, CC['read_public'],
                          struct.pack('>I', 0x81010002)))
    r = Rd(body)
    expect('ReadPublic of the persistent AK: public, Name, qualified Name',
           (ak_pub, ak_name, ak_qn), (parse_public(r)[0], r.b2(), r.b2()))
    expect('NV_ReadPublic: no such index', 0x18B,
           t.send(cmd(ST_NO, CC['nv_read_public'],
                      struct.pack('>I', 0x01c0001a)))[0])

    # Quote, after extends; checked here and by openssl
    pcr = {0x0B: [bytes(32)] * 24, 0x12: [bytes(32)] * 24}
    for i, p in enumerate((0, 7, 11, 11, 15)):
        d256 = hashlib.sha256(b'%d' % i).digest()
        dsm3 = sm3(b'%d' % i)
        t.send(extend(p, [(0x0B, d256), (0x12, dsm3)]))
        pcr[0x0B][p] = hashlib.sha256(pcr[0x0B][p] + d256).digest()
        pcr[0x12][p] = sm3(pcr[0x12][p], dsm3)
    qdata = b'verifier nonce 0123'
    sel = struct.pack('>IHB3sHB3s', 2, 0x0B, 3, b'\xff\xff\x00', 0x12, 3,
                      b'\xff\xff\x00')
    quote = cmd(ST_S, CC['quote'], struct.pack('>I', 0x81010002) +
                auth_area(PW) + b2(qdata) + struct.pack('>H', NULL) + sel)
    rc, body = t.send(quote)
    expect('Quote', 0, rc)
    r = Rd(body)
    r.u32()
    attest = r.b2()
    sig_alg, sig_hash, sig_r, sig_s = r.u16(), r.u16(), r.b2(), r.b2()
    a = Rd(attest)
    expect('attest: magic, type', (0xff544347, 0x8018), (a.u32(), a.u16()))
    expect('attest: qualifiedSigner = QN(AK)', ak_qn, a.b2())
    expect('attest: extraData', qdata, a.b2())
    a.u64()
    expect('attest: resetCount, restartCount, safe', (0, 0, 1),
           (a.u32(), a.u32(), a.u8()))
    a.u64()
    expect('attest: the selection', sel, a.take(len(sel)))
    want = sm3(b''.join(pcr[0x0B][p] for p in range(16)) +
               b''.join(pcr[0x12][p] for p in range(16)))
    expect('attest: pcrDigest = SM3 of the PCRs', want, a.b2())
    expect('attest: nothing after', len(attest), a.o)
    expect('signature: SM2 with SM3, 32-byte r and s', (SM2, SM3, 32, 32),
           (sig_alg, sig_hash, len(sig_r), len(sig_s)))
    with tempfile.TemporaryDirectory() as tmp:
        pem = sm2_spki_pem(ak_x, ak_y)
        expect('openssl pkeyutl -verify: SM2 over SM3(attest)', True,
               openssl_verify(tmp, pem, sm3(attest), sig_r, sig_s))
        expect('openssl pkeyutl -verify: another digest fails', False,
               openssl_verify(tmp, pem, sm3(attest + b'x'), sig_r, sig_s))
    expect('Quote with SM2-SHA256 asked', 0x2D2,
           t.send(cmd(ST_S, CC['quote'], struct.pack('>I', 0x81010002) +
                      auth_area(PW) + b2(qdata) +
                      struct.pack('>HH', SM2, 0x0B) + sel))[0])
    expect('Quote with the EK and a password: no USER role by password', 0x12F,
           t.send(cmd(ST_S, CC['quote'], struct.pack('>I', ek) +
                      auth_area(PW) + b2(b'') + struct.pack('>H', NULL) +
                      sel))[0])

    # Contexts: an object saved, flushed, loaded; a session saved, loaded
    rc, ctx = t.send(cmd(ST_NO, CC['context_save'], struct.pack('>I', ek)))
    expect('ContextSave of the EK', 0, rc)
    expect('ContextSave: no private key in the clear', True,
           rc == 0 and ctx.find(ek_pub) < 0)
    t.send(cmd(ST_NO, CC['flush'], struct.pack('>I', ek)))
    bad = bytearray(ctx)
    bad[-1] ^= 1
    expect('ContextLoad of a changed context', 0x1DF,
           t.send(cmd(ST_NO, CC['context_load'], bytes(bad)))[0])
    rc, body = t.send(cmd(ST_NO, CC['context_load'], ctx))
    expect('ContextLoad of the EK', 0, rc)
    ek = struct.unpack('>I', body[:4])[0] if rc == 0 else ek
    rc, body = t.send(cmd(ST_NO, CC['read_public'], struct.pack('>I', ek)))
    r = Rd(body)
    expect('the loaded EK: same public, Name and qualified Name',
           (0, ek_pub, ek_name, ek_qn), (rc, parse_public(r)[0], r.b2(),
                                         r.b2()) if rc == 0 else rc)
    sess, _ = ek_session(t)
    rc, sctx = t.send(cmd(ST_NO, CC['context_save'], struct.pack('>I', sess)))
    expect('ContextSave of a policy session', 0, rc)
    act_plain = cmd(ST_S, CC['activate'], struct.pack('>II', 0x81010002, ek) +
                    auth_area(PW, policy_session(sess, b'n' * 16)) +
                    b2(b'') + b2(b''))
    expect('a saved session cannot authorize', 0x919, t.send(act_plain)[0])
    rc, body = t.send(cmd(ST_NO, CC['context_load'], sctx))
    expect('ContextLoad of the session: the same handle', (0, sess),
           (rc, struct.unpack('>I', body[:4])[0] if rc == 0 else None))
    expect('ContextLoad of the session again', 0x1CB,
           t.send(cmd(ST_NO, CC['context_load'], sctx))[0])

    # ActivateCredential of makecred-tool's credentials
    if not makecred or not os.access(makecred, os.X_OK):
        print('skip: ActivateCredential round trip (no makecred-tool)')
    else:
        activate_checks(t, makecred, ek, sess, ek_pub, ak_name)
    t.close()
    sm2_malformed(faketpm, cp, create_body(AK_TEMPLATE), ak_priv, ak_pub,
                  quote, ctx)


def activate_checks(t, makecred, ek, sess, ek_pub, ak_name):
    secret = bytes(range(100, 132))
    with tempfile.TemporaryDirectory() as tmp:
        def cred(name):
            for n, d in (('ek', b2(ek_pub)), ('secret', secret)):
                with open(os.path.join(tmp, n), 'wb') as f:
                    f.write(d)
            subprocess.run([makecred, '--ek', os.path.join(tmp, 'ek'),
                            '--name', name.hex(), '--secret',
                            os.path.join(tmp, 'secret'), '--out',
                            os.path.join(tmp, 'cred')], check=True)
            with open(os.path.join(tmp, 'cred'), 'rb') as f:
                c = f.read()
            r = Rd(c)
            if r.u32() != 0xbadcc0de or r.u32() != 1:
                sys.exit('makecred-tool: not a credential file')
            return r.b2(), r.b2()

        def activate(blob, es, session):
            s = session
            if s is None:
                s = ek_session(t)[0]
            return t.send(cmd(ST_S, CC['activate'], struct.pack(
                '>II', 0x81010002, ek) + auth_area(
                    PW, policy_session(s, b'n' * 16)) + b2(blob) + b2(es)))

        blob, es = cred(ak_name)
        rc, body = activate(blob, es, sess)
        expect('ActivateCredential: the secret', (0, b2(secret)),
               (rc, body[4:4 + 34]))
        for i, what in ((len(blob) - 1, 'the encrypted credential'),
                        (5, 'the integrity HMAC')):
            b = bytearray(blob)
            b[i] ^= 0x80
            expect('ActivateCredential: %s changed' % what, 0x1DF,
                   activate(bytes(b), es, None)[0])
        e = bytearray(es)
        e[-1] ^= 1
        expect('ActivateCredential: a point off the curve', 0x2E7,
               activate(blob, bytes(e), None)[0])
        e = bytearray(es)
        e[2 + 31] ^= 1
        e2 = bytes(e)
        blob2, es2 = cred(b'\x00\x12' + bytes(32))
        expect('ActivateCredential: made for another Name', 0x1DF,
               activate(blob2, es2, None)[0])
        rc = activate(blob, es[:-1], None)[0]
        expect('ActivateCredential: a secret one byte short', 0x2D5, rc)
        expect('ActivateCredential: wrong x coordinate refused', True,
               activate(blob, e2, None)[0] in (0x2E7, 0x1DF))


def sm2_malformed(faketpm, cp, ak_create_body, ak_priv, ak_pub, quote, ctx):
    """Truncations and mutations of the SM2 commands: an answer each."""
    startup = cmd(ST_NO, CC['startup'], b'\x00\x00')
    nonce = b'n' * 16
    valid = [
        cp,
        cmd(ST_NO, CC['start_session'], struct.pack('>II', RH_NULL, RH_NULL) +
            b2(nonce) + b2(b'') + b'\x01' + struct.pack('>HH', NULL, SM3)),
        cmd(ST_S, CC['policy_secret'], struct.pack(
            '>II', RH_ENDORSEMENT, 0x03000000) + auth_area(PW) + b2(b'') +
            b2(b'') + b2(b'') + struct.pack('>I', 0)),
        cmd(ST_S, CC['create'], struct.pack('>I', 0x80000000) +
            auth_area(policy_session(0x03000000, nonce)) + ak_create_body),
        cmd(ST_S, CC['load'], struct.pack('>I', 0x80000000) +
            auth_area(policy_session(0x03000000, nonce)) + b2(ak_priv) +
            b2(ak_pub)),
        cmd(ST_S, CC['evict'], struct.pack('>II', RH_OWNER, 0x80000001) +
            auth_area(PW) + struct.pack('>I', 0x81010002)),
        cmd(ST_NO, CC['read_public'], struct.pack('>I', 0x80000000)),
        quote,
        cmd(ST_S, CC['activate'], struct.pack('>II', 0x81010002, 0x80000000) +
            auth_area(PW, policy_session(0x03000000, nonce)) +
            b2(b'\x00\x20' + bytes(32) + bytes(20)) +
            b2(b2(bytes(32)) + b2(bytes(32)))),
        cmd(ST_NO, CC['context_save'], struct.pack('>I', 0x80000000)),
        cmd(ST_NO, CC['context_load'], ctx),
        cmd(ST_NO, CC['flush'], struct.pack('>I', 0x80000001)),
    ]
    t = Tpm(faketpm)
    t.send(startup)
    t.send(cp)
    bad = 0
    for c in valid:
        for n in range(10, len(c)):
            x = bytearray(c[:n])
            x[2:6] = struct.pack('>I', n)
            if t.send(bytes(x))[0] == 0:
                bad += 1
                print('truncated %s answered success' % x[:32].hex())
    expect('SM2 commands truncated: all refused', 0, bad)
    t.close()
    rng = random.Random(2)
    fuzz = [startup, cp]
    for _ in range(20000):
        fuzz.append(mutate(rng, valid))
        # now and then a valid command, to reach deeper states
        if rng.randrange(50) == 0:
            fuzz.append(rng.choice(valid))
    r = run(faketpm, 'sha256,sm3', fuzz)
    expect('SM2 commands mutated: all answered', len(fuzz), len(r))


main()
