"""A live sandbox server and Debian's Chromium; missing Chromium skips locally, fails in CI."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser.site import Site
from tests.e2e.conftest import free_port, server_env, start_server, stop_server
from tests.services import in_ci

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[3]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTEFACTS = REPO / "artefacts" / "screenshots"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}


def _unavailable(reason: str) -> None:
    if in_ci():
        pytest.fail(f"browser tests cannot run under CI=true: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session (Debian's, never Playwright's download)."""
    if not CHROMIUM.exists():
        _unavailable("/usr/bin/chromium is missing: `make install-test` installs it "
                     "(or `apt-get install -y chromium`)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is missing: `pip install -e '.[test]'`")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A `pixgate serve` with the sandbox and the dashboard on, on a fresh SQLite database."""
    tmp_path = tmp_path_factory.mktemp("browser")
    port = free_port()
    password = "pw-" + secrets.token_urlsafe(12)
    env = server_env(tmp_path, PIXGATE_SANDBOX="1", PIXGATE_PUBLIC_URL=f"http://127.0.0.1:{port}",
                     PIXGATE_DASHBOARD_PASSWORD=password, PIXGATE_SWEEP_SECONDS="0.5",
                     PIXGATE_SECRET_KEY=secrets.token_hex(16),
                     PIXGATE_NOTIFY_URL=f"http://127.0.0.1:{free_port()}/nobody-listens",
                     PIXGATE_WEBHOOK_RETRY_BASE_SECONDS="60")
    server = start_server(tmp_path, env, port=port)
    yield Site(server.url, env, password)
    stop_server(server)


@pytest.fixture
def context(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser context (own cookies) that may read the clipboard; mobile if asked."""
    viewport = MOBILE if getattr(request, "param", "desktop") == "mobile" else DESKTOP
    ctx = browser.new_context(viewport=viewport, locale="pt-BR",
                              permissions=["clipboard-read", "clipboard-write"])
    if AXE.exists():
        ctx.add_init_script(path=str(AXE))  # devtools-injected, so the page's CSP stays on
    elif in_ci():
        pytest.fail(f"{AXE} is missing: run `make assets`")
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: Any, site: Site) -> Iterator[Any]:
    """A page that records console errors and every host it talked to."""
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    tab.console_errors = []  # type: ignore[attr-defined]
    tab.hosts = set()  # type: ignore[attr-defined]
    tab.on("console", lambda m: m.type == "error" and tab.console_errors.append(m.text))
    tab.on("request", lambda r: r.url.startswith("http") and tab.hosts.add(r.url.split("/")[2]))
    yield tab
    assert not [e for e in tab.console_errors if "Content Security Policy" in e], \
        tab.console_errors
    assert tab.hosts <= {site.url.split("/")[2]}, tab.hosts
