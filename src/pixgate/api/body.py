"""Strict JSON bodies: numbers become Decimal, NaN/Infinity and non-objects are refused."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from flask import request

from pixgate.charges.errors import ChargeError


class BadRequest(ChargeError):
    """The body is not the JSON object the endpoint reads."""

    status = 400
    title = "Bad request"
    code = "bad_request"


def _no_constants(name: str) -> Any:
    raise BadRequest(f"{name} is not a valid JSON number")


class UnsupportedMediaType(ChargeError):
    """A JSON route got another media type (what a cross-site HTML form can send)."""

    status = 415
    title = "Unsupported media type"
    code = "unsupported_media_type"


def json_object() -> dict[str, Any]:
    """Parse the request body as a JSON object, exactly (no float rounding, no NaN)."""
    raw = request.get_data(cache=True)
    if not raw:
        raise BadRequest("the request body must be a JSON object, e.g. {\"value\": 100.00}")
    if request.mimetype != "application/json":
        shown = request.mimetype or "no Content-Type"
        raise UnsupportedMediaType(f"send Content-Type: application/json (got {shown[:60]})")
    try:
        body = json.loads(
            raw.decode("utf-8"),
            parse_float=Decimal,
            parse_int=Decimal,
            parse_constant=_no_constants,
        )
    except UnicodeDecodeError:
        raise BadRequest("the request body must be UTF-8 encoded JSON") from None
    except (ValueError, RecursionError) as exc:
        if isinstance(exc, BadRequest):
            raise
        raise BadRequest(f"the request body is not valid JSON: {str(exc)[:120]}") from None
    if not isinstance(body, dict):
        raise BadRequest(f"the request body must be a JSON object, not {_kind(body)}")
    return body


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    return "a number" if isinstance(value, Decimal) else type(value).__name__


class StreamedBodyLimit:
    """WSGI middleware: a chunked body is read up to the limit, so one over it gets 413.

    Werkzeug only caps a streamed body by cutting it at MAX_CONTENT_LENGTH, which would accept
    the first 64 KiB of a larger one. Reading at most limit + 1 bytes here and stating that
    length lets Werkzeug refuse it exactly as it refuses a Content-Length over the limit.
    """

    def __init__(self, app: Callable[..., Iterable[bytes]], limit: int) -> None:
        self.app = app
        self.limit = limit

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and environ.get("wsgi.input_terminated"):
            stream, data = environ["wsgi.input"], bytearray()
            while len(data) <= self.limit:
                chunk = stream.read(min(65536, self.limit + 1 - len(data)))
                if not chunk:
                    break
                data.extend(chunk)
            environ["wsgi.input"] = io.BytesIO(bytes(data))
            environ["CONTENT_LENGTH"] = str(len(data))
            del environ["HTTP_TRANSFER_ENCODING"]
        return self.app(environ, start_response)
