# SPDX-License-Identifier: GPL-2.0-or-later
"""Build and replay TCG firmware event logs for the tests.

Independent of the code under test: a small reader and writer of
crypto-agile (and SHA-1) logs, digests from Python's hashlib.
"""
import hashlib
import struct

ALG_IDS = {'sha1': 0x0004, 'sha256': 0x000b, 'sha384': 0x000c,
           'sha512': 0x000d, 'sm3_256': 0x0012}
ALG_NAMES = {v: k for k, v in ALG_IDS.items()}
SIZES = {'sha1': 20, 'sha256': 32, 'sha384': 48, 'sha512': 64,
         'sm3_256': 32}

EV_POST_CODE = 0x1
EV_NO_ACTION = 0x3
EV_SEPARATOR = 0x4
EV_ACTION = 0x5
EV_EVENT_TAG = 0x6
EV_S_CRTM_VERSION = 0x8
EV_IPL = 0xd
EV_EFI_VARIABLE_DRIVER_CONFIG = 0x80000001
EV_EFI_VARIABLE_BOOT = 0x80000002
EV_EFI_BOOT_SERVICES_APPLICATION = 0x80000003
EV_EFI_GPT_EVENT = 0x80000006
EV_EFI_ACTION = 0x80000007
EV_EFI_PLATFORM_FIRMWARE_BLOB = 0x80000008
EV_EFI_HANDOFF_TABLES = 0x80000009
EV_EFI_VARIABLE_AUTHORITY = 0x800000e0

GLOBAL_GUID = bytes.fromhex('61dfe48bca93d211aa0d00e098032b8c')


def H(bank, data):
    return hashlib.new('sm3' if bank == 'sm3_256' else bank, data).digest()


def u16(v):
    return struct.pack('<H', v)


def u32(v):
    return struct.pack('<I', v)


def u64(v):
    return struct.pack('<Q', v)


def spec_id_event(banks, vendor=b''):
    data = b'Spec ID Event03\0' + u32(0) + bytes([0, 2, 0, 2]) + \
        u32(len(banks))
    for b in banks:
        data += u16(ALG_IDS[b]) + u16(SIZES[b])
    data += bytes([len(vendor)]) + vendor
    return u32(0) + u32(EV_NO_ACTION) + bytes(20) + u32(len(data)) + data


class Event:
    """One event: digests default to each bank's digest of the data."""

    def __init__(self, pcr, etype, data, digests=None, hashed=None):
        self.pcr = pcr
        self.type = etype
        self.data = data
        self.hashed = hashed if hashed is not None else data
        self.digests = dict(digests or {})

    def digest(self, bank):
        if bank in self.digests:
            return self.digests[bank]
        if self.type == EV_NO_ACTION:
            return bytes(SIZES[bank])
        return H(bank, self.hashed)

    def agile(self, banks):
        out = u32(self.pcr) + u32(self.type) + u32(len(banks))
        for b in banks:
            out += u16(ALG_IDS[b]) + self.digest(b)
        return out + u32(len(self.data)) + self.data

    def sha1(self):
        return u32(self.pcr) + u32(self.type) + self.digest('sha1') + \
            u32(len(self.data)) + self.data


def log_bytes(events, banks, vendor=b''):
    return spec_id_event(banks, vendor) + b''.join(e.agile(banks)
                                                   for e in events)


def sha1_log_bytes(events):
    return b''.join(e.sha1() for e in events)


def locality_event(loc):
    return Event(0, EV_NO_ACTION, b'StartupLocality\0' + bytes([loc]))


def separator(pcr, value=0):
    return Event(pcr, EV_SEPARATOR, u32(value))


def efi_action(pcr, text):
    return Event(pcr, EV_EFI_ACTION, text.encode())


def variable(pcr, name, data, etype=EV_EFI_VARIABLE_DRIVER_CONFIG,
             guid=GLOBAL_GUID):
    n = name.encode('utf-16-le')
    body = guid + u64(len(name)) + u64(len(data)) + n + data
    return Event(pcr, etype, body)


def image(pcr, path, content):
    dp = b''
    p = (path + '\0').encode('utf-16-le')
    dp += bytes([4, 4]) + u16(4 + len(p)) + p
    dp += bytes([0x7f, 0xff]) + u16(4)
    data = u64(0x1000) + u64(len(content)) + u64(0) + u64(len(dp)) + dp
    return Event(pcr, EV_EFI_BOOT_SERVICES_APPLICATION, data, hashed=content)


def blob(pcr, base, length, content):
    return Event(pcr, EV_EFI_PLATFORM_FIRMWARE_BLOB, u64(base) + u64(length),
                 hashed=content)


def sample_events():
    """A firmware boot in the shape of OVMF's."""
    return [
        Event(0, EV_S_CRTM_VERSION, 'v1\0'.encode('utf-16-le')),
        blob(0, 0x820000, 0xe0000, b'PEIFV'),
        blob(0, 0x900000, 0x700000, b'DXEFV'),
        variable(7, 'SecureBoot', b'\0'),
        variable(7, 'PK', b''),
        variable(7, 'KEK', b''),
        variable(7, 'db', b''),
        variable(7, 'dbx', b''),
        separator(7),
        variable(1, 'BootOrder', b'\0\0', etype=EV_EFI_VARIABLE_BOOT),
        efi_action(4, 'Calling EFI Application from Boot Option'),
        separator(0), separator(1), separator(2), separator(3),
        separator(4), separator(5), separator(6),
        image(4, '\\EFI\\BOOT\\BOOTX64.EFI', b'MZ kernel image'),
        Event(9, EV_EVENT_TAG, u32(0x8f3b22ed) + u32(13) + b'Linux initrd\0',
              hashed=b'initrd bytes'),
        efi_action(5, 'Exit Boot Services Invocation'),
        efi_action(5, 'Exit Boot Services Returned with Success'),
    ]


def parse(data):
    """Events as dicts {pcr, type, digests: {bank: bytes}, data}."""
    pos = 0
    pcr, etype = struct.unpack_from('<II', data, 0)
    size, = struct.unpack_from('<I', data, 28)
    first = data[32:32 + size]
    events = [{'pcr': pcr, 'type': etype, 'data': first,
               'digests': {'sha1': data[8:28]}}]
    pos = 32 + size
    if not first.startswith(b'Spec ID Event03\0'):
        while pos < len(data):
            pcr, etype = struct.unpack_from('<II', data, pos)
            size, = struct.unpack_from('<I', data, pos + 28)
            events.append({'pcr': pcr, 'type': etype,
                           'digests': {'sha1': data[pos + 8:pos + 28]},
                           'data': data[pos + 32:pos + 32 + size]})
            pos += 32 + size
        return events
    n, = struct.unpack_from('<I', first, 24)
    sizes = {}
    for i in range(n):
        a, s = struct.unpack_from('<HH', first, 28 + 4 * i)
        sizes[a] = s
    while pos < len(data):
        if not any(data[pos:]):
            break
        pcr, etype, count = struct.unpack_from('<III', data, pos)
        pos += 12
        digests = {}
        for _ in range(count):
            a, = struct.unpack_from('<H', data, pos)
            digests[ALG_NAMES.get(a, a)] = data[pos + 2:pos + 2 + sizes[a]]
            pos += 2 + sizes[a]
        size, = struct.unpack_from('<I', data, pos)
        events.append({'pcr': pcr, 'type': etype, 'digests': digests,
                       'data': data[pos + 4:pos + 4 + size]})
        pos += 4 + size
    return events


def replay(data, bank, pcrs=range(10)):
    """{pcr: value} for @bank after the log's events."""
    size = SIZES[bank]
    events = parse(data)
    values = {p: bytes(size) for p in pcrs}
    for e in events[1:]:
        if e['type'] == EV_NO_ACTION and e['data'][:16] == \
                b'StartupLocality\0' and len(e['data']) == 17:
            values[0] = bytes(size - 1) + e['data'][16:17]
    for e in events[1:] if events[0]['data'].startswith(b'Spec ID') \
            else events:
        if e['type'] == EV_NO_ACTION or e['pcr'] not in values or \
                bank not in e['digests']:
            continue
        values[e['pcr']] = H(bank, values[e['pcr']] + e['digests'][bank])
    return values
