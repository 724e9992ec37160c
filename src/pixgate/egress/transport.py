"""A requests adapter whose sockets check the address they actually connect to (no rebinding)."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError

from pixgate.egress.addresses import Refused, address_refusal

Refusal = Callable[[str], str | None]


def connect_checked(host: str, port: int, timeout: Any, options: Any = None,
                    refusal: Refusal = address_refusal) -> socket.socket:
    """Resolve once, refuse if any address is not public, connect to those very addresses."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    for *_, sockaddr in infos:
        reason = refusal(str(sockaddr[0]))
        if reason:
            raise Refused(f"{host} resolves to {reason}")
    error: OSError | None = None
    for family, kind, proto, _, sockaddr in infos:
        sock = socket.socket(family, kind, proto)
        try:
            for option in options or ():
                sock.setsockopt(*option)
            if isinstance(timeout, int | float):
                sock.settimeout(timeout)
            sock.connect(sockaddr)
            reason = refusal(str(sock.getpeername()[0]))
            if reason:  # invariant: the socket's real peer is what was checked
                sock.close()
                raise Refused(f"{host} connected to {reason}")
            return sock
        except OSError as exc:
            sock.close()
            error = exc
    raise error or OSError(f"{host} has no address")


class _Checked:
    """Mixin for urllib3 connections: TLS and the Host header still use the name."""

    host: str
    port: int
    timeout: Any
    socket_options: Any
    _dns_host: str
    refusal: Refusal = staticmethod(address_refusal)

    def _new_conn(self) -> socket.socket:
        try:
            return connect_checked(self._dns_host, self.port, self.timeout, self.socket_options,
                                   self.refusal)
        except socket.gaierror as exc:
            raise NameResolutionError(self.host, self, exc) from exc  # type: ignore[arg-type]
        except TimeoutError as exc:
            raise ConnectTimeoutError(self, f"connecting to {self.host} timed out") from exc
        except OSError as exc:
            raise NewConnectionError(self, f"failed to connect: {exc}") from exc  # type: ignore[arg-type]


class CheckedHTTPConnection(_Checked, HTTPConnection):
    """Plain HTTP with the address check."""


class CheckedHTTPSConnection(_Checked, HTTPSConnection):
    """HTTPS with the address check; certificate and SNI are for the host name."""


def _pools(refusal: Refusal) -> dict[str, type]:
    http = type("CheckedHTTP", (CheckedHTTPConnection,), {"refusal": staticmethod(refusal)})
    https = type("CheckedHTTPS", (CheckedHTTPSConnection,), {"refusal": staticmethod(refusal)})
    return {"http": type("CheckedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http}),
            "https": type("CheckedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https})}


PRODUCTION_POOLS = _pools(address_refusal)


class CheckedAdapter(HTTPAdapter):
    """Mount on a Session (with trust_env off) so no request skips the check. `refusal` is
    address_refusal except in tests that need a TLS peer on loopback."""

    def __init__(self, refusal: Refusal = address_refusal, **kwargs: Any) -> None:
        self.pools = PRODUCTION_POOLS if refusal is address_refusal else _pools(refusal)
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self.pools
