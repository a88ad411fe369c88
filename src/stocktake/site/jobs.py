"""Every kind of job, registered with the job runner (stocktake.core.jobs) when this module is
imported: the runner imports it before it runs a job. Each kind's work lives in its domain."""

from __future__ import annotations

from stocktake.analysis.jobs import analysis_job_failed, run_analysis_job
from stocktake.analysis.services import ANALYSIS_JOB
from stocktake.consultation.jobs import INPUTS_IMPORT_JOB, queue_inputs_import, run_import_job
from stocktake.core.jobs import register
from stocktake.negotiation.jobs import (
    COMPILATION_DOCX_JOB,
    queue_compilation_docx,
    run_compilation_job,
)
from stocktake.review.jobs import (
    REVIEW_REPORT_JOB,
    queue_review_report,
    report_path,
    run_report_job,
)

__all__ = ["queue_compilation_docx", "queue_inputs_import", "queue_review_report", "report_path"]

register(ANALYSIS_JOB, run_analysis_job, analysis_job_failed)
register(INPUTS_IMPORT_JOB, run_import_job)
register(REVIEW_REPORT_JOB, run_report_job)
register(COMPILATION_DOCX_JOB, run_compilation_job)
