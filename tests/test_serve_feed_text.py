"""The Atom feed written as text is the document ElementTree writes of the same entries, byte for byte,
whatever their text holds (markup, quotes, line breaks, characters XML cannot hold)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from karavan.serve.feeds import ATOM, EPOCH, Entry, atom, clean, entry_id


def _tree(feed_key: str, title: str, self_url: str, page_url: str, entries: list[Entry]) -> bytes:
    """The feed as ElementTree writes it (the oracle)."""
    ET.register_namespace("", ATOM)

    def text(parent: ET.Element, tag: str, value: str, **attrs: str) -> None:
        ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs).text = clean(value)

    ordered = sorted(entries, key=lambda e: (e.updated, e.key), reverse=True)
    feed = ET.Element(f"{{{ATOM}}}feed")
    text(feed, "id", entry_id(f"feed:{feed_key}"))
    text(feed, "title", title)
    text(feed, "updated", max((e.updated for e in ordered), default=EPOCH))
    text(ET.SubElement(feed, f"{{{ATOM}}}author"), "name", "karavan")
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "type": "application/atom+xml", "href": self_url})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": page_url})
    text(feed, "generator", "karavan")
    for e in ordered:
        item = ET.SubElement(feed, f"{{{ATOM}}}entry")
        text(item, "id", entry_id(e.key))
        text(item, "title", e.title)
        text(item, "updated", e.updated)
        ET.SubElement(item, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": e.link})
        ET.SubElement(item, f"{{{ATOM}}}category", {"term": e.kind})
        text(item, "summary", e.summary, type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


TEXTS = [
    "Товарооборот Казахстана и Узбекистана: 4,1 млрд $",
    "a <b> & \"quoted\" 'single'",
    "line\r\nbreak\tand tab",
    "\x00\x0b control characters \ufffe",
    "",
    "]]> 😀 Қазақстан",
]


@pytest.mark.parametrize("text", TEXTS)
def test_serve_feed_text_is_what_elementtree_writes(text: str) -> None:
    entries = [
        Entry(key=f"fact:{text}", kind="fact", title=text, updated="2024-05-04T00:00:00Z",
              link=f"/facts/1?q={text}", summary=text),
        Entry(key="promise:1", kind=text or "promise", title="t", updated="2023-01-01T00:00:00Z", link="/p",
              summary=""),
    ]  # fmt: skip
    args = (f"pair:{text}", text, f"/feed.atom?{text}", "/", entries)
    assert atom(*args) == _tree(*args)
    assert atom(*args[:4], []) == _tree(*args[:4], [])
