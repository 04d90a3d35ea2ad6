# SPDX-License-Identifier: GPL-2.0-or-later
"""Build IMA/vtrust binary measurement lists and fake sysfs trees for tests.

Independent of the code under test: digests come from Python's hashlib.
"""
import hashlib
import os
import struct

BANKS = {'sha1': 20, 'sha256': 32, 'sha384': 48, 'sha512': 64, 'sm3_256': 32}
# the kernel's names (sysfs pcr-<kname>, IMA's per-bank files)
KNAME = {'sha1': 'sha1', 'sha256': 'sha256', 'sha384': 'sha384',
         'sha512': 'sha512', 'sm3_256': 'sm3'}


def H(bank, data):
    return hashlib.new('sm3' if bank == 'sm3_256' else bank, data).digest()


def u32(v):
    return struct.pack('<I', v)


def field(b):
    return u32(len(b)) + b


def dng(algo, digest):
    return algo.encode() + b':\0' + digest


class Entry:
    """One entry: template name, hashed template data, serialized tail."""

    def __init__(self, pcr, template, data, tail=None, violation=False):
        self.pcr = pcr
        self.template = template
        self.data = data                    # what the template digest covers
        self.tail = tail if tail is not None else u32(len(data)) + data
        self.violation = violation
        self.tdigest_override = {}          # bank -> digest bytes

    def tdigest(self, bank):
        if bank in self.tdigest_override:
            return self.tdigest_override[bank]
        if self.violation:
            return bytes(BANKS[bank])
        return H(bank, self.data)

    def binary(self, bank):
        name = self.template.encode()
        return u32(self.pcr) + self.tdigest(bank) + u32(len(name)) + name + \
            self.tail


def ima_ng(pcr, name, content=None, algo='sha256', template='ima-ng'):
    content = content if content is not None else name.encode()
    d = hashlib.new(algo, content).digest()
    return Entry(pcr, template, field(dng(algo, d)) + field(name.encode() + b'\0'))


def ima_sig(pcr, name, sig=b'', algo='sha256'):
    d = hashlib.new(algo, name.encode()).digest()
    data = field(dng(algo, d)) + field(name.encode() + b'\0') + field(sig)
    return Entry(pcr, 'ima-sig', data)


def ima_buf(pcr, name, buf, algo='sha256'):
    d = hashlib.new(algo, buf).digest()
    data = field(dng(algo, d)) + field(name.encode() + b'\0') + field(buf)
    e = Entry(pcr, 'ima-buf', data)
    e.buf = buf
    return e


def violation(pcr, name, algo='sha256'):
    size = hashlib.new(algo).digest_size
    data = field(dng(algo, bytes(size))) + field(name.encode() + b'\0')
    return Entry(pcr, 'ima-ng', data, violation=True)


def legacy(pcr, name, content=None):
    """The 'ima' template: no data length in the list; hashed as 20 + 256."""
    n = name.encode()
    d = hashlib.sha1(content if content is not None else n).digest()
    hashed = d + n + bytes(256 - len(n))
    return Entry(pcr, 'ima', hashed, tail=d + u32(len(n)) + n)


def aggregate_of(pcrs=None, bank='sha256'):
    """vtrust's aggregate=: bank(PCR 0 || ... || PCR 9); pcrs: {index: bytes},
    the others zero (a fake TPM's unset PCRs)."""
    pcrs = pcrs or {}
    data = b''.join(pcrs.get(k, bytes(BANKS[bank])) for k in range(10))
    return '%s:%s' % (bank, H(bank, data).hex())


def start_entry(pcr, prior, aggregate=None):
    """vtrust's start entry; prior: {bank: bytes}; aggregate: as written
    (default: that of a TPM whose PCRs 0-9 are zero)."""
    aggregate = aggregate or aggregate_of()
    p = ','.join('%s:%s' % (b, v.hex()) for b, v in prior.items())
    buf = ('vtrust-start version=1 pcr=%d aggregate=%s prior=%s'
           % (pcr, aggregate, p)).encode()
    return ima_buf(pcr, 'vtrust-start', buf)


def list_bytes(entries, bank):
    return b''.join(e.binary(bank) for e in entries)


def replay(entries, bank, start=None, ima_rules=False, upto=None):
    """PCR values {pcr: bytes} after entries[:upto]."""
    size = BANKS[bank]
    pcrs = {}
    for i, e in enumerate(entries):
        if upto is not None and i >= upto:
            break
        v = pcrs.get(e.pcr, (start or {}).get(e.pcr, bytes(size)))
        if ima_rules and e.tdigest(bank) == bytes(size):
            ext = b'\xff' * size
        else:
            ext = e.tdigest(bank)
        pcrs[e.pcr] = H(bank, v + ext)
    return pcrs


def write(path, data, mode='wb'):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(data)


def fake_tpm(root, pcrs_by_bank, upper=True):
    """/sys/class/tpm/tpm0/pcr-<kname>/<n>; PCRs not given are zero."""
    for bank, pcrs in pcrs_by_bank.items():
        d = os.path.join(root, 'sys/class/tpm/tpm0/pcr-' + KNAME[bank])
        for n in range(24):
            v = pcrs.get(n, bytes(BANKS[bank])).hex()
            write(os.path.join(d, str(n)),
                  (v.upper() if upper else v) + '\n', 'w')


def securityfs(root, source):
    return os.path.join(root, 'sys/kernel/security', source)


def write_lists(root, source, entries, banks):
    """<securityfs>/<source>/binary_runtime_measurements (SHA-1 template
    digests, the default file) and binary_runtime_measurements_<bank> for
    each of @banks (named as vtrust names them; IMA's differ only for SM3).
    """
    sfs = securityfs(root, source)
    write(os.path.join(sfs, 'binary_runtime_measurements'),
          list_bytes(entries, 'sha1'))
    for b in banks:
        write(os.path.join(sfs, 'binary_runtime_measurements_' + b),
              list_bytes(entries, b))
