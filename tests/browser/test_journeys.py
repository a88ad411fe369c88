"""Journeys through the pages in Chromium, each role doing its part as people do, every action
confirmed on the page it leads to; the public then reads the result."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser

from tests.browser.conftest import DESKTOP, PHONE, Site, flash_of, new_page, overflow, screenshot


def test_a_delegation_drafts_edits_and_submits_a_card_and_registers_a_participant(
    browser: Browser, site: Site, tmp_path: Path
) -> None:
    page = new_page(browser, site, "mexico@gcm.example", PHONE)
    page.goto("/inputs/new")
    page.fill("#title", "Portable pensions for migrant workers")
    page.fill("#text", "We recommend that social security benefits earned abroad stay portable.")
    note = tmp_path / "pensions.txt"
    note.write_text("Our note on portable pensions, for the secretariat.")
    page.set_input_files("#attachment", str(note))
    page.select_option("#status", "draft")
    page.locator("main form.stack button[type=submit]").click()
    page.wait_for_load_state()
    assert re.search(r"/inputs/\d+$", page.url), page.url
    input_url = page.url
    assert "draft" in flash_of(page).lower()
    assert "pensions.txt" in page.content()
    # its edit form: Enter saves the draft, it never sends it
    page.goto(input_url + "/edit")
    page.fill("#title", "Portable pensions for all migrant workers")
    page.press("#title", "Enter")
    page.wait_for_load_state()
    assert flash_of(page) == "Draft saved."
    page.goto(input_url + "/edit")
    page.get_by_role("button", name="Submit to the secretariat").click()
    page.wait_for_load_state()
    assert "Draft submitted" in flash_of(page)
    page.goto("/mine")
    assert "Portable pensions for all migrant workers" in page.content()
    assert overflow(page) == 0
    screenshot(page, "journey-delegation-mine")
    page.goto("/meetings/puerto-vallarta-2017/registrations")
    page.fill("#pname", "Ana Journey")
    page.fill("#pfunction", "Adviser")
    page.get_by_role("button", name="Register participant").click()
    page.wait_for_load_state()
    assert "Ana Journey" in flash_of(page)
    page.context.close()


def test_an_amendment_is_proposed_decided_issued_published_and_read_by_the_public(
    browser: Browser, site: Site
) -> None:
    words = "States shall cooperate on safe return and dignified reintegration, by journey."
    delegation = new_page(browser, site, "mexico@gcm.example", DESKTOP)
    delegation.goto("/drafts/1/amendments/new")
    delegation.select_option("#kind", "add_paragraph")
    delegation.fill("#new_text", words)
    delegation.get_by_role("button", name="Propose").click()
    delegation.wait_for_load_state()
    assert "proposed" in flash_of(delegation)
    amendment_url = delegation.url
    delegation.context.close()

    secretariat = new_page(browser, site, "secretariat@gcm.example", DESKTOP)
    secretariat.goto(amendment_url)
    secretariat.select_option("#status", "accepted")
    secretariat.get_by_role("button", name="Decide").click()
    secretariat.wait_for_load_state()
    assert "is now accepted" in flash_of(secretariat)
    secretariat.goto("/drafts/1/revisions")
    secretariat.get_by_role("button", name="Issue").click()
    secretariat.wait_for_load_state()
    issued = flash_of(secretariat)
    label = issued.split(" issued", 1)[0]
    assert re.fullmatch(r"Rev\.\d+", label), issued
    secretariat.locator("form[action$='/publish'] button").first.click()
    secretariat.wait_for_load_state()
    assert f"{label} published" in flash_of(secretariat)
    screenshot(secretariat, "journey-secretariat-revisions")
    secretariat.context.close()

    public = new_page(browser, site, None, PHONE)
    public.goto("/drafts/1")
    assert words in public.content()
    assert overflow(public) == 0
    screenshot(public, "journey-public-draft")
    public.context.close()
