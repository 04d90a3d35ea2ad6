#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The man pages and the bash completions against what they describe.

 - every man page (kernel/vtrust.4, userspace/vtrust.8, userspace/vtrustd.8,
   scripts/ima-policy-load.8) formats with groff -man -ww, and with man -l,
   without a warning;
 - vtrust.4 documents exactly the module parameters that kernel/*.c
   declares (module_param and its variants), each with the C type and the
   default of its variable;
 - every command that 'vtrust --help' lists, and every subcommand that a
   command's --help shows, has its section in vtrust.8 and is offered by
   the bash completion (userspace/completion/vtrust, run in bash);
 - for each command and subcommand, the completion offers exactly the long
   options of its --help's Options (and --help), and vtrust.8 names each;
 - every option of 'vtrustd --help' is in vtrustd.8's OPTIONS and offered by
   userspace/completion/vtrustd, and so is 'token create'.

Usage: test-docs.py VTRUST VTRUSTD [TEST]...
"""
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import expect, main, run_once, test  # noqa: E402

SRC = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
PAGES = ['kernel/vtrust.4', 'userspace/vtrust.8', 'userspace/vtrustd.8',
         'scripts/ima-policy-load.8']
COMPLETION = {'vtrust': 'userspace/completion/vtrust',
              'vtrustd': 'userspace/completion/vtrustd'}
VTRUSTD = None

# The C types of module_param() and the words vtrust.4 gives them.
PARAM_TYPES = {'charp': 'string', 'bool': 'bool', 'invbool': 'bool',
               'int': 'int', 'uint': 'uint', 'long': 'long',
               'ulong': 'ulong', 'short': 'short', 'ushort': 'ushort',
               'byte': 'byte', 'ullong': 'ullong', 'hexint': 'hexint'}


def src(path):
    return os.path.join(SRC, path)


def read(path):
    with open(src(path), encoding='utf-8') as f:
        return f.read()


def plain(roff):
    """Roff text as it reads: font escapes gone, \\- as -."""
    roff = re.sub(r'\\f(\[[^]]*\]|\(..|.)', '', roff)
    roff = roff.replace('\\-', '-').replace('\\(em', '-').replace('\\e', '\\')
    return roff.replace('\\&', '').replace('\\ ', ' ')


def sections(page):
    """{".SH name": text, ...} of a man page, and the .SS headings."""
    out, name, subs = {}, None, []
    for line in read(page).splitlines():
        if line.startswith('.SH '):
            name = plain(line[4:]).strip().strip('"')
            out[name] = ''
        elif name is not None:
            out[name] += line + '\n'
        if line.startswith('.SS '):
            subs.append(plain(line[4:]).strip().strip('"'))
    return out, subs


def helptext(args, binary=None):
    res = run_once(args + ['--help'], binary=binary)
    expect(res[0] == 0, '%s --help: exit %d: %s'
           % (' '.join(args), res[0], res[2]))
    return res[1]


def help_options(text):
    """The long options of the Options: part of a --help."""
    opts, inside = [], False
    for line in text.splitlines():
        if line.rstrip() == 'Options:':
            inside = True
        elif inside and not line.strip():
            break
        elif inside:
            m = re.match(r'\s+(?:-\w, )?(--[a-z][a-z0-9-]*)', line)
            if m:
                opts.append(m.group(1))
    return opts


def commands():
    """The commands 'vtrust --help' lists."""
    text = helptext([])
    part = text.split('\nCommands:\n', 1)
    expect(len(part) == 2, 'no "Commands:" in vtrust --help')
    cmds = []
    for line in part[1].splitlines():
        if not line.strip():
            break
        m = re.match(r'  (\S+)\s', line)
        if m:
            cmds.append(m.group(1))
    expect(len(cmds) >= 5, 'too few commands in vtrust --help: %r' % cmds)
    return cmds


def subcommands(cmd):
    """The subcommands a command's --help shows in its usage lines
    ("vtrust ak create ...", "vtrust ak show ...")."""
    subs = []
    for line in helptext([cmd]).splitlines():
        m = re.match(r'(?:Usage:)?\s*vtrust %s ([a-z][a-z-]*)\b'
                     % re.escape(cmd), line)
        if m and m.group(1) not in subs:
            subs.append(m.group(1))
    return subs


def every_command():
    """[(cmd,), (cmd, sub), ...]: what has its own --help."""
    out = []
    for cmd in commands():
        subs = subcommands(cmd)
        out += [(cmd, s) for s in subs] if subs else [(cmd,)]
    return out


def completion_function(name):
    text = read(COMPLETION[name])
    m = re.search(r'^complete\s+(?:-\S+\s+)*-F\s+(\S+)\s+(?:\S+\s+)*%s\s*$'
                  % re.escape(name), text, re.M)
    expect(m, '%s: no "complete -F FUNCTION %s"' % (COMPLETION[name], name))
    return m.group(1)


SCRIPT = r'''
source "$1" || exit 99
fn=$2
shift 2
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
COMPREPLY=()
"$fn"
printf '%s\n' "${COMPREPLY[@]}"
'''


def complete(name, words):
    """What the completion offers for the command line WORDS, the last one
    being the word under the cursor."""
    p = subprocess.run(['bash', '--norc', '--noprofile', '-c', SCRIPT, 'bash',
                        src(COMPLETION[name]), completion_function(name),
                        name] + words,
                       capture_output=True, text=True, timeout=60)
    expect(p.returncode == 0 and not p.stderr,
           'completion of %r: exit %d, stderr %r'
           % (words, p.returncode, p.stderr))
    return [w for w in p.stdout.split('\n') if w]


def missing(want, got):
    return [w for w in want if w not in got]


# ---- (a) the pages format without a warning

@test
def man_pages_format():
    groff = shutil.which('groff')
    expect(groff, 'no groff (Debian: groff)')
    for page in PAGES:
        first = read(page).split('\n', 1)[0]
        expect(first.startswith('.\\" SPDX-License-Identifier: '),
               '%s: the first line is not an SPDX line: %r' % (page, first))
        name, sect = os.path.basename(page).rsplit('.', 1)
        th = re.search(r'^\.TH\s+(\S+)\s+(\S+)', read(page), re.M)
        expect(th and th.group(1).lower() == name and th.group(2) == sect,
               '%s: .TH %r does not name the page' % (page,
                                                        th and th.group(0)))
        p = subprocess.run([groff, '-man', '-Tutf8', '-ww', '-z', src(page)],
                           capture_output=True, text=True, timeout=60)
        expect(p.returncode == 0 and not p.stderr,
               '%s: groff -man -ww: exit %d:\n%s'
               % (page, p.returncode, p.stderr))


@test
def man_l_formats():
    man = shutil.which('man')
    if not man:
        print('     (no man: only groff checked)')
        return
    env = dict(os.environ, MANWIDTH='80', MANPAGER='cat', PAGER='cat',
               LC_ALL='C.UTF-8', MAN_DISABLE_SECCOMP='1')
    for page in PAGES:
        p = subprocess.run([man, '--warnings', '-l', src(page)],
                           capture_output=True, text=True, timeout=60,
                           env=env)
        expect(p.returncode == 0 and not p.stderr.strip(),
               '%s: man --warnings -l: exit %d:\n%s'
               % (page, p.returncode, p.stderr))
        expect('NAME' in p.stdout and 'SEE ALSO' in p.stdout,
               '%s: man -l printed no NAME or SEE ALSO' % page)


# ---- (b) the module parameters

def declared_params():
    """{name: (C type, default or None)} of kernel/*.c."""
    params = {}
    kdir = src('kernel')
    for fn in sorted(os.listdir(kdir)):
        if not fn.endswith('.c') or fn.endswith('.mod.c'):
            continue
        with open(os.path.join(kdir, fn), encoding='utf-8') as f:
            text = f.read()
        for m in re.finditer(r'\bmodule_param(_named|_cb|_array|_string)?'
                             r'\s*\(\s*(\w+)\s*,([^;]*)\)\s*;', text):
            kind, name, rest = m.group(1), m.group(2), m.group(3)
            args = [a.strip() for a in rest.split(',')]
            var, ctype = name, None
            if not kind:
                ctype = args[0]
            elif kind == '_named':
                var, ctype = args[0], args[1]
            default = None
            d = re.search(r'^static\s+[\w\s*]*?\b%s\s*(?:=\s*([^;]+))?;'
                          % re.escape(var), text, re.M)
            if d and ctype:
                default = d.group(1).strip().strip('"') if d.group(1) \
                    else ('0' if ctype in ('bool', 'invbool', 'int', 'uint',
                                           'long', 'ulong') else None)
            expect(name not in params, 'parameter %s declared twice' % name)
            params[name] = (ctype, default)
    return params


def documented_params():
    """{name: tag text} of vtrust.4's PARAMETERS: each .TP's tag line."""
    secs, _ = sections('kernel/vtrust.4')
    expect('PARAMETERS' in secs, 'vtrust.4 has no PARAMETERS section')
    lines = secs['PARAMETERS'].splitlines()
    out = {}
    for i, line in enumerate(lines):
        if line.strip() == '.TP' and i + 1 < len(lines):
            tag = plain(lines[i + 1])
            m = re.match(r'\.\w+\s+"?([a-z_][a-z0-9_]*)\s*"?\s*=', tag)
            expect(m, 'vtrust.4: a PARAMETERS tag that is no NAME=: %r'
                   % lines[i + 1])
            out[m.group(1)] = tag
    return out


@test
def module_parameters_documented():
    declared = declared_params()
    expect(declared, 'no module_param in kernel/*.c')
    documented = documented_params()
    expect(not missing(declared, documented),
           'parameters declared in kernel/*.c that vtrust.4 does not '
           'document: %s' % missing(declared, documented))
    expect(not missing(documented, declared),
           'vtrust.4 documents parameters kernel/*.c does not declare: %s'
           % missing(documented, declared))
    for name, (ctype, default) in sorted(declared.items()):
        tag = documented[name]
        if ctype:
            word = PARAM_TYPES.get(ctype, ctype)
            expect(re.search(r'=\s*%s\b' % re.escape(word), tag),
                   'vtrust.4: %s is a %s (%s), the page says %r'
                   % (name, word, ctype, tag))
        if default is not None:
            expect(re.search(r'\(default %s\)' % re.escape(default), tag),
                   'vtrust.4: %s defaults to %s, the page says %r'
                   % (name, default, tag))


# ---- (c) the commands: vtrust.8 and the completion

@test
def commands_in_vtrust8():
    _, subs = sections('userspace/vtrust.8')
    secs, _ = sections('userspace/vtrust.8')
    synopsis = plain(secs.get('SYNOPSIS', ''))
    for words in every_command():
        name = ' '.join(words)
        expect(name in subs, 'vtrust.8 has no section ".SS %s"' % name)
        expect(re.search(r'^\.B vtrust %s(\s|$)' % re.escape(name), synopsis,
                         re.M),
               'vtrust.8: "vtrust %s" is not in the SYNOPSIS' % name)


@test
def commands_completed():
    cmds = commands()
    got = complete('vtrust', [''])
    expect(not missing(cmds, got),
           'the completion does not offer the commands %s (it offers %s)'
           % (missing(cmds, got), got))
    for cmd in cmds:
        subs = subcommands(cmd)
        if subs:
            got = complete('vtrust', [cmd, ''])
            expect(not missing(subs, got),
                   'the completion of "vtrust %s" lacks %s (it offers %s)'
                   % (cmd, missing(subs, got), got))
    # a prefix narrows it
    got = complete('vtrust', ['ver'])
    expect(sorted(got) == sorted(c for c in cmds if c.startswith('ver')),
           '"vtrust ver" completes to %s' % got)


# ---- (d) each command's options

@test
def options_completed():
    for words in every_command():
        want = help_options(helptext(list(words)))
        expect(want, '"vtrust %s --help" lists no options' % ' '.join(words))
        got = complete('vtrust', list(words) + ['--'])
        expect(not missing(want, got),
               'the completion of "vtrust %s --" lacks %s'
               % (' '.join(words), missing(want, got)))
        extra = [o for o in got if o not in want and o != '--help']
        expect(not extra, 'the completion of "vtrust %s --" offers %s, '
               'which its --help does not list' % (' '.join(words), extra))


@test
def options_in_vtrust8():
    text = plain(read('userspace/vtrust.8'))
    for words in every_command():
        for opt in help_options(helptext(list(words))):
            if opt == '--help':
                continue
            expect(re.search(r'%s(?![\w-])' % re.escape(opt), text),
                   'vtrust.8 never names %s ("vtrust %s --help" has it)'
                   % (opt, ' '.join(words)))


@test
def file_options_complete_files():
    # an option that takes a path completes file names
    with harness.tree() as d:
        open(os.path.join(d, 'baseline-x.json'), 'w').close()
        got = complete('vtrust', ['verify', '--baseline',
                                  os.path.join(d, 'baseline-')])
        expect(got == [os.path.join(d, 'baseline-x.json')],
               'vtrust verify --baseline: %s' % got)
        got = complete('vtrustd', ['--tls-cert', os.path.join(d, 'base')])
        expect(got == [os.path.join(d, 'baseline-x.json')],
               'vtrustd --tls-cert: %s' % got)
        # a name with a blank stays one word
        open(os.path.join(d, 'ek cert.pem'), 'w').close()
        got = complete('vtrust', ['credential', 'make', '--ek',
                                  os.path.join(d, 'ek')])
        expect(got == [os.path.join(d, 'ek cert.pem')],
               'vtrust credential make --ek: %s' % got)
        got = complete('vtrustd', ['--db', 'sqlite:' + os.path.join(d, 'ek')])
        expect(got == ['sqlite:' + os.path.join(d, 'ek cert.pem')],
               'vtrustd --db sqlite:PATH: %s' % got)


# ---- (e) vtrustd

@test
def vtrustd_options():
    text = helptext([], binary=VTRUSTD)
    want = help_options(text)
    expect('--db' in want and '--listen' in want,
           'vtrustd --help: options %s' % want)
    secs, _ = sections('userspace/vtrustd.8')
    expect('OPTIONS' in secs, 'vtrustd.8 has no OPTIONS section')
    lines = secs['OPTIONS'].splitlines()
    tags = ' '.join(plain(lines[i + 1]) for i in range(len(lines) - 1)
                    if lines[i].strip() == '.TP')
    for opt in want:
        expect(re.search(r'(?<![\w-])%s(?![\w-])' % re.escape(opt), tags),
               'vtrustd.8 has no OPTIONS entry for %s' % opt)
    got = complete('vtrustd', ['--'])
    expect(not missing(want, got), 'the completion of "vtrustd --" lacks %s'
           % missing(want, got))
    expect(not [o for o in got if o not in want],
           'the completion of "vtrustd --" offers %s, not in --help'
           % [o for o in got if o not in want])


@test
def vtrustd_token_create():
    text = helptext([], binary=VTRUSTD)
    cmds = re.findall(r'^\s*(?:Usage:)?\s*vtrustd ([a-z]+) ([a-z]+)', text,
                      re.M)
    expect(('token', 'create') in cmds, 'vtrustd --help: commands %s' % cmds)
    for cmd, sub in cmds:
        page = plain(read('userspace/vtrustd.8'))
        expect(re.search(r'^\.\w+\s+"?%s %s(?![\w-])' % (cmd, sub), page,
                         re.M),
               'vtrustd.8 does not document "%s %s"' % (cmd, sub))
        expect(cmd in complete('vtrustd', ['']),
               'the completion of "vtrustd" lacks %s' % cmd)
        expect(sub in complete('vtrustd', [cmd, '']),
               'the completion of "vtrustd %s" lacks %s' % (cmd, sub))
        expect(sub in complete('vtrustd', ['--db', 'sqlite:x', cmd, '']),
               'the completion of "vtrustd --db URL %s" lacks %s'
               % (cmd, sub))


if __name__ == '__main__':
    if len(sys.argv) < 3:
        sys.exit('Usage: test-docs.py VTRUST VTRUSTD [TEST]...')
    VTRUSTD = os.path.abspath(sys.argv[2])
    sys.exit(main(sys.argv[:2] + sys.argv[3:]))
