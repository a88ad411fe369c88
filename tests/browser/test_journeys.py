"""Journeys through the pages in Chromium, each role doing its part as people do, every action
confirmed on the page it leads to; the public then reads the result."""

from __future__ import annotations

import datetime as dt
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


def test_the_secretariat_moderates_in_bulk_runs_the_analysis_and_publishes_the_summary(
    browser: Browser, site: Site
) -> None:
    secretariat = new_page(browser, site, "secretariat@gcm.example", DESKTOP)
    secretariat.goto("/inputs/queue")
    picked = secretariat.locator("main input[name=ids]")
    published = [
        secretariat.locator(f"label[for='{picked.nth(i).get_attribute('id')}'] a") for i in range(3)
    ]
    published_ids = [link.inner_text() for link in published]
    published_urls = [(link.get_attribute("href") or "").split("?")[0] for link in published]
    for i in range(3):
        picked.nth(i).check()
    secretariat.get_by_role("button", name="Publish", exact=True).click()
    secretariat.wait_for_load_state()
    assert "3 inputs published" in flash_of(secretariat)
    screenshot(secretariat, "journey-secretariat-queue")

    secretariat.goto("/analysis")
    secretariat.get_by_role("button", name="Start a new run").click()
    secretariat.wait_for_load_state()
    assert "started" in flash_of(secretariat)
    run_url = secretariat.url
    assert re.search(r"/analysis/runs/\d+$", run_url), run_url
    # the page refreshes itself every two seconds while the run works, as the reader sees it
    secretariat.wait_for_selector(".badge.run-completed, .badge.run-failed", timeout=600_000)
    secretariat.wait_for_load_state()
    assert secretariat.locator(".badge.run-completed").count() == 1, secretariat.content()
    secretariat.get_by_role("link", name=re.compile(r"clusters$")).first.click()
    secretariat.wait_for_load_state()
    assert secretariat.url.endswith("/analysis/clusters")
    secretariat.goto(run_url)
    secretariat.get_by_role("link", name="The Chair's summary").click()
    secretariat.wait_for_load_state()

    secretariat.get_by_role("button", name=re.compile(r"^Draft a new summary from run")).click()
    secretariat.wait_for_load_state()
    summary_url = secretariat.url
    assert re.search(r"/summary/\d+$", summary_url), summary_url
    secretariat.goto(summary_url + "/edit")
    closing = "The Chair thanks the host country, by journey."
    # the Chair takes out the generator's draft marker and adds closing words
    lines = secretariat.locator("#markdown").input_value().splitlines()
    kept = [line for line in lines if "Draft generated from analysis run" not in line]
    assert len(kept) == len(lines) - 1
    secretariat.fill("#markdown", "\n".join(kept).rstrip() + "\n\n" + closing + "\n")
    secretariat.fill("#note", "Closing words added")
    secretariat.get_by_role("button", name="Save as a new version").click()
    secretariat.wait_for_load_state()
    assert "version" in flash_of(secretariat).lower()
    secretariat.goto(summary_url)
    secretariat.get_by_role("button", name="Publish").click()
    secretariat.wait_for_load_state()
    assert "is published: the public now reads it" in flash_of(secretariat)
    screenshot(secretariat, "journey-secretariat-summary")
    secretariat.context.close()

    public = new_page(browser, site, None, PHONE)
    public.goto("/summary")
    public.locator("main table a").first.click()
    public.wait_for_load_state()
    assert closing in public.content()
    assert overflow(public) == 0
    screenshot(public, "journey-public-summary")
    for external_id, url in zip(published_ids, published_urls, strict=True):
        answer = public.goto(url)
        assert answer is not None
        assert answer.status == 200, url
        assert external_id in public.content()
    public.context.close()


def test_a_state_files_a_pledge_the_secretariat_publishes_it_and_the_report_shows_it(
    browser: Browser, site: Site
) -> None:
    title = "Consular desks for migrant workers in three corridors, by journey"
    delegation = new_page(browser, site, "mexico@gcm.example", PHONE)
    delegation.goto("/review/pledges/new")
    delegation.fill("#title", title)
    delegation.fill(
        "#description",
        "Mexico will open consular desks for migrant workers in three labour migration corridors, "
        "staffed with two officers each and a legal adviser, working with the ministries of labour "
        "of the countries of destination and with migrant organisations, so that workers have "
        "their documents renewed and their complaints on recruitment and wages heard close to "
        "where they work, with a yearly public account of the cases handled.",
    )
    delegation.get_by_role("checkbox", name=re.compile(r"^14\. ")).check()
    delegation.select_option("#kind", "human_resources")
    delegation.fill("#start_year", "2024")
    delegation.fill("#end_year", "2027")
    delegation.get_by_role("button", name="Submit the pledge").click()
    delegation.wait_for_load_state()
    assert "submitted" in flash_of(delegation), delegation.content()
    pledge_url = delegation.url
    assert overflow(delegation) == 0
    delegation.context.close()

    secretariat = new_page(browser, site, "secretariat@gcm.example", DESKTOP)
    secretariat.goto(pledge_url)
    secretariat.locator("form[action$='/publish'] button").click()
    secretariat.wait_for_load_state()
    assert "published: everyone can read it now" in flash_of(secretariat)
    # the Forums of 2022 and 2026 have ended and report as they stood then: a cycle opened today
    # takes stock of the pledge published now
    today = dt.datetime.now(dt.UTC).date()
    secretariat.goto("/review/cycles")
    secretariat.fill("#slug", "journey-review")
    secretariat.fill("#title", "Review by journey")
    secretariat.select_option("#scope", "global")
    secretariat.fill("#start_date", today.isoformat())
    secretariat.fill("#end_date", (today + dt.timedelta(days=2)).isoformat())
    secretariat.locator("main form button[type=submit]", has_text="Open").click()
    secretariat.wait_for_load_state()
    assert "Review by journey" in flash_of(secretariat), secretariat.content()
    secretariat.context.close()

    public = new_page(browser, site, None, PHONE)
    public.goto("/review/cycles/journey-review")
    section = public.locator("main article.card", has_text="Objective 14:").first
    assert title in section.inner_text()
    assert overflow(public) == 0
    screenshot(public, "journey-public-review-report")
    public.context.close()


def test_a_job_page_of_a_file_with_a_long_name_fits_a_phone(browser: Browser, site: Site) -> None:
    """A file name without spaces (as exporting tools write them) wraps on its job's page, whether
    the file was imported or refused, instead of widening the page beyond the screen."""
    name = "inputs-of-the-regional-consultations-" + "x" * 120
    good = b"submitter,text\nKEN,Consular services for migrant workers in every corridor\n"
    bad = b"submitter,text\n,\n"
    for language in ("en", "ar"):
        page = new_page(browser, site, "secretariat@gcm.example", PHONE, language)
        for suffix, body in (("-done.csv", good), ("-refused.csv", bad)):
            page.goto("/inputs/import")
            page.set_input_files(
                "#file", files=[{"name": name + suffix, "mimeType": "text/csv", "buffer": body}]
            )
            page.locator("main form button[type=submit]").click()
            page.wait_for_load_state()
            assert "/jobs/" in page.url, page.content()
            assert name + suffix in page.locator("main").inner_text()
            assert overflow(page) == 0, f"{page.url} in {language}: {overflow(page)} px too wide"
        page.context.close()


def test_a_delegation_reports_its_countrys_data_and_corrects_a_refused_file(
    browser: Browser, site: Site
) -> None:
    """On a phone and on a desktop: a refused file lists its rows and fields, keeping the chosen
    indicator; the corrected file is stored and Mexico appears among the countries with data."""
    bad = b"Year,Sex,Value\n2016,,7.9\n2017,,seven\n1850,Female," + b"9" * 400 + b"\n"
    good = b"Year,Sex,Value\n2016,,7.9\n2017,,7.4\n2018,Female,7.2\n"
    for viewport, name in ((PHONE, "390"), (DESKTOP, "1280")):
        page = new_page(browser, site, "mexico@gcm.example", viewport)
        page.goto("/review/indicators")
        page.get_by_role("link", name="Report your country's indicator data").click()
        page.wait_for_load_state()
        page.select_option("#indicator", "10-c-1")
        page.set_input_files(
            "#file", files=[{"name": "indicator_10-c-1.csv", "mimeType": "text/csv", "buffer": bad}]
        )
        page.get_by_role("button", name="Send the data").click()
        page.wait_for_load_state()
        problems = page.locator("main table.problems").inner_text()
        assert "row 3" in problems
        assert "row 4" in problems
        assert page.locator("#indicator").input_value() == "10-c-1"
        assert overflow(page) == 0, f"refused at {name} px: {overflow(page)} px too wide"
        screenshot(page, f"journey-report-data-refused-{name}")
        page.set_input_files(
            "#file",
            files=[{"name": "indicator_10-c-1.csv", "mimeType": "text/csv", "buffer": good}],
        )
        page.get_by_role("button", name="Send the data").click()
        page.wait_for_load_state()
        assert "3 observations of 10.c.1 for Mexico stored." in flash_of(page)
        assert "country=MEX" in page.url
        assert page.locator("#country").input_value() == "MEX"
        assert overflow(page) == 0, f"stored at {name} px: {overflow(page)} px too wide"
        screenshot(page, f"journey-report-data-stored-{name}")
        page.context.close()
