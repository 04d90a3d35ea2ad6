#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A throw-away PostgreSQL server for tests: Debian's postgresql 15,
initdb in a new temporary directory, listening only on a Unix socket in
that directory (no TCP), fsync off; a database per test; stopped and
removed at the end. As root, the server runs as the postgres user (initdb
refuses root).

  pgcluster.py CMD [ARG...]     runs CMD with every ARG "@URL@" replaced
                                by a new empty database's URL; exit: CMD's
                                (77 when PostgreSQL is not installed)

As a module: `with Cluster() as pg: url = pg.database()`.
"""
import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile

BIN = sorted(glob.glob('/usr/lib/postgresql/*/bin'))


class Cluster:
    def __init__(self):
        self.dir = None
        self.count = 0

    def _run(self, args, **kw):
        cmd = [os.path.join(BIN[-1], args[0])] + args[1:]
        if os.geteuid() == 0:
            cmd = ['runuser', '-u', 'postgres', '--'] + cmd
        return subprocess.run(cmd, check=True, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, **kw)

    def __enter__(self):
        self.dir = tempfile.mkdtemp(prefix='vtrust-pg-')
        if os.geteuid() == 0:
            pw = pwd.getpwnam('postgres')
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        data = os.path.join(self.dir, 'data')
        self._run(['initdb', '-D', data, '-A', 'trust', '-U', 'postgres',
                   '--no-sync'])
        self._run(['pg_ctl', '-D', data, '-l', os.path.join(self.dir, 'log'),
                   '-w', '-o', "-c listen_addresses='' -k %s -c fsync=off "
                   "-c max_connections=200" % self.dir, 'start'])
        return self

    def database(self):
        """A new empty database: its URL."""
        self.count += 1
        name = 'vtrust%d' % self.count
        self._run(['createdb', '-h', self.dir, '-U', 'postgres', name])
        return 'postgresql:///%s?host=%s&user=postgres' % (name, self.dir)

    def stop(self):
        """Stop the server (the data stay, for start())."""
        self._run(['pg_ctl', '-D', os.path.join(self.dir, 'data'), '-w',
                   '-m', 'fast', 'stop'])

    def start(self):
        self._run(['pg_ctl', '-D', os.path.join(self.dir, 'data'), '-l',
                   os.path.join(self.dir, 'log'), '-w', '-o',
                   "-c listen_addresses='' -k %s -c fsync=off "
                   "-c max_connections=200" % self.dir, 'start'])

    def __exit__(self, *exc):
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    if not BIN:
        print('pgcluster.py: PostgreSQL is not installed: skipped')
        return 77
    with Cluster() as pg:
        url = pg.database()
        return subprocess.run([a.replace('@URL@', url)
                               for a in argv[1:]]).returncode


if __name__ == '__main__':
    sys.exit(main(sys.argv))
