"""Words the negotiation's errors share: an element named by its kind and number, a state by its
name, the answer to a change someone else made first. Each a `Text`, shown in the reader's
language (`stocktake.core.translation.shown`), English where it is used as a string."""

from __future__ import annotations

from stocktake.core.translation import Counted, Named, Text, shown


def element_named(kind: str, number: object) -> str:
    """ "paragraph 3", "preambular paragraph PP2", "point 4(a)": an element as a sentence names it."""
    if kind == "preamble":
        return Text("preambular paragraph %(number)s", number=number)
    if kind == "paragraph":
        return Text("paragraph %(number)s", number=number)
    if kind == "point":
        return Text("point %(number)s", number=number)
    if kind == "heading":
        return Text("heading %(number)s", number=number)
    if kind == "footnote":
        return Text("footnote %(number)s", number=number)
    return f"{kind} {number}"


STATES = {
    "proposed": Text("proposed"),
    "accepted": Text("accepted"),
    "rejected": Text("rejected"),
    "withdrawn": Text("withdrawn"),
    "superseded": Text("superseded"),
    "merged": Text("merged"),
}


def state_named(state: str) -> str:
    """An amendment's state by its name where it reads the same as its key ("accepted"), else
    its key ("accepted_as_modified"), so that the English text stays the key it always was."""
    return STATES.get(str(state), str(state))


def changed_meanwhile(label: object) -> Text:
    return Text("%(thing)s was changed by someone else; reload it", thing=label)


def longer_than(limit: int) -> Text:
    return Text("is longer than %(limit)s characters", limit=Counted(limit))


def changed_since(thing: object, expected: object, version: object) -> Text:
    return Text(
        "%(thing)s was changed by someone else since you opened it (version %(expected)s, now "
        "%(version)s); reload it and apply your change again",
        thing=thing,
        expected=expected,
        version=version,
    )


def element_called(eid: object) -> Text:
    return Text("element %(element)s", element=eid)


def state_words(state: str) -> str:
    """An amendment's state in words ("under discussion", "accepted as modified")."""
    if state == "under_discussion":
        return Text("under discussion")
    if state == "accepted_as_modified":
        return Text("accepted as modified")
    return state_named(state)


KINDS = {
    "preamble": Text("preambular paragraph"),
    "heading": Text("heading"),
    "paragraph": Text("paragraph"),
    "point": Text("point"),
    "footnote": Text("footnote"),
}


def kind_named(kind: str) -> str:
    """A kind of element by its name: "preambular paragraph", "point"."""
    return KINDS.get(str(kind), str(kind))


LANGUAGES = {
    "ar": Text("Arabic"),
    "zh": Text("Chinese"),
    "en": Text("English"),
    "fr": Text("French"),
    "ru": Text("Russian"),
    "es": Text("Spanish"),
}


def language_named(code: str) -> str:
    """One of the six languages by its name ("French"), its code for any other."""
    return LANGUAGES.get(code, code)


LIST_SEPARATORS = {"zh": "、", "ar": "، "}


def languages_named(codes: list[str]) -> str:
    """Languages by their names, listed ("English, French, Spanish"), in the reader's language
    where they are shown."""
    english = ", ".join(str(language_named(code)) for code in codes)
    return Named(
        english,
        lambda language: LIST_SEPARATORS.get(language, ", ").join(
            shown(language_named(code), language) for code in codes
        ),
    )


REVISION_WORDS = {"Zero draft": Text("Zero draft"), "Final": Text("Final")}
"""The revisions' labels that are words ("Rev.1" is a symbol, the same in every language)."""


def revision_named(label: str) -> str:
    """A revision by its label, in the reader's language where the label is a word."""
    return REVISION_WORDS.get(label, label)
