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
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from karavan.annotate.people_context import paragraphs, sentences
from karavan.doc import Doc, Mention, Span

_OPEN = '«“„"'
_CLOSE = '»”"'
_DASH = r"[–—-]"


@dataclass(frozen=True, slots=True)
class _Speech:
    verbs: str
    kk_end: str
    pronouns: str
    according: str
    collective: str


def _alt(words: list[str]) -> str:
    return "(?:" + "|".join(sorted((w.replace(" ", r"\s+") for w in words), key=len, reverse=True)) + ")"


@cache
def _speech() -> _Speech:
    with resources.files("karavan.data").joinpath("roles.toml").open("rb") as fh:
        raw = tomllib.load(fh)["speech"]
    return _Speech(*(_alt(raw[k]) for k in ("verbs", "kk_end", "pronouns", "according", "collective")))


def _person_at(people: list[Mention], pos: int, text: str, max_gap: int = 3) -> Mention | None:
    """The person mention starting at pos (after spaces), if any."""
    for m in people:
        if pos <= m.start <= pos + max_gap and not text[pos : m.start].strip():
            return m
    for m in people:  # "сказал глава государства Касым-Жомарт Токаев": lower-case role words between
        if pos <= m.start <= pos + 40 and re.fullmatch(
            r"(?:[^\W\d_A-ZА-ЯЁ][\w-]*\s+){1,4}", text[pos : m.start]
        ):
            return m
    return None


def _person_ending(people: list[Mention], pos: int, text: str) -> Mention | None:
    """The person mention ending just before pos (allowing "также"/"also")."""
    for m in people:
        gap = text[m.end : pos]
        if m.end <= pos and re.fullmatch(r"\s*(?:также|тоже|also|же)?\s*", gap):
            return m
    return None


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

    # 1. "...» – сказал X" and unquoted paragraphs closed by "– сказал X"
    closing = re.compile(r"([" + _CLOSE + r"]?)\s*,?\s*" + _DASH + r"\s*" + sp.verbs + r"\s+", re.IGNORECASE)
    for par in paragraphs(doc):
        chunk = text[par.start : par.end]
        for m in closing.finditer(chunk):
            pos = par.start + m.end()
            who = _person_at(people, pos, text)
            pron = re.match(sp.pronouns + r"(?!\w)", text[pos:], re.IGNORECASE)
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

    sents = sentences(doc)
    for s in sents:
        chunk = text[s.start : s.end]
        if re.match(r"\s*" + sp.collective + r"(?!\w)", chunk, re.IGNORECASE):
            continue
        # 2. "..., отметил он." at the end of a sentence
        m = re.search(r",\s*" + sp.verbs + r"\s+(\S.*?)[.!]?\s*$", chunk, re.IGNORECASE)
        if m and not any(f[0] <= s.start < f[1] for f in found):
            pos = s.start + m.start(1)
            who = _person_at(people, pos, text, 0)
            pron = re.match(sp.pronouns + r"(?!\w)", m.group(1), re.IGNORECASE)
            name = who.value if who else (previous_speaker(pos) if pron else None)
            if name:
                found.append((s.start, s.start + m.start(), str(name), pos))
                continue
        # 3. "X отметил, что ..." / "X said that ..."
        m = re.search(sp.verbs + r"\s*,?\s*(?:что|that)\s+", chunk, re.IGNORECASE)
        if m:
            who = _person_ending(people, s.start + m.start(), text)
            if who:
                found.append((s.start + m.end(), s.end, str(who.value), who.start))
                continue
        # 4. "по его словам" / "по словам X"
        m = re.search(sp.according + r"(?!\w)", chunk, re.IGNORECASE)
        if m:
            who = _person_at(people, s.start + m.end(), text)
            name = who.value if who else previous_speaker(s.start)
            if name:
                found.append((s.start, s.end, str(name), s.start + m.start()))
                continue
        # 5. Kazakh: "X ... atap ótti." (subject first, verb last)
        if re.search(sp.kk_end + r"[.!]?\s*$", chunk, re.IGNORECASE):
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
