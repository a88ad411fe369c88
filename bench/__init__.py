"""Benchmarks for stocktake; `make bench` runs them (python -m bench)."""
