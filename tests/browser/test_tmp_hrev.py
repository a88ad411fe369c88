import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import PHONE, Site, axe_problems, new_page, overflow, screenshot

PATHS = {
    None: ["/review", "/review/indicators", "/review/pledges", "/review/cycles", "/review/cycles/imrf-2022-review", "/review/pledges/1", "/review/pledges/2"],
    "mexico@gcm.example": ["/review/pledges/new", "/review/pledges/2"],
    "secretariat@gcm.example": ["/review/capacity", "/review/practices", "/review/cycles", "/review/cycles/imrf-2022-review", "/review/pledges/3"],
}


@pytest.mark.parametrize("language", ["fr", "ru", "ar"])
@pytest.mark.parametrize("who", list(PATHS))
def test_review_pages(browser: Browser, site: Site, who, language: str) -> None:
    problems = {}
    page = new_page(browser, site, who, PHONE, language)
    for path in PATHS[who]:
        response = page.goto(path)
        assert response is not None
        assert response.status == 200, path
        screenshot(page, f"hrev-{(who or 'public').split('@')[0]}{path}-390-{language}")
        if wider := overflow(page):
            problems[f"{path} at 390 px"] = f"{wider} px wider than the screen"
        if found := axe_problems(page):
            problems[f"{path} (axe)"] = found
    page.context.close()
    assert problems == {}
