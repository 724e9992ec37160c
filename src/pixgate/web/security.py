"""Security headers on every response: pages load only pixgate's own files, never inline code."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, request
from flask.sessions import SecureCookieSessionInterface

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


_BY_LOWER_NAME = tuple((name, name.lower(), value) for name, value in HEADERS.items())


class SigningCachedSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signer built once per key instead of on every
    request (it was ~5 % of a create's CPU, on API calls that never touch a session)."""

    def __init__(self) -> None:
        self._signers: dict[tuple[Any, ...], Any] = {}

    def get_signing_serializer(self, app: Flask) -> Any:
        """The serializer for the app's current key and fallbacks (rebuilt if they change)."""
        key = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        if key not in self._signers:
            self._signers[key] = super().get_signing_serializer(app)
        return self._signers[key]


def add_headers(response: Response) -> Response:
    """Set the headers a view did not set itself; HSTS only where the request came over TLS."""
    present = {name.lower() for name in response.headers.keys()}  # noqa: SIM118 - Headers
    for name, lower, value in _BY_LOWER_NAME:
        if lower not in present:  # one pass, not a scan of the headers per name
            response.headers.add(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def init_app(app: Flask) -> None:
    """Install the headers hook and the session cookie's attributes."""
    app.after_request(add_headers)
    app.session_interface = SigningCachedSessionInterface()
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    app.config["SESSION_COOKIE_NAME"] = "pixgate_session"
    public = str(app.config.get("PUBLIC_URL") or "")
    app.config["SESSION_COOKIE_SECURE"] = public.startswith("https://")
