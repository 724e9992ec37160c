"""`pixgate psp check`: each step of talking to the PSP, tried in order, said in plain words.

Certificate, TLS, token, `GET /cob`, webhook: a step that fails says what to change and the
steps that depend on it are not tried, so the first failure is the one to fix.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from pixgate.psp.base import PspError
from pixgate.psp.settings import PspSettings
from pixgate.psp.tls import CertificateProblem, client_context, load_identity

OK, WARN, FAIL = "ok", "warn", "FAIL"
PATH = "/webhooks/psp/"


@dataclass(frozen=True)
class Finding:
    """One line of the report."""

    level: str
    step: str
    text: str


def webhook_url(public_url: str, token: str) -> str:
    """What pixgate registers at the PSP; the PSP appends `/pix` when it notifies."""
    return public_url.rstrip("/") + PATH + token


def diagnose(settings: PspSettings, *, public_url: str, pix_key: str) -> Iterator[Finding]:
    """Try every step; stop after the first failure that later steps depend on."""
    identity = None
    if settings.cert:
        try:
            identity = load_identity(settings.cert, password=settings.cert_password,
                                     key_path=settings.key)
        except CertificateProblem as exc:
            yield Finding(FAIL, "certificate", str(exc))
            return
        days = identity.days_left()
        yield Finding(WARN if days < 30 else OK, "certificate",
                      f"{identity.subject} loads; valid until {identity.not_after:%Y-%m-%d} "
                      f"({days} days left{', renew it soon' if days < 30 else ''})")
    try:
        settings.check()
    except ValueError as exc:  # ConfigError: names the variable
        yield Finding(FAIL, "configuration", str(exc))
        return
    if not settings.cert:
        yield Finding(WARN, "certificate", "none configured (plain http:// for a local "
                                           "emulator only)")
    tls = _tls(settings, identity)
    yield tls
    if tls.level == FAIL:
        return
    yield from _api(settings, public_url=public_url, pix_key=pix_key)


def _tls(settings: PspSettings, identity: object) -> Finding:
    parts = urlsplit(settings.base_url or "")
    host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
    if parts.scheme != "https":
        return Finding(WARN, "tls", f"{host}:{port} is plain HTTP: no TLS to check")
    try:
        context = client_context(identity, ca_bundle=settings.ca_bundle)  # type: ignore[arg-type]
        with socket.create_connection((host, port), timeout=settings.timeout_seconds) as raw, \
                context.wrap_socket(raw, server_hostname=host) as tls:
            # TLS 1.3 servers judge the client certificate after the handshake: one exchange
            # makes a refusal show here rather than at the token step.
            tls.sendall(f"HEAD / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
            answer = tls.recv(64)
            version = tls.version()
    except CertificateProblem as exc:
        return Finding(FAIL, "tls", str(exc))
    except ssl.SSLCertVerificationError as exc:
        return Finding(FAIL, "tls", f"the PSP's server certificate is not trusted "
                                    f"({exc.verify_message}); if the PSP uses a private CA, set "
                                    "PIXGATE_PSP_CA_BUNDLE to it")
    except (ssl.SSLError, ConnectionResetError, BrokenPipeError) as exc:
        return Finding(FAIL, "tls", f"{host}:{port} refused our client certificate ({exc}); "
                                    "check PIXGATE_PSP_CERT is the one this PSP issued for "
                                    "this environment (production or homologation)")
    except OSError as exc:
        return Finding(FAIL, "tls", f"cannot reach {host}:{port} ({exc})")
    if not answer:
        return Finding(FAIL, "tls", f"{host}:{port} closed the connection after the handshake: "
                                    "it probably refused our client certificate")
    return Finding(OK, "tls", f"{host}:{port} over {version}: server trusted, client "
                              "certificate accepted")


def _api(settings: PspSettings, *, public_url: str, pix_key: str) -> Iterator[Finding]:
    from pixgate.psp.bcb import BcbPsp

    psp = BcbPsp(settings)
    try:
        try:
            token = psp.tokens.current()
        except PspError as exc:
            yield Finding(FAIL, "token", f"{settings.token_url}: {exc.detail}")
            return
        scopes = " ".join(token.scopes) or "(the PSP did not say)"
        yield Finding(OK, "token", f"granted for {token.lifetime} s; scopes: {scopes}")
        try:
            listed = psp.probe_cob_listing()
            yield Finding(OK, "cob", f"GET /cob answers ({listed} cobs in the last hour)")
        except PspError as exc:
            yield Finding(FAIL, "cob", f"GET /cob: {exc.detail}")
            return
        yield _webhook(psp, settings, public_url=public_url, pix_key=pix_key)
    finally:
        psp.close()


def _webhook(psp: object, settings: PspSettings, *, public_url: str, pix_key: str) -> Finding:
    if not settings.webhook_token:
        return Finding(FAIL, "webhook", "PIXGATE_PSP_WEBHOOK_TOKEN is not set: pixgate has no "
                                        "URL for the PSP to notify")
    expected = webhook_url(public_url, settings.webhook_token)
    try:
        registered = psp.get_webhook(pix_key)  # type: ignore[attr-defined]
    except PspError as exc:
        return Finding(FAIL, "webhook", f"GET /webhook/{pix_key}: {exc.detail}")
    if registered is None:
        return Finding(FAIL, "webhook", f"no webhook registered for the key {pix_key}; run "
                                        "`pixgate psp webhook register`")
    url = registered.get("webhookUrl")
    if url != expected:
        return Finding(FAIL, "webhook", f"the key {pix_key} notifies {url}, not this pixgate "
                                        f"({PATH}<token> under PIXGATE_PUBLIC_URL); run "
                                        "`pixgate psp webhook register`")
    return Finding(OK, "webhook", f"registered for {pix_key} and pointing at this pixgate")
