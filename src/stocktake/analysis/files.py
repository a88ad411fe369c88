"""The analysis as files anyone can check: duplicates.json, tags.csv, clusters.json,
divergences.json and summary.md (formats in docs/analysis.md). Inputs are named by their external id
when they have one. The folder is written whole or not at all."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from stocktake.analysis.pipeline import ActorInfo, Doc, Result
from stocktake.consultation.language import detect_languages
from stocktake.consultation.references import parse_reference
from stocktake.consultation.services import InputData
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.spreadsheets import write_csv
from stocktake.core.translation import Text
from stocktake.process.definition import ProcessDefinition
from stocktake.process.terms import TAG_VOCABULARIES, TagSource, TermReader
from stocktake.registry.reference import organisations, states


def duplicates_json(result: Result) -> dict[str, Any]:
    docs = result.docs
    return {
        "groups": [
            {
                "representative": docs[rows[0]].name,
                "size": len(rows),
                "members": [docs[r].name for r in rows],
                "submitters": len({docs[r].actor.code for r in rows}),
            }
            for rows in result.duplicate_groups()
        ]
    }


def clusters_json(result: Result) -> dict[str, Any]:
    docs = result.docs
    return {
        "clusters": [
            {
                "id": cluster.number,
                "label": cluster.label,
                "representative": docs[cluster.representative].name,
                "representative_text": docs[cluster.representative].text,
                "members": [docs[r].name for r in cluster.rows],
                "ideas": cluster.ideas,
                "dimensions": cluster.dimensions,
                "input_types": cluster.input_types,
                "support": cluster.support.as_dict(),
                "confirmed": cluster.confirmed_key is not None,
            }
            for cluster in result.clusters
        ],
        "themes": [
            {
                "id": theme.number,
                "label": theme.label,
                "representative": docs[theme.representative].name,
                "clusters": theme.clusters,
                "members": [docs[r].name for r in theme.rows],
                "support": theme.support.as_dict(),
            }
            for theme in result.themes
        ],
        "notes": [
            {"input": docs[row].name, "note": note} for row, note in sorted(result.notes.items())
        ],
    }


def divergences_json(result: Result) -> dict[str, Any]:
    docs = result.docs
    return {
        "divergences": [
            {
                "key": d.key,
                "name": d.name,
                "description": d.description,
                "surfaced": d.surfaced,
                "positions": [
                    {
                        "key": p.key,
                        "name": p.name,
                        "inputs": [docs[r].name for r in p.rows],
                        "support": p.support.as_dict(),
                    }
                    for p in d.positions
                ],
            }
            for d in result.divergences
        ]
    }


def write_tags_csv(result: Result, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        write_csv(
            [
                "input",
                "dimensions",
                "input_types",
                "sdg_goals",
                "sdg_targets",
                "confidence",
                "source",
            ],
            (
                [
                    doc.name,
                    ";".join(result.tags["dimensions"][row]),
                    ";".join(result.tags["input_types"][row]),
                    ";".join(result.goals[row]),
                    ";".join(result.targets[row]),
                    f"{result.tag_confidence[row]:.3f}",
                    TagSource.weakest([result.tag_source[v][row] for v in result.tag_source]).value,
                ]
                for row, doc in enumerate(result.docs)
            ),
            handle,
        )


def write_outputs(result: Result, summary_markdown: str, folder: Path) -> None:
    """Write the five files into `folder`, replacing what was there only once all are written."""
    folder = folder.resolve()
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        for name, data in (
            ("duplicates.json", duplicates_json(result)),
            ("clusters.json", clusters_json(result)),
            ("divergences.json", divergences_json(result)),
        ):
            (staging / name).write_text(
                json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
        write_tags_csv(result, staging / "tags.csv")
        (staging / "summary.md").write_text(summary_markdown, encoding="utf-8")
        previous = folder.with_name(f".{folder.name}-previous")
        if folder.exists():
            shutil.rmtree(previous, ignore_errors=True)
            folder.rename(previous)
        staging.rename(folder)
        shutil.rmtree(previous, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _reference_actors() -> dict[str, ActorInfo]:
    known: dict[str, ActorInfo] = {}
    for state in states():
        kind = "member_state" if state.member else "observer_state"
        info = ActorInfo(state.iso3, state.name, kind, state.region, state.regional_group)
        known[state.iso3.casefold()] = known[state.name.casefold()] = info
    for org in organisations():
        info = ActorInfo(org.code, org.name, org.kind)
        known[org.code.casefold()] = known[org.name.casefold()] = info
    return known


def docs_from_rows(
    rows: list[tuple[str, InputData]], definition: ProcessDefinition, source: str
) -> list[Doc]:
    """Documents from the rows of an import file, without a database. Submitters are matched to the
    reference registry (states, UN entities, IGOs) by code or name; anyone else counts as a
    non-governmental stakeholder. A bad row refuses the file, naming the row and field."""
    known = _reference_actors()
    terms = TermReader(definition)
    codes = {item.code for item in definition.instruments}
    problems: list[Problem] = []
    docs = []
    for number, (where, data) in enumerate(rows, start=1):
        text = data.text.strip()
        problems.extend(
            Problem(f"{where}, field {name}", Text("is empty"))
            for name in ("text", "submitter")
            if not getattr(data, name).strip()
        )

        def bad(name: str, message: str, where: str = where) -> None:
            problems.append(Problem(f"{where}, field {name}", message))

        given = {
            name: keys
            for name in TAG_VOCABULARIES
            if (keys := terms.keys(name, getattr(data, name), bad))
        }
        references = []
        for value in data.references:
            parsed = parse_reference(value, codes)
            if parsed is None:
                problems.append(
                    Problem(
                        f"{where}, field references",
                        Text("%(value)r is not a known reference", value=value.strip()),
                    )
                )
            elif parsed[0] == "sdg":
                references.append(parsed[1])
        key = data.submitter.strip()
        docs.append(
            Doc(
                key=number,
                actor=known.get(key.casefold()) or ActorInfo(key, key, "stakeholder"),
                text=text,
                title=data.title.strip(),
                language=data.language.strip().lower() or "",
                external_id=data.external_id.strip() or None,
                given=given,
                references=references,
            )
        )
    if problems:
        raise ValidationFailed(source, problems)
    missing = [doc for doc in docs if not doc.language]
    for doc, language in zip(missing, detect_languages([d.text for d in missing]), strict=True):
        doc.language = language
    return docs
