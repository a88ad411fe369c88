"""The names pages show for the words stocktake stores as keys (a role, a status, a kind of
amendment, a regional group): each an English text marked for the catalogs, shown in the page's
language with the `word` filter (`{{ record.status|word("input_status") }}`). A key with no name
here is shown as it is stored, its underscores as spaces: a stored value is never translated
blindly."""

from __future__ import annotations

from stocktake.core.translation import translatable

ROLES = {
    "secretariat": translatable("secretariat"),
    "delegation_member": translatable("delegation member"),
    "stakeholder": translatable("stakeholder"),
    "public": translatable("public"),
}

INPUT_STATUSES = {
    "draft": translatable("draft"),
    "submitted": translatable("submitted"),
    "published": translatable("published"),
    "withdrawn": translatable("withdrawn"),
}

AMENDMENT_STATUSES = {
    "proposed": translatable("proposed"),
    "under_discussion": translatable("under discussion"),
    "accepted": translatable("accepted"),
    "accepted_as_modified": translatable("accepted as modified"),
    "rejected": translatable("rejected"),
    "withdrawn": translatable("withdrawn"),
    "superseded": translatable("superseded"),
    "merged": translatable("merged"),
}

AMENDMENT_KINDS = {
    "insert": translatable("insert"),
    "delete": translatable("delete"),
    "replace": translatable("replace"),
    "alternative": translatable("alternative"),
    "add_paragraph": translatable("add paragraph"),
    "delete_paragraph": translatable("delete paragraph"),
    "move_paragraph": translatable("move paragraph"),
}

SPONSOR_ROLES = {
    "sponsor": translatable("sponsor"),
    "co_sponsor": translatable("co-sponsor"),
}

PARAGRAPH_STATUSES = {
    "open": translatable("open"),
    "under_discussion": translatable("under discussion"),
    "agreed_ad_ref": translatable("agreed ad referendum"),
    "agreed": translatable("agreed"),
}

PLEDGE_STATUSES = {
    "planned": translatable("planned"),
    "in_progress": translatable("in progress"),
    "completed": translatable("completed"),
    "discontinued": translatable("discontinued"),
}

CHANGES = {
    "new": translatable("new"),
    "changed": translatable("changed"),
    "renumbered": translatable("renumbered"),
    "moved": translatable("moved"),
    "unchanged": translatable("unchanged"),
    "deleted": translatable("deleted"),
}

REVISION_LABELS = {
    "Working text": translatable("Working text"),
    "Zero draft": translatable("Zero draft"),
    "Final": translatable("Final"),
}
"""The names of revisions that are words; "Rev.1" is a symbol, the same in every language."""

LINK_ORIGINS = {
    "zero_draft": translatable("zero draft"),
    "similarity": translatable("similarity"),
    "manual": translatable("by hand"),
}

PROGRESS_STATUSES = {
    "target_achieved": translatable("Target achieved"),
    "substantial_progress": translatable("Substantial progress"),
    "moderate_progress": translatable("Moderate progress"),
    "limited_progress": translatable("Limited progress"),
    "deterioration": translatable("Deterioration"),
    "not_available": translatable("Not available"),
}

REGIONAL_GROUPS = {
    "african": translatable("African States"),
    "asia_pacific": translatable("Asia-Pacific States"),
    "eeg": translatable("Eastern European States"),
    "grulac": translatable("Latin American and Caribbean States"),
    "weog": translatable("Western European and other States"),
    "no regional group": translatable("no regional group"),
    "none": translatable("none"),
}

REGIONS = {
    "Africa": translatable("Africa"),
    "Americas": translatable("Americas"),
    "Asia": translatable("Asia"),
    "Europe": translatable("Europe"),
    "Oceania": translatable("Oceania"),
    "no region": translatable("no region"),
    "none": translatable("none"),
}
"""The regions of the M49 standard, as the registry stores them (by their English names)."""

OUTCOMES = {
    "in the adopted text": translatable("in the adopted text"),
    "reflected in a paragraph": translatable("reflected in a paragraph"),
    "cited in the summary": translatable("cited in the summary"),
    "grouped in a cluster": translatable("grouped in a cluster"),
    "not taken up": translatable("not taken up"),
    "withdrawn": translatable("withdrawn"),
}
"""What became of an input ("where did our inputs go?"), as `site.thread.inputs.Outcome` says."""

JOB_KINDS = {
    "analysis_run": translatable("analysis run"),
    "inputs_import": translatable("import of inputs"),
    "review_report": translatable("review report"),
    "compilation_docx": translatable("compilation text as Word (DOCX)"),
}
"""What a job does, by its kind (`core.jobs`), as the jobs pages name it."""

JOB_STATES = {
    "queued": translatable("waiting for a worker"),
    "running": translatable("at work"),
    "done": translatable("done"),
    "failed": translatable("failed"),
}
"""A job's state (`core.jobs.models.JobState`), as the jobs pages say it."""

WORDS: dict[str, dict[str, str]] = {
    "role": ROLES,
    "input_status": INPUT_STATUSES,
    "amendment_status": AMENDMENT_STATUSES,
    "amendment_kind": AMENDMENT_KINDS,
    "sponsor_role": SPONSOR_ROLES,
    "paragraph_status": PARAGRAPH_STATUSES,
    "pledge_status": PLEDGE_STATUSES,
    "change": CHANGES,
    "revision_label": REVISION_LABELS,
    "link_origin": LINK_ORIGINS,
    "progress_status": PROGRESS_STATUSES,
    "regional_group": REGIONAL_GROUPS,
    "region": REGIONS,
    "outcome": OUTCOMES,
    "job_kind": JOB_KINDS,
    "job_state": JOB_STATES,
}


def english_word(kind: str, key: str) -> tuple[str, bool]:
    """The English name of a stored key and whether the catalogs know it (else the key itself,
    its underscores as spaces)."""
    name = WORDS.get(kind, {}).get(key)
    if name is None:
        return key.replace("_", " "), False
    return name, True
