"""The amount due, case by case; every expected value is worked out by hand in the comment.

Calendar facts used (2025): Jun 1 is a Sunday, so Jun 6 Fri, Jun 9 Mon, Jun 10 Tue,
Jun 14 Sat, Jun 16 Mon; no national holiday in June 2025. Dec 25 2025 (Thu) and Jan 1 2026
(Thu) are national holidays; Apr 18 2025 is Good Friday, Apr 21 2025 (Mon) Tiradentes.
2024 is a leap year: Feb 28 2024 is a Wednesday, Feb 29 a Thursday, Mar 1 a Friday.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from pixgate.cobv.amount import amount_due, last_payable_day
from pixgate.cobv.terms import Discount, Rule, Terms

D = Decimal


def terms(original: str, due: str, **rules: object) -> Terms:
    return Terms(original=D(original), due_date=date.fromisoformat(due), **rules)  # type: ignore[arg-type]


def rule(modalidade: int, value: str) -> Rule:
    return Rule(modalidade, D(value))


def dates(modalidade: int, *pairs: tuple[str, str]) -> Discount:
    return Discount(modalidade, None, tuple((date.fromisoformat(d), D(v)) for d, v in pairs))


def per_day(modalidade: int, value: str) -> Discount:
    return Discount(modalidade, D(value))


JUNE = "2025-06-10"  # a Tuesday
# (case, terms, payment date, (abatimento, desconto, multa, juros, final))
CASES = [
    # --- multa ---
    ("multa 2% before due", terms("100.00", JUNE, multa=rule(2, "2.00")), "2025-06-09",
     ("0.00", "0.00", "0.00", "0.00", "100.00")),
    ("multa 2% on due date", terms("100.00", JUNE, multa=rule(2, "2.00")), "2025-06-10",
     ("0.00", "0.00", "0.00", "0.00", "100.00")),
    ("multa 2% one day late: 100 x 2%", terms("100.00", JUNE, multa=rule(2, "2.00")),
     "2025-06-11", ("0.00", "0.00", "2.00", "0.00", "102.00")),
    ("multa fixed 5.50 late", terms("100.00", JUNE, multa=rule(1, "5.50")), "2025-06-20",
     ("0.00", "0.00", "5.50", "0.00", "105.50")),
    ("multa 2% of 100.25 = 2.005, half up 2.01", terms("100.25", JUNE, multa=rule(2, "2.00")),
     "2025-06-11", ("0.00", "0.00", "2.01", "0.00", "102.26")),
    # --- juros, all eight modalidades ---
    ("juros 1: 0.10/day, 5 calendar days (11..15)", terms("100.00", JUNE, juros=rule(1, "0.10")),
     "2025-06-15", ("0.00", "0.00", "0.00", "0.50", "100.50")),
    ("juros 1 + multa 2%", terms("100.00", JUNE, juros=rule(1, "0.10"), multa=rule(2, "2.00")),
     "2025-06-15", ("0.00", "0.00", "2.00", "0.50", "102.50")),
    ("juros 2: 0.03%/day x 3 days = 0.09", terms("100.00", JUNE, juros=rule(2, "0.03")),
     "2025-06-13", ("0.00", "0.00", "0.00", "0.09", "100.09")),
    ("juros 3: 1%/month, 15 days: 100 x 1% x 15/30", terms("100.00", JUNE, juros=rule(3, "1.00")),
     "2025-06-25", ("0.00", "0.00", "0.00", "0.50", "100.50")),
    ("juros 4: 12%/year, 10 days: 12 x 10/365 = 0.3287", terms("100.00", JUNE,
     juros=rule(4, "12.00")), "2025-06-20", ("0.00", "0.00", "0.00", "0.33", "100.33")),
    ("juros 5: 0.25/business day, Jun 11,12,13,16", terms("100.00", JUNE, juros=rule(5, "0.25")),
     "2025-06-16", ("0.00", "0.00", "0.00", "1.00", "101.00")),
    ("juros 6: 0.10%/bday, paid Sat: 11,12,13 -> 3", terms("1000.00", JUNE,
     juros=rule(6, "0.10")), "2025-06-14", ("0.00", "0.00", "0.00", "3.00", "1003.00")),
    ("juros 7: 2.10%/month over 21 bdays, 5 bdays", terms("1000.00", JUNE,
     juros=rule(7, "2.10")), "2025-06-17", ("0.00", "0.00", "0.00", "5.00", "1005.00")),
    ("juros 8: 25.20%/year over 252 bdays, 2 bdays", terms("1000.00", JUNE,
     juros=rule(8, "25.20")), "2025-06-12", ("0.00", "0.00", "0.00", "2.00", "1002.00")),
    ("juros 4 on 123.45: 12.345/365 = 0.0338", terms("123.45", JUNE, juros=rule(4, "10.00")),
     "2025-06-11", ("0.00", "0.00", "0.00", "0.03", "123.48")),
    ("juros never before the due date", terms("100.00", JUNE, juros=rule(1, "0.10")),
     "2025-06-10", ("0.00", "0.00", "0.00", "0.00", "100.00")),
    # --- abatimento ---
    ("abatimento fixed 10 before due", terms("100.00", JUNE, abatimento=rule(1, "10.00")),
     "2025-06-01", ("10.00", "0.00", "0.00", "0.00", "90.00")),
    ("abatimento fixed 10 after due", terms("100.00", JUNE, abatimento=rule(1, "10.00")),
     "2025-06-30", ("10.00", "0.00", "0.00", "0.00", "90.00")),
    ("abatimento 5% of 100", terms("100.00", JUNE, abatimento=rule(2, "5.00")), "2025-06-10",
     ("5.00", "0.00", "0.00", "0.00", "95.00")),
    ("abatimento 1% of 100.50 = 1.005 -> 1.01", terms("100.50", JUNE,
     abatimento=rule(2, "1.00")), "2025-06-10", ("1.01", "0.00", "0.00", "0.00", "99.49")),
    # --- desconto 1 and 2: fixed dates ---
    ("desconto 1, before the first date", terms("100.00", JUNE, desconto=dates(
        1, ("2025-06-05", "10.00"), ("2025-06-08", "5.00"))), "2025-06-03",
     ("0.00", "10.00", "0.00", "0.00", "90.00")),
    ("desconto 1, on the first date", terms("100.00", JUNE, desconto=dates(
        1, ("2025-06-05", "10.00"), ("2025-06-08", "5.00"))), "2025-06-05",
     ("0.00", "10.00", "0.00", "0.00", "90.00")),
    ("desconto 1, between: second date's value", terms("100.00", JUNE, desconto=dates(
        1, ("2025-06-08", "5.00"), ("2025-06-05", "10.00"))), "2025-06-06",
     ("0.00", "5.00", "0.00", "0.00", "95.00")),
    ("desconto 1, after the last date", terms("100.00", JUNE, desconto=dates(
        1, ("2025-06-05", "10.00"), ("2025-06-08", "5.00"))), "2025-06-09",
     ("0.00", "0.00", "0.00", "0.00", "100.00")),
    ("desconto 1, three dates, the third", terms("100.00", JUNE, desconto=dates(
        1, ("2025-06-01", "9.00"), ("2025-06-05", "6.00"), ("2025-06-10", "3.00"))),
     "2025-06-10", ("0.00", "3.00", "0.00", "0.00", "97.00")),
    ("desconto 2: 3% until the due date", terms("100.00", JUNE, desconto=dates(
        2, (JUNE, "3.00"))), "2025-06-10", ("0.00", "3.00", "0.00", "0.00", "97.00")),
    ("desconto 2 never after its date", terms("100.00", JUNE, desconto=dates(
        2, (JUNE, "3.00"))), "2025-06-11", ("0.00", "0.00", "0.00", "0.00", "100.00")),
    # --- desconto 3 to 6: per day of early payment ---
    ("desconto 3: 0.50 x 4 calendar days (6,7,8,9)", terms("100.00", JUNE,
     desconto=per_day(3, "0.50")), "2025-06-06", ("0.00", "2.00", "0.00", "0.00", "98.00")),
    ("desconto 3 on the due date: none", terms("100.00", JUNE, desconto=per_day(3, "0.50")),
     "2025-06-10", ("0.00", "0.00", "0.00", "0.00", "100.00")),
    ("desconto 4: 0.50 x bdays Fri 6, Mon 9", terms("100.00", JUNE,
     desconto=per_day(4, "0.50")), "2025-06-06", ("0.00", "1.00", "0.00", "0.00", "99.00")),
    ("desconto 4 paid Saturday: only Mon 9", terms("100.00", JUNE,
     desconto=per_day(4, "0.50")), "2025-06-07", ("0.00", "0.50", "0.00", "0.00", "99.50")),
    ("desconto 5: 0.10% x 9 calendar days of 1000", terms("1000.00", JUNE,
     desconto=per_day(5, "0.10")), "2025-06-01", ("0.00", "9.00", "0.00", "0.00", "991.00")),
    ("desconto 6: 0.10% x 6 bdays (2,3,4,5,6,9)", terms("1000.00", JUNE,
     desconto=per_day(6, "0.10")), "2025-06-01", ("0.00", "6.00", "0.00", "0.00", "994.00")),
    # --- everything together ---
    ("abat 10 + multa 2% + juros 1%/month, 30 days", terms("200.00", JUNE,
     abatimento=rule(1, "10.00"), multa=rule(2, "2.00"), juros=rule(3, "1.00")), "2025-07-10",
     ("10.00", "0.00", "4.00", "2.00", "196.00")),
    ("abat 99% + desconto 5: floored at 0.01", terms("100.00", JUNE,
     abatimento=rule(2, "99.00"), desconto=dates(1, (JUNE, "5.00"))), "2025-06-01",
     ("99.00", "0.99", "0.00", "0.00", "0.01")),
    # --- due date on a weekend: V' = Mon Jun 16 ---
    ("due Sat, paid Sat", terms("100.00", "2025-06-14", multa=rule(2, "2.00"),
     juros=rule(1, "0.10")), "2025-06-14", ("0.00", "0.00", "0.00", "0.00", "100.00")),
    ("due Sat, paid Mon: still on time", terms("100.00", "2025-06-14", multa=rule(2, "2.00"),
     juros=rule(1, "0.10")), "2025-06-16", ("0.00", "0.00", "0.00", "0.00", "100.00")),
    ("due Sat, paid Tue: 1 day from Mon", terms("100.00", "2025-06-14", multa=rule(2, "2.00"),
     juros=rule(1, "0.10")), "2025-06-17", ("0.00", "0.00", "2.00", "0.10", "102.10")),
    ("due Sat, paid Fri 20: 4 days from Mon", terms("100.00", "2025-06-14",
     multa=rule(2, "2.00"), juros=rule(1, "0.10")), "2025-06-20",
     ("0.00", "0.00", "2.00", "0.40", "102.40")),
    ("due Sat, discount dated the due date lasts to Mon", terms("100.00", "2025-06-14",
     desconto=dates(1, ("2025-06-14", "5.00"))), "2025-06-16",
     ("0.00", "5.00", "0.00", "0.00", "95.00")),
    ("due Sat, that discount is gone on Tue", terms("100.00", "2025-06-14",
     desconto=dates(1, ("2025-06-14", "5.00"))), "2025-06-17",
     ("0.00", "0.00", "0.00", "0.00", "100.00")),
    ("due Sat, desconto 3 counts to Mon: Fri,Sat,Sun", terms("100.00", "2025-06-14",
     desconto=per_day(3, "0.10")), "2025-06-13", ("0.00", "0.30", "0.00", "0.00", "99.70")),
    # --- due date on a national holiday ---
    ("due Christmas Thu, paid Fri 26: on time", terms("50.00", "2025-12-25",
     multa=rule(1, "2.00"), juros=rule(5, "0.50")), "2025-12-26",
     ("0.00", "0.00", "0.00", "0.00", "50.00")),
    ("due Christmas, paid Sat 27: fine, 0 bdays", terms("50.00", "2025-12-25",
     multa=rule(1, "2.00"), juros=rule(5, "0.50")), "2025-12-27",
     ("0.00", "0.00", "2.00", "0.00", "52.00")),
    ("due Christmas, paid Mon 29: 1 bday", terms("50.00", "2025-12-25",
     multa=rule(1, "2.00"), juros=rule(5, "0.50")), "2025-12-29",
     ("0.00", "0.00", "2.00", "0.50", "52.50")),
    ("due Christmas, paid Jan 2: 29,30,31, Jan 2 (Jan 1 off)", terms("50.00", "2025-12-25",
     multa=rule(1, "2.00"), juros=rule(5, "0.50")), "2026-01-02",
     ("0.00", "0.00", "2.00", "2.00", "54.00")),
    ("due Good Friday: Mon 21 is Tiradentes, V' = Tue 22", terms("100.00", "2025-04-18",
     multa=rule(2, "2.00")), "2025-04-22", ("0.00", "0.00", "0.00", "0.00", "100.00")),
    ("due Good Friday, paid Wed 23", terms("100.00", "2025-04-18", multa=rule(2, "2.00")),
     "2025-04-23", ("0.00", "0.00", "2.00", "0.00", "102.00")),
    # --- end of month ---
    ("due Jan 31, 3%/month, paid Feb 28: 28 days", terms("100.00", "2025-01-31",
     juros=rule(3, "3.00")), "2025-02-28", ("0.00", "0.00", "0.00", "2.80", "102.80")),
    ("due Jan 31, 3%/month, paid Mar 1: 29 days", terms("100.00", "2025-01-31",
     juros=rule(3, "3.00")), "2025-03-01", ("0.00", "0.00", "0.00", "2.90", "102.90")),
    ("due Sat May 31 -> Mon Jun 2, paid Jun 3", terms("100.00", "2025-05-31",
     juros=rule(1, "0.10")), "2025-06-03", ("0.00", "0.00", "0.00", "0.10", "100.10")),
    # --- leap years ---
    ("2024 leap: Feb 28 -> Mar 1 is 2 days", terms("100.00", "2024-02-28",
     juros=rule(1, "1.00")), "2024-03-01", ("0.00", "0.00", "0.00", "2.00", "102.00")),
    ("2025 not leap: Feb 28 -> Mar 1 is 1 day", terms("100.00", "2025-02-28",
     juros=rule(1, "1.00")), "2025-03-01", ("0.00", "0.00", "0.00", "1.00", "101.00")),
    ("2024 leap: 12%/year of 365.00 over 2 days", terms("365.00", "2024-02-28",
     juros=rule(4, "12.00")), "2024-03-01", ("0.00", "0.00", "0.00", "0.24", "365.24")),
    ("2024 leap: due Feb 29, paid Feb 29", terms("100.00", "2024-02-29",
     multa=rule(1, "1.00")), "2024-02-29", ("0.00", "0.00", "0.00", "0.00", "100.00")),
    ("2024 leap: due Feb 29, paid Mar 1", terms("100.00", "2024-02-29",
     multa=rule(1, "1.00")), "2024-03-01", ("0.00", "0.00", "1.00", "0.00", "101.00")),
    ("2024 leap: 1%/bday, Feb 29, Mar 1, Mar 4", terms("100.00", "2024-02-28",
     juros=rule(6, "1.00")), "2024-03-04", ("0.00", "0.00", "0.00", "3.00", "103.00")),
]


@pytest.mark.parametrize(("case", "cobv", "paid_on", "expected"), CASES, ids=[c[0] for c in CASES])
def test_amount_due(case: str, cobv: Terms, paid_on: str, expected: tuple[str, ...]) -> None:
    due = amount_due(cobv, date.fromisoformat(paid_on))
    parts = (due.abatimento, due.desconto, due.multa, due.juros, due.final)
    assert parts == tuple(D(value) for value in expected)
    assert all(part.as_tuple().exponent == -2 for part in parts)


def test_the_table_has_at_least_forty_cases() -> None:
    assert len(CASES) >= 40


# BCB's own examples A to G (CobDataDeVencimento.validadeAposVencimento): the last day accepted.
VALIDITY = [
    ("2020-10-20", 4, "2020-10-26"),  # A: Oct 24 is a Saturday, moved to Monday
    ("2020-12-25", 0, "2020-12-28"),  # B: Christmas on a Friday
    ("2020-12-25", 1, "2020-12-29"),  # C
    ("2020-12-25", 3, "2020-12-31"),  # D
    ("2020-12-25", 4, "2021-01-04"),  # E: Jan 1 holiday, then a weekend
    ("2021-08-27", 5, "2021-09-01"),  # F
    ("2021-08-28", 5, "2021-09-06"),  # G: due on a Saturday, end on a Saturday
]


@pytest.mark.parametrize(("due", "validity", "last"), VALIDITY)
def test_last_payable_day_follows_bcb_examples(due: str, validity: int, last: str) -> None:
    cobv = Terms(original=D("10.00"), due_date=date.fromisoformat(due), validity_days=validity)
    last_day = date.fromisoformat(last)
    assert last_payable_day(cobv) == last_day
    assert amount_due(cobv, last_day).payable
    assert not amount_due(cobv, date.fromordinal(last_day.toordinal() + 1)).payable
