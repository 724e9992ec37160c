"""Properties of the amount due that must hold for any terms and any payment date."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from pixgate.cobv.amount import adjusted_due_date, amount_due
from pixgate.cobv.terms import DISCOUNT_FIXED_DATES, Discount, Rule, Terms

money = st.integers(min_value=1, max_value=10**9).map(lambda c: Decimal(c) / 100)
percent = st.integers(min_value=0, max_value=9999).map(lambda c: Decimal(c) / 100)
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


def _rule(modalidades: range) -> st.SearchStrategy[Rule | None]:
    return st.none() | st.builds(Rule, st.sampled_from(modalidades), percent | money)


@st.composite
def cobvs(draw: st.DrawFn) -> Terms:
    original = draw(money)
    due = draw(days)
    modalidade = draw(st.integers(min_value=1, max_value=6))
    discount = None
    if draw(st.booleans()):
        if modalidade in DISCOUNT_FIXED_DATES:
            pairs = draw(st.lists(st.tuples(st.integers(0, 60), percent | money),
                                  min_size=1, max_size=3, unique_by=lambda p: p[0]))
            discount = Discount(modalidade, None,
                                tuple((due - timedelta(days=back), v) for back, v in pairs))
        else:
            discount = Discount(modalidade, draw(percent | money))
    return Terms(original=original, due_date=due, validity_days=draw(st.integers(0, 90)),
                 multa=draw(_rule(range(1, 3))), juros=draw(_rule(range(1, 9))),
                 abatimento=draw(_rule(range(1, 3))), desconto=discount)


@settings(max_examples=300, deadline=None)
@given(cobvs(), st.integers(-120, 120))
def test_never_below_zero_and_always_to_the_centavo(cobv: Terms, offset: int) -> None:
    due = amount_due(cobv, cobv.due_date + timedelta(days=offset))
    assert due.final >= Decimal("0.01")
    for part in (due.abatimento, due.desconto, due.multa, due.juros, due.final):
        assert part >= 0 and part.as_tuple().exponent == -2
    assert due.final == due.original - due.abatimento - due.desconto + due.multa + due.juros


@settings(max_examples=300, deadline=None)
@given(cobvs(), st.integers(1, 200), st.integers(0, 200))
def test_paying_later_never_costs_less_after_the_due_date(
    cobv: Terms, first: int, more: int
) -> None:
    due = adjusted_due_date(cobv)
    earlier = amount_due(cobv, due + timedelta(days=first))
    later = amount_due(cobv, due + timedelta(days=first + more))
    assert later.final >= earlier.final
    assert later.juros >= earlier.juros


@settings(max_examples=300, deadline=None)
@given(cobvs(), st.integers(1, 200))
def test_a_discount_never_applies_after_its_date(cobv: Terms, after: int) -> None:
    rule = cobv.desconto
    due = adjusted_due_date(cobv)
    if rule is not None and rule.dates:
        last = max(due if d == cobv.due_date else d for d, _ in rule.dates)
    else:
        last = due
    assert amount_due(cobv, last + timedelta(days=after)).desconto == 0
    assert amount_due(cobv, due + timedelta(days=after)).desconto == 0
