"""schemathesis over /openapi.json: no 5xx and no answer that breaks pixgate's own schema."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from flask import Flask
from flask_migrate import upgrade
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from pixgate.app import MIGRATIONS, create_app
from pixgate.extensions import db
from pixgate.oauth import service as oauth
from tests.factories import make_config

# PIXGATE_FUZZ_EXAMPLES=1500 digs deeper than CI has time for (a 5-minute run).
EXAMPLES = int(os.environ.get("PIXGATE_FUZZ_EXAMPLES", "30"))
CHECKS = [checks.not_a_server_error, checks.response_schema_conformance,
          checks.content_type_conformance, checks.status_code_conformance]


@pytest.fixture(scope="module")
def fuzzed_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One SQLite app for the whole module: fuzzing is about the edges, not the backend."""
    tmp = Path(tmp_path_factory.mktemp("fuzz"))
    app = create_app(make_config(tmp, DATABASE_URL=f"sqlite:///{tmp}/fuzz.db", SANDBOX=True))
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
        client_id, secret = oauth.create_client(db.session, name="fuzz")
        token = oauth.issue_token(db.session, client_id=client_id, secret=secret, scope=None)
        app.config["FUZZ_HEADERS"] = {"Authorization": f"Bearer {token.access_token}"}
        db.session.remove()
    yield app


@pytest.fixture(scope="module")
def api_schema(fuzzed_app: Flask) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_wsgi("/openapi.json", fuzzed_app)


def _operations() -> list[tuple[str, str]]:
    from pixgate.api.openapi.paths import legacy_paths, ops_paths
    from pixgate.api.openapi.paths_v2 import other_paths, v2_paths
    from pixgate.web.openapi_paths import web_paths

    paths = {**legacy_paths(), **v2_paths("/v2"), **other_paths(), **ops_paths(), **web_paths()}
    return [(path, method) for path, item in paths.items() for method in item]


@pytest.mark.parametrize(("path", "method"), _operations())
def test_no_server_errors_and_answers_match_the_schema(
    api_schema: schemathesis.BaseSchema, fuzzed_app: Flask, path: str, method: str
) -> None:
    operation = api_schema[path][method.upper()]
    headers = fuzzed_app.config["FUZZ_HEADERS"]

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


def test_document_lists_every_served_route(fuzzed_app: Flask) -> None:
    spec = fuzzed_app.test_client().get("/openapi.json").get_json()
    documented = {path.split("{")[0] for path in spec["paths"]}
    undocumented = []
    for rule in fuzzed_app.url_map.iter_rules():
        prefix = rule.rule.split("<")[0]
        internal = rule.endpoint in ("static", "openapi.static", "openapi.openapi", "openapi.docs")
        if not internal and prefix not in documented:
            undocumented.append(rule.rule)
    assert undocumented == []
    docs = fuzzed_app.test_client().get("/docs")
    assert docs.status_code == 200 and "/v2/cob/{txid}" in docs.get_data(as_text=True)
