"""Bringing a library in: BibTeX, RIS, CSL-JSON or a list of arXiv ids, read into the user's library.

``formats`` reads a file (bytes) into entries, each naming an arXiv id or saying why it names
none; ``service.import_library`` saves what the store has and queues the rest
(``LibraryFetch`` rows); ``fetching`` is the worker's side, which fetches queued ids from the
arXiv API in batches. The site, the API, the CLI and the worker all call these.
"""
