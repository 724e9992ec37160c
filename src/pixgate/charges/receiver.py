"""The configured receiver (Pix key, name, city), validated once so every BR Code is valid."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from pixgate import brcode
from pixgate.charges.errors import InvalidInput

if TYPE_CHECKING:
    from pixgate.config import Config


@dataclass(frozen=True)
class Receiver:
    """Who gets paid: the canonical keys (first = default) plus the name and city in codes."""

    pix_key: str
    key_kind: str
    name: str
    city: str
    keys: tuple[str, ...] = ()
    any_key: bool = False  # the sandbox lets a cob name any valid key

    def check_chave(self, chave: str) -> None:
        """A cob's `chave` must be one of ours, or payers would pay someone else."""
        if not self.any_key and chave not in (self.keys or (self.pix_key,)):
            raise InvalidInput("chave", "is not one of this receiver's Pix keys (PIXGATE_PIX_KEY)")


def receiver_from_config(config: Config) -> Receiver:
    """Validate PIXGATE_PIX_KEY / _MERCHANT_NAME / _MERCHANT_CITY; the error names the variable."""
    from pixgate.config import ConfigError

    keys = []
    for raw in config.PIX_KEY.split(","):
        try:
            keys.append(brcode.normalize_key(raw))
        except brcode.BRCodeError as exc:
            raise ConfigError("PIXGATE_PIX_KEY", f"{raw.strip()!r}: {exc.reason}") from None
    key = keys[0]
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
        keys=tuple(dict.fromkeys(k.value for k in keys)),
        any_key=config.SANDBOX,
    )
