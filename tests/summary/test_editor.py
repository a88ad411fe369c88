"""The summary editor works section by section with a preview; the comparison shows only what
changed, the whole text on demand; long source lists are folded on the page."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.core.permissions import Principal
from stocktake.summary.compare import changed_passages, compared
from stocktake.summary.models import Summary
from stocktake.summary.sections import replace_section, split_sections
from stocktake.summary.services import save_version
from tests.conftest import csrf_of, sign_in

TEXT = "# Title\n\nOpening.\n\n## First\n\nOne.\n\n## Second\n\nTwo.\n\n## Annex: sources\n\n- S1: a, b\n"


def test_sections_split_and_join_back_exactly() -> None:
    sections = split_sections(TEXT)
    assert [(s.number, s.heading, s.folded) for s in sections] == [
        (0, "Title", False),
        (1, "First", False),
        (2, "Second", False),
        (3, "Annex: sources", True),
    ]
    assert "".join(s.markdown for s in sections) == TEXT
    changed = replace_section(TEXT, 2, "## Second\n\nTwo, better.")
    assert changed == TEXT.replace("Two.", "Two, better.")


def test_only_changed_passages_are_shown_with_context() -> None:
    old = "\n\n".join(f"Paragraph {n}." for n in range(1, 41))
    new = old.replace("Paragraph 20.", "Paragraph twenty.")
    (passage,) = changed_passages(old, new, "en")
    assert "<p><del>Paragraph 20.</del> <ins>Paragraph twenty.</ins></p>" in passage.html
    assert "<p>Paragraph 19.</p>" in passage.html
    assert "<p>Paragraph 21.</p>" in passage.html
    assert "Paragraph 5." not in passage.html
    assert passage.new_line == 37
    assert changed_passages(old, old, "en") == []


def test_a_rewritten_sentence_is_shown_whole_as_the_summary_reads() -> None:
    old = (
        "# Chair's summary\n\n## Human dimension\n\n"
        "- Many stakeholders urged: “Work with civil society”. Supported by 42 delegations. "
        "([S1](/summary/1/sources/1))\n"
        "- **Participants** stressed training. It was heard twice.\n"
    )
    new = old.replace("Supported by 42 delegations.", "Supported by 43 delegations and 2 groups.")
    new = new.replace("It was heard twice.", "It was heard twice。")
    html = str(compared(old, new, "en"))
    assert "<h1>Chair's summary</h1>" in html  # rendered, not "# "
    assert "**" not in html
    assert "<strong>Participants</strong>" in html
    assert (
        "<del>Supported by 42 delegations.</del> <ins>Supported by 43 delegations and 2 "
        "groups.</ins>"
    ) in html
    assert "Many stakeholders urged: “Work with civil society”. <del>" in html  # unchanged, plain
    assert '<a href="/summary/1/sources/1">S1</a>' in html
    assert html.count("<del>") == 2
    assert html.count("<ins>") == 2
    assert "<li><strong>Participants</strong> stressed training. <del>" in html
    removed = str(
        compared(
            old,
            old.replace("- **Participants** stressed training. It was heard twice.\n", ""),
            "en",
        )
    )
    assert (
        "<li><del><strong>Participants</strong> stressed training. It was heard twice.</del></li>"
        in removed
    )
    assert "<ins>" not in removed
    raw = str(compared("Old <b>x</b>.", "New <b>x</b>.", "en"))
    assert "<b>" not in raw
    assert "&lt;b&gt;" in raw


def test_the_secretariat_edits_one_section_with_a_preview(
    client: TestClient, session: Session
) -> None:
    summary = session.scalar(select(Summary).order_by(Summary.id))
    assert summary is not None
    sign_in(client, "secretariat@gcm.example")
    page = client.get(f"/summary/{summary.id}")
    assert f'href="/summary/{summary.id}/edit?section=1"' in page.text
    assert re.search(r"<details><summary>Annex", page.text)  # long source lists folded
    sections = split_sections(summary.current.markdown)
    number = next(s.number for s in sections if s.heading == "Participation")
    form = client.get(f"/summary/{summary.id}/edit", params={"section": number})
    assert form.status_code == 200
    assert "## Participation" in form.text
    assert "## Divergences" not in form.text.split("<textarea")[1].split("</textarea>")[0]
    edited = sections[number].markdown.rstrip() + "\n\nThe chair thanked the host country.\n"
    csrf = csrf_of(client, f"/summary/{summary.id}/edit")
    preview = client.post(
        f"/summary/{summary.id}/edit",
        data={"csrf": csrf, "markdown": edited, "section": number, "intent": "preview"},
    )
    assert "Preview (not saved)" in preview.text
    assert "<p>The chair thanked the host country.</p>" in preview.text
    session.refresh(summary)
    assert len(summary.versions) == 1
    saved = client.post(
        f"/summary/{summary.id}/edit",
        data={"csrf": csrf, "markdown": edited, "section": number, "note": "thanks"},
    )
    assert "Version 2 saved." in saved.text
    session.refresh(summary)
    text = summary.current.markdown
    assert "The chair thanked the host country." in text
    assert (
        text.replace("\n\nThe chair thanked the host country.", "") == summary.versions[0].markdown
    )
    assert client.get(f"/summary/{summary.id}/edit", params={"section": 999}).status_code == 404


def test_the_comparison_shows_the_change_and_the_whole_text_on_demand(
    client: TestClient, session: Session
) -> None:
    summary = session.scalar(select(Summary).order_by(Summary.id))
    assert summary is not None
    first = summary.current.markdown
    save_version(
        session,
        summary,
        first.replace("## Divergences", "## Where views diverged", 1),
        by=Principal.system(),
    )
    sign_in(client, "secretariat@gcm.example")
    changes = client.get(f"/summary/{summary.id}/compare", params={"a": 1, "b": 2})
    assert "1 changed passage" in changes.text
    assert "<del>Divergences</del> <ins>Where views diverged</ins>" in changes.text
    assert len(changes.text) < len(first) / 2
    whole = client.get(f"/summary/{summary.id}/compare", params={"a": 1, "b": 2, "whole": True})
    assert "Show only the changes" in whole.text
    assert len(whole.text) > len(first)


class _Fields(HTMLParser):
    """The fields a browser sends back from the editor's form: inputs with their values and the
    textarea's text."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "input" and named.get("name"):
            self.fields[str(named["name"])] = named.get("value") or ""
        if tag == "textarea":
            self._textarea = str(named["name"])
            self.fields[self._textarea] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None


def _fields(html: str) -> dict[str, str]:
    form = html.split('<form method="post" action="/summary/', 1)[1].split("</form>", 1)[0]
    parser = _Fields()
    parser.feed("<form " + form)
    return parser.fields


def test_a_preview_keeps_every_field_and_save_stores_the_note(
    client: TestClient, session: Session
) -> None:
    summary = session.scalar(select(Summary).order_by(Summary.id))
    assert summary is not None
    sign_in(client, "secretariat@gcm.example")
    fields = _fields(client.get(f"/summary/{summary.id}/edit", params={"section": 0}).text)
    fields["markdown"] = fields["markdown"].rstrip() + "\n\nA sentence added.\n"
    fields["note"] = "Added a sentence to the opening"
    preview = client.post(f"/summary/{summary.id}/edit", data={**fields, "intent": "preview"})
    assert "Preview (not saved)" in preview.text
    kept = _fields(preview.text)
    assert kept == fields
    saved = client.post(f"/summary/{summary.id}/edit", data={**kept, "intent": "save"})
    assert "Version 2 saved." in saved.text
    session.refresh(summary)
    assert summary.current.note == "Added a sentence to the opening"


def test_a_preview_keeps_the_version_it_was_based_on(client: TestClient, session: Session) -> None:
    summary = session.scalar(select(Summary).order_by(Summary.id))
    assert summary is not None
    sign_in(client, "secretariat@gcm.example")
    fields = _fields(client.get(f"/summary/{summary.id}/edit").text)
    save_version(
        session, summary, summary.current.markdown + "\nMeanwhile.\n", by=Principal.system()
    )
    preview = client.post(f"/summary/{summary.id}/edit", data={**fields, "intent": "preview"})
    refused = client.post(
        f"/summary/{summary.id}/edit", data={**_fields(preview.text), "intent": "save"}
    )
    assert refused.status_code == 422
    assert "version 1 is not the latest (version 2 is)" in refused.text
