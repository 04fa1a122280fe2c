"""`backrelief serve` for real: the server process, its page, and the app behind the page's websocket.

Each test starts `python -m tui --data-dir D serve` on a free loopback port and
always stops it (and the app processes it started) at the end. Every wait is
bounded.
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
import urllib.request
from dataclasses import dataclass
from pathlib import Path

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
    stderr: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


def start_server(tmp_path: Path, *options: str) -> Served:
    data_dir = tmp_path / "data"
    Store.open(data_dir).settings.change(safety_acknowledged=True)
    port = free_port()
    stderr = tmp_path / "serve.err"
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "--data-dir", str(data_dir), "serve", "--port", str(port), *options],
        stdout=subprocess.DEVNULL, stderr=stderr.open("w"), start_new_session=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    return Served(process, port, data_dir, stderr)


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
    deadline = time.monotonic() + START_SECONDS
    while True:
        if served.process.poll() is not None:
            raise AssertionError(f"serve exited with {served.process.returncode}: {served.stderr.read_text()}")
        try:
            with urllib.request.urlopen(served.url, timeout=5) as response:
                return response.read().decode()
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


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


def test_the_page_is_the_textual_serve_page_for_backrelief(served):
    page = wait_for_page(served)
    assert "textual-terminal" in page and "js/textual.js" in page
    assert "backrelief" in page
    # Links follow the address the browser used, so they work for any --host.
    assert websocket_url(page) == f"ws://127.0.0.1:{served.port}/ws"
    with urllib.request.urlopen(f"{served.url}static/js/textual.js", timeout=10) as script:
        assert script.status == 200
    assert "no authentication" in served.stderr.read_text()


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
            # One key at a time, each after the last has shown: Textual runs a key bound to an action
            # (backspace, enter) after a printable key that arrived with it in the same read.
            await tab_a.type("\x7f")
            await tab_a.wait_for("Type a whole number")
            await tab_a.type("7")
            await asyncio.sleep(1.0)
            await tab_a.type("\r")
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
    # Nor can one that reaches 127.0.0.1 by another name (DNS rebinding).
    request = urllib.request.Request(served.url, headers={"Host": f"evil.example:{served.port}"})
    with pytest.raises(urllib.error.HTTPError) as forbidden:
        urllib.request.urlopen(request, timeout=10)
    assert forbidden.value.code == 403
    assert app_processes(served.data_dir) == []


def test_any_other_host_warns_that_there_is_no_authentication(tmp_path):
    running = start_server(tmp_path, "--host", "0.0.0.0")
    try:
        deadline = time.monotonic() + START_SECONDS
        while "no authentication" not in running.stderr.read_text():
            assert running.process.poll() is None, running.stderr.read_text()
            assert time.monotonic() < deadline, "no warning on stderr"
            time.sleep(0.1)
    finally:
        stop_server(running)
    warning = running.stderr.read_text()
    assert "backrelief: warning: serving on 0.0.0.0" in warning
    assert "read your journal" in warning
    assert "ssh -L" in warning


def test_a_busy_port_is_one_clear_line(served, tmp_path):
    again = subprocess.run(
        [sys.executable, "-m", "tui", "--data-dir", str(served.data_dir), "serve", "--port", str(served.port)],
        capture_output=True, text=True, timeout=START_SECONDS,
    )
    assert again.returncode == 1
    assert again.stderr.strip().splitlines()[-1].startswith(f"backrelief: error: cannot serve on 127.0.0.1 port {served.port}")
    assert "Traceback" not in again.stderr
