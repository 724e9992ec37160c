"""Outgoing requests a client can steer: checked URL, checked address, no redirects, bounded."""

from __future__ import annotations

import ipaddress
import re
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

from pixgate.egress.addresses import Refused, address_refusal
from pixgate.egress.transport import CheckedAdapter

LEGACY_IPV4 = re.compile(r"[0-9a-fA-FxX.]+")  # 127.1, 0x7f.1, 2130706433: inet_aton reads them


@dataclass(frozen=True)
class Rules:
    """What one request may do. `trusted` is for URLs the operator configured."""

    allow_private: bool = False  # PIXGATE_ALLOW_PRIVATE_WEBHOOK_URLS: lifts address + https rules
    https_only: bool = False
    trusted: bool = False
    timeout: float = 10.0
    max_bytes: int = 64 * 1024

    @property
    def checks_addresses(self) -> bool:
        """True when the address rule applies."""
        return not (self.trusted or self.allow_private)


@dataclass(frozen=True)
class Reply:
    """The status and (bounded) body of an answer."""

    status: int
    body: bytes


class FetchFailed(Exception):
    """The request was allowed but did not get an answer (network, timeout, too large)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _literal_refusal(host: str) -> str | None:
    try:
        return address_refusal(ipaddress.ip_address(host))
    except ValueError:
        pass
    if LEGACY_IPV4.fullmatch(host):
        try:
            return address_refusal(socket.inet_ntoa(socket.inet_aton(host)))
        except OSError:
            return None
    if host == "localhost" or host.endswith(".localhost"):
        return f"{host} is loopback"
    return None


def check_url(url: str, rules: Rules) -> None:
    """Refuse, before any connection, a URL these rules can never allow."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise Refused("only http and https URLs are allowed")
    try:
        host, _ = parts.hostname, parts.port
    except ValueError:
        raise Refused("the URL's port is not a number from 0 to 65535") from None
    if not host:
        raise Refused("the URL has no host")
    if parts.username is not None or parts.password is not None:
        raise Refused("the URL must not carry a user name or password")
    if not rules.checks_addresses:
        return
    if rules.https_only and parts.scheme != "https":
        raise Refused("the URL must use https")
    reason = _literal_refusal(host.rstrip(".").lower())
    if reason:
        raise Refused(f"the URL points at {reason}")


def _read(response: requests.Response, rules: Rules, deadline: float) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > rules.max_bytes:
        raise FetchFailed(f"the answer is larger than {rules.max_bytes} bytes")
    body = bytearray()
    for chunk in response.iter_content(8192):
        body += chunk
        if len(body) > rules.max_bytes:
            raise FetchFailed(f"the answer is larger than {rules.max_bytes} bytes")
        if time.monotonic() > deadline:
            raise FetchFailed(f"the answer took longer than {rules.timeout} s")
    return bytes(body)


def request(method: str, url: str, *, rules: Rules, data: bytes | None = None,
            headers: dict[str, str] | None = None) -> Reply:
    """The only way pixgate calls a URL a client chose; raises Refused or FetchFailed."""
    check_url(url, rules)
    deadline = time.monotonic() + rules.timeout
    with requests.Session() as session:
        session.trust_env = False  # an environment proxy would make the address check moot
        if rules.checks_addresses:
            session.mount("http://", CheckedAdapter())
            session.mount("https://", CheckedAdapter())
        try:
            with session.request(method, url, data=data, headers=headers, stream=True,
                                 timeout=(rules.timeout, rules.timeout),
                                 allow_redirects=False) as response:
                return Reply(response.status_code, _read(response, rules, deadline))
        except requests.RequestException as exc:
            raise FetchFailed(f"{type(exc).__name__}: {str(exc)[:300]}") from None
