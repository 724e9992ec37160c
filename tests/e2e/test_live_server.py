"""Over real HTTP and Socket.IO: the seed's flow, end to end, on the production server."""

from __future__ import annotations

import threading

import requests
import socketio

from tests.e2e.conftest import LiveServer
from tests.factories import json_bytes, random_amount, signed_headers


def _create(server: LiveServer) -> dict:
    response = requests.post(
        server.url + "/payments/pix", json={"value": str(random_amount())}, timeout=10
    )
    assert response.status_code == 200, response.text
    return response.json()["payment"]


class Listener:
    """A python-socketio client that records every event it receives."""

    def __init__(self, server: LiveServer, payment_id: int) -> None:
        self.events: list[tuple[str, dict]] = []
        self.confirmed = threading.Event()
        self.client = socketio.Client(reconnection=False)
        self.client.on("*", self._record)
        self.client.connect(
            server.url, auth={"payment_id": payment_id}, transports=["websocket"], wait_timeout=10
        )

    def _record(self, event: str, data: dict) -> None:
        self.events.append((event, data))
        if event.startswith("payment-confirmed-"):
            self.confirmed.set()

    def names(self) -> list[str]:
        return [name for name, _ in self.events]


def test_subscriber_receives_its_own_confirmation_and_nobody_else_does(
    live_server: LiveServer,
) -> None:
    mine, other = _create(live_server), _create(live_server)
    listener, bystander = Listener(live_server, mine["id"]), Listener(live_server, other["id"])
    try:
        raw = json_bytes({"bank_payment_id": mine["bank_payment_id"], "value": mine["value"]})
        response = requests.post(
            live_server.url + "/payments/pix/confirmation", data=raw, headers=signed_headers(raw),
            timeout=10,
        )
        assert response.status_code == 200, response.text
        assert listener.confirmed.wait(5), listener.events
        assert f"payment-confirmed-{mine['id']}" in listener.names()
        assert listener.names()[0] == "payment-status"
        assert bystander.confirmed.wait(0.5) is False
        assert bystander.names() == ["payment-status"]
    finally:
        listener.client.disconnect()
        bystander.client.disconnect()


def test_page_and_socket_client_are_served_locally(live_server: LiveServer) -> None:
    payment = _create(live_server)
    page = requests.get(f"{live_server.url}/payments/pix/{payment['id']}", timeout=10)
    assert page.status_code == 200
    assert 'src="/static/vendor/socket.io.min.js"' in page.text
    script = requests.get(live_server.url + "/static/vendor/socket.io.min.js", timeout=10)
    assert script.status_code == 200 and "io" in script.text[:2000]


def test_server_errors_are_json_never_the_debugger(live_server: LiveServer) -> None:
    response = requests.post(
        live_server.url + "/payments/pix", data="NaN", headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert "Traceback" not in response.text and "Werkzeug" not in response.text


def test_chunked_bodies_are_limited_like_any_other_on_the_real_server(
    live_server: LiveServer,
) -> None:
    def chunks(body: bytes):  # a generator body: requests sends it chunked
        for start in range(0, len(body), 8192):
            yield body[start:start + 8192]

    headers = {"Content-Type": "application/json"}
    small = json_bytes({"value": str(random_amount())})
    ok = requests.post(live_server.url + "/payments/pix", data=chunks(small), headers=headers,
                       timeout=10)
    assert ok.status_code == 200, ok.text
    big = json_bytes({"value": str(random_amount()), "pad": "y" * 70_000})
    refused = requests.post(live_server.url + "/payments/pix", data=chunks(big), headers=headers,
                            timeout=10)
    assert refused.status_code == 413, refused.text
    plain = requests.post(live_server.url + "/payments/pix", data=small,
                          headers={"Content-Type": "text/plain"}, timeout=10)
    assert plain.status_code == 415
