"""Article URLs from what a source serves: an RSS/Atom feed, a sitemap (or sitemap index), a listing page.

Feeds are read by feedparser. trafilatura's feed and sitemap helpers were the first choice and fall
short here: they return bare links (no publication date, which the extractors need for periods such
as "за первое полугодие", and no title), refuse links to hosts courlan does not like (any IP address,
so a local mirror too), and fetch sitemaps themselves (no conditional GET, no size limit, no robots.txt
check of ours). Sitemaps are small, strict XML, read here with lxml (entities and network off): `<loc>`,
`<lastmod>`, and Google News' `<news:publication_date>` and `<news:title>`; an index gives its child
sitemaps. A listing page gives the links of its own site that look like articles, or that match the
source's `match` pattern.
"""

from __future__ import annotations

import email.utils
import io
import re
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from karavan.watch.charset import decode_page
from karavan.watch.errors import TooLarge, WrongContent
from karavan.watch.page import looks_like_html
from karavan.watch.urls import is_url, normalise, site_of

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
_HTML = lxml.html.HTMLParser(encoding="utf-8")
NOT_ARTICLES = re.compile(
    r"\.(?:jpe?g|png|gif|webp|svg|ico|pdf|docx?|xlsx?|pptx?|zip|rar|7z|mp[34]|avi|mov|css|js|xml|rss)$", re.I
)
PAGER = re.compile(r"^(?:page[-_]?\d+|\d{1,3})$", re.I)
SLUG_DIGIT = re.compile(r"\d")


@dataclass(slots=True)
class Entry:
    url: str  # normalised
    published: str | None = None  # ISO date
    title: str | None = None
    lastmod: str | None = None  # ISO date a sitemap gives


@dataclass(slots=True)
class Found:
    kind: str  # rss, atom, feed, urlset, sitemapindex, text, listing
    entries: list[Entry] = field(default_factory=list)
    children: list[Entry] = field(default_factory=list)  # child sitemaps of an index


def iso_day(value: Any) -> str | None:
    """The calendar date a feed or sitemap writes (RFC 822 or ISO 8601), in the writer's own time zone."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    if re.match(r"^\d{4}-\d{2}-\d{2}", text):
        try:
            return datetime.fromisoformat(text[:10]).date().isoformat()
        except ValueError:
            return None
    try:
        return email.utils.parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _unique(entries: list[Entry]) -> list[Entry]:
    seen: set[str] = set()
    out = []
    for e in entries:
        if e.url not in seen:
            seen.add(e.url)
            out.append(e)
    return out


# -- feeds ---------------------------------------------------------------------------------------------


def _entry_link(entry: Any) -> str | None:
    link = entry.get("link")
    if link:
        return str(link)
    for item in entry.get("links") or []:
        if item.get("href") and item.get("rel", "alternate") == "alternate":
            return str(item["href"])
    ident = entry.get("id")
    return str(ident) if isinstance(ident, str) and is_url(ident) else None


def read_feed(body: bytes, content_type: str, url: str) -> Found:
    """The entries of an RSS or Atom feed; WrongContent when the body is not a feed."""
    import feedparser  # 9 ms to import after trafilatura: only the watch needs it

    if looks_like_html(body):
        raise WrongContent("not a feed: the body is an HTML page", url, kind="not_feed")
    parsed = feedparser.parse(
        io.BytesIO(body),  # a stream, never a string: feedparser fetches a string that looks like a URL
        response_headers={"content-type": content_type or "application/xml", "content-location": url},
        resolve_relative_uris=False,
        sanitize_html=False,
    )
    version = parsed.get("version") or ""
    if not version and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise WrongContent(f"not a feed: {reason or 'no RSS or Atom element'}", url, kind="not_feed")
    entries = []
    for entry in parsed.entries:
        link = _entry_link(entry)
        target = normalise(link, url) if link else None
        if target is None:
            continue
        # dict.get: feedparser's own get maps a missing 'published' to 'updated' with a warning
        day = iso_day(dict.get(entry, "published")) or iso_day(dict.get(entry, "updated"))
        if day is None:
            parsed_time = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
            if parsed_time:
                day = f"{parsed_time.tm_year:04d}-{parsed_time.tm_mon:02d}-{parsed_time.tm_mday:02d}"
        title = " ".join(str(entry.get("title") or "").split()) or None
        entries.append(Entry(target, day, title))
    kind = "atom" if version.startswith("atom") else "rss" if version.startswith("rss") else "feed"
    return Found(kind, _unique(entries))


# -- sitemaps ------------------------------------------------------------------------------------------


def gunzip(body: bytes, limit: int, url: str) -> bytes:
    """A gzip body (sitemap.xml.gz) inflated, refused past `limit` bytes (a zip bomb stops there)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(body, limit + 1)
    except zlib.error as e:
        raise WrongContent(f"not a sitemap: broken gzip ({e})", url, kind="not_xml") from None
    if len(out) > limit:
        raise TooLarge(f"inflated sitemap is over the {limit / 1e6:g} MB limit", url)
    return out


def _text(el: etree._Element, name: str, ns: str = SITEMAP_NS) -> str | None:
    found = el.find(f"{{{ns}}}{name}")
    if found is None:
        found = el.find(name)
    if found is None or not (found.text or "").strip():
        return None
    return found.text.strip()


def read_sitemap(body: bytes, url: str, limit: int) -> Found:
    """The URLs of a sitemap, or the child sitemaps of an index; WrongContent when it is neither."""
    if body[:2] == b"\x1f\x8b":
        body = gunzip(body, limit, url)
    stripped = body.lstrip()
    if not stripped.startswith(b"<"):
        lines = [line.strip() for line in body.decode("utf-8", "replace").splitlines() if line.strip()]
        if lines and all(is_url(line) for line in lines):  # a text sitemap: one URL a line
            return Found("text", _unique([Entry(u) for line in lines if (u := normalise(line))]))
        raise WrongContent("not a sitemap: not XML", url, kind="not_xml")
    try:
        root = etree.fromstring(body, _XML)
    except etree.XMLSyntaxError as e:
        raise WrongContent(f"not a sitemap: not well-formed XML ({e})", url, kind="not_xml") from None
    tag = etree.QName(root).localname
    if tag == "urlset":
        entries = []
        for item in root:
            if not isinstance(item.tag, str) or etree.QName(item).localname != "url":
                continue
            loc = _text(item, "loc")
            target = normalise(loc, url) if loc else None
            if target is None:
                continue
            news = item.find(f"{{{NEWS_NS}}}news")
            published = iso_day(_text(news, "publication_date", NEWS_NS)) if news is not None else None
            title = _text(news, "title", NEWS_NS) if news is not None else None
            entries.append(Entry(target, published, title, iso_day(_text(item, "lastmod"))))
        return Found("urlset", _unique(entries))
    if tag == "sitemapindex":
        children = []
        for item in root:
            if not isinstance(item.tag, str) or etree.QName(item).localname != "sitemap":
                continue
            loc = _text(item, "loc")
            target = normalise(loc, url) if loc else None
            if target is not None:
                children.append(Entry(target, lastmod=iso_day(_text(item, "lastmod"))))
        return Found("sitemapindex", children=_unique(children))
    if tag in ("rss", "feed", "RDF"):
        raise WrongContent(f'not a sitemap: it is a feed (<{tag}>); use kind = "feed"', url, kind="not_xml")
    raise WrongContent(f"not a sitemap: the root element is <{tag}>", url, kind="not_xml")


# -- listing pages -------------------------------------------------------------------------------------


def article_like(url: str) -> bool:
    """A link that looks like one article: two path segments or more, the last with a digit or a long slug,
    not a pager, not a file."""
    path = urlsplit(url).path
    segments = [s for s in path.split("/") if s]
    if len(segments) < 2 or NOT_ARTICLES.search(path):
        return False
    last = segments[-1]
    if PAGER.match(last):
        return False
    return bool(SLUG_DIGIT.search(last)) or last.count("-") >= 3


def read_listing(body: bytes, content_type: str, url: str, match: re.Pattern[str] | None = None) -> Found:
    """The article links of a listing page (same site; `match` decides when given)."""
    charset = None
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip()
    text = decode_page(body, charset, url).text
    try:
        tree = lxml.html.fromstring(text.encode("utf-8", "surrogatepass"), parser=_HTML)
    except (etree.ParserError, ValueError) as e:
        raise WrongContent(f"not an HTML page: {e}", url, kind="not_html") from None
    base = url
    for el in tree.xpath("//base[@href]"):
        base = normalise(str(el.get("href")), url) or url
        break
    site = site_of(url)
    here = normalise(url)
    entries = []
    for a in tree.xpath("//a[@href]"):
        target = normalise(str(a.get("href")), base)
        if target is None or target == here or site_of(target) != site:
            continue
        if match is not None:
            if not match.search(target):
                continue
        elif not article_like(target):
            continue
        title = " ".join(a.text_content().split()) or None
        entries.append(Entry(target, None, title))
    return Found("listing", _unique(entries))
