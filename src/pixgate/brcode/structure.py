"""Structure of a code: type, size, CRC and TLV (with templates), before any field rule."""

from __future__ import annotations

from binascii import crc_hqx
from typing import Any

from .errors import Violation
from .model import label
from .tlv import parse

MAX_LEN = 512
ANALYSE_LIMIT = 4096  # beyond this only "oversize" is reported: no work on huge input
HEX = frozenset("0123456789ABCDEFabcdef")
TEMPLATE_IDS = frozenset(
    [f"{i:02d}" for i in range(26, 52)] + ["62", "64"] + [f"{i:02d}" for i in range(80, 100)]
)
MAI_IDS = frozenset(f"{i:02d}" for i in range(26, 52))
UNRESERVED_IDS = frozenset(f"{i:02d}" for i in range(80, 100))


def check_structure(
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
    rules = {v.rule for v in out}
    if (items[-1][0] != "63" or len(items[-1][1]) != 4) and "crc_missing" not in rules:
        out.append(
            Violation("63 crc", "crc_missing", None, "the CRC (6304) must be the last field")
        )
    if rules & {"tlv_header", "tlv_truncated", "tlv_duplicate"}:
        return None, fields, out  # a broken template or a repeated ID: fields are unreliable
    return items, fields, out
