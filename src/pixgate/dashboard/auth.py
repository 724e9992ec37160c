"""Dashboard sign-in: one configured password, a signed session, CSRF tokens (limit: throttle)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import MutableMapping
from typing import Any

SESSION_KEY = "dashboard"
CSRF_KEY = "csrf"
SESSION_SECONDS = 8 * 3600


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


def password_matches(given: str, configured: str) -> bool:
    """Constant-time comparison (of digests, so the length leaks nothing either)."""
    return hmac.compare_digest(_digest(given), _digest(configured))


def fingerprint(configured: str, secret_key: str) -> str:
    """What the session stores: changing the password signs every browser out."""
    return hmac.new(secret_key.encode(), _digest(configured), hashlib.sha256).hexdigest()[:32]


def sign_in(session: MutableMapping[str, Any], *, configured: str, secret_key: str) -> None:
    """Mark the session signed in, with a fresh CSRF token (no fixation of the old one)."""
    session.clear()
    session[SESSION_KEY] = {"fp": fingerprint(configured, secret_key),
                            "until": int(time.time()) + SESSION_SECONDS}
    session[CSRF_KEY] = secrets.token_urlsafe(32)


def signed_in(session: MutableMapping[str, Any], *, configured: str, secret_key: str) -> bool:
    """True while the session was signed in with the current password and has not lapsed."""
    state = session.get(SESSION_KEY)
    if not isinstance(state, dict) or not isinstance(state.get("until"), int):
        return False
    fresh = state["until"] > time.time()
    return fresh and hmac.compare_digest(str(state.get("fp", "")),
                                         fingerprint(configured, secret_key))


def csrf_token(session: MutableMapping[str, Any]) -> str:
    """The session's token for forms, made on first use."""
    if not isinstance(session.get(CSRF_KEY), str):
        session[CSRF_KEY] = secrets.token_urlsafe(32)
    return session[CSRF_KEY]


def csrf_valid(session: MutableMapping[str, Any], given: str | None) -> bool:
    """A POST carries the session's token, or it is refused."""
    expected = session.get(CSRF_KEY)
    return isinstance(expected, str) and isinstance(given, str) and hmac.compare_digest(
        expected.encode(), given.encode())
