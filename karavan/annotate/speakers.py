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
        that=re.compile(
            verbs + r"(?:\s+о\s+том|(?:\s+[\w-]+){1,3}?)?\s*,?\s*(?:" + "|".join(_THAT) + r")\s+", i
        ),
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
    """The people mentions (in start order; those `keep` keeps) looked up by where they end."""

    def __init__(self, people: list[Mention], keep: Callable[[Mention], bool] | None = None) -> None:
        kept = [i for i, p in enumerate(people) if keep is None or keep(p)]
        self.order = sorted(kept, key=lambda i: people[i].end)
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


class _Union:
    """The union of half-open spans, kept as sorted disjoint spans: is a place inside any span added?"""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, a: int, b: int) -> None:
        if b <= a:
            return
        i = bisect_left(self.ends, a)  # the first span ending at or after a: it touches or follows [a, b)
        j = bisect_right(self.starts, b)  # spans from i to j touch [a, b): merged into one
        if i < j:
            a, b = min(a, self.starts[i]), max(b, self.ends[j - 1])
        self.starts[i:j] = [a]
        self.ends[i:j] = [b]

    def covers(self, pos: int) -> bool:
        k = bisect_right(self.starts, pos)
        return k > 0 and pos < self.ends[k - 1]


class _Lazy(Generic[T]):
    """A value computed on its first use (a paragraph's quote positions: only when a quote closes in it)."""

    def __init__(self, make: Callable[[], T]) -> None:
        self.make = make
        self.value: T | None = None

    def __call__(self) -> T:
        if self.value is None:
            self.value = self.make()
        return self.value


def _positions(chunk: str, chars: str) -> list[int]:
    return [m.start() for m in re.finditer("[" + re.escape(chars) + "]", chunk)]


def _last_before(positions: list[int], pos: int) -> int:
    """max(chunk.rfind(q, 0, pos) for q in chars), from the chunk's positions of those characters."""
    k = bisect_left(positions, pos)
    return positions[k - 1] if k else -1


def _trailing(text: str, start: int, end: int, chars: str) -> int:
    """Where the run of spaces and `chars` that ends text[start:end] begins: `[\\s<chars>]*` fullmatches
    text[x:end] exactly when x is at or after it."""
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


def _blank_before(chunk: str, pos: int) -> bool:
    """not chunk[:pos].strip(), reading only up to the first character that is not a space."""
    i = 0
    while i < pos and chunk[i].isspace():
        i += 1
    return i >= pos


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


def find_speech(doc: Doc, people: list[Mention]) -> list[Mention]:
    """Speech mentions of the document (see the module's docstring); an institution's data gives a speech
    mention with value None: said by no one."""
    return _Finder(doc, people).run()


@dataclass(frozen=True, slots=True)
class _More:
    """The speech rules beyond the closings: data/roles.toml [speech]."""

    quote_close: re.Pattern[str]  # "...», подчеркнул X" (no dash after a closing quote)
    en_close: re.Pattern[str]  # '...," Mirziyoyev said' / '," she said'
    back_ref: re.Pattern[str]
    source: re.Pattern[str]
    institution: re.Pattern[str]
    kk_according: re.Pattern[str]
    first_person: re.Pattern[str]
    stop: re.Pattern[str]
    inner_verb: re.Pattern[str]  # ", отметил он," inside a sentence
    en_plain: re.Pattern[str]  # "X said the first meeting ..." (English, no "that")
    en_told: re.Pattern[str]  # ", X told TurkicWorld, Trend reports."


@cache
def _more() -> _More:
    raw = load_data("roles.toml")["speech"]
    i = re.IGNORECASE
    verbs = _alt(raw["verbs"])
    pron = _alt(raw["pronouns"])
    return _More(
        quote_close=re.compile(r"([" + _CLOSE + r"])\s*,\s*" + verbs + r"\s+", i),
        en_close=re.compile(
            r"[,.!?]?\s*[" + _CLOSE + r"]\s*,?\s*([^,.;:\n]{1,80}?)\s+" + verbs + r"(?!\w)", i
        ),
        back_ref=re.compile(r"\s*(?:[«\"]\s*)?" + _alt(raw["back_ref"]) + r"(?!\w)", i),
        source=re.compile(r"(?<!\w)" + _alt(raw["source"]) + r"\s+(?:the\s+)?(\w[\w-]*)", i),
        institution=re.compile(_alt(raw["institutions"]) + r"$", i),
        # (?<!\S): the word before starts where a run of non-spaces does. The same matches as without it (the
        # leftmost always starts there), but one try a run instead of one a character: a text without spaces
        # made each search square in its length
        kk_according=re.compile(r"(?<!\S)(\S+)\s+" + _alt(raw["kk_according"]) + r"(?!\w)", i),
        first_person=re.compile(r"(?<!\w)" + _alt(raw["first_person"]) + r"(?!\w)", i),
        stop=re.compile(r"\s*(?:[-–—•]\s*)?" + _alt(raw["continuation_stop"]) + r"(?!\w)", i),
        inner_verb=re.compile(r",\s*" + verbs + r"\s+" + pron + r"\s*,", i),
        en_told=re.compile(
            r",\s+(\S[^,]{0,80}?)\s+(?:told|said)\s+[^,.]{0,40}(?:,\s*[^,]{0,40})?[.!]?\s*$", i
        ),
        en_plain=re.compile(
            r"(?<!\w)(?:said|says|noted|stressed|added|told\s+\w+)\s+(?!that\b)(?=[A-Za-z])", i
        ),
    )


_LABEL_END = re.compile(r"[^\n.!?]{0,160}?:|[^\n.!?:]{0,160}$", re.M)
_OPENS = re.compile(r"\s*[-–—]?\s*[«“„\"]")
_DASH_START = re.compile(r"\s*[-–—]\s")


class _Finder:
    def __init__(self, doc: Doc, people: list[Mention]) -> None:
        self.doc = doc
        self.text = doc.text
        self.people = sorted((p for p in people if p.value), key=lambda m: m.start)
        self.found: list[tuple[int, int, str | None, int]] = []  # start, end, speaker (None: no one), anchor
        self.sp = _speech()
        self.more = _more()
        # look-ups kept as speeches are found (a scan of every speech or person per question was quadratic in
        # a document of thousands of facts): what the speeches cover, their anchors, the people by end
        self.union = _Union()
        self.named: list[tuple[int, int]] = []  # (anchor, index in found) of the speeches with a speaker
        self.anchors: set[int] = set()
        self.by_end = _ByEnd(self.people)
        # how far before its person a title phrase begins, at most
        self.lead = max([0, *(p.start - p.attrs["phrase"][0] for p in self.people if "phrase" in p.attrs)])
        self.roles: dict[str, _ByEnd] = {}

    # -- helpers ----------------------------------------------------------------------------------------
    def covered(self, pos: int) -> bool:
        return self.union.covers(pos)

    def speaker_before(self, end: int, start: int | None = None) -> str | None:
        """The speaker of the found speech written last before `end` (at or after `start`), the first found
        among equals."""
        k = bisect_left(self.named, (end,))
        if not k or (start is not None and self.named[k - 1][0] < start):
            return None
        first = bisect_left(self.named, (self.named[k - 1][0],))
        return self.found[self.named[first][1]][2]

    def previous_speaker(self, pos: int) -> str | None:
        name = self.speaker_before(pos)
        if name:
            return name
        i = self.by_end.last_ending_by(pos)
        return str(self.people[i].value) if i is not None else None

    def people_from(self, lo: int, hi: int) -> list[Mention]:
        """The people starting in [lo, hi], in start order."""
        return self.people[
            bisect_left(self.people, lo, key=_start) : bisect_right(self.people, hi, key=_start)
        ]

    def person_in(self, a: int, b: int) -> Mention | None:
        """The first person named in [a, b), not counting one inside another's title («директор Фонда
        Нурсултана Назарбаева Ержан Салтыбаев» names Saltybayev)."""
        inside = [p for p in self.people_from(a, b) if p.end <= b]
        phrases = [p.attrs["phrase"] for p in inside if "phrase" in p.attrs]
        for p in inside:
            if not any(x <= p.start and p.end <= y and (x, y) != p.attrs.get("phrase") for x, y in phrases):
                return p
        return None

    def by_title(self, a: int, b: int, pos: int) -> str | None:
        """The person a bare title at [a, b) stands for: the last one named before `pos` whose office the
        title names, else the last speaker."""
        roles = _title_roles(_view_text(self.doc, a, b))
        if roles:
            if not self.roles:  # the people of each role, by end
                for role in {str(p.attrs.get("role") or "") for p in self.people}:
                    self.roles[role] = _ByEnd(
                        self.people, lambda p, role=role: str(p.attrs.get("role") or "") == role
                    )
            last = [
                i
                for role, index in self.roles.items()
                if role in roles or (role.endswith("minister") and "minister" in roles)
                if (i := index.last_ending_by(pos)) is not None
            ]
            if last:  # the last named before pos (in start order) whose office the title names
                return str(self.people[max(last)].value)
        return self.previous_speaker(pos)

    def bare_title(self, a: int, b: int) -> bool:
        """Is text[a:b] a title without a name ("The minister", «Вице-премьер», «Глава представительства ЕС»)?"""
        words = _view_text(self.doc, a, b).split()
        if not 1 <= len(words) <= 6 or self.person_in(a, b):
            return False
        return any(_is_title_word(w) for w in words)

    def titled_at(self, pos: int) -> Mention | None:
        """The person whose title begins at `pos` («– деді Сауда министрі Асқар Омаров»)."""
        while pos < len(self.text) and self.text[pos].isspace():
            pos += 1
        # a title begins at most `lead` characters before its person
        return next(
            (
                p
                for p in self.people_from(pos + 1, pos + self.lead)
                if p.attrs.get("phrase", (pos + 1,))[0] <= pos
            ),
            None,
        )

    def subject(self, a: int, verb: int) -> Mention | None:
        """The person who is the subject of a verb at `verb`: named in the clause before it, with no comma
        between («Серик Жумангарин на пленарном заседании ... заявил, что»)."""
        comma = self.text.rfind(",", a, verb)  # no comma between: ending after the last one before the verb
        cands = [i for i in self.by_end.ending_in(max(a, comma + 1), verb) if self.people[i].start >= a]
        last = self.people[cands[-1]] if cands else None
        return last if last and not re.search(r"[.;:!?]", self.text[last.end : verb]) else None

    def par_before(self, pars: list[Span], pos: int) -> Span | None:
        """The last paragraph ending at or before pos."""
        k = bisect_right(self.par_ends, pos)
        return pars[k - 1] if k else None

    def par_holding(self, pars: list[Span], pos: int) -> Span | None:
        k = bisect_right(self.par_starts, pos)
        return pars[k - 1] if k and pars[k - 1].start <= pos < pars[k - 1].end else None

    def line_start(self, pos: int) -> int:
        """text.rfind("\\n", 0, pos) + 1, from the line breaks found once."""
        breaks = self.breaks()
        k = bisect_left(breaks, pos)
        return breaks[k - 1] + 1 if k else 0

    def line_end(self, pos: int) -> int:
        """text.find("\\n", pos), or the end of the text."""
        breaks = self.breaks()
        k = bisect_left(breaks, pos)
        return breaks[k] if k < len(breaks) else len(self.text)

    def breaks(self) -> list[int]:
        if not hasattr(self, "_breaks"):
            self._breaks = [m.start() for m in re.finditer("\n", self.text)]
        return self._breaks

    def add(self, start: int, end: int, name: str | None, anchor: int) -> None:
        if name:
            insort(self.named, (anchor, len(self.found)))
        self.anchors.add(anchor)
        self.union.add(start, end)
        self.found.append((start, end, name, anchor))

    # -- rules ------------------------------------------------------------------------------------------
    def run(self) -> list[Mention]:
        doc, text, sp = self.doc, self.text, self.sp
        low = doc_caseless(doc, text)
        verb_at = sp.verb_gate.hits(low)
        pars = paragraphs(doc)
        self.par_ends = [p.end for p in pars]  # paragraphs are lines, in order
        self.par_starts = [p.start for p in pars]
        self.labels(pars)
        self.closings(pars, verb_at)
        according_at = sp.according_gate.hits(low)
        kk_end_at = verb_at if sp.kk_end_gate is sp.verb_gate else sp.kk_end_gate.hits(low)
        sents = sentences(doc)
        reported: list[tuple[int, str]] = []  # (sentence index, speaker) of "X said that ..."
        for k, s in enumerate(sents):
            chunk = text[s.start : s.end]
            if sp.collective.match(chunk):
                continue
            if self.source(s, chunk):
                continue
            has_verb = verb_at.within(s.start, s.end)
            if has_verb and self.back_reference(s, chunk, pars, sents, k):
                continue
            if not (has_verb or according_at.within(s.start, s.end) or kk_end_at.within(s.start, s.end)
                    or self.more.kk_according.search(chunk)):  # fmt: skip
                continue
            got = self.sentence(s, chunk, has_verb, according_at, kk_end_at, low, verb_at)
            if got is not None:
                reported.append((k, got))
        self.continuations(sents, reported, pars)
        self.open_quotes(pars)
        out = []
        seen: set[tuple[int, int]] = set()
        for start, end, name, _ in sorted(self.found, key=lambda f: (f[0], f[1])):
            if (start, end) in seen or end <= start or doc.is_excluded(start, end):
                continue
            seen.add((start, end))
            out.append(Mention(start, end, "speech", name))
        return out

    def labels(self, pars: list[Span]) -> None:
        """ "Name, title:" or a line of a name and a title alone: what follows is that person's."""
        text = self.text
        for n, par in enumerate(pars):
            at = par.start + len(text[par.start : par.end]) - len(text[par.start : par.end].lstrip())
            who = next(iter(self.people_from(at, at)), None)
            if who is None:
                continue
            m = _LABEL_END.match(text, who.end, par.end)
            if m is None or m.end() > par.end:
                continue
            if m.group().endswith(":"):
                rest = text[m.end() : par.end]
                if rest.strip():
                    self.add(m.end(), par.end, str(who.value), who.start)
                    continue
            elif m.end() != par.end or not (m.group().strip() == "" or self.bare_title(who.end, par.end)):
                continue
            if n + 1 < len(pars):
                self.add(pars[n + 1].start, pars[n + 1].end, str(who.value), who.start)

    def closings(self, pars: list[Span], verb_at) -> None:
        text, sp = self.text, self.sp
        for par in paragraphs(self.doc, verb_at):
            chunk = text[par.start : par.end]
            opens = _Lazy(lambda chunk=chunk: _positions(chunk, _OPEN))
            plain_opens = _Lazy(lambda chunk=chunk: _positions(chunk, '“"«'))
            tail = _Lazy(lambda par=par: _trailing(text, par.start, par.end, ".!"))
            matches = [(m, True) for m in _closings(chunk, sp)]
            matches += [(m, True) for m in self.more.quote_close.finditer(chunk)]
            for m, _ in sorted(matches, key=lambda x: x[0].start()):
                pos = par.start + m.end()
                if pos in self.anchors:
                    continue
                who = _person_at(self.people, pos, text) or self.titled_at(pos)
                pron = sp.pronoun.match(text, pos)
                title = None if who or pron else _title_after(self, pos, par.end)
                name = who.value if who else (self.previous_speaker(pos) if pron else None)
                if title:
                    name = self.by_title(pos, title, pos)
                if not name:
                    continue
                end = par.start + m.start()
                if m.group(1):
                    open_at = _last_before(opens(), m.start())
                    start = par.start + (open_at + 1 if open_at >= 0 else 0)
                    if text[end - 1 : end] in _CLOSE:
                        end -= 1
                elif _blank_before(chunk, m.start()):  # "– отметил он." alone closes the paragraph before
                    prev = self.par_before(pars, par.start)
                    if prev is None:
                        continue
                    start, end = prev.start, prev.end
                elif (who.end if who else pos) >= tail() or _ends_with_close(chunk, m.start()):
                    start = par.start
                else:
                    continue
                self.add(start, end, str(name), pos)
            for m in self.more.en_close.finditer(chunk):
                lo, hi = par.start + m.start(1), par.start + m.end(1)
                who = next((p for p in self.people_from(lo, hi) if p.end == hi), None)
                name = who.value if who else None
                if name is None and sp.pronoun.fullmatch(m.group(1)):
                    name = self.previous_speaker(lo)
                if name is None or self.covered(par.start + m.start()):
                    continue
                open_at = _last_before(plain_opens(), m.start())
                start = par.start + (open_at + 1 if open_at >= 0 else 0)
                self.add(start, par.start + m.start(), str(name), lo)

    def source(self, s: Span, chunk: str) -> bool:
        """ "According to the State Statistics Committee, ...": an institution's data, nobody's words."""
        for m in self.more.source.finditer(chunk):
            at = s.start + m.start(1)
            who = next(
                (
                    p
                    for p in self.people_from(at, at + self.lead)
                    if p.start == at or p.attrs.get("phrase", (-1,))[0] == at
                ),
                None,
            )
            if who is not None:  # "as reported by EU Ambassador ... Charlotte Adrian": hers
                self.add(s.start, s.end, str(who.value), who.start)
                return True
            if _is_title_word(_view_text(self.doc, at, s.start + m.end(1))):  # «по данным главы минтруда»
                name = self.by_title(at, s.start + m.end(1), s.start)
                if name:
                    self.add(s.start, s.end, name, at)
                    return True
            if self.person_in(s.start, s.end):  # "According to IRNA, Mehrabian said that ...": the speaker's
                return False
            word = m.group(1)
            if self.more.institution.match(word) or word[:1].isupper():
                self.add(s.start, s.end, None, s.start + m.start())
                return True
        return False

    def back_reference(self, s: Span, chunk: str, pars: list[Span], sents: list[Span], k: int) -> bool:
        """«Об этом сообщил X», «Такие данные озвучил X»: what comes before it in the paragraph (the paragraph
        before, when it opens its own) is X's."""
        m = self.more.back_ref.match(chunk)
        if not m:
            return False
        who = self.person_in(s.start + m.end(), s.end)
        if who is None:
            return False
        par = self.par_holding(pars, s.start)
        if par is None:
            return False
        start = par.start
        if not self.text[par.start : s.start].strip():
            prev = self.par_before(pars, par.start)
            if prev is None:
                return False
            start, end = prev.start, prev.end
        else:
            end = s.start
        self.add(start, end, str(who.value), who.start)
        self.add(s.start, s.end, str(who.value), who.start)
        return True

    def sentence(
        self, s: Span, chunk: str, has_verb: bool, according_at, kk_end_at, low, verb_at
    ) -> str | None:
        """The rules over one sentence; returns the speaker of reported speech ("X said that"), if any."""
        text, sp, more = self.text, self.sp, self.more
        # 2d. "..., ambassador Olgan Bekar told TurkicWorld, Trend reports."
        m = more.en_told.search(chunk) if has_verb else None
        if m and not self.covered(s.start):
            lo, hi = s.start + m.start(1), s.start + m.end(1)
            who = next((p for p in self.people_from(lo, hi) if p.end == hi), None)
            if who:
                self.add(s.start, s.start + m.start(), str(who.value), who.start)
                return None
        # 2c. ", отметил он," inside the sentence
        m = more.inner_verb.search(chunk) if has_verb else None
        if m and not self.covered(s.start):
            name = self.previous_speaker(s.start + m.start())
            if name:
                self.add(s.start, s.end, name, s.start + m.start())
                return name
        # 2. "..., отметил он." at the end of a sentence
        m = sp.end_verb.search(chunk) if has_verb else None
        if m and not self.covered(s.start):
            pos = s.start + m.start(1)
            who = _person_at(self.people, pos, text, 0)
            pron = sp.pronoun.match(m.group(1))
            title = not who and not pron and self.bare_title(pos, s.end)
            name = who.value if who else (self.previous_speaker(pos) if pron else None)
            if title:
                name = self.by_title(pos, s.end, pos)
            if name:
                self.add(s.start, s.start + m.start(), str(name), pos)
                return None
        # 2b. "..., Bektenov said." (English order: the speaker, then the verb)
        m = _end_subject(chunk, sp) if has_verb else None
        if m and not self.covered(s.start):
            lo, hi = s.start + m.start(1), s.start + m.end(1)
            who = next((p for p in self.people_from(lo, hi) if p.end == hi), None)
            if who:
                start = self.direct_paragraph_start(s)
                self.add(start, s.start + m.start(), str(who.value), who.start)
                return None
        # 3. "X отметил, что ..." / "X said that ..." / "The minister added that ..."
        at = verb_at.first(s.start, s.end)
        m = sp.that.search(chunk, at - s.start) if at is not None and _may_hold(low, at, s.end, sp) else None
        if m is None and at is not None:
            m = more.en_plain.search(chunk, at - s.start)
        if m:
            verb_start = s.start + m.start()
            who = _person_ending(self.people, verb_start, text, self.by_end) or self.subject(
                s.start, verb_start
            )
            name = str(who.value) if who else None
            if name is None:
                subject = text[s.start : verb_start]
                if _PRONOUN_SUBJECT.search(subject) or _generic_subject(subject):
                    name = self.previous_speaker(s.start)
                elif self.bare_title(s.start, verb_start):
                    name = self.by_title(s.start, verb_start, s.start)
            if name:
                self.add(s.start + m.end(), s.end, name, who.start if who else s.start)
                return name
        # 4. "по его словам" / "по словам X"
        m = sp.according.search(chunk) if according_at.within(s.start, s.end) else None
        if m:
            who = _person_at(self.people, s.start + m.end(), text)
            name = who.value if who else self.previous_speaker(s.start)
            if name:
                self.add(s.start, s.end, str(name), s.start + m.start())
                return str(name)
        # 4b. Kazakh: "Сапаровтың айтуынша, ..." / «Вице-министрдің мәліметіне сәйкес, ...»
        m = more.kk_according.search(chunk)
        if m:
            who = next((p for p in self.people_from(s.start + m.start(1) - 60, s.start + m.end(1) - 1)
                        if s.start + m.end(1) <= p.end + 6), None)  # fmt: skip
            name = who.value if who else (self.previous_speaker(s.start) if _is_title_word(
                _view_text(self.doc, s.start + m.start(1), s.start + m.end(1))) else None)  # fmt: skip
            if name:
                self.add(s.start, s.end, str(name), s.start + m.start())
                return str(name)
        # 5. Kazakh: "X ... atap ótti." (subject first, verb last)
        at = kk_end_at.first(s.start, s.end)
        if at is not None and sp.kk_end.search(chunk, at - s.start):
            subj = self.people_from(s.start, s.end - 1)
            lead = text[s.start : subj[0].start] if subj else ""
            if subj and (
                not lead.strip(' \t\n«"') or (len(lead.split()) <= 8 and not re.search(r"[,.;:]", lead))
            ):
                self.add(subj[0].end, s.end, str(subj[0].value), subj[0].start)
            elif (
                not subj
                and self.bare_title(s.start, min(s.end, s.start + 80))
                and self.previous_speaker(s.start)
            ):
                self.add(s.start, s.end, self.previous_speaker(s.start), s.start)
        return None

    def direct_paragraph_start(self, s: Span) -> int:
        """Where the speech a sentence-final "..., X said." closes begins: its paragraph's start when the
        paragraph is direct speech in the first person without quote marks, else the sentence's start."""
        text = self.text
        a = self.line_start(s.start)
        before = text[a : s.start]
        if before.strip() and self.more.first_person.search(before) and not self.covered(a) and not (
                self.people_from(a, s.start - 1)):  # fmt: skip
            return a + len(before) - len(before.lstrip())
        return s.start

    def continuations(self, sents: list[Span], reported: list[tuple[int, str]], pars: list[Span]) -> None:
        """Reported speech goes on to the end of its paragraph: «X отметил, что A. Так, B.» B is X's too,
        unless another speaker, a source or a person opens the sentence."""
        text = self.text
        for k, name in reported:
            par_end = self.line_end(sents[k].start)
            for j in range(k + 1, len(sents)):  # (a slice of the rest, per sentence, was quadratic)
                s = sents[j]
                if s.start >= par_end or self.covered(s.start):
                    break
                chunk = text[s.start : s.end]
                if (
                    self.more.stop.match(chunk)
                    or self.person_in(s.start, s.end)
                    or self.sp.collective.match(chunk)
                ):
                    break
                self.add(s.start, s.end, name, s.start)

    def open_quotes(self, pars: list[Span]) -> None:
        """A paragraph of direct speech in quote marks (or opened by a dash) that no tag closes: the speaker
        named just before it (in the paragraph before, as a speaker or a person)."""
        for n, par in enumerate(pars):
            if n == 0 or self.covered(par.start + 1) or self.covered(par.end - 1):
                continue
            if not (_OPENS.match(self.text, par.start) or _DASH_START.match(self.text, par.start)):
                continue
            speaker = None
            for prev in pars[max(0, n - 2) : n][::-1]:
                if speaker:
                    break
                speaker = self.speaker_before(prev.end, prev.start)
                if speaker is None:
                    who = self.people_from(prev.start, prev.end - 1)
                    if who:
                        speaker = str(who[0].value)
                        break
            if speaker:
                self.add(par.start, par.end, speaker, par.start - 1)


def _view_text(doc: Doc, a: int, b: int) -> str:
    """The normalised text of doc.text[a:b] (Kazakh Latin read as Cyrillic)."""
    norm = doc.norm
    if norm is None:
        return doc.text[a:b]
    inv = doc.derive("speech_inverse", norm.text, lambda: norm.inverse(len(doc.text)))
    return norm.text[inv[a] : inv[b]]


@cache
def _title_heads() -> tuple[frozenset[str], tuple[str, ...]]:
    """Word forms of title heads (Russian forms, Kazakh heads, English heads' words) and Russian stems."""
    raw = load_data("roles.toml")["titles"]
    forms: set[str] = set()
    stems = []
    for stem, _cls, _role in raw["ru"]["heads"]:
        if " " not in stem:
            stems.append(stem)
    forms.update(h for h, _ in raw["kk"]["heads"])
    forms.update(w for h, _ in raw["en"]["heads"] for w in h.split()[-1:])
    forms.update(["глава", "главы", "лидер", "басшысы", "вице-премьер", "премьер"])
    return frozenset(forms), tuple(sorted(stems, key=len, reverse=True))


def _is_title_word(word: str) -> bool:
    forms, stems = _title_heads()
    w = word.lower().strip(".,:;«»\"'")
    if w in forms:
        return True
    return any(w.startswith(st) and len(w) - len(st) <= 3 for st in stems)


def _title_after(finder: _Finder, pos: int, end: int) -> int | None:
    """ "– сказал посол." / "– подчеркнул вице-премьер": a bare title closes the quote (its end)."""
    m = _TITLE_AFTER.match(
        finder.text, pos, end
    )  # (a slice to the paragraph's end, per closing, was quadratic)
    return m.end(1) if m and finder.bare_title(pos, m.end(1)) else None


_TITLE_AFTER = re.compile(r"\s*((?:[\w-]+\s+){0,3}?[\w-]+)\s*[.!,]")


_PRONOUN_SUBJECT = re.compile(
    r"(?:^|[\s,])(?:he|she|он|она|ол)(?:\s+(?:then|also|further|again|reportedly|earlier|также|тоже|же|ещё|еще))?\s*$",
    re.I,
)


@cache
def _title_role_map() -> dict[str, str]:
    raw = load_data("roles.toml")["titles"]
    out: dict[str, str] = {}
    for stem, cls, role in raw["ru"]["heads"]:
        for ending in raw["ru"]["classes"][cls]:
            out.setdefault(stem + ending, role)
    out.update({h: r for h, r in raw["kk"]["heads"]})
    out.update({h.split()[-1]: r for h, r in raw["en"]["heads"]})
    return out


def _title_roles(phrase: str) -> set[str]:
    """The offices a bare title names: «вице-премьер» deputy_pm, "the minister" minister."""
    words = [w.lower().strip(".,:;«»\"'") for w in phrase.split()]
    m = _title_role_map()
    roles = {m[w] for w in words if w in m}
    if "deputy" in roles and len(roles) > 1:
        roles = {"deputy_" + r for r in roles - {"deputy"}} | {"deputy_pm"} if "pm" in roles else roles
    return roles


_GENERIC = re.compile(r"\s*(?:the\s+)?(?:head\s+of\s+state|глава\s+государства|мемлекет\s+басшысы)\s*$", re.I)


def _generic_subject(subject: str) -> bool:
    return bool(_GENERIC.fullmatch(subject))


def speaker_at(doc: Doc, start: int, end: int) -> str | None:
    """Who says the text at [start, end) of doc.text: the speaker of the narrowest speech mention holding it
    (a speech mention with no speaker, an institution's data, holds it for nobody), else None. A span holds
    it when its end lies inside the speech: a fact's span may open with the speech's own attribution
    («Шен отметил, что …») or a quote mark before it. That is: the speech starts before `end` and ends at
    or after both `end - 2` and `start + 1`."""
    key = ("speech-index", id(doc.mentions), len(doc.mentions))
    hit = doc.derived.get(key)  # an index of the speeches, built once per list of mentions
    if hit is None or hit[0] is not doc.mentions:
        hit = (doc.mentions, _SpeechIndex(doc.mentions))
        doc.derived[key] = hit  # type: ignore[index,assignment]
    return hit[1].narrowest(end - 1, max(end - 2, start + 1))  # type: ignore[attr-defined]


class _SpeechIndex:
    """The document's speech mentions, to find in O(log² n) the narrowest (then the first in doc.mentions)
    of those starting at or before one place and ending at or after another.

    A segment tree over the mentions in start order; each node keeps its mentions by end, furthest
    first, with the best of each prefix."""

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
        nodes: list[list[tuple[int, tuple[int, int], object]]] = [[] for _ in range(2 * size)]
        for j, (_, end, key, value) in enumerate(items):
            nodes[size + j] = [(-end, key, value)]
        for p in range(size - 1, 0, -1):
            nodes[p] = sorted(nodes[2 * p] + nodes[2 * p + 1], key=lambda t: t[0])
        self.neg_ends = [[t[0] for t in node] for node in nodes]
        self.best: list[list[tuple[tuple[int, int], object]]] = []
        for node in nodes:
            running: list[tuple[tuple[int, int], object]] = []
            for _, key, value in node:
                running.append((key, value) if not running or key < running[-1][0] else running[-1])
            self.best.append(running)

    def narrowest(self, last_start: int, first_end: int) -> str | None:
        """The value of the narrowest mention starting at or before last_start and ending at or after
        first_end."""
        found: tuple[tuple[int, int], object] | None = None
        lo, hi = self.size, self.size + bisect_right(self.starts, last_start)
        while lo < hi:
            for node in ((lo,) if lo & 1 else ()) + ((hi - 1,) if hi & 1 else ()):
                k = bisect_right(self.neg_ends[node], -first_end)  # those ending at or after first_end
                if k and (found is None or self.best[node][k - 1][0] < found[0]):
                    found = self.best[node][k - 1]
            lo, hi = (lo + 1) // 2, hi // 2
        return found[1] if found else None  # type: ignore[return-value]
