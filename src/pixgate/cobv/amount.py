"""The amount due on a payment date (BCB `valor.final`): pure, Decimal, every rounding stated.

Rules (docs/bcb-api.md, "How a cobv's amount is computed"):

- V' is the due date moved to the next business day when it is not one. The cobv can be paid
  up to L = next business day of (V' + validadeAposVencimento calendar days), inclusive.
- Every percentage is a percentage of `valor.original`.
- abatimento applies on every date.
- desconto applies only up to its date: modalidades 1-2 take the first fixed date on or after
  the payment date (a date equal to the due date counts as V'); 3-6 multiply by the days of
  early payment, the days d with D <= d < V' (all of them, or business days only).
- multa applies once the payment date D is after V'.
- juros counts the days after V' up to and including D (all of them, or business days
  only), simple interest: a monthly rate is spread over 30 calendar or 21 business days,
  a yearly rate over 365 calendar or 252 business days.
- Each part is rounded once, to the centavo, half up: abatimento, desconto, multa and juros.
  `final` = original - abatimento - desconto + multa + juros is then exact.
- The deductions never take the amount below R$ 0.01 (a Pix cannot be of zero): the
  discount is reduced first, then the rebate, and the parts shown are the ones applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from pixgate.cobv import calendar
from pixgate.cobv.terms import (
    DISCOUNT_FIXED_DATES,
    DISCOUNT_PER_DAY,
    FINE_PERCENT,
    INTEREST,
    REBATE_PERCENT,
    Terms,
)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class AmountDue:
    """`valor` of a CobVPayload for one payment date, plus whether that date may pay."""

    payment_date: date
    original: Decimal
    abatimento: Decimal
    desconto: Decimal
    multa: Decimal
    juros: Decimal
    final: Decimal
    payable: bool
    due_date: date  # V', after moving off a weekend or holiday
    last_day: date


def to_cent(value: Decimal) -> Decimal:
    """The one rounding step: to the centavo, half up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def adjusted_due_date(terms: Terms) -> date:
    """V': the due date, or the next business day when it falls on a weekend or holiday."""
    return calendar.next_business_day(terms.due_date)


def last_payable_day(terms: Terms) -> date:
    """L: the last day a payment is accepted (BCB's examples A to G in CobDataDeVencimento)."""
    return calendar.next_business_day(
        adjusted_due_date(terms) + timedelta(days=terms.validity_days))


def amount_due(terms: Terms, on: date) -> AmountDue:
    """The amount a Pix paid on `on` (a Brasília date) must carry, and its parts."""
    due, original = adjusted_due_date(terms), terms.original
    rebate = _rebate(terms)
    discount = _discount(terms, on, due)
    fine = _fine(terms) if on > due else ZERO
    interest = _interest(terms, on, due) if on > due else ZERO
    floor = original - CENT
    rebate = min(rebate, floor)
    discount = min(discount, floor - rebate)
    final = original - rebate - discount + fine + interest
    last = last_payable_day(terms)
    return AmountDue(on, original, rebate, discount, fine, interest, final,
                     payable=on <= last, due_date=due, last_day=last)


def _percent_of(original: Decimal, percent: Decimal) -> Decimal:
    return original * percent / HUNDRED


def _rebate(terms: Terms) -> Decimal:
    rule = terms.abatimento
    if rule is None:
        return ZERO
    if rule.modalidade == REBATE_PERCENT:
        return to_cent(_percent_of(terms.original, rule.valor_perc))
    return to_cent(rule.valor_perc)


def _fine(terms: Terms) -> Decimal:
    rule = terms.multa
    if rule is None:
        return ZERO
    if rule.modalidade == FINE_PERCENT:
        return to_cent(_percent_of(terms.original, rule.valor_perc))
    return to_cent(rule.valor_perc)


def _interest(terms: Terms, on: date, due: date) -> Decimal:
    rule = terms.juros
    if rule is None:
        return ZERO
    unit, days_kind, period = INTEREST[rule.modalidade]
    after_due = due + timedelta(days=1)
    if days_kind == "calendar":
        days = (on - due).days
    else:
        days = calendar.business_days_in(after_due, on + timedelta(days=1))
    if unit == "value":
        return to_cent(rule.valor_perc * days)
    return to_cent(_percent_of(terms.original, rule.valor_perc) * days / period)


def _discount(terms: Terms, on: date, due: date) -> Decimal:
    rule = terms.desconto
    if rule is None:
        return ZERO
    if rule.modalidade in DISCOUNT_FIXED_DATES:
        for limit, value in sorted(rule.dates):
            effective = due if limit == terms.due_date else limit
            if on <= effective:
                if rule.modalidade == 2:
                    return to_cent(_percent_of(terms.original, value))
                return to_cent(value)
        return ZERO
    unit, days_kind = DISCOUNT_PER_DAY[rule.modalidade]
    if on >= due or rule.valor_perc is None:
        return ZERO
    days = (due - on).days if days_kind == "calendar" else calendar.business_days_in(on, due)
    if unit == "value":
        return to_cent(rule.valor_perc * days)
    return to_cent(_percent_of(terms.original, rule.valor_perc) * days)
