"""PIXGATE_TRUSTED_PROXIES: which X-Forwarded-For entry becomes the client's address."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, request

from pixgate.web.proxies import install


def _app(trusted: str) -> Flask:
    app = Flask(__name__)

    @app.get("/")
    def whoami() -> str:
        return f"{request.remote_addr} {request.scheme}"

    install(app, trusted)
    return app


def _seen(app: Flask, remote: str, forwarded: str | None = None, **extra: Any) -> str:
    environ = {"REMOTE_ADDR": remote, **extra}
    if forwarded is not None:
        environ["HTTP_X_FORWARDED_FOR"] = forwarded
    return app.test_client().get("/", environ_base=environ).get_data(as_text=True)


@pytest.mark.parametrize(("trusted", "remote", "forwarded", "seen"), [
    ("", "127.0.0.1", "198.51.100.1", "127.0.0.1"),
    ("1", "127.0.0.1", "198.51.100.1", "198.51.100.1"),
    ("1", "127.0.0.1", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # a forged first entry
    ("2", "127.0.0.1", "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
    ("127.0.0.1,10.0.0.0/8", "127.0.0.1", "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
    ("127.0.0.1", "203.0.113.5", "198.51.100.1", "203.0.113.5"),  # not from the proxy
    ("127.0.0.1", "127.0.0.1", None, "127.0.0.1"),
    ("::1", "::1", "2001:db8::7", "2001:db8::7"),
])
def test_the_client_address_is_the_one_the_trusted_proxy_saw(
    trusted: str, remote: str, forwarded: str | None, seen: str
) -> None:
    assert _seen(_app(trusted), remote, forwarded).split()[0] == seen


def test_the_scheme_comes_from_the_trusted_proxy_only() -> None:
    https = {"HTTP_X_FORWARDED_PROTO": "https"}
    assert _seen(_app("1"), "127.0.0.1", "198.51.100.1", **https).endswith("https")
    assert _seen(_app("127.0.0.1"), "203.0.113.5", None, **https).endswith("http")
