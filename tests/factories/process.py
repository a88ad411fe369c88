from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from stocktake.core.permissions import Principal
from stocktake.process.definition import parse_definition
from stocktake.process.models import Process
from stocktake.process.services import get_process, load_process

SYSTEM = Principal.system()
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def gcm(session: Session) -> Process:
    """The GCM process the bare database holds."""
    return get_process(session, "gcm")


def process_from(session: Session, path: Path, *, replace: dict[str, str] | None = None) -> Process:
    """Load a definition file, with text replacements first (e.g. to move a phase's dates)."""
    text = path.read_text(encoding="utf-8")
    for old, new in (replace or {}).items():
        assert old in text, f"{old!r} is not in {path.name}"
        text = text.replace(old, new)
    return load_process(session, parse_definition(text, path.name), by=SYSTEM, source=path.name)
