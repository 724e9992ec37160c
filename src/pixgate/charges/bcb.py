"""BCB's shapes of a charge (cob), a location and a Pix: one place, used by every edge."""

from __future__ import annotations

from typing import Any

from pixgate.charges.models import ACTIVE, COBV, EXPIRED, PAID, REMOVED, Charge, ReceivedPix
from pixgate.charges.snapshot import pix_state
from pixgate.locations.models import Location

STATUS = {
    ACTIVE: "ATIVA",
    EXPIRED: "ATIVA",  # the standard has no expired status: an expired cob stays ATIVA
    PAID: "CONCLUIDA",
    REMOVED: "REMOVIDA_PELO_USUARIO_RECEBEDOR",
}


def cob_fields(charge: Charge) -> dict[str, Any]:
    """The revisable part of a cob (or cobv), as BCB writes it (kept per revision)."""
    if charge.kind == COBV:
        return cobv_fields(charge)
    body: dict[str, Any] = {
        "calendario": {"criacao": charge.created_at.isoformat(),
                       "expiracao": charge.expiry_seconds},
        "txid": charge.txid,
        "revisao": charge.revision,
        "status": STATUS[charge.status],
        "valor": {"original": str(charge.amount)},
        "chave": charge.pix_key,
    }
    if charge.amount_editable:
        body["valor"]["modalidadeAlteracao"] = 1
    if charge.debtor:
        body["devedor"] = charge.debtor
    if charge.payer_request:
        body["solicitacaoPagador"] = charge.payer_request
    if charge.extra_info:
        body["infoAdicionais"] = charge.extra_info
    return body


def loc_view(location: Location, txid: str | None = None) -> dict[str, Any]:
    """PayloadLocation(Completa)."""
    body: dict[str, Any] = {"id": location.id, "location": location.location,
                            "tipoCob": location.kind, "criacao": location.created_at.isoformat()}
    if txid is not None:
        body["txid"] = txid
    return body


def cob_view(
    charge: Charge, location: Location | None, pix: list[ReceivedPix] | None = None,
    fields: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """CobCompleta: the fields (current or of a revision), loc, location, copy-paste, Pix."""
    body = dict(fields or cob_fields(charge))
    if location is not None:
        body["loc"] = loc_view(location, charge.txid)
        body["location"] = location.location
    elif charge.psp_location:  # held at the PSP: its location is what the payer's bank reads
        body["location"] = charge.psp_location
    body["pixCopiaECola"] = charge.brcode
    if pix:
        body["pix"] = [pix_state(item) for item in pix]
    return body


def cob_payload(charge: Charge, *, presented_at: str) -> dict[str, Any]:
    """CobPayload: what the location serves (signed) to the payer's bank."""
    body = cob_fields(charge)
    body["calendario"]["apresentacao"] = presented_at
    return body


def cobv_fields(charge: Charge) -> dict[str, Any]:
    """CobVGerada without loc/location/copy-paste: due date, devedor, recebedor, valor."""
    assert charge.due_date is not None
    body: dict[str, Any] = {
        "calendario": {"criacao": charge.created_at.isoformat(),
                       "dataDeVencimento": charge.due_date.isoformat(),
                       "validadeAposVencimento": charge.validity_days or 0},
        "txid": charge.txid,
        "revisao": charge.revision,
        "status": STATUS[charge.status],
        "devedor": charge.debtor,
        "recebedor": charge.creditor,
        "valor": {"original": str(charge.amount), **(charge.terms or {})},
        "chave": charge.pix_key,
    }
    if charge.payer_request:
        body["solicitacaoPagador"] = charge.payer_request
    if charge.extra_info:
        body["infoAdicionais"] = charge.extra_info
    return body


def cobv_payload(charge: Charge, due: Any, *, presented_at: str) -> dict[str, Any]:
    """CobVPayload: the cobv with `valor` computed for one payment date (an AmountDue)."""
    body = cobv_fields(charge)
    body["calendario"]["apresentacao"] = presented_at
    body["devedor"] = {k: v for k, v in (charge.debtor or {}).items()
                       if k in ("cpf", "cnpj", "nome")}
    valor = {"original": str(due.original), "final": str(due.final)}
    for name in ("abatimento", "desconto", "multa", "juros"):
        if getattr(due, name):
            valor[name] = str(getattr(due, name))
    body["valor"] = valor
    return body
