"""The configured receiver (Pix key, name, city), validated once so every BR Code is valid."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from pixgate import brcode

if TYPE_CHECKING:
    from pixgate.config import Config


@dataclass(frozen=True)
class Receiver:
    """Who gets paid: the canonical key plus the ASCII name and city written into codes."""

    pix_key: str
    key_kind: str
    name: str
    city: str


def receiver_from_config(config: Config) -> Receiver:
    """Validate PIXGATE_PIX_KEY / _MERCHANT_NAME / _MERCHANT_CITY; the error names the variable."""
    from pixgate.config import ConfigError

    try:
        key = brcode.normalize_key(config.PIX_KEY)
    except brcode.BRCodeError as exc:
        raise ConfigError("PIXGATE_PIX_KEY", exc.reason) from None
    try:
        code = brcode.encode_static(
            key=key.value,
            name=config.MERCHANT_NAME,
            city=config.MERCHANT_CITY,
            amount=Decimal("1.00"),
            txid="PROBE",
        )
    except brcode.BRCodeError as exc:
        variable = "PIXGATE_MERCHANT_CITY" if "city" in exc.field else "PIXGATE_MERCHANT_NAME"
        raise ConfigError(variable, exc.reason) from None
    decoded = brcode.decode(code)
    return Receiver(
        pix_key=key.value,
        key_kind=key.kind,
        name=decoded.merchant_name or "",
        city=decoded.merchant_city or "",
    )
