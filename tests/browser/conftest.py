"""A real browser in the suite: Debian's Chromium, driven by Playwright, against the app served by
uvicorn on a copy of the demo, as people use it. Screenshots of every page looked at are kept in
tests/browser/screenshots/ (CI keeps that folder as an artefact).

The browser and axe-core are installed by `make browser` (a step of `make test`); without them these
tests fail, unless STOCKTAKE_BROWSER=skip says this machine runs no browser."""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import uvicorn
from sqlalchemy import Engine

from stocktake.app import create_app
from stocktake.commands import server_options
from stocktake.config import get_settings
from stocktake.core.db import create_db_engine
from stocktake.demo.generator import DEMO_PASSWORD
from stocktake.web.languages import LANGUAGE_COOKIE
from tests.databases import copy_of
from tests.servers import free_port

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@dataclass
class Site:
    url: str
    engine: Engine


def _ready() -> None:
    if os.environ.get("STOCKTAKE_BROWSER") == "skip":
        pytest.skip("STOCKTAKE_BROWSER=skip: this machine runs no browser")
    missing = [str(p) for p in (CHROMIUM, AXE) if not p.exists()]
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: run `make browser`")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The app on a SQLite copy of the demo of its own, served by uvicorn as `stocktake serve` runs it."""
    _ready()
    url = copy_of("demo", "sqlite", "browser", tmp_path_factory.mktemp("browser"))
    engine = create_db_engine(url)
    settings = get_settings(environment="test", secret_key="browser-secret", database_url=url)
    port = free_port()
    options = {**server_options(), "log_level": "warning"}
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, engine), host="127.0.0.1", port=port, **options)  # type: ignore[arg-type]
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start"
    yield Site(f"http://127.0.0.1:{port}", engine)
    server.should_exit = True
    thread.join(10)
    engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium for one module's tests: Playwright's synchronous API keeps an event loop running in
    the thread while it is open, so it is closed before tests of other modules run there."""
    _ready()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield launched
        launched.close()


def new_page(
    browser: Browser,
    site: Site,
    who: str | None,
    viewport: dict[str, int],
    language: str = "en",
) -> Page:
    """A page in a context of its own, signed in through the sign-in form as `who` (an e-mail),
    reading the site in `language` (the reader's choice, as the language switch keeps it)."""
    # bypass_csp: the page forbids scripts; axe-core is injected by the test, not served by the app
    context = browser.new_context(viewport=viewport, base_url=site.url, bypass_csp=True)  # type: ignore[arg-type]
    context.add_cookies([{"name": LANGUAGE_COOKIE, "value": language, "url": site.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    if who:
        page.goto("/login")
        page.fill("#email", who)
        page.fill("#password", DEMO_PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        assert "/login" not in page.url, f"{who} could not sign in"
    return page


def flash_of(page: Page) -> str:
    """The confirmation the page shows after an action."""
    return page.locator(".flash").inner_text()


def overflow(page: Page) -> int:
    """How far the document is wider than the screen, in CSS pixels (0: it fits)."""
    width = int(page.evaluate("document.documentElement.scrollWidth"))
    return max(0, width - int(page.viewport_size["width"]))  # type: ignore[index]


def axe_problems(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page, as 'rule: where'."""
    page.add_script_tag(path=str(AXE))
    try:
        result: dict[str, Any] = page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
    except Exception as exc:
        return [f"axe-core could not check the page: {str(exc).splitlines()[0]}"]
    return [
        f"{v['id']}: {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_")
    page.screenshot(path=str(SCREENSHOTS / f"{safe}.png"), full_page=True)
