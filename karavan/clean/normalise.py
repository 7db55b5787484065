"""The normalised view of a text: spaces, dashes, quotes, homoglyphs and accents unified.

    view = normalise("AО\u0301K\u00a0мен")   # Cyrillic О + combining acute, NBSP
    view.text                               # 'AÓK мен'
    view.orig_span(0, 3)                    # (0, 4): the original 'AО́K'

The original text is never changed. Each character of the view stands for a contiguous,
non-empty run of original characters (one character, a base letter with its combining
marks, or a character followed by invisible ones that were dropped); runs follow each other
without gaps, so `to_orig[i]` is where view character i starts and `to_orig[i + 1]` where it
ends. The character tables are data: karavan/data/normalise.toml.
"""

from __future__ import annotations

import re
import unicodedata

from karavan.clean.scripts import high_bytes, script_counts
from karavan.data import load_toml
from karavan.doc import RunView

_DATA = load_toml("normalise.toml")

_TARGET = {"space": " ", "dash": "-", "quote": '"', "apostrophe": "'", "newline": "\n"}
_ONE_TO_ONE = {ch: _TARGET[group] for group, chars in _DATA["replace"].items() for ch in chars}
_ONE_TO_ONE_RE = re.compile(f"[{re.escape(''.join(_ONE_TO_ONE))}]")
_DROP = "".join(_DATA["drop"]["chars"])

_LAT_TO_CYR = {lat: cyr for lat, cyr in _DATA["homoglyphs"]["pairs"]}
_CYR_TO_LAT = {cyr: lat for lat, cyr in _DATA["homoglyphs"]["pairs"]}
TO_CYRL = str.maketrans(_LAT_TO_CYR)
TO_LATN = str.maketrans(_CYR_TO_LAT)

MARKS = "\u0300-\u036f"
LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
CYRILLIC = "\u0400-\u052f"
_LAT_RUN = re.compile(f"[{LATIN}]+")
_CYR_RUN = re.compile(f"[{CYRILLIC}]+")
_WORD_CHAR = re.compile(f"[^\\W\\d_]|[{MARKS}]")
_LAT_RE = re.compile(f"[{LATIN}]")
_CYR_RE = re.compile(f"[{CYRILLIC}]")
# Runs of combining marks, and invisible characters to drop.
_EDIT = re.compile(f"[{MARKS}]+|[{re.escape(_DROP)}]+")


class NormView(RunView):
    """A View whose characters each cover a contiguous run of the original (see module doc).

    `orig_span` takes the end from the next character's start, so a span that ends on a
    composed letter (`Ó` from `О` + U+0301) also covers its combining mark.
    """

    __slots__ = ()


def normalise(text: str) -> NormView:
    """The normalised view of `text` with its exact map back to `text`."""
    fixed = text
    if not text.isascii():
        for ch, target in _ONE_TO_ONE.items():
            if ch in fixed:
                fixed = fixed.replace(ch, target)
    elif "\t" in text or "\x0b" in text or "\x0c" in text or "`" in text:
        fixed = _ONE_TO_ONE_RE.sub(_replace_one, text)
    fixed = _fix_homoglyphs(fixed)
    edits = _edits(fixed)
    ids = _offsets(len(text) + 1)
    if not edits:
        return NormView(fixed, ids)
    pieces: list[str] = []
    to_orig: list[int] = []
    pos = 0
    for start, end, rep in edits:
        pieces.append(fixed[pos:start])
        to_orig.extend(ids[pos:start])
        if rep:
            pieces.append(rep)
            to_orig.append(start)
        pos = end
    pieces.append(fixed[pos:])
    to_orig.extend(ids[pos:])  # the offsets up to len(text) inclusive: the last is the end
    return NormView("".join(pieces), to_orig)


# The offsets 0, 1, 2, ... shared by all views: slicing this list copies references to int objects
# that already exist, several times cheaper than list(range(n)), which makes a new object for each
# offset above 256. Rebound (never mutated in place) when a longer text comes, up to _OFFSETS_MAX.
_OFFSETS: list[int] = list(range(1 << 14))
_OFFSETS_MAX = 1 << 20


def _offsets(n: int) -> list[int]:
    """A new list [0, 1, ..., n - 1]."""
    global _OFFSETS
    if n > len(_OFFSETS):
        if n > _OFFSETS_MAX:
            return list(range(n))
        _OFFSETS = list(range(min(max(n, 2 * len(_OFFSETS)), _OFFSETS_MAX)))
    return _OFFSETS[:n]


def _replace_one(m: re.Match[str]) -> str:
    return _ONE_TO_ONE[m.group()]


def word_script(word: str) -> str | None:
    """'Latn' or 'Cyrl' for a word mixing both scripts, by its letters; None when undecided.

    Letters without a look-alike in the other script decide; failing those, the majority.
    """
    lat = _LAT_RE.findall(word)
    cyr = _CYR_RE.findall(word)
    sure_lat = sum(1 for ch in lat if ch not in _LAT_TO_CYR)
    sure_cyr = sum(1 for ch in cyr if ch not in _CYR_TO_LAT)
    if sure_lat and not sure_cyr:
        return "Latn"
    if sure_cyr and not sure_lat:
        return "Cyrl"
    if sure_lat or sure_cyr:
        return None  # truly mixed (e.g. a transliteration slip): leave it alone
    if len(lat) > len(cyr):
        return "Latn"
    if len(cyr) > len(lat):
        return "Cyrl"
    return None


def _fix_homoglyphs(text: str) -> str:
    """Replace look-alike letters of the other script inside mixed-script words."""
    cyr, lat = script_counts(text)
    if not cyr or not lat:
        return text
    minority, majority = (_LAT_RUN, _CYR_RE) if lat <= cyr else (_CYR_RUN, _LAT_RE)
    # The fixed words are joined with the text between them once at the end: the same string as writing
    # each word into list(text), without splitting the whole text into characters (words never overlap:
    # a run inside a fixed word is skipped by `done_until`; translate keeps a word's length).
    pieces: list[str] = []
    pos = 0
    done_until = 0
    for m in minority.finditer(text):
        if m.start() < done_until or not _touches(text, m.start(), m.end(), majority):
            continue
        start, end = _word_bounds(text, m.start())
        done_until = end
        script = word_script(text[start:end])
        if script is None:
            continue
        table = TO_LATN if script == "Latn" else TO_CYRL
        pieces += [text[pos:start], text[start:end].translate(table)]
        pos = end
    if not pieces:
        return text
    pieces.append(text[pos:])
    return "".join(pieces)


def _touches(text: str, start: int, end: int, other: re.Pattern[str]) -> bool:
    """Whether the run [start, end) has a letter of the other script beside it (marks skipped)."""
    i = start - 1
    while i >= 0 and "\u0300" <= text[i] <= "\u036f":
        i -= 1
    if i >= 0 and other.match(text, i):
        return True
    j = end
    while j < len(text) and "\u0300" <= text[j] <= "\u036f":
        j += 1
    return j < len(text) and other.match(text, j) is not None


def _word_bounds(text: str, pos: int) -> tuple[int, int]:
    start = pos
    while start > 0 and _WORD_CHAR.match(text, start - 1):
        start -= 1
    end = pos
    while end < len(text) and _WORD_CHAR.match(text, end):
        end += 1
    return start, end


def _edits(text: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) for runs whose length changes: marks composed or dropped, invisibles."""
    edits: list[tuple[int, int, str]] = []
    if 3 not in high_bytes(text) and not any(ch in text for ch in _DROP):
        return edits  # no combining mark (U+03xx) and nothing invisible: the common case
    for m in _EDIT.finditer(text):
        start, end = m.span()
        if text[start] in _DROP:
            edits.append((start, end, ""))
            continue
        if start == 0 or not text[start - 1].isalpha():
            continue  # a mark with no letter to sit on: keep it as it is
        if edits and edits[-1][1] > start - 1:
            continue
        base = text[start - 1]
        composed = unicodedata.normalize("NFC", text[start - 1 : end])
        if len(composed) == 1:
            edits.append((start - 1, end, composed))
        elif _CYR_RE.match(base):
            # stress marks on Cyrillic (за́мок); a letter NFC can build (й, ё) is kept whole
            edits.append((start - 1, end, composed[0]))
    return edits
