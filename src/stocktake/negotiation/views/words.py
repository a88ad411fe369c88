"""The negotiation's words for statuses, kinds and positions stored in the database, marked for
the catalogs and shown in the reader's language (`|translated`); the values themselves stay as
they are stored."""

from __future__ import annotations

from typing import Any

from stocktake.web.languages import translatable, translatable_plural
from stocktake.web.names import AMENDMENT_KINDS, AMENDMENT_STATUSES

PARAGRAPH_STATUSES = {
    "open": translatable("open"),
    "under_discussion": translatable("under discussion"),
    "agreed_ad_ref": translatable("agreed ad ref."),
    "agreed": translatable("agreed"),
}
POSITION_ROLES = {
    "sponsor": translatable("sponsor"),
    "co_sponsor": translatable("co-sponsor"),
    "supporter": translatable("supporter"),
    "objector": translatable("objector"),
}
NEW_ELEMENT_KINDS = {
    "paragraph": translatable("paragraph"),
    "point": translatable("point"),
    "preamble": translatable("preamble"),
}
ELEMENT_HEADINGS = {
    "preamble": translatable("Preamble %(number)s"),
    "heading": translatable("Heading %(number)s"),
    "paragraph": translatable("Paragraph %(number)s"),
    "point": translatable("Point %(number)s"),
    "footnote": translatable("Footnote %(number)s"),
}
LANGUAGE_NAMES = {
    "ar": translatable("Arabic"),
    "zh": translatable("Chinese"),
    "en": translatable("English"),
    "fr": translatable("French"),
    "ru": translatable("Russian"),
    "es": translatable("Spanish"),
}

# the flash after a decision, one whole sentence for each status decided
DECIDED = {
    "proposed": translatable("%(amendment)s is now proposed."),
    "under_discussion": translatable("%(amendment)s is now under discussion."),
    "accepted": translatable("%(amendment)s is now accepted."),
    "accepted_as_modified": translatable("%(amendment)s is now accepted as modified."),
    "rejected": translatable("%(amendment)s is now rejected."),
    "withdrawn": translatable("%(amendment)s is now withdrawn."),
    "superseded": translatable("%(amendment)s is now superseded."),
    "merged": translatable("%(amendment)s is now merged."),
}
PARAGRAPH_NOW = {
    "open": translatable("The paragraph is now open."),
    "under_discussion": translatable("The paragraph is now under discussion."),
    "agreed_ad_ref": translatable("The paragraph is now agreed ad ref."),
    "agreed": translatable("The paragraph is now agreed."),
}
POSITION_TAKEN = {
    "sponsor": translatable("%(actor)s recorded as sponsor of %(amendment)s."),
    "co_sponsor": translatable("%(actor)s recorded as co-sponsor of %(amendment)s."),
    "supporter": translatable("%(actor)s recorded as supporter of %(amendment)s."),
    "objector": translatable("%(actor)s recorded as objector of %(amendment)s."),
}

WORDS: dict[str, Any] = {
    "paragraph_statuses": PARAGRAPH_STATUSES,
    "amendment_statuses": AMENDMENT_STATUSES,
    "amendment_kinds": AMENDMENT_KINDS,
    "position_roles": POSITION_ROLES,
    "new_element_kinds": NEW_ELEMENT_KINDS,
    "element_headings": ELEMENT_HEADINGS,
    "language_names": LANGUAGE_NAMES,
}
"""What every negotiation page gets to show stored words in its language."""
REVISION_LABELS = {
    "Working text": translatable("Working text"),
    "Zero draft": translatable("Zero draft"),
    "Final": translatable("Final"),
}
"""The names of revisions that are words; "Rev.1" is a symbol, the same in every language."""
WORDS["revision_labels"] = REVISION_LABELS
DISTRIBUTIONS = {
    "General": translatable("General"),
    "Limited": translatable("Limited"),
    "Restricted": translatable("Restricted"),
}
"""The distribution line of the papers, as the form offers it."""
WORDS["distributions"] = DISTRIBUTIONS
CHANGES = {
    "new": translatable("new"),
    "changed": translatable("changed"),
    "moved": translatable("moved"),
    "renumbered": translatable("renumbered"),
    "unchanged": translatable("unchanged"),
}
"""How an element changed from one revision to the next (its lineage)."""
WORDS["changes"] = CHANGES

# the flash after a language version is added: for a revision, then for the working text
LANGUAGE_VERSION_ADDED = {
    "ar": (
        *translatable_plural(
            "Arabic version of %(revision)s added (edition %(edition)s, %(num)s element aligned).",
            "Arabic version of %(revision)s added (edition %(edition)s, %(num)s elements aligned).",
        ),
        *translatable_plural(
            "Arabic version of the working text added (edition %(edition)s, %(num)s element "
            "aligned).",
            "Arabic version of the working text added (edition %(edition)s, %(num)s elements "
            "aligned).",
        ),
    ),
    "zh": (
        *translatable_plural(
            "Chinese version of %(revision)s added (edition %(edition)s, %(num)s element aligned).",
            "Chinese version of %(revision)s added (edition %(edition)s, %(num)s elements aligned).",
        ),
        *translatable_plural(
            "Chinese version of the working text added (edition %(edition)s, %(num)s element "
            "aligned).",
            "Chinese version of the working text added (edition %(edition)s, %(num)s elements "
            "aligned).",
        ),
    ),
    "en": (
        *translatable_plural(
            "English version of %(revision)s added (edition %(edition)s, %(num)s element aligned).",
            "English version of %(revision)s added (edition %(edition)s, %(num)s elements aligned).",
        ),
        *translatable_plural(
            "English version of the working text added (edition %(edition)s, %(num)s element "
            "aligned).",
            "English version of the working text added (edition %(edition)s, %(num)s elements "
            "aligned).",
        ),
    ),
    "fr": (
        *translatable_plural(
            "French version of %(revision)s added (edition %(edition)s, %(num)s element aligned).",
            "French version of %(revision)s added (edition %(edition)s, %(num)s elements aligned).",
        ),
        *translatable_plural(
            "French version of the working text added (edition %(edition)s, %(num)s element "
            "aligned).",
            "French version of the working text added (edition %(edition)s, %(num)s elements "
            "aligned).",
        ),
    ),
    "ru": (
        *translatable_plural(
            "Russian version of %(revision)s added (edition %(edition)s, %(num)s element aligned).",
            "Russian version of %(revision)s added (edition %(edition)s, %(num)s elements aligned).",
        ),
        *translatable_plural(
            "Russian version of the working text added (edition %(edition)s, %(num)s element "
            "aligned).",
            "Russian version of the working text added (edition %(edition)s, %(num)s elements "
            "aligned).",
        ),
    ),
    "es": (
        *translatable_plural(
            "Spanish version of %(revision)s added (edition %(edition)s, %(num)s element aligned).",
            "Spanish version of %(revision)s added (edition %(edition)s, %(num)s elements aligned).",
        ),
        *translatable_plural(
            "Spanish version of the working text added (edition %(edition)s, %(num)s element "
            "aligned).",
            "Spanish version of the working text added (edition %(edition)s, %(num)s elements "
            "aligned).",
        ),
    ),
}

# the amendment form's fields by the labels the form shows them with, for its problems
AMENDMENT_FIELDS = {
    "sponsor": translatable("Sponsor"),
    "kind": translatable("Kind"),
    "target": translatable("Paragraph"),
    "quoted": translatable("Exact words amended"),
    "occurrence": translatable("Occurrence"),
    "placement": translatable("Insert"),
    "new_text": translatable("Proposed words"),
    "new_kind": translatable("A new element is"),
    "destination": translatable("Move after"),
    "justification": translatable("Justification"),
    "co_sponsors": translatable("Co-sponsors"),
    "modified_text": translatable("Agreed words"),
}

# what the agreed words of an amendment accepted as modified take the place of, by its kind
AGREED_WORDS = {
    "insert_after": translatable("The agreed words are inserted after “%(words)s”."),
    "insert_before": translatable("The agreed words are inserted before “%(words)s”."),
    "delete": translatable(
        "The agreed words take the place of “%(words)s”, which the amendment would delete."
    ),
    "replace": translatable("The agreed words take the place of “%(words)s”."),
    "alternative": translatable("The agreed words are the paragraph's whole text."),
    "add_paragraph": translatable("The agreed words are the new paragraph's text."),
    "delete_paragraph": translatable(
        "The paragraph is kept, not deleted, with the agreed words as its text."
    ),
    "move_paragraph": translatable("The paragraph moves, with the agreed words as its text."),
}

# the flash after an element of the working text is edited, by its kind
ELEMENT_SAVED = {
    "preamble": translatable("The paragraph is saved in the working text."),
    "paragraph": translatable("The paragraph is saved in the working text."),
    "heading": translatable("The heading is saved in the working text."),
    "point": translatable("The point is saved in the working text."),
    "footnote": translatable("The footnote is saved in the working text."),
}
