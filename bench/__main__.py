"""Run every benchmark on fresh SQLite databases and print a results table for docs/benchmarks.md."""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

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
    tracemalloc.start()
    start = time.perf_counter()
    work()
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return f"| {label} | {what} | {elapsed:.2f} s | {peak / 2**20:.0f} MiB |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--participants", type=int, default=100_000, help="registrations for the figures benchmark"
    )
    parser.add_argument(
        "--organisations", type=int, default=10_000, help="rows for the import benchmark"
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
        engine.dispose()
    print("| benchmark | what | wall time | peak memory (Python heap) |")
    print("|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
