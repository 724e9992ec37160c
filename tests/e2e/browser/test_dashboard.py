"""The merchant dashboard in a browser: sign-in, live status, filters, totals, refund, retry."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from playwright.sync_api import expect

from tests.e2e.browser.site import Site, axe_violations, shoot

pytestmark = pytest.mark.e2e


def sign_in(page: Any, site: Site) -> None:
    """Open the dashboard and sign in with the configured password, by keyboard."""
    page.goto(f"{site.url}/dashboard")
    expect(page).to_have_url(f"{site.url}/dashboard/login?next=/dashboard")
    expect(page.get_by_label("Senha do painel")).to_be_focused()
    page.keyboard.type(site.password)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Cobranças", exact=True)).to_be_visible()


def test_wrong_password_is_refused_and_nothing_is_shown(page: Any, site: Site) -> None:
    page.goto(f"{site.url}/dashboard/login")
    page.get_by_label("Senha do painel").fill(site.password + "x")
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("alert")).to_have_text("Senha incorreta.")
    assert page.goto(f"{site.url}/dashboard/webhooks").url.startswith(
        f"{site.url}/dashboard/login")
    assert requests.get(f"{site.url}/dashboard/states?ids=1", timeout=10).status_code == 401


def test_listed_charges_follow_payments_live_and_filter_by_status(page: Any, site: Site) -> None:
    paid = site.create(description="Pedido pago")
    site.pay(paid["brcode"])
    waiting = site.create(description="Pedido aguardando")
    sign_in(page, site)
    row = page.locator(f"tr[data-charge-id='{waiting['id']}'] .pill")
    expect(row).to_have_text("Aguardando")
    expect(page.locator(f"tr[data-charge-id='{paid['id']}'] .pill")).to_have_text("Paga")
    expect(page.locator("#total-paid")).not_to_have_text("0")
    page.evaluate("window.__sameDocument = true")
    site.pay(waiting["brcode"])
    expect(row).to_have_text("Paga", timeout=2000)
    assert page.evaluate("window.__sameDocument") is True
    shoot(page, "dashboard-charges-desktop")
    assert axe_violations(page) == []
    page.get_by_label("Situação").select_option("ACTIVE")
    page.get_by_role("button", name="Filtrar").click()
    expect(page.locator(f"tr[data-charge-id='{paid['id']}']")).to_have_count(0)


def test_refund_from_the_charge_page_and_retry_a_webhook(page: Any, site: Site) -> None:
    payment = site.create(value="25.00", description="Pedido a devolver")
    site.pay(payment["brcode"])
    sign_in(page, site)
    page.get_by_role("link", name=f"Abrir cobrança {payment['id']}").click()
    expect(page.get_by_role("heading", name=f"Cobrança {payment['id']}")).to_be_visible()
    page.get_by_label("Valor da devolução (R$)").fill("10,50")
    page.get_by_role("button", name="Devolver").click()
    expect(page.locator(".flash-ok")).to_have_text("Devolução de R$ 10,50: DEVOLVIDO.")
    expect(page.get_by_label("Valor da devolução (R$)")).to_have_value("14,50")
    expect(page.locator("table.compact").first).to_contain_text("DEVOLVIDO")
    shoot(page, "dashboard-charge-desktop")
    assert axe_violations(page) == []
    page.get_by_label("Valor da devolução (R$)").fill("99,00")
    page.get_by_role("button", name="Devolver").click()
    expect(page.locator(".flash-error")).to_contain_text("exceed")
    page.get_by_role("link", name="Webhooks").click()
    delivery = page.locator(".delivery").first
    expect(delivery.locator("summary")).to_contain_text("Tentativas")
    delivery.get_by_role("button", name="Tentar de novo").click()
    expect(page.locator(".flash-ok")).to_contain_text("agendada para agora")
    shoot(page, "dashboard-webhooks-desktop")
    assert axe_violations(page) == []
