"""Benchmark the analysis pipeline on generated inputs: 10,000, 100,000 and 1,000,000 by default.

    python -m bench.analysis [--sizes 10000 100000 1000000]
    python -m bench.analysis --sizes 1000000 --dask-workers 0 1 2 4

Each size runs in a fresh process, so its peak memory is its own. With `--dask-workers`, each size
runs once per number given: 0 is the single-machine path, N starts a local Dask cluster of N worker
processes (one thread each) and runs the heavy stages on it; the time counts from the connection to
the cluster, not its start. Inputs are generated like a large
public consultation: a fifth are copies of a few dozen campaign texts with small edits, the rest are
proposals in several languages with varied wording, a third of them made of the halves of two."""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import time

from stocktake.analysis.pipeline import ActorInfo, Context, Doc, run_pipeline
from stocktake.demo.inputs import CAMPAIGN, PROPOSALS, TRANSLATIONS
from stocktake.frameworks.sdg import read_sdg_folder
from stocktake.process.definition import default_definition_path, load_definition_file

FRAMEWORK = "../shared/data/sdg-framework"
FILLERS = [
    "urgently",
    "clearly",
    "fully",
    "effectively",
    "jointly",
    "progressively",
    "also",
    "now",
    "further",
    "everywhere",
]
PLACES = [
    "in all regions",
    "in countries of origin",
    "in transit countries",
    "in destination countries",
    "along the routes",
    "at the local level",
    "at the national level",
]


def generate(count: int, seed: int = 1) -> list[Doc]:
    rng = random.Random(seed)
    actors = [
        ActorInfo(
            f"A{i}",
            f"Actor {i}",
            rng.choice(["member_state", "stakeholder", "stakeholder"]),
            rng.choice(["Africa", "Americas", "Asia", "Europe", "Oceania"]),
            None,
            None,
        )
        for i in range(5000)
    ]
    campaigns = [f"{CAMPAIGN} {rng.choice(PLACES)} ({i})" for i in range(40)]
    translations = [text for texts in TRANSLATIONS.values() for _, text in texts]
    docs = []
    for key in range(count):
        roll = rng.random()
        if roll < 0.2:
            text = rng.choice(campaigns) + rng.choice(
                ["", " Thank you.", " #EndChildDetention", " Please act now."]
            )
        elif roll < 0.3:
            text = f"{rng.choice(translations)} {rng.choice(PLACES)} {key}"
        elif roll < 0.6:
            # a new proposal: the opening of one and the end of another, so that there are many
            # distinct ideas to embed and cluster, not only copies
            first, second = rng.choice(PROPOSALS)[3].split(), rng.choice(PROPOSALS)[3].split()
            text = (
                " ".join(first[: len(first) // 2] + second[len(second) // 2 :])
                + f" {rng.choice(PLACES)}, {rng.choice(FILLERS)}."
            )
        else:
            words = rng.choice(PROPOSALS)[3].split()
            position = rng.randrange(1, len(words))
            words.insert(position, rng.choice(FILLERS))
            text = f"{' '.join(words)} {rng.choice(PLACES)}, proposal {key}."
        docs.append(Doc(key=key, actor=rng.choice(actors), text=text, language="en"))
    return docs


def processor_time() -> float:
    """Processor seconds of this process and, once the cluster has stopped, of its workers."""
    return sum(
        getattr(resource.getrusage(who), field)
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        for field in ("ru_utime", "ru_stime")
    )


def run_one(size: int, dask_workers: int | None = None) -> None:
    definition = load_definition_file(default_definition_path())
    framework = read_sdg_folder(__import__("pathlib").Path(FRAMEWORK))
    docs = generate(size)
    context = Context(definition=definition, framework=framework)
    before = processor_time()
    if dask_workers:
        from distributed import LocalCluster

        from stocktake.analysis.spread import connect

        with (
            LocalCluster(
                n_workers=dask_workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
            ) as cluster,
        ):
            start = time.perf_counter()
            with connect(cluster.scheduler_address) as workers:
                result = run_pipeline(docs, context, workers=workers)
            elapsed = time.perf_counter() - start
    else:
        start = time.perf_counter()
        result = run_pipeline(docs, context)
        elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    used = processor_time() - before
    stages = ", ".join(f"{k} {v:.0f} s" for k, v in result.seconds.items())
    meaning = result.meaning
    embedded = meaning.embedded if meaning else 0
    if dask_workers is not None:
        # the same figures whatever the workers: the groups and ideas found are the same
        print(
            f"| {size:,} | {dask_workers or 'none (this process)'} | {elapsed:.1f} s | {used:.0f} s | {peak:,.0f} MiB | {len(set(result.duplicate_root)):,} | {len(result.clusters):,} | {stages} |",
            flush=True,
        )
        return
    print(
        f"| {size:,} | {elapsed:.1f} s | {peak:,.0f} MiB | {len(result.duplicate_groups()):,} | {len(set(result.duplicate_root)):,} | {embedded:,} | {len(result.clusters):,} | {len(result.themes):,} | {stages} |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument(
        "--dask-workers",
        type=int,
        nargs="+",
        help="run each size with the single-machine path (0) and on local Dask clusters of so many workers",
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--with-workers", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run_one(args.one, args.with_workers)
        return
    if args.dask_workers:
        print(
            "| inputs | Dask workers | wall time | processor time (the analysing process and the workers, with their start) | peak memory (the analysing process) | distinct texts after duplicates | ideas | time per stage |"
        )
        print("|---|---|---|---|---|---|---|---|", flush=True)
        for size in args.sizes:
            for count in args.dask_workers:
                subprocess.run(  # noqa: S603  (this same benchmark, in a fresh process)
                    [
                        sys.executable,
                        "-m",
                        "bench.analysis",
                        "--one",
                        str(size),
                        "--with-workers",
                        str(count),
                    ],
                    check=True,
                )
        return
    print(
        "| inputs | wall time | peak memory | duplicate groups | distinct texts after duplicates | texts embedded | ideas | themes | time per stage |"
    )
    print("|---|---|---|---|---|---|---|---|---|", flush=True)
    for size in args.sizes:
        subprocess.run([sys.executable, "-m", "bench.analysis", "--one", str(size)], check=True)  # noqa: S603  (this same benchmark, in a fresh process)


if __name__ == "__main__":
    main()
