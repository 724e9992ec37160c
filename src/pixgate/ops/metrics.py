"""Prometheus metrics of one process: HTTP requests and latency, Socket.IO connections, plus
the database-derived figures of `collectors` (payments by status, outbox, webhook failures).

Each app gets its own registry (tests build many apps in one process); `/metrics` renders it.
prometheus_client is used rather than a home-made exposition: it is the reference client,
thread- and greenlet-safe, and gets the text format's escaping and histogram rules right.
"""

from __future__ import annotations

import time

from flask import Flask, Response, g, request
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    disable_created_metrics,
)

from pixgate.ops.collectors import DatabaseCollector

disable_created_metrics()  # `_created` series double the output and nobody alerts on them

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "<unmatched>"  # 404s: one label value, so scanners cannot blow up the series count


class Metrics:
    """The registry and the instruments the request hooks and socket handlers update."""

    def __init__(self, app: Flask) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "pixgate_http_requests", "HTTP requests answered, by route template, method and status",
            ["route", "method", "status"], registry=self.registry,
        )
        self.latency = Histogram(
            "pixgate_http_request_duration_seconds",
            "Time from routing to response, by route template and method",
            ["route", "method"], buckets=LATENCY_BUCKETS, registry=self.registry,
        )
        self.sockets = Gauge(
            "pixgate_socketio_connections", "Socket.IO connections open in this process",
            registry=self.registry,
        )
        self.socket_connects = Counter(
            "pixgate_socketio_connects", "Socket.IO connections accepted by this process",
            registry=self.registry,
        )
        self._children: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}
        self.database = DatabaseCollector(app)
        self.registry.register(self.database)
        ProcessCollector(registry=self.registry)

    def socket_opened(self) -> None:
        """One more page is connected."""
        self.sockets.inc()
        self.socket_connects.inc()

    def socket_closed(self) -> None:
        """One page went away."""
        self.sockets.dec()

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        """Record one answered request (label lookups cached: routes, methods, statuses are few)."""
        key = (route, method, status)
        children = self._children.get(key)
        if children is None:
            children = self._children[key] = (self.requests.labels(route, method, str(status)),
                                              self.latency.labels(route, method))
        children[0].inc()
        children[1].observe(seconds)


def route_label() -> str:
    """The matched URL rule (`/payments/pix/<int:payment_id>`), never the raw path."""
    rule = request.url_rule
    return rule.rule if rule is not None else UNMATCHED


def init_app(app: Flask) -> None:
    """Create the app's registry and time every request from routing to response."""
    metrics = Metrics(app)
    app.extensions["pixgate.metrics"] = metrics

    @app.before_request
    def _start_timer() -> None:
        g.ops_started = time.perf_counter()

    @app.after_request
    def _observe(response: Response) -> Response:
        started = g.get("ops_started")
        if started is not None:
            method = request.method if request.method in KNOWN_METHODS else "OTHER"
            elapsed = time.perf_counter() - started
            g.ops_elapsed = elapsed
            metrics.observe(route_label(), method, response.status_code, elapsed)
        return response
