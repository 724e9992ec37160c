"""What a JSON route reads: application/json only (415), and never more than 64 KiB (413)."""

from __future__ import annotations

import io
import json

import pytest
from flask.testing import FlaskClient

from pixgate.charges.models import Charge
from tests.factories import random_amount
from tests.integration.helpers import count

LIMIT = 64 * 1024


def _chunked(client: FlaskClient, path: str, body: bytes, **headers: str):  # type: ignore[no-untyped-def]
    """A body as a server hands over a chunked one: no Content-Length, the stream terminated."""
    return client.post(
        path, input_stream=io.BytesIO(body),
        headers={"Transfer-Encoding": "chunked", "Content-Type": "application/json", **headers},
        environ_overrides={"wsgi.input_terminated": True},
    )


def _padded(size: int) -> bytes:
    """A valid JSON payment body of exactly `size` bytes."""
    body = {"value": str(random_amount()), "pad": ""}
    body["pad"] = "y" * (size - len(json.dumps(body).encode()))
    raw = json.dumps(body).encode()
    assert len(raw) == size
    return raw


@pytest.mark.parametrize("extra", [1, 6 * 1024, 1024 * 1024])
def test_a_chunked_body_over_64_kib_is_413_not_cut_and_accepted(
    client: FlaskClient, extra: int
) -> None:
    body = _padded(LIMIT + extra)
    assert len(body) > LIMIT and json.loads(body)  # valid JSON: cut at 64 KiB it would not be
    response = _chunked(client, "/payments/pix", body)
    assert response.status_code == 413, response.get_json()
    assert response.mimetype == "application/problem+json"
    assert count(Charge) == 0


def test_a_chunked_body_within_the_limit_is_read_whole(client: FlaskClient) -> None:
    for size in (200, LIMIT):
        body = _padded(size)
        response = _chunked(client, "/payments/pix", body)
        assert response.status_code == 200, (size, response.get_json())
    assert count(Charge) == 2


def test_a_chunked_v2_body_over_the_limit_is_413(client: FlaskClient, bearer: dict) -> None:
    response = _chunked(client, "/v2/loc", b'{"tipoCob": "cob", "x": "' + b"z" * LIMIT + b'"}',
                        **bearer)
    assert response.status_code == 413


@pytest.mark.parametrize("content_type", [
    "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", None,
    "application/jsonp", "text/json",
])
def test_a_json_route_answers_415_to_another_media_type_and_writes_nothing(
    client: FlaskClient, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    body = json.dumps({"value": str(random_amount())})
    response = client.post("/payments/pix", data=body, headers=headers)
    assert response.status_code == 415, response.get_json()
    assert "application/json" in response.get_json()["detail"]
    assert count(Charge) == 0


def test_json_with_a_charset_is_still_json(client: FlaskClient) -> None:
    body = json.dumps({"value": str(random_amount())})
    response = client.post("/payments/pix", data=body,
                           headers={"Content-Type": "application/json; charset=utf-8"})
    assert response.status_code == 200


def test_v2_routes_answer_415_in_bcb_form(client: FlaskClient, bearer: dict) -> None:
    response = client.post("/v2/loc", data='{"tipoCob": "cob"}',
                           headers={**bearer, "Content-Type": "text/plain"})
    assert response.status_code == 415
    assert response.get_json()["type"].endswith("/RequisicaoInvalida")
