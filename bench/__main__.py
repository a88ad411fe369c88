"""Run every benchmark on fresh SQLite databases and print a results table for docs/benchmarks.md."""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bench.inputs_import import generate_csv
from stocktake.consultation.files import read_inputs
from stocktake.consultation.services import import_inputs as import_inputs_service
from stocktake.consultation.services.queries import InputFilter, list_inputs
from stocktake.core.db import create_db_engine
from stocktake.core.migrate import upgrade
from stocktake.core.permissions import Principal
from stocktake.demo.generator import load_demo
from stocktake.meetings.models import Participant
from stocktake.meetings.services import get_meeting, participation_figures
from stocktake.process.services import get_process
from stocktake.registry.models import Actor
from stocktake.registry.services import import_actors, read_actors_csv


def measure(label: str, what: str, work: Callable[[], object]) -> str:
    """Wall time of one step, and the process's peak resident memory once it is done."""
    start = time.perf_counter()
    work()
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return f"| {label} | {what} | {elapsed:.2f} s | {peak:.0f} MiB |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--participants", type=int, default=100_000, help="registrations for the figures benchmark"
    )
    parser.add_argument(
        "--organisations", type=int, default=10_000, help="rows for the import benchmark"
    )
    parser.add_argument(
        "--inputs", type=int, default=100_000, help="rows for the inputs import benchmark"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = create_db_engine(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        rows = [
            measure("migrate", "create the schema on an empty database", lambda: upgrade(engine))
        ]
        with Session(engine) as session:
            rows.append(
                measure(
                    "demo",
                    "load the GCM process, registry and demo data (22 meetings, ~10,000 registrations)",
                    lambda: load_demo(session, by=Principal.system()),
                )
            )
            meeting = get_meeting(session, "imrf-2022")
            actors = list(session.scalars(select(Actor.id)))
            session.execute(
                insert(Participant),
                [
                    {
                        "meeting_id": meeting.id,
                        "actor_id": actors[i % len(actors)],
                        "name": f"P{i}",
                        "attended": i % 7 != 0,
                    }
                    for i in range(args.participants)
                ],
            )
            session.commit()
            rows.append(
                measure(
                    "figures",
                    f"participation figures of a meeting with {args.participants:,} more registrations",
                    lambda: participation_figures(session, meeting),
                )
            )
            csv = "code,name,category,country\n" + "".join(
                f"B-{i},Organisation {i},civil_society,KEN\n" for i in range(args.organisations)
            )
            categories = [t.key for t in get_process(session).vocabulary("stakeholder_categories")]
            rows.append(
                measure(
                    "import",
                    f"import {args.organisations:,} organisations from CSV",
                    lambda: import_actors(
                        session,
                        read_actors_csv(csv.encode(), "bench.csv"),
                        by=Principal.system(),
                        categories=categories,
                        source="bench.csv",
                    ),
                )
            )
            submitters = list(
                session.scalars(
                    select(Actor.code).where(Actor.kind.in_(("member_state", "stakeholder")))
                )
            )
            content = generate_csv(args.inputs, submitters)
            process = get_process(session)
            rows.append(
                measure(
                    "inputs",
                    f"import {args.inputs:,} inputs from a {len(content) / 2**20:.0f} MiB CSV (parse, validate, detect language, store, index)",
                    lambda: import_inputs_service(
                        session,
                        process,
                        read_inputs(content, "bench.csv"),
                        by=Principal.system(),
                        source="bench.csv",
                    ),
                )
            )
            rows.append(
                measure(
                    "search",
                    f"search {args.inputs + 2000:,} inputs for two words, first page and count",
                    lambda: list_inputs(
                        session, process, InputFilter(q="portable pensions"), by=Principal.system()
                    ),
                )
            )
        engine.dispose()
    print("| benchmark | what | wall time | peak memory of the process so far |")
    print("|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
