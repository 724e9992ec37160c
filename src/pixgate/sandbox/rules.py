"""Magic values that make the sandbox misbehave on purpose (documented in docs/sandbox.md)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

REFUSING_PAYER = "RECUSADO"  # a payer of this name has their payment refused
FAILING_REFUND_CENTS = 13  # a refund of R$ x,13 ends NAO_REALIZADO


def payment_refusal(payer: dict[str, Any] | None) -> str | None:
    """Why the payer's bank refuses this payment, or None to let it through."""
    name = (payer or {}).get("nome")
    if isinstance(name, str) and name.strip().upper() == REFUSING_PAYER:
        return "the payer's bank refused the payment (sandbox payer name RECUSADO)"
    return None


def refund_failure(amount: Decimal) -> str | None:
    """Why a refund fails, or None when it is settled (DEVOLVIDO)."""
    if int(amount * 100) % 100 == FAILING_REFUND_CENTS:
        return "refund refused by the payer's bank (sandbox amount ending in ,13)"
    return None
