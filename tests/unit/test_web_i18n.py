"""Language choice and money/time formatting of the pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from flask import Flask

from pixgate.charges.money import parse_typed
from pixgate.web import i18n
from pixgate.web.catalog import MESSAGES
from tests.factories import random_amount

app = Flask(__name__)


def _lang(path: str = "/", **headers: str) -> str:
    with app.test_request_context(path, headers=headers):
        from flask import request

        return i18n.pick_language(request)


@pytest.mark.parametrize(("header", "expected"), [
    (None, "pt-BR"), ("en-US,en;q=0.9", "en"), ("pt-BR,pt;q=0.9,en;q=0.8", "pt-BR"),
    ("fr-FR", "pt-BR"), ("fr;q=1, en;q=0.5", "en"), ("de, pt;q=0.2, en;q=0.1", "pt-BR"),
])
def test_accept_language_picks_english_only_when_preferred(header: str | None,
                                                           expected: str) -> None:
    assert _lang(**({"Accept-Language": header} if header else {})) == expected


def test_query_beats_header_and_cookie() -> None:
    assert _lang("/?lang=en", **{"Accept-Language": "pt-BR"}) == "en"
    assert _lang("/?lang=pt", **{"Accept-Language": "en"}) == "pt-BR"
    assert _lang("/?lang=xx", **{"Accept-Language": "en"}) == "en"
    assert _lang("/", Cookie=f"{i18n.COOKIE}=en") == "en"


def test_every_message_has_both_languages_and_the_same_placeholders() -> None:
    import string

    for key, (pt, en) in MESSAGES.items():
        assert pt and en, key
        names = [{f for _, f, _, _ in string.Formatter().parse(text) if f} for text in (pt, en)]
        assert names[0] == names[1], key


def test_money_is_formatted_exactly_from_the_decimal() -> None:
    assert i18n.format_brl(Decimal("1234567.89"), "pt-BR") == "R$ 1.234.567,89"
    assert i18n.format_brl(Decimal("1234567.89"), "en") == "R$ 1,234,567.89"
    assert i18n.format_brl(Decimal("0.1"), "pt-BR") == "R$ 0,10"
    for _ in range(50):
        amount = random_amount()
        assert parse_typed(i18n.format_brl(amount, "pt-BR")) == amount
        assert parse_typed(i18n.format_brl(amount, "en")[3:].replace(",", "")) == amount


def test_times_are_shown_on_brasilia_time_and_countdowns_are_exact() -> None:
    moment = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    assert i18n.local_time(moment, "pt-BR") == "02/01/2026 00:04"
    assert i18n.local_time(moment, "en") == "2026-01-02 00:04"
    assert i18n.remaining(moment + timedelta(seconds=125), moment) == "02:05"
    assert i18n.remaining(moment + timedelta(hours=2, seconds=5), moment) == "2:00:05"
    assert i18n.remaining(moment + timedelta(days=1, seconds=61), moment) == "1d 0:01:01"
    assert i18n.remaining(moment - timedelta(seconds=5), moment) == "00:00"
