"""A fetched HTML page to a Doc, the way `karavan ingest` reads an .html file.

- the charset comes from the BOM, the Content-Type header and the meta tags (karavan.watch.charset);
- the text is the main text trafilatura finds (karavan.ingest.html.html_to_text, as for .html files);
- the document's `url` is the page's canonical URL (`<link rel=canonical>`, else `og:url`, else the URL
  after redirects); a canonical that points at the site's home page from an article is ignored, since
  a CMS that writes it on every page would make one document of them all;
- the id comes from the canonical URL (karavan.watch.urls.doc_id_for), so one article under two
  addresses that name the same canonical URL is one document;
- `published` is the feed's or sitemap's date when it gave one, else the page's own (htmldate);
- `meta` keeps the raw page's SHA-256 (the raw bytes are kept in the store's raw_pages table), when and
  from where it was fetched, the title, the extractor, the charset and where it came from.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from karavan.doc import Doc
from karavan.ingest.html import html_to_text
from karavan.watch.charset import decode_page
from karavan.watch.errors import WrongContent
from karavan.watch.urls import doc_id_for, normalise, site_of

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
SNIFF_TYPES = frozenset({"", "application/octet-stream", "text/plain", "application/xml", "text/xml"})
_PARSER = lxml.html.HTMLParser(encoding="utf-8")


@dataclass(slots=True)
class Hint:
    """What the feed or sitemap said about a URL, and which source found it."""

    published: str | None = None
    title: str | None = None
    lang: str | None = None
    source: str | None = None  # the watch source's name


@dataclass(slots=True)
class Page:
    """A page's bytes and how they arrived (a Response, or a row of raw_pages)."""

    body: bytes
    url: str  # as asked for
    final_url: str
    fetched_at: str
    content_type: str  # the whole header value
    sha256: str = ""

    def __post_init__(self) -> None:
        if not self.sha256:
            self.sha256 = hashlib.sha256(self.body).hexdigest()

    @property
    def mime(self) -> str:
        return self.content_type.split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.content_type.split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'")
        return None


def looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head or b"<head" in head


def check_html(page: Page) -> None:
    """WrongContent when the body is not an HTML page (a PDF, an image, JSON, a feed...)."""
    if page.mime in HTML_TYPES:
        return
    if page.mime in SNIFF_TYPES and looks_like_html(page.body):
        return
    raise WrongContent(
        f"not an HTML page: Content-Type {page.mime or 'missing'}", page.final_url, kind="not_html"
    )


def _attr_urls(tree: etree._Element, xpath: str, attr: str) -> list[str]:
    return [str(el.get(attr)).strip() for el in tree.xpath(xpath) if el.get(attr)]


def canonical_url(tree: etree._Element, final_url: str) -> tuple[str, str]:
    """(canonical URL, where it came from: link, og, fetched)."""
    found = [
        ("link", _attr_urls(tree, "//link[contains(concat(' ', normalize-space(translate(@rel,"
                                  "'CANONICAL','canonical')), ' '), ' canonical ')]", "href")),
        ("og", _attr_urls(tree, "//meta[@property='og:url']", "content")),
    ]  # fmt: skip
    article_path = urlsplit(final_url).path.strip("/")
    for how, candidates in found:
        for candidate in candidates:
            url = normalise(candidate, final_url)
            if url is None:
                continue
            if article_path and not urlsplit(url).path.strip("/"):
                continue  # the home page named as every article's canonical URL: not believed
            return url, how
    return normalise(final_url) or final_url, "fetched"


def page_date(tree: etree._Element, fetched_at: str) -> str | None:
    """The publication date the page states (htmldate: meta tags, JSON-LD, <time>), never after the fetch."""
    from htmldate import find_date  # installed with trafilatura, loaded with it

    try:
        found = find_date(tree, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
    except Exception:  # htmldate on odd markup: a missing date, never a lost page
        return None
    if not found:
        return None
    try:
        day = date.fromisoformat(found)
    except ValueError:
        return None
    return found if day.isoformat() <= fetched_at[:10] else None


def page_doc(page: Page, hint: Hint | None = None, report: Any = None) -> Doc:
    """The Doc of a fetched HTML page; WrongContent when it is not HTML or holds no text."""
    check_html(page)
    decoded = decode_page(page.body, page.charset, page.final_url)
    if decoded.warning is not None and report is not None:
        report(decoded.warning)
    try:
        tree = lxml.html.fromstring(decoded.text.encode("utf-8", "surrogatepass"), parser=_PARSER)
    except (etree.ParserError, ValueError) as e:
        raise WrongContent(f"not an HTML page: {e}", page.final_url, kind="not_html") from None
    canonical, how = canonical_url(tree, page.final_url)
    text, info = html_to_text(decoded.text)
    if not text.strip():
        raise WrongContent("HTML page without text", page.final_url, kind="empty")
    hint = hint or Hint()
    doc = Doc(
        id=doc_id_for(canonical),
        text=text,
        url=canonical,
        published=hint.published or page_date(tree, page.fetched_at),
        source=site_of(canonical),
        encoding=decoded.encoding,
        path=page.final_url,
    )
    meta: dict[str, Any] = {
        "raw_sha256": page.sha256,
        "fetched_at": page.fetched_at,
        "fetched_url": page.url,
        "canonical_from": how,
        "charset_from": decoded.source,
        "content_type": page.content_type,
        **info,
    }
    if page.final_url != page.url:
        meta["final_url"] = page.final_url
    if hint.title and "title" not in meta:
        meta["title"] = hint.title
    if hint.lang:
        meta["lang_hint"] = hint.lang
    if hint.source:
        meta["watch_source"] = hint.source
    doc.meta.update(meta)
    return doc
