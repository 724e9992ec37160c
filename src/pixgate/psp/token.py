"""The PSP's OAuth2 access token (client credentials): fetched once, shared, renewed in time.

One lock makes the fetch single-flight: threads or greenlets that find the token stale wait
for the one fetching it instead of each asking the PSP (threading.Lock is gevent's under
gunicorn's monkey-patching). A 401 drops the token it was sent with, not a newer one.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import requests

from pixgate.psp.base import PspError, PspUnavailable
from pixgate.psp.profiles import Profile
from pixgate.psp.settings import PspSettings

GRANT = "client_credentials"
MAX_MARGIN_SECONDS = 60.0  # renew this long before expiry (less for 5-minute tokens)

Send = Callable[..., requests.Response]


@dataclass(frozen=True)
class Token:
    """A bearer token, when to renew it, and the scopes the PSP granted."""

    value: str
    renew_at: float
    lifetime: int
    scopes: tuple[str, ...]


class TokenSource:
    """Hands out a valid bearer token, asking the PSP only when needed."""

    def __init__(self, settings: PspSettings, profile: Profile, send: Send,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.settings, self.profile, self.send, self.clock = settings, profile, send, clock
        self._token: Token | None = None
        self._lock = threading.Lock()
        self.fetches = 0

    def bearer(self) -> str:
        """A token valid for at least the renewal margin; fetched if there is none."""
        token = self._token
        if token is not None and self.clock() < token.renew_at:
            return token.value
        with self._lock:
            token = self._token
            if token is None or self.clock() >= token.renew_at:
                token = self._token = self._fetch()
            return token.value

    def current(self) -> Token:
        """The token in use (fetching one if needed), for `pixgate psp check`."""
        self.bearer()
        assert self._token is not None
        return self._token

    def invalidate(self, value: str) -> None:
        """The PSP answered 401 to `value`: forget it, unless another call already renewed it."""
        with self._lock:
            if self._token is not None and self._token.value == value:
                self._token = None

    def _fetch(self) -> Token:
        token = self.profile.token
        fields: dict[str, str] = {} if token.grant_in_query else {"grant_type": GRANT}
        auth = None
        if token.credentials == "basic":
            auth = (self.settings.client_id or "", self.settings.client_secret or "")
        else:
            fields["client_id"] = self.settings.client_id or ""
            if token.sends_secret:
                fields["client_secret"] = self.settings.client_secret or ""
        if token.scope:
            fields["scope"] = token.scope
        body: dict[str, Any] = {"json": fields} if token.body == "json" else {"data": fields}
        params = {"grant_type": GRANT} if token.grant_in_query else None
        started = self.clock()
        response = self.send("token", "POST", self.settings.token_url, auth=auth, params=params,
                             **body)
        self.fetches += 1
        return self._read(response, started)

    def _read(self, response: requests.Response, started: float) -> Token:
        try:
            answer = json.loads(response.content or b"{}", parse_float=Decimal)
        except ValueError:
            answer = None
        if not 200 <= response.status_code < 300:
            kind = PspUnavailable if response.status_code >= 500 else PspError
            raise kind(_refusal(response.status_code, answer), operation="token",
                           upstream_status=response.status_code,
                           body=answer if answer is not None else response.text[:500])
        if not isinstance(answer, dict) or not isinstance(answer.get("access_token"), str):
            raise PspError("the PSP's token answer has no access_token", operation="token",
                           upstream_status=response.status_code, body=answer)
        lifetime = _lifetime(answer.get("expires_in"), self.profile.token_lifetime_hint)
        margin = min(MAX_MARGIN_SECONDS, lifetime / 5)
        scope = answer.get("scope")
        scopes = tuple(scope.split()) if isinstance(scope, str) else ()
        return Token(answer["access_token"], started + lifetime - margin, lifetime, scopes)


def _lifetime(value: object, default: int) -> int:
    try:
        seconds = int(str(value))
    except ValueError:
        return default
    return seconds if seconds > 0 else default


def _refusal(status: int, answer: object) -> str:
    reason = ""
    if isinstance(answer, dict):
        reason = str(answer.get("error_description") or answer.get("error")
                     or answer.get("detail") or answer.get("message") or "")
    if status in (400, 401, 403):
        return ("the PSP refused the credentials (PIXGATE_PSP_CLIENT_ID / "
                f"PIXGATE_PSP_CLIENT_SECRET): {reason or status}")
    return f"the PSP's token endpoint answered {status}: {reason or 'no detail'}"
