"""The UN SDG SDMX layout: the dimensions and attributes of the global SDG data structure
(IAEG-SDGs:SDG), as stocktake reads and writes them."""

from __future__ import annotations

from functools import cache

from stocktake.core.translation import Text
from stocktake.review.sdmx.ids import decode_id, encode_id

TOTAL = "_T"  # the SDMX code for "no breakdown"
STRUCTURE_ID = "SDG"
AGENCY = "IAEG-SDGs"

# Dimensions of the global SDG DSD, in its order (TIME_PERIOD, at the observation, comes last).
DIMENSIONS = (
    "FREQ",
    "REPORTING_TYPE",
    "SERIES",
    "REF_AREA",
    "SEX",
    "AGE",
    "URBANISATION",
    "INCOME_WEALTH_QUANTILE",
    "EDUCATION_LEV",
    "OCCUPATION",
    "CUST_BREAKDOWN",
    "COMPOSITE_BREAKDOWN",
    "DISABILITY_STATUS",
    "ACTIVITY",
    "PRODUCT",
)
TIME = "TIME_PERIOD"
# Attributes of the global SDG DSD; a structure-specific file read without its DSD gives the
# series-level ones among the key's values, so they are told apart by name.
ATTRIBUTES = frozenset(
    {
        "UNIT_MEASURE",
        "UNIT_MULT",
        "BASE_PER",
        "TIME_DETAIL",
        "NATURE",
        "SOURCE_DETAIL",
        "COMMENT_OBS",
        "COMMENT_TS",
        "OBS_STATUS",
        "TIME_COVERAGE",
        "UPPER_BOUND",
        "LOWER_BOUND",
        "CUST_BREAKDOWN_LB",
        "GEO_INFO_URL",
        "GEO_INFO_TYPE",
        "DATA_LAST_UPDATE",
        "INDICATOR",  # stocktake's own: the indicator a series belongs to
    }
)
# Dimensions kept with the observation's attributes rather than as a disaggregation.
KEPT_AS_ATTRIBUTES = ("FREQ", "REPORTING_TYPE")
# What a file must give to be read as SDG data.
EXPECTED = Text(
    "the UN SDG layout: a SERIES (or INDICATOR), REF_AREA and TIME_PERIOD for each observation"
)
_KNOWN = frozenset({*DIMENSIONS, TIME, *ATTRIBUTES})


@cache
def name_of(sdmx_id: str) -> str:
    """The name stored for a dimension or attribute id: the SDG DSD's ids as they are
    (`SEX`, `UNIT_MULT`), any other as `encode_id` wrote it (`Industry_sector`)."""
    return sdmx_id if sdmx_id in _KNOWN else decode_id(sdmx_id)


@cache
def id_of(name: str) -> str:
    """The id written for a stored attribute name; inverse of `name_of`."""
    return name if name in _KNOWN else encode_id(name)


@cache
def breakdown_id(name: str) -> str:
    """The id written for a stored breakdown: a breakdown dimension of the SDG DSD as it is
    (`SEX`), any other name encoded, and escaped when it would read as another of the DSD's
    ids (a breakdown named `NATURE` is written `$4EATURE`); inverse of `name_of`."""
    if name in DIMENSIONS[4:]:
        return name
    code = encode_id(name)
    return f"${ord(code[0]):02X}{code[1:]}" if code in _KNOWN else code


def order_of(sdmx_id: str) -> tuple[int, str]:
    """The SDG DSD's order for its own dimensions, then the others by id."""
    return (DIMENSIONS.index(sdmx_id), "") if sdmx_id in DIMENSIONS else (len(DIMENSIONS), sdmx_id)
