"""The token request each profile sends, read by a real local HTTP server (not a mock), and
the token's caching: single-flight, renewed before expiry, refusals said in plain words."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from pixgate.psp.base import PspError, PspUnavailable
from pixgate.psp.profiles import PIX_SCOPES, profile_named
from pixgate.psp.settings import PspSettings
from pixgate.psp.token import TokenSource
from pixgate.psp.transport import Transport


class TokenServer(ThreadingHTTPServer):
    """Answers POSTs with `answer` (status, body) and keeps every request it saw."""

    def __init__(self) -> None:
        self.seen: list[dict[str, Any]] = []
        self.answer: tuple[int, dict[str, Any]] = (200, {"access_token": "t", "expires_in": 300})
        self.delay = threading.Event()
        self.delay.set()
        super().__init__(("127.0.0.1", 0), _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: TokenServer

    def log_message(self, *args: object) -> None:
        """Quiet."""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.delay.wait(5)
        self.server.seen.append({"path": self.path, "headers": dict(self.headers.items()),
                                 "body": body})
        status, answer = self.server.answer
        if "access_token" in answer:  # numbered, so a renewal is visible
            answer = {**answer, "access_token": f"{answer['access_token']}{len(self.server.seen)}"}
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture
def server() -> Iterator[TokenServer]:
    """A token endpoint on 127.0.0.1."""
    server = TokenServer()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def source(server: TokenServer, profile: str, clock: Any = None) -> TokenSource:
    """A TokenSource for `profile` pointed at the local server."""
    url = f"http://127.0.0.1:{server.server_address[1]}/oauth/token"
    settings = PspSettings(kind="bcb", base_url=url, token_url=url, client_id="cid",
                           client_secret="csecret", profile=profile, allow_http=True)
    kwargs = {"clock": clock} if clock else {}
    return TokenSource(settings, profile_named(profile), Transport(settings).send, **kwargs)


def basic(seen: dict[str, Any]) -> str | None:
    header = seen["headers"].get("Authorization")
    return base64.b64decode(header.split()[1]).decode() if header else None


@pytest.mark.parametrize(("profile", "auth", "query", "fields"), [
    ("generic", "cid:csecret", "", {"grant_type": "client_credentials"}),
    ("efi", "cid:csecret", "", {"grant_type": "client_credentials"}),  # JSON body
    ("inter", None, "", {"grant_type": "client_credentials", "client_id": "cid",
                         "client_secret": "csecret", "scope": PIX_SCOPES}),
    ("sicoob", None, "", {"grant_type": "client_credentials", "client_id": "cid",
                          "scope": PIX_SCOPES}),
    ("bb", "cid:csecret", "", {"grant_type": "client_credentials", "scope": PIX_SCOPES}),
    ("santander", None, "grant_type=client_credentials",
     {"client_id": "cid", "client_secret": "csecret"}),
])
def test_each_profile_asks_for_the_token_its_way(server: TokenServer, profile: str,
                                                 auth: str | None, query: str,
                                                 fields: dict[str, str]) -> None:
    assert source(server, profile).bearer() == "t1"
    seen = server.seen[0]
    assert basic(seen) == auth
    assert urlsplit(seen["path"]).query == query
    if profile == "efi":
        assert seen["headers"]["Content-Type"] == "application/json"
        assert json.loads(seen["body"]) == fields
    else:
        assert seen["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
        assert {k: v[0] for k, v in parse_qs(seen["body"].decode()).items()} == fields


def test_one_fetch_for_many_callers_and_renewal_before_expiry(server: TokenServer) -> None:
    now = [1000.0]
    tokens = source(server, "generic", clock=lambda: now[0])
    server.delay.clear()  # hold the first answer so every caller finds no token
    with ThreadPoolExecutor(8) as pool:
        waiting = [pool.submit(tokens.bearer) for _ in range(8)]
        server.delay.set()
        assert {f.result() for f in waiting} == {"t1"}
    assert len(server.seen) == 1
    now[0] += 300 - 61  # a 300 s token is renewed 60 s before it ends: not yet
    assert tokens.bearer() == "t1"
    now[0] += 2
    assert tokens.bearer() == "t2"
    tokens.invalidate("t1")  # a late 401 for an old token keeps the new one
    assert tokens.bearer() == "t2"
    tokens.invalidate("t2")
    assert tokens.bearer() == "t3"


def test_refusals_are_plain(server: TokenServer) -> None:
    server.answer = (401, {"error": "invalid_client", "error_description": "bad secret"})
    with pytest.raises(PspError) as caught:
        source(server, "generic").bearer()
    assert "refused the credentials" in caught.value.detail and "bad secret" in caught.value.detail
    assert caught.value.status == 502 and caught.value.upstream_status == 401
    server.answer = (503, {"message": "maintenance"})
    with pytest.raises(PspUnavailable):
        source(server, "generic").bearer()
    server.answer = (200, {"token_type": "Bearer"})
    with pytest.raises(PspError, match="no access_token"):
        source(server, "generic").bearer()
