"""Reading and writing the files people already use: CSV, XLSX and JSON for inputs (`inputs`,
`xlsx`, `export`), DOCX and PDF for the text of a written contribution (`text`), and the checks a
zip archive passes before it is unpacked (`archives`)."""

from stocktake.consultation.files.archives import MAX_UNPACKED_BYTES, check_archive
from stocktake.consultation.files.columns import EXPORT_COLUMNS, IMPORT_COLUMNS
from stocktake.consultation.files.export import export_row, write_inputs
from stocktake.consultation.files.inputs import FORMATS, format_of, read_inputs
from stocktake.consultation.files.text import MAX_ATTACHMENT_CHARS, extract_text
from stocktake.consultation.files.xlsx import MAX_COLUMNS, MAX_ROWS

__all__ = [
    "EXPORT_COLUMNS",
    "FORMATS",
    "IMPORT_COLUMNS",
    "MAX_ATTACHMENT_CHARS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "check_archive",
    "export_row",
    "extract_text",
    "format_of",
    "read_inputs",
    "write_inputs",
]
