"""The fault-injecting proxy other tests rely on: each fault does what it says, in order."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from tests.fault_proxy import HttpFaultProxy


class Upstream(ThreadingHTTPServer):
    """Counts the requests it serves and echoes their bodies."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        super().__init__(("127.0.0.1", 0), _Echo)


class _Echo(BaseHTTPRequestHandler):
    server: Upstream
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        """Quiet."""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.bodies.append(body)
        self.send_response(201)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def proxy() -> Iterator[tuple[HttpFaultProxy, Upstream]]:
    """A plain-HTTP proxy in front of an echo server."""
    upstream = Upstream()
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    proxy = HttpFaultProxy(f"http://127.0.0.1:{upstream.server_address[1]}")
    yield proxy, upstream
    proxy.close()
    upstream.shutdown()
    upstream.server_close()


def test_faults_apply_in_order_to_matching_requests(proxy) -> None:  # type: ignore[no-untyped-def]
    proxy, upstream = proxy
    session = requests.Session()
    session.trust_env = False

    def post(body: bytes, path: str = "/pix") -> requests.Response:
        return session.post(proxy.url + path, data=body, timeout=10)

    assert post(b"plain").status_code == 201 and upstream.bodies == [b"plain"]
    proxy.inject("status", status=500, when=lambda r: r.route == "/pix")
    assert post(b"other", "/other").status_code == 201  # not matching: untouched
    assert post(b"lost").status_code == 500 and b"lost" not in upstream.bodies
    proxy.inject("after", status=503)
    assert post(b"done-anyway").status_code == 503 and b"done-anyway" in upstream.bodies
    proxy.inject("duplicate")
    assert post(b"twice").status_code == 201 and upstream.bodies.count(b"twice") == 2
    proxy.inject("delay", seconds=0.3)
    started = time.monotonic()
    assert post(b"slow").content == b"slow" and time.monotonic() - started >= 0.3
    proxy.inject("reset")
    with pytest.raises(requests.ConnectionError):
        post(b"reset")
    assert b"reset" not in upstream.bodies
    assert [(r.body, r.status, r.fault) for r in proxy.records] == [
        (b"plain", 201, None), (b"other", 201, None), (b"lost", 500, "status"),
        (b"done-anyway", 503, "after"), (b"twice", 201, "duplicate"), (b"slow", 201, "delay"),
        (b"reset", None, "reset")]
    with pytest.raises(ValueError, match="unknown fault"):
        proxy.inject("explode")
