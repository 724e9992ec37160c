"""A cobv end to end over real HTTP: created, priced for two payment dates, paid late."""

from __future__ import annotations

import secrets
import string
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import requests

from pixgate import brcode, signing
from pixgate.cobv.calendar import brasilia_today, next_business_day
from pixgate.jws.sign import verify_payload
from tests.bcb_schema import assert_matches
from tests.e2e.conftest import free_port, server_env, start_server, stop_server
from tests.e2e.test_merchant_integration import KEY, _client_credentials
from tests.factories import json_bytes, signed_headers
from tests.receiver import start_receiver


def test_cobv_priced_per_date_and_paid_late_through_the_sandbox(tmp_path: Path) -> None:
    receiver = start_receiver()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = server_env(tmp_path, PIXGATE_SANDBOX="1", PIXGATE_PUBLIC_URL=url,
                     PIXGATE_WEBHOOK_RETRY_BASE_SECONDS="0.2",
                     PIXGATE_NOTIFY_URL=receiver.url + "/events",
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

        today = brasilia_today()
        txid = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        created = api.put(f"{url}/v2/cobv/{txid}", timeout=10, json={
            "calendario": {"dataDeVencimento": today.isoformat(), "validadeAposVencimento": 30},
            "devedor": {"cnpj": "12ABC34501DE35", "nome": "Escola Exemplo Ltda"},
            "valor": {"original": "500.00", "multa": {"modalidade": 2, "valorPerc": "2.00"},
                      "juros": {"modalidade": 1, "valorPerc": "0.25"}},
            "chave": KEY})
        assert created.status_code == 201, created.text
        cobv = created.json()
        assert_matches(cobv, "CobVGerada")

        code = brcode.decode(cobv["pixCopiaECola"])
        jwks = requests.get(url + "/.well-known/jwks.json", timeout=10).json()
        due = next_business_day(today)
        late = due + timedelta(days=4)

        def priced(day: str) -> dict:
            jws = requests.get(f"http://{code.url}", params={"DPP": day, "codMun": "3550308"},
                               timeout=10)
            assert jws.status_code == 200, jws.text
            assert jws.headers["Content-Type"].startswith("application/jose")
            payload = verify_payload(jws.text, jwks)
            assert_matches(payload, "CobVPayload")
            return payload["valor"]

        assert priced(today.isoformat()) == {"original": "500.00", "final": "500.00"}
        # 2% of 500 = 10.00; 4 calendar days after the due date at 0.25 = 1.00.
        assert priced(late.isoformat()) == {"original": "500.00", "multa": "10.00",
                                            "juros": "1.00", "final": "511.00"}
        past = requests.get(f"http://{code.url}", timeout=10,
                            params={"DPP": (today - timedelta(days=1)).isoformat()})
        assert past.status_code == 400
        assert past.json()["type"].endswith("/CobPayloadOperacaoInvalida")

        refused = subprocess.run(
            [sys.executable, "-m", "pixgate", "pay", cobv["pixCopiaECola"], "--valor", "500.00",
             "--date", late.isoformat()], env=env, capture_output=True, text=True, timeout=60)
        assert refused.returncode != 0 and "511.00" in refused.stderr
        assert api.get(f"{url}/v2/cobv/{txid}", timeout=10).json()["status"] == "ATIVA"
        # A Pix of the wrong amount for its day reached the account (told by the PSP's
        # webhook): on record as unmatched, announced, and the cobv still open.
        pix = {"endToEndId": "E" + "".join(secrets.choice(string.digits) for _ in range(31)),
               "txid": txid, "valor": "499.00", "horario": "2026-01-01T00:00:00Z"}
        raw = json_bytes({"pix": [pix]})
        wrong = requests.post(f"{url}/webhooks/pix", data=raw, headers=signed_headers(raw),
                              timeout=10)
        assert wrong.status_code == 422 and "must equal the amount due" in wrong.text
        assert receiver.wait_for(1, timeout=10)
        unmatched = receiver.calls[0].json()
        assert unmatched["type"] == "pix.unmatched"
        assert unmatched["data"]["motivo"] == "amount_differs"
        assert unmatched["data"]["pix"]["valor"] == "499.00"

        paid = requests.post(f"{url}/sandbox/pay", timeout=10, json={
            "pixCopiaECola": cobv["pixCopiaECola"], "data": late.isoformat(),
            "pagador": {"nome": "Ana", "cpf": "12345678909"}})
        assert paid.status_code == 201, paid.text
        assert paid.json()["valor"] == "511.00"
        e2e = paid.json()["endToEndId"]

        done = api.get(f"{url}/v2/cobv/{txid}", timeout=10).json()
        assert_matches(done, "CobVCompleta")
        assert done["status"] == "CONCLUIDA"
        assert [(p["endToEndId"], p["valor"]) for p in done["pix"]] == [(e2e, "511.00")]
        listed = api.get(f"{url}/v2/pix", timeout=10, params={
            "inicio": "2000-01-01T00:00:00Z", "fim": "2100-01-01T00:00:00Z"}).json()
        assert (e2e, txid) in [(p["endToEndId"], p["txid"]) for p in listed["pix"]]

        deadline = time.monotonic() + 15
        while not (hooks := [c for c in list(receiver.calls) if c.path == "/hook/pix"
                             and c.json()["pix"][0]["endToEndId"] == e2e]):
            assert time.monotonic() < deadline, [c.path for c in receiver.calls]
            time.sleep(0.1)
        call = hooks[0]
        signing.verify(call.headers[signing.HEADER], call.body, [hook_secret])
        assert call.json()["pix"][0]["txid"] == txid
        assert call.json()["pix"][0]["valor"] == "511.00"
        refund = api.put(f"{url}/v2/pix/{e2e}/devolucao/d1", json={"valor": "11.00"}, timeout=10)
        assert refund.status_code == 201 and refund.json()["status"] == "DEVOLVIDO"
    finally:
        stop_server(server)
        receiver.stop()
