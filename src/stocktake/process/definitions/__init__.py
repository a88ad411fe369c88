"""The process definitions shipped with stocktake. `DEFAULT` is the one `stocktake demo` loads and
the commands read when no definition is named: the Global Compact for Migration."""

from __future__ import annotations

from pathlib import Path

DEFAULT = Path(__file__).resolve().parent / "gcm.toml"
