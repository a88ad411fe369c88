"""Consultation actions and their rules, by concern: `intake` (what an input must be, when the process
takes inputs), `actions` (submit, update, retag, publish, withdraw one input) and `imports` (many at
once). Everything other modules use is importable from here."""

from stocktake.consultation.services.actions import (
    can_see,
    get_input,
    publish_input,
    retag_input,
    submit_input,
    update_input,
    withdraw_input,
)
from stocktake.consultation.services.imports import ImportReport, import_inputs
from stocktake.consultation.services.intake import (
    InputData,
    closed_for_inputs,
    content_hash,
    input_meetings,
    require_submit,
)

__all__ = [
    "ImportReport",
    "InputData",
    "can_see",
    "closed_for_inputs",
    "content_hash",
    "get_input",
    "import_inputs",
    "input_meetings",
    "publish_input",
    "require_submit",
    "retag_input",
    "submit_input",
    "update_input",
    "withdraw_input",
]
