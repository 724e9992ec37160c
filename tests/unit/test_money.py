"""Amounts: exact Decimal in, exact Decimal out, every bad value named, nothing ever rounded."""

from __future__ import annotations

import re
from decimal import Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pixgate.charges.errors import InvalidInput
from pixgate.charges.money import (
    MAX_AMOUNT,
    VALOR,
    cents_to_decimal,
    decimal_to_cents,
    parse_amount,
    parse_typed,
    parse_valor,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(Decimal("100.00"), "100.00"), (Decimal("12345.67"), "12345.67"), (7, "7.00"),
     ("0.01", "0.01"), (Decimal("9999999999.99"), "9999999999.99"), (Decimal("5.5"), "5.50"),
     (Decimal("100.000000000000000000000000000000000"), "100.00"), (Decimal("1E+2"), "100.00")],
)
def test_good_amounts(raw: object, expected: str) -> None:
    assert str(parse_amount(raw)) == expected


@pytest.mark.parametrize(
    "raw",
    [None, True, False, 0, -1, Decimal("-0.01"), Decimal("0.001"), Decimal("NaN"),
     Decimal("Infinity"), Decimal("1e308"), Decimal("10000000000.00"), "abc", "", [], {}, 1.5,
     " 5.50 ", "5.5", "100", "1e3", "+1.00", "-1.00", "1.000", "01234567890.00"],
)
def test_bad_amounts_name_the_field(raw: object) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_amount(raw, field="valor")
    assert info.value.field == "valor"


@pytest.mark.parametrize(
    "raw",
    ["100.0000000000000000000000000001", "0.0099999999999999999999999999999",
     "99.99" + "0" * 200 + "1", "1" + "0" * 9 + "." + "0" * 60 + "1", "0.01" + "0" * 5000 + "1"],
)
def test_more_than_two_places_is_refused_at_any_precision(raw: str) -> None:
    # A 28-digit context used to round these to 100.00 and 0.01.
    with pytest.raises(InvalidInput, match="two decimal places"):
        parse_amount(Decimal(raw))
    with localcontext() as context:
        context.prec = 3  # the caller's context must not matter either
        with pytest.raises(InvalidInput):
            parse_amount(Decimal(raw))


def test_a_tiny_context_precision_changes_nothing() -> None:
    with localcontext() as context:
        context.prec = 2
        assert str(parse_amount(Decimal("9999999999.99"))) == "9999999999.99"
        assert decimal_to_cents(Decimal("9999999999.99")) == 999999999999
        assert str(cents_to_decimal(999999999999)) == "9999999999.99"


@given(st.integers(min_value=1, max_value=999_999_999_999))
def test_cents_round_trip_exactly(cents: int) -> None:
    assert decimal_to_cents(cents_to_decimal(cents)) == cents
    assert parse_amount(str(cents_to_decimal(cents))) == cents_to_decimal(cents)
    assert parse_valor(str(cents_to_decimal(cents))) == cents_to_decimal(cents)


def _exactly_ok(value: Decimal) -> bool:
    """The property's oracle, from integers only: ≤ 2 places, 0 < value ≤ MAX."""
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):
        return False
    magnitude = int("".join(map(str, digits)) or "0")
    numerator, denominator = (magnitude * 10**exponent, 1) if exponent >= 0 else (
        magnitude, 10**-exponent)
    in_cents = numerator * 100
    return (not sign and magnitude > 0 and in_cents % denominator == 0
            and in_cents // denominator <= 999_999_999_999)


ANY_DECIMAL = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True),
    st.builds(lambda d, e: Decimal(f"{d}E{e}"), st.integers(-10**40, 10**40),
              st.integers(-60, 20)),
    st.builds(lambda c, z: Decimal(f"{c}.{'0' * z}") if c % 100 else Decimal(c),
              st.integers(0, 10**13), st.integers(0, 40)),
    st.builds(lambda c, extra: cents_to_decimal(c) + Decimal(extra).scaleb(-40),
              st.integers(1, 10**12), st.integers(-9, 9)),
)


@given(ANY_DECIMAL)
def test_fuzz_accepted_iff_exact_two_places_and_in_range(value: Decimal) -> None:
    try:
        parsed = parse_amount(value)
    except InvalidInput:
        assert not _exactly_ok(value)
    else:
        assert _exactly_ok(value)
        assert parsed == value and parsed.as_tuple().exponent == -2
        assert decimal_to_cents(parsed) == int(parsed.scaleb(2))


@given(st.one_of(st.text(max_size=80), st.from_regex(r"-?\d{0,14}(\.\d{0,40})?([eE]-?\d{1,3})?",
                                                   fullmatch=True)))
def test_fuzz_text_is_accepted_only_in_bcb_form(raw: str) -> None:
    try:
        parsed = parse_amount(raw)
    except InvalidInput:
        assert not (VALOR.fullmatch(raw) and _exactly_ok(Decimal(raw)))
    else:
        assert VALOR.fullmatch(raw) and parsed == Decimal(raw)


@given(st.recursive(st.none() | st.booleans() | st.floats() | st.integers() | st.text()
                    | st.decimals(), lambda inner: st.lists(inner) | st.dictionaries(st.text(),
                                                                                      inner)))
def test_fuzz_any_json_value_is_a_decimal_or_invalid_input(raw: object) -> None:
    try:
        parsed = parse_amount(raw)
    except InvalidInput as exc:
        assert exc.status == 422
    else:
        assert isinstance(parsed, Decimal) and 0 < parsed <= MAX_AMOUNT


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("10,50", "10.50"), ("10,5", "10.50"), ("10", "10.00"), ("10.50", "10.50"),
     ("R$ 1.234,56", "1234.56"), ("1.234.567,89", "1234567.89"), (" 0,01 ", "0.01")],
)
def test_typed_amounts(typed: str, expected: str) -> None:
    assert str(parse_typed(typed)) == expected


@pytest.mark.parametrize("typed", ["", "abc", "NaN", "Infinity", "1,2,3", "1.234", "10,505",
                                   "10.505", "-1", "0", "0,00", "1e3", None, "99999999999"])
def test_unreadable_typed_amounts_are_invalid(typed: object) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_typed(typed)
    assert info.value.field == "valor"


def test_there_is_one_valor_regex_in_the_source() -> None:
    from pathlib import Path

    import pixgate

    root = Path(pixgate.__file__).parent
    hits = [str(p.relative_to(root)) for p in root.rglob("*.py")
            if re.search(r"\\d\{1,10\}\\\.\\d\{2\}", p.read_text("utf-8"))]
    assert hits == ["charges/money.py"], hits
