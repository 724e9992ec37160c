"""Money is Decimal in code and integer centavos in the database; never float."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from pixgate.charges.errors import InvalidInput

CENT = Decimal("0.01")
PLAIN_DECIMAL = re.compile(r"-?\d{1,15}(\.\d{1,15})?")
MAX_AMOUNT = Decimal("9999999999.99")  # 13 characters: the BR Code field 54 limit


def parse_amount(raw: Any, *, field: str = "value") -> Decimal:
    """Turn a client's amount into an exact Decimal or say precisely what is wrong with it."""
    if isinstance(raw, bool) or raw is None:
        raise InvalidInput(field, "must be a number such as 100.00")
    if isinstance(raw, float):
        raise InvalidInput(field, "must be parsed as an exact decimal, not a float")
    if isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, str):
        if not PLAIN_DECIMAL.fullmatch(raw.strip()):
            raise InvalidInput(field, f"{raw[:40]!r} is not a plain decimal such as 100.00")
        try:
            value = Decimal(raw.strip())
        except (InvalidOperation, ValueError):
            raise InvalidInput(field, f"{raw[:40]!r} is not a number") from None
    else:
        raise InvalidInput(field, "must be a number such as 100.00")
    return check_amount(value, field=field)


def check_amount(value: Decimal, *, field: str = "value") -> Decimal:
    """Bounds and precision: positive, at most two decimals, fits a BR Code."""
    if not value.is_finite():
        raise InvalidInput(field, "must be a finite number")
    if value <= 0:
        raise InvalidInput(field, "must be greater than zero")
    if value > MAX_AMOUNT:
        raise InvalidInput(field, f"must be at most {MAX_AMOUNT}")
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise InvalidInput(field, "must have at most two decimal places")
    return value.quantize(CENT)


def decimal_to_cents(value: Decimal) -> int:
    """Exact conversion for storage; callers have already checked the precision."""
    return int((value * 100).to_integral_value())


def cents_to_decimal(cents: int) -> Decimal:
    """Exact conversion back from storage, always with two places."""
    return (Decimal(cents) / 100).quantize(CENT)
