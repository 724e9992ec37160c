"""Every route pixgate serves, as OpenAPI 3.0 operations."""

from __future__ import annotations

from typing import Any

from pixgate.api.openapi.schemas import E2E, TXID, VALOR, ref

PROBLEM = {"application/problem+json": {"schema": ref("Problem")}}
ERRORS = {"400", "401", "403", "404", "409", "413", "422", "503"}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def op(summary: str, tag: str, ok: dict[str, Any], *, body: dict[str, Any] | None = None,
       params: list[dict[str, Any]] | None = None, errors: set[str] = ERRORS,
       security: list[dict[str, list[str]]] | None = None) -> dict[str, Any]:
    """One operation: `ok` maps success codes to content (None for no body)."""
    responses: dict[str, Any] = {}
    for code, content in ok.items():
        responses[code] = {"description": "OK", **({"content": content} if content else {})}
    for code in sorted(errors):
        responses[code] = {"description": "error", "content": PROBLEM}
    operation: dict[str, Any] = {"summary": summary, "tags": [tag], "responses": responses}
    if body is not None:
        operation["requestBody"] = {"required": True, "content": _json(body)}
    if params:
        operation["parameters"] = params
    if security is not None:
        operation["security"] = security
    return operation


def path_param(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    """A required path parameter."""
    return {"name": name, "in": "path", "required": True, "schema": schema}


def query(name: str, schema: dict[str, Any], required: bool = False) -> dict[str, Any]:
    """A query parameter."""
    return {"name": name, "in": "query", "required": required, "schema": schema}


def bearer(scope: str) -> list[dict[str, list[str]]]:
    """OAuth2 client-credentials security with one scope."""
    return [{"oauth2": [scope]}]


PERIOD = [query("inicio", {"type": "string", "format": "date-time"}, True),
          query("fim", {"type": "string", "format": "date-time"}, True),
          query("paginacao.paginaAtual", {"type": "integer", "minimum": 0}),
          query("paginacao.itensPorPagina", {"type": "integer", "minimum": 1, "maximum": 1000})]
SIGNED = [{"name": "X-Pixgate-Signature", "in": "header", "required": True,
           "schema": {"type": "string"}}]


def _page(summary: str, param: dict[str, Any]) -> dict[str, Any]:
    html = {"text/html": {"schema": {"type": "string"}}}
    return {"summary": summary, "tags": ["pages"], "parameters": [param], "responses": {
        "200": {"description": "the page", "content": html},
        "404": {"description": "no such payment", "content": {**html, **PROBLEM}}}}


def legacy_paths() -> dict[str, Any]:
    """The seed-compatible API, the PSP callback receiver and the pages."""
    payment = _json(ref("PaymentEnvelope"))
    create_body = {"type": "object", "required": ["value"], "properties": {
        "value": {"type": "number", "exclusiveMinimum": True, "minimum": 0},
        "description": {"type": "string", "maxLength": 140},
        "return_url": {"type": "string", "format": "uri"}}}
    confirm_body = {"type": "object", "required": ["bank_payment_id", "value"], "properties": {
        "bank_payment_id": TXID, "value": {"type": "number"}}}
    pix_item = {"type": "object", "required": ["endToEndId", "txid", "valor"], "properties": {
        "endToEndId": E2E, "txid": TXID, "valor": VALOR, "horario": {"type": "string"}}}
    payment_id = path_param("payment_id", {"type": "integer", "minimum": 1})
    return {
        "/payments/pix": {"post": op(
            "Create a payment (seed API)", "legacy", {"200": payment}, body=create_body,
            params=[{"name": "Idempotency-Key", "in": "header", "schema": {"type": "string"}}])},
        "/payments/pix/confirmation": {"post": op(
            "Confirm a payment (signed)", "legacy", {"200": payment}, body=confirm_body,
            params=SIGNED)},
        "/payments/pix/{payment_id}": {"get": _page("Payment page (seed path)", payment_id)},
        "/pay/{txid}": {"get": _page("Payment page", path_param("txid", TXID))},
        "/payments/pix/{payment_id}/status": {"get": op(
            "Payment state (the page's polling fallback)", "pages",
            {"200": _json(ref("PaymentState"))}, params=[payment_id], errors={"404"})},
        "/payments/pix/qr_code/{qr_code}": {"get": op(
            "QR image: PNG, or SVG with a .svg suffix", "pages",
            {"200": {"image/png": {"schema": {"type": "string", "format": "binary"}},
                     "image/svg+xml": {"schema": {"type": "string"}}}, "304": None},
            params=[path_param("qr_code", {"type": "string"})], errors={"404"})},
        "/webhooks/pix": {"post": op(
            "PSP callback: Pix received (signed)", "webhooks", {"200": _json({"type": "object"})},
            body={"type": "object", "required": ["pix"], "properties": {
                "pix": {"type": "array", "items": pix_item}}}, params=SIGNED)},
        "/webhooks/psp/{token}/pix": {"post": op(
            "The merchant's PSP notifies (BCB's body or a bare array); each Pix is read back "
            "from the PSP before it counts", "webhooks", {"200": _json({"type": "object"})},
            body={"oneOf": [{"type": "object"}, {"type": "array"}]},
            params=[path_param("token", {"type": "string"})],
            errors={"400", "404", "413", "502", "503"})},
    }


def ops_paths() -> dict[str, Any]:
    """Health, readiness and Prometheus metrics."""
    text = {"text/plain": {"schema": {"type": "string"}}}
    return {
        "/healthz": {"get": op("The process is alive", "ops", {"200": _json({"type": "object"})},
                               errors=set())},
        "/readyz": {"get": op("Database and Redis reachable, migrations current", "ops",
                              {"200": _json({"type": "object"})}, errors=set()) | {
            "responses": {"200": {"description": "ready", "content": _json({"type": "object"})},
                          "503": {"description": "not ready",
                                  "content": _json({"type": "object"})}}}},
        "/metrics": {"get": op("Prometheus metrics", "ops", {"200": text}, errors=set())},
    }
