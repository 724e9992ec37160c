"""BCB's shapes of a charge (cob), a location and a Pix: one place, used by every edge."""

from __future__ import annotations

from typing import Any

from pixgate.charges.models import ACTIVE, EXPIRED, PAID, REMOVED, Charge, ReceivedPix
from pixgate.charges.snapshot import pix_state
from pixgate.locations.models import Location

STATUS = {
    ACTIVE: "ATIVA",
    EXPIRED: "ATIVA",  # the standard has no expired status: an expired cob stays ATIVA
    PAID: "CONCLUIDA",
    REMOVED: "REMOVIDA_PELO_USUARIO_RECEBEDOR",
}


def cob_fields(charge: Charge) -> dict[str, Any]:
    """The revisable part of a cob, as BCB writes it (kept per revision)."""
    body: dict[str, Any] = {
        "calendario": {"criacao": charge.created_at.isoformat(),
                       "expiracao": charge.expiry_seconds},
        "txid": charge.txid,
        "revisao": charge.revision,
        "status": STATUS[charge.status],
        "valor": {"original": str(charge.amount)},
        "chave": charge.pix_key,
    }
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
