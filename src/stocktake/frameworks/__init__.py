"""Existing frameworks that inputs, clusters and commitments refer to: the SDG framework (goals,
targets, indicators in the six languages), imported from an Open SDG translations folder."""
