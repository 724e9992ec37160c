"""JSON log lines: parseable, with the request id of the request being served."""

from __future__ import annotations

import io
import json
import logging
import secrets

from flask import Flask, g

from pixgate.ops import logs
from pixgate.ops.request_ids import incoming_or_new


def _record(message: str, *args: object, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("pixgate.test", logging.WARNING, __file__, 1, message, args, None)
    record.__dict__.update(extra)
    return record


def test_a_record_becomes_one_json_object_with_its_extras() -> None:
    amount = secrets.randbelow(10**6)
    line = logs.JsonFormatter().format(_record("paid %s cents", amount, charge_id=amount))
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["msg"] == f"paid {amount} cents"
    assert entry["level"] == "WARNING" and entry["logger"] == "pixgate.test"
    assert entry["charge_id"] == amount and entry["ts"].endswith("+00:00")
    assert "request_id" not in entry  # outside a request there is none to report


def test_inside_a_request_the_line_carries_its_id() -> None:
    app = Flask(__name__)
    request_id = secrets.token_hex(8)
    with app.test_request_context("/"):
        g.request_id = request_id
        entry = json.loads(logs.JsonFormatter().format(_record("hello")))
    assert entry["request_id"] == request_id


def test_exceptions_are_kept_inside_the_json_line() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = _record("failed")
        record.exc_info = sys.exc_info()
    entry = json.loads(logs.JsonFormatter().format(record))
    assert "ValueError: boom" in entry["exc"]


def test_values_json_cannot_carry_are_written_as_text() -> None:
    entry = json.loads(logs.JsonFormatter().format(_record("x", thing=object())))
    assert entry["thing"].startswith("<object object")


def test_configure_routes_the_root_logger_to_json() -> None:
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    stream = io.StringIO()
    try:
        logs.configure("debug", stream)
        logging.getLogger("pixgate.somewhere").debug("visible %d", 7)
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved_handlers:
            root.addHandler(handler)
        root.setLevel(saved_level)
        logging.captureWarnings(False)
    assert json.loads(stream.getvalue())["msg"] == "visible 7"


def test_incoming_request_ids_are_kept_only_when_plain() -> None:
    plain = f"req-{secrets.token_hex(4)}:1.2"
    assert incoming_or_new(plain) == plain
    for bad in (None, "", "a b", "x" * 129, "id\nforged-line", "\u00e9"):
        minted = incoming_or_new(bad)
        assert minted != bad and len(minted) == 32
