"""`/healthz` (alive), `/readyz` (can serve: database, migrations, Redis) and `/metrics`."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from pixgate.ops import readiness

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    """Liveness: the process answers HTTP; touches nothing else, so it never flaps with the DB."""
    response = jsonify({"status": "ok"})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/readyz")
def readyz() -> Response:
    """Readiness: 200 when every check passes, 503 naming the failing ones otherwise."""
    database, migrations = readiness.database_and_migrations()
    checks = {"database": database, "migrations": migrations}
    redis = readiness.redis(current_app)
    if redis is not None:
        checks["redis"] = redis
    ready = all(check.ok for check in checks.values())
    response = jsonify({
        "status": "ready" if ready else "unready",
        "checks": {name: check.as_json() for name, check in checks.items()},
    })
    response.status_code = 200 if ready else 503
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/metrics")
def metrics() -> Response:
    """Prometheus text exposition of this process's registry."""
    registry = current_app.extensions["pixgate.metrics"].registry
    return Response(generate_latest(registry), mimetype=None,
                    headers={"Content-Type": CONTENT_TYPE_LATEST, "Cache-Control": "no-store"})
