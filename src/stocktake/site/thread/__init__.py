"""The thread, from every input to the commitment it shaped and on to its pledges and progress:
the thread of a paragraph or objective (`paragraphs`), "where did our inputs go?" (`inputs`,
exported by `exports`) and the coverage of a text (`coverage`). It reads across the domains, so it
lives here, above them; the links themselves are the negotiation's (`negotiation.services.links`)."""

from stocktake.site.thread.coverage import Coverage, Share, coverage
from stocktake.site.thread.exports import FORMATS, export_report
from stocktake.site.thread.inputs import OUTCOMES, InputFate, InputsReport, Outcome, inputs_report
from stocktake.site.thread.paragraphs import Thread, objective_thread, paragraph_thread

__all__ = [
    "FORMATS",
    "OUTCOMES",
    "Coverage",
    "InputFate",
    "InputsReport",
    "Outcome",
    "Share",
    "Thread",
    "coverage",
    "export_report",
    "inputs_report",
    "objective_thread",
    "paragraph_thread",
]
