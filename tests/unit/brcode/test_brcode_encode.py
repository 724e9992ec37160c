"""Encoders: canonical output, every limit, every refusal is a BRCodeError naming the field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from pixgate.brcode import (
    BRCodeError,
    KeyFormatError,
    ValidationError,
    decode,
    encode_dynamic,
    encode_static,
)

EVP = "123e4567-e12b-12d1-a456-426655440000"


def static(**kwargs: Any) -> str:
    args: dict[str, Any] = {"key": EVP, "name": "Fulano de Tal", "city": "BRASILIA"}
    args.update(kwargs)
    return encode_static(**args)


def dynamic(**kwargs: Any) -> str:
    args: dict[str, Any] = {"url": "pix.example.com/qr/v2/abc", "name": "Loja", "city": "Recife"}
    args.update(kwargs)
    return encode_dynamic(**args)


def error_of(func: Any, **kwargs: Any) -> BRCodeError:
    with pytest.raises(BRCodeError) as info:
        func(**kwargs)
    return info.value


def test_golden_static(golden: str) -> None:
    assert static() == golden


def test_golden_dynamic(dynamic_code: str) -> None:
    url = "pix.example.com/8b3da2f39a4140d1a91abd93113bd441"
    assert encode_dynamic(url=url, name="Fulano de Tal", city="BRASILIA") == dynamic_code


def test_field_order_and_optional_fields() -> None:
    code = static(
        amount=Decimal("1234.5"),
        txid="PEDIDO42",
        info="Pedido 42",
        postal_code="01310-100",
        reusable=True,
    )
    brcode = decode(code)
    assert brcode.field_order == (
        "00",
        "01",
        "26",
        "52",
        "53",
        "54",
        "58",
        "59",
        "60",
        "61",
        "62",
        "63",
    )
    assert brcode.transaction_amount == "1234.50"
    assert brcode.amount == Decimal("1234.50")
    assert brcode.point_of_initiation_method == "11"
    assert brcode.postal_code == "01310100"
    assert brcode.txid == "PEDIDO42"
    assert brcode.info_adicional == "Pedido 42"
    assert brcode.fields["26"] == {"00": "br.gov.bcb.pix", "01": EVP, "02": "Pedido 42"}


@pytest.mark.parametrize(("reusable", "poi"), [(None, None), (True, "11"), (False, "12")])
def test_point_of_initiation(reusable: bool | None, poi: str | None) -> None:
    assert decode(static(reusable=reusable)).point_of_initiation_method == poi


def test_dynamic_defaults_to_single_use() -> None:
    brcode = decode(dynamic())
    assert brcode.point_of_initiation_method == "12"
    assert brcode.txid == "***"
    assert brcode.is_dynamic and not brcode.is_static
    assert decode(dynamic(reusable=True)).point_of_initiation_method == "11"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("São Paulo", "Sao Paulo"),
        ("Ação", "Acao"),
        ("Água Branca", "Agua Branca"),
        ("Conceição do Araguaia"[:15], "Conceicao do Ar"),
        ("  Itajubá  ", "Itajuba"),
        ("Nº 1", "No 1"),
    ],
)
def test_accents_are_stripped_not_dropped(raw: str, expected: str) -> None:
    assert decode(static(city=raw)).merchant_city == expected


@pytest.mark.parametrize("name", ["Łódź", "Straße", "東京", "tab\there", "line\nbreak", "😀"])
def test_characters_without_ascii_form_are_refused(name: str) -> None:
    err = error_of(static, name=name)
    assert err.field == "59 merchant_name"
    assert err.violations[0].rule == "charset"


@pytest.mark.parametrize(
    ("kwargs", "field", "rule"),
    [
        ({"name": "N" * 26}, "59 merchant_name", "max_length"),
        ({"city": "C" * 16}, "60 merchant_city", "max_length"),
        ({"name": "   "}, "59 merchant_name", "min_length"),
        ({"city": ""}, "60 merchant_city", "min_length"),
        ({"txid": "A" * 26}, "62-05 txid", "max_length"),
        ({"txid": ""}, "62-05 txid", "min_length"),
        ({"txid": "PED-42"}, "62-05 txid", "txid_charset"),
        ({"txid": "pedido 42"}, "62-05 txid", "txid_charset"),
        ({"txid": "ação"}, "62-05 txid", "txid_charset"),
        ({"postal_code": "1234567"}, "61 postal_code", "postal_code_format"),
        ({"postal_code": "ABCDEFGH"}, "61 postal_code", "postal_code_format"),
        ({"info": "x" * 38}, "26-02 info_adicional", "max_length"),
        ({"reusable": "yes"}, "01 point_of_initiation_method", "type"),
        ({"name": None}, "59 merchant_name", "type"),
        ({"city": 42}, "60 merchant_city", "type"),
        ({"key": "not a key"}, "26-01 pix_key", "key_format"),
        ({"key": None}, "26-01 pix_key", "key_format"),
    ],
)
def test_static_refusals(kwargs: dict[str, Any], field: str, rule: str) -> None:
    err = error_of(static, **kwargs)
    assert (err.field, err.violations[0].rule) == (field, rule)
    assert isinstance(err, ValueError)


@pytest.mark.parametrize(
    ("amount", "rule"),
    [
        (Decimal("0"), "amount_zero"),
        (Decimal("0.00"), "amount_zero"),
        (Decimal("-1.00"), "amount_negative"),
        (Decimal("1.005"), "amount_decimals"),
        (Decimal("NaN"), "amount_invalid"),
        (Decimal("sNaN"), "amount_invalid"),
        (Decimal("Infinity"), "amount_invalid"),
        (Decimal("10000000000.00"), "max_length"),
        (Decimal("1E+40"), "max_length"),
        (1.5, "type"),
        (True, "type"),
        ("abc", "amount_invalid"),
        pytest.param(10**5000, "max_length", id="int-5000-digits"),
        # a long string used to be cut at 64 characters, dropping the 1 and reading 100.00
        pytest.param("100." + "0" * 70 + "1", "amount_invalid", id="str-over-64-chars"),
        pytest.param(Decimal("100." + "0" * 70 + "1"), "amount_decimals", id="decimal-long"),
    ],
)
def test_amount_refusals(amount: Any, rule: str) -> None:
    err = error_of(static, amount=amount)
    assert err.field == "54 transaction_amount"
    assert err.violations[0].rule == rule


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("10"), "10.00"),
        (Decimal("0.01"), "0.01"),
        (Decimal("10.5"), "10.50"),
        (Decimal("10.500"), "10.50"),
        (Decimal("1E+2"), "100.00"),
        (Decimal("9999999999.99"), "9999999999.99"),
        (7, "7.00"),
        ("12.30", "12.30"),
    ],
)
def test_amount_is_always_two_decimals(amount: Any, text: str) -> None:
    assert decode(static(amount=amount)).transaction_amount == text


def test_info_limit_depends_on_key_length() -> None:
    # 73 - len(key): 36-char EVP leaves 37 characters for infoAdicional.
    brcode = decode(static(info="i" * 37))
    assert len(brcode.fields["26"]) == 3
    assert len(brcode.raw.split("0014br.gov.bcb.pix")[0]) == 10  # "00020126" + 2-digit length
    assert brcode.raw[6:10] == "2699"
    cut = decode(static(info="i" * 50, truncate=True))
    assert cut.info_adicional == "i" * 37


def test_email_key_of_77_leaves_no_room_for_info() -> None:
    key = "a" * 64 + "@" + "b" * 8 + ".com"
    assert len(key) == 77
    assert decode(static(key=key)).pix_key == key
    assert error_of(static, key=key, info="x").field == "26-02 info_adicional"
    assert decode(static(key=key, info="x", truncate=True)).info_adicional is None


def test_truncate_cuts_name_city_and_info() -> None:
    brcode = decode(
        static(
            name="Arya Stark with a very long name", city="Pindamonhangaba do Sul", truncate=True
        )
    )
    assert brcode.merchant_name == "Arya Stark with a very lo"
    assert brcode.merchant_city == "Pindamonhangaba"


def test_truncate_never_cuts_txid() -> None:
    assert error_of(static, txid="A" * 30, truncate=True).field == "62-05 txid"


def test_empty_info_is_omitted() -> None:
    assert decode(static(info="   ")).info_adicional is None
    assert decode(static(info="")).info_adicional is None


def test_all_problems_are_reported_at_once() -> None:
    err = error_of(static, name="N" * 30, city="", amount=Decimal("-1"), txid="a-b")
    assert isinstance(err, ValidationError)
    assert {v.field for v in err.violations} == {
        "59 merchant_name",
        "60 merchant_city",
        "54 transaction_amount",
        "62-05 txid",
    }


def test_key_error_alone_is_a_key_format_error() -> None:
    err = error_of(static, key="foo@bar")
    assert isinstance(err, KeyFormatError)
    assert err.param == "key"


def test_key_is_normalised() -> None:
    assert decode(static(key="123.456.789-09")).pix_key == "12345678909"
    assert decode(static(key="Fulano@Example.COM")).pix_key == "fulano@example.com"
    assert decode(static(key="(11) 99999-0000")).pix_key == "+5511999990000"


@pytest.mark.parametrize(
    ("url", "rule"),
    [
        ("https://pix.example.com/qr/1", "url_scheme"),
        ("HTTP://pix.example.com/qr/1", "url_scheme"),
        ("pix.example.com/" + "a" * 62, "max_length"),
        ("pix.example.com", "url_format"),
        ("localhost/qr/1", "url_format"),
        ("pix.example.com/q r", "url_format"),
        ("pix.exámple.com/qr", "url_format"),
        (None, "type"),
    ],
)
def test_dynamic_url_refusals(url: Any, rule: str) -> None:
    err = error_of(dynamic, url=url)
    assert err.field == "26-25 url"
    assert err.violations[0].rule == rule


def test_dynamic_url_of_77_chars_fits() -> None:
    url = "pix.example.com/" + "a" * 61
    assert len(url) == 77
    assert decode(dynamic(url=url)).url == url


def test_unexpected_keyword_is_a_type_error_not_swallowed() -> None:
    # Python's own argument binding happens before our code runs; that is a programming error.
    with pytest.raises(TypeError):
        encode_static(key=EVP, name="N", city="C", bogus=1)  # type: ignore[call-arg]
