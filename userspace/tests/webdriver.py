# SPDX-License-Identifier: GPL-2.0-or-later
"""A W3C WebDriver client, enough to drive Debian's chromium through its
chromedriver (package chromium-driver) on a loopback port: open a page,
find elements by CSS selector, type, click, read text, take screenshots.
Plain HTTP and JSON (urllib), no third-party module."""
import base64
import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request

CHROMEDRIVER = shutil.which('chromedriver')
ELEMENT = 'element-6066-11e4-a52e-4f735466cecf'  # W3C's web element key


class WebDriverError(Exception):
    pass


class Browser:
    """chromedriver and one headless chromium session; a context manager
    that stops both."""

    def __init__(self, chromium):
        s = socket.socket()
        s.bind(('127.0.0.1', 0))
        self.port = s.getsockname()[1]
        s.close()
        self.proc = subprocess.Popen(
            [CHROMEDRIVER, '--port=%d' % self.port, '--allowed-ips='],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(('127.0.0.1', self.port),
                                         0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        caps = {'capabilities': {'alwaysMatch': {
            'browserName': 'chrome',
            'goog:chromeOptions': {
                'binary': chromium,
                'args': ['--headless', '--no-sandbox', '--disable-gpu',
                         '--window-size=1200,800']}}}}
        self.session = self._call('POST', '/session', caps)['sessionId']

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        try:
            self._call('DELETE', '/session/' + self.session)
        except (WebDriverError, OSError):
            pass
        self.proc.terminate()
        self.proc.wait(timeout=10)

    def _call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(
            'http://127.0.0.1:%d%s' % (self.port, path), data=data,
            method=method, headers={'Content-Type': 'application/json'})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return json.loads(r.read())['value']
        except urllib.error.HTTPError as e:
            v = json.loads(e.read()).get('value', {})
            raise WebDriverError('%s %s: %s: %s' % (
                method, path, v.get('error'), v.get('message', '')[:300]))

    def _s(self, path):
        return '/session/%s%s' % (self.session, path)

    def open(self, url):
        self._call('POST', self._s('/url'), {'url': url})

    def find(self, css, timeout=10):
        """The element CSS selects, waiting up to @timeout seconds for the
        page's scripts to make it."""
        end = time.monotonic() + timeout
        while True:
            try:
                v = self._call('POST', self._s('/element'),
                               {'using': 'css selector', 'value': css})
                return v[ELEMENT]
            except WebDriverError:
                if time.monotonic() > end:
                    raise
                time.sleep(0.1)

    def text(self, el):
        return self._call('GET', self._s('/element/%s/text' % el))

    def type(self, el, text):
        self._call('POST', self._s('/element/%s/value' % el), {'text': text})

    def click(self, el):
        self._call('POST', self._s('/element/%s/click' % el), {})

    def wait_text(self, css, want, timeout=10):
        """The text of CSS's element once it contains @want (or at the
        timeout)."""
        end = time.monotonic() + timeout
        while True:
            t = self.text(self.find(css, timeout))
            if want in t or time.monotonic() > end:
                return t
            time.sleep(0.1)

    def execute(self, script, *args):
        """@script's return value, run in the page with @args."""
        return self._call('POST', self._s('/execute/sync'),
                          {'script': script, 'args': list(args)})

    def screenshot(self, path):
        with open(path, 'wb') as f:
            f.write(base64.b64decode(self._call('GET',
                                                self._s('/screenshot'))))
