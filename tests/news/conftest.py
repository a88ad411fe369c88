"""What the news tests share: reading the Atom feed as a feed reader does, and checking it against
the RELAX NG grammar of RFC 4287."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import feedparser
from fastapi.testclient import TestClient
from lxml import etree

ATOM = "{http://www.w3.org/2005/Atom}"
GRAMMAR = etree.RelaxNG(etree.parse(str(Path(__file__).with_name("atom.rng"))))


def valid_feed(client: TestClient, **headers: str) -> tuple[etree._Element, Any]:
    """The feed, checked against RFC 4287's grammar and its rules the grammar leaves to
    Schematron, and as feedparser reads it."""
    response = client.get("/news.atom", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = etree.fromstring(response.content)
    assert GRAMMAR.validate(root), GRAMMAR.error_log
    entries = root.findall(f"{ATOM}entry")
    # a feed has an author unless every entry has one; an entry an alternate link or a content
    assert root.find(f"{ATOM}author") is not None or all(
        e.find(f"{ATOM}author") is not None for e in entries
    )
    for entry in entries:
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return root, parsed
