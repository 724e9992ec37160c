"""Integration fixtures: a fresh app per test on each backend, migrated once, emptied per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import delete

from pixgate.app import MIGRATIONS, create_app
from pixgate.extensions import db
from tests.factories import make_config

_migrated: set[str] = set()


@pytest.fixture
def app(backend_url: str, tmp_path: Path) -> Iterator[Flask]:
    """An app bound to a real database whose schema came from the migrations."""
    application = create_app(make_config(tmp_path, DATABASE_URL=backend_url, SANDBOX=True))
    with application.app_context():
        if backend_url not in _migrated:
            upgrade(directory=str(MIGRATIONS))
            _migrated.add(backend_url)
        for table in reversed(db.metadata.sorted_tables):
            if table.name != "alembic_version":
                db.session.execute(delete(table))
        db.session.commit()
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask):  # type: ignore[no-untyped-def]
    """Flask's test client for the app."""
    return app.test_client()


@pytest.fixture
def bearer(app: Flask, client) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Authorization header of a client holding every BCB scope, obtained via /oauth/token."""
    from pixgate.oauth import service as oauth

    client_id, secret = oauth.create_client(db.session, name="tests")
    response = client.post("/oauth/token", json={"grant_type": "client_credentials"},
                           auth=(client_id, secret))
    assert response.status_code == 200, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['access_token']}"}


@pytest.fixture
def internal_fetch(app: Flask):  # type: ignore[no-untyped-def]
    """Let the sandbox fetch locations and the JWKS through the app itself (no live server)."""
    from urllib.parse import urlsplit

    test_client = app.test_client()

    def fetch(url: str) -> tuple[int, str]:
        parts = urlsplit(url)
        response = test_client.get(parts.path, query_string=parts.query)
        return response.status_code, response.get_data(as_text=True)

    app.extensions["pixgate.fetch"] = fetch
    return fetch
