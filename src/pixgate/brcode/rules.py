"""Field rules of the Pix BR Code profile; each check appends Violations to `out`."""

from __future__ import annotations

import re
from decimal import Decimal

from .errors import Violation
from .keys import (
    EMAIL,
    cnpj_check_ok,
    cpf_check_ok,
    detect_kind,
    email_problem,
    normalize_key,
    phone_problem,
)

PIX_GUI = "br.gov.bcb.pix"
CENT = Decimal("0.01")
AMOUNT_CANONICAL = re.compile(r"(?:0|[1-9][0-9]*)\.[0-9]{2}")
AMOUNT_NUMERIC = re.compile(r"[0-9]+(?:\.[0-9]{0,2})?|\.[0-9]{1,2}")
URL_SHAPE = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::[0-9]{1,5})?/[!-~]+")
FSS_SHAPE = re.compile(r"[0-9A-Z]{8}")


def text_rule(out: list[Violation], field: str, value: str, limit: int) -> None:
    """Name, city, infoAdicional: 1..limit printable ASCII characters."""
    if 0 < len(value) <= limit and value.isascii() and value.isprintable():
        return
    if not value:
        out.append(Violation(field, "min_length", value, "must not be empty"))
    elif len(value) > limit:
        out.append(
            Violation(field, "max_length", value, f"{len(value)} characters, at most {limit}")
        )
    if not value.isascii() or not value.isprintable():
        if value.isprintable():
            out.append(
                Violation(
                    field,
                    "non_ascii",
                    value,
                    "holds non-ASCII characters; BR Code text is printable ASCII",
                )
            )
        else:
            out.append(Violation(field, "charset", value, "holds control characters"))


def amount_rule(out: list[Violation], value: str) -> Decimal | None:
    """54: strictly d+.dd, positive, at most 13 characters; returns the parsed amount."""
    field = "54 transaction_amount"
    if len(value) > 13:
        out.append(Violation(field, "max_length", value, "at most 13 characters"))
        return None
    if AMOUNT_CANONICAL.fullmatch(value):
        amount = Decimal(value)
    elif AMOUNT_NUMERIC.fullmatch(value):
        out.append(
            Violation(
                field,
                "amount_format",
                value,
                "not canonical: write the amount with exactly 2 decimals (e.g. '10.00')",
            )
        )
        amount = Decimal(value).quantize(CENT)
    else:
        out.append(
            Violation(field, "amount_invalid", value, "not a decimal amount with <= 2 decimals")
        )
        return None
    if not amount:
        out.append(Violation(field, "amount_zero", value, "the amount must be greater than 0"))
    return amount


def txid_rule(out: list[Violation], value: str) -> None:
    """62-05: '***' or 1..25 characters of [A-Za-z0-9]."""
    field = "62-05 txid"
    if value == "***":
        return
    if not value:
        out.append(Violation(field, "min_length", value, "must not be empty (use '***')"))
    elif len(value) > 25:
        out.append(Violation(field, "max_length", value, f"{len(value)} characters, at most 25"))
    if value.isascii() and value.isalnum():
        return
    if value.isascii() and value.isprintable():
        out.append(Violation(field, "txid_charset", value, "only letters and digits allowed"))
    elif value:
        out.append(Violation(field, "charset", value, "holds non-ASCII or control characters"))


def postal_rule(out: list[Violation], value: str) -> None:
    """61: a CEP of exactly 8 digits."""
    if len(value) == 8 and value.isdigit() and value.isascii():
        return
    if value and value.isascii() and value.isprintable():
        out.append(
            Violation("61 postal_code", "postal_code_format", value, "a CEP is exactly 8 digits")
        )
    else:
        out.append(Violation("61 postal_code", "charset", value, "a CEP is exactly 8 digits"))


def url_rule(out: list[Violation], field: str, value: str) -> None:
    """26-25 / 80-25: host/path without scheme (the payer app prepends https://)."""
    low = value[:8].lower()
    if "://" in value or low.startswith(("http:", "https:")):
        out.append(Violation(field, "url_scheme", value, "must not include the scheme (https://)"))
    elif not value.isascii() or not value.isprintable() or " " in value:
        out.append(Violation(field, "charset", value, "a URL is printable ASCII without spaces"))
    elif URL_SHAPE.fullmatch(value) is None:
        out.append(Violation(field, "url_format", value, "expected host.domain/path (no scheme)"))


def key_rule(out: list[Violation], warnings: list[Violation], field: str, value: str) -> None:
    """26-01 must be canonical; a CPF/CNPJ must have its check digits (no DICT holds it else)."""
    if not value.isascii() or not value.isprintable():
        out.append(Violation(field, "charset", value, "a Pix key is printable ASCII"))
        return
    kind = detect_kind(value)
    if kind is None:
        try:
            canon = normalize_key(value)
        except ValueError as exc:
            message = f"not a Pix key: {getattr(exc, 'reason', exc)}"
        else:
            message = f"not in canonical form; write it as {canon.value!r} ({canon.kind})"
        out.append(Violation(field, "key_format", value, message))
        return
    problem = None
    if kind in ("cpf", "cnpj") and value == value[0] * len(value):
        problem = f"all characters equal: not an issued {kind.upper()}"
    elif kind == "cpf" and not cpf_check_ok(value):
        problem = "CPF check digits do not match"
    elif kind == "cnpj" and not cnpj_check_ok(value):
        problem = "CNPJ check digits do not match"
    elif kind == "phone":
        problem = phone_problem(value)
    elif kind == "email" and EMAIL.fullmatch(value):
        problem = email_problem(value)
    if problem and kind in ("cpf", "cnpj"):
        out.append(Violation(field, "key_check_digits", value, f"{problem}: no payer can pay it"))
    elif problem:
        warnings.append(Violation(field, "key_check", value, problem))


def fss_rule(out: list[Violation], field: str, value: str) -> None:
    """26-03: ISPB of the Pix Saque/Troco facilitator, 8 characters of [0-9A-Z]."""
    if FSS_SHAPE.fullmatch(value) is None:
        out.append(Violation(field, "format", value, "an ISPB is 8 characters of [0-9A-Z]"))


def fixed_rule(out: list[Violation], field: str, value: str | None, expected: str) -> None:
    """Mandatory data object with one allowed value (00=01, 53=986, 58=BR)."""
    if value is None:
        out.append(Violation(field, "required", None, f"missing (must be {expected!r})"))
    elif value != expected:
        out.append(Violation(field, "value", value, f"must be {expected!r}"))
