from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from stocktake.core.permissions import Principal
from stocktake.negotiation.formats.reading import read_text
from stocktake.negotiation.models import Draft
from stocktake.negotiation.services import import_draft, working_nodes
from stocktake.process.services import get_process

SYSTEM = Principal.system()
AKN = Path(__file__).resolve().parents[3] / "shared" / "data" / "akomantoso"
SAMPLE = """# A compact on cooperation

Recalling the Charter of the United Nations[^1],

Recognizing that migration is a shared responsibility,

## Vision

1. This compact sets out a common understanding of safe and orderly migration.

2. The compact rests on the purposes and principles of the Charter.
(a) people-centred;
(b) international cooperation;

## Objectives

3. We commit to collect data and to share data with partners.

4. We commit to provide accurate information at all stages of migration.

[^1]: Signed in San Francisco on 26 June 1945.
"""


def _sample(session: Session) -> Draft:
    return import_draft(
        session, get_process(session), read_text(SAMPLE, "sample.md"), by=SYSTEM, source="sample.md"
    )


@pytest.fixture
def draft(session: Session) -> Draft:
    """The sample imported as a draft on the demo database."""
    return _sample(session)


@pytest.fixture
def bare_draft(bare_session: Session) -> Draft:
    """The sample imported as a draft on the bare database."""
    return _sample(bare_session)


def eid_of(draft: Draft, number: str, kind: str = "paragraph") -> str:
    return next(n.eid for n in working_nodes(draft) if n.number == number and n.kind == kind)
