"""Small framework-free helpers (environment settings, arXiv ids, dates)."""
