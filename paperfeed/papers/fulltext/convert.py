"""arXiv's HTML rendering of a paper (LaTeXML output) to markdown, with markdownify.

The article (``<article class="ltx_document">``) is kept; scripts, styles, navigation, the
header and footers are not. LaTeXML's math carries its TeX (``alttext``): inline math becomes
``$TEX$``, display math ``$$TEX$$``, numbered equations keep their number. Footnotes become
``[^N]`` with their text at the end. Links are made absolute and only ``http(s)``, ``mailto`` and
in-page ``#`` links are kept; images only ``http(s)``.

The markdown holds no raw HTML: every ``<`` outside code is written ``&lt;`` (in TeX ``\\lt``),
so a renderer that passes HTML through shows hostile markup as text. Control characters are
dropped. ``convert_bounded`` runs the conversion in a child process under ``CONVERT_SECONDS``
and ``CONVERT_MEMORY`` so a hostile page (deep nesting, a huge table) costs the worker nothing.
"""

from __future__ import annotations

import re
import resource
import subprocess
import sys
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString
from markdownify import MarkdownConverter

from paperfeed.lib.xmltext import xml_safe

MAX_MARKDOWN_CHARS = 2_000_000  # stored per paper; the longest real full texts are a few hundred thousand
CONVERT_SECONDS = 60
CONVERT_MEMORY = 2 * 2**30  # bytes of address space the converting child may use
DROPPED = "script, style, nav, header, footer, button, dialog, form, iframe, object, embed, noscript, .ltx_ERROR"
_PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")
_PRIVATE = re.compile("[\ue000\ue001]")
_SAFE_LINK = ("http://", "https://", "mailto:", "#")


class ConversionError(Exception):
    """The page is not a LaTeXML article, or converting it broke a limit; the message says which."""


def html_to_markdown(html: bytes | str, base_url: str) -> str:
    """The article of an arXiv HTML page as markdown; ConversionError when the page has none."""
    text = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
    soup = BeautifulSoup(_PRIVATE.sub("", xml_safe(text)), "html.parser")
    article = soup.select_one("article.ltx_document") or soup.select_one(".ltx_page_content")
    if article is None:
        raise ConversionError("the page holds no LaTeXML article (ltx_document)")
    for element in article.select(DROPPED):
        element.decompose()
    _drop_front_matter(article)
    maths = _math_placeholders(soup, article)
    notes = _footnotes(soup, article)
    _tidy(article, base_url)
    body = _Converter(heading_style="ATX", bullets="-", table_infer_header=True, strip_document="strip")
    endnotes = "".join(f"\n\n[^{mark}]: {_one_line(body.convert_soup(note))}" for mark, note in notes)
    markdown = body.convert_soup(article) + endnotes
    markdown = _PLACEHOLDER.sub(lambda match: maths[int(match.group(1))], markdown)
    return re.sub(r"(?:[ \t]*\n){3,}", "\n\n", markdown).strip() + "\n"


def cap(markdown: str, limit: int = MAX_MARKDOWN_CHARS) -> str:
    """``markdown`` cut at a paragraph before ``limit`` characters, with a note saying so."""
    if len(markdown) <= limit:
        return markdown
    cut = markdown.rfind("\n\n", 0, limit) if markdown.rfind("\n\n", 0, limit) > 0 else limit
    return markdown[:cut] + f"\n\n*(The full text is cut here: it is longer than {limit:,} characters.)*\n"


def _one_line(markdown: str) -> str:
    return re.sub(r"\s*\n\s*", " ", markdown.strip())


def _drop_front_matter(article: Tag) -> None:
    """Title, authors and dates: the document's header says them from the paper's record."""
    for element in article.select(".ltx_title_document, .ltx_authors, .ltx_dates, .ltx_pubnotes"):
        element.decompose()


def _footnotes(soup: BeautifulSoup, article: Tag) -> list[tuple[str, Tag]]:
    """Each footnote replaced by ``[^N]``; its text, to go at the end."""
    notes = []
    for number, note in enumerate(article.select(".ltx_note.ltx_role_footnote, .ltx_note.ltx_role_footnotetext")):
        content = note.select_one(".ltx_note_content")
        mark = note.select_one(".ltx_note_mark")
        label = re.sub(r"\W", "", mark.get_text()) if mark else ""
        label = label or str(number + 1)
        if content is not None:
            for extra in content.select(".ltx_note_mark, .ltx_tag_note, .ltx_note_type"):
                extra.decompose()
            notes.append((label, content.extract()))
        note.replace_with(NavigableString(f"[^{label}]"))
    return notes


def _math_placeholders(soup: BeautifulSoup, article: Tag) -> list[str]:
    """Every ``<math>`` (and numbered equation table) replaced by a placeholder for its TeX."""
    maths: list[str] = []

    def hold(tex: str) -> NavigableString:
        maths.append(tex)
        return NavigableString(f"\ue000{len(maths) - 1}\ue001")

    for table in article.select("table.ltx_equation, table.ltx_equationgroup"):
        lines = []
        for row in table.select("tr"):
            formulas = [_tex(math) for math in row.select("math")]
            number = row.select_one(".ltx_tag_equation")
            if formulas:
                tag = f" \\tag{{{number.get_text(strip=True).strip('()')}}}" if number else ""
                lines.append(f"$${' '.join(formulas)}{tag}$$")
        paragraph = soup.new_tag("p")
        paragraph.append(hold("\n\n".join(lines)))
        table.replace_with(paragraph)
    for math in article.select("math"):
        tex = _tex(math)
        math.replace_with(hold(f"$${tex}$$" if math.get("display") == "block" else f"${tex}$"))
    return maths


def _tex(math: Tag) -> str:
    """The TeX LaTeXML kept for a formula, on one line; ``<`` as ``\\lt`` so it can never open a tag."""
    annotation = math.select_one('annotation[encoding="application/x-tex"]')
    tex = str(math.get("alttext") or (annotation.get_text() if annotation else "") or math.get_text())
    return re.sub(r"\s*\n\s*", " ", tex).replace("<", "\\lt ").replace("$", "\\$").strip()


def _tidy(article: Tag, base_url: str) -> None:
    """Item bullets LaTeXML writes as text, whitespace inside references, links and images made safe."""
    for tag in article.select(".ltx_tag_item"):
        tag.decompose()
    for item in article.select(".ltx_bibitem"):
        _one_spaced(item)
    for title in article.select("h6.ltx_title"):
        title.name = "h2"
    for link in article.select("a[href]"):
        _keep_link(link, "href", base_url)
    for image in article.select("img"):
        _keep_link(image, "src", base_url)
    for svg in article.select("svg"):
        svg.unwrap()


def _one_spaced(element: Tag) -> None:
    """The text of ``element`` with every run of whitespace, across tags too, one space."""
    after_space = True
    for string in element.find_all(string=True):
        text = re.sub(r"\s+", " ", str(string))
        text = text.lstrip() if after_space else text
        after_space = text.endswith(" ") if text else after_space
        string.replace_with(text)


def _keep_link(element: Tag, attribute: str, base_url: str) -> None:
    value = str(element.get(attribute) or "").strip()
    absolute = value if value.startswith("#") else urljoin(base_url, value)
    allowed = _SAFE_LINK if element.name == "a" else ("http://", "https://")
    if absolute.lower().startswith(allowed) and (absolute.startswith(("#", "mailto:")) or urlsplit(absolute).netloc):
        element[attribute] = absolute
    elif element.name == "a":
        element.unwrap()
    else:
        element.decompose()


class _Converter(MarkdownConverter):
    """markdownify, with ``<`` in text (never in code) written as ``&lt;``: the markdown carries no raw HTML."""

    def escape(self, text: str, parent_tags: set[str]) -> str:
        escaped: str = super().escape(text, parent_tags)  # type: ignore[misc]  # not in markdownify's stub
        return escaped.replace("<", "&lt;")


# The bounded conversion: a child process with a deadline and a memory limit -----------------


def convert_bounded(html: bytes, base_url: str) -> str:
    """``html_to_markdown`` in a child process: ConversionError past CONVERT_SECONDS or CONVERT_MEMORY."""
    command = [sys.executable, "-c", "from paperfeed.papers.fulltext.convert import main; main()", base_url]
    try:
        done = subprocess.run(
            command, input=html, capture_output=True, timeout=CONVERT_SECONDS, preexec_fn=_limit_memory, check=False
        )
    except subprocess.TimeoutExpired:
        raise ConversionError(f"converting the page took longer than {CONVERT_SECONDS} s") from None
    if done.returncode != 0:
        last = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["it was killed"])[-1]
        raise ConversionError(f"converting the page failed: {last[:300]}")
    return done.stdout.decode("utf-8")


def _limit_memory() -> None:  # pragma: no cover - runs in the child before it starts
    resource.setrlimit(resource.RLIMIT_AS, (CONVERT_MEMORY, CONVERT_MEMORY))


def main() -> None:
    """The child: HTML on stdin, markdown on stdout; a ConversionError's message on stderr, exit 3."""
    sys.setrecursionlimit(4000)
    try:
        markdown = html_to_markdown(sys.stdin.buffer.read(), sys.argv[1])
    except (ConversionError, RecursionError, MemoryError) as error:
        message = "the page is nested too deeply" if isinstance(error, RecursionError) else str(error)
        sys.stderr.write(f"{type(error).__name__}: {message or 'out of memory'}\n")
        sys.exit(3)
    sys.stdout.buffer.write(markdown.encode("utf-8"))
