"""Payment and sandbox pages over the test client, on every database backend."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from pixgate import brcode
from pixgate.charges import lifecycle
from pixgate.charges.models import Charge
from pixgate.db.types import utcnow
from pixgate.extensions import db
from tests.integration.helpers import confirm, create_payment
from tests.integration.test_v2_cob import BODY, txid

SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)


def _page(client: FlaskClient, path: str, **headers: str) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    html = response.get_data(as_text=True)
    for attributes in SCRIPT.findall(html):  # no inline code: only files, or inert JSON data
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes
    urls = re.findall(r'(?:src|href|action)="([^"]*)"', html)
    assert all(u.startswith(("/", "?", "#")) for u in urls if "loja.example" not in u), urls
    return html


def _view_shown(html: str, view: str) -> bool:
    tag = re.search(rf'<section id="{view}"[^>]*>', html)
    assert tag, view
    return "hidden" not in tag.group(0)


def test_pay_by_txid_and_the_legacy_path_show_the_same_payment(client: FlaskClient) -> None:
    payment = create_payment(client)
    by_txid = _page(client, f"/pay/{payment['bank_payment_id']}")
    legacy = _page(client, f"/payments/pix/{payment['id']}")
    for html in (by_txid, legacy):
        assert payment["brcode"] in html and 'viewBox="0 0 ' in html
        assert f'<data id="amount" value="{payment["value"]}">' in html
        assert 'role="status"' in html and 'lang="pt-BR"' in html
        assert _view_shown(html, "pending-view") and not _view_shown(html, "paid-view")
    english = _page(client, f"/pay/{payment['bank_payment_id']}", **{"Accept-Language": "en"})
    assert 'lang="en"' in english and "Copy code" in english and "Pix QR code for" in english


def test_paid_expired_and_removed_charges_render_their_own_view(client: FlaskClient) -> None:
    paid = create_payment(client)
    with_return = client.post("/payments/pix", json={
        "value": paid["value"], "return_url": "https://loja.example/ok"}).get_json()["payment"]
    assert confirm(client, with_return).status_code == 200
    html = _page(client, f"/pay/{with_return['bank_payment_id']}")
    assert _view_shown(html, "paid-view") and not _view_shown(html, "pending-view")
    assert 'href="https://loja.example/ok"' in html
    expired = create_payment(client)
    db.session.execute(update(Charge).where(Charge.id == expired["id"])
                       .values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert _view_shown(_page(client, f"/pay/{expired['bank_payment_id']}"), "expired-view")
    removed = create_payment(client)
    lifecycle.remove_charge(db.session, charge_id=removed["id"], source="test")
    assert _view_shown(_page(client, f"/pay/{removed['bank_payment_id']}"), "removed-view")


def test_a_cob_page_shows_its_dynamic_code(client: FlaskClient, bearer: dict) -> None:
    t = txid()
    cob = client.put(f"/v2/cob/{t}", json=BODY, headers=bearer).get_json()
    html = _page(client, f"/pay/{t}")
    assert cob["pixCopiaECola"] in html and 'value="123.45"' in html


def test_unknown_or_malformed_payments_get_an_html_404(client: FlaskClient) -> None:
    for path in ("/pay/doesNotExist123", "/pay/bad-txid!", "/pay/" + "a" * 36,
                 "/payments/pix/99999999"):
        response = client.get(path, headers={"Accept-Language": "en"})
        assert response.status_code == 404 and response.mimetype == "text/html", path
        assert "could not find" in response.get_data(as_text=True)
    assert client.get("/payments/pix/qr_code/nope.gif").mimetype == "application/problem+json"


def test_status_json_carries_the_server_clock_and_is_not_cached(client: FlaskClient) -> None:
    payment = create_payment(client)
    response = client.get(f"/payments/pix/{payment['id']}/status")
    body = response.get_json()
    assert body["status"] == "ACTIVE" and body["server_time"] and body["value"] == payment["value"]
    assert "no-store" in response.headers["Cache-Control"]
    assert client.get("/payments/pix/99999999/status").mimetype == "application/problem+json"


def test_sandbox_page_and_image_endpoint(app: Flask, client: FlaskClient) -> None:
    payment = create_payment(client)
    html = _page(client, "/sandbox?code=" + payment["brcode"][:20])
    assert payment["brcode"][:20] in html
    picture = brcode.qr_png(payment["brcode"], scale=5)
    read = client.post("/sandbox/decode-image", data={"image": (io.BytesIO(picture), "qr.png")})
    assert read.status_code == 200 and read.get_json() == {"pixCopiaECola": payment["brcode"]}
    missing = client.post("/sandbox/decode-image", data={})
    assert missing.status_code == 400 and missing.get_json()["field"] == "image"
    junk = client.post("/sandbox/decode-image", data={"image": (io.BytesIO(b"GIF8"), "a.gif")})
    assert junk.status_code == 422
    big = client.post("/sandbox/decode-image",
                      data={"image": (io.BytesIO(b"\0" * (5 * 1024 * 1024)), "big.png")})
    assert big.status_code == 413 and big.mimetype == "application/problem+json"


def test_sandbox_page_is_absent_unless_enabled(tmp_path: object, backend_url: str) -> None:
    from pixgate.app import create_app
    from tests.factories import make_config

    plain = create_app(make_config(tmp_path, DATABASE_URL=backend_url))  # type: ignore[arg-type]
    client = plain.test_client()
    assert client.get("/sandbox").status_code == 404
    assert client.post("/sandbox/decode-image").status_code == 404
