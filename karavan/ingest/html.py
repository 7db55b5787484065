"""HTML to the text karavan stores: the main text via trafilatura, else the plain text of <body>.

The extracted text IS the document text: every offset points into it. The raw
markup's hash, the title and which extractor ran are kept in `Doc.meta`.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

_DROP = ("script", "style", "noscript", "template", "svg", "head")
_BLOCK = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr table section article header footer nav aside blockquote pre hr".split()
)
_PARSER = lxml.html.HTMLParser(encoding="utf-8")
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


def html_to_text(markup: str) -> tuple[str, dict[str, str]]:
    """The main text of an HTML page and what to keep about how it was found."""
    info: dict[str, str] = {}
    try:
        tree = lxml.html.fromstring(markup.encode("utf-8"), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return "", info
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
