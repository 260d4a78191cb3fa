"""A paper's full text as markdown, from arXiv's HTML rendering (LaTeXML output).

- ``convert``: the pure conversion, HTML bytes to markdown (headings, paragraphs, lists, tables,
  math as TeX, figure captions, references), and ``convert_bounded``, the same in a child process
  with a time and memory limit;
- ``fetching``: the queue: a ``FullText`` row per paper that people opened, upvoted, saved or
  that trends, claimed and fetched by the worker through the one HTTP client, never in a request;
- ``document``: the markdown a reader gets (``/papers/ID.md``, ``paperfeed paper ID --markdown``):
  the fetched text, or the paper's metadata and abstract until then.
"""
