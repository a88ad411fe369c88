"""SDMX-ML 2.1 in the UN SDG layout: read with the sdmx1 library, written with lxml and read back
by sdmx1 (`reading`, `writing`), with the ids of the SDG data structure (`layout`), names kept in
ids (`ids`) and the SDG indicators each series belongs to (`series`)."""

from __future__ import annotations

from stocktake.review.sdmx.ids import decode_id, encode_id
from stocktake.review.sdmx.reading import SdmxFile, SdmxObservation, read_sdmx_file
from stocktake.review.sdmx.series import read_structure, shipped_series
from stocktake.review.sdmx.writing import ExportRow, write_sdmx

__all__ = [
    "ExportRow",
    "SdmxFile",
    "SdmxObservation",
    "decode_id",
    "encode_id",
    "read_sdmx_file",
    "read_structure",
    "shipped_series",
    "write_sdmx",
]
