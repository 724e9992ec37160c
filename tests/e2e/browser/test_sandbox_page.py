"""The sandbox bank app in a browser: paste or upload, review like a bank app, pay."""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests
from playwright.sync_api import expect

from pixgate import brcode
from tests.e2e.browser.site import Site, axe_violations, shoot

pytestmark = pytest.mark.e2e
E2E_ID = re.compile(r"^E\d{8}\d{12}[A-Za-z0-9]{11}$")  # E, ISPB, yyyyMMddHHmm, 11 characters


def test_a_pasted_code_is_shown_as_a_bank_app_does_then_paid(page: Any, site: Site) -> None:
    payment = site.create()
    page.goto(f"{site.url}/sandbox")
    shoot(page, "sandbox-read-desktop")
    assert axe_violations(page) == []
    page.fill("#code", payment["brcode"])
    page.get_by_role("button", name="Ler código").click()
    expect(page.get_by_role("heading", name="Confira antes de pagar")).to_be_focused()
    expect(page.locator("#r-receiver")).to_have_text("Loja Pixgate Teste")
    expect(page.locator("#r-txid")).to_have_text(payment["bank_payment_id"])
    expect(page.locator("#r-kind")).to_have_text("Estático")
    expect(page.locator("#r-amount")).to_contain_text(payment["value"].replace(".", ","))
    shoot(page, "sandbox-review-desktop")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Pagar").click()
    expect(page.get_by_role("heading", name="Pix enviado")).to_be_visible()
    expect(page.locator("#d-e2e")).to_have_text(E2E_ID)
    shoot(page, "sandbox-done-desktop")
    assert axe_violations(page) == []
    status = requests.get(f"{site.url}/payments/pix/{payment['id']}/status", timeout=10).json()
    assert status["status"] == "PAID"


def test_an_uploaded_qr_picture_is_read_and_a_dynamic_code_reviewed(
    page: Any, site: Site, tmp_path: Any,
) -> None:
    cob = site.create_cob()
    picture = tmp_path / "qr.png"
    picture.write_bytes(brcode.qr_png(cob["pixCopiaECola"], scale=6))
    page.goto(f"{site.url}/sandbox")
    page.set_input_files("#image", str(picture))
    expect(page.locator("#r-kind")).to_have_text("Dinâmico")
    expect(page.locator("#r-txid")).to_have_text(cob["txid"])
    assert page.input_value("#code") == cob["pixCopiaECola"]


def test_a_bad_code_says_what_is_wrong(page: Any, site: Site) -> None:
    page.goto(f"{site.url}/sandbox")
    page.fill("#code", "000201nonsense")
    page.get_by_role("button", name="Ler código").click()
    expect(page.get_by_role("alert")).to_contain_text("Não foi possível concluir")
    expect(page.locator("#read-step")).to_be_visible()


def test_the_image_endpoint_answers_4xx_json_for_bad_uploads(site: Site) -> None:
    url = site.url + "/sandbox/decode-image"
    missing = requests.post(url, files={"other": ("a.png", b"x")}, timeout=10)
    assert missing.status_code == 400 and missing.json()["field"] == "image"
    junk = requests.post(url, files={"image": ("a.png", b"not a picture")}, timeout=10)
    assert junk.status_code == 422 and "readable picture" in junk.json()["detail"]
    huge = requests.post(url, files={"image": ("a.png", b"\0" * (5 * 1024 * 1024))}, timeout=30)
    assert huge.status_code == 413


def test_a_cobv_is_priced_and_paid_for_the_date_chosen(page: Any, site: Site) -> None:
    from datetime import timedelta

    from pixgate.cobv.calendar import brasilia_today, next_business_day

    today = brasilia_today()
    cobv = site.create_cobv(today.isoformat(), multa={"modalidade": 1, "valorPerc": "7.00"})
    payer_page = page.context.new_page()
    payer_page.goto(f"{site.url}/pay/{cobv['txid']}")
    expect(payer_page.locator("#due-date")).to_contain_text(today.strftime("%d/%m/%Y"))
    expect(payer_page.locator("#breakdown")).to_contain_text("R$ 200,00")
    late = next_business_day(today) + timedelta(days=2)
    page.goto(f"{site.url}/sandbox")
    page.fill("#code", cobv["pixCopiaECola"])
    page.fill("#pay-date", late.isoformat())
    page.get_by_role("button", name="Ler código").click()
    expect(page.locator("#r-amount")).to_contain_text("207,00")  # 200.00 + fine 7.00
    page.get_by_role("button", name="Pagar").click()
    expect(page.get_by_role("heading", name="Pix enviado")).to_be_visible()
    expect(page.locator("#d-amount")).to_contain_text("207,00")
    assert axe_violations(page) == []
