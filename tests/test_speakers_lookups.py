"""The speech look-ups answer as the plain scans they replace (which were quadratic in a document with
thousands of facts): the speaker of a span (speaker_at), the person at or just before a place, and whether
a speech found so far covers a place."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from karavan.annotate.speakers import _ByEnd, _person_at, _person_ending, _Union, speaker_at
from karavan.doc import Doc, Mention

WORDS = ["Токаев", " ", "  ", " также ", " же ", " тоже ", " also ", "x", ",", "глава государства ", "\n"]


def plain_speaker(doc: Doc, start: int, end: int) -> str | None:
    """speaker_at as a scan: every mention, every time (a span is held when its end lies in the speech)."""
    best = None
    for m in doc.mentions:
        if m.kind == "speech" and m.start < end <= m.end + 2 and start < m.end:
            if best is None or (m.end - m.start) < (best.end - best.start):
                best = m
    return best.value if best else None


spans = st.tuples(st.integers(0, 60), st.integers(0, 25)).map(lambda t: (t[0], t[0] + t[1]))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(spans, st.sampled_from(["speech", "person", "amount"]), st.sampled_from("ABCD"))),
    st.lists(spans, min_size=1, max_size=20),
)
def test_speakers_speaker_of_a_span_same_as_the_plain_scan(mentions: list, queries: list) -> None:
    doc = Doc(id="d", text="x" * 100)
    doc.mentions = [Mention(a, b, kind, value) for (a, b), kind, value in mentions]
    for start, end in queries:
        assert speaker_at(doc, start, end) == plain_speaker(doc, start, end)


def plain_person_at(people: list[Mention], pos: int, text: str, max_gap: int = 3) -> Mention | None:
    import re

    role = re.compile(r"(?:[^\W\d_A-ZА-ЯЁ][\w-]*\s+){1,4}")
    for m in people:
        if pos <= m.start <= pos + max_gap and not text[pos : m.start].strip():
            return m
    for m in people:
        if pos <= m.start <= pos + 40 and role.fullmatch(text, pos, m.start):
            return m
    return None


def plain_person_ending(people: list[Mention], pos: int, text: str) -> Mention | None:
    import re

    also = re.compile(r"\s*(?:также|тоже|also|же)?\s*")
    for m in people:
        if m.end <= pos and also.fullmatch(text, m.end, pos):
            return m
    return None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30), st.data())
def test_speakers_person_look_ups_same_as_the_plain_scans(words: list[str], data: st.DataObject) -> None:
    text = "".join(words)
    n = len(text)
    raw = data.draw(st.lists(st.tuples(st.integers(0, n), st.integers(0, 12)), max_size=12))
    people = sorted(
        (Mention(a, min(n, a + w), "person", f"p{i}") for i, (a, w) in enumerate(raw)), key=lambda m: m.start
    )
    by_end = _ByEnd(people)
    for pos in range(n + 1):
        for gap in (0, 3):
            assert _person_at(people, pos, text, gap) is plain_person_at(people, pos, text, gap)
        assert _person_ending(people, pos, text, by_end) is plain_person_ending(people, pos, text)
        prev = [p for p in people if p.end <= pos]
        i = by_end.last_ending_by(pos)
        assert (people[i] if i is not None else None) is (prev[-1] if prev else None)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(spans, st.lists(st.integers(0, 90), max_size=5)), max_size=15))
def test_speakers_covered_same_as_the_plain_scan(steps: list) -> None:
    union, added = _Union(), []
    for (a, b), points in steps:  # spans added as speeches are found, places asked in between
        union.add(a, b)
        added.append((a, b))
        for x in points:
            assert union.covers(x) == any(s <= x < e for s, e in added)
