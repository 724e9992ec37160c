"""The merchant dashboard's rules and queries (its pages live in pixgate.web.dashboard)."""

from __future__ import annotations

from datetime import timedelta, timezone

try:  # Pix runs on Brasília time: the business day and every time shown follow it.
    from zoneinfo import ZoneInfo

    BRASILIA: timezone | ZoneInfo = ZoneInfo("America/Sao_Paulo")
except Exception:  # no tz database on the host: Brazil has had no DST since 2019
    BRASILIA = timezone(timedelta(hours=-3), "BRT")
