"""Test factories: configurations and charges with random values, not pasted literals."""

from __future__ import annotations

import random
import secrets
from decimal import Decimal
from pathlib import Path
from typing import Any

from pixgate.config import Config

WEBHOOK_SECRET = "whsec_" + secrets.token_hex(16)  # verifies what comes in
NOTIFY_SECRET = "whout_" + secrets.token_hex(16)  # signs what goes out: never the same key


def make_config(tmp_path: Path, **overrides: Any) -> Config:
    """A test configuration: valid receiver, throw-away instance folder, no background relay."""
    values: dict[str, Any] = {
        "SECRET_KEY": secrets.token_hex(16),
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "PIX_KEY": "pagamentos@pixgate.example",
        "MERCHANT_NAME": "Loja Pixgate Teste",
        "MERCHANT_CITY": "Sao Paulo",
        "WEBHOOK_SECRET": WEBHOOK_SECRET,
        "NOTIFY_SECRET": NOTIFY_SECRET,
        "TESTING": True,
    }
    values.update(overrides)
    return Config(**values)


def random_amount(low: int = 1, high: int = 999_999) -> Decimal:
    """An exact amount in centavos between low and high, as a two-place Decimal."""
    return (Decimal(random.randint(low, high)) / 100).quantize(Decimal("0.01"))


def signed_headers(body: bytes, secret: str = WEBHOOK_SECRET, **kwargs: Any) -> dict[str, str]:
    """Headers for a signed confirmation of exactly these body bytes."""
    from pixgate import signing

    signature = signing.sign(secret, body, **kwargs)
    return {"Content-Type": "application/json", signing.HEADER: signature}


def json_bytes(body: Any) -> bytes:
    """Serialise a body once, so the signature covers exactly what is sent."""
    import json

    return json.dumps(body, default=str).encode()
