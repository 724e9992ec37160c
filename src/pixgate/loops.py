"""A background loop that runs its work every `interval` seconds, or at once when kicked."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class Loop:
    """Errors are logged and the loop goes on: background work must never die silently."""

    def __init__(self, name: str, work: Callable[[], object], interval: float) -> None:
        self.name = name
        self.work = work
        self.interval = interval
        self.wake = threading.Event()  # gevent's own Event once the stdlib is patched
        self.stopped = False

    def kick(self) -> None:
        """Run the work now instead of at the next tick."""
        self.wake.set()

    def stop(self) -> None:
        """End the loop at its next wake-up."""
        self.stopped = True
        self.wake.set()

    def run(self) -> None:
        """The task body: wait, work, repeat."""
        while not self.stopped:
            self.wake.wait(self.interval)
            self.wake.clear()
            try:
                self.work()
            except Exception:
                log.exception("%s pass failed; retrying at the next tick", self.name)
