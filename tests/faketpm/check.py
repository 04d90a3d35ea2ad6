#!/usr/bin/env python3
"""Host-only checks of faketpm's command handling (no vtpm_proxy needed).

    check.py FAKETPM      (e.g. ./faketpm-asan, built by `make check`)

Runs faketpm --stdio: the commands the Linux 6.1 TPM driver sends while it
registers a chip and uses its PCRs, with known answers computed here with
Python's hashlib; then malformed commands (every truncation of every valid
command, bad tags, lengths, sessions, handles, algorithms) and random
mutations, each of which must get a well-formed error response.
"""
import hashlib
import random
import struct
import subprocess
import sys

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
    expect('TPM_PT_TOTAL_COMMANDS', struct.pack('>BIIII', 0, 6, 1, 0x129, 7),
           r[4][2])
    cnt = struct.unpack('>I', r[5][2][5:9])[0]
    ccs = [struct.unpack('>I', r[5][2][9 + 4 * i:13 + 4 * i])[0]
           for i in range(cnt)]
    expect('commands', [0x143, 0x144, 0x145, 0x17A, 0x17B, 0x17E, 0x182],
           [c & 0xffff for c in ccs])
    expect('PCR_Extend has one handle', 1, (ccs[-1] >> 25) & 7)
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
    fuzz = []
    for _ in range(20000):
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
        fuzz.append(bytes(c[:4096]))
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

    print('faketpm check: %s' % ('FAIL (%d)' % failures if failures else 'PASS'))
    sys.exit(1 if failures else 0)


main()
