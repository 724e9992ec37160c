"""A minimal Socket.IO (v5 / Engine.IO v4) client over WebSocket, for gevent load generators.

python-socketio's client runs two threads per connection; thousands of those would measure the
load generator. This one is one greenlet per connection: an RFC 6455 text-frame codec, the
Engine.IO open/ping/pong packets and Socket.IO CONNECT/EVENT/ACK, nothing else.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import struct
import time
from collections import deque
from collections.abc import Callable
from typing import Any

import gevent
from gevent.event import AsyncResult

EventHandler = Callable[["SioClient", str, Any, float], None]


class ProtocolError(Exception):
    """The server answered something a Socket.IO server would not."""


def encode_frame(text: str, opcode: int = 0x1) -> bytes:
    """A final, masked client frame. The mask key is zero: legal, and free to apply."""
    payload = text.encode("utf-8")
    size = len(payload)
    if size < 126:
        header = struct.pack("!BB", 0x80 | opcode, 0x80 | size)
    elif size < 65536:
        header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, size)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, size)
    return header + b"\x00\x00\x00\x00" + payload


class FrameReader:
    """Incremental decoder of server frames (unmasked); yields (opcode, payload)."""

    def __init__(self) -> None:
        self.buffer = b""

    def feed(self, data: bytes) -> list[tuple[int, bytes]]:
        """Add bytes; return every complete frame now available."""
        self.buffer += data
        frames = []
        while True:
            frame = self._one()
            if frame is None:
                return frames
            frames.append(frame)

    def _one(self) -> tuple[int, bytes] | None:
        buf = self.buffer
        if len(buf) < 2:
            return None
        opcode, size, offset = buf[0] & 0x0F, buf[1] & 0x7F, 2
        if size == 126:
            if len(buf) < 4:
                return None
            size, offset = struct.unpack("!H", buf[2:4])[0], 4
        elif size == 127:
            if len(buf) < 10:
                return None
            size, offset = struct.unpack("!Q", buf[2:10])[0], 10
        if buf[1] & 0x80:
            raise ProtocolError("server frames must not be masked")
        if len(buf) < offset + size:
            return None
        self.buffer = buf[offset + size:]
        return opcode, buf[offset:offset + size]


class SioClient:
    """One page: connects with `auth`, answers pings, hands every event to `on_event`."""

    def __init__(self, host: str, port: int, auth: dict[str, Any] | None,
                 on_event: EventHandler, timeout: float = 15.0) -> None:
        self.host, self.port, self.auth = host, port, auth
        self.on_event, self.timeout = on_event, timeout
        self.sock: socket.socket | None = None
        self.reader = FrameReader()
        self.pending: deque[str] = deque()
        self.closed = False
        self.pings = 0
        self.acks: dict[int, AsyncResult] = {}
        self._next_ack = 0
        self._greenlet: gevent.Greenlet | None = None

    def connect(self) -> None:
        """Upgrade, open Engine.IO, join the namespace; returns once the server accepted."""
        sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = sock
        key = base64.b64encode(os.urandom(16)).decode()
        sock.sendall((
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
            f"Host: {self.host}:{self.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = sock.recv(4096)
            if not chunk:
                raise ProtocolError("closed during the upgrade")
            head += chunk
        head, _, rest = head.partition(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 101"):
            raise ProtocolError(head.split(b"\r\n", 1)[0].decode("latin-1"))
        opened = self._next_text(rest)
        if not opened.startswith("0"):
            raise ProtocolError(f"expected an Engine.IO open packet, got {opened[:40]!r}")
        self.send("40" + (json.dumps(self.auth) if self.auth is not None else ""))
        while True:
            packet = self._next_text(b"")
            if packet == "2":
                self.send("3")
            elif packet.startswith("40"):
                break
            elif packet.startswith("44"):
                raise ProtocolError(f"connect refused: {packet[2:200]}")
            else:
                self._dispatch(packet, time.perf_counter())
        sock.settimeout(None)
        now = time.perf_counter()
        while self.pending:  # events that arrived with the CONNECT answer
            self._dispatch(self.pending.popleft(), now)
        self._greenlet = gevent.spawn(self._read_forever)

    def _next_text(self, initial: bytes) -> str:
        """The next text packet of the handshake; frames read together are kept in order."""
        assert self.sock is not None
        if initial:
            self._queue(self.reader.feed(initial))
        while not self.pending:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ProtocolError("closed during the handshake")
            self._queue(self.reader.feed(chunk))
        return self.pending.popleft()

    def _queue(self, frames: list[tuple[int, bytes]]) -> None:
        for opcode, payload in frames:
            if opcode != 0x1:
                raise ProtocolError(f"unexpected opcode {opcode} during the handshake")
            self.pending.append(payload.decode("utf-8"))

    def send(self, text: str) -> None:
        """Send one Engine.IO packet as a text frame."""
        assert self.sock is not None
        self.sock.sendall(encode_frame(text))

    def emit(self, event: str, data: Any, timeout: float = 10.0) -> Any:
        """Emit with an ack and wait for the answer."""
        self._next_ack += 1
        ack_id = self._next_ack
        result = AsyncResult()
        self.acks[ack_id] = result
        self.send(f"42{ack_id}" + json.dumps([event, data]))
        return result.get(timeout=timeout)

    def _read_forever(self) -> None:
        assert self.sock is not None
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    break
                received = time.perf_counter()
                for opcode, payload in self.reader.feed(chunk):
                    if opcode == 0x8:
                        return
                    if opcode == 0x9:
                        self.sock.sendall(encode_frame(payload.decode("latin-1"), 0xA))
                    elif opcode == 0x1:
                        self._dispatch(payload.decode("utf-8"), received)
        except OSError:
            pass
        finally:
            self.closed = True

    def _dispatch(self, packet: str, received: float) -> None:
        if packet == "2":
            self.pings += 1
            self.send("3")
        elif packet.startswith("42"):
            name, *args = json.loads(packet[packet.index("["):])
            self.on_event(self, name, args[0] if args else None, received)
        elif packet.startswith("43"):
            body = packet[2:]
            bracket = body.index("[")
            waiter = self.acks.pop(int(body[:bracket]), None)
            if waiter is not None:
                waiter.set(json.loads(body[bracket:]))
        elif packet.startswith("1") or packet.startswith("41"):
            self.closed = True

    def close(self) -> None:
        """Close the TCP connection (as a browser tab being closed would)."""
        self.closed = True
        if self.sock is not None:
            self.sock.close()
        if self._greenlet is not None:
            self._greenlet.kill(block=False)
