"""Flash messages: an action says on the next page what it did, or why it did not.

A message is kept as written in English, with the values of its `%(name)s` placeholders, and
translated when it is shown, into the language of the page that shows it: the catalogs' keys are
these English messages (`make messages` extracts them, `flash:2` and `Plural:1,2`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from fastapi import Request

from stocktake.web.languages import catalog

Kind = Literal["success", "error", "warning"]
MAX_KEPT = 5
MAX_LENGTH = 600


@dataclass(frozen=True)
class Plural:
    """A message that counts something, in its singular and plural English forms; the count fills
    `%(num)s`, and each language picks the form its grammar needs for that number."""

    singular: str
    plural: str
    count: int


Said = str | Plural | tuple[str | Plural, ...]


def _kept(part: str | Plural, values: dict[str, str | int] | None) -> dict[str, object]:
    if isinstance(part, Plural):
        entry: dict[str, object] = {
            "text": part.singular,
            "plural": part.plural,
            "count": part.count,
        }
    else:
        entry = {"text": part if len(part) <= MAX_LENGTH else part[: MAX_LENGTH - 1] + "…"}
    if values:
        entry["values"] = {name: str(value)[:MAX_LENGTH] for name, value in values.items()}
    return entry


def flash(
    request: Request,
    message: Said,
    kind: Kind = "success",
    values: dict[str, str | int] | None = None,
) -> None:
    """Keep a message in the session for the next page that is shown: one text or several said
    one after the other; `values` fill the placeholders once it is translated."""
    kept = request.session.get("flash")
    messages = kept if isinstance(kept, list) else []
    parts = message if isinstance(message, tuple) else (message,)
    messages.append({"kind": kind, "parts": [_kept(part, values) for part in parts]})
    request.session["flash"] = messages[-MAX_KEPT:]


def _part(part: dict[str, object], language: str) -> str:
    """One part in the language; in English when its translation does not fit its values (a
    message kept in a session from before the catalogs changed)."""
    text, plural, count = str(part.get("text", "")), part.get("plural"), part.get("count")
    values = part.get("values")
    filled = {str(k): str(v) for k, v in values.items()} if isinstance(values, dict) else {}
    if isinstance(plural, str) and isinstance(count, int):
        filled.setdefault("num", str(count))
        forms = (catalog(language).ngettext(text, plural, count), text if count == 1 else plural)
    else:
        forms = (catalog(language).gettext(text), text)
    for form in forms:
        try:
            return form % filled if filled else form
        except (KeyError, ValueError, TypeError):
            continue
    return text


def _shown(entry: dict[str, object], language: str) -> str:
    parts = entry.get("parts")
    if not isinstance(parts, list):
        parts = [entry]
    # Chinese puts no space between sentences
    between = "" if language == "zh" else " "
    text = between.join(_part(part, language) for part in parts if isinstance(part, dict))
    return text if len(text) <= MAX_LENGTH else text[: MAX_LENGTH - 1] + "…"


def pop_flashes(request: Request, language: str = "en") -> list[dict[str, str]]:
    """The messages waiting for this page, removed from the session, in the page's language."""
    if "session" not in request.scope:
        return []
    kept = request.session.pop("flash", None)
    if not isinstance(kept, list):
        return []
    return [
        {"kind": str(m.get("kind", "success")), "text": _shown(m, language)}
        for m in kept
        if isinstance(m, dict)
    ]
