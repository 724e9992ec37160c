"""Every page state on a desktop and a phone: screenshot it (artefacts/) and check it with axe."""

from __future__ import annotations

import time
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.site import Site, axe_violations, shoot
from tests.e2e.browser.test_dashboard import sign_in

pytestmark = pytest.mark.e2e
VIEWPORTS = ["desktop", "mobile"]


def check(page: Any, name: str, viewport: str) -> None:
    """Screenshot the state and require no WCAG A/AA violation in it."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    shoot(page, f"{name}-{viewport}")
    assert axe_violations(page) == [], name


@pytest.mark.parametrize("context", VIEWPORTS, indirect=True)
def test_payment_page_states(context: Any, page: Any, site: Site) -> None:
    viewport = "mobile" if page.viewport_size["width"] < 500 else "desktop"
    payment = site.create(description="Camiseta pixgate, tamanho M",
                          return_url="https://loja.example/pedido/42")
    page.goto(f"{site.url}/pay/{payment['bank_payment_id']}")
    check(page, "payment-pending", viewport)
    site.pay(payment["brcode"])
    expect(page.locator("#paid-view")).to_be_visible()
    check(page, "payment-paid", viewport)
    cob = site.create_cob(expiry=1)
    time.sleep(1.1)
    page.goto(f"{site.url}/pay/{cob['txid']}")
    expect(page.locator("#expired-view")).to_be_visible()
    check(page, "payment-expired", viewport)
    page.goto(f"{site.url}/pay/{payment['bank_payment_id']}?lang=en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    check(page, "payment-paid-en", viewport)
    page.goto(f"{site.url}/pay/doesNotExist1")
    check(page, "not-found", viewport)


@pytest.mark.parametrize("context", VIEWPORTS, indirect=True)
def test_sandbox_and_dashboard_states(context: Any, page: Any, site: Site) -> None:
    viewport = "mobile" if page.viewport_size["width"] < 500 else "desktop"
    payment = site.create(description="Assinatura mensal")
    page.goto(f"{site.url}/sandbox")
    check(page, "sandbox-read", viewport)
    page.fill("#code", payment["brcode"])
    page.get_by_role("button", name="Ler código").click()
    expect(page.locator("#review-step")).to_be_visible()
    check(page, "sandbox-review", viewport)
    page.get_by_role("button", name="Pagar").click()
    expect(page.locator("#done-step")).to_be_visible()
    check(page, "sandbox-done", viewport)
    page.goto(f"{site.url}/dashboard/login")
    check(page, "dashboard-login", viewport)
    sign_in(page, site)
    check(page, "dashboard-charges", viewport)
    page.goto(f"{site.url}/dashboard/charges/{payment['id']}")
    check(page, "dashboard-charge", viewport)
    page.goto(f"{site.url}/dashboard/webhooks")
    page.locator(".delivery summary").first.click()
    expect(page.locator(".delivery table").first).to_be_visible()
    check(page, "dashboard-webhooks", viewport)
