"""The BCB API v2 routes, OAuth2, the payload location and the sandbox, as OpenAPI."""

from __future__ import annotations

from typing import Any

from pixgate.api.openapi.paths import PERIOD, _json, bearer, op, path_param, query
from pixgate.api.openapi.schemas import E2E, TXID, VALOR, ref

COB_TXID = {"type": "string", "pattern": "^[a-zA-Z0-9]{26,35}$"}
FLAG = {"type": "string", "enum": ["true", "false"]}


def v2_paths(base: str) -> dict[str, Any]:
    """Paths under the configured base (default /v2)."""
    cob, txid = _json(ref("Cob")), [path_param("txid", COB_TXID)]
    e2e = path_param("e2eid", E2E)
    refund_id = path_param("id", {"type": "string", "pattern": "^[a-zA-Z0-9]{1,35}$"})
    chave = [path_param("chave", {"type": "string", "maxLength": 77})]
    loc_id = [path_param("id", {"type": "integer", "minimum": 1})]
    paths = {
        "/cob/{txid}": {
            "put": op("Create (or revise) a cob", "cob", {"201": cob, "200": cob},
                      body=ref("CobCreate"), params=txid, security=bearer("cob.write")),
            "patch": op("Revise or remove a cob", "cob", {"200": cob}, body=ref("CobRequest"),
                        params=txid, security=bearer("cob.write")),
            "get": op("Read a cob (optionally at a revision)", "cob", {"200": cob},
                      params=[*txid, query("revisao", {"type": "integer", "minimum": 0})],
                      security=bearer("cob.read"))},
        "/cob": {
            "post": op("Create a cob with a generated txid", "cob", {"201": cob},
                       body=ref("CobCreate"), security=bearer("cob.write")),
            "get": op("List cobs", "cob", {"200": _json(ref("CobList"))},
                      params=[*PERIOD, query("cpf", {"type": "string"}),
                              query("cnpj", {"type": "string"}),
                              query("status", {"type": "string"}),
                              query("locationPresente", FLAG)],
                      security=bearer("cob.read"))},
        "/loc": {
            "post": op("Create a location", "loc", {"201": _json(ref("PayloadLocation"))},
                       body={"type": "object", "required": ["tipoCob"],
                             "properties": {"tipoCob": {"enum": ["cob"]}}},
                       security=bearer("payloadlocation.write")),
            "get": op("List locations", "loc", {"200": _json(ref("LocList"))},
                      params=[*PERIOD, query("txIdPresente", FLAG)],
                      security=bearer("payloadlocation.read"))},
        "/loc/{id}": {"get": op("Read a location", "loc", {"200": _json(ref("PayloadLocation"))},
                                params=loc_id, security=bearer("payloadlocation.read"))},
        "/loc/{id}/txid": {"delete": op(
            "Unlink a location from its cob", "loc", {"200": _json(ref("PayloadLocation"))},
            params=loc_id, security=bearer("payloadlocation.write"))},
        "/pix/{e2eid}": {"get": op("Read a received Pix", "pix", {"200": _json(ref("Pix"))},
                                   params=[e2e], security=bearer("pix.read"))},
        "/pix": {"get": op("List received Pix", "pix", {"200": _json(ref("PixList"))},
                           params=[*PERIOD, query("txid", TXID), query("txIdPresente", FLAG),
                                   query("devolucaoPresente", FLAG),
                                   query("cpf", {"type": "string"}),
                                   query("cnpj", {"type": "string"})],
                           security=bearer("pix.read"))},
        "/pix/{e2eid}/devolucao/{id}": {
            "put": op("Request a refund", "pix", {"201": _json(ref("Devolucao")),
                                                 "200": _json(ref("Devolucao"))},
                      body={"type": "object", "required": ["valor"], "properties": {
                          "valor": VALOR, "descricao": {"type": "string", "maxLength": 140}}},
                      params=[e2e, refund_id], security=bearer("pix.write")),
            "get": op("Read a refund", "pix", {"200": _json(ref("Devolucao"))},
                      params=[e2e, refund_id], security=bearer("pix.read"))},
        "/webhook/{chave}": {
            "put": op("Register the webhook of a key", "webhook", {"200": _json(ref("Webhook"))},
                      body={"type": "object", "required": ["webhookUrl"], "properties": {
                          "webhookUrl": {"type": "string", "format": "uri"}}},
                      params=chave, security=bearer("webhook.write")),
            "get": op("Read the webhook of a key", "webhook", {"200": _json(ref("Webhook"))},
                      params=chave, security=bearer("webhook.read")),
            "delete": op("Remove the webhook of a key", "webhook", {"204": None},
                         params=chave, security=bearer("webhook.write"))},
        "/webhook": {"get": op("List webhooks", "webhook", {"200": _json({
            "type": "object", "required": ["webhooks"], "properties": {
                "webhooks": {"type": "array", "items": ref("Webhook")}}})},
            security=bearer("webhook.read"))},
    }
    prefix = base.rstrip("/")
    return {prefix + path: item for path, item in paths.items()}


def other_paths() -> dict[str, Any]:
    """OAuth2, the payload a bank app fetches, the JWKS and the sandbox payer."""
    pay_body = {"type": "object", "properties": {
        "pixCopiaECola": {"type": "string", "maxLength": 512}, "txid": TXID, "valor": VALOR,
        "pagador": {"type": "object"}, "forcarValor": {"type": "boolean"}}}
    return {
        "/oauth/token": {"post": op(
            "Client credentials grant (HTTP Basic)", "oauth", {"200": _json(ref("Token"))},
            body={"type": "object", "properties": {"grant_type": {"enum": ["client_credentials"]},
                                                   "scope": {"type": "string"}}},
            errors=set(), security=[{"basic": []}]) | {"responses": {
                "200": {"description": "OK", "content": _json(ref("Token"))},
                "400": {"description": "error", "content": _json(ref("OAuthError"))},
                "401": {"description": "error", "content": _json(ref("OAuthError"))},
                "413": {"description": "error"}}}},
        "/qr/v2/{token}": {"get": op(
            "CobPayload as a compact JWS (what a bank app fetches)", "payload",
            {"200": {"application/jose": {"schema": {"type": "string"}}}},
            params=[path_param("token", {"type": "string"})], errors={"404"})},
        "/.well-known/jwks.json": {"get": op(
            "Keys that sign the payloads", "payload", {"200": _json({"type": "object"})},
            errors=set())},
        "/sandbox/decode": {"post": op(
            "Read a BR Code as a bank app would (sandbox)", "sandbox",
            {"200": _json({"type": "object"})}, body=pay_body)},
        "/sandbox/pay": {"post": op(
            "Pay a BR Code or txid as the sandbox payer", "sandbox",
            {"201": _json(ref("Pix")), "200": _json(ref("Pix"))}, body=pay_body)},
    }
