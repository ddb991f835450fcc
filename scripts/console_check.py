#!/usr/bin/env python3
"""Drives headless Chromium through the web console over the DevTools protocol (scripts/console-check).

Standard library only: a minimal WebSocket client (RFC 6455, text frames) speaks CDP to one page
target. Signs in with the token, uploads the scenario, waits for its plan, checks the EBIT card,
then opens every console page: no console message, script error or failed load, and a screenshot
that is not blank. Exits non-zero with the reason on the first failure.
"""
import argparse, base64, json, os, re, socket, struct, subprocess, sys, time, urllib.request, zlib


def fail(message):
    sys.exit(f'console-check: FAILED: {message}')


class DevTools:
    """One WebSocket to a page target; events are kept until read."""

    def __init__(self, ws_url):
        m = re.match(r'ws://([^/:]+):(\d+)(/.*)', ws_url)
        host, port, path = m.group(1), int(m.group(2)), m.group(3)
        self.sock = socket.create_connection((host, port), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f'GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n'
                           f'Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n').encode())
        head = b''
        while b'\r\n\r\n' not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                fail('the browser closed the DevTools connection')
            head += chunk
        if b' 101 ' not in head.split(b'\r\n')[0]:
            fail(f'no WebSocket from the browser: {head[:80]!r}')
        self.next_id, self.events = 1, []

    def _read(self, n):
        data = b''
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                fail('the browser closed the DevTools connection')
            data += chunk
        return data

    def _send_frame(self, payload):
        mask = os.urandom(4)
        n = len(payload)
        header = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else
                                  bytes([0x80 | 126]) + struct.pack('>H', n) if n < 65536 else
                                  bytes([0x80 | 127]) + struct.pack('>Q', n))
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def _recv_message(self):
        message = b''
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n == 126:
                n, = struct.unpack('>H', self._read(2))
            elif n == 127:
                n, = struct.unpack('>Q', self._read(8))
            payload = self._read(n)
            opcode = b0 & 0x0F
            if opcode == 8:
                fail('the browser closed the DevTools connection')
            if opcode in (0, 1, 2):
                message += payload
                if b0 & 0x80:
                    return json.loads(message)

    def call(self, method, **params):
        ident = self.next_id
        self.next_id += 1
        self._send_frame(json.dumps({'id': ident, 'method': method, 'params': params}).encode())
        while True:
            msg = self._recv_message()
            if msg.get('id') == ident:
                if 'error' in msg:
                    fail(f'{method}: {msg["error"]}')
                return msg.get('result', {})
            self.events.append(msg)

    def wait_event(self, name, deadline_seconds=60):
        deadline = time.time() + deadline_seconds
        while time.time() < deadline:
            for i, e in enumerate(self.events):
                if e.get('method') == name:
                    del self.events[i]
                    return e
            self.events.append(self._recv_message())
        fail(f'no {name} within {deadline_seconds} s')

    def problems(self):
        """Console messages, script errors and failed loads seen since the last call."""
        found = []
        for e in self.events:
            m, p = e.get('method'), e.get('params', {})
            if m == 'Runtime.consoleAPICalled':
                found.append(f'console.{p.get("type")}: {p.get("args")}')
            elif m == 'Runtime.exceptionThrown':
                found.append(f'script error: {p.get("exceptionDetails", {}).get("text")}')
            elif m == 'Log.entryAdded':
                entry = p.get('entry', {})
                found.append(f'{entry.get("level")} ({entry.get("source")}): {entry.get("text")} {entry.get("url", "")}')
            elif m == 'Network.loadingFailed' and not p.get('canceled'):
                found.append(f'failed load: {p.get("errorText")}')
        self.events = [e for e in self.events if e.get('method') not in
                       ('Runtime.consoleAPICalled', 'Runtime.exceptionThrown', 'Log.entryAdded', 'Network.loadingFailed')]
        return found

    def evaluate(self, expression):
        r = self.call('Runtime.evaluate', expression=expression, returnByValue=True)
        if 'exceptionDetails' in r:
            fail(f'evaluating {expression!r}: {r["exceptionDetails"].get("text")}')
        return r.get('result', {}).get('value')

    def load(self, action):
        """Runs `action` (a navigation or a form submission) and waits for the new page's load."""
        self.events = [e for e in self.events if e.get('method') != 'Page.loadEventFired']
        action()
        self.wait_event('Page.loadEventFired')

    def navigate(self, url):
        self.load(lambda: self.call('Page.navigate', url=url))


def decode_png(data):
    """An 8-bit, non-interlaced PNG (what Chromium writes) as (width, height, bytes per pixel, rows)."""
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        fail('a screenshot is not a PNG')
    pos, idat = 8, b''
    while pos < len(data):
        n, = struct.unpack('>I', data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b'IHDR':
            w, h, depth, colour, _, _, interlace = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            idat += body
    if depth != 8 or interlace != 0 or colour not in (0, 2, 4, 6):
        fail(f'unexpected PNG format (depth {depth}, colour {colour}, interlace {interlace})')
    bpp = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    raw, stride = zlib.decompress(idat), w * bpp
    rows, prev, p = [], bytearray(stride), 0
    for _ in range(h):
        f, line = raw[p], bytearray(raw[p + 1:p + 1 + stride])
        p += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], (prev[x - bpp] if x >= bpp else 0)
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def check_screenshot(dt, name, out):
    shot = base64.b64decode(dt.call('Page.captureScreenshot', format='png')['data'])
    with open(os.path.join(out, f'{name}.png'), 'wb') as f:
        f.write(shot)
    w, h, bpp, rows = decode_png(shot)
    colours, ink, total = set(), 0, 0
    for row in rows[::3]:
        for x in range(0, w * bpp, bpp * 3):
            px = row[x:x + min(bpp, 3)]
            colours.add(px)
            total += 1
            if min(px) < 235:
                ink += 1
    share = ink / total
    print(f'console-check: {name}: screenshot {w}x{h}, {len(colours)} colours, {share:.1%} not white')
    # A page of text and a table on white: a blank page has one colour and no ink.
    if len(colours) < 8 or share < 0.005:
        fail(f'the screenshot of {name} is (nearly) blank')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--browser', required=True)
    ap.add_argument('--url', required=True)
    ap.add_argument('--token', required=True)
    ap.add_argument('--scenario', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--profile', required=True)
    a = ap.parse_args()
    base = a.url.rstrip('/')

    chrome = subprocess.Popen(
        [a.browser, '--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--no-first-run',
         '--disable-extensions', '--remote-debugging-port=0', f'--user-data-dir={a.profile}', 'about:blank'],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        # Chromium prints "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID".
        port, deadline = None, time.time() + 60
        while port is None and time.time() < deadline:
            line = chrome.stderr.readline()
            if not line and chrome.poll() is not None:
                fail('Chromium exited before listening')
            m = re.search(r'DevTools listening on ws://[^:]+:(\d+)/', line)
            if m:
                port = int(m.group(1))
        if port is None:
            fail('Chromium did not open its DevTools port within 60 s')
        targets = json.load(urllib.request.urlopen(f'http://127.0.0.1:{port}/json/list', timeout=10))
        page = next(t for t in targets if t.get('type') == 'page')
        dt = DevTools(page['webSocketDebuggerUrl'])
        for domain in ('Page', 'Runtime', 'Log', 'Network', 'DOM'):
            dt.call(f'{domain}.enable')
        dt.call('Emulation.setDeviceMetricsOverride', width=1280, height=1400, deviceScaleFactor=1, mobile=False)

        def page_ok(name, path=None, expect=None):
            if path is not None:
                dt.navigate(base + path)
            problems = dt.problems()
            if problems:
                fail(f'{name}: ' + '; '.join(problems))
            if expect and not dt.evaluate(f'document.body.innerText.includes({json.dumps(expect)})'):
                fail(f'{name}: the page lacks {expect!r}: {dt.evaluate("document.body.innerText")[:400]!r}')
            check_screenshot(dt, name, a.out)

        # 1. Sign in through the form.
        page_ok('sign-in', '/console', expect='Sign in to the capplan console')
        dt.evaluate(f'document.getElementById("token").value = {json.dumps(a.token)}')
        dt.load(lambda: dt.evaluate('document.querySelector("form.stack button").click()'))
        page_ok('queue', expect='Queue')
        if 'console-check (admin)' not in dt.evaluate('document.querySelector("nav.console").innerText'):
            fail('signed in, but the bar does not name the token')

        # 2. Submit the seed scenario through the upload form.
        page_ok('submit', '/console/submit', expect='Submit a scenario')
        root = dt.call('DOM.getDocument')['root']['nodeId']
        node = dt.call('DOM.querySelector', nodeId=root, selector='input#scenario')['nodeId']
        dt.call('DOM.setFileInputFiles', nodeId=node, files=[a.scenario])
        dt.load(lambda: dt.evaluate('document.querySelector("form.stack button").click()'))
        job_url = dt.evaluate('location.pathname')
        if not re.fullmatch(r'/console/jobs/\d+', job_url or ''):
            fail(f'the upload did not lead to a job page but to {job_url}: {dt.evaluate("document.body.innerText")[:400]!r}')
        page_ok('job-queued', expect='Scenario queued.')

        # 3. The worker solves it; the job page links its plan.
        plan_path, deadline = None, time.time() + 120
        while plan_path is None and time.time() < deadline:
            dt.navigate(base + job_url)
            plan_path = dt.evaluate(
                'Array.from(document.querySelectorAll("header a")).map(a => a.getAttribute("href"))'
                '.find(h => /^\\/console\\/plans\\/\\d+$/.test(h)) || null')
            if plan_path is None:
                state = dt.evaluate('document.querySelector(".state").innerText')
                if state in ('failed', 'cancelled'):
                    fail(f'the job {state}: {dt.evaluate("document.body.innerText")[:600]!r}')
                time.sleep(0.5)
        if plan_path is None:
            fail('no plan within 120 s')
        page_ok('job', job_url, expect='succeeded')
        page_ok('plan', plan_path, expect='EBIT by offering per quarter')
        ebit = dt.evaluate('Array.from(document.querySelectorAll(".card")).find(c => '
                           'c.querySelector(".label").innerText === "EBIT").querySelector(".value").innerText')
        if ebit != '7.5':
            fail(f'the plan page shows EBIT {ebit!r}; the seed scenario earns 7.5 ($M)')
        print(f'console-check: uploaded scenario solved; {plan_path} shows EBIT $7.5M')

        # 4. Every other page.
        plan_id = int(plan_path.rsplit('/', 1)[1])
        other = 1 if plan_id != 1 else 2
        page_ok('jobs', '/console/jobs', expect='Jobs')
        page_ok('schedules', '/console/schedules', expect='weekly')
        page_ok('plans', '/console/plans', expect='seed-bedrock-deal')
        page_ok('report', f'{plan_path}/report', expect='Capacity plan')
        page_ok('compare', f'/console/compare?plan={other}&plan={plan_id}', expect='Comparison of 2 plans')
        page_ok('queue-after', '/console', expect='succeeded')
        print('console-check: every page rendered with no console message and a non-blank screenshot')
    finally:
        chrome.terminate()
        try:
            chrome.wait(timeout=10)
        except subprocess.TimeoutExpired:
            chrome.kill()


if __name__ == '__main__':
    main()
