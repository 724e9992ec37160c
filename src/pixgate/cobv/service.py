"""BCB cobranças com vencimento (cobv): create, revise, remove; rows of the charges table."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pixgate import brcode
from pixgate.charges import events, revisions
from pixgate.charges.cob import debtor_document, key_problems
from pixgate.charges.errors import Conflict, InvalidInput, NotFound
from pixgate.charges.models import ACTIVE, COBV, EXPIRED, Charge
from pixgate.charges.money import decimal_to_cents
from pixgate.charges.receiver import Receiver
from pixgate.cobv import calendar
from pixgate.cobv.amount import last_payable_day
from pixgate.cobv.models import CobvBatchItem
from pixgate.cobv.rules import check_person, check_terms
from pixgate.cobv.terms import Terms, terms_from_json, terms_to_json
from pixgate.db.types import utcnow
from pixgate.locations import service as locations
from pixgate.psp import upstream
from pixgate.psp.base import Psp

COBV_TXID = re.compile(r"[a-zA-Z0-9]{26,35}")
DEFAULT_VALIDITY = 30
UNSET: Any = object()
PARTS = ("multa", "juros", "abatimento", "desconto")


@dataclass(frozen=True)
class CobvFields:
    """What a client may set on a cobv; UNSET leaves a field as it is (PATCH)."""

    amount: Decimal = UNSET
    parts: dict[str, Any] = UNSET  # multa/juros/abatimento/desconto given in `valor`
    chave: str = UNSET
    due_date: date = UNSET
    validity_days: int = UNSET
    debtor: dict[str, Any] = UNSET
    payer_request: str | None = UNSET
    extra_info: list[dict[str, str]] | None = UNSET
    location_id: int = UNSET
    remove: bool = False
    replace_parts: bool = True  # PUT replaces every part of valor; PATCH only those given
    given: frozenset[str] = field(default_factory=frozenset)


def get_cobv(session: Session, *, txid: str) -> Charge:
    """A cobv by txid, or NotFound (a cob with that txid is not a cobv)."""
    charge = session.scalar(select(Charge).where(Charge.txid == txid, Charge.kind == COBV))
    if charge is None:
        raise NotFound(f"no cobv with txid {txid!r}")
    return charge


def _claim(session: Session, location_id: int) -> Any:
    try:
        return locations.claim_for_cob(session, location_id=location_id, kind=COBV)
    except (NotFound, InvalidInput, Conflict) as exc:
        raise InvalidInput("cobv.loc.id", exc.detail) from None


def _or(value: Any, default: Any) -> Any:
    return default if value is UNSET else value


def _terms(fields: CobvFields, base: Terms | None) -> Terms:
    parts = dict(_or(fields.parts, {}))
    if base is not None and not fields.replace_parts:
        parts = {name: parts.get(name, getattr(base, name)) for name in PARTS}
    return Terms(
        original=_or(fields.amount, base.original if base else Decimal(0)),
        due_date=_or(fields.due_date, base.due_date if base else date.min),
        validity_days=_or(fields.validity_days, base.validity_days if base else DEFAULT_VALIDITY),
        **{name: parts.get(name) for name in PARTS},
    )


def validate_new(txid: str, fields: CobvFields, *, today: date, receiver: Receiver) -> Terms:
    """Every problem of a cobv to create, at once (CobVOperacaoInvalida), or its terms."""
    problems: list[tuple[str, str]] = []
    if not COBV_TXID.fullmatch(txid):
        problems.append(("txid", "must be 26 to 35 characters of [a-zA-Z0-9]"))
    for name, prop in (("amount", "cobv.valor.original"), ("chave", "cobv.chave"),
                       ("due_date", "cobv.calendario.dataDeVencimento")):
        if getattr(fields, name) is UNSET:
            problems.append((prop, "is required"))
    if fields.chave is not UNSET:
        problems.extend(key_problems(fields.chave, field="cobv.chave", receiver=receiver))
    problems.extend(check_person(_or(fields.debtor, None), field="cobv.devedor"))
    if fields.remove:
        problems.append(("cobv.status", "a new cobv cannot be created removed"))
    terms = _terms(fields, None)
    if fields.amount is not UNSET and fields.due_date is not UNSET:
        problems.extend(check_terms(terms, created_on=today))
    if problems:
        raise InvalidInput.many(problems)
    return terms


def create_cobv(
    session: Session, *, txid: str, fields: CobvFields, receiver: Receiver,
    creditor: dict[str, Any], public_url: str, source: str, batch_id: int | None = None,
    psp: Psp | None = None,
) -> Charge:
    """PUT /cobv/{txid} (or one item of a lotecobv): a new ATIVA cobv with pixgate's location,
    or the PSP's when one holds charges (created there first, so a PSP failure writes nothing)."""
    terms = validate_new(txid, fields, today=calendar.brasilia_today(), receiver=receiver)
    if session.scalar(select(Charge.id).where(Charge.txid == txid)) is not None:
        raise Conflict(f"txid {txid!r} is already in use", field="txid")
    if batch_id is None:
        refused_in = session.scalar(select(CobvBatchItem.batch_id).where(
            CobvBatchItem.txid == txid, CobvBatchItem.status != "CRIADA"))
        if refused_in is not None:  # BCB: it belongs to its lote, where it was NEGADA
            raise InvalidInput("txid", f"was refused in lote {refused_in}; "
                               f"send it again with PUT /lotecobv/{refused_in}")
    if psp is not None:
        upstream.refuse_local_location(_or(fields.location_id, None), field="cobv.loc.id")
        at_psp = upstream.put_cobv(psp, txid, _psp_body(terms, fields, None))
        code, location_id, psp_location = at_psp.pix_copia_e_cola, None, at_psp.location
    else:
        if fields.location_id is not UNSET:
            location = _claim(session, fields.location_id)
        else:
            location = locations.create_location(session, public_url=public_url, kind=COBV)
        code = brcode.encode_dynamic(url=location.location, name=receiver.name,
                                     city=receiver.city)
        location_id, psp_location = location.id, None
    now = utcnow()
    charge = Charge(
        kind=COBV, txid=txid, amount_cents=decimal_to_cents(terms.original), status=ACTIVE,
        brcode=code, psp=psp.name if psp is not None else None, psp_location=psp_location,
        pix_key=fields.chave, merchant_name=receiver.name, merchant_city=receiver.city,
        created_at=now, location_id=location_id, revision=0,
        expires_at=calendar.end_of_day_utc(last_payable_day(terms)),
        due_date=terms.due_date, validity_days=terms.validity_days, terms=terms_to_json(terms),
        creditor=creditor, debtor=fields.debtor, debtor_document=debtor_document(fields.debtor),
        payer_request=_or(fields.payer_request, None), extra_info=_or(fields.extra_info, None),
        batch_id=batch_id,
    )
    session.add(charge)
    session.flush()
    revisions.snapshot(session, charge)
    events.record(session, charge, kind="created", source=source,
                  data={"amount": str(terms.original), "txid": txid,
                        "dataDeVencimento": terms.due_date.isoformat()})
    session.commit()
    return charge


def revise_cobv(
    session: Session, *, txid: str, fields: CobvFields, receiver: Receiver, public_url: str,
    source: str, psp: Psp | None = None,
) -> Charge:
    """PATCH (or PUT over an existing cobv): a new revision, or removal by the receiver; a cobv
    held at the PSP is changed there first."""
    charge = get_cobv(session, txid=txid)
    if charge.status not in (ACTIVE, EXPIRED):
        raise Conflict(f"cobv {txid} is {charge.status} and cannot be changed", field="status")
    problems: list[tuple[str, str]] = []
    if fields.remove:
        if fields.given - {"status"}:
            problems.append(("cobv.status",
                             "a cobv cannot be removed and changed in the same request"))
            raise InvalidInput.many(problems)
        from pixgate.charges.lifecycle import remove_charge

        return remove_charge(session, charge_id=charge.id, source=source, psp=psp)
    base = terms_from_json(charge.amount, charge.due_date or date.min,
                           charge.validity_days or 0, charge.terms)
    terms = _terms(fields, base)
    if fields.chave is not UNSET:
        problems.extend(key_problems(fields.chave, field="cobv.chave", receiver=receiver))
    if fields.debtor is not UNSET:
        problems.extend(check_person(fields.debtor, field="cobv.devedor"))
    created_on = calendar.brasilia_date(charge.created_at)
    problems.extend(check_terms(terms, created_on=created_on))
    if problems:
        raise InvalidInput.many(problems)
    values = _changes(charge, fields, terms)
    if charge.psp is not None:
        upstream.refuse_local_location(_or(fields.location_id, None), field="cobv.loc.id")
        if values:
            _revise_at_psp(charge, fields, terms, psp)
    if fields.location_id is not UNSET and fields.location_id != charge.location_id:
        location = _claim(session, fields.location_id)
        values["location_id"] = location.id
        values["brcode"] = brcode.encode_dynamic(
            url=location.location, name=charge.merchant_name, city=charge.merchant_city)
    if not values:
        return charge
    return revisions.commit_revision(session, charge, values, label="cobv", source=source)


def _psp_body(terms: Terms, fields: CobvFields, charge: Charge | None,
              only: frozenset[str] | None = None) -> dict[str, Any]:
    """The cobv as BCB's CobVSolicitada (or, with `only`, a CobVRevisada): fields given win
    over what the charge holds."""
    return upstream.cobv_body(
        original=terms.original, parts=terms_to_json(terms), due_date=terms.due_date,
        validity_days=terms.validity_days,
        key=_or(fields.chave, charge.pix_key if charge else None),
        debtor=_or(fields.debtor, charge.debtor if charge else None),
        payer_request=_or(fields.payer_request, charge.payer_request if charge else None),
        extra_info=_or(fields.extra_info, charge.extra_info if charge else None), only=only)


def _revise_at_psp(charge: Charge, fields: CobvFields, terms: Terms, psp: Psp | None) -> None:
    # PUT replaces every part of valor, so it goes upstream whole (and is safe to retry); a
    # PATCH sends only the fields the client sent, with valor as revised here.
    if psp is None:
        raise Conflict(f"cobv {charge.txid} is held at PSP {charge.psp}, which is not configured")
    if fields.replace_parts:
        upstream.put_cobv(psp, charge.txid, _psp_body(terms, fields, charge))
    else:
        upstream.patch(psp, charge.txid, _psp_body(terms, fields, charge, fields.given),
                       kind=COBV)


def _changes(charge: Charge, fields: CobvFields, terms: Terms) -> dict[str, Any]:
    values: dict[str, Any] = {
        "amount_cents": decimal_to_cents(terms.original), "due_date": terms.due_date,
        "validity_days": terms.validity_days, "terms": terms_to_json(terms),
        "expires_at": calendar.end_of_day_utc(last_payable_day(terms)),
    }
    if fields.chave is not UNSET:
        values["pix_key"] = fields.chave
    if fields.debtor is not UNSET:
        values["debtor"] = fields.debtor
        values["debtor_document"] = debtor_document(fields.debtor)
    for name in ("payer_request", "extra_info"):
        if getattr(fields, name) is not UNSET:
            values[name] = getattr(fields, name)
    return {k: v for k, v in values.items() if getattr(charge, k) != v}


__all__ = ["CobvFields", "create_cobv", "get_cobv", "revise_cobv", "validate_new"]
