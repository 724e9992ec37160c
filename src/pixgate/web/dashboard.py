"""The merchant dashboard: charges, the day's totals, refunds and webhook deliveries."""

from __future__ import annotations

import secrets
from datetime import date
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    request,
    session,
    url_for,
)

from pixgate.charges import service as charges
from pixgate.charges.errors import ChargeError, InvalidInput
from pixgate.charges.money import parse_typed
from pixgate.dashboard import actions, auth, service, throttle
from pixgate.extensions import db
from pixgate.web import errors, i18n
from pixgate.web.render import page

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
errors.html_errors(bp, json_endpoints={"dashboard.states"})
OPEN = {"dashboard.login"}


def _password() -> str | None:
    return current_app.config.get("DASHBOARD_PASSWORD") or None


@bp.before_request
def guard() -> Response | None:
    """404 while disabled; sign-in before anything else; a CSRF token on every POST."""
    password = _password()
    if password is None:
        return page("dashboard/off.html", status=404)
    if request.method == "POST" and not auth.csrf_valid(session, request.form.get("csrf_token")):
        return errors.error_page(400, i18n.translator(i18n.pick_language(request))("db_bad_csrf"))
    if request.endpoint in OPEN:
        return None
    if not auth.signed_in(session, configured=password, secret_key=current_app.secret_key or ""):
        if request.endpoint == "dashboard.states":
            return Response(status=401)
        return redirect(url_for("dashboard.login", next=request.full_path.rstrip("?")))
    return None


@bp.after_request
def private(response: Response) -> Response:
    """Nothing from the dashboard is kept by browsers or proxies."""
    response.cache_control.no_store = True
    return response


@bp.context_processor
def _forms() -> dict:
    return {"csrf_token": lambda: auth.csrf_token(session)}


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response:
    """The password form; after a few wrong tries a client waits longer and longer."""
    status, problem, wait = 200, None, 0
    if request.method == "POST":
        address = request.remote_addr  # the client's, via PIXGATE_TRUSTED_PROXIES behind a proxy
        given = request.form.get("password", "")
        wait = throttle.wait_seconds(db.session, address)
        if wait:
            status, problem = 429, "db_too_many"
        elif auth.password_matches(given, _password() or ""):
            throttle.record_success(db.session, address)
            auth.sign_in(session, configured=_password() or "",
                         secret_key=current_app.secret_key or "")
            return redirect(_local(request.args.get("next")) or url_for("dashboard.index"))
        else:
            throttle.record_failure(db.session, address)
            status, problem = 401, "db_bad_password"
    response = page("dashboard/login.html", status=status, problem=problem)
    if wait:
        response.headers["Retry-After"] = str(wait)
    return response


def _local(target: str | None) -> str | None:
    # Only paths on this site: never an open redirect to another host.
    parts = urlsplit(target or "")
    ok = target and target.startswith("/dashboard") and not parts.netloc and not parts.scheme
    return target if ok else None


@bp.post("/logout")
def logout() -> Response:
    """Forget the session."""
    session.clear()
    return redirect(url_for("dashboard.login"))


def _day() -> date | None:
    raw = request.args.get("day")
    if raw is None:
        return service.today()
    if raw == "":
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput("day", "must be a date such as 2026-01-31") from None


def _page_number() -> int:
    raw = request.args.get("page", "1")
    if not raw.isdigit() or not 0 < int(raw) < 100_000:
        raise InvalidInput("page", "must be a positive whole number")
    return int(raw)


@bp.get("")
def index() -> Response:
    """Charges of a day (today by default), filtered by status, with the day's totals."""
    day, status = _day(), request.args.get("status") or None
    listing = service.list_charges(db.session, status=status, day=day, page=_page_number())
    totals_day = day or service.today()
    return page("dashboard/charges.html", listing=listing, status=status, day=day,
                totals=service.day_totals(db.session, day=totals_day), totals_day=totals_day,
                statuses=service.STATUSES)


@bp.get("/states")
def states() -> Response:
    """Current status of the listed charges: the live view's fallback when sockets fail."""
    raw = [part for part in request.args.get("ids", "").split(",") if part]
    if not all(part.isascii() and part.isdigit() and len(part) <= 16 for part in raw):
        raise InvalidInput("ids", "must be comma-separated charge numbers")
    return jsonify(service.charge_states(db.session, ids=[int(part) for part in raw]))


@bp.get("/charges/<int:charge_id>")
def charge(charge_id: int) -> Response:
    """One charge: its Pix, refunds (with a refund form), webhook deliveries and history."""
    found = charges.get_charge(db.session, charge_id=charge_id)
    return page("dashboard/charge.html", detail=service.charge_detail(db.session, charge=found),
                deliveries=service.list_deliveries(db.session, charge_id=found.id),
                new_refund_id="dash" + secrets.token_hex(14))


@bp.post("/charges/<int:charge_id>/refund")
def refund(charge_id: int) -> Response:
    """Refund from the form; the form's own refund id makes a double submit harmless."""
    found = charges.get_charge(db.session, charge_id=charge_id)
    back = redirect(url_for("dashboard.charge", charge_id=found.id))
    try:
        amount = parse_typed(request.form.get("valor", ""), field="valor")
        made = actions.refund(db.session, charge=found, amount=amount,
                              end_to_end_id=request.form.get("end_to_end_id", ""),
                              refund_id=request.form.get("refund_id", ""))
    except ChargeError as exc:
        db.session.rollback()
        flash(exc.detail, "error")
        return back
    lang = i18n.pick_language(request)
    flash(i18n.translator(lang)("db_refund_done", amount=i18n.format_brl(made.amount, lang),
                                status=made.status), "ok" if not made.failure else "error")
    return back


@bp.get("/pix")
def unmatched() -> Response:
    """Pix that reached the account but settled no charge, with why and their refunds."""
    return page("dashboard/unmatched.html", items=service.list_unmatched(db.session))


@bp.get("/webhooks")
def webhooks() -> Response:
    """Recent deliveries with every attempt; failed and pending ones can be retried."""
    status = request.args.get("status") or None
    return page("dashboard/webhooks.html", status=status, statuses=service.DELIVERY_STATUSES,
                deliveries=service.list_deliveries(db.session, status=status))


@bp.post("/webhooks/<int:delivery_id>/retry")
def retry(delivery_id: int) -> Response:
    """Queue a delivery again, due now; the sender picks it up at its next pass."""
    try:
        actions.retry_delivery(db.session, delivery_id=delivery_id)
        flash(i18n.translator(i18n.pick_language(request))("db_retried", id=delivery_id), "ok")
    except ChargeError as exc:
        db.session.rollback()
        flash(exc.detail, "error")
    return redirect(_local(request.form.get("back")) or url_for("dashboard.webhooks"))
