"""`/lotecobv`: batches of cobvs, a thin edge over `cobv.batches`."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from pixgate.api.body import json_object
from pixgate.api.v2 import parse
from pixgate.api.v2.cobv import INVALID as COBV_INVALID
from pixgate.api.v2.errors import bcb_errors, problem_body
from pixgate.api.v2.parse_cobv import cobv_fields
from pixgate.api.v2.security import requires
from pixgate.charges.errors import ChargeError, InvalidInput, NotFound
from pixgate.cobv import batches
from pixgate.cobv.creditor import creditor_from_config
from pixgate.cobv.models import CobvBatch
from pixgate.extensions import db
from pixgate.psp import registry

NOT_FOUND, INVALID = "LoteCobVNaoEncontrado", "LoteCobVOperacaoInvalida"
MAX_BYTES = 2 * 1024 * 1024  # room for 1,000 full cobvs; every other route keeps the default
QUERY = "LoteCobVConsultaInvalida"


def _describe(exc: ChargeError) -> dict[str, Any]:
    if isinstance(exc, NotFound):
        return problem_body(404, "CobVNaoEncontrada", exc.detail)
    return problem_body(400, COBV_INVALID, exc.detail, exc.violations or [("", exc.detail)])


def _batch_id(raw: str) -> int:
    if not raw.isdigit() or int(raw) > batches.MAX_ID:
        raise NotFound(f"lotecobv {raw[:40]!r} does not exist (ids are integers)")
    return int(raw)


def _items(body: dict[str, Any], *, patch: bool) -> tuple[str, list[batches.BatchItem]]:
    unknown = set(body) - {"descricao", "cobsv"}
    if unknown:
        raise InvalidInput(f"loteCobV.{sorted(unknown)[0]}", "is not a lotecobv property")
    description, raw = body.get("descricao"), body.get("cobsv")
    if not isinstance(description, str) or not 0 < len(description) <= 200:
        raise InvalidInput("loteCobV.descricao", "is required, at most 200 characters")
    if not isinstance(raw, list):
        raise InvalidInput("loteCobV.cobsv", "must be a list of cobvs, each with its txid")
    items = []
    for i, entry in enumerate(raw):
        txid = entry.get("txid") if isinstance(entry, dict) else None
        if not isinstance(txid, str) or not 0 < len(txid) <= 35:
            raise InvalidInput(f"loteCobV.cobsv[{i}].txid", "is required (the cobv's txid)")
        try:
            fields = cobv_fields({k: v for k, v in entry.items() if k != "txid"}, patch=patch)
            items.append(batches.BatchItem(txid, fields))
        except ChargeError as exc:
            items.append(batches.BatchItem(txid, None, exc))
    return description, items


def _view(batch: CobvBatch) -> dict[str, Any]:
    items = []
    for item in batches.items_of(db.session, batch):
        entry: dict[str, Any] = {"txid": item.txid, "status": item.status,
                                 "criacao": item.created_at.isoformat()}
        if item.problem:
            entry["problema"] = item.problem
        items.append(entry)
    return {"id": batch.id, "descricao": batch.description,
            "criacao": batch.created_at.isoformat(), "cobsv": items}


def _context() -> batches.Context:
    config = current_app.config
    return batches.Context(receiver=current_app.extensions["pixgate.receiver"],
                           creditor=lambda: creditor_from_config(config["PIXGATE"]),
                           public_url=config["PUBLIC_URL"], describe=_describe,
                           psp=registry.charge_psp())


def register(bp: Blueprint) -> None:
    """Attach the lotecobv routes to the v2 blueprint."""

    @bp.put("/lotecobv/<raw_id>")
    @bcb_errors(not_found=NOT_FOUND, invalid=INVALID)
    @requires("lotecobv.write")
    def put_lote(raw_id: str) -> tuple[str, int]:
        if not raw_id.isdigit() or int(raw_id) > batches.MAX_ID:
            raise InvalidInput("id", f"must be an integer from 0 to {batches.MAX_ID}")
        request.max_content_length = MAX_BYTES
        description, items = _items(json_object(), patch=False)
        batches.put_batch(db.session, batch_id=int(raw_id), description=description,
                          items=items, context=_context())
        return "", 202

    @bp.patch("/lotecobv/<raw_id>")
    @bcb_errors(not_found=NOT_FOUND, invalid=INVALID)
    @requires("lotecobv.write")
    def patch_lote(raw_id: str) -> tuple[str, int]:
        batch = batches.get_batch(db.session, batch_id=_batch_id(raw_id))
        request.max_content_length = MAX_BYTES
        body = json_object()
        body.setdefault("descricao", batch.description)
        description, items = _items(body, patch=True)
        batches.put_batch(db.session, batch_id=batch.id, description=description,
                          items=items, context=_context(), patch=True)
        return "", 202

    @bp.get("/lotecobv/<raw_id>")
    @bcb_errors(not_found=NOT_FOUND, invalid=QUERY)
    @requires("lotecobv.read")
    def get_lote(raw_id: str) -> Response:
        return jsonify(_view(batches.get_batch(db.session, batch_id=_batch_id(raw_id))))

    @bp.get("/lotecobv")
    @bcb_errors(not_found=NOT_FOUND, invalid=QUERY)
    @requires("lotecobv.read")
    def list_lotes() -> Response:
        start, end = parse.period()
        page = parse.page()
        rows, total = batches.list_batches(db.session, start=start, end=end,
                                           offset=page.number * page.size, limit=page.size)
        parameters = parse.listing(start, end, page, total)
        return jsonify({"parametros": parameters, "lotes": [_view(b) for b in rows]})
