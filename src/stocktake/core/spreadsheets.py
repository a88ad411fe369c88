"""The one writer of CSV and XLSX exports: every cell a spreadsheet could run as a formula is
written as text, whatever column it is in.

A text that begins with `=`, `+`, `-`, `@`, a tab or a carriage return (or with the quote that
marks such a text) gets a leading quote; `restore_cell` takes it off again, so a file that is
imported back reads as it was. Numbers stay numbers, and so does a text that is a plain number:
a spreadsheet reads `-3` as minus three, never as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from typing import IO, Any

from stocktake.core.untrusted import xml_safe

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet reads a cell that begins with one of these as a formula."""
QUOTE = "'"
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
"""A plain number: a spreadsheet reads `-3` or `-0.5` as a number, never as a formula."""
TABLE_FORMATS = ("csv", "xlsx")


def neutralise_cell(value: str) -> str:
    """A text a spreadsheet will show as text: one beginning like a formula (or with the quote
    that marks one) gets a leading quote; a plain number, negative ones too, is left as it is."""
    if value.startswith((*FORMULA_START, QUOTE)) and not _NUMBER.fullmatch(value):
        return QUOTE + value
    return value


def restore_cell(value: str) -> str:
    """The text `neutralise_cell` was given."""
    if (
        value.startswith(QUOTE)
        and value[1:].startswith((*FORMULA_START, QUOTE))
        and not _NUMBER.fullmatch(value[1:])
    ):
        return value[1:]
    return value


def safe_cell(value: Any) -> Any:
    """A cell's value as it is written: None as empty, numbers and dates as they are, anything
    else as neutralised text."""
    if value is None:
        return ""
    if isinstance(value, int | float | dt.date) and not isinstance(value, bool):
        return value
    return neutralise_cell(str(value))


def write_csv(header: Sequence[Any], rows: Iterable[Sequence[Any]], out: IO[str]) -> int:
    """Write a header and rows as CSV to a text stream; returns how many rows were written."""
    writer = csv.writer(out)
    writer.writerow([safe_cell(h) for h in header])
    count = 0
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
        count += 1
    return count


def csv_text(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    write_csv(header, rows, out)
    return out.getvalue()


def write_xlsx(
    header: Sequence[Any], rows: Iterable[Sequence[Any]], out: IO[bytes], title: str = "data"
) -> int:
    """Write a header and rows as a one-sheet XLSX workbook, every text stored as text."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append([_xlsx_cell(sheet, h) for h in header])
    count = 0
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
        count += 1
    workbook.save(out)
    return count


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    value = safe_cell(value)
    if not isinstance(value, str):
        return value
    value = xml_safe(value)  # a workbook is XML: text stored before control characters were refused
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def write_table(
    fmt: str,
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    out: IO[bytes],
    title: str = "data",
) -> int:
    """Write rows as CSV (UTF-8) or XLSX to a byte stream; returns how many rows were written."""
    if fmt == "xlsx":
        return write_xlsx(header, rows, out, title)
    if fmt != "csv":
        raise ValueError(f"not a table format: {fmt!r}")
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    count = write_csv(header, rows, text)
    text.flush()
    text.detach()
    return count
