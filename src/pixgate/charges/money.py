"""Money is Decimal in code and integer centavos in the database; never float.

This is the one parser every edge uses (seed API, /v2, webhooks in, sandbox, CLI, dashboard
form, refunds): nothing here rounds, so an amount is either exact to the centavo or refused.
"""

from __future__ import annotations

import re
from decimal import MAX_EMAX, MIN_EMIN, ROUND_DOWN, Context, Decimal
from typing import Any

from pixgate.charges.errors import InvalidInput

CENT = Decimal("0.01")
# For moving the decimal point only, whatever the caller's context: 40 digits hold any BIGINT
# and any amount exactly, and digits beyond them (past the centavo) are cut, never rounded up.
_SHIFT = Context(prec=40, rounding=ROUND_DOWN, Emax=MAX_EMAX, Emin=MIN_EMIN)
VALOR = re.compile(r"\d{1,10}\.\d{2}")  # BCB's `valor`: the one textual form of an amount
MAX_AMOUNT = Decimal("9999999999.99")  # 13 characters: the BR Code field 54 limit
# A person's typing: `1.234,56` (grouped, so the comma is required) or `10`, `10,5`, `10.50`.
TYPED = re.compile(r"(?:R\$\s*)?(?:(?P<grouped>\d{1,3}(?:\.\d{3})+),(?P<grouped_cents>\d{1,2})"
                   r"|(?P<units>\d{1,13})(?:[.,](?P<cents>\d{1,2}))?)")


def parse_amount(raw: Any, *, field: str = "value") -> Decimal:
    """A client's amount (JSON number, integer or BCB `valor` string) as an exact Decimal."""
    if isinstance(raw, bool) or raw is None:
        raise InvalidInput(field, "must be a number such as 100.00")
    if isinstance(raw, float):
        raise InvalidInput(field, "must be parsed as an exact decimal, not a float")
    if isinstance(raw, str):
        return parse_valor(raw, field=field)
    if isinstance(raw, int):
        return check_amount(Decimal(raw), field=field)
    if isinstance(raw, Decimal):
        return check_amount(raw, field=field)
    raise InvalidInput(field, "must be a number such as 100.00")


def parse_valor(raw: Any, *, field: str = "valor") -> Decimal:
    """BCB's `valor` string (`\\d{1,10}\\.\\d{2}`), as /v2, webhooks and the sandbox send it."""
    if not isinstance(raw, str) or not VALOR.fullmatch(raw):
        shown = f"{raw[:40]!r} is not" if isinstance(raw, str) else "must be"
        raise InvalidInput(field, f"{shown} a string of digits with two decimals, like \"10.00\"")
    return check_amount(Decimal(raw), field=field)


def parse_typed(raw: Any, *, field: str = "valor") -> Decimal:
    """What a person types in a form (`10,50`, `1.234,56`, `R$ 10`, `10.5`), exactly."""
    match = TYPED.fullmatch(raw.strip()) if isinstance(raw, str) else None
    if match is None:
        raise InvalidInput(field, "type an amount such as 10,50")
    units = (match["grouped"] or match["units"]).replace(".", "")
    cents = (match["grouped_cents"] or match["cents"] or "").ljust(2, "0")
    return check_amount(Decimal(f"{units}.{cents}"), field=field)


def check_amount(value: Decimal, *, field: str = "value") -> Decimal:
    """Bounds and precision, exactly: positive, at most two decimals, fits a BR Code."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise InvalidInput(field, "must be a finite number")
    if value <= 0:  # comparisons are exact whatever the context's precision
        raise InvalidInput(field, "must be greater than zero")
    if value > MAX_AMOUNT:
        raise InvalidInput(field, f"must be at most {MAX_AMOUNT}")
    if not _at_most_two_places(value):
        raise InvalidInput(field, "must have at most two decimal places")
    return cents_to_decimal(decimal_to_cents(value))


def _at_most_two_places(value: Decimal) -> bool:
    # From the digits themselves, not normalize()/quantize(), which round to the context.
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    extra = -exponent - 2
    return extra <= 0 or not any(digits[-extra:])


def decimal_to_cents(value: Decimal) -> int:
    """Exact conversion for storage; callers have already checked the precision (anything past
    the centavo is cut toward zero)."""
    return int(value.scaleb(2, _SHIFT))  # int() cuts toward zero


def cents_to_decimal(cents: int) -> Decimal:
    """Exact conversion back from storage, always with two places."""
    return Decimal(cents).scaleb(-2, _SHIFT)
