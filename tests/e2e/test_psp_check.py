"""`pixgate psp check`, `pixgate psp webhook register` and start-up against B, with good and bad
certificates; and B going away and coming back under a client that is never restarted."""

from __future__ import annotations

import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import trustme

from pixgate.psp.base import PspUnavailable
from pixgate.psp.bcb import BcbPsp
from pixgate.psp.settings import PspSettings
from tests.e2e.conftest import server_env
from tests.psp_harness import PspServer, expired, merchant_env

pytestmark = pytest.mark.e2e


def run(tmp_path: Path, psp: PspServer, *args: str, **changes: str
        ) -> subprocess.CompletedProcess[str]:
    """A `pixgate` command as merchant A would run it, with A's PSP variables."""
    env = server_env(tmp_path, PIXGATE_PUBLIC_URL="https://shop.example",
                     PIXGATE_PIX_KEY=f"{secrets.token_hex(4)}@shop.example",
                     **merchant_env(psp))
    env.update(changes)
    return subprocess.run([sys.executable, "-m", "pixgate", *args], env=env, text=True,
                          capture_output=True, timeout=120, check=False)


def test_check_reports_every_step_and_register_fixes_the_webhook(
        tmp_path: Path, psp_server: PspServer) -> None:
    key = f"{secrets.token_hex(4)}@shop.example"
    before = run(tmp_path, psp_server, "psp", "check", PIXGATE_PIX_KEY=key)
    assert before.returncode == 1
    assert "[ok]   certificate: CN=" in before.stdout
    assert "[ok]   tls: 127.0.0.1" in before.stdout
    assert "client certificate accepted" in before.stdout
    assert "[ok]   token: granted for 3600 s; scopes: cob.read cob.write" in before.stdout
    assert "[ok]   cob: GET /cob answers" in before.stdout
    assert f"[FAIL] webhook: no webhook registered for the key {key}" in before.stdout
    registered = run(tmp_path, psp_server, "psp", "webhook", "register", PIXGATE_PIX_KEY=key,
                     PIXGATE_PSP_WEBHOOK_TOKEN="t0ken-of-this-shop-123")
    assert registered.returncode == 0, registered.stderr
    assert "https://shop.example/webhooks/psp/t0ken-of-this-shop-123/pix" in registered.stdout
    after = run(tmp_path, psp_server, "psp", "check", PIXGATE_PIX_KEY=key,
                PIXGATE_PSP_WEBHOOK_TOKEN="t0ken-of-this-shop-123")
    assert after.returncode == 0, after.stdout + after.stderr
    assert "[ok]   webhook: registered for" in after.stdout and "All is well" in after.stdout
    elsewhere = run(tmp_path, psp_server, "psp", "check", PIXGATE_PIX_KEY=key,
                    PIXGATE_PSP_WEBHOOK_TOKEN="another-token-of-the-shop")
    assert "[FAIL] webhook: the key" in elsewhere.stdout and "not this pixgate" in elsewhere.stdout


@pytest.mark.parametrize("problem", ["password", "expired", "other-ca", "secret", "server-ca"])
def test_bad_credentials_are_named_by_check_and_at_start_up(
        tmp_path: Path, psp_server: PspServer, problem: str) -> None:
    certificates = psp_server.certificates
    changes: dict[str, str] = {}
    if problem == "password":
        changes["PIXGATE_PSP_CERT_PASSWORD"] = "not-the-password"
    elif problem == "expired":
        changes["PIXGATE_PSP_CERT"] = str(certificates.issue_p12("old", password="pw",
                                                                 **expired()))
        changes["PIXGATE_PSP_CERT_PASSWORD"] = "pw"
    elif problem == "other-ca":
        changes["PIXGATE_PSP_CERT"] = str(certificates.issue_p12(
            "stranger", password="pw", ca=trustme.CA()))
        changes["PIXGATE_PSP_CERT_PASSWORD"] = "pw"
    elif problem == "secret":
        changes["PIXGATE_PSP_CLIENT_SECRET"] = "wrong-" + secrets.token_hex(8)
    else:
        other = tmp_path / "other-ca.pem"
        trustme.CA().cert_pem.write_to_path(str(other))
        changes["PIXGATE_PSP_CA_BUNDLE"] = str(other)
    checked = run(tmp_path, psp_server, "psp", "check", **changes)
    assert checked.returncode == 1
    expected = {
        "password": "[FAIL] certificate: PIXGATE_PSP_CERT_PASSWORD: wrong password",
        "expired": "[FAIL] certificate: PIXGATE_PSP_CERT: the certificate expired on",
        "other-ca": "refused our client certificate",
        "secret": "[FAIL] token: ",
        "server-ca": "[FAIL] tls: the PSP's server certificate is not trusted",
    }[problem]
    assert expected in checked.stdout, checked.stdout
    if problem == "secret":
        assert "refused the credentials (PIXGATE_PSP_CLIENT_ID" in checked.stdout
    if problem in ("password", "expired"):  # found without the network: pixgate will not start
        started = run(tmp_path, psp_server, "serve", "--port", "9", **changes)
        assert started.returncode != 0
        assert "configuration error: PIXGATE_PSP_CERT" in started.stderr


def test_psp_down_is_unavailable_then_works_again_without_restart(psp_server: PspServer) -> None:
    env = merchant_env(psp_server)
    settings = PspSettings(
        kind="bcb", base_url=env["PIXGATE_PSP_BASE_URL"], token_url=env["PIXGATE_PSP_TOKEN_URL"],
        client_id=psp_server.client_id, client_secret=psp_server.client_secret,
        cert=env["PIXGATE_PSP_CERT"], cert_password=env["PIXGATE_PSP_CERT_PASSWORD"],
        ca_bundle=env["PIXGATE_PSP_CA_BUNDLE"], timeout_seconds=2.0)
    client = BcbPsp(settings, sleep=lambda _seconds: None)
    body = {"calendario": {"expiracao": 3600}, "valor": {"original": "5.00"},
            "chave": "psp-b@pixgate.example"}
    try:
        assert client.put_cob(secrets.token_hex(15), body).status == "ATIVA"
        psp_server.stop()
        txid = secrets.token_hex(15)
        with pytest.raises(PspUnavailable) as caught:
            client.put_cob(txid, body)
        assert caught.value.status == 503 and "did not answer" in caught.value.detail
        psp_server.start()
        assert client.put_cob(txid, body).status == "ATIVA"
        assert client.get_cob(txid).txid == txid
    finally:
        client.close()
        if psp_server.process is None:
            psp_server.start()
