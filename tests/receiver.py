"""A real HTTP server that records webhook calls, for tests that need a merchant endpoint."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Call:
    """One request the receiver got."""

    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Records calls; answers `status` (a list is consumed one per call, then 200)."""

    server: ThreadingHTTPServer
    calls: list[Call] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def wait_for(self, n: int, timeout: float) -> bool:
        """Block until at least n calls arrived (or timeout)."""
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.calls) >= n, timeout=timeout)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_receiver() -> Receiver:
    """Serve on a free loopback port in a daemon thread."""
    holder: dict[str, Receiver] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            receiver = holder["r"]
            length = int(self.headers.get("Content-Length", "0"))
            call = Call(self.path, dict(self.headers.items()), self.rfile.read(length))
            with receiver.lock:
                status = receiver.statuses.pop(0) if receiver.statuses else 200
            self.send_response(status)
            self.end_headers()
            if status < 300:
                with receiver.arrived:
                    receiver.calls.append(call)
                    receiver.arrived.notify_all()

        def log_message(self, *_args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    holder["r"] = receiver = Receiver(server=server)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receiver
