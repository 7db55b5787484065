"""`partner_rank` facts: a country's stated place among another's trade partners.

A clause states a rank when it names a place (an ordinal: "второй", "fourth", "2-е", "бірінші"; "крупнейший",
"largest" alone is 1; "лидер", "number one", "жетекші" are 1) together with a partner word ("торговый
партнер", "trading partner", "export market", "серіктесі") or a place word ("место", "строчку", "place",
"орын") in a text about partners. The ranked country (`partner`) is the subject; the country whose partners
are ranked (`reporter`) is the owner after the partner word ("партнером Казахстана", "partners of
Tajikistan", "for Uzbekistan") or before it (Uzbekistan's, Қазақстанның), else the country the text speaks
of. "After China and Russia" fixes a place (3) even in "one of the largest"; otherwise "one of", "top five",
"в пятерку" state no rank, and a place among one product's buyers or in the world is no partner rank.
The flow is export or import where the clause says so ("in terms of imports", "export market"), else turnover.

Reads: the clauses of a sentence (karavan.annotate.clauses), the discourse. Sets nothing: returns facts.
"""

from __future__ import annotations

import re
from functools import cache

from karavan.annotate.clauses import Clause
from karavan.annotate.lexicon import Gated, alternation, load_lexicon, word_pattern
from karavan.annotate.phrases import Phrase
from karavan.annotate.sentence import Sentence
from karavan.doc import Doc, Fact
from karavan.extract.discourse import Discourse
from karavan.extract.sentence import make_fact


@cache
def _words() -> dict[str, Gated]:
    lex = load_lexicon()
    out = {}
    for key in ("rank.first", "rank.after", "rank.digit_ordinal"):
        out[key] = Gated(alternation(lex.words(key)), re.IGNORECASE)
    return out


def _ordinal(s: Sentence, c: Clause) -> tuple[int, Phrase] | None:
    """The place the clause states, with the phrase that states it."""
    lex = load_lexicon()
    words = _words()
    text = s.text
    best: tuple[int, int, int] | None = None  # (start, end, rank)
    for m in s.find(words["rank.first"], c.start, c.end):
        best = best or (s.start + m.start(), s.start + m.end(), 1)
    from karavan.annotate.phrases import word_classes

    for m in s.find(word_classes().ordinals, c.start, c.end):
        value = lex.lookup("ordinals", m.group(0))
        if value and (best is None or best[2] == 1 and best[0] > s.start + m.start()):
            best = (s.start + m.start(), s.start + m.end(), int(value))
            break
    for n in c.of("number"):
        tail = text[n.end - s.start : n.end - s.start + 4]
        if (
            float(n.value).is_integer()
            and 1 <= n.value <= 20
            and re.match(
                r"-?" + alternation(lex.words("rank.digit_ordinal")) + r"(?!\w)", tail, re.IGNORECASE
            )
        ):
            best = best or (n.start, n.end, int(n.value))
    if best is None:
        largest = c.of("largest")
        if largest:
            best = (largest[0].start, largest[0].end, 1)
    if best is None:
        return None
    return best[2], Phrase("rank", best[0], best[1], best[2])


def _largest_volume(doc: Doc, s: Sentence, c: Clause, d: Discourse) -> Fact | None:
    """ "The largest volume of trade was recorded with China", "наибольший объем экспорта пришелся на ...": the
    country with the largest volume of a flow is first among the partners of the country in focus."""
    largest = c.of("largest")
    flows = c.of("flow")
    if (
        not largest
        or not flows
        or c.has("rank_exclude", "nonfact")
        or not (largest[0].end <= flows[0].start < largest[0].end + 25)
    ):
        return None
    names = [
        p for p in c.phrases if p.kind == "country" and p.role in ("with", "dest") and p.start > flows[0].end
    ]
    if len(names) != 1 or d.subject is None or d.subject == names[0].value:
        return None
    flow = _flow(s, c, d)
    fields = {"reporter": d.subject, "partner": names[0].value, "flow": flow, "rank": 1}
    return make_fact(
        doc, "partner_rank", largest[0].start, names[0].end, fields, "partner_rank.largest_volume", 0.9
    )


def _after_count(s: Sentence, c: Clause) -> int | None:
    """ "(после Китая и России)", "after Kazakhstan, China, Turkey": the place after the countries named."""
    codes = {p.value for p in _after_names(s, c)}
    return len(codes) + 1 if codes else None


def _after_names(s: Sentence, c: Clause) -> list[Phrase]:
    """The countries named right after "после", "after", "following"."""
    words = _words()["rank.after"]
    for m in s.find(words, c.start, c.end):
        at = s.start + m.end()
        names: list[Phrase] = []
        for p in c.phrases:
            if p.kind != "country" or p.start < at:
                continue
            gap = s.text[(names[-1].end if names else at) - s.start : p.start - s.start]
            if len(gap) > 12:
                break
            names.append(p)
        if names:
            return names
    return []


def extract_ranks(doc: Doc, s: Sentence, clauses: list[Clause], d: Discourse) -> list[Fact]:
    out = []
    head = _apposed_name(s, clauses)
    for c in clauses:
        fact = _rank(doc, s, c, d, head if c is not clauses[0] and c.opened_by == "comma" else None)
        if fact is not None:
            out.append(fact)
    return out


def _apposed_name(s: Sentence, clauses: list[Clause]) -> Phrase | None:
    """The name a sentence opens with when a comma follows it ("Russia, the top partner in 2022, placed
    second"): the subject of the predicate clauses after its apposition."""
    if not clauses or len(clauses[0].pieces) < 2:
        return None
    a, b = clauses[0].pieces[0]
    first = [p for p in clauses[0].phrases if a <= p.start < b]
    if len(first) != 1 or first[0].kind != "country":
        return None
    name = s.text[first[0].start - s.start : first[0].end - s.start]
    return first[0] if s.text[a - s.start : b - s.start].strip(" ,") == name else None


def _placing_verbs(s: Sentence, c: Clause) -> list[Phrase]:
    """A verb of placing right before an ordinal ("placed second", "comes in third")."""
    ordinals = [m.start() + s.start for m in s.find(_ordinals(), c.start, c.end)]
    return [v for v in c.of("place_verb") if any(0 < o - v.end <= 4 for o in ordinals)]


def _ordinals() -> Gated:
    from karavan.annotate.phrases import word_classes

    return word_classes().ordinals


def _rank(doc: Doc, s: Sentence, c: Clause, d: Discourse, head: Phrase | None = None) -> Fact | None:
    partner_words = c.of("partner_word")
    place_words = c.of("place") + _placing_verbs(s, c)
    if not partner_words and not (place_words and (d.list_flow or d.trade_talk)):
        return _largest_volume(doc, s, c, d)
    after = _after_count(s, c)
    ordinal = _ordinal(s, c)
    if after is not None:
        rank, at = after, Phrase("rank", c.start, c.start, after)
    elif ordinal is None:
        return None
    else:
        rank, at = ordinal
        # "один из", "top five" before the partner word (or right after it): no exact place; after a
        # conjunction it is another claim ("второй партнер ... и, кстати, один из важнейших инвесторов")
        words = partner_words or place_words
        excluded = [
            e
            for e in c.of("rank_exclude")
            if not words or e.start < words[0].end or not _apart(s, words[0], e)
        ]
        # "бесспорным лидером и одним из главных партнеров": a first place stated before the "one of"
        if (
            excluded and not (rank == 1 and at.end <= excluded[0].start and _names_first(s, at))
        ) or _one_of_after(s, c):
            return None
    if _in_world(s, c):
        return None
    names = [p for p in c.phrases if p.kind == "country" and p.role != "loc"]
    names += _pointed(c, d)  # "партнер нашей республики": the document's own country
    if not names and head is not None and not partner_words:
        names = [head]  # "Russia, ..., placed second": the name the sentence opened with
    if not names:
        return None
    anchor = (partner_words or place_words or [at])[0]
    listed = _after_names(s, c)
    names = [p for p in names if p not in listed]  # "после Китая и России" come before it: not the reporter
    # the owner of the partners: marked so ("Uzbekistan's", "Қазақстанның"), or named right after a partner
    # word ("партнером Казахстана", "partners of Tajikistan"); after a place word a name is the one ranked
    # ("In second place is Russia")
    owner = next((p for p in names if p.role == "owner"), None)
    if owner is None and partner_words:
        owner = next(
            (
                p
                for p in names
                if p.start >= anchor.end and p.role in ("plain", "dest", "with") and _for_or_of(s, anchor, p)
            ),
            None,
        )
    subject = next((p for p in names if p is not owner), None)
    reporter = (
        owner.value
        if owner is not None
        else (d.subject if d.subject and (subject is None or d.subject != subject.value) else None)
    )
    if subject is None or reporter is None or subject.value == reporter:
        return None
    flow = _flow(s, c, d)
    fields = {"reporter": reporter, "partner": subject.value, "flow": flow, "rank": rank}
    lo = min(subject.start, at.start, anchor.start)
    hi = max(p.end for p in (anchor, at, *([owner] if owner is not None else [])))
    hi = max(hi, subject.end)
    return make_fact(doc, "partner_rank", lo, hi, fields, "partner_rank.place")


def _pointed(c: Clause, d: Discourse) -> list[Phrase]:
    """Pointers to a country ("нашей республики", "біздің еліміздің") read as the country they point to."""
    out = []
    for p in c.of("pointer"):
        code = {"home": d.home, "focus": d.subject}.get(str(p.value))
        if code:
            out.append(
                Phrase("country", p.start, p.end, code, "owner" if p.role in ("plain", "owner") else p.role)
            )
    return out


def _apart(s: Sentence, a: Phrase, b: Phrase) -> bool:
    """A clause break (a comma, a conjunction) stands between two phrases."""
    gap = s.text[a.end - s.start : b.start - s.start]
    return bool(re.search(r"[,;]", gap) or word_pattern("clause.and").search(gap))


def _names_first(s: Sentence, at: Phrase) -> bool:
    """The place is said in a word of its own ("лидер", "leading"), not in "крупнейших" of "одним из"."""
    from karavan.annotate.lexicon import load_lexicon

    word = s.text[at.start - s.start : at.end - s.start].lower()
    return any(word.startswith(w.lower().rstrip("*")) for w in load_lexicon().words("rank.first"))


def _for_or_of(s: Sentence, anchor: Phrase, owner: Phrase) -> bool:
    gap = s.text[anchor.end - s.start : owner.start - s.start]
    return len(gap) < 30


def _one_of_after(s: Sentence, c: Clause) -> bool:
    """Kazakh "ірі сауда серіктестерінің бірі": "one of" after the partner word."""
    for p in c.of("rank_exclude_after"):
        if any(0 <= p.start - w.end < 12 for w in c.of("partner_word")):
            return True
    return False


def _in_world(s: Sentence, c: Clause) -> bool:
    text = s.text[c.start - s.start : c.end - s.start].lower()
    return bool(word_pattern("rank_exclude.world").search(text))


@cache
def _flow_words(flow: str) -> re.Pattern[str]:
    """The words of a flow: its nouns and verbs, and for exports the markets it is sold on."""
    lex = load_lexicon()
    words = lex.words(f"flow.{flow}") + lex.words(f"flow.{flow}_verb")
    if flow == "export":
        words += lex.words("rank.export_words")
    return re.compile(alternation(words), re.IGNORECASE)


def _flow(s: Sentence, c: Clause, d: Discourse) -> str:
    text = s.text[c.start - s.start : c.end - s.start]
    if _flow_words("import").search(text):
        return "import"
    if _flow_words("export").search(text):
        return "export"
    return d.list_flow if d.list_flow in ("export", "import") else "turnover"
