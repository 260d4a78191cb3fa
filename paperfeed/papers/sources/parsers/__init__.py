"""Pure parsers of the live sources' responses: bytes in, a page of PaperRecords out."""
