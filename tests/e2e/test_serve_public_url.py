"""`pixgate serve` without PIXGATE_PUBLIC_URL builds its links on the address it binds."""

from __future__ import annotations

import requests

from tests.e2e.conftest import LiveServer


def test_links_name_the_bound_port_when_public_url_is_unset(live_server: LiveServer) -> None:
    # live_server runs `pixgate serve --port <random>` with every PIXGATE_* but a few unset.
    response = requests.post(live_server.url + "/payments/pix", json={"value": "10.00"},
                             timeout=10)
    assert response.status_code == 200, response.text
    payment = response.json()["payment"]
    assert payment["payment_url"] == f"{live_server.url}/pay/{payment['bank_payment_id']}"
    assert requests.get(payment["payment_url"], timeout=10).status_code == 200
    spec = requests.get(live_server.url + "/openapi.json", timeout=10).json()
    flows = [scheme["flows"] for scheme in spec["components"]["securitySchemes"].values()
             if "flows" in scheme]
    assert flows and flows[0]["clientCredentials"]["tokenUrl"] == live_server.url + "/oauth/token"
