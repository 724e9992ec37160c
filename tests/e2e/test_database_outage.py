"""The database vanishes mid-traffic: 503 problem+json, no partial write, recovery unattended."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import make_url

from pixgate.charges.models import Charge
from tests.e2e.conftest import server_env, start_server, stop_server
from tests.factories import json_bytes, random_amount, signed_headers
from tests.tcp_proxy import TcpProxy


@pytest.fixture
def proxy(database_urls: dict) -> Iterator[tuple[TcpProxy, str]]:
    real = make_url(database_urls["get"]("mariadb"))
    tcp = TcpProxy(real.host or "127.0.0.1", real.port or 3306)
    yield tcp, real.set(port=tcp.port).render_as_string(hide_password=False)
    tcp.close()


def _charges(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        total = conn.scalar(select(func.count()).select_from(Charge.__table__))
    engine.dispose()
    return int(total or 0)


def test_outage_answers_503_writes_nothing_and_recovers(
    proxy: tuple[TcpProxy, str], tmp_path: Path
) -> None:
    tcp, url = proxy
    server = start_server(tmp_path, server_env(tmp_path, PIXGATE_DATABASE_URL=url))
    try:
        created = requests.post(server.url + "/payments/pix", json={"value": "10.00"}, timeout=10)
        payment = created.json()["payment"]
        before = _charges(url)

        tcp.cut()
        for _ in range(3):
            response = requests.post(server.url + "/payments/pix",
                                     json={"value": str(random_amount())}, timeout=30)
            assert response.status_code == 503, response.text
            assert response.headers["Content-Type"].startswith("application/problem+json")
            assert "database" in response.json()["detail"]
        raw = json_bytes({"bank_payment_id": payment["bank_payment_id"], "value": "10.00"})
        confirm = requests.post(server.url + "/payments/pix/confirmation", data=raw,
                                headers=signed_headers(raw), timeout=30)
        assert confirm.status_code == 503

        tcp.restore()
        assert _charges(url) == before
        again = requests.post(server.url + "/payments/pix", json={"value": "11.00"}, timeout=10)
        assert again.status_code == 200, again.text
        raw = json_bytes({"bank_payment_id": payment["bank_payment_id"], "value": "10.00"})
        confirm = requests.post(server.url + "/payments/pix/confirmation", data=raw,
                                headers=signed_headers(raw), timeout=10)
        assert confirm.status_code == 200, confirm.text
    finally:
        stop_server(server)
