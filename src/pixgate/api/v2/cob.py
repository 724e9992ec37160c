"""`/cob`: BCB's cobranças imediatas, a thin edge over `charges.cob`."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from pixgate.api.body import json_object
from pixgate.api.v2 import parse
from pixgate.api.v2.errors import bcb_errors
from pixgate.api.v2.security import requires
from pixgate.charges import bcb, cob, queries
from pixgate.charges.models import Charge, ReceivedPix
from pixgate.extensions import db
from pixgate.locations.models import Location
from pixgate.psp import registry

NOT_FOUND, INVALID, QUERY = "CobNaoEncontrado", "CobOperacaoInvalida", "CobConsultaInvalida"


def _view(charge: Charge, fields: dict | None = None) -> dict:
    location = db.session.get(Location, charge.location_id) if charge.location_id else None
    pix = db.session.query(ReceivedPix).filter_by(charge_id=charge.id).all()
    return bcb.cob_view(charge, location, pix, fields)


def _create(txid: str | None) -> tuple[Response, int]:
    fields = parse.cob_fields(json_object(), patch=False)
    config = current_app.config
    created = cob.create_cob(
        db.session, txid=txid, fields=fields, receiver=current_app.extensions["pixgate.receiver"],
        public_url=config["PUBLIC_URL"], source="v2", psp=registry.charge_psp(),
    )
    return jsonify(_view(created.charge)), 201


def register(bp: Blueprint) -> None:
    """Attach the cob routes to the v2 blueprint."""

    @bp.put("/cob/<txid>")
    @bcb_errors(not_found=NOT_FOUND, invalid=INVALID)
    @requires("cob.write")
    def put_cob(txid: str) -> tuple[Response, int]:
        fields = parse.cob_fields(json_object(), patch=False)
        charge, created = cob.put_cob(db.session, txid=txid, fields=fields,
                                      receiver=current_app.extensions["pixgate.receiver"],
                                      public_url=current_app.config["PUBLIC_URL"], source="v2",
                                      psp=registry.charge_psp())
        return jsonify(_view(charge)), 201 if created else 200

    @bp.post("/cob")
    @bcb_errors(not_found=NOT_FOUND, invalid=INVALID)
    @requires("cob.write")
    def post_cob() -> tuple[Response, int]:
        return _create(None)

    @bp.patch("/cob/<txid>")
    @bcb_errors(not_found=NOT_FOUND, invalid=INVALID)
    @requires("cob.write")
    def patch_cob(txid: str) -> Response:
        fields = parse.cob_fields(json_object(), patch=True)
        charge = cob.revise_cob(db.session, txid=txid, fields=fields,
                                receiver=current_app.extensions["pixgate.receiver"],
                                public_url=current_app.config["PUBLIC_URL"], source="v2",
                                psp=registry.charge_psp())
        return jsonify(_view(charge))

    @bp.get("/cob/<txid>")
    @bcb_errors(not_found=NOT_FOUND, invalid=QUERY)
    @requires("cob.read")
    def get_cob(txid: str) -> Response:
        charge = cob.get_cob(db.session, txid=txid)
        return jsonify(_view(charge, parse.revision_fields(db.session, charge)))

    @bp.get("/cob")
    @bcb_errors(not_found=NOT_FOUND, invalid=QUERY)
    @requires("cob.read")
    def list_cobs() -> Response:
        start, end = parse.period()
        page = parse.page()
        status = parse.status()
        items, total = queries.list_cobs(
            db.session, start=start, end=end, page=page, document=parse.document(),
            status=status, has_location=parse.flag("locationPresente"),
        )
        parameters = parse.listing(start, end, page, total)
        locations, pix = queries.cob_relations(db.session, items)
        cobs = [bcb.cob_view(c, locations.get(c.location_id) if c.location_id else None,
                             pix.get(c.id, [])) for c in items]
        return jsonify({"parametros": parameters, "cobs": cobs})
