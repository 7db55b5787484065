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
from dataclasses import dataclass
from functools import cache

from karavan.annotate.people_context import paragraphs, sentences
from karavan.annotate.people_data import LiteralGate, caseless_needles, doc_caseless, load_data
from karavan.doc import Doc, Mention, Span

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


def _person_at(people: list[Mention], pos: int, text: str, max_gap: int = 3) -> Mention | None:
    """The person mention starting at pos (after spaces), if any."""
    for m in people:
        if pos <= m.start <= pos + max_gap and not text[pos : m.start].strip():
            return m
    for m in people:  # "сказал глава государства Касым-Жомарт Токаев": lower-case role words between
        if pos <= m.start <= pos + 40 and _ROLE_WORDS.fullmatch(text, pos, m.start):
            return m
    return None


def _person_ending(people: list[Mention], pos: int, text: str) -> Mention | None:
    """The person mention ending just before pos (allowing "также"/"also")."""
    for m in people:
        if m.end <= pos and _ALSO.fullmatch(text, m.end, pos):
            return m
    return None


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
    sp = _speech()
    text = doc.text
    people = sorted((p for p in people if p.value), key=lambda m: m.start)
    found: list[tuple[int, int, str, int]] = []  # start, end, speaker, anchor (where the speaker is written)

    def previous_speaker(pos: int) -> str | None:
        before = [f for f in found if f[3] < pos]
        if before:
            return max(before, key=lambda f: f[3])[2]
        prev = [p for p in people if p.end <= pos]
        return prev[-1].value if prev else None

    low = doc_caseless(doc, text)
    verb_at = sp.verb_gate.hits(low)
    # 1. "...» – сказал X" and unquoted paragraphs closed by "– сказал X"
    for par in paragraphs(doc, verb_at):
        chunk = text[par.start : par.end]
        for m in _closings(chunk, sp):
            pos = par.start + m.end()
            who = _person_at(people, pos, text)
            pron = sp.pronoun.match(text, pos)
            name = who.value if who else (previous_speaker(pos) if pron else None)
            if not name:
                continue
            end = par.start + m.start()
            if m.group(1):
                open_at = max(chunk.rfind(q, 0, m.start()) for q in _OPEN)
                start = par.start + (open_at + 1 if open_at >= 0 else 0)
                if text[end - 1 : end] in _CLOSE:
                    end -= 1
            elif re.fullmatch(r"[\s.!]*", text[who.end if who else pos : par.end]) or chunk[
                : m.start()
            ].rstrip().endswith(tuple(_CLOSE)):
                start = par.start
            else:
                continue
            found.append((start, end, str(name), pos))

    according_at = sp.according_gate.hits(low)
    kk_end_at = verb_at if sp.kk_end_gate is sp.verb_gate else sp.kk_end_gate.hits(low)
    sents = sentences(doc)
    for s in sents:
        has_verb = verb_at.within(s.start, s.end)
        if not (has_verb or according_at.within(s.start, s.end) or kk_end_at.within(s.start, s.end)):
            continue  # no verb, "по словам" or Kazakh closing verb: nothing below can match
        chunk = text[s.start : s.end]
        if sp.collective.match(chunk):
            continue
        # 2. "..., отметил он." at the end of a sentence
        m = sp.end_verb.search(chunk) if has_verb else None
        if m and not any(f[0] <= s.start < f[1] for f in found):
            pos = s.start + m.start(1)
            who = _person_at(people, pos, text, 0)
            pron = sp.pronoun.match(m.group(1))
            name = who.value if who else (previous_speaker(pos) if pron else None)
            if name:
                found.append((s.start, s.start + m.start(), str(name), pos))
                continue
        # 2b. "..., Bektenov said." (English order: the speaker, then the verb)
        m = _end_subject(chunk, sp) if has_verb else None
        if m and not any(f[0] <= s.start < f[1] for f in found):
            lo, hi = s.start + m.start(1), s.start + m.end(1)
            # the subject ends with the person's name: "Bektenov", "Uzbek President Shavkat Mirziyoyev"
            who = next((p for p in people if lo <= p.start and p.end == hi), None)
            if who:
                found.append((s.start, s.start + m.start(), str(who.value), who.start))
                continue
        # 3. "X отметил, что ..." / "X said that ..."
        at = verb_at.first(s.start, s.end)
        m = sp.that.search(chunk, at - s.start) if at is not None and _may_hold(low, at, s.end, sp) else None
        if m:
            who = _person_ending(people, s.start + m.start(), text)
            if who:
                found.append((s.start + m.end(), s.end, str(who.value), who.start))
                continue
        # 4. "по его словам" / "по словам X"
        m = sp.according.search(chunk) if according_at.within(s.start, s.end) else None
        if m:
            who = _person_at(people, s.start + m.end(), text)
            name = who.value if who else previous_speaker(s.start)
            if name:
                found.append((s.start, s.end, str(name), s.start + m.start()))
                continue
        # 5. Kazakh: "X ... atap ótti." (subject first, verb last)
        at = kk_end_at.first(s.start, s.end)
        if at is not None and sp.kk_end.search(chunk, at - s.start):
            subj = [p for p in people if s.start <= p.start < s.end]
            if subj and not text[s.start : subj[0].start].strip(' \t\n«"'):
                found.append((subj[0].end, s.end, str(subj[0].value), subj[0].start))
    out = []
    seen: set[tuple[int, int]] = set()
    for start, end, name, _ in sorted(found):
        span = Span(start, end)
        if (start, end) in seen or end <= start or doc.is_excluded(span.start, span.end):
            continue
        seen.add((start, end))
        out.append(Mention(start, end, "speech", name))
    return out
