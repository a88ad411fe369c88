"""News of each step of the process: items drafted from its public events or written by the
secretariat, their public pages and their Atom feed."""
