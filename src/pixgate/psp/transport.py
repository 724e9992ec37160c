"""The HTTP side of the PSP client: one pooled mTLS session, timeouts, a log line and metrics
per call. Pooling keeps connections (and their TLS sessions) open, so after warm-up a call
costs no handshake; `handshakes` counts the ones paid.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import requests
from prometheus_client import CollectorRegistry, Counter, Histogram
from requests.adapters import HTTPAdapter

from pixgate.psp.settings import PspSettings
from pixgate.psp.tls import HandshakeCounter, client_context, load_identity

log = logging.getLogger("pixgate.psp")
BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
POOL_SIZE = 32  # connections kept per PSP host; gunicorn's gevent worker runs many greenlets


class _MtlsAdapter(HTTPAdapter):
    """requests' adapter with our SSLContext (client certificate, private CA) on every pool."""

    def __init__(self, context: Any, **kwargs: Any) -> None:
        self.context = context
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        """Every pool the manager creates uses our context."""
        kwargs["ssl_context"] = self.context
        super().init_poolmanager(*args, **kwargs)

    def build_connection_pool_key_attributes(self, request, verify, cert=None):  # type: ignore[no-untyped-def]
        """requests' documented hook for a custom SSLContext (it would put its own in)."""
        host, pool = super().build_connection_pool_key_attributes(request, verify, cert)
        if host.get("scheme") == "https":
            pool["ssl_context"] = self.context
        return host, pool


class PspMetrics:
    """Calls per PSP operation and status, their latency, and TLS handshakes."""

    def __init__(self, registry: CollectorRegistry | None) -> None:
        registry = registry if registry is not None else CollectorRegistry()
        self.calls = Counter("pixgate_psp_requests", "Calls to the PSP by operation and outcome "
                             "(HTTP status, or timeout/unreachable)",
                             ["psp", "operation", "status"], registry=registry)
        self.latency = Histogram("pixgate_psp_request_duration_seconds",
                                 "Time of a call to the PSP, by operation", ["psp", "operation"],
                                 buckets=BUCKETS, registry=registry)
        self.handshakes = Counter("pixgate_psp_tls_handshakes",
                                  "TLS connections opened to the PSP (0 per call after warm-up)",
                                  ["psp"], registry=registry)


class Transport:
    """Sends one request to the PSP with a timeout, logs it and counts it; never retries."""

    def __init__(self, settings: PspSettings, *, registry: CollectorRegistry | None = None,
                 name: str = "bcb") -> None:
        self.settings, self.name = settings, name
        self.identity = (load_identity(settings.cert, password=settings.cert_password,
                                       key_path=settings.key) if settings.cert else None)
        self.metrics = PspMetrics(registry)
        self.counter = _MetricCounter(self.metrics, name)
        self.context = client_context(self.identity, ca_bundle=settings.ca_bundle,
                                      counter=self.counter)
        self.session = requests.Session()
        self.session.trust_env = False  # REQUESTS_CA_BUNDLE or a proxy variable must not apply
        self.session.mount("https://", _MtlsAdapter(self.context, pool_connections=4,
                                                    pool_maxsize=POOL_SIZE, max_retries=0))
        self.session.mount("http://", HTTPAdapter(pool_maxsize=POOL_SIZE, max_retries=0))
        connect = min(5.0, settings.timeout_seconds)
        self.timeout = (connect, settings.timeout_seconds)

    @property
    def handshakes(self) -> int:
        """TLS handshakes so far."""
        return self.counter.count

    def send(self, operation: str, method: str, url: str | None, **kwargs: Any
             ) -> requests.Response:
        """One HTTP exchange; raises requests' exceptions for timeouts and refused connections."""
        started = time.perf_counter()
        status = "unreachable"
        try:
            response = self.session.request(method, url or "", timeout=self.timeout,
                                            allow_redirects=False, **kwargs)
            status = str(response.status_code)
            return response
        except requests.Timeout:
            status = "timeout"
            raise
        finally:
            elapsed = time.perf_counter() - started
            self.metrics.calls.labels(self.name, operation, status).inc()
            self.metrics.latency.labels(self.name, operation).observe(elapsed)
            log.info("psp call", extra={"psp": self.name, "operation": operation,
                                        "method": method, "status": status,
                                        "ms": round(elapsed * 1000, 1)})

    def close(self) -> None:
        """Close pooled connections."""
        self.session.close()


class _MetricCounter(HandshakeCounter):
    def __init__(self, metrics: PspMetrics, name: str) -> None:
        super().__init__()
        self.metric = metrics.handshakes.labels(name)

    def add(self) -> None:
        super().add()
        self.metric.inc()
