"""Page chrome: which lines of a news page are not the article.

    lines = split_lines(view.text)
    mark_chrome(lines)                     # sets line.kind: "ticker", "share", "related", ...
    spans = chrome_spans(lines, view)      # Spans in original offsets, one per run of a kind

Line by line, each line is matched against the patterns of karavan/data/chrome.toml (list
marks stripped, Kazakh Latin letters folded to their base letter); then blocks: a currency
ticker absorbs the bare numbers beside it, a weather line the place name beside it, a
"Читайте также" header the headlines after it and the teasers that end like one ("... more"),
a comment or login form the short lines after it up to the end of the page, a line that repeats
a picture's caption after its credit is chrome, and so is a line that repeats an earlier one
(the title again, an image caption made of the title and a picture number). The first
occurrence of a title is article text.
"""

from __future__ import annotations

import re
from functools import cache

from karavan.clean.lines import LONG_LINE, Line, headline_like
from karavan.data import load_toml
from karavan.doc import Span, View

_DATA = load_toml("chrome.toml")
_KINDS: dict[str, dict] = _DATA["kinds"]
MAX_LINE: int = _DATA["max_line"]
MAX_HEADLINES: int = _DATA["max_headlines"]
HEADLINE_KINDS = frozenset(k for k, v in _KINDS.items() if v.get("headlines"))
TAIL_KINDS = frozenset(k for k, v in _KINDS.items() if v.get("tail"))
INLINE_KINDS = frozenset(k for k, v in _KINDS.items() if v.get("inline"))
CREDIT_KINDS = frozenset(k for k, v in _KINDS.items() if v.get("credit"))
MIN_REPEAT = 20  # a repeated line shorter than this ("Фото: Акорда") is left to its own pattern
CAPTION_LOOKBACK = 3  # content lines after a picture's credit where its caption may be repeated
_BULLETS: str = _DATA["bullets"]
_FOLD_MAP = {**_DATA["fold"], **{k.upper(): v.upper() for k, v in _DATA["fold"].items()}}
_FOLD_PAIRS = list(_FOLD_MAP.items())
_FOLDED = re.compile(f"[{re.escape(''.join(_FOLD_MAP))}]")
_DIGIT = re.compile(r"\d")
_MACRO = re.compile(r"\{([a-z_]+)\}")
# an outlet's name after a caption: "<caption> - Sputnik Узбекистан"
_OUTLET_SUFFIX = re.compile(r"\s+-\s+\S.{0,40}$")


def _macros() -> dict[str, str]:
    """[macros] of chrome.toml, each expanded with the ones before it; {months} from articles.toml."""
    out = {"months": "|".join(load_toml("articles.toml")["months"])}
    for name, body in _DATA["macros"].items():
        out[name] = _expand(body, out)
    return out


def _expand(pattern: str, macros: dict[str, str]) -> str:
    def one(m: re.Match[str]) -> str:
        if m.group(1) not in macros:
            raise ValueError(f"chrome.toml: unknown macro {{{m.group(1)}}} in {pattern}")
        return f"(?:{macros[m.group(1)]})"

    return _MACRO.sub(one, pattern)


def fold(text: str) -> str:
    """The text with Kazakh Latin letters as their base letter ("oqyńyz" -> "oqynyz"); same length."""
    if not _FOLDED.search(text):
        return text
    for letter, base in _FOLD_PAIRS:  # str.replace per letter: several times faster than str.translate here
        if letter in text:
            text = text.replace(letter, base)
    return text


def _alternation(kind: str, patterns: list[str], macros: dict[str, str]) -> str:
    out = []
    for pattern in patterns:
        full = fold(_expand(pattern, macros))
        if re.compile(full).groups:
            raise ValueError(f"chrome.toml [{kind}]: use (?:...) groups only: {pattern}")
        out.append(f"(?:{full})")
    return "|".join(out)


def _compile_lines(macros: dict[str, str]) -> dict[bool, list[re.Pattern[str]]]:
    """For lines with and without a digit, the regex for each line length up to max_line: a line is matched
    against the kinds whose `line_max` allows its length, in the order chrome.toml writes them, and against
    `digit_patterns` only where it has a digit (a longer line, or one without digits, tries fewer)."""
    out: dict[bool, list[re.Pattern[str]]] = {}
    for digit in (False, True):
        kinds = []
        for k, v in _KINDS.items():
            patterns = v.get("patterns", []) + (v.get("digit_patterns", []) if digit else [])
            if patterns:
                group = f"(?P<{k}>{_alternation(k, patterns, macros)})"
                kinds.append((group, v.get("line_max", MAX_LINE)))
        by_limit = {
            limit: re.compile("|".join(g for g, n in kinds if n >= limit), re.IGNORECASE)
            for limit in {n for _, n in kinds}
        }
        out[digit] = [by_limit[min(n for n in by_limit if n >= length)] for length in range(MAX_LINE + 1)]
    return out


def _compile_contains(macros: dict[str, str]) -> list[tuple[str, int, re.Pattern[str]]]:
    """Per kind: (kind, longest line, phrases regex over the lower-cased line).

    Lower-casing once and matching case-sensitively lets the regex engine skip ahead by first
    characters, which IGNORECASE prevents: several times faster on long body lines.
    """
    out = []
    for k, v in _KINDS.items():
        for p in v.get("contains", []):
            if re.sub(r"\\.", "", p) != re.sub(r"\\.", "", p).lower():
                raise ValueError(f"chrome.toml [{k}]: write `contains` phrases in lower case: {p}")
        if v.get("contains"):
            out.append((k, v["contains_max"], re.compile(_alternation(k, v["contains"], macros))))
    return out


@cache
def _patterns() -> tuple[dict[bool, list[re.Pattern[str]]], list[tuple[str, int, re.Pattern[str]]], int]:
    """The line patterns, the phrase patterns and the longest line a phrase is looked for in: compiled on
    first use, not when the module is imported (commands that never clean a text start faster)."""
    macros = _macros()
    contains = _compile_contains(macros)
    return _compile_lines(macros), contains, max((n for _, n, _ in contains), default=0)


@cache
def _teaser_end() -> re.Pattern[str]:
    """How a teaser of a linked article ends, from the `teaser_ends` of the headline kinds."""
    ends = [p for k in sorted(HEADLINE_KINDS) for p in _KINDS[k].get("teaser_ends", [])]
    body = _alternation("teaser_ends", ends, _macros()) if ends else "(?!)"
    return re.compile(f"(?:{body})$", re.IGNORECASE)


@cache
def _absorbers() -> dict[str, re.Pattern[str]]:
    return {k: re.compile(fold(v["absorb"]), re.IGNORECASE) for k, v in _KINDS.items() if v.get("absorb")}


def line_kind(text: str) -> str | None:
    """The chrome kind of one stripped line by its own pattern, or None."""
    if not text:
        return None
    buckets, contains, longest_any = _patterns()
    if len(text) > MAX_LINE and len(text) > longest_any:
        return None
    if text[0] in _BULLETS:
        text = text[1:].lstrip()
        if not text:
            return None
    text = fold(text)
    if len(text) <= MAX_LINE:
        m = buckets[_DIGIT.search(text) is not None][len(text)].fullmatch(text)
        if m:
            return m.lastgroup
    if len(text) <= longest_any:
        lower = text.lower()
        for kind, longest, rx in contains:
            if len(text) <= longest and rx.search(lower):
                return kind
    return None


def is_teaser(text: str) -> bool:
    """A paragraph that ends the way a linked article's teaser does ("... more", "... Подробнее")."""
    return _teaser_end().search(fold(text)) is not None


def mark_chrome(lines: list[Line]) -> list[Line]:
    """Set `kind` on every chrome line (in place) and return the lines."""
    found: set[str] = set()
    for line in lines:
        kind = line_kind(line.text)
        if kind:
            line.kind, line.own = kind, True
            found.add(kind)
    # each block pass starts from a line of its own kinds: a page without one skips the pass
    if "ticker" in found:
        _tickers(lines)
    if found & _absorbers().keys():
        _absorb(lines)
    if found & HEADLINE_KINDS:
        _related_blocks(lines)
    if found & CREDIT_KINDS:
        _captions(lines)
    _repeats(lines)
    if found & TAIL_KINDS:
        _tail(lines)
    return lines


def chrome_spans(lines: list[Line], view: View) -> list[Span]:
    """One Span (original offsets) per run of chrome lines of one kind; blank lines do not break a run."""
    spans: list[Span] = []
    run: tuple[int, int, str] | None = None
    for line in lines:
        if line.blank:
            continue
        if line.kind is None:
            if run:
                spans.append(_span(run, view))
            run = None
        elif run and run[2] == line.kind:
            run = (run[0], line.end, run[2])
        else:
            if run:
                spans.append(_span(run, view))
            run = (line.start, line.end, line.kind)
    if run:
        spans.append(_span(run, view))
    return spans


def _span(run: tuple[int, int, str], view: View) -> Span:
    start, end = view.orig_span(run[0], run[1])
    return Span(start, end, run[2])


def _content(lines: list[Line]) -> list[int]:
    return [i for i, line in enumerate(lines) if not line.blank]


def _tickers(lines: list[Line]) -> None:
    """A bare number beside a currency ticker is part of the ticker, not a view counter."""
    idx = _content(lines)
    for n, i in enumerate(idx):
        if lines[i].kind != "counter":
            continue
        near = [lines[idx[m]].kind for m in (n - 1, n + 1) if 0 <= m < len(idx)]
        if "ticker" in near:
            lines[i].kind = "ticker"


def _absorb(lines: list[Line]) -> None:
    """A line matching a kind's `absorb` pattern, next to a line of that kind, is of that kind too."""
    absorbers = _absorbers()
    if not absorbers:
        return
    idx = _content(lines)
    for n, i in enumerate(idx):
        kind = lines[i].kind
        if kind not in absorbers or not lines[i].own:
            continue
        for m in (n - 1, n + 1):
            if 0 <= m < len(idx):
                near = lines[idx[m]]
                if near.kind is None and absorbers[kind].fullmatch(fold(near.text)):
                    near.kind = kind


def _related_blocks(lines: list[Line]) -> None:
    """Headlines after a "Читайте также" header (blank lines allowed) belong to the header, and so do
    the teasers among them that end like one ("... more"); dates, counters and credits inside the block
    do not end it. The block ends at other chrome or where the article's text resumes (a paragraph, or
    a hard-wrapped line the next line goes on from). Above the article (no body yet), the headline
    right before the text that ends the block is the title."""
    idx = _content(lines)
    body_seen = False
    for n, i in enumerate(idx):
        header = lines[i]
        if header.kind is None and len(header.text) >= LONG_LINE:
            body_seen = True
        if header.kind not in HEADLINE_KINDS or not header.own:
            continue
        taken: list[tuple[Line, bool]] = []  # (line, is a headline)
        heads = 0
        text_follows = False
        for j in idx[n + 1 :]:
            line = lines[j]
            if line.kind is not None:
                if line.kind in INLINE_KINDS:
                    continue
                break
            if is_teaser(line.text):
                taken.append((line, False))
            elif heads < MAX_HEADLINES and headline_like(line.text) and not _wrapped(lines, j):
                taken.append((line, True))
                heads += 1
            else:
                text_follows = True
                break
        if text_follows and not body_seen and taken and taken[-1][1]:
            taken.pop()
        for line, _ in taken:
            line.kind = header.kind


def _wrapped(lines: list[Line], j: int) -> bool:
    """The line is a piece of a hard-wrapped paragraph: the very next line goes on with a small letter."""
    if j + 1 >= len(lines):
        return False
    nxt = lines[j + 1].text
    return bool(nxt) and lines[j + 1].kind is None and nxt[0].isalpha() and nxt[0].islower()


def _captions(lines: list[Line]) -> None:
    """A line that repeats the caption of a picture credited just before it, with the outlet's name after
    it ("© Agency / Author<caption>" then "<caption> - Agency"), is the picture's alt text: chrome."""
    idx = _content(lines)
    credit = -CAPTION_LOOKBACK - 1  # the last credit line, by its place among the content lines
    for n, i in enumerate(idx):
        line = lines[i]
        if line.kind in CREDIT_KINDS and line.own:
            credit = n
        if line.kind is not None or n - credit > CAPTION_LOOKBACK or len(line.text) >= LONG_LINE:
            continue
        stripped = _OUTLET_SUFFIX.sub("", line.text)
        if stripped == line.text or len(stripped) < MIN_REPEAT:
            continue
        key = _key(stripped)
        for m in range(max(0, n - CAPTION_LOOKBACK), n):
            prev = lines[idx[m]]
            if prev.kind in CREDIT_KINDS and prev.own and key in _key(prev.text):
                line.kind = "caption"
                break


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _repeats(lines: list[Line]) -> None:
    """A line that repeats an earlier article line is chrome: the title again, or a caption built on it."""
    seen: dict[str, Line] = {}
    order: dict[str, int] = {}  # each seen line's place: the first of them that fits is taken
    lengths: set[int] = (
        set()
    )  # a caption is looked up by its prefixes of these lengths, not against each line
    for line in lines:
        if line.blank:
            continue
        if line.kind == "caption":
            caption = _key(line.text)
            found = (caption[:n] for n in lengths if n <= len(caption))
            for key in sorted((k for k in found if k in seen), key=order.__getitem__):
                if headline_like(seen[key].text):
                    line.kind = "repeated_title"
                    break
            continue
        if line.kind is not None or len(line.text) < MIN_REPEAT:
            continue
        key = _key(line.text)
        first = seen.get(key)
        if first is None:
            seen[key] = line
            order[key] = len(order)
            lengths.add(len(key))
        else:
            line.kind = "repeated_title" if headline_like(first.text) else "repeated"
            line.own = True


def _tail(lines: list[Line]) -> None:
    """After a comment or login form that follows article body, short lines are the form too.

    Short lines without a pattern of their own are taken only when more form lines or the end of
    the page follow them; a long line (article body: a second article glued on) ends the tail.
    """
    body_seen = False
    anchor: str | None = None
    pending: list[Line] = []
    for line in lines:
        if line.blank:
            continue
        if line.kind is None and len(line.text) >= LONG_LINE:
            body_seen = True
            anchor, pending = None, []
            continue
        if anchor is None:
            if body_seen and line.own and line.kind in TAIL_KINDS:
                anchor = line.kind
            continue
        if line.kind is None:
            pending.append(line)
        else:
            for p in pending:
                p.kind = anchor
            pending = []
    for p in pending:
        p.kind = anchor
