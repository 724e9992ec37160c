"""Decoder and validator: one pass collects every violation, strict or lenient."""

from __future__ import annotations

from binascii import crc_hqx
from typing import Any

from . import rules
from .errors import RELAXABLE_RULES, BRCodeError, Violation, error_from
from .model import BRCode, label
from .tlv import parse

MAX_LEN = 512
ANALYSE_LIMIT = 4096  # beyond this only "oversize" is reported: no work on huge input
HEX = frozenset("0123456789ABCDEFabcdef")
TEMPLATE_IDS = frozenset(
    [f"{i:02d}" for i in range(26, 52)] + ["62", "64"] + [f"{i:02d}" for i in range(80, 100)]
)
MAI_IDS = frozenset(f"{i:02d}" for i in range(26, 52))
UNRESERVED_IDS = frozenset(f"{i:02d}" for i in range(80, 100))


def _structure(
    code: object, allow_lowercase_crc: bool
) -> tuple[list[tuple[str, str]] | None, dict[str, Any], list[Violation]]:
    """Type, size, CRC and TLV checks; returns (items, fields) only when the TLV parsed."""
    if not isinstance(code, str):
        kind = type(code).__name__
        return None, {}, [Violation("code", "type", None, f"expected str, got {kind}")]
    out: list[Violation] = []
    n = len(code)
    if n == 0:
        return None, {}, [Violation("code", "empty", "", "the code is empty")]
    if n > MAX_LEN:
        out.append(Violation("code", "oversize", None, f"{n} characters, at most {MAX_LEN}"))
        if n > ANALYSE_LIMIT:
            return None, {}, out
    stated = code[-4:]
    if n < 8 or code[-8:-4] != "6304":
        out.append(
            Violation("63 crc", "crc_missing", code[-8:], "the code must end with 6304 + CRC")
        )
    elif not HEX.issuperset(stated):
        out.append(Violation("63 crc", "crc_format", stated, "the CRC is 4 hex digits"))
    else:
        if not allow_lowercase_crc and not stated.isupper() and not stated.isdigit():
            out.append(Violation("63 crc", "crc_case", stated, "CRC hex digits are upper case"))
        try:
            computed = f"{crc_hqx(code[:-4].encode('utf-8'), 0xFFFF):04X}"
        except UnicodeEncodeError:
            out.append(Violation("code", "encoding", None, "not encodable as UTF-8"))
        else:
            if computed != stated.upper():
                out.append(Violation("63 crc", "crc_mismatch", stated, f"CRC should be {computed}"))
    items, error = parse(code)
    if error is not None:
        out.append(error)
        return None, {}, out
    fields: dict[str, Any] = {}
    for tag, value in items:
        if tag in fields:
            out.append(Violation(label(tag), "tlv_duplicate", value, f"ID {tag} appears twice"))
            continue
        if tag in TEMPLATE_IDS:
            sub_items, sub_error = parse(value, tag)
            sub: dict[str, str] = {}
            for sub_tag, sub_value in sub_items:
                if sub_tag in sub:
                    out.append(
                        Violation(
                            label(tag, sub_tag),
                            "tlv_duplicate",
                            sub_value,
                            f"ID {sub_tag} appears twice in template {tag}",
                        )
                    )
                sub[sub_tag] = sub_value
            if sub_error is not None:
                out.append(sub_error)
            fields[tag] = sub
        else:
            fields[tag] = value
    if items[-1][0] != "63" or len(items[-1][1]) != 4:
        out.append(
            Violation("63 crc", "crc_missing", None, "the CRC (6304) must be the last field")
        )
    return items, fields, out


def _analyse(
    code: object, lenient: bool, allow_lowercase_crc: bool
) -> tuple[BRCode | None, list[Violation], list[Violation]]:
    """Return (brcode, blocking violations, relaxed violations)."""
    items, fields, out = _structure(code, allow_lowercase_crc)
    if items is None:  # no usable TLV: field rules would only report noise
        return None, out, []
    assert isinstance(code, str)
    warnings: list[Violation] = []
    order = tuple(fields)  # insertion order; duplicates were rejected above
    get = fields.get

    rules.fixed_rule(out, "00 payload_format_indicator", get("00"), "01")
    if order[0] != "00" and "00" in fields:
        out.append(Violation("00 payload_format_indicator", "order", None, "must come first"))
    poi = get("01")
    if poi is not None and poi not in ("11", "12"):
        out.append(Violation("01 point_of_initiation_method", "value", poi, "must be 11 or 12"))

    mai_tag = None
    pix: dict[str, str] = {}
    unreserved: dict[str, dict[str, Any]] = {}
    has_recurrence = False
    for tag in sorted(t for t in fields if t in TEMPLATE_IDS):
        sub = fields[tag]
        is_pix = (sub.get("00") or "").lower() == rules.PIX_GUI
        if tag in MAI_IDS:
            if not is_pix:
                continue
            if mai_tag is None:
                mai_tag, pix = tag, sub
            else:
                out.append(
                    Violation(label(tag), "pix_template_duplicate", None, "two Pix templates")
                )
        elif tag in UNRESERVED_IDS:
            entry: dict[str, Any] = {"gui": sub.get("00"), "url": sub.get("25")}
            other = {k: v for k, v in sub.items() if k not in ("00", "25")}
            if other:
                entry["other"] = other
            unreserved[tag] = entry
            if is_pix and entry["url"] is not None:
                has_recurrence = True
                rules.url_rule(out, label(tag, "25"), entry["url"])

    key = pix.get("01")
    url = pix.get("25")
    info = pix.get("02")
    fss = pix.get("03")
    if mai_tag is None:
        out.append(
            Violation(
                "26-51 merchant_account_information",
                "not_pix",
                None,
                "no template 26-51 with GUI br.gov.bcb.pix: not a Pix BR Code",
            )
        )
    else:
        if key is not None:
            rules.key_rule(out, warnings, label(mai_tag, "01"), key)
        if url is not None:
            rules.url_rule(out, label(mai_tag, "25"), url)
        if key is not None and url is not None:
            out.append(Violation(label(mai_tag), "key_and_url", None, "holds both a key and a URL"))
        elif key is None and url is None and not has_recurrence:
            out.append(
                Violation(label(mai_tag), "key_or_url", None, "needs a key (01) or a URL (25)")
            )
        if info is not None:
            rules.text_rule(out, label(mai_tag, "02"), info, 99)
        if fss is not None:
            rules.fss_rule(out, label(mai_tag, "03"), fss)

    mcc = get("52")
    if mcc is None:
        out.append(Violation("52 merchant_category_code", "required", None, "missing"))
    elif not (len(mcc) == 4 and mcc.isdigit() and mcc.isascii()):
        out.append(Violation("52 merchant_category_code", "format", mcc, "must be 4 digits"))
    rules.fixed_rule(out, "53 transaction_currency", get("53"), "986")
    amount_raw = get("54")
    amount = None if amount_raw is None else rules.amount_rule(out, amount_raw)
    rules.fixed_rule(out, "58 country_code", get("58"), "BR")
    name = get("59")
    city = get("60")
    for field_name, value, limit in (
        ("59 merchant_name", name, 25),
        ("60 merchant_city", city, 15),
    ):
        if value is None:
            out.append(Violation(field_name, "required", None, "missing"))
        else:
            rules.text_rule(out, field_name, value, limit)
    postal = get("61")
    if postal is not None:
        rules.postal_rule(out, postal)
    extra = get("62")
    txid = None if extra is None else extra.get("05")
    if txid is None:
        out.append(Violation("62-05 txid", "missing_txid", None, "62-05 txid is mandatory"))
    else:
        rules.txid_rule(out, txid)

    relaxed: list[Violation] = []
    if out and lenient:
        relaxed = [v for v in out if v.rule in RELAXABLE_RULES]
        out = [v for v in out if v.rule not in RELAXABLE_RULES]
    if out:
        return None, out, relaxed
    brcode = BRCode(
        raw=code,
        payload_format_indicator=get("00"),
        point_of_initiation_method=poi,
        mai_tag=mai_tag,
        gui=pix.get("00"),
        pix_key=key,
        info_adicional=info,
        fss=fss,
        url=url,
        merchant_category_code=mcc,
        transaction_currency=get("53"),
        transaction_amount=amount_raw,
        amount=amount,
        country_code=get("58"),
        merchant_name=name,
        merchant_city=city,
        postal_code=postal,
        txid=txid,
        crc=code[-4:],
        fields=fields,
        field_order=order,
        unreserved_templates=unreserved,
        additional_data_other_subids={k: v for k, v in (extra or {}).items() if k != "05"},
        relaxed=tuple(relaxed),
        warnings=tuple(warnings),
    )
    return brcode, [], relaxed


def decode(code: str, *, lenient: bool = False, allow_lowercase_crc: bool = False) -> BRCode:
    """Parse and verify a BR Code; raise BRCodeError listing every violation at once."""
    try:
        brcode, errors, _ = _analyse(code, bool(lenient), bool(allow_lowercase_crc))
    except BRCodeError:
        raise
    except Exception as exc:  # defensive: no other exception type may escape
        raise BRCodeError(
            "code", f"internal decoder error: {exc!r}", None, rule="internal"
        ) from exc
    if errors or brcode is None:
        raise error_from(errors)
    return brcode


def validate(code: str, *, lenient: bool = False) -> list[Violation]:
    """All blocking violations of a code (empty list = valid); never raises for bad input."""
    try:
        _, errors, _ = _analyse(code, bool(lenient), False)
    except Exception as exc:  # defensive: validate() must not raise
        return [Violation("code", "internal", None, f"internal decoder error: {exc!r}")]
    return errors
