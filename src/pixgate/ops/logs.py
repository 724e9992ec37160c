"""Structured logs: one JSON object per line, carrying the request id of the request being served.

A log shipper (journald, Loki, CloudWatch, Elasticsearch) reads these lines without parsing
rules; `request_id` ties every line of one request together, across nginx and pixgate.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import IO, Any

# Attributes every LogRecord has; anything else on a record came from `extra=` and is logged.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message", "asctime", "taskName",
}


def current_request_id() -> str | None:
    """The id of the HTTP request (or Socket.IO session) this greenlet/thread is serving."""
    from flask import g, has_request_context, request

    if not has_request_context():
        return None
    request_id = g.get("request_id")
    if request_id is None:
        sid = getattr(request, "sid", None)  # Flask-SocketIO handlers carry the session id
        return f"sio-{sid}" if sid else None
    return str(request_id)


class JsonFormatter(logging.Formatter):
    """Render a record as one JSON line: time, level, logger, message, request id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        """Serialise the record; values JSON cannot carry are written with str()."""
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
            "pid": record.process,
        }
        request_id = getattr(record, "request_id", None) or current_request_id()
        if request_id:
            entry["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_") and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure(level: str = "INFO", stream: IO[str] | None = None) -> None:
    """Make the root logger write JSON lines to `stream` (stderr), replacing other handlers."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    # The logging HOWTO's documented switch: skip the caller lookup (file, line, function) that
    # these lines never print; under gevent's deep stacks it was a third of a disconnect's cost.
    logging._srcfile = None  # type: ignore[attr-defined]
    # Same HOWTO, same reason: no line prints a thread or process name, and under gevent
    # asking for the current thread's name walks gevent's patched threading on every line.
    logging.logThreads = False
    logging.logMultiprocessing = False
    logging.captureWarnings(True)  # warnings (e.g. gevent's MonkeyPatchWarning) become lines too
