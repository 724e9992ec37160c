"""A lean keep-alive HTTP/1.1 client for gevent load generators: raw sockets, no parsing frills.

python-requests spends about a millisecond of CPU per call, which on a 2-core box would be
measured as server latency; this client spends tens of microseconds.
"""

from __future__ import annotations

import socket


class HttpError(Exception):
    """The server closed the connection or answered something this client cannot read."""


class Connection:
    """One persistent connection; `request` sends and reads one full response."""

    def __init__(self, host: str, port: int, timeout: float = 10.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.sock: socket.socket | None = None
        self.buffer = b""

    def _connect(self) -> socket.socket:
        sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock, self.buffer = sock, b""
        return sock

    def close(self) -> None:
        """Drop the socket; the next request reconnects."""
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        """Send one request and return (status, body); reconnects once if the server closed."""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        if body or method in ("POST", "PUT"):
            lines.append(f"Content-Length: {len(body)}")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        for attempt in (1, 2):
            sock = self.sock or self._connect()
            try:
                sock.sendall(raw)
                return self._read_response()
            except (OSError, HttpError):
                self.close()
                if attempt == 2:
                    raise
        raise HttpError("unreachable")

    def _read_until(self, marker: bytes) -> bytes:
        assert self.sock is not None
        while marker not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise HttpError("connection closed by the server")
            self.buffer += chunk
        head, _, self.buffer = self.buffer.partition(marker)
        return head

    def _read_exactly(self, size: int) -> bytes:
        assert self.sock is not None
        while len(self.buffer) < size:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise HttpError("connection closed by the server")
            self.buffer += chunk
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def _read_response(self) -> tuple[int, bytes]:
        head = self._read_until(b"\r\n\r\n").decode("latin-1")
        status_line, *header_lines = head.split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        length, close = 0, False
        for line in header_lines:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "connection" and value.strip().lower() == "close":
                close = True
            elif name == "transfer-encoding":
                raise HttpError("chunked responses are not expected from pixgate")
        body = self._read_exactly(length)
        if close:
            self.close()
        return status, body
