"""Health, readiness and metrics on every backend, including a dead database and a stale schema."""

from __future__ import annotations

import os
import re
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from pixgate.app import create_app
from pixgate.db.types import utcnow
from pixgate.extensions import db, socketio
from pixgate.outbox.relay import Relay
from pixgate.realtime import publisher
from pixgate.webhooks.models import WebhookDelivery
from tests import services
from tests.e2e.conftest import free_port
from tests.factories import make_config
from tests.integration.helpers import confirm, create_payment


def _metrics(client: FlaskClient) -> str:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    return response.get_data(as_text=True)


def _value(text: str, series: str) -> float:
    """The sample value of one exact series line, e.g. `pixgate_payments{status="PAID"}`."""
    match = re.search(rf"^{re.escape(series)} (\S+)$", text, re.MULTILINE)
    assert match, f"{series} not in metrics"
    return float(match.group(1))


@pytest.fixture
def fresh(app: Flask) -> Flask:
    """The app with the scrape cache off, so each scrape sees the rows just written."""
    app.extensions["pixgate.metrics"].database.cache_seconds = 0
    return app


def test_healthz_answers_without_touching_anything(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-Id"])


def test_request_id_is_kept_when_plain_and_replaced_when_not(client: FlaskClient) -> None:
    mine = f"edge-{secrets.token_hex(6)}"
    assert client.get("/healthz", headers={"X-Request-Id": mine}).headers["X-Request-Id"] == mine
    hostile = "x" * 10 + "\u00e9<script>"
    echoed = client.get("/healthz", headers={"X-Request-Id": hostile}).headers["X-Request-Id"]
    assert echoed != hostile and re.fullmatch(r"[0-9a-f]{32}", echoed)


def test_readyz_passes_on_a_migrated_database(client: FlaskClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "ready"
    assert body["checks"]["database"]["ok"] is True
    migrations = body["checks"]["migrations"]
    assert migrations["ok"] is True and migrations["current"] == migrations["head"]
    assert "redis" not in body["checks"]  # not configured, so not a reason to be unready


def test_readyz_fails_fast_with_json_when_the_database_is_down(tmp_path: Path) -> None:
    dead = f"mysql+pymysql://root@127.0.0.1:{free_port()}/nowhere"
    app = create_app(make_config(tmp_path, DATABASE_URL=dead))
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unready"
    assert body["checks"]["database"]["ok"] is False
    assert "OperationalError" in body["checks"]["database"]["detail"]
    assert body["checks"]["migrations"]["ok"] is False
    assert app.test_client().get("/healthz").status_code == 200  # alive, just not ready
    scrape = app.test_client().get("/metrics")
    assert scrape.status_code == 200
    assert _value(scrape.get_data(as_text=True), "pixgate_database_up") == 0


def test_readyz_fails_on_an_unmigrated_schema(tmp_path: Path) -> None:
    app = create_app(make_config(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'empty.db'}"))
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    migrations = response.get_json()["checks"]["migrations"]
    assert migrations["ok"] is False and migrations["current"] == []
    assert "pixgate db upgrade" in migrations["detail"]


@pytest.mark.parametrize("backend_url", ["sqlite"], indirect=True)
def test_readyz_checks_redis_when_configured(app: Flask, client: FlaskClient) -> None:
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"
    down = client.get("/readyz")
    assert down.status_code == 503 and down.get_json()["checks"]["redis"]["ok"] is False
    url = os.environ.get("PIXGATE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    services.require("redis", host=urlsplit(url).hostname or "127.0.0.1",
                     port=urlsplit(url).port or 6379)
    app.config["REDIS_URL"] = url
    app.extensions.pop("pixgate.ops.redis")
    up = client.get("/readyz")
    assert up.status_code == 200 and up.get_json()["checks"]["redis"]["ok"] is True


def test_metrics_count_requests_by_route_and_status(fresh: Flask, client: FlaskClient) -> None:
    create_payment(client)
    create_payment(client)
    client.post("/payments/pix", json={"value": "-1"})
    client.get(f"/no-such-page-{secrets.token_hex(4)}")
    text = _metrics(client)
    route = 'route="/payments/pix"'
    assert _value(text, f'pixgate_http_requests_total{{method="POST",{route},status="200"}}') == 2
    assert _value(text, f'pixgate_http_requests_total{{method="POST",{route},status="422"}}') == 1
    assert _value(text, 'pixgate_http_requests_total{method="GET",route="<unmatched>",'
                        'status="404"}') == 1
    latency = "pixgate_http_request_duration_seconds"
    assert _value(text, f'{latency}_count{{method="POST",{route}}}') == 3
    assert _value(text, f'{latency}_bucket{{le="+Inf",method="POST",{route}}}') == 3
    assert "no-such-page" not in text  # raw paths never become label values


def test_metrics_report_payments_and_outbox_from_the_database(
    fresh: Flask, client: FlaskClient
) -> None:
    paid, _active = create_payment(client), create_payment(client)
    assert confirm(client, paid).status_code == 200
    text = _metrics(client)
    assert _value(text, "pixgate_database_up") == 1
    assert _value(text, 'pixgate_payments{status="ACTIVE"}') == 1
    assert _value(text, 'pixgate_payments{status="PAID"}') == 1
    assert _value(text, 'pixgate_payments{status="EXPIRED"}') == 0
    assert _value(text, "pixgate_outbox_backlog") == 1  # no relay runs in these tests
    assert _value(text, "pixgate_outbox_oldest_age_seconds") >= 0
    assert Relay(fresh, [publisher.publish]).run_once() == 1
    text = _metrics(client)
    assert _value(text, "pixgate_outbox_backlog") == 0
    assert _value(text, "pixgate_outbox_oldest_age_seconds") == 0


def test_metrics_count_webhook_delivery_failures(fresh: Flask, client: FlaskClient) -> None:
    now = utcnow()
    rows = [("DELIVERED", 3), ("DEAD", 4), ("PENDING", 2), ("DELIVERED", 1)]
    for status, attempts in rows:
        db.session.add(WebhookDelivery(
            event_id=secrets.token_hex(8), topic="payment.confirmed", url="https://example.com/h",
            body="{}", status=status, attempts=attempts, give_up_at=now + timedelta(days=1),
        ))
    db.session.commit()
    text = _metrics(client)
    assert _value(text, 'pixgate_webhook_deliveries{status="DELIVERED"}') == 2
    assert _value(text, 'pixgate_webhook_deliveries{status="DEAD"}') == 1
    assert _value(text, 'pixgate_webhook_deliveries{status="PENDING"}') == 1
    assert _value(text, "pixgate_webhook_delivery_failures_total") == (3 + 4 + 2 + 1) - 2


def test_metrics_gauge_open_socketio_connections(fresh: Flask, client: FlaskClient) -> None:
    payment = create_payment(client)
    pages = [socketio.test_client(fresh, auth={"payment_id": payment["id"]}) for _ in range(3)]
    assert _value(_metrics(client), "pixgate_socketio_connections") == 3
    pages[0].disconnect()
    text = _metrics(client)
    assert _value(text, "pixgate_socketio_connections") == 2
    assert _value(text, "pixgate_socketio_connects_total") == 3
    for page in pages[1:]:
        page.disconnect()
    assert _value(_metrics(client), "pixgate_socketio_connections") == 0


def test_ops_routes_answer_json_problems_for_wrong_methods(client: FlaskClient) -> None:
    response = client.post("/metrics")
    assert response.status_code == 405
    assert response.headers["Content-Type"].startswith("application/problem+json")
