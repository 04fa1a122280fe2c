"""`backrelief serve`: the app in a browser tab, behind a secret.

textual-serve starts one app process per browser tab and pipes it through a
websocket to a terminal drawn in the page. On a shared computer every account
can reach a loopback port, so the page is guarded like a notebook server's:

- A fresh random token is made at each start and printed in the address,
  `http://127.0.0.1:8000/TOKEN/`. The page, its script, styles and fonts, and
  the websocket that drives the app all live under that secret path; anything
  else answers 403 with one line saying where the address comes from. Tokens
  are compared in constant time.
- Optionally a password besides (`--password`, asked on the terminal or taken
  from `BACKRELIEF_SERVE_PASSWORD`, never from the command line): the bare
  address then shows a sign-in form that leads to the secret address. Only a
  salted scrypt hash is kept; wrong passwords are answered one per second.
- The page is our own and loads nothing from elsewhere: textual-serve's
  template asks Google Fonts for Roboto Mono, which tells a third party each
  time someone opens their pain journal and fails offline. The same font
  ships inside textual-serve, so the page serves it. A Content-Security-Policy
  tells the browser to fetch from this server only.
- Served on loopback, only loopback names are answered (a web page cannot
  reach it through DNS rebinding), and the websocket refuses pages of other
  origins.

Nothing here imports Textual; textual-serve and aiohttp load only when serving.
"""

from __future__ import annotations

import asyncio
import getpass
import hashlib
import hmac
import html
import ipaddress
import os
import re
import secrets
import shlex
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Awaitable, Callable
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from aiohttp import web

PASSWORD_ENV = "BACKRELIEF_SERVE_PASSWORD"
"""Environment variable a password can come from (read once, then removed so the app processes never see it)."""

PASSWORD_MIN = 8
"""Fewest characters a password may have."""

WRONG_PASSWORD_DELAY = 1.0
"""Seconds each wrong password waits before its answer; attempts are answered one at a time."""

STATIC_FILES = ("js/textual.js", "css/xterm.css", "fonts/RobotoMono-VariableFont_wght.ttf",
                "fonts/RobotoMono-Italic-VariableFont_wght.ttf")
"""textual-serve's files the page uses: its terminal script and styles, and the font the script asks for."""

HOST_HEADER = re.compile(r"(?P<name>[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")
"""A Host header the page can name in its links: a host name or address, and maybe a port."""

CONTENT_TYPES = {".js": "text/javascript", ".css": "text/css", ".ttf": "font/ttf"}
"""How each static file is labelled."""


class ServeError(Exception):
    """A problem that stops `serve`, said in one line."""


@dataclass(frozen=True)
class PasswordHash:
    """A password as kept in memory: a salted scrypt hash, never the password."""

    salt: bytes
    digest: bytes

    @classmethod
    def of(cls, password: str) -> "PasswordHash":
        """The hash of `password` with a fresh random salt."""
        salt = secrets.token_bytes(16)
        return cls(salt, _scrypt(password, salt))

    def matches(self, password: str) -> bool:
        """Whether `password` is the one hashed (constant-time comparison)."""
        return hmac.compare_digest(_scrypt(password, self.salt), self.digest)


def _scrypt(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=2 ** 14, r=8, p=1, dklen=32)


def is_loopback(host: str) -> bool:
    """Whether `host` can be reached from this computer only: `localhost`, any 127.0.0.0/8 address, `::1`."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def shown_host(host: str) -> str:
    """`host` as it goes in an address: IPv6 in brackets; every-interface addresses as a placeholder."""
    if host in ("0.0.0.0", "::", ""):
        return "THIS-COMPUTER"
    return f"[{host.strip('[]')}]" if ":" in host else host


def check_address(host: str, port: int) -> None:
    """Fail with one clear line, before anything starts, if `host` and `port` cannot be listened on."""
    try:
        addresses = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise ServeError(f"cannot serve on {host}: {error.strerror}") from None
    for family, kind, protocol, _, address in addresses:
        with socket.socket(family, kind, protocol) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself will
            try:
                probe.bind(address)
            except OSError as error:
                raise ServeError(f"cannot serve on {host} port {port}: {error.strerror}; another program "
                                 "(or another backrelief serve) may be using it: try another --port") from None


def read_password(ask: bool) -> PasswordHash | None:
    """The password to require besides the token: from `PASSWORD_ENV`, else asked twice on the terminal.

    None when `ask` is false. The variable is removed from this process's
    environment either way, so the app processes started for each tab never
    inherit it; set without `--password`, it is ignored with a warning.
    """
    password = os.environ.pop(PASSWORD_ENV, None)
    if not ask:
        if password is not None:
            print(f"backrelief: warning: ${PASSWORD_ENV} is set but --password was not given: "
                  "the page opens with its secret address only", file=sys.stderr)
        return None
    if password is None:
        if not sys.stdin.isatty():
            raise ServeError(f"--password needs a terminal to ask on, or the password in ${PASSWORD_ENV}")
        try:
            password = getpass.getpass("backrelief: password for the page: ")
            again = getpass.getpass("backrelief: the same password again: ")
        except EOFError:
            raise ServeError("no password given") from None
        if password != again:
            raise ServeError("the two passwords differ; nothing was started")
    if len(password) < PASSWORD_MIN:
        raise ServeError(f"the password must have at least {PASSWORD_MIN} characters")
    return PasswordHash.of(password)


def serve(data_dir: Path, host: str, port: int, ask_password: bool = False) -> None:
    """Run the server until ctrl+c or SIGTERM; every tab runs `backrelief --data-dir DATA_DIR`.

    With `ask_password`, a password (see `read_password`) opens the page too.
    """
    try:
        from textual_serve.server import Server
    except ImportError:
        raise ServeError("'serve' needs textual-serve: pip install 'backrelief[serve]'") from None
    check_address(host, port)
    password = read_password(ask_password)
    token = secrets.token_urlsafe(32)
    if is_loopback(host):
        print("backrelief: serving to this computer only. The address below holds a secret: "
              "whoever has it can use the app, so do not share it. A new one is made at each start.",
              file=sys.stderr)
    else:
        print(f"backrelief: warning: serving on {host} port {port}: anyone who can reach this address and has "
              "its secret can open the app, read your journal and change your routines, and the connection is "
              "not encrypted, so others on the network can read the secret.\n"
              f"backrelief: to keep it private, serve on 127.0.0.1 (the default) and reach it from elsewhere "
              f"through an SSH tunnel: ssh -L {port}:127.0.0.1:{port} THIS-COMPUTER", file=sys.stderr)
    sys.stderr.flush()
    command = f"{shlex.quote(sys.executable)} -m tui --data-dir {shlex.quote(str(Path(data_dir).resolve()))}"
    server = browser_server(Server)(command, host=host, port=port, title="backrelief")
    server.token = token
    server.password = password
    try:
        server.serve()
    except OSError as error:
        raise ServeError(f"cannot serve on {host} port {port}: {error.strerror or error}") from None


def browser_server(base: type) -> type:
    """textual-serve's `Server` with our routes, page and guards (see the module's docstring)."""
    from aiohttp import web

    @web.middleware
    async def _secure_headers(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
        try:
            response = await handler(request)
        except web.HTTPException as error:
            _secure(error)
            raise
        _secure(response)
        return response

    class BrowserServer(base):
        """Serves the page, its files and the app's websocket under the secret path only."""

        token: str = ""
        """The secret path segment."""
        password: PasswordHash | None = None
        """The password that opens the bare address, if one was set."""

        async def _make_app(self) -> web.Application:
            app = web.Application(client_max_size=64 * 1024, middlewares=[_secure_headers])
            app["password_lock"] = asyncio.Lock()
            app.add_routes([
                web.get("/", self.handle_front),
                web.post("/", self.handle_sign_in),
                web.get("/{token}", self.handle_page_without_slash),
                web.get("/{token}/", self.handle_page),
                web.get("/{token}/ws", self.handle_websocket),
                web.get("/{token}/static/{path:.+}", self.handle_static),
                web.route("*", "/{anything:.*}", self.handle_elsewhere),
            ])
            app.on_startup.append(self.on_startup)
            app.on_shutdown.append(self.on_shutdown)
            return app

        # -- guards ----------------------------------------------------

        def _check_host(self, request: web.Request) -> None:
            """Refuse a Host header that is not a plain name or address (it goes into the page), and,
            served on loopback, one that names another host (DNS rebinding)."""
            match = HOST_HEADER.fullmatch(request.host)
            if match is None:
                raise _refused("backrelief: the address has a host it cannot use")
            if is_loopback(self.host) and not is_loopback(match.group("name")):
                raise _refused("backrelief serves this computer only: open it as 127.0.0.1 or localhost")

        def _check(self, request: web.Request) -> None:
            """Refuse requests under another name than this computer's (when on loopback), or without the token."""
            self._check_host(request)
            given = request.match_info.get("token", "")
            if not hmac.compare_digest(given.encode("utf-8", "replace"), self.token.encode()):
                raise _refused(_NEEDS_SECRET)

        # -- pages -----------------------------------------------------

        async def handle_front(self, request: web.Request) -> web.StreamResponse:
            """The bare address: a sign-in form when a password is set, else a refusal that says why."""
            self._check_host(request)
            if self.password is None:
                raise _refused(_NEEDS_SECRET)
            return _html(_sign_in_page(""))

        async def handle_sign_in(self, request: web.Request) -> web.StreamResponse:
            """A password sent from the sign-in form: the right one leads to the secret address."""
            self._check_host(request)
            if self.password is None:
                raise _refused(_NEEDS_SECRET)
            async with request.app["password_lock"]:  # one guess at a time, each wrong one slowed
                form = await request.post()
                given = form.get("password")
                if isinstance(given, str) and self.password.matches(given):
                    raise web.HTTPSeeOther(f"/{self.token}/")
                await asyncio.sleep(WRONG_PASSWORD_DELAY)
            return _html(_sign_in_page("That is not the password."), status=403)

        async def handle_elsewhere(self, request: web.Request) -> web.StreamResponse:
            """Any other address: the same one line as the bare address (a wrong token lands here too)."""
            self._check_host(request)
            raise _refused(_NEEDS_SECRET)

        async def handle_page_without_slash(self, request: web.Request) -> web.StreamResponse:
            """The secret address typed without its last slash: on to the page."""
            self._check(request)
            raise web.HTTPSeeOther(f"/{self.token}/")

        async def handle_page(self, request: web.Request) -> web.StreamResponse:
            """The page: a terminal that connects to this tab's app through the websocket."""
            self._check(request)
            font_size = request.query.get("fontsize", "16")
            font_size = font_size if font_size.isdigit() and 6 <= int(font_size) <= 48 else "16"
            # Links follow the address the browser used, so they work whatever --host was.
            base = f"/{self.token}/"
            websocket = f"ws://{request.host}{base}ws"
            response = _html(_app_page(base + "static/", websocket, font_size, self.title))
            response.headers["Content-Security-Policy"] = _policy(request.host)
            return response

        async def handle_static(self, request: web.Request) -> web.StreamResponse:
            """One of the page's files (script, styles, font), from textual-serve's own static folder."""
            self._check(request)
            path = request.match_info["path"]
            if path not in STATIC_FILES:
                raise web.HTTPNotFound(text="backrelief: no such file")
            file = Path(self.statics_path) / path
            response = web.FileResponse(file)
            response.content_type = CONTENT_TYPES[file.suffix]
            return response

        async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
            """The app of one tab, after the token, host and origin checks."""
            self._check(request)
            origin = request.headers.get("Origin")
            if origin is not None and urlsplit(origin).netloc.lower() != request.host.lower():
                raise _refused("backrelief: only its own page may open the app")
            return await super().handle_websocket(request)

        async def on_startup(self, app: web.Application) -> None:
            address = f"http://{shown_host(self.host)}:{self.port}/{self.token}/"
            print(f"backrelief: open {address} in a browser (one app per tab); ctrl+c stops the server", flush=True)
            if self.password is not None:
                print(f"backrelief: or open http://{shown_host(self.host)}:{self.port}/ and give the password",
                      flush=True)

    return BrowserServer


_NEEDS_SECRET = ("backrelief: this page needs the secret address that `backrelief serve` printed when it "
                 "started (http://HOST:PORT/SECRET/)")
"""The one line that answers a request without the right token."""


def _refused(text: str) -> web.HTTPForbidden:
    from aiohttp import web

    return web.HTTPForbidden(text=text + "\n")


def _policy(host: str) -> str:
    """The Content-Security-Policy of the page: everything from this server, nothing from anywhere else."""
    return (f"default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self'; "
            f"img-src 'self' data:; connect-src 'self' ws://{host}; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'none'")


def _secure(response: web.StreamResponse | web.HTTPException) -> None:
    """Headers for every answer: not cached, no address passed on, not framed."""
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")


def _html(text: str, status: int = 200) -> web.Response:
    from aiohttp import web

    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8")


def _app_page(static: str, websocket: str, font_size: str, title: str) -> str:
    """The page that runs the app: textual-serve's terminal script, its styles and the font it asks for."""
    e = html.escape
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{e(static)}css/xterm.css">
<style>
@font-face {{ font-family: "Roboto Mono"; font-style: normal; font-weight: 100 700;
  src: url("{e(static)}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype"); }}
@font-face {{ font-family: "Roboto Mono"; font-style: italic; font-weight: 100 700;
  src: url("{e(static)}fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype"); }}
body {{ background: #0c181f; color: #e8eef0; font-family: "Roboto Mono", monospace; }}
.notice {{ position: absolute; inset: 0; display: flex; align-items: center; justify-content: center;
  font-size: 16px; }}
.notice a {{ color: inherit; margin-left: 1ch; }}
.ended, body.-closed .starting, body.-first-byte .starting {{ display: none; }}
body.-closed .ended {{ display: flex; z-index: 10; background: #0c181f; }}
.textual-terminal {{ opacity: 0; }}
body.-first-byte .textual-terminal {{ opacity: 1; }}
</style>
<script src="{e(static)}js/textual.js"></script>
</head>
<body>
<div class="notice starting">Starting {e(title)}…</div>
<div class="notice ended">This tab's {e(title)} has closed.<a href="">Start it again</a></div>
<div id="terminal" class="textual-terminal" data-session-websocket-url="{e(websocket)}"
  data-font-size="{e(font_size)}"></div>
</body>
</html>
"""


def _sign_in_page(problem: str) -> str:
    """The form the bare address shows when a password is set."""
    e = html.escape
    message = f'<p class="problem">{e(problem)}</p>' if problem else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<title>backrelief</title>
<link rel="icon" href="data:,">
<style>
body {{ background: #0c181f; color: #e8eef0; font: 16px monospace; display: flex; justify-content: center;
  padding-top: 20vh; }}
input, button {{ font: inherit; padding: 0.3em 0.6em; }}
.problem {{ color: #ff9e80; }}
</style>
</head>
<body>
<form method="post" action="/">
<p>backrelief: give the password set with <code>backrelief serve --password</code>.</p>
{message}
<p><input type="password" name="password" autofocus autocomplete="current-password" aria-label="Password">
<button type="submit">Open</button></p>
</form>
</body>
</html>
"""
