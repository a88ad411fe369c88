"""Analysis of consultation inputs: duplicates and campaigns, tags, SDG links, clusters and divergences.

The pipeline (`pipeline.py`) is plain computation on documents in memory, so the same code runs on the
stored inputs and on a CSV file; `services.py` loads inputs from the database and stores a run whole.
"""
