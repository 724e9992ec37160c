"""Decoder and validator: one pass collects every violation, strict or lenient."""

from __future__ import annotations

from typing import Any

from . import rules
from .errors import RELAXABLE_RULES, BRCodeError, Violation, error_from
from .model import BRCode, label
from .structure import MAI_IDS, TEMPLATE_IDS, UNRESERVED_IDS, check_structure


def _analyse(
    code: object, lenient: bool, allow_lowercase_crc: bool
) -> tuple[BRCode | None, list[Violation], list[Violation]]:
    """Return (brcode, blocking violations, relaxed violations)."""
    items, fields, out = check_structure(code, allow_lowercase_crc)
    if items is None:  # no usable TLV: field rules would only report noise
        return None, out, []
    assert isinstance(code, str)
    warnings: list[Violation] = []
    order = tuple(fields)  # insertion order; duplicates were rejected above
    get = fields.get

    if get("00") != "01":
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
    if get("53") != "986":
        rules.fixed_rule(out, "53 transaction_currency", get("53"), "986")
    amount_raw = get("54")
    amount = None if amount_raw is None else rules.amount_rule(out, amount_raw)
    if get("58") != "BR":
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
        warnings.extend(v for v in relaxed if v.rule == "key_check_digits")
    if out:
        return None, out, relaxed
    brcode = BRCode._trusted(
        {
            "raw": code,
            "payload_format_indicator": get("00"),
            "point_of_initiation_method": poi,
            "mai_tag": mai_tag,
            "gui": pix.get("00"),
            "pix_key": key,
            "info_adicional": info,
            "fss": fss,
            "url": url,
            "merchant_category_code": mcc,
            "transaction_currency": get("53"),
            "transaction_amount": amount_raw,
            "amount": amount,
            "country_code": get("58"),
            "merchant_name": name,
            "merchant_city": city,
            "postal_code": postal,
            "txid": txid,
            "crc": code[-4:],
            "fields": fields,
            "field_order": order,
            "unreserved_templates": unreserved,
            "additional_data_other_subids": {k: v for k, v in (extra or {}).items() if k != "05"},
            "relaxed": tuple(relaxed),
            "warnings": tuple(warnings),
        }
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
