"""Strict JSON bodies: numbers become Decimal, NaN/Infinity and non-objects are refused."""

from __future__ import annotations

import json
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


def json_object() -> dict[str, Any]:
    """Parse the request body as a JSON object, exactly (no float rounding, no NaN)."""
    raw = request.get_data(cache=True)
    if not raw:
        raise BadRequest("the request body must be a JSON object, e.g. {\"value\": 100.00}")
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
