"""Decoder: structure, strict vs lenient rules, every violation at once, the BRCode model."""

from __future__ import annotations

import dataclasses
import json
import pickle
from decimal import Decimal

import pytest

from pixgate.brcode import (
    RELAXABLE_RULES,
    BRCode,
    BRCodeError,
    CRCError,
    NotPixError,
    TLVError,
    ValidationError,
    crc16,
    decode,
    validate,
)
from pixgate.brcode.errors import STRUCTURAL_RULES

KEY = "0136123e4567-e12b-12d1-a456-426655440000"


def tlv(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def sign(payload: str) -> str:
    """Append a correct CRC field to a payload (a test may build any, even broken, TLV)."""
    return payload + "6304" + crc16(payload + "6304")


def build(**over: str | None) -> str:
    """A static code from named parts; pass a part as None to drop it."""
    parts = {
        "00": "000201",
        "26": tlv("26", "0014br.gov.bcb.pix" + KEY),
        "52": "52040000",
        "53": "5303986",
        "54": None,
        "58": "5802BR",
        "59": tlv("59", "Fulano de Tal"),
        "60": tlv("60", "BRASILIA"),
        "62": "62070503***",
    }
    for tag, value in over.items():
        parts[tag.lstrip("_")] = value
    return sign("".join(v for v in parts.values() if v is not None))


def rules_of(code: object, **kwargs: bool) -> list[str]:
    with pytest.raises(BRCodeError) as info:
        decode(code, **kwargs)  # type: ignore[arg-type]
    return [v.rule for v in info.value.violations]


def test_build_helper_matches_golden(golden: str) -> None:
    assert build() == golden


def test_golden_fields(golden: str) -> None:
    b = decode(golden)
    assert isinstance(b, BRCode)
    assert (b.mai_tag, b.gui, b.pix_key, b.txid, b.crc) == (
        "26",
        "br.gov.bcb.pix",
        "123e4567-e12b-12d1-a456-426655440000",
        "***",
        "1D3D",
    )
    assert b.is_static and not b.is_dynamic
    assert b.key_type == "evp"
    assert b.amount is None
    assert b.fields["62"] == {"05": "***"}
    assert b.fields["59"] == "Fulano de Tal"


def test_to_dict_is_json_ready() -> None:
    b = decode(build(_54="540510.50"))
    data = b.to_dict()
    text = json.dumps(data)
    assert json.loads(text)["amount"] == "10.50"
    assert data["transaction_amount"] == "10.50"
    assert data["key_type"] == "evp"
    assert data["field_order"][0] == "00"
    data["fields"]["26"]["01"] = "changed"
    assert b.fields["26"]["01"] != "changed", "to_dict returns copies"


def test_fast_construction_sets_every_field(golden: str, dynamic_code: str) -> None:
    for code in (golden, dynamic_code):
        b = decode(code)
        assert set(vars(b)) == {f.name for f in dataclasses.fields(BRCode)}
        assert dataclasses.replace(b) == b
        assert repr(b).startswith("BRCode(raw=")


def test_brcode_is_frozen(golden: str) -> None:
    b = decode(golden)
    with pytest.raises(AttributeError):
        b.pix_key = "x"  # type: ignore[misc]


def test_ids_in_any_order_after_00() -> None:
    payload = "000201" + "5802BR" + "5303986" + tlv("60", "BRASILIA") + "52040000"
    payload += tlv("59", "Fulano") + "62070503***" + tlv("26", "0014br.gov.bcb.pix" + KEY)
    b = decode(sign(payload))
    assert b.field_order == ("00", "58", "53", "60", "52", "59", "62", "26", "63")


def test_00_not_first_is_relaxable() -> None:
    code = sign("5802BR" + build()[:-8].replace("5802BR", ""))
    assert rules_of(code) == ["order"]
    assert decode(code, lenient=True).relaxed[0].rule == "order"


def test_pix_template_in_any_of_26_to_51_case_insensitive() -> None:
    payload = (
        "000201" + tlv("27", "0012BR.COM.OUTRO0103123") + tlv("31", "0014BR.GOV.BCB.PIX" + KEY)
    )
    code = sign(
        payload + "52040000530398658" + "02BR" + tlv("59", "N") + tlv("60", "C") + "62070503***"
    )
    b = decode(code)
    assert b.mai_tag == "31"
    assert b.gui == "BR.GOV.BCB.PIX"
    assert b.fields["27"] == {"00": "BR.COM.OUTRO", "01": "123"}


def test_unknown_ids_and_templates_are_kept() -> None:
    code = build(_62="62190503***5008ABCDEFGH", _54="540510.00")
    code = sign(code[:-8] + tlv("64", "0002PT0104NOME") + tlv("91", "0004ABCD0102XY"))
    b = decode(code)
    assert b.additional_data_other_subids == {"50": "ABCDEFGH"}
    assert b.fields["64"] == {"00": "PT", "01": "NOME"}
    assert b.unreserved_templates == {"91": {"gui": "ABCD", "url": None, "other": {"01": "XY"}}}
    payload_with_id_04 = build()[:6] + "04041234" + build()[6:-8]
    assert decode(sign(payload_with_id_04)).fields["04"] == "1234"


def test_every_violation_at_once() -> None:
    code = build(
        _00="000202",
        _53="5303840",
        _58="5802US",
        _59=tlv("59", "N" * 26),
        _60=tlv("60", "Brasília"),
        _54="54031.5",
        _62=None,
        _52="5203ABC",
    )
    with pytest.raises(ValidationError) as info:
        decode(code)
    got = {(v.field, v.rule) for v in info.value.violations}
    assert got == {
        ("00 payload_format_indicator", "value"),
        ("52 merchant_category_code", "format"),
        ("53 transaction_currency", "value"),
        ("54 transaction_amount", "amount_format"),
        ("58 country_code", "value"),
        ("59 merchant_name", "max_length"),
        ("60 merchant_city", "non_ascii"),
        ("62-05 txid", "missing_txid"),
    }
    assert validate(code) == info.value.violations
    lenient = {(v.field, v.rule) for v in validate(code, lenient=True)}
    assert lenient == {x for x in got if x[1] not in RELAXABLE_RULES}


def test_crc_error_still_reports_field_rules() -> None:
    code = build(_59=tlv("59", "N" * 30))
    broken = code[:-4] + ("0000" if code[-4:] != "0000" else "1111")
    with pytest.raises(CRCError) as info:
        decode(broken)
    assert [v.rule for v in info.value.violations] == ["crc_mismatch", "max_length"]


@pytest.mark.parametrize(
    ("code", "rule"),
    [
        ("", "empty"),
        ("6304", "crc_missing"),
        ("0002016304ZZZZ", "crc_format"),
        ("00020163041D3D", "crc_mismatch"),
        ("000201", "crc_missing"),
    ],
)
def test_structural_failures(code: str, rule: str) -> None:
    assert rule in rules_of(code)


def test_tlv_error_class_and_position() -> None:
    code = sign("000201" + "598RJV SOFT")
    with pytest.raises(TLVError) as info:
        decode(code, lenient=True)
    violation = info.value.violations[0]
    assert violation.rule == "tlv_header"
    assert "position 6" in violation.message


def test_length_counts_characters_not_bytes() -> None:
    code = build(_60=tlv("60", "São Paulo"))
    assert len("São Paulo") == 9
    assert decode(code, lenient=True).merchant_city == "São Paulo"


def test_length_digits_must_be_ascii() -> None:
    # Arabic-Indic digits satisfy str.isdigit() but are not a TLV length.
    assert "tlv_header" in rules_of(sign("00\u0660\u06620201"))


def test_broken_template_is_structural() -> None:
    code = build(_26=tlv("26", "0014br.gov.bcb.pix0199short"))
    assert rules_of(code, lenient=True) == ["tlv_truncated"]


def test_duplicate_ids_are_structural() -> None:
    code = sign(build()[:-8] + "5802BR")
    assert "tlv_duplicate" in rules_of(code, lenient=True)


def test_crc_must_be_last() -> None:
    payload = build()[:-8]
    # The trailing "6304XXXX" is only the value of ID 68: the CRC is not a field of its own.
    hidden = payload + "6808" + "6304"
    code = hidden + crc16(hidden)
    assert code[-8:-4] == "6304"
    assert rules_of(code, lenient=True) == ["crc_missing"]
    # A second 63 before the real one is a duplicate.
    twice = sign(payload + "6304ABCD")
    assert "tlv_duplicate" in rules_of(twice, lenient=True)


def test_lowercase_crc_policy(golden: str) -> None:
    lower = golden[:-4] + golden[-4:].lower()
    assert rules_of(lower) == ["crc_case"]
    assert rules_of(lower, lenient=True) == ["crc_case"]
    assert decode(lower, allow_lowercase_crc=True).crc == "1d3d"
    digits_only = sign("0002" + "01")  # whatever CRC; upper() is a no-op on digits
    assert rules_of(digits_only)  # still invalid, but never for its case


def test_oversize() -> None:
    code = build(_61=tlv("61", "70074900"))[:-8]
    code = sign(code + "".join(tlv(tag, "x" * 99) for tag in ("65", "66", "67", "68")))
    assert len(code) > 512
    assert rules_of(code, lenient=True) == ["oversize"]


def test_huge_input_is_cheap() -> None:
    assert rules_of("0" * 10_000_000) == ["oversize"]


@pytest.mark.parametrize("bad", [None, 42, b"000201", ["x"], {"a": 1}, 1.5, object()])
def test_non_str_input(bad: object) -> None:
    assert rules_of(bad) == ["type"]
    assert validate(bad)[0].rule == "type"  # type: ignore[arg-type]


def test_surrogates_are_reported_not_raised() -> None:
    code = build()[:-8].replace("Fulano de Tal", "Fulano de Ta\udc80") + "63041D3D"
    assert "encoding" in rules_of(code, lenient=True)


@pytest.mark.parametrize(
    ("part", "value", "rule"),
    [
        ("01", "010213", "value"),
        ("54", "54031,5", "amount_invalid"),
        ("54", "5404-1.0", "amount_invalid"),
        ("54", "54051.005", "amount_invalid"),
        ("54", "5414" + "1" * 11 + ".00", "max_length"),
        ("59", "5900", "min_length"),
        ("59", tlv("59", "Tab\there"), "charset"),
        ("61", "6105ABC\x01D", "charset"),
        ("62", "62300526" + "A" * 26, "max_length"),
        ("62", "62040500", "min_length"),
        ("62", "62040700", "missing_txid"),
        ("26", tlv("26", "0014br.gov.bcb.pix"), "key_or_url"),
        (
            "26",
            tlv("26", "0014br.gov.bcb.pix" + KEY + tlv("25", "pix.example.com/x")),
            "key_and_url",
        ),
        ("26", tlv("26", "0014br.gov.bcb.pix" + tlv("01", "FOO@EXAMPLE.COM")), "key_format"),
        ("26", tlv("26", "0014br.gov.bcb.pix" + tlv("01", "123.456.789-09")), "key_format"),
        ("26", tlv("26", "0014br.gov.bcb.pix" + KEY + "0309123456789"), "format"),
        ("26", tlv("26", "0014br.gov.bcb.pix" + tlv("25", "http://example.com/x")), "url_scheme"),
        ("26", tlv("26", "0014br.gov.bcb.spi" + KEY), "not_pix"),
    ],
)
def test_field_rules(part: str, value: str, rule: str) -> None:
    code = build(**{f"_{part}": value})
    assert rule in rules_of(code)
    lenient = validate(code, lenient=True)
    assert (rule in {v.rule for v in lenient}) == (rule not in RELAXABLE_RULES)


def test_not_pix_error_class() -> None:
    with pytest.raises(NotPixError):
        decode(build(_26=tlv("26", "0014br.gov.bcb.spi" + KEY)), lenient=True)


def test_lenient_amount_is_parsed_to_cents() -> None:
    for raw, expected in [("10", "10.00"), ("10.", "10.00"), ("0.9", "0.90"), (".5", "0.50")]:
        b = decode(build(_54=tlv("54", raw)), lenient=True)
        assert b.transaction_amount == raw
        assert b.amount == Decimal(expected)
        assert [v.rule for v in b.relaxed] == ["amount_format"]


@pytest.mark.parametrize("key", ["12345678900", "11111111111", "12345678000190",
                                 "12ABC34501DE36"])
def test_cpf_or_cnpj_with_wrong_check_digits_is_a_strict_violation_and_a_lenient_warning(
    key: str,
) -> None:
    # No DICT can hold such a key, so a code carrying it can never be paid.
    code = build(_26=tlv("26", "0014br.gov.bcb.pix01" + f"{len(key):02d}" + key))
    assert [v.rule for v in validate(code)] == ["key_check_digits"]
    with pytest.raises(BRCodeError) as info:
        decode(code)
    assert [v.rule for v in info.value.violations] == ["key_check_digits"]
    b = decode(code, lenient=True)
    assert b.pix_key == key and b.key_type in ("cpf", "cnpj")
    assert [v.rule for v in b.relaxed] == ["key_check_digits"]
    assert [w.rule for w in b.warnings] == ["key_check_digits"]


def test_a_phone_key_outside_brazil_is_only_a_warning() -> None:
    code = build(_26=tlv("26", "0014br.gov.bcb.pix0113+351912345678"))
    b = decode(code)
    assert [w.rule for w in b.warnings] == ["key_check"] and b.relaxed == ()


def test_rule_sets_are_disjoint() -> None:
    assert not RELAXABLE_RULES & STRUCTURAL_RULES


def test_errors_pickle_round_trip(golden: str) -> None:
    with pytest.raises(CRCError) as info:
        decode(golden[:-1] + "E")
    again = pickle.loads(pickle.dumps(info.value))  # noqa: S301 (our own bytes)
    assert type(again) is CRCError
    assert (again.field, again.reason, again.violations) == (
        info.value.field,
        info.value.reason,
        info.value.violations,
    )
