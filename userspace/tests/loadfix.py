# SPDX-License-Identifier: GPL-2.0-or-later
"""What the load generator (tests/loadgen.c) needs around it, for
tests/test-load.py and bench/service.py: the firmware logs it sends
(eventlog.py's OVMF-shaped boot, and the same with another kernel image)
with their PCR values computed here with hashlib, vtrustd processes on a
database, and the generator's plan of boots, to check what a database
holds."""
import os
import socket
import subprocess
import time

import eventlog as ev
from swtpm import free_port

HERE = os.path.dirname(os.path.abspath(__file__))
LOADGEN = os.path.join(HERE, 'loadgen')


def make_logs(d):
    """LOGDIR for loadgen: honest and changed logs, their PCRs 0-15."""
    def write(name, events):
        log = ev.log_bytes(events, ('sha256',))
        with open(os.path.join(d, name), 'wb') as f:
            f.write(log)
        v = ev.replay(log, 'sha256', pcrs=range(16))
        with open(os.path.join(d, name + '.pcrs'), 'w') as f:
            for k in range(16):
                f.write(v.get(k, bytes(32)).hex() + '\n')
    honest = ev.sample_events()
    kernel = [e for e in honest if e.pcr == 4][-1]
    write('honest', honest)
    write('changed', [ev.image(4, '\\EFI\\BOOT\\BOOTX64.EFI',
                               b'MZ another kernel') if e is kernel else e
                      for e in honest])
    return d


def plan(i, boot):
    """The verdict loadgen expects of instance i's boot (plan() there)."""
    if boot == 1:
        return 'trusted'
    if (i + boot) % 7 == 0:
        return 'untrusted'
    if (i * 3 + boot) % 11 == 0:
        return 'invalid'
    return 'trusted'


class Vtrustd:
    """One vtrustd process on @db, on a free loopback port."""

    def __init__(self, vtrustd, db, threads=None):
        self.port = free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        args = [vtrustd, '--db', db, '--listen', '127.0.0.1:%d' % self.port]
        if threads:
            args += ['--threads', str(threads)]
        self.proc = subprocess.Popen(args, stderr=subprocess.PIPE)
        for _ in range(200):
            try:
                socket.create_connection(('127.0.0.1', self.port),
                                         0.1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError('vtrustd did not start')

    def kill(self):
        self.proc.kill()
        self.proc.wait()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.communicate(timeout=30)


def loadgen(url, logs, instances, boots, threads, prefix, token=None,
            wait=True):
    """Run (or, without @wait, start) the generator; its figures line as
    a dict, with 'rc'. It enrols every instance first, then attests: its
    seconds, per_second and latencies are the attestations'."""
    args = [LOADGEN, '--url', url, '--logs', logs, '--instances',
            str(instances), '--boots', str(boots), '--threads',
            str(threads), '--prefix', prefix]
    if token:
        args += ['--token', token, '--check']
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    if not wait:
        return p
    return result(p)


def enrolled(p):
    """Wait until a started generator has enrolled its instances (its
    first line); how many it enrolled."""
    line = p.stdout.readline()
    if not line.startswith('enrolled '):
        raise AssertionError('loadgen: %r' % line)
    return int(line.split()[1])


def result(p):
    out, err = p.communicate(timeout=900)
    line = out.strip().splitlines()[-1] if out.strip() else ''
    r = dict(kv.split('=', 1) for kv in line.split())
    r['rc'] = p.returncode
    r['stderr'] = err
    return r
