"""A real payment page opened through deploy/nginx.conf flips to paid over its WebSocket."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.nginx_site import Deployment, deployment
from tests.e2e.test_nginx import confirm, create

pytestmark = [pytest.mark.e2e, pytest.mark.mariadb, pytest.mark.redis]


@pytest.fixture(scope="module")
def behind_nginx(database_urls: dict) -> Iterator[Deployment]:
    """nginx as shipped in front of two pixgate processes on MariaDB and Redis."""
    with deployment(database_urls["get"]("mariadb")) as running:
        yield running


def test_a_page_opened_through_nginx_flips_when_paid_through_nginx(
    context: Any, behind_nginx: Deployment
) -> None:
    page = context.new_page()
    page.set_default_timeout(10_000)
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(r.url.split("/")[2]))
    payment = create(behind_nginx)
    page.goto(payment["payment_url"])
    expect(page.locator("#payment")).to_have_attribute("data-status", "ACTIVE")
    nginx_host = behind_nginx.url.split("/")[2]
    deadline = time.monotonic() + 10
    while not sockets and time.monotonic() < deadline:  # the client upgrades after polling
        page.wait_for_timeout(100)
    assert sockets and all(url.startswith(f"ws://{nginx_host}/socket.io/") for url in sockets)
    confirm(behind_nginx, payment)
    confirmed_at = time.monotonic()
    expect(page.locator("#payment")).to_have_attribute("data-status", "PAID", timeout=2000)
    assert time.monotonic() - confirmed_at < 2.0  # pushed, not the polling fallback's pace
    expect(page.locator("#status-text")).to_have_text("Pagamento confirmado")
    assert hosts == {nginx_host}  # everything came through nginx, nothing from elsewhere
    page.close()
