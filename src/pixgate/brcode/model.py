"""The decoded BR Code: raw TLV values plus the parsed amount, all immutable."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .errors import Violation
from .keys import KeyKind, detect_kind, normalize_key

# Top-level data objects by ID, used for field labels ("59 merchant_name").
NAMES: dict[str, str] = {
    "00": "payload_format_indicator",
    "01": "point_of_initiation_method",
    "52": "merchant_category_code",
    "53": "transaction_currency",
    "54": "transaction_amount",
    "58": "country_code",
    "59": "merchant_name",
    "60": "merchant_city",
    "61": "postal_code",
    "62": "additional_data",
    "63": "crc",
    "64": "language_template",
}
PIX_NAMES: dict[str, str] = {
    "00": "gui",
    "01": "pix_key",
    "02": "info_adicional",
    "03": "fss",
    "25": "url",
}


_LABELS: dict[tuple[str, str | None], str] = {}


def label(tag: str, sub: str | None = None) -> str:
    """Violation field label: "59 merchant_name", "26-01 pix_key", "62-05 txid"."""
    cached = _LABELS.get((tag, sub))
    if cached is None:
        cached = _LABELS[(tag, sub)] = _label(tag, sub)
    return cached


def _label(tag: str, sub: str | None) -> str:
    if sub is None:
        return f"{tag} {NAMES.get(tag, 'unknown')}"
    names = {"05": "txid"} if tag == "62" else PIX_NAMES
    return f"{tag}-{sub} {names.get(sub, 'unknown')}"


@dataclass(frozen=True)
class BRCode:
    """A decoded Pix BR Code; string fields are exactly as found in the TLV."""

    raw: str
    payload_format_indicator: str | None
    point_of_initiation_method: str | None
    mai_tag: str | None
    gui: str | None
    pix_key: str | None
    info_adicional: str | None
    fss: str | None
    url: str | None
    merchant_category_code: str | None
    transaction_currency: str | None
    transaction_amount: str | None
    amount: Decimal | None
    country_code: str | None
    merchant_name: str | None
    merchant_city: str | None
    postal_code: str | None
    txid: str | None
    crc: str
    fields: dict[str, Any] = field(hash=False, repr=False)
    field_order: tuple[str, ...] = ()
    unreserved_templates: dict[str, dict[str, Any]] = field(
        default_factory=dict, hash=False, repr=False
    )
    additional_data_other_subids: dict[str, str] = field(
        default_factory=dict, hash=False, repr=False
    )
    relaxed: tuple[Violation, ...] = ()
    warnings: tuple[Violation, ...] = ()

    @classmethod
    def _trusted(cls, values: dict[str, Any]) -> BRCode:
        """Build from a complete field mapping without __init__ (decoder hot path, saves ~2 us).

        The decoder passes every field; a unit test keeps the two in step.
        """
        obj = object.__new__(cls)
        obj.__dict__.update(values)
        return obj

    @property
    def is_dynamic(self) -> bool:
        """A location URL (26-25) means the payer app fetches the charge from the PSP."""
        return self.url is not None

    @property
    def is_static(self) -> bool:
        """A key (26-01) without a URL: everything the payer needs is in the code."""
        return self.url is None and self.pix_key is not None

    @property
    def recurrence_url(self) -> str | None:
        """Pix Automatico location from an 80-99 template with the Pix GUI, if any."""
        for tpl in self.unreserved_templates.values():
            if (tpl.get("gui") or "").lower() == "br.gov.bcb.pix" and tpl.get("url"):
                return tpl["url"]
        return None

    @property
    def key_type(self) -> KeyKind | None:
        """Kind of 26-01 (canonical shape first, then the forgiving normaliser)."""
        if self.pix_key is None:
            return None
        kind = detect_kind(self.pix_key)
        if kind is not None:
            return kind
        try:
            return normalize_key(self.pix_key).kind
        except ValueError:
            return None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view: Decimal becomes a string, tuples become lists."""
        data: dict[str, Any] = {
            name: getattr(self, name)
            for name in self.__dataclass_fields__
            if name not in ("relaxed", "warnings", "amount", "field_order", "fields")
        }
        data["amount"] = None if self.amount is None else str(self.amount)
        data["field_order"] = list(self.field_order)
        data["fields"] = copy.deepcopy(self.fields)
        data["unreserved_templates"] = copy.deepcopy(self.unreserved_templates)
        data["additional_data_other_subids"] = dict(self.additional_data_other_subids)
        data["is_dynamic"] = self.is_dynamic
        data["is_static"] = self.is_static
        data["key_type"] = self.key_type
        data["recurrence_url"] = self.recurrence_url
        data["relaxed"] = [_violation_dict(v) for v in self.relaxed]
        data["warnings"] = [_violation_dict(v) for v in self.warnings]
        return data


def _violation_dict(v: Violation) -> dict[str, Any]:
    return {"field": v.field, "rule": v.rule, "value": v.value, "message": v.message}
