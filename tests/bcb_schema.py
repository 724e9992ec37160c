"""BCB's official API Pix 2.9.0 schema, patched for its known bugs, as response validators.

The file in ../shared/bcb-openapi/ is used as is; each patch below is applied in memory and
explained. Nothing else of the schema is relaxed.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote

import jsonschema
import pytest
import yaml

from tests.services import in_ci

REPO = Path(__file__).resolve().parents[1]


def spec_path() -> Path:
    """The shared spec beside the repository (or under PIXGATE_SHARED_DIR)."""
    shared = Path(os.environ.get("PIXGATE_SHARED_DIR", REPO.parent / "shared"))
    return shared / "bcb-openapi" / "openapi-2.9.0.yaml"


def _patch(spec: dict[str, Any]) -> dict[str, Any]:
    schemas = spec["components"]["schemas"]
    # 1. CobExpiracao declares default "86400" and example "3600" as strings on an integer.
    expiry = schemas["CobExpiracao"]["properties"]["expiracao"]
    expiry["default"], expiry["example"] = 86400, 3600
    # 2. CPF patterns are JS regex literals "/^\d{11}$/"; the slashes make every CPF fail.
    for name in ("PessoaFisica", "ParametrosConsultaCob", "ParametrosConsultaPix"):
        for prop in schemas[name].get("properties", {}).values():
            if prop.get("pattern") == "/^\\d{11}$/":
                prop["pattern"] = "^\\d{11}$"
    # 3. CobsConsultadas items require "idCob", a property defined nowhere.
    items = schemas["CobsConsultadas"]["properties"]["cobs"]["items"]["allOf"]
    items[1]["required"] = [r for r in items[1]["required"] if r != "idCob"]
    # 4. PixConsultados requires "cobs" although its list is "pix".
    schemas["PixConsultados"]["required"] = ["parametros", "pix"]
    # 5. infoAdicionais uses "maximum: 50" on an array; maxItems is meant.
    info = schemas["CobBase"]["properties"]["infoAdicionais"]
    info["maxItems"] = info.pop("maximum")
    # 6. WebhookCompleto requires "cnpj", whose text is a copy of a query filter's; the
    #    webhook belongs to a key (`chave`), which every PSP returns instead.
    webhook = schemas["WebhookCompleto"]
    webhook["required"] = ["webhookUrl", "chave", "criacao"]
    webhook["properties"]["chave"] = {"type": "string", "maxLength": 77}
    return spec


@functools.cache
def _spec() -> dict[str, Any]:
    path = spec_path()
    if not path.exists():
        message = f"BCB spec not found at {path}; set PIXGATE_SHARED_DIR"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return _patch(yaml.safe_load(path.read_text(encoding="utf-8")))


def validator(name: str, *, static_txids: bool = False) -> jsonschema.Draft4Validator:
    """A validator for components.schemas[name] with every $ref resolved in the spec."""
    components = _spec()["components"]
    if static_txids:
        # pixgate's deliberate deviation, in docs/bcb-api.md: payments made through the legacy
        # API carry static BR Codes, whose txid (62-05) is at most 25 characters.
        components = copy.deepcopy(components)
        components["schemas"]["TxId"]["pattern"] = "^[a-zA-Z0-9]{1,35}$"
    return jsonschema.Draft4Validator({"$ref": f"#/components/schemas/{name}",
                                       "components": components})


def assert_matches(body: Any, name: str, **kwargs: Any) -> None:
    """Fail with every schema error at once."""
    errors = sorted(validator(name, **kwargs).iter_errors(body), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:20])


def _resolve(node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = _spec()
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", re.I)
FORMATS = jsonschema.FormatChecker([])
FORMATS.checks("date-time")(lambda value: not isinstance(value, str)
                            or RFC3339.fullmatch(value) is not None)


def _schema_errors(value: Any, schema: dict[str, Any], where: str) -> list[str]:
    checker = jsonschema.Draft4Validator({**schema, "components": _spec()["components"]},
                                         format_checker=FORMATS)
    return [f"{where}{list(e.path)}: {e.message}" for e in checker.iter_errors(value)]


def _operation(method: str, route: str) -> tuple[str, dict[str, Any], dict[str, str]] | None:
    # Literal paths win over templated ones ("/pix" is not "/{pixUrlAccessToken}").
    paths = sorted(_spec()["paths"].items(), key=lambda item: item[0].count("{"))
    for template, item in paths:
        pattern = re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(template))
        match = re.fullmatch(pattern, route)
        if match and method.lower() in item:
            return template, item, {k: unquote(v) for k, v in match.groupdict().items()}
    return None


def _coerce(raw: str, schema: dict[str, Any]) -> Any:
    kind = _resolve(schema).get("type")
    if kind == "integer" and raw.lstrip("-").isdigit():
        return int(raw)
    if kind == "boolean" and raw in ("true", "false"):
        return raw == "true"
    return raw


def request_errors(method: str, route: str, query: str, body: bytes) -> list[str]:
    """Every way a request (route relative to the API base path) breaks BCB's spec: unknown
    operation, path or query parameters (unknown ones too), or the JSON body."""
    found = _operation(method, route)
    if found is None:
        return [f"{method} {route}: no such operation in API Pix"]
    template, item, path_values = found
    operation = item[method.lower()]
    parameters = [_resolve(p) for p in [*item.get("parameters", []),
                                        *operation.get("parameters", [])]]
    errors: list[str] = []
    sent = parse_qs(query, keep_blank_values=True)
    known = {p["name"] for p in parameters if p["in"] == "query"}
    errors += [f"query {name}: not a parameter of {method} {template}" for name in sent
               if name not in known]
    for parameter in parameters:
        name, place, schema = parameter["name"], parameter["in"], parameter.get("schema", {})
        if place == "path":
            errors += _schema_errors(path_values.get(name), schema, f"path {name}")
        elif place == "query" and name in sent:
            errors += _schema_errors(_coerce(sent[name][-1], schema), schema, f"query {name}")
        elif place == "query" and parameter.get("required"):
            errors.append(f"query {name}: required")
    request_body = _resolve(operation.get("requestBody")) if "requestBody" in operation else None
    if request_body is None:
        if body:
            errors.append(f"{method} {template} takes no body")
        return errors
    if not body:
        return [*errors, "body: required"] if request_body.get("required") else errors
    try:
        document = json.loads(body)
    except ValueError:
        return [*errors, "body: not JSON"]
    schema = request_body["content"]["application/json"]["schema"]
    return errors + _schema_errors(document, schema, "body")
