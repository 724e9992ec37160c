"""A merchant integration end to end, over real HTTP against `pixgate serve`."""

from __future__ import annotations

import secrets
import string
import subprocess
import sys
from pathlib import Path

import requests

from pixgate import brcode, signing
from pixgate.jws.sign import verify_payload
from tests.bcb_schema import assert_matches
from tests.e2e.conftest import free_port, server_env, start_server, stop_server
from tests.factories import random_amount
from tests.receiver import start_receiver

KEY = "pagamentos@pixgate.example"


def _client_credentials(env: dict[str, str]) -> tuple[str, str]:
    out = subprocess.run([sys.executable, "-m", "pixgate", "client", "create", "loja"],
                         env=env, capture_output=True, text=True, check=True, timeout=60).stdout
    fields = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
    return fields["client_id"].strip(), fields["client_secret"].strip()


def test_token_cob_jws_pay_webhook_list_refund(tmp_path: Path) -> None:
    receiver = start_receiver()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = server_env(tmp_path, PIXGATE_SANDBOX="1", PIXGATE_PUBLIC_URL=url,
                     PIXGATE_WEBHOOK_RETRY_BASE_SECONDS="0.2",
                     PIXGATE_ALLOW_PRIVATE_WEBHOOK_URLS="1")  # the receiver is on loopback
    server = start_server(tmp_path, env, port)
    try:
        client_id, secret = _client_credentials(env)
        token = requests.post(f"{url}/oauth/token", data={"grant_type": "client_credentials"},
                              auth=(client_id, secret), timeout=10).json()["access_token"]
        api = requests.Session()
        api.headers["Authorization"] = f"Bearer {token}"
        registered = api.put(f"{url}/v2/webhook/{KEY}", timeout=10,
                             json={"webhookUrl": receiver.url + "/hook"})
        assert registered.status_code == 200
        hook_secret = registered.json()["webhookSecret"]  # shown this once

        txid = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(30))
        valor = str(random_amount(1000, 99999))
        cob = api.put(f"{url}/v2/cob/{txid}", json={
            "calendario": {"expiracao": 600}, "valor": {"original": valor}, "chave": KEY},
            timeout=10).json()
        assert_matches(cob, "CobGerada")

        code = brcode.decode(cob["pixCopiaECola"])
        jws = requests.get(f"http://{code.url}", timeout=10)
        assert jws.headers["Content-Type"].startswith("application/jose")
        jwks = requests.get(url + "/.well-known/jwks.json", timeout=10).json()
        payload = verify_payload(jws.text, jwks)
        assert payload["txid"] == txid and payload["valor"]["original"] == valor

        payer = {"nome": "Ana", "cpf": "12345678909"}
        paid = requests.post(f"{url}/sandbox/pay", timeout=10,
                             json={"pixCopiaECola": cob["pixCopiaECola"], "pagador": payer})
        assert paid.status_code == 201, paid.text
        e2e = paid.json()["endToEndId"]

        assert receiver.wait_for(1, timeout=10)
        call = receiver.calls[0]
        assert call.path == "/hook/pix"
        signing.verify(call.headers[signing.HEADER], call.body, [hook_secret])
        assert call.json()["pix"][0] | {"horario": None} == {
            "endToEndId": e2e, "txid": txid, "valor": valor, "horario": None}

        listed = api.get(f"{url}/v2/pix", params={
            "inicio": "2000-01-01T00:00:00Z", "fim": "2100-01-01T00:00:00Z"}, timeout=10).json()
        assert_matches(listed, "PixConsultados")
        assert [p["endToEndId"] for p in listed["pix"]] == [e2e]

        refund = api.put(f"{url}/v2/pix/{e2e}/devolucao/d1", json={"valor": "1.00"}, timeout=10)
        assert refund.status_code == 201 and refund.json()["status"] == "DEVOLVIDO"
        assert receiver.wait_for(2, timeout=10)
        refunded = receiver.calls[1].json()["pix"][0]
        assert refunded["devolucoes"][0]["id"] == "d1"
        assert refunded["devolucoes"][0]["status"] == "DEVOLVIDO"
        signing.verify(receiver.calls[1].headers[signing.HEADER], receiver.calls[1].body,
                       [hook_secret])
    finally:
        stop_server(server)
        receiver.stop()
