"""Find code repositories and project pages in abstracts and comments.

Real abstracts write links loosely: ``https: //github.com/x/y``, a trailing full stop,
``\\url{...}``, ``\\href{...}{...}``, markdown ``[code](...)``, ``Code is available at:``.
Repositories are normalised to their canonical root, e.g. ``https://github.com/owner/repo``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

# "https: //", "https:/ /", "github. com" and similar spacing damage from PDF/LaTeX conversion.
_SCHEME_GAP = re.compile(r"\b(https?)\s*:\s*/\s*/\s*", re.IGNORECASE)
_HOST_GAP = re.compile(r"\b(github|gitlab|bitbucket|huggingface)\s*\.\s*(com|org|co|io)\b", re.IGNORECASE)
_LATEX_URL = re.compile(r"\\(?:url|href)\s*\{([^}]*)\}")
_MARKDOWN = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
_URL = re.compile(
    r"(?<![\w.-])(?:www\.)?(?P<host>github\.com|gitlab\.com|bitbucket\.org|huggingface\.co|anonymous\.4open\.science)"
    r"/(?P<path>[^\s<>\"'{}|\\^`\]\[]*)",
    re.IGNORECASE,
)
_ANY_URL = re.compile(r"https?://[^\s<>\"'{}]+", re.IGNORECASE)
_PAGE_WORDS = ("page", "website", "homepage", "site")
_HOST_WORDS = ("github", "gitlab", "bitbucket", "huggingface", "4open")
_TRAILING = ".,;:!?)]}'\"*>"
_GITHUB_RESERVED = {
    "orgs",
    "topics",
    "features",
    "sponsors",
    "settings",
    "marketplace",
    "about",
    "login",
    "join",
    "explore",
    "collections",
    "search",
    "apps",
    "pricing",
    "site",
}
_SEGMENT = re.compile(r"^[A-Za-z0-9_.-]+$")


def tidy_text(text: str) -> str:
    """Undo the spacing damage and unwrap LaTeX/markdown links so URLs are contiguous."""
    if "\\" in text:
        text = _LATEX_URL.sub(r" \1 ", text)
    if "](" in text:
        text = _MARKDOWN.sub(r" \1 ", text)
    text = _SCHEME_GAP.sub(lambda m: m.group(1).lower() + "://", text)
    return _HOST_GAP.sub(lambda m: f"{m.group(1)}.{m.group(2)}", text)


def normalise_repo_url(url: str) -> str | None:
    """Canonical root URL of a repository, or None if ``url`` is not a repository."""
    match = _URL.search(url)
    if match is None:
        return None
    host = match["host"].lower()
    parts = [p for p in match["path"].split("?")[0].split("#")[0].split("/") if p]
    if not parts:
        return None
    parts[-1] = parts[-1].rstrip(_TRAILING)
    parts = [p for p in parts if p]
    return _ROOTS[host](parts)


def _two_segments(host: str, reserved: set[str]) -> Callable[[list[str]], str | None]:
    def root(parts: list[str]) -> str | None:
        if len(parts) < 2 or parts[0].lower() in reserved:
            return None
        owner, repo = parts[0], parts[1].rstrip(_TRAILING).removesuffix(".git").rstrip(_TRAILING)
        if not (repo and _SEGMENT.match(owner) and _SEGMENT.match(repo)):
            return None
        return f"https://{host}/{owner}/{repo}"

    return root


def _gitlab(parts: list[str]) -> str | None:
    # GitLab nests groups (group/subgroup/project); "/-/" starts the in-repo path.
    if "-" in parts:
        parts = parts[: parts.index("-")]
    parts = [p.removesuffix(".git") for p in parts if _SEGMENT.match(p)]
    if len(parts) < 2 or parts[0].lower() in {"users", "explore", "help"}:
        return None
    return "https://gitlab.com/" + "/".join(parts)


def _huggingface(parts: list[str]) -> str | None:
    kind = parts[0].lower()
    if kind in {"datasets", "spaces"}:
        rest = parts[1:3]
        prefix = f"{kind}/"
    elif kind in {"papers", "docs", "blog", "login", "join", "settings", "collections", "models"}:
        return None
    else:
        rest, prefix = parts[:2], ""
    if len(rest) < 2 or not all(_SEGMENT.match(p) for p in rest):
        return None
    return f"https://huggingface.co/{prefix}{rest[0]}/{rest[1]}"


def _anonymous(parts: list[str]) -> str | None:
    if len(parts) < 2 or parts[0] != "r" or not _SEGMENT.match(parts[1]):
        return None
    return f"https://anonymous.4open.science/r/{parts[1]}"


_ROOTS = {
    "github.com": _two_segments("github.com", _GITHUB_RESERVED),
    "bitbucket.org": _two_segments("bitbucket.org", set()),
    "gitlab.com": _gitlab,
    "huggingface.co": _huggingface,
    "anonymous.4open.science": _anonymous,
}


def extract_code_links(*texts: str | None) -> list[str]:
    """Repository URLs found in the texts, normalised, first occurrence first, no duplicates."""
    found: list[str] = []
    for text in texts:
        # Most abstracts name no code host at all: skip the regular expressions for them.
        if text and any(word in text.lower() for word in _HOST_WORDS):
            found.extend(_repo_urls(tidy_text(text)))
    return merge_links(found)


def _repo_urls(text: str) -> Iterable[str]:
    for match in _URL.finditer(text):
        url = normalise_repo_url(match.group(0))
        if url is not None:
            yield url


def merge_links(*groups: Iterable[str]) -> list[str]:
    """Concatenate link lists, dropping case-insensitive duplicates and keeping order."""
    seen: set[str] = set()
    merged: list[str] = []
    for group in groups:
        for url in group:
            key = url.lower().rstrip("/")
            if key not in seen:
                seen.add(key)
                merged.append(url)
    return merged


def extract_project_page(*texts: str | None) -> str:
    """The first non-repository URL introduced as a page ("Project page: ...") or on github.io."""
    for text in texts:
        if not text or "http" not in text.lower():
            continue
        tidy = tidy_text(text)
        for match in _ANY_URL.finditer(tidy):
            url = match.group(0).rstrip(_TRAILING)
            before = tidy[max(0, match.start() - 24) : match.start()].lower()
            named = any(word in before for word in _PAGE_WORDS)
            if (named or ".github.io" in url.lower()) and normalise_repo_url(url) is None:
                return url
    return ""
