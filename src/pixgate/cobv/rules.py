"""Every rule BCB states for a cobv's terms (CobVOperacaoInvalida), plus pixgate's bounds."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from pixgate.cobv.documents import valid_cnpj, valid_cpf
from pixgate.cobv.terms import DISCOUNT_FIXED_DATES, Terms

MAX_VALIDITY_DAYS = 3660  # pixgate's bound: ten years of validity after the due date
MAX_DUE_AHEAD_DAYS = 3660  # pixgate's bound: a due date at most ten years ahead
HUNDRED = Decimal(100)
P = "cobv.valor"


def check_terms(terms: Terms, *, created_on: date) -> list[tuple[str, str]]:
    """Problems with a complete set of terms, each naming its field (empty when valid)."""
    problems: list[tuple[str, str]] = []
    original = terms.original
    if original <= 0:
        problems.append((f"{P}.original", "must be greater than zero"))
    if terms.due_date < created_on:
        problems.append(("cobv.calendario.dataDeVencimento",
                         f"is before the cobv's creation date {created_on.isoformat()}"))
    elif terms.due_date > created_on + timedelta(days=MAX_DUE_AHEAD_DAYS):
        problems.append(("cobv.calendario.dataDeVencimento",
                         f"must be at most {MAX_DUE_AHEAD_DAYS} days after creation"))
    if terms.validity_days < 0:
        problems.append(("cobv.calendario.validadeAposVencimento", "must not be negative"))
    elif terms.validity_days > MAX_VALIDITY_DAYS:
        problems.append(("cobv.calendario.validadeAposVencimento",
                         f"must be at most {MAX_VALIDITY_DAYS} days"))
    rebate = terms.abatimento
    if rebate is not None and original > 0:
        limit = original if rebate.modalidade == 1 else HUNDRED
        if rebate.valor_perc >= limit:
            problems.append((f"{P}.abatimento", "must be less than the original amount "
                             "(modalidade 1) or less than 100% (modalidade 2)"))
    problems.extend(_discount_problems(terms))
    return problems


def _discount_problems(terms: Terms) -> list[tuple[str, str]]:
    rule, name = terms.desconto, f"{P}.desconto"
    if rule is None:
        return []
    problems: list[tuple[str, str]] = []
    percent = rule.modalidade in (2, 5, 6)
    limit = HUNDRED if percent else terms.original
    too_big = "must be less than the original amount" if not percent else "must be below 100%"
    if rule.modalidade in DISCOUNT_FIXED_DATES:
        if rule.valor_perc is not None:
            problems.append((f"{name}.valorPerc", "must be absent for modalidade 1 or 2 "
                             "(the values go in descontoDataFixa)"))
        if not rule.dates:
            problems.append((f"{name}.descontoDataFixa", "is required for modalidade 1 or 2"))
        seen: set[date] = set()
        for i, (day, value) in enumerate(rule.dates):
            where = f"{name}.descontoDataFixa[{i}]"
            if day > terms.due_date:
                problems.append((f"{where}.data", "is after calendario.dataDeVencimento"))
            if day in seen:
                problems.append((f"{where}.data", "repeats an earlier discount date"))
            seen.add(day)
            if value >= limit:
                problems.append((f"{where}.valorPerc", too_big))
        return problems
    if rule.dates:
        problems.append((f"{name}.descontoDataFixa", "must be absent for modalidades 3 to 6"))
    if rule.valor_perc is None:
        problems.append((f"{name}.valorPerc", "is required for modalidades 3 to 6"))
    elif rule.valor_perc >= limit:
        problems.append((f"{name}.valorPerc", too_big))
    return problems


def check_person(person: dict[str, Any] | None, *, field: str) -> list[tuple[str, str]]:
    """A devedor's CPF or CNPJ must carry the right check digits."""
    if not person:
        return [(field, "is required: nome with cpf or cnpj")]
    if "cpf" in person and not valid_cpf(person["cpf"]):
        return [(f"{field}.cpf", "has wrong check digits")]
    if "cnpj" in person and not valid_cnpj(person["cnpj"]):
        return [(f"{field}.cnpj", "has wrong check digits")]
    return []
