"""The pages' routes (sandbox bank app, dashboard) as OpenAPI 3.0 path items, for /openapi.json."""

from __future__ import annotations

from typing import Any

from pixgate.api.openapi.paths import PROBLEM, path_param, query

HTML = {"text/html": {"schema": {"type": "string"}}}
JSON_OBJECT = {"application/json": {"schema": {"type": "object"}}}
FORM = {"application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
    "csrf_token": {"type": "string"}}}}}


def _answers(*codes: str, json: bool = False) -> dict[str, Any]:
    content = {**HTML, **JSON_OBJECT, **PROBLEM} if json else {**HTML, **PROBLEM}
    out: dict[str, Any] = {}
    for code in codes:
        out[code] = {"description": "see docs/pages.md"}
        if code not in ("302", "401"):
            out[code]["content"] = content
    return out


def _page(summary: str, codes: tuple[str, ...], params: list | None = None,
          form: bool = False, json: bool = False) -> dict[str, Any]:
    operation: dict[str, Any] = {"summary": summary, "tags": ["pages"],
                                 "responses": _answers(*codes, json=json)}
    if params:
        operation["parameters"] = params
    if form:
        operation["requestBody"] = {"required": False, "content": FORM}
    return operation


def web_paths() -> dict[str, Any]:
    """Sandbox page and dashboard routes: HTML (forms posting back), plus two JSON helpers."""
    charge_id = path_param("charge_id", {"type": "integer", "minimum": 1})
    delivery_id = path_param("delivery_id", {"type": "integer", "minimum": 1})
    seen = ("200", "302", "404", "422")
    posted = ("302", "400", "404", "409", "422")
    image = {"multipart/form-data": {"schema": {"type": "object", "properties": {
        "image": {"type": "string", "format": "binary"}}}}}
    return {
        "/sandbox": {"get": _page("Sandbox bank app", ("200",),
                                  [query("code", {"type": "string"})])},
        "/sandbox/decode-image": {"post": {
            "summary": "Read the QR code in an uploaded picture", "tags": ["sandbox"],
            "requestBody": {"required": True, "content": image},
            "responses": {"200": {"description": "the code", "content": {"application/json": {
                "schema": {"type": "object", "properties": {
                    "pixCopiaECola": {"type": "string"}}}}}},
                **{c: {"description": "error", "content": PROBLEM}
                   for c in ("400", "413", "422")}}}},
        "/dashboard": {"get": _page("Dashboard: charges and the day's totals", seen, [
            query("status", {"type": "string"}), query("day", {"type": "string"}),
            query("page", {"type": "string"})])},
        "/dashboard/login": {"get": _page("Dashboard sign-in", ("200", "404")),
                             "post": _page("Sign in", ("302", "400", "401", "404", "429"),
                                           form=True)},
        "/dashboard/logout": {"post": _page("Sign out", ("302", "400", "404"), form=True)},
        "/dashboard/states": {"get": _page("Listed charges' status (polling fallback)",
                                           ("200", "401", "404", "422"),
                                           [query("ids", {"type": "string"})], json=True)},
        "/dashboard/charges/{charge_id}": {"get": _page("Dashboard: one charge", seen,
                                                        [charge_id])},
        "/dashboard/charges/{charge_id}/refund": {"post": _page("Refund a Pix of the charge",
                                                                posted, [charge_id], form=True)},
        "/dashboard/pix": {"get": _page("Dashboard: Pix that settled no charge", seen)},
        "/dashboard/webhooks": {"get": _page("Dashboard: webhook deliveries", seen,
                                             [query("status", {"type": "string"})])},
        "/dashboard/webhooks/{delivery_id}/retry": {"post": _page(
            "Retry a webhook delivery", posted, [delivery_id], form=True)},
    }
