"""`/pix` and `/pix/{e2eid}/devolucao/{id}`: received Pix and their refunds."""

from __future__ import annotations

import re

from flask import Blueprint, Response, current_app, jsonify, request
from sqlalchemy import select

from pixgate.api.body import json_object
from pixgate.api.v2 import parse
from pixgate.api.v2.errors import bcb_errors
from pixgate.api.v2.security import requires
from pixgate.charges import queries
from pixgate.charges.errors import InvalidInput, NotFound
from pixgate.charges.models import ReceivedPix
from pixgate.charges.money import parse_valor
from pixgate.charges.snapshot import pix_state
from pixgate.extensions import db
from pixgate.outbox import relay
from pixgate.psp import registry
from pixgate.refunds import service as refunds
from pixgate.refunds.models import Refund

E2E = re.compile(r"[a-zA-Z0-9]{32}")
TXID = re.compile(r"[a-zA-Z0-9]{1,35}")


def _pix(end_to_end_id: str) -> ReceivedPix:
    if not E2E.fullmatch(end_to_end_id):
        raise NotFound(f"no Pix with endToEndId {end_to_end_id!r}")
    return refunds.get_pix(db.session, end_to_end_id=end_to_end_id)


def _view(pix: ReceivedPix) -> dict:
    items = db.session.scalars(select(Refund).where(Refund.pix_id == pix.id)
                               .order_by(Refund.id)).all()
    return pix_state(pix, items)


def _refund_view(refund: Refund) -> dict:
    pix = db.session.get(ReceivedPix, refund.pix_id)
    assert pix is not None
    return pix_state(pix, [refund])["devolucoes"][0]


def register(bp: Blueprint) -> None:
    """Attach the pix and devolução routes to the v2 blueprint."""

    @bp.get("/pix/<e2eid>")
    @bcb_errors(not_found="PixNaoEncontrado", invalid="PixConsultaInvalida")
    @requires("pix.read")
    def get_pix(e2eid: str) -> Response:
        return jsonify(_view(_pix(e2eid)))

    @bp.get("/pix")
    @bcb_errors(not_found="PixNaoEncontrado", invalid="PixConsultaInvalida")
    @requires("pix.read")
    def list_pix() -> Response:
        start, end = parse.period()
        page = parse.page()
        txid = request.args.get("txid")
        if txid is not None and not TXID.fullmatch(txid):
            raise InvalidInput("txid", "must be 1 to 35 characters of [a-zA-Z0-9]")
        items, total = queries.list_pix(
            db.session, start=start, end=end, page=page, txid=txid,
            has_txid=parse.flag("txIdPresente"), has_refund=parse.flag("devolucaoPresente"),
            document=parse.document(),
        )
        parameters = parse.listing(start, end, page, total)
        found = queries.refunds_by_pix(db.session, items)
        return jsonify({"parametros": parameters,
                        "pix": [pix_state(p, found.get(p.id, [])) for p in items]})

    @bp.put("/pix/<e2eid>/devolucao/<refund_id>")
    @bcb_errors(not_found="PixNaoEncontrado", invalid="PixDevolucaoInvalida")
    @requires("pix.write")
    def put_refund(e2eid: str, refund_id: str) -> tuple[Response, int]:
        body = json_object()
        amount = parse_valor(body.get("valor"), field="valor")
        description = body.get("descricao")
        if description is not None and (not isinstance(description, str)
                                        or len(description) > 140):
            raise InvalidInput("descricao", "must be a string of at most 140 characters")
        _pix(e2eid)
        result = refunds.refund(db.session, psp=registry.get_psp(), end_to_end_id=e2eid,
                                refund_id=refund_id, amount=amount, reason=description,
                                source="v2")
        if result.created:
            relay.kick(current_app)
        return jsonify(_refund_view(result.refund)), 201 if result.created else 200

    @bp.get("/pix/<e2eid>/devolucao/<refund_id>")
    @bcb_errors(not_found="PixDevolucaoNaoEncontrada", invalid="PixConsultaInvalida")
    @requires("pix.read")
    def get_refund(e2eid: str, refund_id: str) -> Response:
        _pix(e2eid)
        refund = refunds.get_refund(db.session, end_to_end_id=e2eid, refund_id=refund_id)
        return jsonify(_refund_view(refund))
