"""The live server as the browser tests use it: create charges, pay them, shoot and check pages."""

from __future__ import annotations

import io
import re
import secrets
import subprocess
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import requests
import zxingcpp
from PIL import Image

from tests.factories import random_amount

REPO = Path(__file__).resolve().parents[3]
SHOTS = REPO / "artefacts" / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


@dataclass
class Site:
    """A running pixgate with the sandbox on; `password` opens its dashboard."""

    url: str
    env: dict[str, str]
    password: str
    _bearer: dict[str, str] = field(default_factory=dict)

    def create(self, **extra: Any) -> dict:
        """A legacy charge of a random amount (plus description, return_url...)."""
        body = {"value": str(random_amount(100, 99_999)), **extra}
        response = requests.post(self.url + "/payments/pix", json=body, timeout=10)
        assert response.status_code == 200, response.text
        payment = response.json(parse_float=Decimal)["payment"]
        payment["value"] = str(payment["value"])  # exact, as sent: "123.40"
        return payment

    def create_cob(self, expiry: int = 3600, value: str | None = None) -> dict:
        """A BCB cob (dynamic BR Code) through the v2 API, with a fresh OAuth client."""
        txid = "".join(secrets.choice(ALNUM) for _ in range(30))
        body = {"calendario": {"expiracao": expiry},
                "valor": {"original": value or str(random_amount(100, 99_999))},
                "chave": "pagamentos@pixgate.example"}
        response = requests.put(f"{self.url}/v2/cob/{txid}", json=body, headers=self.bearer(),
                                timeout=10)
        assert response.status_code == 201, response.text
        return response.json()

    def create_cobv(self, due: str, **valor: Any) -> dict:
        """A BCB cobv (due date, devedor, multa/juros/...) through the v2 API."""
        txid = "".join(secrets.choice(ALNUM) for _ in range(32))
        body = {"calendario": {"dataDeVencimento": due},
                "devedor": {"cpf": "12345678909", "nome": "Fulana de Tal"},
                "valor": {"original": "200.00", **valor}, "chave": "pagamentos@pixgate.example"}
        response = requests.put(f"{self.url}/v2/cobv/{txid}", json=body, headers=self.bearer(),
                                timeout=10)
        assert response.status_code == 201, response.text
        return response.json()

    def bearer(self) -> dict[str, str]:
        """An Authorization header for the v2 API, made once per session."""
        if not self._bearer:
            made = subprocess.run([sys.executable, "-m", "pixgate", "client", "create", "browser"],
                                  env=self.env, capture_output=True, text=True, check=True,
                                  timeout=60)
            client_id = re.search(r"client_id:\s+(\S+)", made.stdout).group(1)  # type: ignore[union-attr]
            secret = re.search(r"client_secret:\s+(\S+)", made.stdout).group(1)  # type: ignore[union-attr]
            token = requests.post(self.url + "/oauth/token", auth=(client_id, secret),
                                  data={"grant_type": "client_credentials"}, timeout=10)
            assert token.status_code == 200, token.text
            self._bearer["Authorization"] = "Bearer " + token.json()["access_token"]
        return self._bearer

    def pay(self, code: str) -> dict:
        """Pay a BR Code as the sandbox payer, over HTTP."""
        response = requests.post(self.url + "/sandbox/pay", json={"pixCopiaECola": code},
                                 timeout=10)
        assert response.status_code == 201, response.text
        return response.json()


def shoot(page: Any, name: str) -> bytes:
    """Save a full-page screenshot under artefacts/screenshots and return its PNG bytes."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    return page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def qr_texts(png: bytes) -> list[str]:
    """Every QR code zxing-cpp finds in a screenshot."""
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def axe_violations(page: Any) -> list[dict]:
    """Run axe-core (injected by the context) for WCAG A and AA; returns the violations."""
    assert page.evaluate("typeof window.axe") == "object", "axe-core was not injected"
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in result["violations"]]
