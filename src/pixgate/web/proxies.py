"""PIXGATE_TRUSTED_PROXIES: read the client's address from X-Forwarded-For, as the proxy set it."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
MAX_HOPS = 10


def parse_trusted_proxies(value: str) -> int | list[Network]:
    """`""` (no proxy), a hop count such as `1`, or addresses/CIDRs such as `10.0.0.0/8,::1`."""
    from pixgate.config import ConfigError

    text = value.strip()
    if not text:
        return 0
    if text.isdigit():
        if int(text) > MAX_HOPS:
            raise ConfigError("PIXGATE_TRUSTED_PROXIES", f"at most {MAX_HOPS} proxies in a row")
        return int(text)
    try:
        return [ipaddress.ip_network(part.strip(), strict=False)
                for part in text.split(",") if part.strip()]
    except ValueError as exc:
        raise ConfigError("PIXGATE_TRUSTED_PROXIES", (
            f"must be a count (1) or proxy addresses (127.0.0.1,10.0.0.0/8): {exc}")) from None


def _trusted(address: str, networks: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


class ProxyList:
    """ProxyFix for proxies named by address: count the trusted hops at the end of the chain."""

    def __init__(self, app: Callable[..., Any], networks: list[Network]) -> None:
        self.app, self.networks = app, networks
        self.fixes = {hops: ProxyFix(app, x_for=hops, x_proto=1)
                      for hops in range(1, MAX_HOPS + 1)}

    def hops(self, environ: dict[str, Any]) -> int:
        """How many X-Forwarded-For entries were appended by proxies we trust."""
        if not _trusted(environ.get("REMOTE_ADDR", ""), self.networks):
            return 0
        chain = [h for h in environ.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        hops, index = 1, len(chain) - 1
        while index > 0 and hops < MAX_HOPS and _trusted(chain[index], self.networks):
            hops, index = hops + 1, index - 1
        return hops

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        hops = self.hops(environ)
        target = self.fixes[hops] if hops else self.app
        return target(environ, start_response)


def install(app: Flask, value: str) -> None:
    """Wrap the whole WSGI stack (Socket.IO included) so every edge sees the real client."""
    trusted = parse_trusted_proxies(value)
    if isinstance(trusted, int):
        if trusted:
            app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted, x_proto=1)  # type: ignore[method-assign]
    elif trusted:
        app.wsgi_app = ProxyList(app.wsgi_app, trusted)  # type: ignore[method-assign]
