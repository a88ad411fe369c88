"""Which SDG indicators a series code of the UN SDG layout belongs to: the table shipped with
stocktake (`review/data/sdg_series.csv`), or the `Indicator` annotations of the `CL_SERIES` codes
of a global SDG data structure definition the user gives."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.translation import Text

TABLE = Path(__file__).resolve().parents[1] / "data" / "sdg_series.csv"


@cache
def shipped_series() -> dict[str, tuple[str, ...]]:
    """Series code → the dotted codes of its SDG indicators, from the shipped table."""
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return {row["series"]: tuple(row["indicators"].split()) for row in csv.DictReader(handle)}


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def read_structure(path: Path) -> dict[str, tuple[str, ...]]:
    """Series code → SDG indicators, from the `CL_SERIES` codelist of an SDMX structure file;
    ValidationFailed naming the file when it holds no such codelist."""
    from lxml import etree

    found: dict[str, tuple[str, ...]] = {}
    try:
        for _, element in etree.iterparse(
            str(path), events=("end",), resolve_entities=False, no_network=True, huge_tree=True
        ):
            if _local(element.tag) != "Codelist":
                continue
            if element.get("id") == "CL_SERIES":
                for code in element:
                    if _local(code.tag) == "Code" and (codes := _indicators_of(code)):
                        found[str(code.get("id"))] = codes
            element.clear()
    except (etree.XMLSyntaxError, OSError) as exc:
        raise ValidationFailed(
            path.name,
            [
                Problem(
                    path.name, Text("is not an SDMX structure file (%(reason)s)", reason=str(exc))
                )
            ],
        ) from exc
    if not found:
        raise ValidationFailed(
            path.name,
            [
                Problem(
                    path.name,
                    Text(
                        "holds no CL_SERIES codelist with Indicator annotations; expected the "
                        "global SDG data structure definition (IAEG-SDGs:SDG)"
                    ),
                )
            ],
        )
    return found


def _indicators_of(code: object) -> tuple[str, ...]:
    codes = []
    for annotation in code.iter():  # type: ignore[attr-defined]
        if _local(annotation.tag) != "Annotation":
            continue
        parts = {_local(c.tag): (c.text or "").strip() for c in annotation}
        is_indicator = "Indicator" in (parts.get("AnnotationTitle"), parts.get("AnnotationType"))
        if is_indicator and (text := parts.get("AnnotationText")):
            codes.append(text)
    return tuple(dict.fromkeys(codes))
