"""Every vector of shared/brcodes.json, checked against the policy of its `expect` category.

Policies (see docs/brcode.md):
- valid          strict decode accepts; decoded fields match exactly (VALID_POLICY: a CPF/CNPJ
                 key with wrong check digits is refused strictly, accepted leniently).
- valid-emv      per-vector policy in VALID_EMV_POLICY (unknown ones: lenient must accept).
- lenient        strict rejects only with relaxable rules; lenient accepts and reports them.
- invalid        rejected strict and lenient; the violation matches the reason's category.
- invalid-strict strict rejects; lenient accepts.
- invalid-pix    rejected in both modes as not Pix (rule not_pix).
- ambiguous      (lower-case CRC) rejected by default, accepted with allow_lowercase_crc=True.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from pixgate.brcode import (
    RELAXABLE_RULES,
    BRCode,
    BRCodeError,
    crc16,
    decode,
    encode_dynamic,
    encode_static,
    validate,
)

REPO_ROOT = Path(__file__).resolve().parents[3]


def _vectors_file() -> Path | None:
    candidates = []
    if os.environ.get("PIXGATE_SHARED_DIR"):
        candidates.append(Path(os.environ["PIXGATE_SHARED_DIR"]) / "brcodes.json")
    candidates.append(REPO_ROOT.parent / "shared" / "brcodes.json")
    return next((path for path in candidates if path.is_file()), None)


VECTORS_FILE = _vectors_file()
DATA: dict[str, Any] = json.loads(VECTORS_FILE.read_text("utf-8")) if VECTORS_FILE else {}
VECTORS: list[dict[str, Any]] = DATA.get("vectors", [])
MISSING = pytest.param(None, id="vectors-file-missing")


def _params() -> list[Any]:
    return [pytest.param(v, id=v["id"]) for v in VECTORS] or [MISSING]


def _need_vectors(vector: dict[str, Any] | None) -> dict[str, Any]:
    if vector is not None:
        return vector
    where = "PIXGATE_SHARED_DIR or <repo>/../shared/brcodes.json"
    if os.environ.get("CI") == "true":
        pytest.fail(f"shared test vectors not found ({where}); CI must have them")
    pytest.skip(f"shared test vectors not found ({where})")


# valid-emv: the structure is valid EMV; whether the Pix profile holds is decided per vector.
VALID_EMV_POLICY = {
    # txid 'RP12345678-2019' has '-', outside [A-Za-z0-9]: strict rejects, lenient relaxes it.
    "bcb_brcode_manual_multi_arrangement": ("lenient", {"txid_charset"}),
    # unknown 62 sub-template 50 (BR Code version) is tolerated: strict accepts.
    "realworld_brcode_version_template": ("strict", set()),
}

# valid: codes the file calls valid whose CPF/CNPJ key fails its check digits. No DICT holds
# such a key, so strict decode refuses them (key_check_digits) and lenient accepts with a warning.
VALID_POLICY = {
    "readme_pixqrcode": ("lenient", {"key_check_digits"}),  # CPF 12345678900
}

# invalid_reason text -> rule names that prove we caught the same problem (first match wins).
REASON_CATEGORIES: list[tuple[str, str, set[str]]] = [
    (r"crc mismatch", "crc", {"crc_mismatch", "crc_missing", "crc_format", "crc_case"}),
    (r"> ?512|512 maximum|oversize", "oversize", {"oversize"}),
    (r"length|declares|declared", "length", {"tlv_header", "tlv_truncated"}),
    (r"has \d+ chars > \d+|too long|limit", "field limit", {"max_length"}),
    (r"txid.*(charset|emoji)|charset", "charset", {"charset", "txid_charset"}),
    (r"https?://|scheme", "url scheme", {"url_scheme"}),
    (r"\bgui\b|not a (current )?pix", "not pix", {"not_pix"}),
    (r"non-ascii", "non-ascii", {"non_ascii"}),
]


def _category(reason: str) -> tuple[str, set[str]]:
    for pattern, name, rules in REASON_CATEGORIES:
        if re.search(pattern, reason, re.IGNORECASE):
            return name, rules
    pytest.fail(f"unclassified invalid_reason, add a category: {reason!r}")


def _rules(code: str, **kwargs: Any) -> set[str]:
    with pytest.raises(BRCodeError) as info:
        decode(code, **kwargs)
    assert info.value.violations, "a BRCodeError must list its violations"
    return {v.rule for v in info.value.violations}


def _assert_fields(brcode: BRCode, expected: dict[str, Any]) -> None:
    for name, value in expected.items():
        got = getattr(brcode, name)
        if name == "field_order":
            got = list(got)
        assert got == value, f"{name}: {got!r} != {value!r}"
    if "unreserved_templates" not in expected:
        assert brcode.unreserved_templates == {}
    if "additional_data_other_subids" not in expected:
        assert brcode.additional_data_other_subids == {}


def _assert_lenient_ok(vector: dict[str, Any], strict_rules: set[str]) -> BRCode:
    code = vector["brcode"]
    assert strict_rules <= RELAXABLE_RULES, f"non-relaxable rules: {strict_rules - RELAXABLE_RULES}"
    brcode = decode(code, lenient=True)
    assert {v.rule for v in brcode.relaxed} == strict_rules
    assert [v for v in brcode.relaxed] == validate(code), "relaxed == strict violations"
    assert validate(code, lenient=True) == []
    _assert_fields(brcode, vector["decoded"])
    return brcode


@pytest.mark.parametrize("vector", _params())
def test_vector(vector: dict[str, Any] | None) -> None:
    vector = _need_vectors(vector)
    code, expect = vector["brcode"], vector["expect"]
    assert len(code) == vector["length_chars"]
    assert len(code.encode("utf-8")) == vector["length_utf8_bytes"]
    if vector.get("crc_ok"):
        assert crc16(code[:-4]) == vector["crc_stated"]

    if expect == "valid" and vector["id"] in VALID_POLICY:
        _, relaxed = VALID_POLICY[vector["id"]]
        assert _rules(code) == relaxed
        brcode = _assert_lenient_ok(vector, relaxed)
        assert {w.rule for w in brcode.warnings} == relaxed
    elif expect == "valid":
        brcode = decode(code)
        assert brcode.relaxed == ()
        assert validate(code) == []
        _assert_fields(brcode, vector["decoded"])
        assert decode(code, lenient=True) == brcode
    elif expect == "valid-emv":
        mode, relaxed = VALID_EMV_POLICY.get(vector["id"], ("lenient", None))
        if mode == "strict":
            _assert_fields(decode(code), vector["decoded"])
        else:
            strict_rules = _rules(code) if relaxed is not None else set()
            if relaxed is not None:
                assert strict_rules == relaxed
                _assert_lenient_ok(vector, strict_rules)
            else:
                _assert_fields(decode(code, lenient=True), vector["decoded"])
    elif expect in ("lenient", "invalid-strict"):
        _assert_lenient_ok(vector, _rules(code))
    elif expect == "invalid":
        strict_rules = _rules(code)
        lenient_rules = _rules(code, lenient=True)
        assert lenient_rules <= strict_rules
        name, wanted = _category(vector.get("invalid_reason", ""))
        assert lenient_rules & wanted, f"expected a {name} violation, got {sorted(strict_rules)}"
        if vector.get("tlv_ok") is False:
            assert lenient_rules & {"tlv_header", "tlv_truncated"}
        if vector.get("crc_ok") is False:
            assert any(rule.startswith("crc_") for rule in lenient_rules)
        assert validate(code) and validate(code, lenient=True)
    elif expect == "invalid-pix":
        assert "not_pix" in _rules(code)
        assert "not_pix" in _rules(code, lenient=True)
    elif expect == "ambiguous":
        assert _rules(code) == {"crc_case"}
        assert _rules(code, lenient=True) == {"crc_case"}
        brcode = decode(code, allow_lowercase_crc=True)
        _assert_fields(brcode, vector["decoded"])
    else:
        pytest.fail(f"unknown expect category {expect!r}: decide and document a policy")


def test_expect_legend_is_covered() -> None:
    if not DATA:
        _need_vectors(None)
    handled = {"valid", "valid-emv", "lenient", "invalid", "invalid-strict", "invalid-pix"}
    handled.add("ambiguous")
    assert set(DATA["expect_legend"]) <= handled
    assert DATA["count"] == len(VECTORS)


def test_crc_check_values_from_file() -> None:
    if not DATA:
        _need_vectors(None)
    for data, expected in DATA["crc_check_values"].items():
        assert crc16(data) == expected


def _reencodable(brcode: BRCode) -> bool:
    canonical_gui = brcode.gui == "br.gov.bcb.pix" and brcode.mai_tag == "26"
    plain = not brcode.unreserved_templates and not brcode.additional_data_other_subids
    return canonical_gui and plain and brcode.fss is None and not brcode.relaxed


def _reencode(brcode: BRCode) -> str | None:
    reusable = {None: None, "11": True, "12": False}[brcode.point_of_initiation_method]
    common: dict[str, Any] = {
        "name": brcode.merchant_name,
        "city": brcode.merchant_city,
        "amount": brcode.amount,
        "postal_code": brcode.postal_code,
        "reusable": reusable,
    }
    if brcode.is_dynamic:
        if brcode.txid != "***":
            return None  # our dynamic codes always carry '***'
        return encode_dynamic(url=brcode.url, **common)
    return encode_static(key=brcode.pix_key, txid=brcode.txid, info=brcode.info_adicional, **common)


def test_valid_vectors_reencode_identically() -> None:
    """Where a vector uses our canonical layout, the encoder reproduces it byte for byte."""
    if not DATA:
        _need_vectors(None)
    done = 0
    for vector in VECTORS:
        if vector["expect"] != "valid" or vector["id"] in VALID_POLICY:
            continue
        brcode = decode(vector["brcode"])
        again = _reencode(brcode) if _reencodable(brcode) else None
        if again is not None:
            assert again == vector["brcode"], vector["id"]
            done += 1
    assert done >= 10, f"only {done} vectors were in canonical layout"
