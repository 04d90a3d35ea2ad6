# SPDX-License-Identifier: GPL-2.0-or-later
"""tpm2-tools' files and output, for the tests and the benchmarks that use
tpm2-tools as the independent side:

    pcrread(tcti)               tpm2_pcrread's values, {bank: {pcr: bytes}}
    checkquote_pcrs(pcrs, banks)  PCR values in tpm2_checkquote -f's format
"""
import os
import struct
import subprocess

TPM_ALG = {'sha1': 0x0004, 'sha256': 0x000b, 'sha384': 0x000c,
           'sha512': 0x000d, 'sm3_256': 0x0012}


def pcrread(tcti):
    """tpm2_pcrread's values: {bank: {pcr: bytes}}, banks with none left
    out."""
    out = subprocess.run(['tpm2_pcrread'], capture_output=True, text=True,
                         env=dict(os.environ, TPM2TOOLS_TCTI=tcti),
                         check=True).stdout
    vals, bank = {}, None
    for line in out.splitlines():
        line = line.strip()
        if line.endswith(':') and ' ' not in line:
            bank = line[:-1]
            vals[bank] = {}
        elif ':' in line and bank:
            n, v = line.split(':', 1)
            vals[bank][int(n)] = bytes.fromhex(v.strip()[2:])
    return {b: v for b, v in vals.items() if v}


def checkquote_pcrs(pcrs, banks):
    """PCR values ({bank: {"index": hex}}) in the file format of
    tpm2_quote -o, which tpm2_checkquote -f reads: tpm2-tools' structures
    as C lays them out on x86-64 (a TPML_PCR_SELECTION, then TPML_DIGESTs
    of 8 values). Its values-only format (with -l) fails in 5.4 beyond a
    few PCRs."""
    out = struct.pack('<I', len(banks))
    for i in range(16):
        if i < len(banks):
            bits = sum(1 << int(k) for k in pcrs[banks[i]])
            out += struct.pack('<HB4sx', TPM_ALG[banks[i]], 3,
                               bits.to_bytes(4, 'little'))
        else:
            out += bytes(8)
    vals = [bytes.fromhex(pcrs[bk][k]) for bk in banks
            for k in sorted(pcrs[bk], key=int)]
    lists = [vals[i:i + 8] for i in range(0, len(vals), 8)]
    out += struct.pack('<I', len(lists))
    for one in lists:
        out += struct.pack('<I', len(one))
        for j in range(8):
            v = one[j] if j < len(one) else b''
            out += struct.pack('<H', len(v)) + v.ljust(64, b'\0')
    return out
