"""Import and read frameworks."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import transaction
from stocktake.core.permissions import Permission, Principal, require
from stocktake.frameworks.models import FrameworkItem
from stocktake.frameworks.sdg import SdgFramework, SdgItem, read_sdg_folder

REFERENCE_SDG = Path(__file__).resolve().parent.parent / "data" / "sdg"
"""The SDG framework shipped with the package (Open SDG translations, MIT; see its README.md)."""


def import_sdg_framework(session: Session, folder: Path, *, by: Principal) -> tuple[int, int]:
    """Create or update the SDG goals, targets and indicators from an Open SDG translations folder.
    Returns (created, updated)."""
    require(by, Permission.FRAMEWORKS_IMPORT)
    framework = read_sdg_folder(folder)
    existing = {
        item.code: item
        for item in session.scalars(select(FrameworkItem).where(FrameworkItem.scheme == "sdg"))
    }
    created = updated = 0
    with transaction(session):
        for code, item in framework.items.items():
            row = existing.get(code)
            if row is None:
                row = FrameworkItem(scheme="sdg", code=code)
                session.add(row)
                created += 1
            elif (row.texts, row.short, row.level, row.parent_code) != (
                item.texts,
                item.short,
                item.level,
                item.parent_code,
            ):
                updated += 1
            row.level, row.parent_code, row.texts, row.short = (
                item.level,
                item.parent_code,
                item.texts,
                item.short,
            )
        if created or updated:
            record_event(
                session,
                by=by,
                action=AuditAction.FRAMEWORK_IMPORTED,
                target_type="framework",
                target_key="sdg",
                summary=f"SDG framework from {folder.name}: {created} created, {updated} updated",
                changes={"languages": framework.languages, "created": created, "updated": updated},
            )
    return created, updated


def load_reference_framework(session: Session, *, by: Principal) -> tuple[int, int]:
    """Create or update the SDG framework from the copy shipped with the package, in six languages."""
    return import_sdg_framework(session, REFERENCE_SDG, by=by)


def stored_sdg_framework(session: Session) -> SdgFramework:
    framework = SdgFramework()
    languages: set[str] = set()
    for row in session.scalars(select(FrameworkItem).where(FrameworkItem.scheme == "sdg")):
        framework.items[row.code] = SdgItem(
            level=row.level,
            code=row.code,
            parent_code=row.parent_code,
            texts=dict(row.texts),
            short=dict(row.short),
        )
        languages.update(row.texts)
    framework.languages = sorted(languages)
    return framework


def list_items(session: Session, level: str | None = None, *, by: Principal) -> list[FrameworkItem]:
    require(by, Permission.PROCESS_READ)
    query = select(FrameworkItem).where(FrameworkItem.scheme == "sdg")
    if level:
        query = query.where(FrameworkItem.level == level)
    rows = list(session.scalars(query))
    return sorted(
        rows, key=lambda r: [int(p) if p.isdigit() else 100 + ord(p[0]) for p in r.code.split(".")]
    )
