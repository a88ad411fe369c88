"""A whole national SDG dataset exported as SDMX-ML in the UN SDG layout, read back with sdmx1
and imported again.

Run `python -m bench.review_sdmx`; prints a results table for docs/benchmarks.md. The dataset
has the size of a real national Open SDG platform: 170 indicators and about 110,000
observations over 100 breakdown columns (each indicator uses up to four of them, some with two
units or several series, a third of the observations with attributes). Each step runs as the
command a user types, in a process of its own, so its peak memory is its own.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.orm import Session

from stocktake.core.db import create_db_engine
from stocktake.core.migrate import upgrade
from stocktake.review.models import Indicator, Observation

YEARS = range(2000, 2024)
BREAKDOWNS = [f"Breakdown {n:03d}" for n in range(96)] + ["SEX", "AGE", "URBANISATION", "Region"]


def generate(session: Session, indicators: int, observations: int, seed: int = 19) -> int:
    """Store the indicators and their observations, each key and period once as a platform
    publishes them; returns how many observations."""
    rng = random.Random(seed)
    stored = 0
    for n in range(indicators):
        indicator = Indicator(
            code=f"{n // 10 + 1}-{n % 10 + 1}-1",
            sdg_code=f"{n // 10 + 1}.{n % 10 + 1}.1",
            title=f"Indicator {n}",
            level="global",
            series_codes=[],
            meta={},
        )
        session.add(indicator)
        session.flush()
        used = rng.sample(BREAKDOWNS, rng.randint(1, 4))
        units = ["Percentage", "Number"][: rng.randint(1, 2)]
        series = [f"SE_SERIES_{n}_{s}" for s in range(rng.randint(1, 3))]
        values = [[None, *(f"{b} value {v}" for v in range(rng.randint(2, 6)))] for b in used]
        combos = list(itertools.product(series, units, *values))
        rng.shuffle(combos)
        wanted = (observations - stored) // (indicators - n)
        rows = []
        for combo in combos[: max(1, wanted // len(YEARS))]:
            breakdown = {b: v for b, v in zip(used, combo[2:], strict=True) if v is not None}
            for k, year in enumerate(YEARS):
                rows.append(
                    {
                        "indicator_id": indicator.id,
                        "geography": "GBR",
                        "series": combo[0],
                        "unit": combo[1],
                        "period": str(year),
                        "year": year,
                        "time": float(year),
                        "value": round(rng.uniform(0, 1000), 2),
                        "disaggregation": breakdown,
                        "attributes": {"OBS_STATUS": "A", "COMMENT_OBS": f"Note {k % 7}"}
                        if k % 3 == 0
                        else {},
                    }
                )
        session.execute(insert(Observation), rows)
        stored += len(rows)
    session.commit()
    return stored


def run(label: str, what: str, command: list[str], env: dict[str, str]) -> str:
    """Wall time of one command in a process of its own, and that process's peak memory."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(  # noqa: S603  (stocktake's own commands and this interpreter)
        command, env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{label} failed:\n{done.stdout}\n{done.stderr}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    peak = after.ru_maxrss
    note = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    shown = f"{peak / 1024:.0f} MiB" if peak > before.ru_maxrss else "below an earlier step's"
    return f"| {label} | {what} ({note}) | {elapsed:.1f} s | {cpu:.1f} s | {shown} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--indicators", type=int, default=170)
    parser.add_argument("--observations", type=int, default=110_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        engine = create_db_engine(url)
        upgrade(engine)
        with Session(engine) as session:
            count = generate(session, args.indicators, args.observations)
        engine.dispose()
        env = {**os.environ, "STOCKTAKE_DATABASE_URL": url}
        out = Path(folder) / "national.xml"
        stocktake = [str(Path(sys.executable).parent / "stocktake")]
        rows = [
            run(
                "SDMX export",
                f"{count:,} observations of {args.indicators} indicators",
                [*stocktake, "review", "export", "--format", "sdmx", "--out", str(out)],
                env,
            )
        ]
        size = out.stat().st_size / 2**20
        read_back = (
            "import sys, sdmx\n"
            "with open(sys.argv[1], 'rb') as f: m = sdmx.read_sdmx(f)\n"
            "print(f'{sum(len(d.obs) for d in m.data):,} observations read')\n"
        )
        rows.append(
            run(
                "read back",
                f"the {size:.0f} MiB file with sdmx1",
                [sys.executable, "-c", read_back, str(out)],
                env,
            )
        )
        rows.append(
            run(
                "SDMX import",
                "the same file imported again, replacing the stored observations",
                [*stocktake, "review", "import-sdmx", str(out)],
                env,
            )
        )
    print("| benchmark | what | wall time | CPU time | peak memory of the process |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
