"""The stocktaking summary (Chair's summary): generated from an analysis run, edited by the
secretariat, every saved version kept, compared and exported."""
