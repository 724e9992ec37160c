"""The settlement rule: which amount settles a charge when a Pix arrives. One place for it.

- legacy and cob: exactly the charge's amount;
- cob with `valor.modalidadeAlteracao = 1`: any positive amount (the payer chose it);
- cobv: exactly the amount due on the Pix's arrival date in Brasília (`cobv.amount`), and
  only up to the cobv's last payable day.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pixgate.charges.models import COBV, Charge
from pixgate.charges.money import decimal_to_cents
from pixgate.cobv import calendar
from pixgate.cobv.amount import AmountDue, amount_due
from pixgate.cobv.terms import Terms, terms_from_json


def cobv_terms(charge: Charge) -> Terms:
    """A cobv charge's terms as the pure amount function takes them."""
    assert charge.kind == COBV and charge.due_date is not None
    return terms_from_json(charge.amount, charge.due_date, charge.validity_days or 0,
                           charge.terms)


def due_on(charge: Charge, day: date) -> AmountDue | None:
    """For a cobv: the amount due (and its parts) on `day`; None for other charges."""
    return amount_due(cobv_terms(charge), day) if charge.kind == COBV else None


def expected_amount(charge: Charge, day: date) -> Decimal | None:
    """The one amount that settles the charge on `day`, or None when the payer chooses it."""
    if charge.amount_editable:
        return None
    due = due_on(charge, day)
    return due.final if due is not None else charge.amount


def refusal(charge: Charge, amount: Decimal, at: datetime | date) -> str | None:
    """Why a Pix of `amount` arriving at `at` cannot settle the charge, or None if it can."""
    day = at if not isinstance(at, datetime) else calendar.brasilia_date(at)
    due = due_on(charge, day)
    if due is not None and not due.payable:
        return (f"the cobv could be paid until {due.last_day.isoformat()}; "
                f"{day.isoformat()} is too late")
    expected = expected_amount(charge, day)
    if expected is None:
        return None if amount > 0 else "must be greater than zero"
    if decimal_to_cents(amount) != decimal_to_cents(expected):
        if due is not None:
            return f"must equal the amount due on {day.isoformat()}: {expected}"
        return f"must equal the payment amount {expected}"
    return None
