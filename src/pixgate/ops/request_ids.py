"""Request ids and the access log: every request gets an id, echoed as `X-Request-Id`.

An id sent by the proxy (nginx's `$request_id`, see deploy/nginx.conf) is kept when it is
short and plain, so one id follows the request from the edge to pixgate's log lines.
"""

from __future__ import annotations

import logging
import re
import secrets
import time

from flask import Flask, Response, g, request

from pixgate.ops.metrics import route_label

HEADER = "X-Request-Id"
_ACCEPTABLE = re.compile(r"[A-Za-z0-9._:-]{1,128}")
QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})  # probes and scrapes: DEBUG only

access_log = logging.getLogger("pixgate.access")


def incoming_or_new(value: str | None) -> str:
    """Keep a well-formed incoming id; otherwise mint one (never log an attacker's bytes)."""
    if value and _ACCEPTABLE.fullmatch(value):
        return value
    return secrets.token_hex(16)  # 128 random bits as 32 hex digits, without a UUID object


def init_app(app: Flask) -> None:
    """Assign the id before the view runs, echo it and write one access line after."""

    @app.before_request
    def _assign() -> None:
        g.request_id = incoming_or_new(request.headers.get(HEADER))

    @app.after_request
    def _echo_and_log(response: Response) -> Response:
        request_id = g.get("request_id")
        if request_id is None:
            return response
        response.headers[HEADER] = request_id
        served = request._get_current_object()  # type: ignore[attr-defined] # one proxy lookup
        path, method, status = served.path, served.method, response.status_code
        level = logging.DEBUG if path in QUIET_PATHS else logging.INFO
        if access_log.isEnabledFor(level):
            started = g.get("ops_started")
            elapsed_ms = (time.perf_counter() - started) * 1000 if started is not None else None
            access_log.log(
                level, "%s %s %s", method, path, status,
                extra={"method": method, "path": path,
                       "route": route_label(), "status": status,
                       "duration_ms": round(elapsed_ms, 2) if elapsed_ms is not None else None,
                       "request_id": request_id},
            )
        return response
