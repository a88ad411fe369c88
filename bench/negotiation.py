"""A 300-paragraph draft with 5,000 amendments: compilation text, a revision, a comparison.

Run `python -m bench.negotiation`; prints a results table for docs/benchmarks.md. The draft is
imported through the service; the amendments are stored in bulk (anchored on words that are in
their paragraphs), then the secretariat accepts 500 and issues Rev.1.
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from stocktake.core.db import create_db_engine
from stocktake.core.migrate import upgrade
from stocktake.core.permissions import Principal
from stocktake.negotiation.exports import (
    comparison_of,
    compilation_of,
    export_comparison,
    export_compilation,
)
from stocktake.negotiation.formats.compare import redline_html
from stocktake.negotiation.formats.reading import read_text
from stocktake.negotiation.formats.writing import compilation_html
from stocktake.negotiation.models import Amendment, AmendmentPosition, Draft
from stocktake.negotiation.services import import_draft, issue_revision, working_nodes
from stocktake.process.definition import default_definition_path, load_definition_file
from stocktake.process.services import load_process
from stocktake.registry.models import Actor
from stocktake.registry.services import load_reference_actors

SYSTEM = Principal.system()
WORDS = [
    "migrants",
    "States",
    "cooperation",
    "data",
    "safe",
    "orderly",
    "regular",
    "migration",
    "rights",
    "protection",
    "labour",
    "mobility",
    "recruitment",
    "decent",
    "work",
    "return",
    "readmission",
    "borders",
    "information",
    "services",
    "inclusion",
    "remittances",
    "skills",
    "partnerships",
    "review",
    "implementation",
    "national",
    "regional",
    "global",
]


def measure(label: str, what: str, work: Callable[[], object]) -> tuple[str, object]:
    """Wall time and CPU time (the machine is shared: CPU time is what the work itself costs)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = work()
    elapsed, used = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return f"| {label} | {what} | {elapsed:.2f} s | {used:.2f} s | {peak:.0f} MiB |", result


def draft_text(paragraphs: int, rng: random.Random) -> str:
    lines = ["# A long negotiation text", ""]
    lines += [
        f"Recalling resolution {n} on {rng.choice(WORDS)} and {rng.choice(WORDS)},"
        for n in range(1, 11)
    ]
    lines.append("")
    for number in range(1, paragraphs + 1):
        if number % 12 == 1:
            lines += ["", f"## Objective {number // 12 + 1}", ""]
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(35, 70)))
        lines += ["", f"{number}. We commit to {words}."]
        if number % 5 == 0:
            lines += [f"(a) {' '.join(rng.choice(WORDS) for _ in range(12))};"]
            lines += [f"(b) {' '.join(rng.choice(WORDS) for _ in range(12))}."]
    return "\n".join(lines) + "\n"


def amendments(
    session: Session, draft: Draft, count: int, rng: random.Random
) -> list[dict[str, Any]]:
    nodes = [n for n in working_nodes(draft) if n.kind in ("paragraph", "preamble", "point")]
    states = list(session.scalars(select(Actor.id).where(Actor.kind == "member_state")))
    rows = []
    kinds = ["replace"] * 3 + ["insert"] * 2 + ["delete", "alternative", "add_paragraph"]
    kinds += ["delete_paragraph", "move_paragraph"]
    for number in range(1, count + 1):
        node = rng.choice(nodes)
        words = node.text.split()
        start = rng.randrange(max(1, len(words) - 3))
        quoted = " ".join(words[start : start + rng.randint(1, 3)])
        kind = rng.choice(kinds)
        rows.append(
            {
                "draft_id": draft.id,
                "number": number,
                "kind": kind,
                "target_eid": node.eid,
                "quoted": quoted if kind in ("replace", "insert", "delete") else "",
                "occurrence": 1,
                "placement": "after",
                "new_text": " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 12))),
                "new_kind": "paragraph",
                "destination_eid": rng.choice(nodes).eid if kind == "move_paragraph" else None,
                "justification": "",
                "status": rng.choice(["proposed", "proposed", "under_discussion"]),
                "anchor_start": node.text.find(quoted),
                "in_conflict": False,
                "conflict_reason": "",
                "proposed_by": "bench",
                "version": 1,
                "sponsor": rng.choice(states),
                "supporters": rng.sample(states, rng.randint(0, 3)),
            }
        )
    return rows


def store(session: Session, draft: Draft, rows: list[dict[str, Any]]) -> None:
    people = [(r.pop("sponsor"), r.pop("supporters")) for r in rows]
    session.execute(insert(Amendment), rows)
    query = select(Amendment.number, Amendment.id).where(Amendment.draft_id == draft.id)
    ids = {row[0]: row[1] for row in session.execute(query)}
    positions = []
    for row, (sponsor, supporters) in zip(rows, people, strict=True):
        positions.append(
            {"amendment_id": ids[row["number"]], "actor_id": sponsor, "role": "sponsor"}
        )
        positions += [
            {"amendment_id": ids[row["number"]], "actor_id": s, "role": "supporter"}
            for s in supporters
            if s != sponsor
        ]
    session.execute(insert(AmendmentPosition), positions)
    draft.next_amendment = len(rows) + 1
    session.commit()


def accept(session: Session, draft: Draft, count: int) -> None:
    """The secretariat accepts the first word-level amendment of `count` paragraphs (so that one
    accepted amendment never quotes words another has already changed)."""
    seen: set[str] = set()
    for amendment in session.scalars(
        select(Amendment)
        .where(Amendment.draft_id == draft.id, Amendment.kind == "replace")
        .order_by(Amendment.number)
    ):
        if amendment.target_eid in seen:
            continue
        seen.add(amendment.target_eid)
        amendment.status = "accepted"
        if len(seen) == count:
            break
    session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--paragraphs", type=int, default=300)
    parser.add_argument("--amendments", type=int, default=5_000)
    args = parser.parse_args()
    rng = random.Random(20180205)
    with tempfile.TemporaryDirectory() as folder:
        engine = create_db_engine(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        upgrade(engine)
        with Session(engine, expire_on_commit=False) as session:
            process = load_process(
                session, load_definition_file(default_definition_path()), by=SYSTEM, source="gcm"
            )
            load_reference_actors(session, by=SYSTEM)
            text = draft_text(args.paragraphs, rng)
            line, draft = measure(
                "import",
                f"import a {args.paragraphs}-paragraph draft from Markdown",
                lambda: import_draft(session, process, read_text(text), by=SYSTEM, source="bench"),
            )
            assert isinstance(draft, Draft)
            table = [line]
            issue_revision(session, draft, by=SYSTEM)
            store(session, draft, amendments(session, draft, args.amendments, rng))

            def compile_page() -> int:
                compilation = compilation_of(session, process, draft, by=SYSTEM)
                return len(compilation_html(compilation))

            table.append(
                measure(
                    "compilation",
                    f"compilation text of {args.amendments:,} amendments as the page's HTML",
                    compile_page,
                )[0]
            )
            compilation = compilation_of(session, process, draft, by=SYSTEM)
            table.append(
                measure(
                    "compilation DOCX",
                    "the same compilation text as a DOCX file",
                    lambda: export_compilation(compilation, draft, "docx"),
                )[0]
            )
            accept(session, draft, 150)
            table.append(
                measure(
                    "revision",
                    "issue Rev.1 with 150 accepted amendments, re-anchoring the pending ones",
                    lambda: issue_revision(session, draft, by=SYSTEM),
                )[0]
            )
            zero, first = draft.revisions[0], draft.revisions[-1]
            table.append(
                measure(
                    "compare",
                    "compare the zero draft with Rev.1 word by word, as the page's redline",
                    lambda: len(redline_html(comparison_of(zero, first))),
                )[0]
            )
            table.append(
                measure(
                    "compare DOCX",
                    "the same comparison as a DOCX file",
                    lambda: export_comparison(draft, zero, first, "docx"),
                )[0]
            )
        engine.dispose()
    print("| benchmark | what | wall time | CPU time | peak memory of the process so far |")
    print("|---|---|---|---|---|")
    for line in table:
        print(line)


if __name__ == "__main__":
    main()
