#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Benchmark: checking an evidence bundle (issue 9): `vtrust verify-evidence`
against the Debian tools' pipeline on the same evidence, whole processes,
and vtrust's verifications per second in library mode.

The evidence, made once into a cache directory (--cache, default
build/bench/evidence; --regen remakes it):

 - the firmware log: a real OVMF event log (userspace/tests/data/ovmf-4bank,
   captured from a guest: 25 events in PCRs 0-7 and 9, four banks);
 - IMA's list: 2,000 ima-ng entries in PCR 10 (boot_aggregate of the
   replayed PCRs 0-9, then files with SHA-256 content digests), as the
   kernel writes it: the default file with SHA-1 template digests and
   binary_runtime_measurements_sha256 (userspace/tests/imalist.py);
 - vtrust's list: a start entry (prior zero, aggregate of PCRs 0-9) and 60
   module loads in PCR 11, default (SHA-1), _sha1 and _sha256 files
   (docs/FORMATS.md, "Measurement list");
 - a swtpm (SHA-1 and SHA-256 banks) whose PCRs are extended with every
   digest of those logs, in order (tpm2_pcrextend, many extends per
   process), so that its PCRs are the logs' replay, which is checked with
   tpm2_pcrread against a replay computed here with hashlib;
 - an RSA AK (`vtrust ak create`) and the bundle, `vtrust quote --sysfs-root`
   over the tree holding the logs (docs/FORMATS.md, "Evidence bundle");
 - the peer's files taken from the bundle: the AK's PEM, the TPMS_ATTEST,
   the TPMT_SIGNATURE, the PCR values in tpm2-tools' format and in evmctl's
   (PCR-NN: hex), the logs.

The peer, the Debian tools, one run = these processes, each timed whole
and each required to exit 0 (so that it did its work):
  tpm2_checkquote -u AK.pem -m ATTEST -s SIG -f PCRS -g sha256 -q NONCE
  tpm2_eventlog UEFI-LOG
  evmctl ima_measurement --pcrs sha1,F --pcrs sha256,F IMA-LIST
  evmctl ima_measurement --pcrs sha1,F --pcrs sha256,F VTRUST-LIST
(the last checks vtrust's list, whose format is IMA's, so that the peer
covers the same evidence). Its inputs are unpacked from the bundle before
the clock starts, which favours it.

The vtrust side, with the enrolled AK's TPM2B_PUBLIC and a baseline that
`verify-evidence --init` recorded from the same evidence (so each
verification is a whole one: quote checks, replay, baseline; trusted):
 - command: `vtrust verify-evidence BUNDLE --nonce HEX --ak AK --baseline
   B`, one process per verification, best of RUNS; goal: at most 0.5x the
   peer's whole pipeline;
 - library mode: userspace/tests/evidence-bench (or VTRUST_EVIDENCE_LIB),
   vt_appraise() in a loop on one thread for 5 s of CPU time, with the
   baseline and without; goal: at least 1,000 verifications per CPU
   second.

Usage: bench/evidence.py VTRUST [--cache DIR] [--regen] [--runs N]
Exit status: 0 when every goal that could be measured is met, 1 if not,
2 on bad usage; 77 when the evidence cannot be made (no swtpm, tpm2-tools
or evmctl).
"""
import argparse
import base64
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTS = os.path.join(TOP, 'userspace', 'tests')
sys.path.insert(0, TESTS)
import eventlog as ev  # noqa: E402
from imalist import (BANKS, Entry, dng, field, ima_ng, replay,  # noqa
                     start_entry, write, write_lists)
from swtpm import Swtpm  # noqa: E402
from tpm2files import checkquote_pcrs, pcrread  # noqa: E402

FIRMWARE_LOG = os.path.join(TESTS, 'data', 'ovmf-4bank', 'eventlog.bin')
KERNEL = '6.1.0-56-amd64'
TPM_BANKS = ('sha1', 'sha256')
IMA_ENTRIES = 2000
VTRUST_MODULES = 60
QUOTED = range(16)          # vtrust quote's default selection
NONCE = '5eed' * 8          # the cache's one nonce
CACHE_VERSION = '1'         # bump when what build() makes changes
TOOLS = ('swtpm', 'tpm2_pcrextend', 'tpm2_pcrread', 'tpm2_checkquote',
         'tpm2_eventlog', 'evmctl')
EXTENDS_PER_PROCESS = 100
GOAL_RATIO = 0.5
GOAL_RATE = 1000

# ---- the evidence ----


def ima_list(rnd, aggregate):
    """2,000 entries as a Debian guest's IMA list starts: boot_aggregate,
    then executables and libraries (ima-ng, SHA-256 content digests)."""
    dirs = ('/usr/bin/', '/usr/sbin/', '/usr/lib/x86_64-linux-gnu/',
            '/usr/lib/systemd/', '/usr/libexec/', '/etc/')
    # its digest is not of a file's content but sha256(PCRs 0-9)
    entries = [Entry(10, 'ima-ng', field(dng('sha256', aggregate)) +
                     field(b'boot_aggregate\0'))]
    for i in range(1, IMA_ENTRIES):
        name = '%s%s-%04d%s' % (rnd.choice(dirs), rnd.choice(
            ('lib', 'sd', 'python3', 'apt', 'dbus', 'cloud')), i,
            rnd.choice(('', '.so.1', '.so.6', '.conf')))
        entries.append(ima_ng(10, name, content=rnd.randbytes(64)))
    return entries


def vtrust_list(rnd, aggregate):
    """A start entry and the modules a cloud guest loads after it."""
    prior = {b: bytes(BANKS[b]) for b in TPM_BANKS}
    agg = 'sha256:' + aggregate.hex()
    dirs = ('drivers/net/', 'drivers/block/', 'fs/', 'net/ipv6/',
            'drivers/virtio/', 'crypto/', 'drivers/char/')
    entries = [start_entry(11, prior, agg)]
    for i in range(VTRUST_MODULES):
        path = '/usr/lib/modules/%s/kernel/%sm%03d.ko' % (
            KERNEL, rnd.choice(dirs), i)
        entries.append(ima_ng(11, path, content=rnd.randbytes(64)))
    return entries, prior


def expected_pcrs(fw, ima, vt, prior):
    """{bank: {pcr: bytes}} of PCRs 0-23 after the three logs (from zero:
    those the TPM starts otherwise, 17-22, are not quoted)."""
    out = {}
    for b in TPM_BANKS:
        v = {k: bytes(BANKS[b]) for k in range(24)}
        v.update(ev.replay(fw, b))
        v.update(replay(ima, b, ima_rules=True))
        v.update(replay(vt, b, start={11: prior[b]}))
        out[b] = v
    return out


def extends(fw, ima, vt):
    """Every extend the logs record, in order, as tpm2_pcrextend specs."""
    specs = []
    for e in ev.parse(fw)[1:]:
        if e['type'] == ev.EV_NO_ACTION:
            continue
        specs.append('%d:%s' % (e['pcr'], ','.join(
            '%s=%s' % (b, e['digests'][b].hex()) for b in TPM_BANKS)))
    for e in ima + vt:
        specs.append('%d:%s' % (e.pcr, ','.join(
            '%s=%s' % (b, e.tdigest(b).hex()) for b in TPM_BANKS)))
    return specs


def tpm2(t, args, binary=False):
    p = subprocess.run(args, capture_output=True, env=t.env())
    if p.returncode:
        raise SystemExit('bench/evidence.py: %s: exit %d\n%s' % (
            ' '.join(args[:2]), p.returncode, p.stderr.decode()[-2000:]))
    return p.stdout if binary else p.stdout.decode()


def peer_files(cache, bundle):
    """The peer's inputs, unpacked from the bundle: {role: path}."""
    d = os.path.join(cache, 'peer')
    os.makedirs(d, exist_ok=True)
    files = {
        'ak.pem': bundle['ak']['public'].encode(),
        'attest': base64.b64decode(bundle['quote']['attest']),
        'signature': base64.b64decode(bundle['quote']['signature']),
        'pcrs': checkquote_pcrs(bundle['pcrs'], TPM_BANKS),
        'uefi': base64.b64decode(bundle['logs']['uefi']),
        'ima': base64.b64decode(bundle['logs']['ima']),
        'vtrust': base64.b64decode(bundle['logs']['vtrust']),
    }
    for b in TPM_BANKS:
        vals = bundle['pcrs'][b]
        files['evm.' + b] = ''.join(
            'PCR-%02d: %s\n' % (k, vals.get(str(k), '00' * BANKS[b]))
            for k in range(24)).encode()
    out = {}
    for name, data in files.items():
        out[name] = os.path.join(d, name)
        with open(out[name], 'wb') as f:
            f.write(data)
    return out


def build(vt, cache):
    """Make the evidence into @cache (see the top)."""
    rnd = random.Random(9)
    root = os.path.join(cache, 'root')
    with open(FIRMWARE_LOG, 'rb') as f:
        fw = f.read()
    write(os.path.join(root, 'sys/kernel/security/tpm0/'
                       'binary_bios_measurements'), fw)
    fw256 = ev.replay(fw, 'sha256')
    aggregate = hashlib.sha256(b''.join(fw256[k] for k in range(10)))
    ima = ima_list(rnd, aggregate.digest())
    write_lists(root, 'ima', ima, ('sha256',))
    vtl, prior = vtrust_list(rnd, aggregate.digest())
    write_lists(root, 'vtrust', vtl, TPM_BANKS)
    want = expected_pcrs(fw, ima, vtl, prior)

    t = Swtpm(banks=TPM_BANKS)
    if not t.tcti:
        sys.exit(77)
    try:
        specs = extends(fw, ima, vtl)
        for i in range(0, len(specs), EXTENDS_PER_PROCESS):
            tpm2(t, ['tpm2_pcrextend'] + specs[i:i + EXTENDS_PER_PROCESS])
        got = pcrread(t.tcti)
        for b in TPM_BANKS:
            bad = [k for k in QUOTED if got.get(b, {}).get(k) != want[b][k]]
            if bad:
                raise SystemExit('bench/evidence.py: the swtpm\'s %s PCRs '
                                 '%s are not the replay' % (b, bad))
        env = {'TPM2TOOLS_TCTI': t.tcti}
        run([vt, 'ak', 'create', '--alg', 'rsa'], env=env)
        bundle_path = os.path.join(cache, 'evidence.json')
        run([vt, 'quote', '--nonce', NONCE, '--sysfs-root', root, '--out',
             bundle_path], env=env)
    finally:
        t.stop()
    with open(bundle_path) as f:
        bundle = json.load(f)
    for b in TPM_BANKS:
        if bundle['pcrs'][b] != {str(k): want[b][k].hex() for k in QUOTED}:
            raise SystemExit('bench/evidence.py: the bundle\'s %s PCRs are '
                             'not the replay' % b)
    peer_files(cache, bundle)
    # vtrust's own replay agrees: the logs explain the quoted PCRs
    pcrs = os.path.join(cache, 'pcrs.txt')
    with open(pcrs, 'w') as f:
        for b in TPM_BANKS:
            for k in QUOTED:
                f.write('%s %d %s\n' % (b, k, bundle['pcrs'][b][str(k)]))
    if 'result: match' not in run([vt, 'replay', '--sysfs-root', root,
                                   '--pcrs', pcrs]):
        raise SystemExit('bench/evidence.py: vtrust replay: no match')
    with open(os.path.join(cache, 'VERSION'), 'w') as f:
        f.write(CACHE_VERSION + '\n')
    print('evidence: %s (firmware log %d events, IMA %d entries, vtrust %d '
          'entries, %d extends)' % (bundle_path, len(ev.parse(fw)) - 1,
                                    len(ima), len(vtl), len(specs)))


def cached(cache):
    try:
        with open(os.path.join(cache, 'VERSION')) as f:
            return f.read().strip() == CACHE_VERSION
    except OSError:
        return False

# ---- timing ----


def run(cmd, env=None, want=0):
    e = dict(os.environ, **(env or {}))
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       env=e)
    if p.returncode != want:
        raise SystemExit('bench/evidence.py: %s: exit %d, wanted %d\n%s' % (
            ' '.join(cmd[:3]), p.returncode, want,
            p.stdout.decode(errors='replace')[-3000:]))
    return p.stdout.decode(errors='replace')


def peer_pipeline(cache):
    """The Debian tools' commands of one verification."""
    f = {n: os.path.join(cache, 'peer', n) for n in (
        'ak.pem', 'attest', 'signature', 'pcrs', 'uefi', 'ima', 'vtrust',
        'evm.sha1', 'evm.sha256')}
    evm = ['--pcrs', 'sha1,' + f['evm.sha1'], '--pcrs',
           'sha256,' + f['evm.sha256']]
    return [
        ['tpm2_checkquote', '-u', f['ak.pem'], '-m', f['attest'], '-s',
         f['signature'], '-f', f['pcrs'], '-g', 'sha256', '-q', NONCE],
        ['tpm2_eventlog', f['uefi']],
        ['evmctl', 'ima_measurement'] + evm + [f['ima']],
        ['evmctl', 'ima_measurement'] + evm + [f['vtrust']],
    ]


def timed(cmds):
    """Seconds for @cmds run one after the other, each checked."""
    t = time.monotonic()
    for cmd in cmds:
        run(cmd)
    return time.monotonic() - t


def best_of(cmds, runs):
    return min(timed(cmds) for _ in range(runs))


def checked_peer(cache):
    """The peer refuses a changed PCR value: it checks, not just reads."""
    pcrs = os.path.join(cache, 'peer', 'pcrs')
    bad = os.path.join(cache, 'peer', 'pcrs.bad')
    with open(pcrs, 'rb') as f:
        data = bytearray(f.read())
    data[-64] ^= 1
    with open(bad, 'wb') as f:
        f.write(data)
    cmd = [a if a != pcrs else bad for a in peer_pipeline(cache)[0]]
    run(cmd, want=1)
    # and evmctl a changed PCR 10 (IMA's list), PCR 11 (vtrust's)
    evm = os.path.join(cache, 'peer', 'evm.sha256')
    for pcr, which in ((10, 2), (11, 3)):
        with open(evm) as f:
            lines = f.read().splitlines(True)
        v = lines[pcr].split()[1]
        lines[pcr] = 'PCR-%02d: %x%s\n' % (pcr, int(v[0], 16) ^ 1, v[1:])
        with open(evm + '.bad', 'w') as f:
            f.writelines(lines)
        cmd = [a.replace(evm, evm + '.bad')
               for a in peer_pipeline(cache)[which]]
        p = subprocess.run(cmd, capture_output=True)
        if p.returncode == 0:
            raise SystemExit('bench/evidence.py: evmctl accepted a changed '
                             'PCR %d' % pcr)

# ---- the vtrust side ----


def vtrust_files(vt, cache):
    """The verifier's own inputs, made from the bundle when missing: the
    enrolled AK (its TPM2B_PUBLIC, as `vtrust ak create` gave it) and a
    baseline recorded from the same evidence by `verify-evidence --init`
    (exit 4), so that each timed verification compares a whole boot."""
    bundle = os.path.join(cache, 'evidence.json')
    ak = os.path.join(cache, 'ak.tpm2b')
    base = os.path.join(cache, 'baseline.json')
    if not os.path.exists(ak):
        with open(bundle) as f:
            pub = json.load(f)['ak']['tpm2b_public']
        with open(ak, 'wb') as f:
            f.write(base64.b64decode(pub))
    if not os.path.exists(base):
        run([vt, 'verify-evidence', bundle, '--nonce', NONCE, '--ak', ak,
             '--baseline', base, '--init'], want=4)
    return bundle, ak, base


def vtrust_command(vt, cache):
    """`vtrust verify-evidence` of the bundle against its baseline; it
    must say trusted (exit 0)."""
    bundle, ak, base = vtrust_files(vt, cache)
    return [vt, 'verify-evidence', bundle, '--nonce', NONCE, '--ak', ak,
            '--baseline', base]


def library_rate(vt, cache, baseline, seconds=5):
    """Verifications per CPU second of vt_appraise() on one thread
    (userspace/tests/evidence-bench, or VTRUST_EVIDENCE_LIB), with the
    baseline or without; the verdict must be trusted (valid without)."""
    driver = os.environ.get('VTRUST_EVIDENCE_LIB',
                            os.path.join(TESTS, 'evidence-bench'))
    if not os.access(driver, os.X_OK):
        raise SystemExit('bench/evidence.py: no %s (make -C userspace '
                         'tests/evidence-bench)' % driver)
    bundle, ak, base = vtrust_files(vt, cache)
    out = json.loads(run([driver, bundle, NONCE, ak,
                          base if baseline else '-', str(seconds)]))
    want = 'trusted' if baseline else 'valid'
    if out['result'] != want:
        raise SystemExit('bench/evidence.py: %s: %s, wanted %s'
                         % (driver, out['result'], want))
    return out['per_second']


def main(argv):
    ap = argparse.ArgumentParser(prog='bench/evidence.py')
    ap.add_argument('vtrust')
    ap.add_argument('--cache', default=os.path.join(TOP, 'build', 'bench',
                                                    'evidence'))
    ap.add_argument('--regen', action='store_true')
    ap.add_argument('--runs', type=int, default=10)
    a = ap.parse_args(argv[1:])
    vt = os.path.abspath(a.vtrust)
    missing = [t for t in TOOLS if not shutil.which(t)]
    if missing:
        print('bench/evidence.py: no %s: skipped' % ', '.join(missing))
        return 77
    if a.regen or not cached(a.cache):
        shutil.rmtree(a.cache, ignore_errors=True)
        os.makedirs(a.cache)
        build(vt, a.cache)
    checked_peer(a.cache)
    ok = True
    peer = best_of(peer_pipeline(a.cache), a.runs)
    parts = [best_of([cmd], a.runs) for cmd in peer_pipeline(a.cache)]
    print('peer (tpm2_checkquote + tpm2_eventlog + evmctl ima_measurement '
          'x2): %.1f ms per verification, best of %d (%s ms)'
          % (peer * 1e3, a.runs, ' + '.join('%.1f' % (s * 1e3)
                                            for s in parts)))
    cmd = vtrust_command(vt, a.cache)
    mine = best_of([cmd], a.runs)
    ratio = mine / peer
    print('vtrust verify-evidence --baseline: %.1f ms per verification, '
          'best of %d: %.2fx the peer (goal: at most %.1fx)'
          % (mine * 1e3, a.runs, ratio, GOAL_RATIO))
    ok &= ratio <= GOAL_RATIO
    for baseline in (True, False):
        rate = library_rate(vt, a.cache, baseline)
        print('library mode%s: %.0f verifications per CPU second on one '
              'thread (goal: at least %d)'
              % (' with the baseline' if baseline else ', no baseline',
                 rate, GOAL_RATE))
        ok &= rate >= GOAL_RATE
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
