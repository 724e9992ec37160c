"""Pix keys: valid/invalid tables per kind and the normalisation of typed input."""

from __future__ import annotations

import pytest

from pixgate.brcode import BRCodeError, KeyFormatError, PixKey, detect_kind, normalize_key
from pixgate.brcode.keys import cnpj_check_ok, cpf_check_ok

VALID = [
    # CPF
    ("12345678909", "cpf", "12345678909"),
    ("111.444.777-35", "cpf", "11144477735"),
    ("529.982.247-25", "cpf", "52998224725"),
    (" 52998224725 ", "cpf", "52998224725"),
    # CNPJ, numeric and alphanumeric (RFB IN 2229/2024, API Pix 2.9)
    ("11222333000181", "cnpj", "11222333000181"),
    ("11.222.333/0001-81", "cnpj", "11222333000181"),
    ("12.345.678/0001-95", "cnpj", "12345678000195"),
    ("12ABC34501DE35", "cnpj", "12ABC34501DE35"),
    ("12.ABC.345/01DE-35", "cnpj", "12ABC34501DE35"),
    ("12abc34501de35", "cnpj", "12ABC34501DE35"),
    # e-mail
    ("fulano@example.com", "email", "fulano@example.com"),
    ("Fulano.Tal@Example.COM.BR", "email", "fulano.tal@example.com.br"),
    ("a+pix@sub.domain-x.io", "email", "a+pix@sub.domain-x.io"),
    # phone: Brazilian mobile, E.164
    ("+5511999990000", "phone", "+5511999990000"),
    ("+55 (11) 99999-0000", "phone", "+5511999990000"),
    ("(11) 99999-0000", "phone", "+5511999990000"),
    ("11 99999-0000", "phone", "+5511999990000"),
    ("(21)98765-4321", "phone", "+5521987654321"),
    ("+55 61 91234-5678", "phone", "+5561912345678"),
    # EVP (random key)
    ("123e4567-e12b-12d1-a456-426655440000", "evp", "123e4567-e12b-12d1-a456-426655440000"),
    ("123E4567-E12B-12D1-A456-426655440000", "evp", "123e4567-e12b-12d1-a456-426655440000"),
]

INVALID = [
    ("12345678900", "not a valid CPF"),  # wrong check digits, bare: could be a phone
    ("123.456.789-00", "CPF"),
    ("111.111.111-11", "CPF"),
    ("00000000000", "CPF"),
    ("11222333000182", "CNPJ"),
    ("11.222.333/0001-80", "CNPJ"),
    ("00000000000000", "CNPJ"),
    ("12ABC34501DE36", "CNPJ"),
    ("12ABC34501DEA5", "not a Pix key"),  # letters not allowed in the check digits
    ("fulano@", "e-mail"),
    ("@example.com", "e-mail"),
    ("fulano@example", "e-mail"),
    ("fu..lano@example.com", "e-mail"),
    (".fulano@example.com", "e-mail"),
    ("fulano@-example.com", "e-mail"),
    ("a@b@example.com", "e-mail"),
    ("fulano@exam ple.com", "e-mail"),
    ("x" * 70 + "@example.com", "77"),
    ("+1 202 555 0100", "+55"),
    ("+55 11 3333-4444", "mobile"),  # landline
    ("+5520999990000", "DDD 20"),
    ("+55119999900001", "+55"),
    ("+55 abc", "digits"),
    ("(11) 3333-4444", "mobile"),
    ("123e4567-e12b-12d1-a456-42665544000g", "not a Pix key"),
    ("123e4567e12b12d1a456426655440000", "not a Pix key"),
    ("", "empty"),
    ("   ", "empty"),
    ("chave", "not a Pix key"),
    ("ação@example.com", "ASCII"),
    ("x" * 300, "too long"),
]


@pytest.mark.parametrize(("raw", "kind", "value"), VALID)
def test_valid_keys(raw: str, kind: str, value: str) -> None:
    key = normalize_key(raw)
    assert key == PixKey(kind, value)  # type: ignore[arg-type]
    assert normalize_key(key.value) == key, "canonical form is a fixed point"
    assert detect_kind(key.value) == kind


@pytest.mark.parametrize(("raw", "hint"), INVALID)
def test_invalid_keys(raw: str, hint: str) -> None:
    with pytest.raises(KeyFormatError) as info:
        normalize_key(raw)
    err = info.value
    assert err.field == "pix_key"
    assert hint.lower() in err.reason.lower()
    assert err.violations[0].rule == "key_format"


@pytest.mark.parametrize("raw", [None, 12345678909, b"a@b.com", ["x"], 1.0])
def test_non_str_raises_brcode_error(raw: object) -> None:
    with pytest.raises(BRCodeError):
        normalize_key(raw)  # type: ignore[arg-type]


def test_eleven_bare_digits_valid_cpf_wins_over_phone() -> None:
    # 11 digits that are both a valid CPF and a plausible DDD+mobile: CPF, as documented.
    assert cpf_check_ok("11999990000") is False
    assert normalize_key("52998224725").kind == "cpf"
    with pytest.raises(KeyFormatError, match=r"\+55"):
        normalize_key("11999990000")  # not a CPF, no +55, no mask: undecidable


def test_cnpj_alphanumeric_check_digits() -> None:
    assert cnpj_check_ok("12ABC34501DE35")
    assert not cnpj_check_ok("12ABC34501DE53")
    assert not cnpj_check_ok("12abc34501de35"), "canonical CNPJ is upper case"


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("12345678900", "cpf"),  # shape only: check digits are not detect's business
        ("11222333000181", "cnpj"),
        ("+5511999990000", "phone"),
        ("fulano@example.com", "email"),
        ("123e4567-e12b-12d1-a456-426655440000", "evp"),
        ("Fulano@Example.com", None),
        ("123.456.789-09", None),
        ("123E4567-E12B-12D1-A456-426655440000", None),
        ("", None),
    ],
)
def test_detect_kind_on_canonical_shapes(value: str, kind: str | None) -> None:
    assert detect_kind(value) == kind
