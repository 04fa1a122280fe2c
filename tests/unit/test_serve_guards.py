"""The pieces of `backrelief serve` that need no server: loopback names, Host headers, the password.

The server itself, its page and websocket, run for real in tests/e2e/test_serve.py.
"""

from __future__ import annotations

import os

import pytest

from tui import serve


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "127.255.255.254", "::1", "[::1]", "localhost",
                                  "LocalHost"])
def test_every_loopback_address_is_loopback(host):
    assert serve.is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.0.0.1", "128.0.0.1", "192.168.1.2", "example.com",
                                  "localhost.example.com", "evil.localhost", ""])
def test_anything_else_is_not(host):
    assert not serve.is_loopback(host)


@pytest.mark.parametrize("header, name", [("127.0.0.1:8000", "127.0.0.1"), ("localhost", "localhost"),
                                          ("[::1]:8000", "[::1]"), ("my-box.local:80", "my-box.local")])
def test_a_plain_host_header_is_taken(header, name):
    match = serve.HOST_HEADER.fullmatch(header)
    assert match and match.group("name") == name


@pytest.mark.parametrize("header", ["127.0.0.1:8000;script-src *", "a b", "<x>:1", "[::1", "host:port", "h:123456",
                                    "evil\"onload=x"])
def test_a_host_header_that_would_change_the_page_is_not(header):
    assert serve.HOST_HEADER.fullmatch(header) is None


def test_a_password_is_kept_as_a_salted_hash():
    first, second = serve.PasswordHash.of("stretch it out"), serve.PasswordHash.of("stretch it out")
    assert first.salt != second.salt and first.digest != second.digest
    assert b"stretch" not in first.digest
    assert first.matches("stretch it out") and second.matches("stretch it out")
    assert not first.matches("stretch it in") and not first.matches("")


def test_the_password_comes_from_the_environment_once(monkeypatch):
    monkeypatch.setenv(serve.PASSWORD_ENV, "long enough")
    hashed = serve.read_password(ask=True)
    assert hashed is not None and hashed.matches("long enough")
    assert serve.PASSWORD_ENV not in os.environ  # the app processes never inherit it


def test_a_password_in_the_environment_without_the_flag_is_dropped_with_a_warning(monkeypatch, capsys):
    monkeypatch.setenv(serve.PASSWORD_ENV, "long enough")
    assert serve.read_password(ask=False) is None
    assert serve.PASSWORD_ENV not in os.environ
    assert "--password was not given" in capsys.readouterr().err


def test_a_short_password_is_refused(monkeypatch):
    monkeypatch.setenv(serve.PASSWORD_ENV, "short")
    with pytest.raises(serve.ServeError, match="at least 8 characters"):
        serve.read_password(ask=True)
