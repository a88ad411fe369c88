"""A deterministic demo data set of the GCM process: fictional people and organisations, real calendar."""
