"""`BcbPsp`: the Psp protocol over BCB's API Pix v2 (OAuth2 client credentials + mutual TLS).

Retries are only for calls that cannot do a thing twice: GET, and PUT keyed by our own txid or
refund id (and the token request, which creates nothing). A PATCH that timed out is not
resent; its caller sees 503 and may read the cob back.
"""

from __future__ import annotations

import json
import random
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import requests
from prometheus_client import CollectorRegistry

from pixgate.psp import normalise
from pixgate.psp.base import (
    PixPage,
    PspCob,
    PspError,
    PspNotFound,
    PspPix,
    PspRefund,
    PspUnavailable,
)
from pixgate.psp.profiles import fill, profile_named
from pixgate.psp.settings import PspSettings
from pixgate.psp.token import TokenSource
from pixgate.psp.transport import Transport

ATTEMPTS = 3  # for GET and PUT
BACKOFF_SECONDS = 0.2  # doubled each attempt, with jitter


def _segment(value: str) -> str:
    """A path segment that cannot leave its place (`/`, `?`, `..` are escaped)."""
    return quote(value, safe="")


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class BcbPsp:
    """A PSP that implements API Pix v2; `settings.profile` absorbs its quirks."""

    name = "bcb"

    def __init__(self, settings: PspSettings, *, registry: CollectorRegistry | None = None,
                 sleep: Any = time.sleep) -> None:
        self.settings = settings
        self.profile = profile_named(settings.profile)
        self.transport = Transport(settings, registry=registry, name=settings.profile)
        self.tokens = TokenSource(settings, self.profile, self.transport.send)
        self.base_url = (settings.base_url or "").rstrip("/")
        values = {"client_id": settings.client_id, "app_key": settings.app_key}
        self.headers = fill(self.profile.headers, values)
        self.query = fill(self.profile.query, values)
        self.sleep = sleep

    # -- the protocol -------------------------------------------------------------------

    def put_cob(self, txid: str, body: dict[str, Any]) -> PspCob:
        """`PUT /cob/{txid}`: every PSP has it, and our txid makes a retry harmless."""
        return normalise.cob("put_cob", self._call("put_cob", "PUT", f"/cob/{_segment(txid)}",
                                                   body=body))

    def patch_cob(self, txid: str, body: dict[str, Any]) -> PspCob:
        """`PATCH /cob/{txid}`: not retried (a revision must not be applied twice)."""
        return normalise.cob("patch_cob", self._call(
            "patch_cob", "PATCH", f"/cob/{_segment(txid)}", body=body))

    def get_cob(self, txid: str) -> PspCob:
        """`GET /cob/{txid}`."""
        return normalise.cob("get_cob", self._call("get_cob", "GET", f"/cob/{_segment(txid)}"))

    def put_cobv(self, txid: str, body: dict[str, Any]) -> PspCob:
        """`PUT /cobv/{txid}`: as put_cob, retried safely on our own txid."""
        return normalise.cob("put_cobv", self._call(
            "put_cobv", "PUT", f"/cobv/{_segment(txid)}", body=body))

    def patch_cobv(self, txid: str, body: dict[str, Any]) -> PspCob:
        """`PATCH /cobv/{txid}`: not retried, as patch_cob."""
        return normalise.cob("patch_cobv", self._call(
            "patch_cobv", "PATCH", f"/cobv/{_segment(txid)}", body=body))

    def get_cobv(self, txid: str) -> PspCob:
        """`GET /cobv/{txid}`."""
        return normalise.cob("get_cobv", self._call("get_cobv", "GET",
                                                    f"/cobv/{_segment(txid)}"))

    def get_pix(self, end_to_end_id: str) -> PspPix:
        """`GET /pix/{e2eid}`: the only trusted copy of a Pix."""
        return normalise.pix("get_pix", self._call(
            "get_pix", "GET", f"/pix/{_segment(end_to_end_id)}"))

    def list_pix(self, *, start: datetime, end: datetime, page: int = 0) -> PixPage:
        """`GET /pix?inicio=&fim=&paginacao.paginaAtual=`."""
        params = {"inicio": _rfc3339(start), "fim": _rfc3339(end),
                  "paginacao.paginaAtual": str(page)}
        return normalise.pix_page("list_pix", self._call("list_pix", "GET", "/pix",
                                                         params=params))

    def put_refund(self, end_to_end_id: str, refund_id: str, amount: Decimal) -> PspRefund:
        """`PUT /pix/{e2eid}/devolucao/{id}`: idempotent on the refund id."""
        path = f"/pix/{_segment(end_to_end_id)}/devolucao/{_segment(refund_id)}"
        return normalise.refund("put_refund", self._call(
            "put_refund", "PUT", path, body={"valor": f"{Decimal(amount):.2f}"}))

    def get_refund(self, end_to_end_id: str, refund_id: str) -> PspRefund:
        """`GET /pix/{e2eid}/devolucao/{id}`."""
        path = f"/pix/{_segment(end_to_end_id)}/devolucao/{_segment(refund_id)}"
        return normalise.refund("get_refund", self._call("get_refund", "GET", path))

    def put_webhook(self, key: str, url: str) -> None:
        """`PUT /webhook/{chave}` with `{"webhookUrl": url}`."""
        self._call("put_webhook", "PUT", f"/webhook/{_segment(key)}", body={"webhookUrl": url})

    def get_webhook(self, key: str) -> dict[str, Any] | None:
        """`GET /webhook/{chave}`; None when the PSP has none for the key."""
        try:
            answer = self._call("get_webhook", "GET", f"/webhook/{_segment(key)}")
        except PspNotFound:
            return None
        return answer if isinstance(answer, dict) else None

    # -- beyond the protocol: what `pixgate psp check` asks --------------------------------

    def probe_cob_listing(self) -> int:
        """`GET /cob?inicio=&fim=` over the last hour; returns how many cobs it listed."""
        now = datetime.now(UTC)
        params = {"inicio": _rfc3339(now - timedelta(hours=1)),
                  "fim": _rfc3339(now + timedelta(minutes=1))}
        answer = self._call("list_cob", "GET", "/cob", params=params)
        cobs = answer.get("cobs") if isinstance(answer, dict) else None
        if not isinstance(cobs, list):
            raise PspError("the PSP's answer to GET /cob has no cobs list", operation="list_cob",
                           body=answer)
        return len(cobs)

    def close(self) -> None:
        """Close pooled connections (tests and commands; the app keeps them)."""
        self.transport.close()

    # -- one call, with the token, retries and error mapping ---------------------------

    def _call(self, operation: str, method: str, path: str, *, body: Any = None,
              params: dict[str, str] | None = None) -> Any:
        idempotent = method in ("GET", "PUT")
        attempts = ATTEMPTS if idempotent else 1
        renewed = False
        attempt = 0
        while True:
            attempt += 1
            try:
                token = self.tokens.bearer()
                response = self.transport.send(
                    operation, method, self.base_url + path, json=body,
                    params={**self.query, **(params or {})} or None,
                    headers={**self.headers, "Authorization": f"Bearer {token}"})
            except requests.RequestException as exc:
                if attempt < attempts:
                    self._backoff(attempt)
                    continue
                raise PspUnavailable(f"the PSP did not answer {method} {path.split('/')[1]}: "
                                     f"{_reason(exc)}", operation=operation) from None
            if response.status_code == 401 and not renewed:
                renewed = True  # an expired or revoked token: one fresh token, same attempt
                self.tokens.invalidate(token)
                attempt -= 1
                continue
            if response.status_code >= 500 and attempt < attempts:
                self._backoff(attempt)
                continue
            return _answer(operation, method, response)

    def _backoff(self, attempt: int) -> None:
        delay = BACKOFF_SECONDS * 2 ** (attempt - 1)
        self.sleep(delay + random.uniform(0, delay / 2))


def _reason(exc: requests.RequestException) -> str:
    if isinstance(exc, requests.Timeout):
        return "timed out"
    if isinstance(exc, requests.exceptions.SSLError):
        return f"TLS failed ({str(exc)[-160:]})"
    return "connection refused or reset"


def _answer(operation: str, method: str, response: requests.Response) -> Any:
    status = response.status_code
    try:
        answer = json.loads(response.content, parse_float=Decimal) if response.content else None
    except ValueError:
        answer = None
    if 200 <= status < 300:  # BB answers PUT /cob with 200 and PATCH with 201: any 2xx
        return answer
    detail = normalise.problem(answer, response.text)
    body = answer if answer is not None else response.text[:500]
    if status == 404:
        raise PspNotFound(f"the PSP has no such object: {detail}", operation=operation,
                          upstream_status=status, body=body)
    if status >= 500 or status == 429:
        raise PspUnavailable(f"the PSP answered {status}: {detail}", operation=operation,
                             upstream_status=status, body=body)
    raise PspError(f"the PSP refused {operation} ({status}): {detail}", operation=operation,
                   upstream_status=status, body=body)
