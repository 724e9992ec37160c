"""Errors on pages answer with a page (in the visitor's language); JSON routes keep JSON."""

from __future__ import annotations

from flask import Blueprint, Response, request
from werkzeug.exceptions import HTTPException

from pixgate.api.errors import problem
from pixgate.charges.errors import ChargeError
from pixgate.extensions import db
from pixgate.web.render import page


def error_page(status: int, detail: str) -> Response:
    """An HTML error page with the status code; the detail says what was wrong."""
    return page("error.html", status=status, status_code=status, detail=detail)


def html_errors(bp: Blueprint, *, json_endpoints: frozenset[str] | set[str] = frozenset()) -> None:
    """Make the blueprint's domain and HTTP errors answer as pages, except its JSON routes."""

    @bp.errorhandler(ChargeError)
    def _charge_error(exc: ChargeError) -> Response:
        db.session.rollback()
        if request.endpoint in json_endpoints or request.is_json:
            return problem(exc.status, exc.title, exc.detail, field=exc.field, code=exc.code)
        return error_page(exc.status, exc.detail)

    @bp.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        if request.endpoint in json_endpoints or request.is_json:
            return problem(status, exc.name, exc.description or exc.name)
        return error_page(status, exc.description or exc.name)
