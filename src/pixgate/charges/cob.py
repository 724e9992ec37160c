"""BCB cobranças imediatas (cob): create, revise, remove; they share the charges table."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pixgate import brcode
from pixgate.charges import events, revisions
from pixgate.charges.errors import Conflict, InvalidInput, NotFound
from pixgate.charges.ids import new_txid
from pixgate.charges.models import ACTIVE, COB, COBV, EXPIRED, REMOVED, Charge
from pixgate.charges.money import check_amount, decimal_to_cents
from pixgate.charges.receiver import Receiver
from pixgate.charges.service import Created
from pixgate.db.types import utcnow
from pixgate.locations import service as locations
from pixgate.psp import upstream
from pixgate.psp.base import Psp

COB_TXID = re.compile(r"[a-zA-Z0-9]{26,35}")
DEFAULT_EXPIRY = 86400
MAX_EXPIRY = 366 * 86400
UNSET: Any = object()


class TxidInUse(Conflict):
    """Another cob (or payment) already has this txid."""


@dataclass(frozen=True)
class CobFields:
    """What a client may set on a cob; UNSET leaves a field as it is (PATCH)."""

    amount: Decimal | None = UNSET
    chave: str = UNSET
    expiry: int = UNSET
    debtor: dict[str, Any] | None = UNSET
    payer_request: str | None = UNSET
    extra_info: list[dict[str, str]] | None = UNSET
    location_id: int | None = UNSET
    amount_editable: bool = UNSET  # valor.modalidadeAlteracao = 1: the payer sets the amount
    remove: bool = False
    given: frozenset[str] = field(default_factory=frozenset)


def get_cob(session: Session, *, txid: str) -> Charge:
    """A charge by txid (cob or legacy, never a cobv), or NotFound."""
    charge = session.scalar(select(Charge).where(Charge.txid == txid, Charge.kind != COBV))
    if charge is None:
        raise NotFound(f"no cob with txid {txid!r}")
    return charge


def _check(fields: CobFields, *, creating: bool, receiver: Receiver) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if creating and fields.amount in (UNSET, None):
        problems.append(("valor.original", "is required"))
    elif fields.amount not in (UNSET, None) and not (fields.amount_editable is True
                                                     and fields.amount == 0):
        try:
            check_amount(fields.amount, field="valor.original")
        except InvalidInput as exc:
            problems.append(("valor.original", exc.reason))
    if creating and fields.chave is UNSET:
        problems.append(("chave", "is required"))
    elif fields.chave is not UNSET:
        problems.extend(key_problems(fields.chave, field="chave", receiver=receiver))
    if fields.expiry is not UNSET and not 0 < fields.expiry <= MAX_EXPIRY:
        problems.append(("calendario.expiracao", f"must be between 1 and {MAX_EXPIRY} seconds"))
    if fields.remove and fields.given - {"status"}:
        problems.append(("status", "a cob cannot be removed and changed in the same request"))
    return problems


def create_cob(
    session: Session, *, txid: str | None, fields: CobFields, receiver: Receiver,
    public_url: str, source: str, psp: Psp | None = None,
) -> Created:
    """PUT/POST /cob: a new ATIVA cob with a dynamic BR Code: pixgate's own location, or the
    PSP's when one holds charges (created there first, so a PSP failure writes nothing)."""
    if txid is None:
        txid = new_txid(32)
    problems = _check(fields, creating=True, receiver=receiver)
    if not COB_TXID.fullmatch(txid):
        problems.insert(0, ("txid", "must be 26 to 35 characters of [a-zA-Z0-9]"))
    if fields.remove:
        problems.append(("status", "a new cob cannot be created removed"))
    if problems:
        raise InvalidInput.many(problems)
    if session.scalar(select(Charge.id).where(Charge.txid == txid)) is not None:
        raise TxidInUse(f"txid {txid!r} is already in use", field="txid")
    amount = _original(fields.amount, fields.amount_editable is True)
    if psp is not None:
        upstream.refuse_local_location(_or(fields.location_id, None))
        at_psp = upstream.put_cob(psp, txid, upstream.cob_body(
            amount=amount, key=fields.chave, expiry=_or(fields.expiry, DEFAULT_EXPIRY),
            payer_request=_or(fields.payer_request, None), debtor=_or(fields.debtor, None),
            extra_info=_or(fields.extra_info, None)))
        code, location_id = at_psp.pix_copia_e_cola, None
    else:
        if fields.location_id not in (UNSET, None):
            location = locations.claim_for_cob(session, location_id=fields.location_id)
        else:
            location = locations.create_location(session, public_url=public_url)
        code = brcode.encode_dynamic(url=location.location, name=receiver.name,
                                     city=receiver.city)
        location_id = location.id
    now = utcnow()
    charge = Charge(
        kind=COB, txid=txid, amount_cents=decimal_to_cents(amount), status=ACTIVE,
        brcode=code, psp=psp.name if psp else None,
        psp_location=at_psp.location if psp else None,
        pix_key=fields.chave, merchant_name=receiver.name, merchant_city=receiver.city,
        created_at=now, location_id=location_id,
        expires_at=now + timedelta(seconds=_or(fields.expiry, DEFAULT_EXPIRY)),
        debtor=_or(fields.debtor, None),
        debtor_document=debtor_document(_or(fields.debtor, None)),
        payer_request=_or(fields.payer_request, None),
        extra_info=_or(fields.extra_info, None), revision=0,
        amount_editable=_or(fields.amount_editable, False),
    )
    session.add(charge)
    try:
        session.flush()
        revisions.snapshot(session, charge)
        events.record(session, charge, kind="created", source=source,
                      data={"amount": str(amount), "txid": txid})
        session.commit()
    except IntegrityError:
        session.rollback()  # a concurrent request took the txid or the location first
        if session.scalar(select(Charge.id).where(Charge.txid == txid)) is not None:
            raise TxidInUse(f"txid {txid!r} is already in use", field="txid") from None
        raise Conflict(f"location {location_id} is already linked to a cob",
                       field="loc.id") from None
    return Created(charge=charge, replayed=False)


def put_cob(
    session: Session, *, txid: str, fields: CobFields, receiver: Receiver, public_url: str,
    source: str, psp: Psp | None = None,
) -> tuple[Charge, bool]:
    """PUT /cob/{txid}: create it, or revise it when it exists (even if created a moment ago)."""
    kind = session.scalar(select(Charge.kind).where(Charge.txid == txid))
    if kind == COBV:
        raise Conflict(f"txid {txid!r} is a cobv's; use /cobv/{txid}", field="txid")
    if kind is None:
        try:
            created = create_cob(session, txid=txid, fields=fields, receiver=receiver,
                                 public_url=public_url, source=source, psp=psp)
            return created.charge, True
        except TxidInUse:
            pass  # a concurrent PUT created it: this request is a revision of that cob
    return revise_cob(session, txid=txid, fields=fields, receiver=receiver,
                      public_url=public_url, source=source, psp=psp), False


def revise_cob(
    session: Session, *, txid: str, fields: CobFields, receiver: Receiver, public_url: str,
    source: str, psp: Psp | None = None,
) -> Charge:
    """PATCH (or PUT over an existing cob): a new revision, or removal by the receiver; a cob
    held at the PSP is changed there first."""
    problems = _check(fields, creating=False, receiver=receiver)
    if problems:
        raise InvalidInput.many(problems)
    charge = get_cob(session, txid=txid)
    if charge.status not in (ACTIVE, EXPIRED):
        raise Conflict(f"cob {txid} is {charge.status} and cannot be changed", field="status")
    if fields.remove:
        from pixgate.charges.lifecycle import remove_charge

        return remove_charge(session, charge_id=charge.id, source=source, psp=psp)
    values = _changes(charge, fields)
    if charge.kind != COB:
        _refuse_static_code_changes(values)
    if charge.psp is not None and values:
        if psp is None:
            raise Conflict(f"cob {txid} is held at PSP {charge.psp}, which is not configured")
        upstream.refuse_local_location(_or(fields.location_id, None))
        psp.patch_cob(txid, _patch_body(fields))
    only_location = set(values) <= {"location_id", "brcode"}
    if fields.location_id not in (UNSET, None) and fields.location_id != charge.location_id:
        location = locations.claim_for_cob(session, location_id=fields.location_id)
        values["brcode"] = brcode.encode_dynamic(
            url=location.location, name=charge.merchant_name, city=charge.merchant_city)
    if not values:
        return charge
    return revisions.commit_revision(session, charge, values, label="cob", source=source,
                                     new_revision=not only_location)


def _changes(charge: Charge, fields: CobFields) -> dict[str, Any]:
    values: dict[str, Any] = {}
    editable = _or(fields.amount_editable, charge.amount_editable)
    if fields.amount not in (UNSET, None):
        values["amount_cents"] = decimal_to_cents(_original(fields.amount, editable))
    if fields.amount_editable is not UNSET:
        values["amount_editable"] = fields.amount_editable
        if not editable and fields.amount in (UNSET, None) and charge.amount_cents == 0:
            raise InvalidInput("valor.original", "a fixed amount must be greater than zero")
    if fields.chave is not UNSET:
        values["pix_key"] = fields.chave
    if fields.expiry is not UNSET:
        values["expires_at"] = charge.created_at + timedelta(seconds=fields.expiry)
    for name in ("debtor", "payer_request", "extra_info"):
        if getattr(fields, name) is not UNSET:
            values[name] = getattr(fields, name)
    if fields.debtor is not UNSET:
        values["debtor_document"] = debtor_document(fields.debtor)
    if fields.location_id not in (UNSET, None) and fields.location_id != charge.location_id:
        values["location_id"] = fields.location_id
    return {k: v for k, v in values.items() if getattr(charge, k) != v}


def _original(amount: Decimal, editable: bool) -> Decimal:
    """valor.original: positive, or 0.00 when the payer chooses the amount."""
    return Decimal("0.00") if editable and amount == 0 else check_amount(amount)


def _patch_body(fields: CobFields) -> dict[str, Any]:
    """BCB's CobPatch body with only what the client changed."""
    body: dict[str, Any] = {}
    if fields.amount not in (UNSET, None):
        body["valor"] = {"original": str(check_amount(fields.amount))}
    if fields.expiry is not UNSET:
        body["calendario"] = {"expiracao": fields.expiry}
    for name, bcb_name in (("chave", "chave"), ("debtor", "devedor"),
                           ("payer_request", "solicitacaoPagador"),
                           ("extra_info", "infoAdicionais")):
        if getattr(fields, name) is not UNSET:
            body[bcb_name] = getattr(fields, name)
    return body


def _refuse_static_code_changes(values: dict[str, Any]) -> None:
    # A static BR Code carries its amount and key: changing them here would not change the
    # code payers scan, so the charge and its code would disagree.
    frozen = {"amount_cents": "valor.original", "pix_key": "chave", "location_id": "loc.id"}
    problems = [(name, "is part of this charge's static BR Code and cannot be changed")
                for column, name in frozen.items() if column in values]
    if problems:
        raise InvalidInput.many(problems)


def key_problems(chave: str, *, field: str, receiver: Receiver) -> list[tuple[str, str]]:
    """A charge's `chave`: a valid Pix key, written as DICT writes it, of this receiver."""
    try:
        if brcode.normalize_key(chave).value != chave:
            return [(field, "must be written as the DICT key (canonical form)")]
        receiver.check_chave(chave)
    except brcode.BRCodeError as exc:
        return [(field, exc.reason)]
    except InvalidInput as exc:
        return [(field, exc.reason)]
    return []


def debtor_document(person: dict[str, Any] | None) -> str | None:
    """The CPF or CNPJ a person carries, for the list filters (cob and cobv)."""
    if not person:
        return None
    return person.get("cpf") or person.get("cnpj")



def _or(value: Any, default: Any) -> Any:
    return default if value is UNSET else value


__all__ = ["REMOVED", "CobFields", "TxidInUse", "create_cob", "get_cob", "put_cob", "revise_cob"]
