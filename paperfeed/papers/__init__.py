"""Papers: the store (one row per arXiv id), file formats, import and export."""
