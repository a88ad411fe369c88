"""Files of a draft: a revision (DOCX, HTML, Markdown, Akoma Ntoso), the compilation text
(HTML, Markdown, DOCX, Akoma Ntoso), an amendment (Akoma Ntoso) and a comparison of two
revisions (HTML, Markdown, DOCX)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session, object_session

from stocktake.core.errors import NotFound, Problem, ValidationFailed
from stocktake.core.permissions import Principal
from stocktake.core.translation import Text, translatable, translated
from stocktake.negotiation.formats.akn import to_akn
from stocktake.negotiation.formats.akn_amendment import AmendmentPaper, Sponsor, amendment_akn
from stocktake.negotiation.formats.akn_papers import compilation_akn
from stocktake.negotiation.formats.compare import (
    Compared,
    compare_nodes,
    comparison_document,
    comparison_docx,
    comparison_markdown,
)
from stocktake.negotiation.formats.compilation import Compilation, compile_text
from stocktake.negotiation.formats.languages import (
    akn_in_language,
    docx_in_language,
    html_in_language,
)
from stocktake.negotiation.formats.office import Paper
from stocktake.negotiation.formats.writing import (
    compilation_document,
    compilation_docx,
    compilation_markdown,
    html_document,
    text_docx,
    text_html,
    text_markdown,
)
from stocktake.negotiation.models import Amendment, Draft, DraftRevision, PositionRole
from stocktake.negotiation.services import (
    reads_working_text,
    require_working_text,
    revision_nodes,
    revision_of,
    working_nodes,
)
from stocktake.negotiation.services.languages import nodes_in
from stocktake.negotiation.services.queries import pending_views
from stocktake.negotiation.text import Node
from stocktake.negotiation.titles import plain_title
from stocktake.process.models import Process
from stocktake.process.services import process_name_of
from stocktake.registry.names import actor_name

MEDIA = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "akn": "application/akn+xml",
}
MEDIA["tracked"] = MEDIA["docx"]
SUFFIX = {"md": "md", "html": "html", "docx": "docx", "akn": "xml", "tracked": "docx"}
TEXT_FORMATS = ("docx", "html", "md", "akn")
COMPILATION_FORMATS = ("html", "md", "docx", "akn")
AMENDMENT_FORMATS = ("akn",)
COMPARISON_FORMATS = ("html", "md", "docx", "tracked")
"""`tracked`: a DOCX of Word's tracked changes, beside `docx`, the formatted redline."""


def paper_of(
    draft: Draft, revision: DraftRevision | None = None, language: str | None = None
) -> Paper:
    """The header and layout of a draft's papers: its symbol (with /Rev.N for a revision after
    the zero draft), distribution, its date or the revision's, original language, paper size;
    and the paper's own language when it is one of the text's language versions."""
    symbol = draft.symbol or ""
    if symbol and revision is not None and revision.number > 0:
        symbol += "/" + revision.label.replace(" ", "")
    date = draft.dated or (revision.issued_at.date() if revision is not None else None)
    return Paper(
        symbol=symbol,
        distribution=draft.distribution,
        date=date,
        language=draft.language,
        size=draft.paper,
        line_numbers=draft.line_numbers,
        written_in=language if language and language != draft.language else None,
        author=process_name_of(draft),
    )


WORKS_ON = {
    "compilation": translatable("%(symbol)s — compilation text"),
    "comparison": translatable("%(symbol)s — comparison with %(old)s"),
}
"""What heads a paper without a symbol of its own: the symbol of the text it works on."""


def _works_on(paper: Paper, what: str, **symbols: str) -> str:
    if not all(symbols.values()):  # a draft without a symbol: nothing to name, none invented
        return ""
    return translated(WORKS_ON[what], paper.written_in or paper.language) % symbols


def compilation_paper(
    draft: Draft,
    day: dt.date | None = None,
    language: str | None = None,
    *,
    compiled: bool = False,
) -> Paper:
    """The header of a compilation text (`compiled`), an amendment list or a list of decisions
    (in `language`, the original's by default): no symbol (they are not the draft whose symbol
    it bears, nor one of its revisions), dated the day they compile amendments or decisions to
    (today when no `day` is given). A compilation text names at its head the symbol of the
    revision its amendments were tabled on ("A/CONF.231/3/Rev.1 — compilation text")."""
    paper = paper_of(draft, language=language)
    works_on = ""
    if compiled:
        base = paper_of(draft, draft.revisions[-1] if draft.revisions else None).symbol
        works_on = _works_on(paper, "compilation", symbol=base)
    return replace(paper, symbol="", works_on=works_on, date=day or dt.datetime.now(dt.UTC).date())


def comparison_paper(
    draft: Draft, new: DraftRevision, language: str | None, old: DraftRevision | None = None
) -> Paper:
    """The header of a comparison: no symbol (it is not the newer revision itself), dated as the
    newer revision; at its head the newer revision's symbol and the older's ("A/CONF.231/3/Rev.1
    — comparison with A/CONF.231/3"), which its title's line names too (`comparison_stage`)."""
    paper = paper_of(draft, new, language)
    works_on = ""
    if old is not None:
        symbols = {"symbol": paper.symbol, "old": paper_of(draft, old).symbol}
        works_on = _works_on(paper, "comparison", **symbols)
    return replace(paper, symbol="", works_on=works_on, date=new.issued_at.date())


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    name: str
    media_type: str


def _check(fmt: str, allowed: tuple[str, ...]) -> None:
    if fmt not in allowed:
        raise ValidationFailed(
            "export",
            [
                Problem(
                    "format",
                    Text(
                        "unknown format %(format)r; use %(formats)s",
                        format=fmt,
                        formats=", ".join(allowed),
                    ),
                )
            ],
        )


def parse_revision(draft: Draft, value: str) -> DraftRevision:
    """A revision by number (0 is the zero draft) or label: 'zero', 'Rev.2', 'final'."""
    key = value.strip().lower().replace(" ", "")
    for revision in draft.revisions:
        label = revision.label.lower().replace(" ", "")
        if key in (str(revision.number), label, label.removeprefix("rev.")) or (
            key in ("zero", "zerodraft") and revision.number == 0
        ):
            return revision
    raise NotFound(Text("revision"), value)


def readable_revisions(
    session: Session, process: Process, draft: Draft, by: Principal
) -> list[DraftRevision]:
    """The revisions a reader may name and open: every issued one for working-text readers, the
    published one for everyone else (an issued revision is not public until it is published)."""
    if reads_working_text(session, process, by):
        return list(draft.revisions)
    return [r for r in draft.revisions if r.number == draft.published_revision]


def readable_revision(
    session: Session, process: Process, draft: Draft, by: Principal, number: int | None
) -> DraftRevision | None:
    """The revision this principal reads: any (the latest by default) for working-text readers,
    the published one for everyone else; None when nothing is issued yet."""
    if reads_working_text(session, process, by):
        if number is not None:
            return revision_of(draft, number)
        return draft.revisions[-1] if draft.revisions else None
    if draft.published_revision is None or (
        number is not None and number != draft.published_revision
    ):
        raise NotFound(Text("revision"), number if number is not None else "published")
    return revision_of(draft, draft.published_revision)


def text_of(draft: Draft, revision: DraftRevision | None) -> tuple[list[Node], str]:
    if revision is None:
        return working_nodes(draft), "Working text"
    return revision_nodes(revision), revision.label


def language_text(
    draft: Draft, revision: DraftRevision | None, language: str | None
) -> tuple[list[Node], str, str]:
    """A revision's (or the working text's) elements and title in a language (the original when
    none is asked for) and that language's code."""
    session = object_session(draft)
    assert session is not None  # a draft is always read through a session
    language = language.strip().lower() if language else draft.language
    nodes, title = nodes_in(session, draft, revision, language)
    return nodes, title, language


def _suffix(draft: Draft, language: str) -> str:
    return "" if language == draft.language else f"-{language}"


def export_text(
    process: Process,
    draft: Draft,
    revision: DraftRevision | None,
    fmt: str,
    *,
    language: str | None = None,
) -> ExportFile:
    """A revision as a file, in the original or in one of its language versions."""
    _check(fmt, TEXT_FORMATS)
    label = text_of(draft, revision)[1]
    nodes, name, language = language_text(draft, revision, language)
    name = plain_title(name)
    title = f"{name} ({label})"
    if fmt == "akn":
        date = (revision.issued_at if revision else draft.updated_at).date()
        content = to_akn(
            title=name,
            nodes=nodes,
            process=process.slug,
            draft_id=draft.id,
            revision=label,
            language=language,
            date=date,
        )
        content = akn_in_language(content, language)
    elif fmt == "docx":
        paper = paper_of(draft, revision, language)
        content = docx_in_language(text_docx(title, nodes, paper), language)
    elif fmt == "html":
        content = html_in_language(html_document(title, text_html(nodes)), language).encode()
    else:
        content = text_markdown(title, nodes, language).encode()
    slug = label.lower().replace(" ", "-").replace(".", "") + _suffix(draft, language)
    return ExportFile(content, f"draft-{draft.id}-{slug}.{SUFFIX[fmt]}", MEDIA[fmt])


def compilation_of(
    session: Session, process: Process, draft: Draft, *, by: Principal
) -> Compilation:
    require_working_text(session, process, by)
    nodes = working_nodes(draft)
    views = pending_views(session, draft, draft.language)
    return compile_text(draft.title, nodes, views, draft.language)


def _slug(draft: Draft) -> str:
    session = object_session(draft)
    process = session.get(Process, draft.process_id) if session is not None else None
    return process.slug if process is not None else "process"


def export_compilation(compilation: Compilation, draft: Draft, fmt: str) -> ExportFile:
    _check(fmt, COMPILATION_FORMATS)
    if fmt == "akn":
        content = compilation_akn(
            compilation,
            process=_slug(draft),
            draft_id=draft.id,
            language=draft.language,
            date=draft.updated_at.date(),
        )
    elif fmt == "docx":
        paper = compilation_paper(draft, compilation.made_on, compiled=True)
        content = compilation_docx(compilation, paper)
    elif fmt == "html":
        content = html_in_language(compilation_document(compilation), draft.language).encode()
    else:
        content = compilation_markdown(compilation).encode()
    return ExportFile(content, f"draft-{draft.id}-compilation.{SUFFIX[fmt]}", MEDIA[fmt])


def export_amendment(draft: Draft, amendment: Amendment, fmt: str = "akn") -> ExportFile:
    """An amendment as an Akoma Ntoso `amendment` document, pointing into the working text, in
    the draft's language with its sponsors by name."""
    _check(fmt, AMENDMENT_FORMATS)
    roles = (PositionRole.SPONSOR.value, PositionRole.CO_SPONSOR.value)
    paper = AmendmentPaper(
        number=amendment.number,
        kind=amendment.kind,
        target_eid=amendment.target_eid,
        quoted=amendment.quoted,
        occurrence=amendment.occurrence,
        placement=amendment.placement,
        new_text=amendment.new_text,
        status=amendment.status,
        justification=amendment.justification,
        tabled=amendment.created_at.date(),
        sponsors=[
            Sponsor(p.actor.code, actor_name(p.actor, draft.language), p.role)
            for p in amendment.positions
            if p.role in roles
        ],
        destination_eid=amendment.destination_eid,
    )
    content = amendment_akn(
        paper,
        title=draft.title,
        nodes=working_nodes(draft),
        process=_slug(draft),
        draft_id=draft.id,
        language=draft.language,
    )
    name = f"draft-{draft.id}-amendment-{amendment.number}.{SUFFIX[fmt]}"
    return ExportFile(content, name, MEDIA[fmt])


def comparison_of(
    old: DraftRevision, new: DraftRevision, language: str | None = None
) -> list[Compared]:
    """Two revisions compared, in the original or in a language both have a version in."""
    if not language or language == old.draft.language:
        return compare_nodes(revision_nodes(old), revision_nodes(new))
    return compare_nodes(
        language_text(old.draft, old, language)[0], language_text(new.draft, new, language)[0]
    )


REVISION_WORDS = {"Zero draft": translatable("Zero draft"), "Final": translatable("Final")}
"""The revisions' labels that are words ("Rev.1" is a symbol, the same in every language)."""


def comparison_stage(draft: Draft, old: DraftRevision, new: DraftRevision, language: str) -> str:
    """What a comparison compares, under its title, in its language: "Zero draft
    (A/CONF.231/3) compared with Rev.1 (A/CONF.231/3/Rev.1)"."""

    def named(revision: DraftRevision) -> str:
        label = translated(REVISION_WORDS.get(revision.label, revision.label), language)
        symbol = paper_of(draft, revision).symbol
        return f"{label} ({symbol})" if symbol else label

    said = translated(translatable("%(old)s compared with %(new)s"), language)
    return said % {"old": named(old), "new": named(new)}


def export_comparison(
    draft: Draft,
    old: DraftRevision,
    new: DraftRevision,
    fmt: str,
    *,
    side_by_side: bool = False,
    language: str | None = None,
) -> ExportFile:
    _check(fmt, COMPARISON_FORMATS)
    rows = comparison_of(old, new, language)
    _, name, language = language_text(draft, new, language)
    stage = comparison_stage(draft, old, new, language)
    if fmt in ("docx", "tracked"):
        # a tracked comparison reads back as the newer text: nothing but the text under its
        # title, and no symbol in its header, not even the stand-in of the formatted redline
        as_tracked = fmt == "tracked"
        paper = comparison_paper(draft, new, language, None if as_tracked else old)
        read_back = "" if as_tracked else stage
        content = comparison_docx(
            name,
            rows,
            paper,
            tracked=as_tracked,
            date=new.issued_at,
            stage=read_back,
            language=language,
        )
        content = docx_in_language(content, language)
    elif fmt == "html":
        content = html_in_language(
            comparison_document(
                name, rows, side_by_side=side_by_side, stage=stage, language=language
            ),
            language,
        ).encode()
    else:
        content = comparison_markdown(name, rows, stage=stage, language=language).encode()
    tracked = "-tracked" if fmt == "tracked" else ""
    suffix = _suffix(draft, language)
    name = f"draft-{draft.id}-compare-{old.number}-{new.number}{tracked}{suffix}.{SUFFIX[fmt]}"
    return ExportFile(content, name, MEDIA[fmt])
