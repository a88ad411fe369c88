"""Every main page, as each role sees it, in Chromium: it fits a 390 px phone (the document is no wider
than the screen) and axe-core finds no serious or critical accessibility violation; a screenshot of
each is kept."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import (
    PHONE,
    Site,
    axe_problems,
    new_page,
    overflow,
    screenshot,
)

PUBLIC = [
    "/",
    "/meetings",
    "/meetings/puerto-vallarta-2017",
    "/inputs",
    "/actors",
    "/actors/MEX",
    "/summary",
    "/drafts",
    "/drafts/1",
    "/review",
    "/review/indicators",
    "/review/pledges",
    "/review/cycles",
    "/review/cycles/imrf-2022-review",
    "/review/objectives/1/thread",
    "/drafts/1/paragraphs/para_12/thread",
    "/drafts/1/coverage",
    "/actors/MEX/inputs",
    "/news",
    "/news/1",
]
DELEGATION = [
    "/mine",
    "/inputs/new",
    "/review/pledges/new",
    "/review/indicators/report",
    "/drafts/1/amendments",
    "/drafts/1/amendments/new",
    "/meetings/puerto-vallarta-2017/registrations",
    "/notifications",
    "/account/notifications",
]
SECRETARIAT = [
    "/inputs/queue",
    "/analysis",
    "/analysis/clusters",
    "/analysis/review",
    "/drafts/1/revisions",
    "/drafts/1/compilation",
    "/drafts/1/compare",
    "/drafts/1/compare?view=side",
    "/users",
    "/audit",
    "/jobs",
    "/jobs/1",
    "/inputs/import",
    "/review/capacity",
    "/review/practices",
    "/review/indicators/report",
    "/drafts/1/amendment-list",
    "/drafts/1/decisions",
    "/drafts/1/paragraphs/para_12/thread",
    "/drafts/1?revision=1&language=fr",
    "/news",
    "/news/new",
    "/news/5/edit",
    "/meetings/imrf-2022/edit",
]
ROLES = {
    "public": (None, PUBLIC),
    "delegation": ("mexico@gcm.example", DELEGATION),
    "secretariat": ("secretariat@gcm.example", SECRETARIAT),
}


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("role", list(ROLES))
def test_every_main_page_fits_a_phone_and_passes_axe(
    browser: Browser, site: Site, role: str, language: str
) -> None:
    """In English, and in Arabic, whose pages run right to left."""
    who, paths = ROLES[role]
    problems: dict[str, object] = {}
    page = new_page(browser, site, who, PHONE, language)
    for path in paths:
        response = page.goto(path)
        assert response is not None
        assert response.status == 200, f"{path} as {role}: {response.status}"
        suffix = "" if language == "en" else f"-{language}"
        screenshot(page, f"{role}{path}-390{suffix}")
        if wider := overflow(page):
            problems[f"{path} at 390 px"] = f"{wider} px wider than the screen"
        if found := axe_problems(page):
            problems[f"{path} (axe)"] = found
    page.context.close()
    assert problems == {}


def test_the_amendment_list_reads_on_a_phone_without_scrolling_sideways(
    browser: Browser, site: Site
) -> None:
    """Each paragraph above its amendments, each part named by its column's heading: no box of the
    list scrolls sideways and no amendment is cut off at the screen's edge."""
    page = new_page(browser, site, "secretariat@gcm.example", PHONE, "fr")
    response = page.goto("/drafts/1/amendment-list")
    assert response is not None
    assert response.status == 200
    screenshot(page, "secretariat/drafts/1/amendment-list-390-fr")
    assert overflow(page) == 0
    wider = page.evaluate(
        "() => [...document.querySelectorAll('main .table-scroll, main table')]"
        ".filter(e => e.scrollWidth > e.clientWidth + 1).length"
    )
    assert wider == 0
    cells = page.locator("main table.two-columns tbody td")
    assert cells.count() >= 2
    for box in (cells.nth(0).bounding_box(), cells.nth(1).bounding_box()):
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"]
    labels = page.evaluate(
        "() => [...document.querySelectorAll('main table.two-columns tbody td')].slice(0, 2)"
        ".map(td => getComputedStyle(td, '::before').content)"
    )
    assert labels == ['"Texte"', '"Amendement proposé"']
    page.context.close()
