"""A throwaway OpenSSH server on 127.0.0.1 for end-to-end tests over a real SSH link.

Everything lives in one temporary dir: a generated host key, a client key, the
authorized keys and the config. The server runs in the foreground (-D) as a
child of the test, so it ends with the test.
"""

from __future__ import annotations

import getpass
import os
import shlex
import shutil
import socket
import subprocess
import time
from pathlib import Path

SSHD_CANDIDATES = ("/usr/sbin/sshd", "/usr/bin/sshd")
"""Where Debian and others put the server (it must be run by absolute path)."""


def find_sshd() -> str | None:
    """The sshd binary, or None when OpenSSH's server is not installed."""
    for candidate in SSHD_CANDIDATES:
        if os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("sshd")


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LoopbackSSH:
    """Starts sshd on 127.0.0.1 with key login only, and builds ssh client commands for it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        """Holds keys, config and the pid file."""
        self.port = free_port()
        """The port sshd listens on."""
        self.user = getpass.getuser()
        """Who logs in (the user running the tests)."""
        self.process: subprocess.Popen | None = None
        """The running sshd."""

    def start(self, timeout: float = 10.0) -> "LoopbackSSH":
        """Generate keys, write the config, start sshd and wait until it accepts connections."""
        sshd = find_sshd()
        if sshd is None:
            raise RuntimeError("OpenSSH server (sshd) is not installed")
        self.folder.mkdir(parents=True, exist_ok=True)
        os.chmod(self.folder, 0o700)
        for name in ("host_key", "client_key"):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(self.folder / name)], check=True)
        (self.folder / "authorized_keys").write_text((self.folder / "client_key.pub").read_text())
        config = self.folder / "sshd_config"
        config.write_text("\n".join([
            f"Port {self.port}",
            "ListenAddress 127.0.0.1",
            f"HostKey {self.folder / 'host_key'}",
            f"PidFile {self.folder / 'sshd.pid'}",
            f"AuthorizedKeysFile {self.folder / 'authorized_keys'}",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PubkeyAuthentication yes",
            "PermitRootLogin prohibit-password",
            "UsePAM no",
            "StrictModes no",
            "ClientAliveInterval 1",
            "ClientAliveCountMax 3",
            "LogLevel ERROR",
            "",
        ]))
        if os.geteuid() == 0:
            Path("/run/sshd").mkdir(parents=True, exist_ok=True)  # privilege separation dir
        self.process = subprocess.Popen([sshd, "-D", "-e", "-f", str(config)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"sshd exited: {self.process.stderr.read().decode(errors='replace')}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("sshd did not start listening")

    def command(self, remote: list[str], env: dict[str, str] | None = None) -> list[str]:
        """An `ssh -tt` command line that runs `remote` (a shell-quoted argv) on the server."""
        assignments = [f"{k}={shlex.quote(v)}" for k, v in (env or {}).items()]
        line = " ".join(["env", *assignments, *(shlex.quote(part) for part in remote)]) if assignments else \
            " ".join(shlex.quote(part) for part in remote)
        return [
            "ssh", "-tt",
            "-F", "none",  # no user or system client config: the same link on every machine
            "-i", str(self.folder / "client_key"),
            "-o", "IdentitiesOnly=yes",
            "-p", str(self.port),
            "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null",
            "-o", "BatchMode=yes",
            "-o", "ConnectTimeout=10",
            "-o", "LogLevel=ERROR",
            f"{self.user}@127.0.0.1",
            line,
        ]

    def stop(self) -> None:
        """Stop sshd (sessions it started get a hang-up)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
