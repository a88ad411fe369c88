"""Jinja2 templates with the helpers every page uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from stocktake.core.permissions import Permission, Principal
from stocktake.web.deps import csrf_token

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

templates = Jinja2Templates(directory=str(TEMPLATES))
templates.env.globals["Permission"] = Permission
templates.env.filters["thousands"] = lambda n: f"{n:,}"
templates.env.filters["pair"] = lambda value: (value, value)
templates.env.filters["zip_names"] = lambda keys, process, vocabulary: [
    (key, process.term_name(vocabulary, key)) for key in keys
]


def render(
    request: Request,
    name: str,
    principal: Principal,
    status_code: int = 200,
    **context: Any,
) -> Response:
    context.update(principal=principal, csrf_token=csrf_token(request))
    return templates.TemplateResponse(request, name, context, status_code=status_code)
