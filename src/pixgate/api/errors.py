"""Every error leaves as JSON (problem+json, plus the legacy `message`): no HTML, no traceback."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify, request
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from pixgate.charges.errors import ChargeError
from pixgate.extensions import db

log = logging.getLogger(__name__)


def problem(status: int, title: str, detail: str, **extra: Any) -> Response:
    """An RFC 7807 body; `message` keeps the seed's clients reading errors as before."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    body["message"] = detail
    body.update({k: v for k, v in extra.items() if v is not None})
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def register(app: Flask) -> None:
    """Install the handlers on the app."""

    @app.errorhandler(ChargeError)
    def _charge_error(exc: ChargeError) -> Response:
        db.session.rollback()
        return problem(exc.status, exc.title, exc.detail, field=exc.field, code=exc.code)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        detail = exc.description or exc.name
        if status == 413:
            detail = f"the request body is larger than {app.config['MAX_CONTENT_LENGTH']} bytes"
        if status == 404:
            detail = f"nothing at {request.path}"
        return problem(status, exc.name, detail)

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def _database_down(exc: Exception) -> Response:
        _rollback_quietly()
        log.warning("database unavailable: %s", str(exc).splitlines()[0][:200])
        return problem(503, "Service unavailable", "the database is unreachable; retry shortly")

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        _rollback_quietly()
        log.exception("unhandled error on %s %s", request.method, request.path)
        return problem(500, "Internal server error", "an unexpected error occurred; it was logged")


def _rollback_quietly() -> None:
    # The connection may be the thing that failed; the pool discards it either way.
    try:
        db.session.rollback()
    except Exception:
        log.debug("rollback after failure also failed", exc_info=True)
