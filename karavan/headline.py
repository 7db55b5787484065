"""A document's headline, found in its text: what names a document in lists, pages and exports instead of
its id. The title the input gave (an HTML <title>, a JSONL `title`) when there is one, else the first line
of the text that is not page chrome and reads like a headline (several words, not a sentence run on).
"""

from __future__ import annotations

import json
import re
from typing import Any

HEAD_CHARS = 4000  # a headline is near the top: only this much of the text is read
MIN_WORDS, MAX_CHARS = 3, 250
LEAD_WORDS = 12  # a document with no headline line is named by the first words of its text
WORDS = re.compile(r"[^\W\d_]{2,}")
NOT_A_HEADLINE = re.compile(r"^(?:фото|foto|photo|источник|source|дереккөз)\b|[:|]\s*$", re.IGNORECASE)


def headline(
    text: str, excluded: list[dict[str, Any]] | str | None = None, meta: dict | str | None = None
) -> str | None:
    """The headline of a document given its text, its chrome spans ({start, end} dicts, or their JSON) and
    its metadata (dict or JSON); None when nothing reads like one."""
    meta = json.loads(meta) if isinstance(meta, str) else meta or {}
    title = meta.get("title") if isinstance(meta, dict) else None
    if isinstance(title, str) and len(WORDS.findall(title)) >= 2:
        return " ".join(title.split())[:MAX_CHARS]
    spans = json.loads(excluded) if isinstance(excluded, str) else excluded or []
    chrome = [(int(s["start"]), int(s["end"])) for s in spans if isinstance(s, dict)]
    at = 0
    first_sentence = None
    for line in text[:HEAD_CHARS].split("\n"):
        start, end = at, at + len(line)
        at = end + 1
        flat = " ".join(line.split())
        if not flat or any(a <= start + (len(line) - len(line.lstrip())) < b for a, b in chrome):
            continue
        if len(WORDS.findall(flat)) < MIN_WORDS or NOT_A_HEADLINE.search(flat):
            continue
        if len(flat) <= MAX_CHARS and not flat.endswith("."):
            return flat
        first_sentence = first_sentence or flat
    if first_sentence is None:
        return None
    words = first_sentence.split()  # no headline line: the opening words of the first paragraph stand in
    return first_sentence if len(words) <= LEAD_WORDS else " ".join(words[:LEAD_WORDS]).rstrip(",;:") + "…"
