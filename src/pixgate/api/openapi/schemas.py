"""Component schemas of pixgate's own OpenAPI document (what pixgate answers, exactly)."""

from __future__ import annotations

from typing import Any

from pixgate.charges import money

VALOR = {"type": "string", "pattern": f"^{money.VALOR.pattern}$", "example": "100.00"}
DATE_TIME = {"type": "string", "format": "date-time"}
TXID = {"type": "string", "pattern": "^[a-zA-Z0-9]{1,35}$"}
E2E = {"type": "string", "pattern": "^[a-zA-Z0-9]{32}$"}
PIX_KEY = {"type": "string", "maxLength": 77, "anyOf": [
    {"pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"},  # EVP
    {"pattern": r"^[a-z0-9._-]{1,30}@[a-z0-9-]{1,20}\.[a-z]{2,24}$"},  # e-mail, lower case
    {"pattern": r"^\+55[1-9][0-9]9[0-9]{8}$"},  # mobile phone, E.164
    {"pattern": r"^[0-9]{11}$"},  # CPF (check digits are verified)
    {"pattern": r"^[0-9A-Z]{12}[0-9]{2}$"},  # CNPJ, alphanumeric since API Pix 2.9
]}


def ref(name: str) -> dict[str, str]:
    """A $ref to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def obj(required: list[str], **props: Any) -> dict[str, Any]:
    """An object schema (extra properties allowed: additions are compatible changes)."""
    return {"type": "object", "required": required, "properties": props}


PERSON = obj(["nome"], cpf={"type": "string", "pattern": r"^\d{11}$"},
             cnpj={"type": "string", "pattern": "^[0-9A-Z]{14}$"},
             nome={"type": "string", "maxLength": 200})
INFO = {"type": "array", "maxItems": 50, "items": obj(
    ["nome", "valor"], nome={"type": "string", "maxLength": 50},
    valor={"type": "string", "maxLength": 200})}
LOC = obj(["id", "location", "tipoCob", "criacao"], id={"type": "integer"},
          location={"type": "string", "maxLength": 77}, tipoCob={"enum": ["cob", "cobv"]},
          criacao=DATE_TIME, txid=TXID)
REFUND = obj(["id", "rtrId", "valor", "horario", "status"], id=TXID, rtrId=E2E, valor=VALOR,
             natureza={"type": "string"},
             horario=obj(["solicitacao"], solicitacao=DATE_TIME, liquidacao=DATE_TIME),
             status={"enum": ["EM_PROCESSAMENTO", "DEVOLVIDO", "NAO_REALIZADO"]},
             motivo={"type": "string", "maxLength": 140})
PIX = obj(["endToEndId", "valor", "horario"], endToEndId=E2E, txid=TXID, valor=VALOR,
          horario=DATE_TIME, infoPagador={"type": "string"},
          devolucoes={"type": "array", "items": ref("Devolucao")})
COB_FIELDS = dict(
    calendario=obj(["criacao", "expiracao"], criacao=DATE_TIME,
                   expiracao={"type": "integer", "minimum": 1}),
    txid=TXID, revisao={"type": "integer", "minimum": 0},
    status={"enum": ["ATIVA", "CONCLUIDA", "REMOVIDA_PELO_USUARIO_RECEBEDOR",
                     "REMOVIDA_PELO_PSP"]},
    valor=obj(["original"], original=VALOR), chave={"type": "string", "maxLength": 77},
    devedor=PERSON, solicitacaoPagador={"type": "string", "maxLength": 140},
    infoAdicionais=INFO,
)
COB = obj(["calendario", "txid", "revisao", "status", "valor", "chave", "pixCopiaECola"],
          **COB_FIELDS, loc=ref("PayloadLocation"), location={"type": "string"},
          pixCopiaECola={"type": "string", "maxLength": 512},
          pix={"type": "array", "items": ref("Pix")})
COB_REQUEST = {"type": "object", "properties": {
    "calendario": obj([], expiracao={"type": "integer", "minimum": 1}),
    "valor": obj(["original"], original=VALOR), "chave": PIX_KEY,
    "devedor": PERSON, "solicitacaoPagador": {"type": "string", "maxLength": 140},
    "infoAdicionais": INFO, "loc": obj(["id"], id={"type": "integer", "minimum": 1}),
    "status": {"enum": ["REMOVIDA_PELO_USUARIO_RECEBEDOR"]}}}
PAGINATION = obj(["paginaAtual", "itensPorPagina", "quantidadeDePaginas",
                  "quantidadeTotalDeItens"], paginaAtual={"type": "integer"},
                 itensPorPagina={"type": "integer"}, quantidadeDePaginas={"type": "integer"},
                 quantidadeTotalDeItens={"type": "integer"})
PARAMETERS = obj(["inicio", "fim", "paginacao"], inicio=DATE_TIME, fim=DATE_TIME,
                 paginacao=PAGINATION)


def listing(key: str, item: str) -> dict[str, Any]:
    """A BCB list answer: parametros plus the items under `key`."""
    return obj(["parametros", key], parametros=PARAMETERS,
               **{key: {"type": "array", "items": ref(item)}})


PAYMENT = obj(["id", "value", "paid", "bank_payment_id", "qr_code", "expiration_date", "status",
               "brcode"], id={"type": "integer"}, value={"type": "number"},
              paid={"type": "boolean"}, bank_payment_id=TXID, qr_code=TXID,
              expiration_date=DATE_TIME, created_at=DATE_TIME,
              status={"enum": ["ACTIVE", "PAID", "EXPIRED", "REMOVED"]},
              brcode={"type": "string"}, paid_at={"type": "string", "nullable": True},
              payment_url={"type": "string"}, return_url={"type": "string", "nullable": True})
PROBLEM = obj(["type", "title", "status", "detail"], type={"type": "string"},
              title={"type": "string"}, status={"type": "integer"},
              detail={"type": "string"}, message={"type": "string"},
              violacoes={"type": "array", "items": obj(
                  ["razao", "propriedade"], razao={"type": "string"},
                  propriedade={"type": "string"})})

SCHEMAS: dict[str, Any] = {
    "Payment": PAYMENT,
    "PaymentEnvelope": obj(["message", "payment"], message={"type": "string"},
                           payment=ref("Payment")),
    "PaymentState": obj(["id", "txid", "status", "paid", "value", "expiration_date"],
                        id={"type": "integer"}, txid=TXID, status=PAYMENT["properties"]["status"],
                        paid={"type": "boolean"}, value=VALOR, expiration_date=DATE_TIME,
                        revision={"type": "integer"}),
    "Problem": PROBLEM,
    "Cob": COB,
    "CobRequest": COB_REQUEST,
    "CobCreate": {**COB_REQUEST, "required": ["valor", "chave"],
                  "properties": {k: v for k, v in COB_REQUEST["properties"].items()
                                 if k != "status"}},
    "PayloadLocation": LOC,
    "Pix": PIX,
    "Devolucao": REFUND,
    "Webhook": obj(["webhookUrl", "chave", "criacao"], webhookUrl={"type": "string"},
                   chave={"type": "string"}, criacao=DATE_TIME,
                   webhookSecret={"type": "string", "description": (
                       "Only in the answer that creates the registration: the key that signs "
                       "its deliveries (X-Pixgate-Signature). Never shown again.")}),
    "CobList": listing("cobs", "Cob"),
    "PixList": listing("pix", "Pix"),
    "LocList": listing("loc", "PayloadLocation"),
    "Token": obj(["access_token", "token_type", "expires_in", "scope"],
                 access_token={"type": "string"}, token_type={"enum": ["Bearer"]},
                 expires_in={"type": "integer"}, scope={"type": "string"}),
    "OAuthError": obj(["error"], error={"type": "string"},
                      error_description={"type": "string"}),
}
