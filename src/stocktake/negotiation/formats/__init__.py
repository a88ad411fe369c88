"""Reading drafts from files and writing drafts, compilation texts and comparisons to files."""
