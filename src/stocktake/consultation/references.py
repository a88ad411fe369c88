"""Framework references: SDG goals, targets and indicators, and the instruments (conventions,
covenants) the process definition lists under `[[instruments]]`."""

from __future__ import annotations

import re
from collections.abc import Collection

from stocktake.process.definition import ProcessDefinition

_SDG = re.compile(r"^(?:sdg\s*)?(\d{1,2})(?:\.([0-9]{1,2}|[a-z]))?(?:\.(\d{1,2}))?$", re.IGNORECASE)


def instruments(definition: ProcessDefinition) -> dict[str, str]:
    """The instruments inputs of the process may name, code to name, in definition order."""
    return {item.code: item.name for item in definition.instruments}


def parse_reference(text: str, instrument_codes: Collection[str] = ()) -> tuple[str, str] | None:
    """('sdg', '10.7.2') for 'SDG 10.7.2', ('hr', 'CRC') for 'CRC' when 'CRC' is one of
    `instrument_codes`; None when not recognised."""
    value = text.strip()
    match = _SDG.match(value)
    if match:
        goal = int(match.group(1))
        if not 1 <= goal <= 17:
            return None
        parts = [str(goal)] + [p.lower() for p in match.groups()[1:] if p]
        return ("sdg", ".".join(parts))
    code = value.upper().removeprefix("HR:").strip()
    if code in instrument_codes:
        return ("hr", code)
    return None


def format_reference(scheme: str, code: str) -> str:
    return f"SDG {code}" if scheme == "sdg" else code
