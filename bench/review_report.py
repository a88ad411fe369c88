"""The progress report of a review cycle over a large scope: memory and time.

Run `python -m bench.review_report`; prints a results table for docs/benchmarks.md. It stores the
generated national dataset of `bench.review_sdmx` (170 indicators, about 110,000 observations)
for several countries, opens a global cycle and a national one, and builds each report twice,
measuring with tracemalloc the memory the report's reading of the observations allocates at its
peak and what stays kept for the next request (the report keeps its figures per scope, per
server process, until the data change).
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
import tracemalloc
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from bench.review_sdmx import generate
from stocktake.core.db import create_db_engine
from stocktake.core.migrate import upgrade
from stocktake.core.permissions import Principal
from stocktake.process.definition import default_definition_path, load_definition_file
from stocktake.process.services import load_process
from stocktake.registry.services import load_reference_actors
from stocktake.review.models import Observation
from stocktake.review.services.cycles import create_cycle
from stocktake.review.services.indicators import kept as kept_figures
from stocktake.review.services.report import build_cycle_report

COUNTRIES = ("CAN", "KAZ", "MEX", "PHL", "KEN", "DEU", "BRA", "IND", "NGA")
COLUMNS = "indicator_id, series, unit, period, year, time, value, disaggregation, attributes"


def _copy_country(session: Session, code: str) -> None:
    """The generated dataset again for another country (as if it published the same shape)."""
    session.execute(
        text(
            f"INSERT INTO review_observation (geography, {COLUMNS}) "  # noqa: S608 - fixed names
            f"SELECT :code, {COLUMNS} FROM review_observation WHERE geography = 'GBR'"
        ),
        {"code": code},
    )


def _measure(session: Session, process: object, cycle: object, label: str) -> list[str]:
    rows = []
    for attempt in ("first request", "next request"):
        if attempt == "first request":
            kept_figures._kept.clear()  # a cold server process
        tracemalloc.start()
        start = time.perf_counter()
        report = build_cycle_report(session, process, cycle)  # type: ignore[arg-type]
        elapsed = time.perf_counter() - start
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rows.append(
            f"| {label} | {attempt} | {len(report.coverage)} indicator-countries | "
            f"{elapsed:.2f} s | {peak / 2**20:.0f} MiB | {current / 2**20:.0f} MiB |"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--countries", type=int, default=len(COUNTRIES) + 1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = create_db_engine(f"sqlite:///{Path(folder) / 'report.sqlite3'}")
        upgrade(engine)
        system = Principal.system()
        with Session(engine) as session:
            process = load_process(
                session, load_definition_file(default_definition_path()), by=system, source="gcm"
            )
            load_reference_actors(session, by=system)
            generate(session, 170, 110_000)
            for code in COUNTRIES[: args.countries - 1]:
                _copy_country(session, code)
            session.commit()
            count = session.scalar(select(func.count()).select_from(Observation))
            world = create_cycle(
                session,
                process,
                slug="global",
                title="Global review",
                scope="global",
                start_date=dt.date(2026, 5, 5),
                end_date=dt.date(2026, 5, 8),
                by=system,
            )
            national = create_cycle(
                session,
                process,
                slug="national",
                title="National review",
                scope="national",
                region="GBR",
                start_date=dt.date(2026, 5, 5),
                end_date=dt.date(2026, 5, 8),
                by=system,
            )
            print(f"{count:,} observations of {args.countries} countries")
            print("| scope | request | report | time | peak memory | kept after |")
            print("|---|---|---|---|---|---|")
            for line in _measure(session, process, national, "national (GBR)"):
                print(line)
            for line in _measure(session, process, world, f"global ({args.countries} countries)"):
                print(line)
        engine.dispose()


if __name__ == "__main__":
    main()
