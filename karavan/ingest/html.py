"""HTML to the text karavan stores: the main text via trafilatura, else the plain text of <body>.

The extracted text IS the document text: every offset points into it. The raw
markup's hash, the title and which extractor ran are kept in `Doc.meta`.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import lxml.html
from lxml import etree

_DROP = ("script", "style", "noscript", "template", "svg", "head")
_BLOCK = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr table section article header footer nav aside blockquote pre hr".split()
)
_BLANKS = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")


def title_of(tree: etree._Element) -> str | None:
    found = tree.find(".//title")
    if found is None or not (found.text or "").strip():
        return None
    return " ".join(found.text.split())


def body_text(tree: etree._Element) -> str:
    """Plain text of <body>: block elements become line breaks, scripts and styles are dropped."""
    body = tree.find(".//body")
    root = body if body is not None else tree
    for bad in root.iter(*_DROP):
        bad.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK:
            el.tail = "\n" + (el.tail or "")
    text = etree.tostring(root, method="text", encoding="unicode") or ""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


class _StreamText(HTMLParser):
    """The text of a page read tag by tag, never as a tree: for pages nested deeper than libxml2 reads
    (it drops everything below 256 levels)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.dropped = 0  # open elements whose text is not the page's (script, style, head...)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.dropped = 0  # an unclosed <head> or <script> before the body hides nothing
        elif tag in _DROP:
            self.dropped += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP:
            self.dropped = max(0, self.dropped - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.dropped:
            self.parts.append(data)


def stream_text(markup: str) -> str:
    """Plain text of a page, as `body_text` gives it, read without building a tree."""
    parser = _StreamText()
    parser.feed(markup)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def _too_deep(parser: lxml.html.HTMLParser) -> bool:
    return any("Excessive depth" in e.message for e in parser.error_log)


def html_to_text(markup: str) -> tuple[str, dict[str, str]]:
    """The main text of an HTML page and what to keep about how it was found."""
    info: dict[str, str] = {}
    parser = lxml.html.HTMLParser(encoding="utf-8")
    try:
        tree = lxml.html.fromstring(markup.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError):
        tree = None
    if tree is None or _too_deep(parser):
        info["extractor"] = "html.parser"  # libxml2 (lxml, trafilatura) would drop the deeper text
        return stream_text(markup), info
    title = title_of(tree)
    if title:
        info["title"] = title
    import trafilatura  # ~0.13 s to import: loaded with the first HTML page, not by every command

    main = trafilatura.extract(
        markup, include_comments=False, include_tables=True, favor_recall=True, deduplicate=False
    )
    if main and main.strip():
        info["extractor"] = "trafilatura"
        return main, info
    info["extractor"] = "lxml-body"
    return body_text(tree), info
