"""`/loc`: payload locations, created ahead of cobs or with them."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from pixgate.api.body import json_object
from pixgate.api.v2 import parse
from pixgate.api.v2.errors import bcb_errors
from pixgate.api.v2.security import requires
from pixgate.charges import bcb, queries
from pixgate.charges.errors import InvalidInput
from pixgate.extensions import db
from pixgate.locations import service
from pixgate.locations.models import Location

NOT_FOUND, INVALID = "PayloadLocationNaoEncontrado", "PayloadLocationOperacaoInvalida"
QUERY = "PayloadLocationConsultaInvalida"


def _view(location: Location) -> dict:
    charge = service.linked_charge(db.session, location)
    return bcb.loc_view(location, charge.txid if charge else None)


def register(bp: Blueprint) -> None:
    """Attach the loc routes to the v2 blueprint."""

    @bp.post("/loc")
    @bcb_errors(not_found=NOT_FOUND, invalid=INVALID)
    @requires("payloadlocation.write")
    def post_loc() -> tuple[Response, int]:
        body = json_object()
        if body.get("tipoCob") not in service.KINDS or set(body) - {"tipoCob"}:
            raise InvalidInput("tipoCob", "must be \"cob\" or \"cobv\"")
        location = service.create_location(db.session, kind=body["tipoCob"],
                                           public_url=current_app.config["PUBLIC_URL"])
        return jsonify(_view(location)), 201

    @bp.get("/loc/<int:location_id>")
    @bcb_errors(not_found=NOT_FOUND, invalid=QUERY)
    @requires("payloadlocation.read")
    def get_loc(location_id: int) -> Response:
        return jsonify(_view(service.get_location(db.session, location_id=location_id)))

    @bp.get("/loc")
    @bcb_errors(not_found=NOT_FOUND, invalid=QUERY)
    @requires("payloadlocation.read")
    def list_locs() -> Response:
        start, end = parse.period()
        page = parse.page()
        items, total = queries.list_locations(db.session, start=start, end=end, page=page,
                                              has_txid=parse.flag("txIdPresente"))
        parameters = parse.listing(start, end, page, total)
        txids = queries.txids_by_location(db.session, items)
        return jsonify({"parametros": parameters,
                        "loc": [bcb.loc_view(loc, txids.get(loc.id)) for loc in items]})

    @bp.delete("/loc/<int:location_id>/txid")
    @bcb_errors(not_found=NOT_FOUND, invalid=INVALID)
    @requires("payloadlocation.write")
    def unlink_loc(location_id: int) -> Response:
        location = service.unlink(db.session, location_id=location_id)
        return jsonify(bcb.loc_view(location))
