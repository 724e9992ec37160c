"""Read a cobv `valor` object (CobVValor) into Terms parts, naming every shape problem (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from pixgate.charges import money as amounts
from pixgate.charges.errors import InvalidInput
from pixgate.charges.money import VALOR
from pixgate.cobv.terms import Discount, Rule

P = "cobv.valor"
RANGES = {"multa": (1, 2), "juros": (1, 8), "abatimento": (1, 2)}
Problems = list[tuple[str, str]]


@dataclass(frozen=True)
class Valor:
    """What a `valor` object said; a part is None when the object did not carry it."""

    original: Decimal | None
    parts: dict[str, Any]  # multa/juros/abatimento -> Rule, desconto -> Discount (given only)
    modalidade_alteracao: int | None = None


def money(raw: Any) -> Decimal | None:
    """A `valorPerc` (an amount or a percentage, BCB's money pattern; zero allowed), or None."""
    return Decimal(raw) if isinstance(raw, str) and VALOR.fullmatch(raw) else None


def _modalidade(raw: Any, low: int, high: int) -> int | None:
    ok = (isinstance(raw, int) and not isinstance(raw, bool)) or (
        isinstance(raw, Decimal) and raw.is_finite() and raw == raw.to_integral_value())
    return int(raw) if ok and low <= int(raw) <= high else None


def _rule(name: str, raw: Any, problems: Problems) -> Rule | None:
    low, high = RANGES[name]
    if not isinstance(raw, dict) or set(raw) - {"modalidade", "valorPerc"}:
        problems.append((f"{P}.{name}", "must be an object {modalidade, valorPerc}"))
        return None
    modalidade = _modalidade(raw.get("modalidade"), low, high)
    value = money(raw.get("valorPerc"))
    if modalidade is None:
        problems.append((f"{P}.{name}.modalidade", f"must be an integer from {low} to {high}"))
    if value is None:
        problems.append((f"{P}.{name}.valorPerc", 'must be a string like "2.00"'))
    return Rule(modalidade, value) if modalidade is not None and value is not None else None


def _discount(raw: Any, problems: Problems) -> Discount | None:
    name = f"{P}.desconto"
    if not isinstance(raw, dict) or set(raw) - {"modalidade", "valorPerc", "descontoDataFixa"}:
        problems.append((name, "must be an object {modalidade, valorPerc or descontoDataFixa}"))
        return None
    modalidade = _modalidade(raw.get("modalidade"), 1, 6)
    if modalidade is None:
        problems.append((f"{name}.modalidade", "must be an integer from 1 to 6"))
    value = None
    if "valorPerc" in raw:
        value = money(raw["valorPerc"])
        if value is None:
            problems.append((f"{name}.valorPerc", 'must be a string like "2.00"'))
    dates: list[tuple[date, Decimal]] = []
    fixed = raw.get("descontoDataFixa")
    if fixed is not None:
        if not isinstance(fixed, list) or not 1 <= len(fixed) <= 3:
            problems.append((f"{name}.descontoDataFixa", "must be a list of 1 to 3 items"))
            fixed = []
        for i, item in enumerate(fixed):
            where = f"{name}.descontoDataFixa[{i}]"
            day = _date(item.get("data")) if isinstance(item, dict) else None
            amount = money(item.get("valorPerc")) if isinstance(item, dict) else None
            if not isinstance(item, dict) or set(item) - {"data", "valorPerc"}:
                problems.append((where, "must be an object {data, valorPerc}"))
            elif day is None:
                problems.append((f"{where}.data", "must be a date YYYY-MM-DD"))
            elif amount is None:
                problems.append((f"{where}.valorPerc", 'must be a string like "2.00"'))
            else:
                dates.append((day, amount))
    return Discount(modalidade, value, tuple(dates)) if modalidade is not None else None


def _date(raw: Any) -> date | None:
    if not isinstance(raw, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def parse_date(raw: Any) -> date | None:
    """A strict `YYYY-MM-DD`, or None."""
    return _date(raw)


def parse_valor(raw: Any, problems: Problems, *, allow: frozenset[str]) -> Valor | None:
    """CobVValor: `original` plus the parts in `allow`; problems are appended, not raised."""
    if not isinstance(raw, dict):
        problems.append((P, "must be an object"))
        return None
    for key in raw:
        if key != "original" and key not in allow:
            problems.append((f"{P}.{key}", "is not a property of a cobv valor"))
    original = None
    if "original" in raw:
        try:
            original = amounts.parse_valor(raw["original"], field=f"{P}.original")
        except InvalidInput as exc:
            problems.append((f"{P}.original", exc.reason))
    parts: dict[str, Any] = {}
    for name in ("multa", "juros", "abatimento"):
        if name in raw and name in allow:
            parts[name] = _rule(name, raw[name], problems)
    if "desconto" in raw and "desconto" in allow:
        parts["desconto"] = _discount(raw["desconto"], problems)
    return Valor(original, parts)
