"""The jobs' files, in one folder that every server and worker reads (`jobs_dir`, by default
data_dir/jobs): an upload kept until its job has read it (`uploads/`), and the documents jobs made
(`made/`), each written once, whole, under its job's number, and never changed after."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from stocktake.config import Settings
from stocktake.core.jobs.models import Job, JobState

UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def jobs_folder(settings: Settings) -> Path:
    return (settings.jobs_dir or settings.data_dir / "jobs").resolve()


def _written(path: Path, content: bytes) -> Path:
    """The whole file appears at once, or none (written beside it, then renamed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.part")
    partial.write_bytes(content)
    partial.replace(path)
    return path


def keep_upload(folder: Path, content: bytes, name: str) -> Path:
    """Keep an uploaded file for the job that reads it, under a name no other upload takes."""
    safe = UNSAFE.sub("_", Path(name).name).strip("._")[-80:] or "upload"
    return _written(folder / "uploads" / f"{uuid.uuid4().hex}-{safe}", content)


def made_folder(settings: Settings) -> Path:
    """Where the jobs write the documents they make (a job records it in its arguments)."""
    return jobs_folder(settings) / "made"


def write_made(folder: Path, name: str, content: bytes) -> Path:
    """Write a document a job made; one that is already there is kept as it is (a job taken over
    after its first attempt wrote it: the file never changes once written)."""
    path = folder / name
    return path if path.is_file() else _written(path, content)


def made_path(job: Job) -> Path | None:
    """The file a done job made (its result's `file`, in its `folder`), if it is still there."""
    name = (job.result or {}).get("file")
    folder = (job.arguments or {}).get("folder")
    if job.state != JobState.DONE or not name or not folder:
        return None
    path = Path(folder) / str(name)
    return path if path.is_file() else None
