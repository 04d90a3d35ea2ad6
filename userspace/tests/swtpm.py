# SPDX-License-Identifier: GPL-2.0-or-later
"""A software TPM for host tests: swtpm on a loopback TCP port, reached
through tctildr's "swtpm" TCTI (TPM2TOOLS_TCTI for tpm2-tools and vtrust).

    t = Swtpm(banks=('sha1', 'sha256'), ek_cert=False)
    if t.tcti: ...      # None when swtpm or tpm2-tools is missing
    t.env()             # os.environ plus TPM2TOOLS_TCTI
    t.stop()

With ek_cert=True, swtpm_setup creates an EK and its certificate, signed by
a local CA whose files are under t.dir/ca: t.ca_pem is its root
certificate, t.issuer_pem the intermediate that signed the EK's.
"""
import os
import shutil
import socket
import subprocess
import tempfile
import time

TOOLS = ('swtpm', 'swtpm_setup', 'tpm2_pcrread')


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Swtpm:
    def __init__(self, banks=('sha1', 'sha256', 'sha384'), ek_cert=False):
        self.tcti = self.proc = self.dir = self.ca_pem = self.issuer_pem = None
        for tool in TOOLS:
            if not shutil.which(tool):
                print('     (no %s: skipped)' % tool)
                return
        self.dir = tempfile.mkdtemp(prefix='vtrust-swtpm-')
        state = os.path.join(self.dir, 'state')
        os.mkdir(state)
        args = ['swtpm_setup', '--tpm2', '--tpmstate', state, '--pcr-banks',
                ','.join(banks), '--overwrite']
        if ek_cert:
            self._local_ca(args)
        subprocess.run(args, check=True, capture_output=True)
        for _ in range(5):
            port = free_port()
            p = subprocess.Popen(['swtpm', 'socket', '--tpm2', '--tpmstate',
                                  'dir=' + state, '--server',
                                  'type=tcp,port=%d' % port, '--ctrl',
                                  'type=tcp,port=%d' % (port + 1), '--flags',
                                  'not-need-init,startup-clear'],
                                 stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
            for _ in range(50):
                try:
                    socket.create_connection(('127.0.0.1', port), 0.2).close()
                    break
                except OSError:
                    time.sleep(0.05)
            if p.poll() is None:
                self.proc = p
                self.tcti = 'swtpm:host=127.0.0.1,port=%d' % port
                return

    def _local_ca(self, args):
        """swtpm-localca with its own configuration under self.dir/ca."""
        ca = os.path.join(self.dir, 'ca')
        os.mkdir(ca)
        conf = os.path.join(self.dir, 'swtpm-localca.conf')
        with open(conf, 'w') as f:
            f.write('statedir = %s\nsigningkey = %s/signkey.pem\n'
                    'issuercert = %s/issuercert.pem\n'
                    'certserial = %s/certserial\n' % (ca, ca, ca, ca))
        opts = os.path.join(self.dir, 'swtpm-localca.options')
        with open(opts, 'w') as f:
            f.write('--platform-manufacturer vtrust\n--platform-version 1\n'
                    '--platform-model test\n')
        setup = os.path.join(self.dir, 'swtpm_setup.conf')
        with open(setup, 'w') as f:
            f.write('create_certs_tool = /usr/bin/swtpm_localca\n'
                    'create_certs_tool_config = %s\n'
                    'create_certs_tool_options = %s\n' % (conf, opts))
        args += ['--create-ek-cert', '--create-platform-cert', '--config',
                 setup]
        self.ca_pem = os.path.join(ca, 'swtpm-localca-rootca-cert.pem')
        self.issuer_pem = os.path.join(ca, 'issuercert.pem')

    def env(self):
        return dict(os.environ, TPM2TOOLS_TCTI=self.tcti)

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait()
            self.proc = None
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None
