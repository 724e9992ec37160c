"""Business days for cobv: weekends and Brazil's national holidays (the `holidays` package).

Municipal and state holidays are not used: the payer's municipality (`codMun`) is only
validated, because a national calendar is the one both the payer's and pixgate's side know.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays

BRASILIA = ZoneInfo("America/Sao_Paulo")
ONE_DAY = timedelta(days=1)


@functools.cache
def _national_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("BR", years=year))


def is_business_day(day: date) -> bool:
    """Monday to Friday and not a national holiday."""
    return day.weekday() < 5 and day not in _national_holidays(day.year)


def next_business_day(day: date) -> date:
    """`day` itself when it is a business day, else the first business day after it."""
    while not is_business_day(day):
        day += ONE_DAY
    return day


def business_days_in(start: date, end: date) -> int:
    """How many business days d satisfy start <= d < end (0 when end <= start)."""
    count, day = 0, start
    while day < end:
        count += is_business_day(day)
        day += ONE_DAY
    return count


def brasilia_date(moment: datetime) -> date:
    """The calendar date in Brasília of an aware instant (BCB's dates are Brasília dates)."""
    return moment.astimezone(BRASILIA).date()


def brasilia_today() -> date:
    """Today in Brasília."""
    return brasilia_date(datetime.now(UTC))


def end_of_day_utc(day: date) -> datetime:
    """The first instant after `day` ends in Brasília, in UTC (a cobv's `expires_at`)."""
    start_next = datetime.combine(day + ONE_DAY, datetime.min.time(), tzinfo=BRASILIA)
    return start_next.astimezone(UTC)
