"""Amounts: exact Decimal in, exact Decimal out, every bad value named."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pixgate.charges.errors import InvalidInput
from pixgate.charges.money import cents_to_decimal, decimal_to_cents, parse_amount


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(Decimal("100.00"), "100.00"), (Decimal("12345.67"), "12345.67"), (7, "7.00"),
     ("0.01", "0.01"), (Decimal("9999999999.99"), "9999999999.99"), (" 5.5 ", "5.50")],
)
def test_good_amounts(raw: object, expected: str) -> None:
    assert str(parse_amount(raw)) == expected


@pytest.mark.parametrize(
    "raw",
    [None, True, False, 0, -1, Decimal("-0.01"), Decimal("0.001"), Decimal("NaN"),
     Decimal("Infinity"), Decimal("1e308"), Decimal("10000000000.00"), "abc", "", [], {}, 1.5],
)
def test_bad_amounts_name_the_field(raw: object) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_amount(raw, field="valor")
    assert info.value.field == "valor"


@given(st.integers(min_value=1, max_value=999_999_999_999))
def test_cents_round_trip_exactly(cents: int) -> None:
    assert decimal_to_cents(cents_to_decimal(cents)) == cents
    assert parse_amount(str(cents_to_decimal(cents))) == cents_to_decimal(cents)
