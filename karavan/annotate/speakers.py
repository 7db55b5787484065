"""Speech: stretches of text attributed to one speaker.

`find_speech(doc, people)` returns Mention(kind="speech", start, end, value="English Name"):
- «quoted text», – сказал/отметил/... <person or role>   (also – dedi X, "...", X said)
- a paragraph of direct speech without quote marks closed by "– подчеркнул премьер-министр РК."
- "..., отметил он." (the clause before it; он = the previous speaker)
- "X отметил, что ..." (the rest of that sentence); "по его словам" (the previous speaker)
- Kazakh "X ... atap ótti." (the sentence whose subject X is)
Collective subjects ("Стороны отметили, что") give no speech. Verbs are data (roles.toml [speech]).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Generic, TypeVar

from karavan.annotate.people_context import paragraphs, sentences
from karavan.annotate.people_data import LiteralGate, caseless_needles, doc_caseless, load_data
from karavan.doc import Doc, Mention, Span

T = TypeVar("T")
_OPEN = '«“„"'
_THAT = ("что", "that")  # the conjunction after a speech verb: "отметил, что"
_CLOSE = '»”"'
_DASH = r"[–—-]"


@dataclass(frozen=True, slots=True)
class _Speech:
    closing: re.Pattern[str]  # "...» – сказал " / "... – подчеркнул " closing a quote or paragraph
    # the part of `closing` every match holds: a cheap scan (it starts with a dash)
    dash_verb: re.Pattern[str]
    end_verb: re.Pattern[str]  # ", отметил он." ending a sentence
    end_subject: re.Pattern[str]  # ", Bektenov said." ending a sentence: the speaker before the verb
    subject_at_last_comma: bool  # no verb holds a comma: `end_subject` can only start at the last one
    that: re.Pattern[str]  # "отметил, что"
    that_needles: tuple[str, ...] | None  # caseless conjunctions of `that`: one is in every match
    according: re.Pattern[str]
    kk_end: re.Pattern[str]
    pronoun: re.Pattern[str]
    collective: re.Pattern[str]
    verb_gate: LiteralGate  # sentences without the start of a verb (or phrase) cannot match
    according_gate: LiteralGate
    kk_end_gate: LiteralGate


def _words(words: list[str]) -> list[str]:
    return sorted((w.replace(" ", r"\s+") for w in words), key=len, reverse=True)


def _alt(words: list[str]) -> str:
    return "(?:" + "|".join(_words(words)) + ")"


@cache
def _speech() -> _Speech:
    raw = load_data("roles.toml")["speech"]
    verbs, kk_end, pronouns, according, collective = (
        _alt(raw[k]) for k in ("verbs", "kk_end", "pronouns", "according", "collective")
    )
    i = re.IGNORECASE
    verb_gate = LiteralGate(_words(raw["verbs"]), i)
    return _Speech(
        closing=re.compile(r"([" + _CLOSE + r"]?)\s*,?\s*" + _DASH + r"\s*" + verbs + r"\s+", i),
        dash_verb=re.compile(_DASH + r"\s*" + verbs + r"\s+", i),
        end_verb=re.compile(r",\s*" + verbs + r"\s+(\S.*?)[.!]?\s*$", i),
        subject_at_last_comma=not any("," in w for w in raw["verbs"]),
        end_subject=re.compile(r",\s+(\S[^,]{0,80}?)\s+" + verbs + r"[.!]?\s*$", i),
        that=re.compile(verbs + r"\s*,?\s*(?:" + "|".join(_THAT) + r")\s+", i),
        that_needles=caseless_needles(list(_THAT), i),
        according=re.compile(according + r"(?!\w)", i),
        kk_end=re.compile(kk_end + r"[.!]?\s*$", i),
        pronoun=re.compile(pronouns + r"(?!\w)", i),
        collective=re.compile(r"\s*" + collective + r"(?!\w)", i),
        verb_gate=verb_gate,
        according_gate=LiteralGate(_words(raw["according"]), i, inner=True),
        # Kazakh closing verbs are mostly among the verbs: one scan then serves both
        kk_end_gate=verb_gate
        if set(raw["kk_end"]) <= set(raw["verbs"])
        else LiteralGate(_words(raw["kk_end"]), i),
    )


_ROLE_WORDS = re.compile(r"(?:[^\W\d_A-ZА-ЯЁ][\w-]*\s+){1,4}")
_ALSO = re.compile(r"\s*(?:также|тоже|also|же)?\s*")


def _start(m: Mention) -> int:
    return m.start


def _person_at(people: list[Mention], pos: int, text: str, max_gap: int = 3) -> Mention | None:
    """The person mention starting at pos (after spaces), if any. `people` is in start order: only those
    starting in [pos, pos + 40] are looked at."""
    first = bisect_left(people, pos, key=_start)
    for i in range(first, len(people)):
        m = people[i]
        if m.start > pos + max_gap:
            break
        if not text[pos : m.start].strip():
            return m
    for i in range(first, len(people)):  # "сказал глава государства Касым-Жомарт Токаев": role words between
        m = people[i]
        if m.start > pos + 40:
            break
        if _ROLE_WORDS.fullmatch(text, pos, m.start):
            return m
    return None


_ALSO_LONGEST = 5  # letters of the longest word _ALSO takes (также)


class _ByEnd:
    """The people mentions (in start order) looked up by where they end."""

    def __init__(self, people: list[Mention]) -> None:
        self.order = sorted(range(len(people)), key=lambda i: people[i].end)
        self.ends = [people[i].end for i in self.order]
        self.latest: list[int] = []  # latest[k]: the last (in start order) of the k + 1 earliest-ending
        for i in self.order:
            self.latest.append(max(i, self.latest[-1]) if self.latest else i)

    def last_ending_by(self, pos: int) -> int | None:
        """Index of the last mention (in start order) that ends at or before pos."""
        k = bisect_right(self.ends, pos)
        return self.latest[k - 1] if k else None

    def ending_in(self, lo: int, hi: int) -> list[int]:
        """Indexes of the mentions ending in [lo, hi], in start order."""
        return sorted(self.order[bisect_left(self.ends, lo) : bisect_right(self.ends, hi)])


def _person_ending(
    people: list[Mention], pos: int, text: str, by_end: _ByEnd | None = None
) -> Mention | None:
    """The person mention ending just before pos (allowing "также"/"also"): the first, in start order.

    Between it and pos there are only spaces and at most one short word, so only mentions ending after
    the spaces, up to _ALSO_LONGEST word characters and the spaces before them are looked at."""
    lo = pos
    while lo > 0 and text[lo - 1].isspace():
        lo -= 1
    for _ in range(_ALSO_LONGEST):
        if lo > 0 and (text[lo - 1].isalnum() or text[lo - 1] == "_"):
            lo -= 1
    while lo > 0 and text[lo - 1].isspace():
        lo -= 1
    by_end = by_end or _ByEnd(people)
    for i in by_end.ending_in(lo, pos):
        if _ALSO.fullmatch(text, people[i].end, pos):
            return people[i]
    return None


class _Covers:
    """Does a speech found so far cover a position? Asked for sentence starts in text order; a speech found
    inside one sentence never covers a later sentence's start (sentences do not overlap), so only the
    speeches found before the sentences are walked need a look-up (by start, with the furthest end so far)."""

    def __init__(self, found: list[tuple[int, int, str, int]], ordered: bool) -> None:
        self.found = found
        self.fixed = len(found) if ordered else 0  # the speeches the look-up holds; later ones are scanned
        spans = sorted((f[0], f[1]) for f in found[: self.fixed])
        self.starts = [a for a, _ in spans]
        self.reach: list[int] = []
        for _, b in spans:
            self.reach.append(max(b, self.reach[-1]) if self.reach else b)

    def __call__(self, pos: int) -> bool:
        k = bisect_right(self.starts, pos)
        if k and self.reach[k - 1] > pos:
            return True
        return any(f[0] <= pos < f[1] for f in self.found[self.fixed :]) if self.fixed == 0 else False


_BEFORE_DASH = frozenset(_CLOSE + ",")  # besides spaces, what `closing` takes before its dash


def _closings(chunk: str, sp: _Speech) -> list[re.Match[str]]:
    """sp.closing.finditer(chunk), searched only near its dashes.

    Every match holds a match of `dash_verb` (a cheap scan: it starts with a dash) preceded only by
    a closing quote, spaces and a comma; so the next match starts within that run before the next
    `dash_verb` hit, and `closing` itself matches there at the latest (at the dash)."""
    out: list[re.Match[str]] = []
    pos = 0
    while (dv := sp.dash_verb.search(chunk, pos)) is not None:
        lo = dv.start()
        while lo > pos and (chunk[lo - 1].isspace() or chunk[lo - 1] in _BEFORE_DASH):
            lo -= 1
        m = sp.closing.search(chunk, lo)
        if m is None:  # cannot happen (closing matches at the dash); kept exact all the same
            break
        out.append(m)
        pos = m.end()
    return out


def _end_subject(chunk: str, sp: _Speech) -> re.Match[str] | None:
    """sp.end_subject.search(chunk): its match runs from a comma to the end of the sentence with no comma
    after the first, so when no verb holds a comma it starts at the last comma."""
    if not sp.subject_at_last_comma:
        return sp.end_subject.search(chunk)
    last = chunk.rfind(",")
    return sp.end_subject.search(chunk, last) if last >= 0 else None


def _may_hold(low: str | None, start: int, end: int, sp: _Speech) -> bool:
    """Can `that` match in [start, end)? Not when none of its conjunctions is in the caseless text."""
    if low is None or sp.that_needles is None:
        return True
    return any(low.find(n, start, end) >= 0 for n in sp.that_needles)


class _Lazy(Generic[T]):
    """A value computed on its first use (a paragraph's quote positions: only when a quote closes in it)."""

    def __init__(self, make: Callable[[], T]) -> None:
        self.make = make
        self.value: T | None = None

    def __call__(self) -> T:
        if self.value is None:
            self.value = self.make()
        return self.value


def _trailing(text: str, start: int, end: int, chars: str) -> int:
    """Where the run of spaces and `chars` that ends text[start:end] begins (`[\\s<chars>]*` fullmatches
    text[x:end] exactly when x is at or after it)."""
    i = end
    while i > start and (text[i - 1].isspace() or text[i - 1] in chars):
        i -= 1
    return i


def _ends_with_close(chunk: str, pos: int) -> bool:
    """chunk[:pos].rstrip() ends with a closing quote (read back over the spaces only)."""
    i = pos
    while i > 0 and chunk[i - 1].isspace():
        i -= 1
    return i > 0 and chunk[i - 1] in _CLOSE


def _first(
    people: list[Mention], lo: int, hi: int, ok: Callable[[Mention], bool] | None = None
) -> Mention | None:
    """The first person mention (in start order) starting in [lo, hi] for which `ok` holds."""
    for i in range(bisect_left(people, lo, key=_start), len(people)):
        p = people[i]
        if p.start > hi:
            break
        if ok is None or ok(p):
            return p
    return None


def find_speech(doc: Doc, people: list[Mention]) -> list[Mention]:
    sp = _speech()
    text = doc.text
    people = sorted((p for p in people if p.value), key=lambda m: m.start)
    found: list[tuple[int, int, str, int]] = []  # start, end, speaker, anchor (where the speaker is written)
    anchors: list[tuple[int, int]] = []  # (anchor, index in found), sorted: the latest anchor before a place
    by_end = _ByEnd(people)

    def add(entry: tuple[int, int, str, int]) -> None:
        insort(anchors, (entry[3], len(found)))
        found.append(entry)

    def previous_speaker(pos: int) -> str | None:
        """The speaker of the found speech written last before pos (the first found, among equals), else the
        last person mentioned before it."""
        k = bisect_left(anchors, (pos,))
        if k:
            first = bisect_left(anchors, (anchors[k - 1][0],))
            return found[anchors[first][1]][2]
        i = by_end.last_ending_by(pos)
        return people[i].value if i is not None else None

    low = doc_caseless(doc, text)
    verb_at = sp.verb_gate.hits(low)
    # 1. "...» – сказал X" and unquoted paragraphs closed by "– сказал X"
    for par in paragraphs(doc, verb_at):
        chunk = text[par.start : par.end]
        opens = _Lazy(lambda chunk=chunk: [i for i, ch in enumerate(chunk) if ch in _OPEN])
        tail = _Lazy(lambda par=par: _trailing(text, par.start, par.end, ".!"))
        for m in _closings(chunk, sp):
            pos = par.start + m.end()
            who = _person_at(people, pos, text)
            pron = sp.pronoun.match(text, pos)
            name = who.value if who else (previous_speaker(pos) if pron else None)
            if not name:
                continue
            end = par.start + m.start()
            if m.group(1):
                k = bisect_left(opens(), m.start())  # the last opening quote before the closing one
                open_at = opens()[k - 1] if k else -1
                start = par.start + (open_at + 1 if open_at >= 0 else 0)
                if text[end - 1 : end] in _CLOSE:
                    end -= 1
            elif (who.end if who else pos) >= tail() or _ends_with_close(chunk, m.start()):
                start = par.start
            else:
                continue
            add((start, end, str(name), pos))

    according_at = sp.according_gate.hits(low)
    kk_end_at = verb_at if sp.kk_end_gate is sp.verb_gate else sp.kk_end_gate.hits(low)
    sents = sentences(doc)
    covered = _Covers(found, all(a.end <= b.start for a, b in zip(sents, sents[1:], strict=False)))
    for s in sents:
        has_verb = verb_at.within(s.start, s.end)
        if not (has_verb or according_at.within(s.start, s.end) or kk_end_at.within(s.start, s.end)):
            continue  # no verb, "по словам" or Kazakh closing verb: nothing below can match
        chunk = text[s.start : s.end]
        if sp.collective.match(chunk):
            continue
        # 2. "..., отметил он." at the end of a sentence
        m = sp.end_verb.search(chunk) if has_verb else None
        if m and not covered(s.start):
            pos = s.start + m.start(1)
            who = _person_at(people, pos, text, 0)
            pron = sp.pronoun.match(m.group(1))
            name = who.value if who else (previous_speaker(pos) if pron else None)
            if name:
                add((s.start, s.start + m.start(), str(name), pos))
                continue
        # 2b. "..., Bektenov said." (English order: the speaker, then the verb)
        m = _end_subject(chunk, sp) if has_verb else None
        if m and not covered(s.start):
            lo, hi = s.start + m.start(1), s.start + m.end(1)
            # the subject ends with the person's name: "Bektenov", "Uzbek President Shavkat Mirziyoyev"
            who = _first(people, lo, hi, lambda p, hi=hi: p.end == hi)
            if who:
                add((s.start, s.start + m.start(), str(who.value), who.start))
                continue
        # 3. "X отметил, что ..." / "X said that ..."
        at = verb_at.first(s.start, s.end)
        m = sp.that.search(chunk, at - s.start) if at is not None and _may_hold(low, at, s.end, sp) else None
        if m:
            who = _person_ending(people, s.start + m.start(), text, by_end)
            if who:
                add((s.start + m.end(), s.end, str(who.value), who.start))
                continue
        # 4. "по его словам" / "по словам X"
        m = sp.according.search(chunk) if according_at.within(s.start, s.end) else None
        if m:
            who = _person_at(people, s.start + m.end(), text)
            name = who.value if who else previous_speaker(s.start)
            if name:
                add((s.start, s.end, str(name), s.start + m.start()))
                continue
        # 5. Kazakh: "X ... atap ótti." (subject first, verb last)
        at = kk_end_at.first(s.start, s.end)
        if at is not None and sp.kk_end.search(chunk, at - s.start):
            subj = _first(people, s.start, s.end - 1)
            if subj and not text[s.start : subj.start].strip(' \t\n«"'):
                add((subj.end, s.end, str(subj.value), subj.start))
    out = []
    seen: set[tuple[int, int]] = set()
    for start, end, name, _ in sorted(found):
        span = Span(start, end)
        if (start, end) in seen or end <= start or doc.is_excluded(span.start, span.end):
            continue
        seen.add((start, end))
        out.append(Mention(start, end, "speech", name))
    return out


class _SpeechIndex:
    """The document's speech mentions, to find the shortest one covering a span in O(log² n).

    A segment tree over the mentions in start order; each node keeps its mentions by end, furthest
    first, with the best (shortest, then first in doc.mentions) among each prefix. A span [start, end)
    is covered by a mention starting at or before `start` and ending at or after `end - 2`."""

    def __init__(self, mentions: list[Mention]) -> None:
        items = sorted(
            (
                (m.start, m.end, (m.end - m.start, i), m.value)
                for i, m in enumerate(mentions)
                if m.kind == "speech"
            ),
            key=lambda t: t[0],
        )
        self.starts = [t[0] for t in items]
        size = 1
        while size < len(items):
            size *= 2
        self.size = size
        nodes: list[list[tuple[int, tuple[int, int], str]]] = [[] for _ in range(2 * size)]
        for j, (_, end, key, value) in enumerate(items):
            nodes[size + j] = [(-end, key, value)]
        for p in range(size - 1, 0, -1):
            nodes[p] = sorted(nodes[2 * p] + nodes[2 * p + 1], key=lambda t: t[0])
        self.neg_ends = [[t[0] for t in node] for node in nodes]
        self.best: list[list[tuple[tuple[int, int], str]]] = []
        for node in nodes:
            running: list[tuple[tuple[int, int], str]] = []
            for _, key, value in node:
                running.append((key, value) if not running or key < running[-1][0] else running[-1])
            self.best.append(running)

    def speaker(self, start: int, end: int) -> str | None:
        found: tuple[tuple[int, int], str] | None = None
        lo, hi = self.size, self.size + bisect_right(self.starts, start)
        while lo < hi:
            for node in ((lo,) if lo & 1 else ()) + ((hi - 1,) if hi & 1 else ()):
                k = bisect_right(self.neg_ends[node], -(end - 2))  # those ending at or after end - 2
                if k and (found is None or self.best[node][k - 1][0] < found[0]):
                    found = self.best[node][k - 1]
            lo, hi = (lo + 1) // 2, hi // 2
        return found[1] if found else None


def speaker_of_span(doc: Doc, start: int, end: int) -> str | None:
    """The speaker of the shortest speech mention covering [start, end) (ending up to 2 characters
    before `end`), the first in doc.mentions among equals; None when no speech covers it. What
    karavan.extract.sentence.speaker_at answers, with an index built once per list of mentions."""
    key = ("speech-index", id(doc.mentions), len(doc.mentions))
    hit = doc.derived.get(key)
    if hit is None or hit[0] is not doc.mentions:
        hit = (doc.mentions, _SpeechIndex(doc.mentions))
        doc.derived[key] = hit  # type: ignore[assignment]
    return hit[1].speaker(start, end)
