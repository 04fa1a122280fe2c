"""`backrelief serve` for real: the server process, its secret address, its page, and the app behind the websocket.

Each test starts `python -m tui --data-dir D serve` on a free loopback port,
reads the secret address it prints, and always stops it (and the app processes
it started) at the end. Every wait is bounded.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import aiohttp
import pytest

from tui.storage.store import Store

pytestmark = pytest.mark.e2e

START_SECONDS = 30
"""How long the server, or an app behind it, may take to answer (the machine may be busy)."""

ESCAPES = re.compile(r"\x1b\[[0-9;?<=>]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Z0-9]|\x1b[=>]")
"""Terminal escape sequences: cursor moves, colours, titles."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def plain(output: str) -> str:
    """What the terminal output says, without its escape sequences (each becomes a line break)."""
    return ESCAPES.sub("\n", output)


@dataclass
class Served:
    """A running `backrelief serve`."""

    process: subprocess.Popen
    port: int
    data_dir: Path
    stdout: Path
    stderr: Path
    host: str = "127.0.0.1"

    @property
    def origin(self) -> str:
        """The server's address without the secret: what a stranger could guess."""
        return f"http://{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """The secret address the server printed."""
        match = re.search(r"open (http://\S+/) in a browser", self.stdout.read_text())
        assert match, f"no address printed: {self.stdout.read_text()!r} {self.stderr.read_text()!r}"
        return match.group(1)


def start_server(tmp_path: Path, *options: str, host: str = "127.0.0.1", env: dict[str, str] | None = None) -> Served:
    data_dir = tmp_path / "data"
    Store.open(data_dir).settings.change(safety_acknowledged=True)
    port = free_port()
    stdout, stderr = tmp_path / "serve.out", tmp_path / "serve.err"
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "--data-dir", str(data_dir), "serve", "--port", str(port), "--host", host,
         *options],
        stdin=subprocess.DEVNULL, stdout=stdout.open("w"), stderr=stderr.open("w"), start_new_session=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
    )
    return Served(process, port, data_dir, stdout, stderr, host)


def stop_server(served: Served) -> None:
    """SIGTERM the server and every app it started (one process group), then SIGKILL what is left."""
    try:
        os.killpg(served.process.pid, signal.SIGTERM)
        served.process.wait(timeout=10)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        pass
    finally:
        try:
            os.killpg(served.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        served.process.wait(timeout=10)


def wait_for_page(served: Served) -> str:
    """The page at the secret address, once the server has printed it and answers."""
    deadline = time.monotonic() + START_SECONDS
    while True:
        if served.process.poll() is not None:
            raise AssertionError(f"serve exited with {served.process.returncode}: {served.stderr.read_text()}")
        try:
            with urllib.request.urlopen(served.url, timeout=5) as response:
                return response.read().decode()
        except (AssertionError, urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def refusal(url: str, **headers: str) -> tuple[int, str]:
    """The status and text of a request the server should refuse."""
    request = urllib.request.Request(url, headers=headers)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    return refused.value.code, refused.value.read().decode()


@pytest.fixture
def served(tmp_path: Path):
    """`backrelief serve` on a free loopback port, its page loaded once; stopped whatever happens."""
    running = start_server(tmp_path)
    try:
        wait_for_page(running)
        yield running
    finally:
        stop_server(running)


def websocket_url(page: str) -> str:
    match = re.search(r'data-session-websocket-url="([^"]+)"', page)
    assert match, "no websocket address in the page"
    return match.group(1)


class Tab:
    """One browser tab: a websocket to the server, and everything the app behind it drew."""

    def __init__(self, websocket: aiohttp.ClientWebSocketResponse) -> None:
        self.websocket = websocket
        self.output = ""

    async def wait_for(self, pattern: str, seconds: float = START_SECONDS) -> str:
        """Read the app's output until its text matches `pattern`."""
        deadline = asyncio.get_running_loop().time() + seconds
        while not re.search(pattern, plain(self.output)):
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise AssertionError(f"no {pattern!r} in: {plain(self.output)[-2000:]!r}")
            try:
                message = await self.websocket.receive(timeout=remaining)
            except asyncio.TimeoutError:
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                self.output += message.data.decode("utf-8", "replace")
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                raise AssertionError(f"the app closed: {plain(self.output)[-2000:]!r}")
        return plain(self.output)

    async def type(self, text: str) -> None:
        """Keys, as the page sends them."""
        await self.websocket.send_json(["stdin", text])


def app_processes(data_dir: Path) -> list[int]:
    """The app processes (not the server) running on one data dir."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        words = [word.decode(errors="replace") for word in command if word]
        if "tui" in words and str(data_dir.resolve()) in words and "serve" not in words:
            found.append(int(entry.name))
    return found


# -- tests -------------------------------------------------------------------


def test_the_page_is_at_the_secret_address_printed_at_start(served):
    page = wait_for_page(served)
    assert "textual-terminal" in page and "js/textual.js" in page
    assert "backrelief" in page
    token = urlsplit(served.url).path.strip("/")
    assert len(token) >= 40 and re.fullmatch(r"[A-Za-z0-9_-]+", token)
    # Links follow the address the browser used, so they work for any --host; the websocket is under the secret too.
    assert websocket_url(page) == f"ws://127.0.0.1:{served.port}/{token}/ws"
    with urllib.request.urlopen(f"{served.url}static/js/textual.js", timeout=10) as script:
        assert script.status == 200
    assert "holds a secret" in served.stderr.read_text()


def test_a_new_secret_at_each_start(served, tmp_path):
    (tmp_path / "again").mkdir()
    again = start_server(tmp_path / "again")
    try:
        wait_for_page(again)
        assert urlsplit(again.url).path != urlsplit(served.url).path
    finally:
        stop_server(again)


def test_the_bare_address_and_a_wrong_secret_are_refused_in_one_line(served):
    token = urlsplit(served.url).path.strip("/")
    wrong = token[:-1] + ("A" if token[-1] != "A" else "B")
    for address in (f"{served.origin}/", f"{served.origin}/{wrong}/", f"{served.origin}/{wrong}/static/js/textual.js",
                    f"{served.origin}/static/js/textual.js", f"{served.origin}/ws", f"{served.origin}/{token[:10]}/",
                    f"{served.origin}/favicon.ico"):
        status, text = refusal(address)
        assert status == 403, address
        assert len(text.strip().splitlines()) == 1 and "secret address" in text, (address, text)
        assert token not in text


async def test_the_websocket_refuses_a_wrong_or_missing_secret(served):
    token = urlsplit(served.url).path.strip("/")
    async with aiohttp.ClientSession() as session:
        for address in (f"ws://127.0.0.1:{served.port}/ws", f"ws://127.0.0.1:{served.port}/{token.upper()}/ws",
                        f"ws://127.0.0.1:{served.port}//ws", f"ws://127.0.0.1:{served.port}/ws?token={token}"):
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(address)
            assert refused.value.status == 403, address
    assert app_processes(served.data_dir) == []


class References(HTMLParser):
    """Every address an HTML page refers to (src, href, url(...) in its styles) and any absolute URL in its text."""

    def __init__(self) -> None:
        super().__init__()
        self.addresses: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href", "action", "data-session-websocket-url") and value:
                self.addresses.append(value)

    def handle_data(self, data: str) -> None:
        self.addresses.extend(css_references(data))


def css_references(css: str) -> list[str]:
    """The addresses a stylesheet loads: url(...) and @import. Comments (licence headers) load nothing."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return [m.group(2) for m in re.finditer(r"url\(\s*([\'\"]?)([^\'\")]+)\1\s*\)", css)] + \
        re.findall(r"@import\s+[\'\"]([^\'\"]+)", css)


FOREIGN = re.compile(r"(?:https?:|wss?:)?//(?!127\.0\.0\.1[:/])[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
"""An address on another host (fonts.googleapis.com, a CDN...), with or without a scheme."""


def test_the_page_loads_nothing_from_elsewhere(served):
    page = wait_for_page(served)
    references = References()
    references.feed(page)
    addresses = references.addresses
    assert any("textual.js" in a for a in addresses) and any(".ttf" in a for a in addresses)
    for address in addresses:
        absolute = urljoin(served.url, address)
        assert urlsplit(absolute).netloc in ("", f"127.0.0.1:{served.port}"), address
    assert not FOREIGN.search(page), FOREIGN.search(page)
    for address in addresses:
        if address.startswith(("ws:", "data:")):
            continue  # the app's websocket (its own test below); an inline icon (no fetch at all)
        with urllib.request.urlopen(urljoin(served.url, address), timeout=10) as response:
            assert response.status == 200
            body = response.read()
        if address.endswith(".css"):
            css = body.decode()
            assert not [a for a in css_references(css) if urlsplit(urljoin(served.url, a)).netloc
                        not in ("", f"127.0.0.1:{served.port}")]
        elif address.endswith(".js"):
            script = body.decode()
            assert not FOREIGN.search(script), FOREIGN.search(script)
            assert "googleapis" not in script and "gstatic" not in script
    # The browser is told the same: fetch from this server only.
    with urllib.request.urlopen(served.url, timeout=10) as response:
        policy = response.headers["Content-Security-Policy"]
        assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "default-src 'none'" in policy and "https:" not in policy and "*" not in policy


def test_every_loopback_address_it_binds_answers(tmp_path):
    running = start_server(tmp_path, host="127.0.0.2")
    try:
        page = wait_for_page(running)
        assert running.url.startswith(f"http://127.0.0.2:{running.port}/")
        assert websocket_url(page).startswith(f"ws://127.0.0.2:{running.port}/")
        # Also under the other loopback names.
        for name in ("localhost", "127.0.0.1", "127.9.9.9", "[::1]"):
            request = urllib.request.Request(running.url, headers={"Host": f"{name}:{running.port}"})
            with urllib.request.urlopen(request, timeout=10) as response:
                assert response.status == 200, name
    finally:
        stop_server(running)


async def test_two_tabs_are_two_app_processes_on_the_same_data(served):
    page = wait_for_page(served)
    address = websocket_url(page) + "?width=100&height=30"
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(address) as first, session.ws_connect(address) as second:
            tab_a, tab_b = Tab(first), Tab(second)
            await asyncio.gather(tab_a.wait_for("Back spasm relief"), tab_b.wait_for("Back spasm relief"))
            assert len(app_processes(served.data_dir)) == 2
            # A setting changed in one tab is on disk at once, and the other tab shows it.
            await tab_a.type("s")
            await tab_a.wait_for(r"Get ready")
            # Keys sent together do what they do one by one (see tui/ui/key_queue.py).
            await tab_a.type("\x7f7\r")
            deadline = time.monotonic() + START_SECONDS
            while Store.open(served.data_dir).settings.load().get_ready_seconds != 7:
                assert time.monotonic() < deadline, "the change never reached the settings file"
                await asyncio.sleep(0.2)
            tab_b.output = ""
            await tab_b.type("s")
            await tab_b.wait_for(r"Get ready\s+7\s")


async def test_a_page_from_another_site_cannot_open_the_app(served):
    page = wait_for_page(served)
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(websocket_url(page), origin="http://evil.example")
        assert refused.value.status == 403
    # Nor can one that reaches 127.0.0.1 by another name (DNS rebinding), even with the secret.
    status, _ = refusal(served.url, Host=f"evil.example:{served.port}")
    assert status == 403
    assert app_processes(served.data_dir) == []


def test_a_password_opens_the_bare_address_and_never_reaches_the_app(tmp_path):
    running = start_server(tmp_path, "--password", env={"BACKRELIEF_SERVE_PASSWORD": "stretch it out"})
    try:
        wait_for_page(running)
        assert "give the password" in running.stdout.read_text()
        with urllib.request.urlopen(running.origin + "/", timeout=10) as form:
            assert 'type="password"' in form.read().decode()

        def sign_in(password: str):
            data = urllib.parse.urlencode({"password": password}).encode()
            request = urllib.request.Request(running.origin + "/", data=data, method="POST")
            opener = urllib.request.build_opener(NoRedirect)
            return opener.open(request, timeout=10)

        started = time.monotonic()
        with pytest.raises(urllib.error.HTTPError) as wrong:
            sign_in("stretch it in")
        assert wrong.value.code == 403 and "not the password" in wrong.value.read().decode()
        assert time.monotonic() - started >= 1.0  # each wrong guess is slowed
        with pytest.raises(urllib.error.HTTPError) as right:
            sign_in("stretch it out")
        assert right.value.code == 303 and right.value.headers["Location"] == urlsplit(running.url).path
        # The app processes started for each tab never see the password.
        asyncio.run(_open_a_tab(websocket_url(wait_for_page(running)), running))
    finally:
        stop_server(running)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report a redirect instead of following it."""

    def redirect_request(self, *args, **kwargs):
        return None


async def _open_a_tab(address: str, running: Served) -> None:
    async with aiohttp.ClientSession() as session, session.ws_connect(address + "?width=80&height=24") as socket_:
        await Tab(socket_).wait_for("Back spasm relief")
        (app,) = app_processes(running.data_dir)
        environment = Path(f"/proc/{app}/environ").read_bytes().split(b"\0")
        assert not [entry for entry in environment if entry.startswith(b"BACKRELIEF_SERVE_PASSWORD=")]


@pytest.mark.parametrize("problem, env, message", [
    ("no terminal", {}, "needs a terminal to ask on"),
    ("too short", {"BACKRELIEF_SERVE_PASSWORD": "short"}, "at least 8 characters"),
])
def test_a_password_that_cannot_be_had_is_one_clear_line(tmp_path, problem, env, message):
    environment = {key: value for key, value in os.environ.items() if key != "BACKRELIEF_SERVE_PASSWORD"}
    result = subprocess.run(
        [sys.executable, "-m", "tui", "--data-dir", str(tmp_path / "data"), "serve", "--port", str(free_port()),
         "--password"],
        capture_output=True, text=True, timeout=START_SECONDS, stdin=subprocess.DEVNULL, env={**environment, **env},
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("backrelief: error: ") and message in result.stderr


def test_any_other_host_warns_who_can_reach_it(tmp_path):
    running = start_server(tmp_path, host="0.0.0.0")
    try:
        deadline = time.monotonic() + START_SECONDS
        while "warning" not in running.stderr.read_text():
            assert running.process.poll() is None, running.stderr.read_text()
            assert time.monotonic() < deadline, "no warning on stderr"
            time.sleep(0.1)
    finally:
        stop_server(running)
    warning = running.stderr.read_text()
    assert "backrelief: warning: serving on 0.0.0.0" in warning
    assert "read your journal" in warning and "not encrypted" in warning
    assert "ssh -L" in warning


def test_a_busy_port_is_one_clear_line(served, tmp_path):
    again = subprocess.run(
        [sys.executable, "-m", "tui", "--data-dir", str(served.data_dir), "serve", "--port", str(served.port)],
        capture_output=True, text=True, timeout=START_SECONDS,
    )
    assert again.returncode == 1
    assert again.stderr.strip().splitlines()[-1].startswith(f"backrelief: error: cannot serve on 127.0.0.1 port {served.port}")
    assert "Traceback" not in again.stderr
