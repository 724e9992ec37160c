"""The shipped deployment: deploy/nginx.conf in front of `pixgate serve --workers 2` with Redis.

Everything a payer and an operator do goes through nginx: create, the payment page and its
Socket.IO client, Socket.IO over WebSocket and over long-polling, a signed confirmation that
flips a page connected through nginx, and the probes (allowed from 127.0.0.1, refused from
another address). The file itself is checked against what `pixgate serve` opens.
"""

from __future__ import annotations

import http.client
import json
import re
import secrets
import shlex
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import socketio

from pixgate.commands.serve import serve
from pixgate.ops.gunicorn import Settings, ports
from tests.e2e.nginx_site import REPO, SHIPPED, Deployment, deployment
from tests.factories import json_bytes, make_config, random_amount, signed_headers

pytestmark = [pytest.mark.e2e, pytest.mark.mariadb, pytest.mark.redis]
UNIT = REPO / "deploy" / "pixgate.service"
VENDOR_JS = REPO / "src" / "pixgate" / "web" / "static" / "vendor" / "socket.io.min.js"


@pytest.fixture(scope="module")
def site(database_urls: dict) -> Iterator[Deployment]:
    """nginx as shipped in front of two pixgate processes on MariaDB and Redis."""
    with deployment(database_urls["get"]("mariadb")) as running:
        yield running


def create(site: Deployment) -> dict:
    """A payment created through nginx."""
    response = requests.post(site.url + "/payments/pix", json={"value": str(random_amount())},
                             timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["payment"]


def confirm(site: Deployment, payment: dict) -> None:
    """A signed confirmation sent through nginx, as the bank's callback would be."""
    raw = json_bytes({"bank_payment_id": payment["bank_payment_id"], "value": payment["value"]})
    response = requests.post(site.url + "/payments/pix/confirmation", data=raw,
                             headers=signed_headers(raw), timeout=10)
    assert response.status_code == 200, response.text


class Page:
    """A Socket.IO client on one transport, connected through nginx, recording its events."""

    def __init__(self, site: Deployment, payment_id: int, transport: str) -> None:
        self.events: list[tuple[str, dict]] = []
        self.confirmed = threading.Event()
        self.client = socketio.Client(reconnection=False)
        self.client.on("*", self._record)
        self.client.connect(site.url, auth={"payment_id": payment_id}, transports=[transport],
                            wait_timeout=10)

    def _record(self, event: str, data: dict) -> None:
        self.events.append((event, data))
        if event.startswith("payment-confirmed-"):
            self.confirmed.set()


def _upstream_ports(conf: str) -> list[tuple[str, int]]:
    block = re.search(r"upstream pixgate \{(.*?)\n    \}", conf, re.S)
    assert block, "deploy/nginx.conf has no `upstream pixgate` block"
    return [(host, int(port)) for host, port in
            re.findall(r"^\s*server\s+([\d.]+):(\d+)\b", block.group(1), re.M)]


def test_the_shipped_upstreams_are_what_pixgate_serve_opens(tmp_path: Path) -> None:
    conf = SHIPPED.read_text()
    upstreams = _upstream_ports(conf)
    exec_start = shlex.split(re.search(r"^ExecStart=(.*)$", UNIT.read_text(), re.M).group(1))
    option = {exec_start[i]: exec_start[i + 1] for i in range(1, len(exec_start) - 1)
              if exec_start[i].startswith("--")}
    workers, first = int(option["--workers"]), int(option["--port"])
    assert upstreams == [(option["--host"], p) for p in ports(first, workers)], (
        "deploy/nginx.conf's upstream servers must be the ports `pixgate serve --workers N` "
        "opens in deploy/pixgate.service")
    defaults = {param.name: param.default for param in serve.params}
    assert first == defaults["port"]  # so a bare `pixgate serve --workers 2` matches as well
    assert f"pixgate serve --workers {workers}" in conf
    # nginx closes idle upstream connections before pixgate does (no request on a dying one).
    keepalive = int(re.search(r"keepalive_timeout (\d+)s;", conf).group(1))
    assert keepalive < Settings.keepalive
    # A quiet page is silent for at most ping interval + ping timeout; nginx must wait longer.
    from pixgate.app import create_app
    from pixgate.extensions import socketio as server

    app = create_app(make_config(tmp_path))
    eio = server.server.eio
    socket_block = conf.split("location /socket.io/", 1)[1].split("}", 1)[0]
    read_timeout = int(re.search(r"proxy_read_timeout (\d+)s;", socket_block).group(1))
    assert read_timeout > eio.ping_interval + eio.ping_timeout
    # The internal-only location covers exactly pixgate's probe and metrics routes.
    probes = set(re.search(r"location ~ \^/\(([a-z|]+)\)\$", conf).group(1).split("|"))
    ops_routes = {rule.rule.strip("/") for rule in app.url_map.iter_rules()
                  if rule.endpoint.startswith("ops.")}
    assert probes == ops_routes


def test_create_and_the_payment_page_through_nginx(site: Deployment) -> None:
    payment = create(site)
    assert payment["payment_url"].startswith(site.url + "/pay/")
    page = requests.get(payment["payment_url"], timeout=10)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert payment["brcode"] in page.text
    script = re.search(r'<script src="(/static/vendor/socket\.io\.min\.js)"', page.text)
    assert script, "the page does not load the Socket.IO client from pixgate"
    client = requests.get(site.url + script.group(1), timeout=10)
    assert client.status_code == 200
    assert client.content == VENDOR_JS.read_bytes()  # 46 KiB: more than nginx's memory buffers
    qr = requests.get(site.url + f"/payments/pix/qr_code/{payment['qr_code']}", timeout=10)
    assert qr.status_code == 200 and qr.content.startswith(b"\x89PNG")


def test_request_ids_pass_through_and_reach_the_access_log(site: Deployment) -> None:
    mine = "nginx-test-" + secrets.token_hex(8)
    response = requests.get(site.url + "/healthz", headers={"X-Request-Id": mine}, timeout=10)
    assert response.headers.get("X-Request-Id") == mine
    minted = requests.get(site.url + "/healthz", timeout=10).headers.get("X-Request-Id")
    assert minted and minted != mine
    lines = [json.loads(line) for line in (site.folder / "access.log").read_text().splitlines()]
    logged = [line for line in lines if line["request_id"] == mine]
    assert logged and logged[0]["status"] == 200
    assert logged[0]["upstream"] in {b.removeprefix("http://") for b in site.backends}


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_a_confirmation_through_nginx_flips_a_page_connected_through_it(
    site: Deployment, transport: str
) -> None:
    payment, bystander_payment = create(site), create(site)
    page = Page(site, payment["id"], transport)
    bystander = Page(site, bystander_payment["id"], transport)
    try:
        assert page.client.transport() == transport
        confirm(site, payment)
        assert page.confirmed.wait(10), page.events
        names = [name for name, _ in page.events]
        assert names[0] == "payment-status"
        assert f"payment-confirmed-{payment['id']}" in names
        assert not bystander.confirmed.wait(0.5)
    finally:
        page.client.disconnect()
        bystander.client.disconnect()


def _get_from(address: str, port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10,
                                            source_address=(address, 0))
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_probes_answer_allowed_addresses_and_refuse_others(site: Deployment) -> None:
    port = int(site.url.rsplit(":", 1)[1])
    payment = create(site)
    for probe in ("/healthz", "/readyz", "/metrics"):
        assert _get_from("127.0.0.1", port, probe) == 200, probe  # allowed: 127.0.0.1
        assert _get_from("127.0.0.2", port, probe) == 403, probe  # any other address
    # The same other address still reaches the public routes.
    assert _get_from("127.0.0.2", port, f"/payments/pix/{payment['id']}/status") == 200
