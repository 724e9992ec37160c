"""A cobv's terms as plain values: what the amount due is computed from (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

FINE_FIXED, FINE_PERCENT = 1, 2
REBATE_FIXED, REBATE_PERCENT = 1, 2
# juros: (per-unit value?, calendar or business days, days in the rate's period)
INTEREST = {
    1: ("value", "calendar", 1), 2: ("percent", "calendar", 1),
    3: ("percent", "calendar", 30), 4: ("percent", "calendar", 365),
    5: ("value", "business", 1), 6: ("percent", "business", 1),
    7: ("percent", "business", 21), 8: ("percent", "business", 252),
}
DISCOUNT_FIXED_DATES = (1, 2)  # 1 value until each date, 2 percent until each date
# desconto 3..6: per day of early payment: (value or percent, calendar or business days)
DISCOUNT_PER_DAY = {3: ("value", "calendar"), 4: ("value", "business"),
                    5: ("percent", "calendar"), 6: ("percent", "business")}


@dataclass(frozen=True)
class Rule:
    """multa, juros or abatimento: a modalidade and its `valorPerc`."""

    modalidade: int
    valor_perc: Decimal


@dataclass(frozen=True)
class Discount:
    """desconto: fixed dates (1-2) with their values, or a per-day value (3-6)."""

    modalidade: int
    valor_perc: Decimal | None = None
    dates: tuple[tuple[date, Decimal], ...] = ()


@dataclass(frozen=True)
class Terms:
    """Everything the amount due depends on, besides the payment date."""

    original: Decimal
    due_date: date
    validity_days: int = 30
    multa: Rule | None = None
    juros: Rule | None = None
    abatimento: Rule | None = None
    desconto: Discount | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def terms_to_json(terms: Terms) -> dict[str, Any]:
    """BCB's `valor` sub-objects (without `original`), as stored with the charge."""
    body: dict[str, Any] = {}
    for name in ("multa", "juros", "abatimento"):
        rule = getattr(terms, name)
        if rule is not None:
            body[name] = {"modalidade": rule.modalidade, "valorPerc": str(rule.valor_perc)}
    if terms.desconto is not None:
        discount: dict[str, Any] = {"modalidade": terms.desconto.modalidade}
        if terms.desconto.valor_perc is not None:
            discount["valorPerc"] = str(terms.desconto.valor_perc)
        if terms.desconto.dates:
            discount["descontoDataFixa"] = [{"data": d.isoformat(), "valorPerc": str(v)}
                                            for d, v in terms.desconto.dates]
        body["desconto"] = discount
    return body


def terms_from_json(original: Decimal, due_date: date, validity_days: int,
                    valor: dict[str, Any] | None) -> Terms:
    """The inverse of `terms_to_json` (stored values were validated when written)."""
    valor = valor or {}

    def rule(name: str) -> Rule | None:
        raw = valor.get(name)
        return Rule(int(raw["modalidade"]), Decimal(raw["valorPerc"])) if raw else None

    discount = None
    raw = valor.get("desconto")
    if raw:
        dates = tuple((date.fromisoformat(item["data"]), Decimal(item["valorPerc"]))
                      for item in raw.get("descontoDataFixa") or ())
        perc = raw.get("valorPerc")
        discount = Discount(int(raw["modalidade"]),
                            Decimal(perc) if perc is not None else None, dates)
    return Terms(original=original, due_date=due_date, validity_days=validity_days,
                 multa=rule("multa"), juros=rule("juros"), abatimento=rule("abatimento"),
                 desconto=discount)
