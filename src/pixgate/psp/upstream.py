"""What the charge service sends to a PSP that holds charges, and the checks on its answers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pixgate.psp.base import Psp, PspCob, PspError

REMOVED_BY_RECEIVER = "REMOVIDA_PELO_USUARIO_RECEBEDOR"


def cob_body(
    *, amount: Decimal, key: str, expiry: int, payer_request: str | None = None,
    debtor: dict[str, Any] | None = None, extra_info: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """BCB's CobPut body for a new charge."""
    body: dict[str, Any] = {"calendario": {"expiracao": expiry},
                            "valor": {"original": str(amount)}, "chave": key}
    if debtor:
        body["devedor"] = debtor
    if payer_request:
        body["solicitacaoPagador"] = payer_request
    if extra_info:
        body["infoAdicionais"] = extra_info
    return body


def put_cob(psp: Psp, txid: str, body: dict[str, Any]) -> PspCob:
    """Create the cob at the PSP; an answer the payer could not pay with is a 502, not a charge."""
    cob = psp.put_cob(txid, body)
    if not cob.pix_copia_e_cola:
        raise PspError("the PSP created the cob but returned no pixCopiaECola",
                       operation="put_cob", body=cob.raw)
    if cob.txid != txid or cob.amount != Decimal(body["valor"]["original"]):
        raise PspError(f"the PSP answered with cob {cob.txid} of {cob.amount}, not what was sent",
                       operation="put_cob", body=cob.raw)
    return cob


def remove_cob(psp: Psp, txid: str) -> PspCob:
    """Removal by the merchant, forwarded before pixgate marks the charge REMOVED."""
    return psp.patch_cob(txid, {"status": REMOVED_BY_RECEIVER})
