"""Everything by keyboard alone: Tab to reach, Enter to act, a visible focus ring on the way."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.site import Site
from tests.e2e.browser.test_dashboard import sign_in

pytestmark = pytest.mark.e2e


def tab_to(page: Any, element_id: str, limit: int = 25) -> list[str]:
    """Press Tab until the element has focus; every stop must show a focus outline."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {id: el.id, tag: el.tagName, outline: style.outlineStyle,
                    width: parseFloat(style.outlineWidth), shadow: style.boxShadow};
        }""")
        visible = (focused["outline"] != "none" and focused["width"] > 0) or \
            focused["shadow"] != "none" or focused["tag"] == "INPUT"
        assert visible, f"no visible focus on {focused}"
        stops.append(focused["id"] or focused["tag"])
        if focused["id"] == element_id:
            return stops
    raise AssertionError(f"#{element_id} was not reached by Tab; stops: {stops}")


def test_payment_page_copy_by_keyboard(page: Any, site: Site) -> None:
    payment = site.create()
    page.goto(f"{site.url}/pay/{payment['bank_payment_id']}")
    tab_to(page, "copy")
    page.keyboard.press("Enter")
    expect(page.locator("#copy-feedback")).to_contain_text("Código copiado")
    assert page.evaluate("navigator.clipboard.readText()") == payment["brcode"]


def test_sandbox_pays_by_keyboard(page: Any, site: Site) -> None:
    payment = site.create()
    page.goto(f"{site.url}/sandbox")
    tab_to(page, "code")
    page.keyboard.insert_text(payment["brcode"])
    tab_to(page, "read")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Confira antes de pagar")).to_be_focused()
    tab_to(page, "pay")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Pix enviado")).to_be_focused()


def test_dashboard_refund_by_keyboard(page: Any, site: Site) -> None:
    payment = site.create(value="30.00")
    site.pay(payment["brcode"])
    sign_in(page, site)  # types the password and presses Enter
    page.locator("body").focus()
    link = page.locator(f"tr[data-charge-id='{payment['id']}'] a")
    link.evaluate("a => { a.id = 'open-charge'; }")
    tab_to(page, "open-charge", limit=40)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=f"Cobrança {payment['id']}")).to_be_visible()
    field = page.get_by_label("Valor da devolução (R$)")
    tab_to(page, field.get_attribute("id"), limit=40)
    page.keyboard.press("Control+A")
    page.keyboard.type("5,00")
    page.keyboard.press("Enter")
    expect(page.locator(".flash-ok")).to_have_text("Devolução de R$ 5,00: DEVOLVIDO.")
