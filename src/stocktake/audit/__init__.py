"""Audit: every write records who, when, what action and what changed, in the same transaction."""
