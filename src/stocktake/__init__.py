"""stocktake: consultation, stocktaking, negotiation, follow-up and review of a compact."""

__version__ = "0.1.0"
