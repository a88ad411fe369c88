"""Benchmark the analysis pipeline on generated inputs: 10,000, 100,000 and 1,000,000 by default.

    python -m bench.analysis [--sizes 10000 100000 1000000]

Each size runs in a fresh process, so its peak memory is its own. Inputs are generated like a large
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


def run_one(size: int) -> None:
    definition = load_definition_file(default_definition_path())
    framework = read_sdg_folder(__import__("pathlib").Path(FRAMEWORK))
    docs = generate(size)
    start = time.perf_counter()
    result = run_pipeline(docs, Context(definition=definition, framework=framework))
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stages = ", ".join(f"{k} {v:.0f} s" for k, v in result.seconds.items())
    meaning = result.meaning
    embedded = meaning.embedded if meaning else 0
    print(
        f"| {size:,} | {elapsed:.1f} s | {peak:,.0f} MiB | {len(result.duplicate_groups()):,} | {len(set(result.duplicate_root)):,} | {embedded:,} | {len(result.clusters):,} | {len(result.themes):,} | {stages} |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run_one(args.one)
        return
    print(
        "| inputs | wall time | peak memory | duplicate groups | distinct texts after duplicates | texts embedded | ideas | themes | time per stage |"
    )
    print("|---|---|---|---|---|---|---|---|---|", flush=True)
    for size in args.sizes:
        subprocess.run([sys.executable, "-m", "bench.analysis", "--one", str(size)], check=True)  # noqa: S603  (this same benchmark, in a fresh process)


if __name__ == "__main__":
    main()
