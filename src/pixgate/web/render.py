"""Shared page rendering: the language, its translator and formatters in every template."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, make_response, render_template, request

from pixgate.web import i18n


def page(template: str, *, status: int = 200, **context: Any) -> Response:
    """Render a page in the visitor's language; remember an explicit `?lang=` choice."""
    lang = i18n.pick_language(request)
    response = make_response(render_template(
        template, lang=lang, t=i18n.translator(lang),
        money=lambda amount: i18n.format_brl(amount, lang),
        when=lambda moment: i18n.local_time(moment, lang),
        when_day=lambda day: day.strftime("%d/%m/%Y" if lang == i18n.PT else "%Y-%m-%d"),
        other_lang=i18n.EN if lang == i18n.PT else i18n.PT,
        sandbox=bool(current_app.config.get("SANDBOX")),
        **context,
    ), status)
    chosen = i18n.explicit_language(request)
    if chosen:
        response.set_cookie(i18n.COOKIE, chosen, max_age=365 * 86400, samesite="Lax",
                            httponly=True, secure=request.is_secure)
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response
