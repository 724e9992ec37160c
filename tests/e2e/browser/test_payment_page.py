"""The payer's page in a real browser: QR, copy, live flip, reload, expiry, language, layout."""

from __future__ import annotations

import time
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.site import Site, axe_violations, qr_texts, shoot

pytestmark = pytest.mark.e2e


def _open(page: Any, site: Site, payment: dict, query: str = "") -> None:
    page.goto(f"{site.url}/pay/{payment['bank_payment_id']}{query}")
    expect(page.locator("#payment")).to_have_attribute("data-status", "ACTIVE")


def test_qr_in_the_screenshot_is_the_copy_paste_code_and_copy_fills_the_clipboard(
    page: Any, site: Site,
) -> None:
    payment = site.create(description="Pedido de teste")
    _open(page, site, payment)
    png = shoot(page, "payment-pending-desktop")
    assert qr_texts(png) == [payment["brcode"]]
    assert page.input_value("#brcode") == payment["brcode"]
    expect(page.get_by_role("textbox", name="Código Pix copia e cola")).to_have_attribute(
        "readonly", "")
    page.get_by_role("button", name="Copiar código").click()
    expect(page.locator("#copy-feedback")).to_contain_text("Código copiado")
    assert page.evaluate("navigator.clipboard.readText()") == payment["brcode"]
    assert axe_violations(page) == []


def test_paying_in_the_sandbox_tab_flips_the_page_within_a_second_without_reload(
    context: Any, page: Any, site: Site,
) -> None:
    payment = site.create(return_url="https://loja.example/obrigado")
    _open(page, site, payment)
    expect(page.locator("#status")).to_have_attribute("role", "status")
    page.evaluate("window.__sameDocument = true")
    bank = context.new_page()
    bank.goto(f"{site.url}/sandbox")
    bank.fill("#code", payment["brcode"])
    bank.get_by_role("button", name="Ler código").click()
    bank.get_by_role("button", name="Pagar").click()
    expect(bank.get_by_role("heading", name="Pix enviado")).to_be_visible()
    paid_by_bank = time.monotonic()
    expect(page.locator("#payment")).to_have_attribute("data-status", "PAID", timeout=1000)
    assert time.monotonic() - paid_by_bank < 1.0
    assert page.evaluate("window.__sameDocument") is True  # no reload happened
    expect(page.locator("#status-text")).to_have_text("Pagamento confirmado")
    expect(page.locator("#pending-view")).to_be_hidden()
    expect(page.locator(".qr svg")).to_be_hidden()
    expect(page.get_by_role("link", name="Voltar à loja")).to_have_attribute(
        "href", "https://loja.example/obrigado")
    shoot(page, "payment-paid-desktop")
    assert axe_violations(page) == []
    page.reload()
    expect(page.locator("#paid-view")).to_be_visible()
    expect(page.locator("#pending-view")).to_be_hidden()


def test_polling_takes_over_when_the_socket_cannot_connect(page: Any, site: Site) -> None:
    page.route("**/socket.io/**", lambda route: route.abort())
    payment = site.create()
    _open(page, site, payment)
    site.pay(payment["brcode"])
    expect(page.locator("#payment")).to_have_attribute("data-status", "PAID", timeout=8000)


def test_a_page_that_was_offline_when_paid_catches_up_on_reconnect(
    context: Any, page: Any, site: Site,
) -> None:
    payment = site.create()
    _open(page, site, payment)
    page.wait_for_function("() => performance.getEntriesByType('resource')"
                           ".some(e => e.name.includes('/socket.io/'))")
    page.evaluate("window.__sameDocument = true")
    context.set_offline(True)
    site.pay(payment["brcode"])
    page.wait_for_timeout(500)
    expect(page.locator("#payment")).to_have_attribute("data-status", "ACTIVE")
    context.set_offline(False)
    expect(page.locator("#payment")).to_have_attribute("data-status", "PAID", timeout=6000)
    assert page.evaluate("window.__sameDocument") is True


def test_a_charge_past_its_expiry_shows_what_to_do(page: Any, site: Site) -> None:
    cob = site.create_cob(expiry=1)
    time.sleep(1.2)
    page.goto(f"{site.url}/pay/{cob['txid']}")
    expect(page.locator("#expired-view")).to_be_visible()
    expect(page.locator("#pending-view")).to_be_hidden()
    expect(page.get_by_role("heading", name="Este Pix expirou")).to_be_visible()
    expect(page.locator("#expired-view")).to_contain_text("gere um novo Pix")
    shoot(page, "payment-expired-desktop")
    assert axe_violations(page) == []


def test_an_open_page_turns_expired_when_its_countdown_ends(page: Any, site: Site) -> None:
    cob = site.create_cob(expiry=3)
    page.goto(f"{site.url}/pay/{cob['txid']}")
    expect(page.locator("#countdown")).to_have_text("00:02", timeout=3000)
    expect(page.locator("#payment")).to_have_attribute("data-status", "EXPIRED", timeout=4000)
    expect(page.locator("#status-text")).to_have_text("Este Pix expirou")


@pytest.mark.parametrize("context", ["mobile"], indirect=True)
def test_on_a_phone_the_code_comes_before_the_qr(page: Any, site: Site) -> None:
    payment = site.create()
    _open(page, site, payment)
    code, qr = page.locator("#brcode").bounding_box(), page.locator(".qr svg").bounding_box()
    assert code["y"] + code["height"] < qr["y"]
    assert qr["x"] >= 0 and qr["x"] + qr["width"] <= 390
    shoot(page, "payment-pending-mobile")
    assert qr_texts(page.screenshot(full_page=True)) == [payment["brcode"]]
    assert axe_violations(page) == []


def test_on_a_desktop_the_qr_sits_beside_the_code(page: Any, site: Site) -> None:
    payment = site.create()
    _open(page, site, payment)
    code, qr = page.locator("#brcode").bounding_box(), page.locator(".qr svg").bounding_box()
    assert qr["x"] + qr["width"] < code["x"]


def test_english_by_accept_language_or_query(browser: Any, site: Site) -> None:
    payment = site.create()
    english = browser.new_context(locale="en-US", extra_http_headers={"Accept-Language": "en-US"})
    try:
        tab = english.new_page()
        tab.goto(f"{site.url}/pay/{payment['bank_payment_id']}")
        expect(tab.locator("html")).to_have_attribute("lang", "en")
        expect(tab.get_by_role("button", name="Copy code")).to_be_visible()
        expect(tab.locator("#status-text")).to_have_text("Waiting for payment")
        tab.goto(f"{site.url}/payments/pix/{payment['id']}?lang=pt")
        expect(tab.get_by_role("button", name="Copiar código")).to_be_visible()
    finally:
        english.close()


def test_the_dynamic_code_of_a_cob_is_shown_and_paid_on_its_page(page: Any, site: Site) -> None:
    cob = site.create_cob()
    page.goto(f"{site.url}/pay/{cob['txid']}?lang=en")
    assert page.input_value("#brcode") == cob["pixCopiaECola"]
    expect(page.locator("#amount")).to_have_attribute("value", cob["valor"]["original"])
    site.pay(cob["pixCopiaECola"])
    expect(page.locator("#status-text")).to_have_text("Payment confirmed", timeout=2000)
