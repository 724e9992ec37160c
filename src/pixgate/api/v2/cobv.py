"""`/cobv`: BCB's cobranças com vencimento, a thin edge over `cobv.service`."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from pixgate.api.body import json_object
from pixgate.api.v2 import parse
from pixgate.api.v2.errors import bcb_errors
from pixgate.api.v2.parse_cobv import cobv_fields
from pixgate.api.v2.security import requires
from pixgate.charges import bcb, queries
from pixgate.charges.errors import InvalidInput
from pixgate.charges.models import Charge, ReceivedPix
from pixgate.cobv import service
from pixgate.cobv.creditor import creditor_from_config
from pixgate.extensions import db
from pixgate.locations.models import Location
from pixgate.psp import registry

NOT_FOUND, INVALID, QUERY = "CobVNaoEncontrada", "CobVOperacaoInvalida", "CobVConsultaInvalida"


def cobv_view(charge: Charge, fields: dict | None = None) -> dict:
    """CobVCompleta of a charge (current or at a revision)."""
    location = db.session.get(Location, charge.location_id) if charge.location_id else None
    pix = db.session.query(ReceivedPix).filter_by(charge_id=charge.id).all()
    return bcb.cob_view(charge, location, pix, fields)


def register(bp: Blueprint) -> None:
    """Attach the cobv routes to the v2 blueprint."""

    @bp.put("/cobv/<txid>")
    @bcb_errors(not_found=NOT_FOUND, invalid=INVALID)
    @requires("cobv.write")
    def put_cobv(txid: str) -> tuple[Response, int]:
        fields = cobv_fields(json_object(), patch=False)
        config = current_app.config
        exists = db.session.query(Charge.id).filter_by(txid=txid, kind="cobv").first()
        if exists is not None:
            charge = service.revise_cobv(db.session, txid=txid, fields=fields,
                                         receiver=current_app.extensions["pixgate.receiver"],
                                         public_url=config["PUBLIC_URL"], source="v2",
                                         psp=registry.charge_psp())
            return jsonify(cobv_view(charge)), 200
        charge = service.create_cobv(
            db.session, txid=txid, fields=fields,
            receiver=current_app.extensions["pixgate.receiver"],
            creditor=creditor_from_config(config["PIXGATE"]),
            public_url=config["PUBLIC_URL"], source="v2", psp=registry.charge_psp())
        return jsonify(cobv_view(charge)), 201

    @bp.patch("/cobv/<txid>")
    @bcb_errors(not_found=NOT_FOUND, invalid=INVALID)
    @requires("cobv.write")
    def patch_cobv(txid: str) -> Response:
        fields = cobv_fields(json_object(), patch=True)
        charge = service.revise_cobv(db.session, txid=txid, fields=fields,
                                     receiver=current_app.extensions["pixgate.receiver"],
                                     public_url=current_app.config["PUBLIC_URL"], source="v2",
                                     psp=registry.charge_psp())
        return jsonify(cobv_view(charge))

    @bp.get("/cobv/<txid>")
    @bcb_errors(not_found=NOT_FOUND, invalid=QUERY)
    @requires("cobv.read")
    def get_cobv(txid: str) -> Response:
        charge = service.get_cobv(db.session, txid=txid)
        return jsonify(cobv_view(charge, parse.revision_fields(db.session, charge)))

    @bp.get("/cobv")
    @bcb_errors(not_found=NOT_FOUND, invalid=QUERY)
    @requires("cobv.read")
    def list_cobvs() -> Response:
        start, end = parse.period()
        page = parse.page()
        status = parse.status()
        batch = request.args.get("loteCobVId")
        if batch is not None and not (batch.isdigit() and int(batch) <= 2**31 - 1):
            raise InvalidInput("loteCobVId", "must be a lote id (a non-negative integer)")
        items, total = queries.list_cobs(
            db.session, start=start, end=end, page=page, document=parse.document(),
            status=status, has_location=parse.flag("locationPresente"), cobv=True,
            batch_id=int(batch) if batch is not None else None,
        )
        parameters = parse.listing(start, end, page, total)
        return jsonify({"parametros": parameters, "cobs": [cobv_view(c) for c in items]})
