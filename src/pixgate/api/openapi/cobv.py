"""The cobv and lotecobv routes and their shapes, as OpenAPI 3.0 (pixgate's own answers)."""

from __future__ import annotations

from typing import Any

from pixgate.api.openapi.paths import PERIOD, _json, bearer, op, path_param, query
from pixgate.api.openapi.schemas import DATE_TIME, INFO, PERSON, PIX_KEY, TXID, VALOR, obj, ref

DATE = {"type": "string", "format": "date"}
RULE = obj(["modalidade", "valorPerc"], modalidade={"type": "integer"}, valorPerc=VALOR)
DISCOUNT = obj(["modalidade"], modalidade={"type": "integer"}, valorPerc=VALOR,
               descontoDataFixa={"type": "array", "items": obj(
                   ["data", "valorPerc"], data=DATE, valorPerc=VALOR)})
VALOR_V = obj([], original=VALOR, multa=RULE, juros=RULE, abatimento=RULE, desconto=DISCOUNT)
DEBTOR = {**PERSON, "properties": {**PERSON["properties"], **{
    name: {"type": "string", "maxLength": size}
    for name, size in (("email", 200), ("logradouro", 200), ("cidade", 200), ("uf", 2),
                       ("cep", 8))}}}
CALENDAR = obj([], dataDeVencimento=DATE, validadeAposVencimento={"type": "integer"})
REQUEST = {"type": "object", "properties": {
    "calendario": CALENDAR, "valor": VALOR_V, "chave": PIX_KEY, "devedor": DEBTOR,
    "solicitacaoPagador": {"type": "string", "maxLength": 140}, "infoAdicionais": INFO,
    "loc": obj(["id"], id={"type": "integer", "minimum": 1}),
    "status": {"enum": ["REMOVIDA_PELO_USUARIO_RECEBEDOR"]}}}
CREATE = {**REQUEST, "required": ["calendario", "valor", "chave", "devedor"],
          "properties": {k: v for k, v in REQUEST["properties"].items() if k != "status"}}
COBV = obj(["calendario", "txid", "revisao", "status", "valor", "chave", "devedor",
            "recebedor", "location", "pixCopiaECola"],
           calendario=obj(["criacao", "dataDeVencimento", "validadeAposVencimento"],
                          criacao=DATE_TIME, dataDeVencimento=DATE,
                          validadeAposVencimento={"type": "integer", "minimum": 0}),
           txid=TXID, revisao={"type": "integer", "minimum": 0},
           status={"enum": ["ATIVA", "CONCLUIDA", "REMOVIDA_PELO_USUARIO_RECEBEDOR",
                            "REMOVIDA_PELO_PSP"]},
           valor={**VALOR_V, "required": ["original"]}, chave={"type": "string"},
           devedor=DEBTOR, recebedor=obj(["nome", "logradouro", "cidade", "uf", "cep"]),
           solicitacaoPagador={"type": "string"}, infoAdicionais=INFO,
           loc=ref("PayloadLocation"), location={"type": "string"},
           pixCopiaECola={"type": "string", "maxLength": 512},
           pix={"type": "array", "items": ref("Pix")})
PROBLEMA = obj(["type", "title", "status"], type={"type": "string"}, title={"type": "string"},
               status={"type": "integer"}, detail={"type": "string"})
BATCH = obj(["id", "descricao", "criacao", "cobsv"], id={"type": "integer"},
            descricao={"type": "string"}, criacao=DATE_TIME,
            cobsv={"type": "array", "items": obj(
                ["txid", "status"], txid=TXID, criacao=DATE_TIME, problema=PROBLEMA,
                status={"enum": ["EM_PROCESSAMENTO", "CRIADA", "NEGADA"]})})
BATCH_REQUEST = obj(["descricao", "cobsv"], descricao={"type": "string", "maxLength": 200},
                    cobsv={"type": "array", "maxItems": 1000, "items": {
                        **REQUEST, "required": ["txid"],
                        "properties": {**REQUEST["properties"], "txid": TXID}}})

SCHEMAS: dict[str, Any] = {
    "CobV": COBV, "CobVRequest": REQUEST, "CobVCreate": CREATE,
    "CobVList": obj(["parametros", "cobs"], parametros=ref("Parametros"),
                    cobs={"type": "array", "items": ref("CobV")}),
    "LoteCobV": BATCH, "LoteCobVRequest": BATCH_REQUEST,
    "LoteCobVList": obj(["parametros", "lotes"], parametros=ref("Parametros"),
                        lotes={"type": "array", "items": ref("LoteCobV")}),
}


def cobv_paths() -> dict[str, Any]:
    """`/cobv` and `/lotecobv`, relative to the API base path."""
    cobv, txid = _json(ref("CobV")), [path_param("txid", {
        "type": "string", "pattern": "^[a-zA-Z0-9]{26,35}$"})]
    lote = [path_param("id", {"type": "string", "pattern": "^[0-9]{1,9}$"})]
    return {
        "/cobv/{txid}": {
            "put": op("Create (or revise) a cobv", "cobv", {"201": cobv, "200": cobv},
                      body=ref("CobVCreate"), params=txid, security=bearer("cobv.write")),
            "patch": op("Revise or remove a cobv", "cobv", {"200": cobv},
                        body=ref("CobVRequest"), params=txid, security=bearer("cobv.write")),
            "get": op("Read a cobv (optionally at a revision)", "cobv", {"200": cobv},
                      params=[*txid, query("revisao", {"type": "integer", "minimum": 0})],
                      security=bearer("cobv.read"))},
        "/cobv": {"get": op(
            "List cobvs", "cobv", {"200": _json(ref("CobVList"))},
            params=[*PERIOD, query("cpf", {"type": "string"}), query("cnpj", {"type": "string"}),
                    query("status", {"type": "string"}),
                    query("locationPresente", {"type": "string", "enum": ["true", "false"]}),
                    query("loteCobVId", {"type": "integer", "minimum": 0})],
            security=bearer("cobv.read"))},
        "/lotecobv/{id}": {
            "put": op("Create a lote of up to 1,000 cobvs, or revise all of them", "lotecobv",
                      {"202": None}, body=ref("LoteCobVRequest"), params=lote,
                      security=bearer("lotecobv.write")),
            "patch": op("Revise some cobvs of a lote", "lotecobv", {"202": None},
                        body=ref("LoteCobVRequest"), params=lote,
                        security=bearer("lotecobv.write")),
            "get": op("Read a lote: each cobv CRIADA or NEGADA (with its problema)", "lotecobv",
                      {"200": _json(ref("LoteCobV"))}, params=lote,
                      security=bearer("lotecobv.read"))},
        "/lotecobv": {"get": op("List lotes", "lotecobv", {"200": _json(ref("LoteCobVList"))},
                                params=PERIOD, security=bearer("lotecobv.read"))},
    }


def cobv_payload_path() -> dict[str, Any]:
    """What a payer's bank fetches for a cobv: the CobVPayload for a payment date (DPP)."""
    return {"/qr/v2/cobv/{token}": {"get": op(
        "CobVPayload for the payment date DPP, as a compact JWS", "payload",
        {"200": {"application/jose": {"schema": {"type": "string"}}}},
        params=[path_param("token", {"type": "string"}),
                query("codMun", {"type": "string"}), query("DPP", DATE)],
        errors={"400", "404", "410"})}}
