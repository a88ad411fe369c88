"""`GET /health`: 200 when this server can serve, 503 with the failing check's reason when not."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from stocktake.site.health import check_health

router = APIRouter()


@router.get("/health", tags=["health"], summary="Whether this server can serve")
async def health(request: Request) -> JSONResponse:
    """The database (does it answer, how fast), the migrations (is its schema the one this version
    expects) and the queue of long work. Never cached; 503 when a check fails."""
    result = await run_in_threadpool(
        check_health,
        request.app.state.engine,
        stalled_after=request.app.state.settings.jobs_stalled_after,
    )
    return JSONResponse(
        result.as_json(),
        status_code=200 if result.ok else 503,
        headers={"Cache-Control": "no-store"},
    )
