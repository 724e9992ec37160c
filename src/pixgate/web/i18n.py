"""Language choice and formatting for pages: Portuguese by default, English on request."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from flask import Request

from pixgate.dashboard import BRASILIA
from pixgate.web.catalog import MESSAGES

PT, EN = "pt-BR", "en"
LANGUAGES = (PT, EN)
COOKIE = "pixgate_lang"


def _normalise(raw: str | None) -> str | None:
    value = (raw or "").strip().lower()
    if value.startswith("en"):
        return EN
    if value.startswith("pt"):
        return PT
    return None


def explicit_language(request: Request) -> str | None:
    """The language the visitor picked with `?lang=`, if any (it is then remembered)."""
    return _normalise(request.args.get("lang"))


def pick_language(request: Request) -> str:
    """`?lang=`, then the remembered choice, then Accept-Language; Portuguese otherwise."""
    chosen = explicit_language(request) or _normalise(request.cookies.get(COOKIE))
    if chosen:
        return chosen
    best = request.accept_languages.best_match(["pt-BR", "pt", "en"])
    return EN if best == "en" else PT


def translator(lang: str) -> Callable[..., str]:
    """`t("key", name=value)` in the chosen language, so templates never branch on it."""
    table = MESSAGES
    index = LANGUAGES.index(lang) if lang in LANGUAGES else 0

    def t(key: str, **values: object) -> str:
        text = table[key][index]
        return text.format(**values) if values else text

    return t


def format_brl(amount: Decimal, lang: str) -> str:
    """R$ 1.234,56 in Portuguese, R$ 1,234.56 in English: exact, from the Decimal itself."""
    text = f"{amount.quantize(Decimal('0.01')):,.2f}"
    if lang == PT:
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return f"R$ {text}"


def local_time(moment: datetime | None, lang: str) -> str:
    """A moment on Brasília time, written the way each language's readers expect."""
    if moment is None:
        return ""
    local = moment.astimezone(BRASILIA)
    return local.strftime("%d/%m/%Y %H:%M" if lang == PT else "%Y-%m-%d %H:%M")


def clock(moment: datetime) -> str:
    """Just the hour and minute on Brasília time (same in both languages)."""
    return moment.astimezone(BRASILIA).strftime("%H:%M")


def remaining(until: datetime, now: datetime) -> str:
    """The countdown text the page shows before its script takes over: [Nd ]H:MM:SS or MM:SS."""
    seconds = max(0, int((until - now).total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours}:{minutes:02d}:{secs:02d}" if hours or days else f"{minutes:02d}:{secs:02d}"
    return f"{days}d {text}" if days else text
