"""What the charge service sends to a PSP that holds charges, and the checks on its answers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from pixgate.charges.errors import InvalidInput
from pixgate.charges.models import COBV
from pixgate.psp.base import Psp, PspCob, PspError

REMOVED_BY_RECEIVER = "REMOVIDA_PELO_USUARIO_RECEBEDOR"


def cob_body(
    *, amount: Decimal, key: str, expiry: int, payer_request: str | None = None,
    debtor: dict[str, Any] | None = None, extra_info: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """BCB's CobPut body for a new charge."""
    body: dict[str, Any] = {"calendario": {"expiracao": expiry},
                            "valor": {"original": str(amount)}, "chave": key}
    return _with_optional(body, debtor, payer_request, extra_info)


def cobv_body(
    *, original: Decimal, parts: dict[str, Any], due_date: date, validity_days: int, key: str,
    debtor: dict[str, Any] | None, payer_request: str | None = None,
    extra_info: list[dict[str, str]] | None = None, only: Iterable[str] | None = None,
) -> dict[str, Any]:
    """BCB's CobVSolicitada body (the whole cobv), or with `only` the top-level fields of a
    CobVRevisada; `parts` are multa/juros/abatimento/desconto as stored (terms_to_json)."""
    body: dict[str, Any] = {
        "calendario": {"dataDeVencimento": due_date.isoformat(),
                       "validadeAposVencimento": validity_days},
        "valor": {"original": f"{original:.2f}", **parts}, "chave": key,
    }
    body = _with_optional(body, debtor, payer_request, extra_info)
    if only is not None:
        wanted = set(only)
        body = {name: value for name, value in body.items() if name in wanted}
    return body


def _with_optional(body: dict[str, Any], debtor: dict[str, Any] | None,
                   payer_request: str | None,
                   extra_info: list[dict[str, str]] | None) -> dict[str, Any]:
    # The fields cob and cobv bodies share, each sent only when it has a value.
    for name, value in (("devedor", debtor), ("solicitacaoPagador", payer_request),
                        ("infoAdicionais", extra_info)):
        if value:
            body[name] = value
    return body


def put_cob(psp: Psp, txid: str, body: dict[str, Any]) -> PspCob:
    """Create the cob at the PSP; an answer the payer could not pay with is a 502, not a charge."""
    return _payable(psp.put_cob(txid, body), txid, body, operation="put_cob")


def put_cobv(psp: Psp, txid: str, body: dict[str, Any]) -> PspCob:
    """Create (or, with the whole body, revise) a cobv at the PSP, held to the same checks."""
    return _payable(psp.put_cobv(txid, body), txid, body, operation="put_cobv")


def _payable(cob: PspCob, txid: str, body: dict[str, Any], *, operation: str) -> PspCob:
    if not cob.pix_copia_e_cola:
        raise PspError("the PSP created the charge but returned no pixCopiaECola",
                       operation=operation, body=cob.raw)
    if cob.txid != txid or cob.amount != Decimal(body["valor"]["original"]):
        raise PspError(f"the PSP answered with charge {cob.txid} of {cob.amount}, not what was "
                       "sent", operation=operation, body=cob.raw)
    return cob


def patch(psp: Psp, txid: str, body: dict[str, Any], *, kind: str) -> PspCob:
    """`PATCH /cob` or `PATCH /cobv`, whichever endpoint holds this kind of charge."""
    return psp.patch_cobv(txid, body) if kind == COBV else psp.patch_cob(txid, body)


def read(psp: Psp, txid: str, *, kind: str) -> PspCob:
    """`GET /cob` or `GET /cobv`: the PSP's view of a charge, with the Pix that paid it."""
    return psp.get_cobv(txid) if kind == COBV else psp.get_cob(txid)


def remove_cob(psp: Psp, txid: str, *, kind: str = "cob") -> PspCob:
    """Removal by the merchant, forwarded before pixgate marks the charge REMOVED."""
    return patch(psp, txid, {"status": REMOVED_BY_RECEIVER}, kind=kind)


def refuse_local_location(location_id: int | None, *, field: str = "loc.id") -> None:
    """A charge held at the PSP is paid at the PSP's location, never at one of pixgate's."""
    if location_id is not None:
        raise InvalidInput(field, "locations belong to the PSP pixgate is connected to")
