"""Encoder inputs: turn caller values into canonical field values, or raise naming the field."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Context, Decimal, InvalidOperation
from typing import Any

from .errors import BRCodeError, KeyFormatError, ValidationError, fail
from .keys import normalize_key
from .rules import URL_SHAPE
from .text import describe, first_bad_char, fold_ascii

CENT = Decimal("0.01")
MONEY = Context(prec=60, traps=[InvalidOperation])  # independent of the caller's context
MAX_TEXT_INPUT = 1000


def _type_error(field: str, param: str, value: object) -> None:
    fail(field, "type", f"expected str, got {type(value).__name__}", None, param)


def text(value: object, field: str, param: str, limit: int, truncate: bool) -> str:
    """Fold to printable ASCII, strip, enforce 1..limit characters (or cut when truncating)."""
    if not isinstance(value, str):
        _type_error(field, param, value)
    assert isinstance(value, str)
    if len(value) > MAX_TEXT_INPUT:
        if not truncate:
            fail(field, "max_length", f"{len(value)} characters, at most {limit}", value, param)
        value = value[:MAX_TEXT_INPUT]
    result = fold_ascii(value).strip()
    if not (result.isascii() and result.isprintable()):
        bad = describe(first_bad_char(result))
        fail(field, "charset", f"{bad} has no ASCII form; use plain letters", value, param)
    if not result:
        fail(field, "min_length", "must not be empty", value, param)
    if len(result) > limit:
        if not truncate:
            fail(field, "max_length", f"{len(result)} characters, at most {limit}", value, param)
        result = result[:limit].rstrip()
    return result


def amount(value: object) -> str | None:
    """Decimal (or int / decimal string) -> 'd+.dd': positive, <= 2 decimals, <= 13 chars."""
    field = "54 transaction_amount"
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        kind = type(value).__name__
        fail(field, "type", f"pass a Decimal, not {kind}: money must be exact", None, "amount")
    if isinstance(value, str) and len(value.strip()) > 64:
        fail(field, "amount_invalid", "not a decimal amount of at most 13 characters", None,
             "amount")
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except (ArithmeticError, ValueError):
        fail(field, "amount_invalid", "not a decimal number", value, "amount")
    if not number.is_finite():
        fail(field, "amount_invalid", "must be a finite number", value, "amount")
    if number <= 0:
        rule = "amount_negative" if number else "amount_zero"
        fail(field, rule, "must be greater than 0", value, "amount")
    try:
        cents = number.quantize(CENT, context=MONEY)
    except ArithmeticError:
        fail(field, "max_length", "amount too large", value, "amount")
    if cents != number:
        fail(field, "amount_decimals", "at most 2 decimal places", value, "amount")
    result = f"{cents:f}"
    if len(result) > 13:
        fail(field, "max_length", f"{result} has {len(result)} characters, at most 13", value)
    return result


def txid(value: object) -> str:
    """'***' (no reconciliation id) or 1-25 of [A-Za-z0-9]; never truncated."""
    field = "62-05 txid"
    if value is None or value == "***":
        return "***"
    if not isinstance(value, str):
        _type_error(field, "txid", value)
    assert isinstance(value, str)
    if not value or len(value) > 25:
        rule = "max_length" if value else "min_length"
        fail(field, rule, "a static txid is '***' or 1-25 letters/digits", value, "txid")
    if not (value.isascii() and value.isalnum()):
        fail(field, "txid_charset", "only letters A-Z, a-z and digits 0-9", value, "txid")
    return value


def postal_code(value: object) -> str | None:
    """CEP: 8 digits; the usual '01310-100' mask is accepted."""
    field = "61 postal_code"
    if value is None:
        return None
    if not isinstance(value, str):
        _type_error(field, "postal_code", value)
    assert isinstance(value, str)
    cep = value.strip().replace("-", "").replace(".", "")
    if not (len(cep) == 8 and cep.isdigit() and cep.isascii()):
        fail(field, "postal_code_format", "a CEP is 8 digits", value, "postal_code")
    return cep


def flag(value: object, param: str, allow_none: bool) -> bool | None:
    """Booleans are booleans: 'yes', 1 or None (where not allowed) are refused."""
    if value is None and allow_none:
        return None
    if not isinstance(value, bool):
        field = "01 point_of_initiation_method" if param == "reusable" else param
        fail(field, "type", f"{param} must be True or False", None, param)
    return value


def url(value: object) -> str:
    """26-25 location: host.domain/path, no scheme, <= 77 printable ASCII characters."""
    field = "26-25 url"
    if not isinstance(value, str):
        _type_error(field, "url", value)
    assert isinstance(value, str)
    if "://" in value or value[:6].lower() in ("http:/", "https:"):
        fail(field, "url_scheme", "give the location without https://", value, "url")
    if len(value) > 77:
        fail(field, "max_length", f"{len(value)} characters, at most 77", value, "url")
    if not (value.isascii() and value.isprintable()) or not URL_SHAPE.fullmatch(value):
        fail(field, "url_format", "expected host.domain/path in printable ASCII", value, "url")
    return value


def pix_key(value: object) -> str:
    """normalize_key, with the error relabelled to the BR Code field 26-01."""
    try:
        return normalize_key(value).value  # type: ignore[arg-type]
    except KeyFormatError as exc:
        raise KeyFormatError(
            "26-01 pix_key", exc.reason, exc.value, rule="key_format", param="key"
        ) from None


def info(value: object, key: str | None, truncate: bool) -> str | None:
    """infoAdicional (26-02): blank means absent; room is 73 - len(key) (template 26 <= 99)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    room = max(73 - len(key or ""), 0)
    return text(value, "26-02 info_adicional", "info", room, truncate) or None


class Collector:
    """Run each input check, keep every failure, then raise once with all violations."""

    def __init__(self) -> None:
        self.errors: list[BRCodeError] = []

    def __call__(self, check: Callable[..., Any], *args: Any) -> Any:
        try:
            return check(*args)
        except BRCodeError as exc:
            self.errors.append(exc)
            return None

    def raise_if_any(self) -> None:
        if not self.errors:
            return
        first = self.errors[0]
        if len(self.errors) == 1:
            raise first
        violations = [v for exc in self.errors for v in exc.violations]
        raise ValidationError(
            first.field, first.reason, first.value, violations, rule=first.rule, param=first.param
        )
