"""Import a generated file of many inputs into a database that holds the GCM demo."""

from __future__ import annotations

import csv
import io
import random

from stocktake.demo.inputs import PROPOSALS, TRANSLATIONS

LANGUAGE_TEXTS = [text for texts in TRANSLATIONS.values() for _, text in texts]


def generate_csv(rows: int, submitters: list[str], seed: int = 7) -> bytes:
    """A CSV in the documented import format: unique texts, several languages, tags and references."""
    rng = random.Random(seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["external_id", "submitter", "title", "text", "dimensions", "input_types", "references"]
    )
    for number in range(rows):
        dimension, input_type, references, text = rng.choice(PROPOSALS)
        if rng.random() < 0.15:
            text = rng.choice(LANGUAGE_TEXTS)
        writer.writerow(
            [
                f"B-{number:07d}",
                rng.choice(submitters),
                "",
                f"{text} (submission {number})",
                dimension,
                input_type,
                "; ".join(references),
            ]
        )
    return buffer.getvalue().encode()
