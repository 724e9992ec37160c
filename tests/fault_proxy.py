"""An HTTP proxy between two real processes that records every request and injects faults.

It sits between A and B (PSP calls, optionally terminating mutual TLS with the test CA) or
between B and A (webhooks, plain HTTP). Each request is recorded (method, path, headers,
body, the status returned) so a test can validate everything A sent against BCB's spec, and
`handshakes` counts TLS connections accepted, i.e. handshakes the client paid for.

Faults are queued with `inject(...)` and consumed one request at a time, in order:
- `delay`: wait `seconds`, then forward;
- `status`: answer `status` (default 500) without forwarding;
- `after`: forward, then answer `status` anyway (the upstream did the work; the client thinks
  it failed and retries: idempotency is what this tests);
- `reset`: close the connection without an answer;
- `duplicate`: forward the same request twice (a PSP that notifies twice).
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import requests

HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
              "trailers", "transfer-encoding", "upgrade", "content-length", "host",
              "accept-encoding", "content-encoding"}
ACTIONS = {"delay", "status", "after", "reset", "duplicate"}


@dataclass
class Recorded:
    """One request as the proxy received it, and what it answered (None: connection reset)."""

    method: str
    path: str  # with the query string
    headers: dict[str, str]
    body: bytes
    status: int | None = None
    fault: str | None = None

    @property
    def route(self) -> str:
        """The path without the query string."""
        return urlsplit(self.path).path

    @property
    def query(self) -> str:
        """The raw query string."""
        return urlsplit(self.path).query


@dataclass
class Fault:
    """One queued fault; `when` limits it to matching requests (others pass untouched)."""

    action: str
    seconds: float = 0.0
    status: int = 500
    when: Callable[[Recorded], bool] | None = None


@dataclass
class _State:
    records: list[Recorded] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    handshakes: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class HttpFaultProxy:
    """Listens on 127.0.0.1 (TLS if `server_context`), forwards to `upstream` (an origin URL)."""

    def __init__(self, upstream: str, *, server_context: ssl.SSLContext | None = None,
                 upstream_session: requests.Session | None = None, timeout: float = 30) -> None:
        self.upstream = upstream.rstrip("/")
        self.state = _State()
        self.session = upstream_session or requests.Session()
        self.session.trust_env = False
        self.timeout = timeout
        self.server = _Server(self, server_context)
        self.port = self.server.server_address[1]
        self.scheme = "https" if server_context else "http"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        """The proxy's origin; put it where the client expects the upstream."""
        return f"{self.scheme}://127.0.0.1:{self.port}"

    @property
    def records(self) -> list[Recorded]:
        """Every request received so far (a copy)."""
        with self.state.lock:
            return list(self.state.records)

    @property
    def handshakes(self) -> int:
        """TLS handshakes completed with clients (0 in plain mode)."""
        return self.state.handshakes

    def inject(self, action: str, *, times: int = 1, seconds: float = 0.0, status: int = 500,
               when: Callable[[Recorded], bool] | None = None) -> None:
        """Queue `times` faults of one kind for the next matching requests."""
        if action not in ACTIONS:
            raise ValueError(f"unknown fault {action!r}; one of {sorted(ACTIONS)}")
        with self.state.lock:
            self.state.faults.extend(Fault(action, seconds, status, when) for _ in range(times))

    def clear(self) -> None:
        """Drop queued faults and records."""
        with self.state.lock:
            self.state.faults.clear()
            self.state.records.clear()

    def close(self) -> None:
        """Stop listening."""
        self.server.shutdown()
        self.server.server_close()

    def _take_fault(self, record: Recorded) -> Fault | None:
        with self.state.lock:
            self.state.records.append(record)
            for index, fault in enumerate(self.state.faults):
                if fault.when is None or fault.when(record):
                    return self.state.faults.pop(index)
        return None

    def forward(self, record: Recorded) -> requests.Response:
        """Send the recorded request upstream as it came (minus hop-by-hop headers)."""
        headers = {k: v for k, v in record.headers.items() if k.lower() not in HOP_BY_HOP}
        headers["Accept-Encoding"] = "identity"
        return self.session.request(record.method, self.upstream + record.path, headers=headers,
                                    data=record.body or None, timeout=self.timeout,
                                    allow_redirects=False)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, proxy: HttpFaultProxy, context: ssl.SSLContext | None) -> None:
        self.proxy, self.context = proxy, context
        super().__init__(("127.0.0.1", 0), _Handler)

    def finish_request(self, request, client_address):  # type: ignore[no-untyped-def]
        """Handshake in the connection's own thread, so a slow client blocks nobody."""
        if self.context is not None:
            try:
                request = self.context.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return  # refused: no certificate, or one from another CA
            with self.proxy.state.lock:
                self.proxy.state.handshakes += 1
        super().finish_request(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like a real PSP
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the records are the log."""

    def _handle(self) -> None:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            self._answer(411, b'{"detail": "chunked bodies are not supported by the proxy"}')
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        record = Recorded(self.command, self.path, dict(self.headers.items()), body)
        proxy = self.server.proxy
        fault = proxy._take_fault(record)
        record.fault = fault.action if fault else None
        if fault and fault.action == "reset":
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))  # close sends RST
            return
        if fault and fault.action == "status":
            record.status = fault.status
            self._answer(fault.status, b'{"title": "injected fault"}')
            return
        if fault and fault.action == "delay":
            time.sleep(fault.seconds)
        try:
            response = proxy.forward(record)
            if fault and fault.action == "duplicate":
                response = proxy.forward(record)
        except requests.RequestException:
            record.status = 502
            self._answer(502, b'{"title": "upstream unreachable"}')
            return
        if fault and fault.action == "after":
            record.status = fault.status
            self._answer(fault.status, b'{"title": "injected fault after forwarding"}')
            return
        record.status = response.status_code
        headers = {k: v for k, v in response.headers.items() if k.lower() not in HOP_BY_HOP}
        self._answer(response.status_code, response.content, headers)

    def _answer(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for key, value in (headers or {"Content-Type": "application/json"}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_PUT = do_POST = do_PATCH = do_DELETE = do_HEAD = _handle


def mtls_server_context(server_pem: str, server_key: str, ca_pem: str) -> ssl.SSLContext:
    """A server context that demands a client certificate from the test CA, as B does."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(server_pem, server_key)
    context.load_verify_locations(cafile=ca_pem)
    context.verify_mode = ssl.CERT_REQUIRED
    return context
