"""`/openapi.json` (every pixgate route) and `/docs`, a readable page built from it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, render_template

from pixgate.api.openapi.cobv import SCHEMAS as COBV_SCHEMAS
from pixgate.api.openapi.paths import legacy_paths, ops_paths
from pixgate.api.openapi.paths_v2 import other_paths, v2_paths
from pixgate.api.openapi.schemas import SCHEMAS
from pixgate.web.openapi_paths import web_paths

bp = Blueprint("openapi", __name__, template_folder="templates", static_folder="static",
               static_url_path="/docs-static")


def document(app: Flask) -> dict[str, Any]:
    """The OpenAPI 3.0 document for this app's configuration."""
    paths = {**legacy_paths(), **v2_paths(app.config["API_BASE_PATH"]), **other_paths(),
             **ops_paths(), **web_paths()}
    if not app.config["SANDBOX"]:
        paths = {p: item for p, item in paths.items() if not p.startswith("/sandbox")}
    paths = {p: item for p, item in paths.items() if _served(app, p)}
    token_url = app.config["PUBLIC_URL"].rstrip("/") + "/oauth/token"
    scopes = {scope: scope for scope in _scopes()}
    return {
        "openapi": "3.0.3",
        "info": {"title": "pixgate", "version": "0.1.0",
                 "description": "Pix charges: the seed API, BCB's API Pix v2 and a sandbox."},
        "paths": paths,
        "components": {"schemas": {**SCHEMAS, **COBV_SCHEMAS}, "securitySchemes": {
            "oauth2": {"type": "oauth2", "flows": {"clientCredentials": {
                "tokenUrl": token_url, "scopes": scopes}}},
            "basic": {"type": "http", "scheme": "basic"}}},
    }


def _served(app: Flask, path: str) -> bool:
    rule = path.replace("{", "<").replace("}", ">")
    return any(r.rule.split("<")[0] == rule.split("<")[0] for r in app.url_map.iter_rules())


def _scopes() -> tuple[str, ...]:
    from pixgate.oauth import SCOPES

    return SCOPES


@bp.get("/openapi.json")
def openapi() -> Response:
    """The machine-readable description of every route."""
    return jsonify(document(current_app))


@bp.get("/docs")
def docs() -> str:
    """The same description as a page, served by pixgate itself."""
    return render_template("api_docs.html", spec=document(current_app))
