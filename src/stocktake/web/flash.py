"""Flash messages: an action says on the next page what it did, or why it did not."""

from __future__ import annotations

from typing import Literal

from fastapi import Request

Kind = Literal["success", "error", "warning"]
MAX_KEPT = 5
MAX_LENGTH = 600


def flash(request: Request, message: str, kind: Kind = "success") -> None:
    """Keep a message in the session for the next page that is shown."""
    kept = request.session.get("flash")
    messages = kept if isinstance(kept, list) else []
    text = message if len(message) <= MAX_LENGTH else message[: MAX_LENGTH - 1] + "…"
    messages.append({"kind": kind, "text": text})
    request.session["flash"] = messages[-MAX_KEPT:]


def pop_flashes(request: Request) -> list[dict[str, str]]:
    """The messages waiting for this page, removed from the session."""
    if "session" not in request.scope:
        return []
    kept = request.session.pop("flash", None)
    if not isinstance(kept, list):
        return []
    return [
        {"kind": str(m.get("kind", "success")), "text": str(m.get("text", ""))}
        for m in kept
        if isinstance(m, dict)
    ]
