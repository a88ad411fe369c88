"""SDMX ids for names that are not ids: a disaggregation or attribute named in free text keeps its
name reversibly in the id of its dimension or attribute."""

from __future__ import annotations

import re

_ID_SAFE = re.compile(r"[A-Za-z0-9@-]")


def encode_id(name: str) -> str:
    """A disaggregation's name as an SDMX id, reversibly: "Industry sector" → "Industry_sector"."""
    return "".join(
        c
        if _ID_SAFE.match(c)
        else "_"
        if c == " "
        else f"${ord(c):02X}"
        if ord(c) < 256
        else f"$u{ord(c):04X}"
        if ord(c) < 0x10000
        else f"$U{ord(c):06X}"
        for c in name
    )


def decode_id(code: str) -> str:
    """The name an id written by `encode_id` stands for; an SDMX id such as `SEX` stays itself,
    except that `_` reads as a space, as `encode_id` writes it."""
    out, i = [], 0
    while i < len(code):
        c = code[i]
        if c == "_":
            out.append(" ")
        elif c == "$" and code[i + 1 : i + 2] == "U":
            out.append(chr(int(code[i + 2 : i + 8], 16)))
            i += 7
        elif c == "$" and code[i + 1 : i + 2] == "u":
            out.append(chr(int(code[i + 2 : i + 6], 16)))
            i += 5
        elif c == "$":
            out.append(chr(int(code[i + 1 : i + 3], 16)))
            i += 2
        else:
            out.append(c)
        i += 1
    return "".join(out)
