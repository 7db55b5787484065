"""Atom feeds (RFC 4287) of what is new in a store: facts, discrepancies and promise status changes.

`/feed.atom` covers every pair, `/pairs/KZ-TJ/feed.atom` one. A feed reader (Thunderbird, Miniflux,
feedparser) subscribes to it as it is: every entry has a stable id (a UUID made from what it is, so a
reader never shows one twice), a title, an `updated` time (when karavan learned of it: the document's
ingest, the official import, the status change being recorded), a link to its page and a text summary.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from xml.sax.saxutils import escape

ATOM = "http://www.w3.org/2005/Atom"
EPOCH = "1970-01-01T00:00:00Z"
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class Entry:
    key: str  # what the entry is, stable across runs: "fact:<doc>:<start>:<end>:<type>", "promise:<id>:<at>:<status>"
    kind: str  # fact, discrepancy, promise
    title: str
    updated: str  # RFC 3339
    link: str
    summary: str


def entry_id(key: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"karavan:{key}").urn


def rfc3339(stamp: str | None) -> str:
    """'2026-12-03T12:21:16+00:00', '2026-12-03T12:21:16Z' or a date -> an Atom date-time."""
    if not stamp:
        return EPOCH
    s = stamp.strip().replace(" ", "T")
    if len(s) == 10:
        return f"{s}T00:00:00Z"
    if len(s) == 4:
        return f"{s}-01-01T00:00:00Z"
    return s[:-6] + "Z" if s.endswith("+00:00") else s


_IN_ATTRIBUTE = {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"}  # as ElementTree writes them


_SPECIAL = re.compile('[&<>"\r\n\t]')  # what either escape below may change


def _cdata(text: str) -> str:
    return escape(text) if _SPECIAL.search(text) else text  # most texts have nothing to escape


def _attr(text: str) -> str:
    return escape(text, _IN_ATTRIBUTE) if _SPECIAL.search(text) else text


def clean(text: str) -> str:
    return _NOT_XML.sub("", text) if _NOT_XML.search(text) else text


def _el(tag: str, text: str = "", **attrs: str) -> str:
    """One element as the XML text of it: its text without the characters XML cannot hold, escaped, and
    its attributes in order; an element with no text is empty (`<link ... />`)."""
    head = "<" + tag + "".join(f' {k}="{_attr(v)}"' for k, v in attrs.items())
    text = clean(text)
    return f"{head}>{_cdata(text)}</{tag}>" if text else head + " />"


def atom(feed_key: str, title: str, self_url: str, page_url: str, entries: list[Entry]) -> bytes:
    """The feed document, newest entries first, written as text (UTF-8, with its XML declaration)."""
    ordered = sorted(entries, key=lambda e: (e.updated, e.key), reverse=True)
    out = [
        "<?xml version='1.0' encoding='utf-8'?>\n",
        f'<feed xmlns="{ATOM}">',
        _el("id", entry_id(f"feed:{feed_key}")),
        _el("title", title),
        _el("updated", max((e.updated for e in ordered), default=EPOCH)),
        "<author>" + _el("name", "karavan") + "</author>",
        _el("link", rel="self", type="application/atom+xml", href=self_url),
        _el("link", rel="alternate", type="text/html", href=page_url),
        _el("generator", "karavan"),
    ]
    for e in ordered:
        out += [
            "<entry>",
            _el("id", entry_id(e.key)),
            _el("title", e.title),
            _el("updated", e.updated),
            _el("link", rel="alternate", type="text/html", href=e.link),
            _el("category", term=e.kind),
            _el("summary", e.summary, type="text"),
            "</entry>",
        ]
    out.append("</feed>")
    return "".join(out).encode("utf-8")
