"""Capacity client process (gevent): holds many pages open, driven by JSON lines on stdin.

Commands (one JSON object per line; each is answered with one JSON line on stdout):
  {"cmd": "prepare", "n": N}  create N payments to subscribe pages to
  {"cmd": "open", "n": N}     open N more pages (WebSocket, subscribed at connect);
                              "concurrency": C handshakes at once (default 100)
  {"cmd": "status"}           how many pages are still open and answering pings
  {"cmd": "close"}            close every page
  {"cmd": "exit"}
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
from typing import Any

from gevent import monkey
from gevent.fileobject import FileObjectPosix

from bench.pages import create_payments, open_pages
from bench.sio import SioClient


class Holder:
    """The pages this process keeps open, and the payment ids still free to use."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.ids: list[int] = []
        self.pages: list[SioClient] = []
        self.events = 0

    def on_event(self, _page: SioClient, _name: str, _data: Any, _received: float) -> None:
        """Count events; the capacity run only needs pages to stay connected."""
        self.events += 1

    def handle(self, command: dict[str, Any]) -> dict[str, Any]:
        """Run one command and describe the result."""
        name = command.get("cmd")
        if name == "prepare":
            self.ids += [p["id"] for p in create_payments(self.port, int(command["n"]))]
            return {"prepared": len(self.ids)}
        if name == "open":
            wanted, self.ids = self.ids[:int(command["n"])], self.ids[int(command["n"]):]
            pages, failures = open_pages(self.port, wanted, self.on_event,
                                         concurrency=int(command.get("concurrency", 100)))
            self.pages += pages
            return {"opened": len(pages), "failures": failures, "total": len(self.pages)}
        if name == "status":
            alive = [page for page in self.pages if not page.closed]
            return {"alive": len(alive), "closed": len(self.pages) - len(alive),
                    "min_pings": min((p.pings for p in alive), default=0),
                    "events": self.events}
        if name == "close":
            for page in self.pages:
                page.close()
            closed, self.pages = len(self.pages), []
            return {"closed": closed}
        return {"error": f"unknown command {name!r}"}


def main(argv: list[str] | None = None) -> None:
    """Read commands until `exit` or end of input, answering each on stdout."""
    monkey.patch_all()
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # one descriptor per page
    parser = argparse.ArgumentParser(prog="python -m bench.hold_client")
    parser.add_argument("--port", type=int, required=True)
    holder = Holder(parser.parse_args(argv).port)
    stdin = FileObjectPosix(sys.stdin.fileno(), "rb", close=False)  # reads without blocking pings
    for line in stdin:
        command = json.loads(line)
        if command.get("cmd") == "exit":
            break
        try:
            answer = holder.handle(command)
        except Exception as exc:
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
