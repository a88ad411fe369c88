"""Reading the first sheet of an XLSX workbook row by row, whatever its declared dimension says.

A workbook states its size in a `<dimension>` element, which the read-only reader would trust: a
stale one (`A1:B2` on a sheet of thousands of rows) would cut the sheet short without a word, and a
small one would let any number of rows past the limit. So the dimension is ignored, every row
present is read, and the row limit is applied to the rows as they are read: the reading stops at
the first row past it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from stocktake.consultation.files.archives import check_archive
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.translation import Counted, Text

MAX_ROWS = 200_000
"""Most rows (or items) a file of inputs may have, besides its header."""
MAX_COLUMNS = 100

UNREADABLE = (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError, SyntaxError, EOFError)


def read_sheet(
    content: bytes, source: str, *, max_rows: int = MAX_ROWS
) -> tuple[list[Any], Iterator[tuple[int, list[Any]]]]:
    """The header of the first sheet and its further rows as (row number, values); the rows are
    read as they are asked for, and the first row past `max_rows` is refused naming the limit."""
    from openpyxl import load_workbook

    check_archive(content, source, Text("XLSX workbook"))
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # read every row, whatever the sheet says it holds
    except UNREADABLE as exc:
        raise ValidationFailed(source, [Problem("", Text("not a readable XLSX workbook"))]) from exc
    # one column more than allowed, so that a header of too many columns is seen and refused
    values = _values(sheet.iter_rows(max_col=MAX_COLUMNS + 1), source)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, row in enumerate(values, start=1):
                if number > max_rows + 1:
                    raise ValidationFailed(
                        source,
                        [
                            Problem(
                                f"row {number}",
                                Text(
                                    "the sheet has more than %(limit)s rows besides its header;"
                                    " at most %(limit)s are read from one file",
                                    limit=Counted(max_rows),
                                ),
                            )
                        ],
                    )
                yield number, row
        finally:
            workbook.close()

    reading = rows()
    first = next(reading, None)
    return (first[1] if first else []), reading


def _values(cells: Iterator[tuple[Any, ...]], source: str) -> Iterator[list[Any]]:
    """The values of each row; a formula is refused, since its result is not in the file."""
    try:
        for row in cells:
            values = []
            for cell in row:
                if getattr(cell, "data_type", None) == "f":
                    raise ValidationFailed(
                        source,
                        [
                            Problem(
                                f"row {cell.row}, column {cell.column_letter}",
                                Text("is a formula; paste its value instead"),
                            )
                        ],
                    )
                values.append(getattr(cell, "value", None))
            yield values
    except UNREADABLE as exc:
        raise ValidationFailed(source, [Problem("", Text("not a readable XLSX workbook"))]) from exc
