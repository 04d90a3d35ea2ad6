#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Tests of `vtrust baseline generate`: a reference of a kernel's modules,
each hashed as the kernel will read it. Module trees are built from the
test modules (tests/modules/gen), compressed here with Python's lzma and
gzip and the zstd program; every expected digest is hashlib's, over the
file's bytes or over the module before it was compressed.

Usage: test-generate.py VTRUST [TEST]...
"""
import glob
import gzip
import hashlib
import json
import lzma
import os
import re
import shutil
import stat
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import Fail, expect, expect_rc, main, run, test, tree  # noqa
from imalist import (BANKS, fake_tpm, ima_ng, list_bytes, replay,  # noqa
                     securityfs, start_entry, write)

KVER = '6.1.0-56-amd64'             # Debian 12's kernel: uncompressed .ko
KVER_XZ = '6.12.117+deb12-amd64'    # its backports kernel: .ko.xz
FAKE = '6.99.0-vtrust-test'         # no /boot/config-FAKE
TEST_MODS = os.path.join(HERE, '..', '..', 'tests', 'modules', 'gen')
GOOD_CONFIG = 'CONFIG_MODULE_COMPRESS_%s=y\nCONFIG_MODULE_DECOMPRESS=y\n'


class Skip(Exception):
    pass


def have_zstd():
    return shutil.which('zstd') is not None


def compress(kind, data):
    if kind == 'xz':
        return lzma.compress(data, format=lzma.FORMAT_XZ,
                             check=lzma.CHECK_CRC32)
    if kind == 'gz':
        return gzip.compress(data)
    return subprocess.run(['zstd', '-q', '-c'], input=data, check=True,
                          capture_output=True).stdout


def decompress(kind, data):
    if kind == 'xz':
        return lzma.decompress(data)
    if kind == 'gz':
        return gzip.decompress(data)
    return subprocess.run(['zstd', '-q', '-d', '-c'], input=data, check=True,
                          capture_output=True).stdout


class Tree:
    """<root>/lib/modules/<kver>/kernel/misc with one test module per kind
    ('' for an uncompressed .ko, 'xz', 'zst', 'gz'), and its modules.dep."""

    def __init__(self, root, kinds, kver=FAKE, config=None):
        src = sorted(glob.glob(os.path.join(TEST_MODS, 'vtt_00[0-9][0-9].ko')))
        if len(src) < len(kinds) or not shutil.which('depmod'):
            raise Skip('no test modules (make) or no depmod')
        if 'zst' in kinds and not have_zstd():
            raise Skip('no zstd program')
        self.moddir = os.path.join(root, 'lib/modules')
        self.kver = kver
        top = os.path.join(self.moddir, kver)
        d = os.path.join(top, 'kernel/misc')
        os.makedirs(d)
        self.mods = []      # (path, kind, the module's uncompressed bytes)
        for path, kind in zip(src, kinds):
            image = open(path, 'rb').read()
            name = os.path.basename(path) + ('.' + kind if kind else '')
            data = compress(kind, image) if kind else image
            if kind:
                expect(decompress(kind, data) == image, 'round trip ' + kind)
            write(os.path.join(d, name), data)
            self.mods.append((os.path.realpath(os.path.join(d, name)), kind,
                              image))
        p = subprocess.run(['depmod', '-b', root, kver], capture_output=True)
        if p.returncode:
            raise Fail('depmod: %s' % p.stderr)
        # a depmod without zlib leaves .ko.gz out: list it by hand
        dep = os.path.join(top, 'modules.dep')
        listed = open(dep).read()
        with open(dep, 'a') as f:
            for path, _, _ in self.mods:
                rel = os.path.relpath(path, os.path.realpath(top))
                if rel + ':' not in listed:
                    f.write(rel + ':\n')
        if config is not None:
            write(os.path.join(top, 'config'), config, 'w')

    def expected(self, as_file):
        """The reference's lines; @as_file(kind) says whether a compressed
        module of that kind is hashed as its file."""
        out = []
        for path, kind, image in self.mods:
            data = open(path, 'rb').read()
            if kind and not as_file(kind):
                data = image
            out.append('sha256:%s %s' % (hashlib.sha256(data).hexdigest(),
                                         path))
        return sorted(out, key=lambda x: x.split(' ', 1)[1])

    def generate(self, *extra, env=None):
        return run(['baseline', 'generate', '--kernel-release', self.kver,
                    '--modules-dir', self.moddir] + list(extra), env=env)

    def check(self, res, as_file, what):
        expect_rc(res, 0)
        lines = res[1].splitlines()
        want = self.expected(as_file)
        expect(lines[0].startswith('# vtrust baseline generate') and
               lines[1:] == want,
               '%s:\n%s\n-- wanted:\n%s' % (what, res[1], '\n'.join(want)))
        n_file = sum(1 for _, k, _ in self.mods if k and as_file(k))
        n_image = sum(1 for _, k, _ in self.mods if k and not as_file(k))
        head = ': %d modules, %d compressed ones hashed as files, %d as ' \
            'images' % (len(self.mods), n_file, n_image)
        expect(lines[0].endswith(head), '%s: %s' % (what, lines[0]))
        summary = '%d modules of %s (%d decompressed, 0 left out)' % (
            len(self.mods), self.kver, n_image)
        expect(summary in res[2], '%s: %s not in\n%s' % (what, summary,
                                                        res[2]))


def skippable(fn):
    def wrapper():
        try:
            fn()
        except Skip as e:
            print('     (%s: skipped)' % e)
    wrapper.__name__ = fn.__name__
    return wrapper


def fake_kmod(bindir, output):
    """A `kmod` program in @bindir that prints @output for --version."""
    os.makedirs(bindir, exist_ok=True)
    p = os.path.join(bindir, 'kmod')
    with open(p, 'w') as f:
        f.write('#!/bin/sh\n[ "$1" = --version ] || exit 1\n'
                'printf "%%s\\n" "%s"\n' % output)
    os.chmod(p, 0o755)


def machine_kmod():
    """This machine's kmod major version, from `kmod --version`."""
    p = subprocess.run(['kmod', '--version'], capture_output=True, text=True)
    m = re.match(r'kmod version (\d+)', p.stdout)
    if p.returncode or not m:
        raise Skip('no kmod --version here')
    return int(m.group(1))


# ---- --compressed-digest raw and decompressed ----

@test
@skippable
def generate_forced_modes():
    kinds = ['', 'xz', 'gz'] + (['zst'] if have_zstd() else [])
    with tree() as root:
        t = Tree(root, kinds)
        # raw: every compressed module hashed as its file; no program
        # is run, so an empty $PATH will do
        res = t.generate('--compressed-digest', 'raw',
                         env={'PATH': os.path.join(root, 'nothing')})
        t.check(res, lambda k: True, 'raw')
        expect('--compressed-digest raw:' in res[1].splitlines()[0], res[1])
        # decompressed: every one hashed as the module it was
        res = t.generate('--compressed-digest', 'decompressed')
        t.check(res, lambda k: False, 'decompressed')
        # no decompressor: the module is left out, and says so
        res = t.generate('--compressed-digest', 'decompressed',
                         env={'PATH': os.path.join(root, 'nothing')})
        expect_rc(res, 0)
        expect(len(res[1].splitlines()) == 2 and
               'vtt_0001.ko.xz: compressed, and there is no xz to '
               'decompress it: left out' in res[2], res)
        expect('%d left out' % (len(kinds) - 1) in res[2], res[2])
        res = t.generate('--compressed-digest', 'file')
        expect_rc(res, 2)
        expect("unknown --compressed-digest 'file'" in res[2], res[2])


# ---- auto ----

@test
@skippable
def generate_auto_on_this_machine():
    """auto decides from this machine's kmod: kmod 31 and later hash an
    .ko.xz as its file when the kernel decompresses xz; kmod 30 never."""
    major = machine_kmod()
    with tree() as root:
        t = Tree(root, ['', 'xz', 'gz'], config=GOOD_CONFIG % 'XZ')
        res = t.generate()
        t.check(res, lambda k: major >= 31 and k == 'xz',
                'auto, kmod %d' % major)
        expect('kmod %d' % major in res[2], res[2])
        expect('--compressed-digest auto (kmod %d):' % major in
               res[1].splitlines()[0], res[1])


@test
@skippable
def generate_auto_follows_kmod_and_kernel():
    kinds = ['', 'xz', 'gz'] + (['zst'] if have_zstd() else [])
    no_decompress = ('CONFIG_MODULE_COMPRESS_XZ=y\n'
                     '# CONFIG_MODULE_DECOMPRESS is not set\n')
    cases = (
        # kmod --version, VER's config: which kinds are hashed as files
        ('kmod version 30', GOOD_CONFIG % 'XZ', ()),
        ('kmod version 31', GOOD_CONFIG % 'XZ', ('xz',)),
        ('kmod version 34.2', GOOD_CONFIG % 'ZSTD', ('zst',)),
        ('kmod version 33', GOOD_CONFIG % 'GZIP', ('gz',)),
        ('kmod version 32', no_decompress, ()),
        ('kmod version 30', None, ()),      # kmod 30 needs no config
    )
    for version, config, files in cases:
        with tree() as root:
            t = Tree(root, kinds, config=config)
            bindir = os.path.join(root, 'bin')
            fake_kmod(bindir, version)
            env = {'PATH': bindir + ':' + os.environ['PATH']}
            t.check(t.generate(env=env), lambda k: k in files,
                    '%s, config %r' % (version, config))
    with tree() as root:
        t = Tree(root, kinds)
        bindir = os.path.join(root, 'bin')
        env = {'PATH': bindir + ':' + os.environ['PATH']}
        # kmod 31 and no config of VER: cannot tell, says what to do
        fake_kmod(bindir, 'kmod version 31')
        res = t.generate(env=env)
        expect_rc(res, 2)
        expect('cannot tell whether kernel %s decompresses modules itself'
               % FAKE in res[2] and '--compressed-digest' in res[2], res[2])
        # not a kmod
        fake_kmod(bindir, 'busybox v1.35')
        res = t.generate(env=env)
        expect_rc(res, 2)
        expect("cannot tell which kmod loads modules here ('kmod "
               "--version'" in res[2], res[2])
    # uncompressed modules only: kmod is never asked
    with tree() as root:
        t = Tree(root, [''])
        res = t.generate(env={'PATH': os.path.join(root, 'nothing')})
        t.check(res, lambda k: True, 'uncompressed only')


# ---- the reference in verify ----

def vtrust_system(root, modules):
    """vtrust's lists of @modules [(name, content)] after a start entry,
    and a TPM (sha1, sha256) whose PCR 11 matches them."""
    banks = ('sha1', 'sha256')
    prior = {b: bytes(BANKS[b]) for b in banks}
    entries = [start_entry(11, prior)] + [ima_ng(11, n, content=c)
                                          for n, c in modules]
    sfs = securityfs(root, 'vtrust')
    write(os.path.join(sfs, 'binary_runtime_measurements'),
          list_bytes(entries, 'sha1'))
    for b in banks:
        write(os.path.join(sfs, 'binary_runtime_measurements_' + b),
              list_bytes(entries, b))
    fake_tpm(root, {b: replay(entries, b, start={11: prior[b]})
                    for b in banks})


@test
@skippable
def generate_reference_in_verify():
    """What vtrust logs for each kmod: the file's path and the compressed
    file's digest (kmod 31, raw), or init_module:<name> and the image's
    digest (kmod 30, decompressed); both match the reference generated for
    that kmod, and a module of neither kind does not."""
    with tree() as root:
        t = Tree(root, ['', 'xz'])
        (plain, _, plain_img), (xzp, _, xz_img) = t.mods
        xz_file = open(xzp, 'rb').read()
        bl = os.path.join(root, 'baseline.json')
        args = ['--sysfs-root', root, '--baseline', bl]
        vtrust_system(root, [('resident:ext4', b'ext4')])
        expect_rc(run(['baseline', 'init'] + args), 0)
        for mode, name, content in (
                ('raw', xzp, xz_file),
                ('decompressed', 'init_module:vtt_0001', xz_img)):
            ref = os.path.join(root, 'ref.' + mode)
            expect_rc(t.generate('--compressed-digest', mode, '--output',
                                 ref), 0)
            vtrust_system(root, [('resident:ext4', b'ext4'),
                                 (plain, plain_img), (name, content),
                                 ('init_module:vtt_0009', b'unknown')])
            res = run(['verify', '--json', '--reference', ref] + args)
            expect_rc(res, 1)
            rep = json.loads(res[1])
            got = sorted((d['name'], d['referenced'])
                         for d in rep['differences'])
            expect(got == sorted([(plain, True), (name, True),
                                  ('init_module:vtt_0009', False)]),
                   '%s: %s' % (mode, got))
            # the other mode's digest is not in this reference
            other = xz_img if mode == 'raw' else xz_file
            vtrust_system(root, [('resident:ext4', b'ext4'), (name, other)])
            res = run(['verify', '--json', '--reference', ref] + args)
            expect_rc(res, 1)
            got = [(d['name'], d['referenced'])
                   for d in json.loads(res[1])['differences']]
            expect(got == [(name, False)], '%s, other digest: %s' % (mode,
                                                                    got))


# ---- output, options, errors (moved from test-baseline.py) ----

@test
@skippable
def generate_reference():
    with tree() as root:
        t = Tree(root, ['', '', 'xz'], kver=KVER)
        out = os.path.join(root, 'ref.txt')
        res = t.generate('--compressed-digest', 'decompressed', '--output',
                         out)
        expect_rc(res, 0)
        expect('generate: 3 modules of %s (1 decompressed, 0 left out) '
               'into %s' % (KVER, out) in res[2], res[2])
        lines = open(out).read().splitlines()
        expect(lines[0].startswith('# vtrust baseline generate') and
               lines[1:] == t.expected(lambda k: False), '\n'.join(lines))
        expect(stat.S_IMODE(os.stat(out).st_mode) == 0o644, 'mode')
        res = t.generate('--hash', 'sm3')
        expect_rc(res, 0)
        plain, _, image = t.mods[0]
        expect(res[1].splitlines()[1] == 'sm3:%s %s' % (
            hashlib.new('sm3', image).hexdigest(), plain), res[1])
        for args, rc, msg in (
                ([], 2, 'generate needs --kernel-release'),
                (['--kernel-release', '9.9'], 2, 'no modules of kernel 9.9'),
                (['--kernel-release', KVER, '--hash', 'md5'], 2,
                 "unknown --hash 'md5'"),
                (['--kernel-release', KVER, '--baseline', 'x'], 2,
                 "'generate' does not take --baseline")):
            res = run(['baseline', 'generate', '--modules-dir',
                       t.moddir] + args)
            expect_rc(res, rc)
            expect(msg in res[2], res[2])


@test
def generate_for_the_host_kernel():
    path = os.path.join('/lib/modules', KVER, 'kernel/fs/fat/vfat.ko')
    if not os.path.exists(path):
        print('     (no %s: skipped)' % path)
        return
    res = run(['baseline', 'generate', '--kernel-release', KVER])
    expect_rc(res, 0)
    lines = res[1].splitlines()
    expect(len(lines) > 1000, len(lines))
    want = 'sha256:%s %s' % (hashlib.sha256(open(path, 'rb').read())
                             .hexdigest(), os.path.realpath(path))
    expect(want in lines, want)
    expect(all(len(x.split(' ', 1)[1]) <= 255 for x in lines[1:]), 'names')


@test
@skippable
def generate_for_the_host_xz_kernel():
    """Debian's 6.12 kernel ships .ko.xz and decompresses xz itself: auto
    hashes vfat.ko.xz as this machine's kmod would load it."""
    path = os.path.join('/lib/modules', KVER_XZ, 'kernel/fs/fat/vfat.ko.xz')
    if not os.path.exists(path):
        raise Skip('no ' + path)
    major = machine_kmod()
    if os.uname().release == KVER_XZ:
        in_kernel = os.path.exists('/sys/module/compression') and \
            open('/sys/module/compression').read().strip() == 'xz'
    else:
        config = open('/boot/config-' + KVER_XZ).read().splitlines()
        in_kernel = 'CONFIG_MODULE_DECOMPRESS=y' in config and \
            'CONFIG_MODULE_COMPRESS_XZ=y' in config
    data = open(path, 'rb').read()
    if not (major >= 31 and in_kernel):
        data = lzma.decompress(data)
    res = run(['baseline', 'generate', '--kernel-release', KVER_XZ])
    expect_rc(res, 0)
    want = 'sha256:%s %s' % (hashlib.sha256(data).hexdigest(),
                             os.path.realpath(path))
    expect(want in res[1].splitlines(), want)


if __name__ == '__main__':
    sys.exit(main(sys.argv))
