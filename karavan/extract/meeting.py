"""Meeting facts: who met whom (participants and their countries), where, in which format and event.

A sentence with a meeting trigger (data/meetings.toml) and people in it states a meeting; a side
missing from the sentence ("В разговоре с премьер-министром Таджикистана ...") is the document's
main actor, and a city in the sentence gives a side too ("провел переговоры в Душанбе"). Mentions
of the same pair of countries are one meeting; one with three or more countries ("встречи с главами
правительств Узбекистана, Кыргызстана и Таджикистана") is split into the actor's pairs.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any

from karavan.annotate.countries import country_entries
from karavan.annotate.people import find_people
from karavan.annotate.people_context import Place, cities, countries, doc_pair, lang_at, sentences
from karavan.annotate.people_data import (
    LiteralGate,
    caseless,
    caseless_needles,
    doc_caseless,
    literal_prefix,
    load_data,
    scan,
)
from karavan.annotate.spans import ByStart
from karavan.doc import Doc, Fact, Mention, Span

_LEAD = re.compile(r"[\s\-–—•·*]+")  # a dash or bullet before a sentence is not part of its quote


@dataclass(slots=True)
class _Mention:
    sent: Span
    people: list[tuple[str, str]]  # (name, country)
    countries: list[str]
    priority: int  # 0 two named people, 1 two countries written, 2 the actor completes, 3 a city, 4 split
    title: bool = False  # a headline: a body sentence stating the same meeting is quoted first
    cities: list[Place] = field(default_factory=list)
    kind: str = ""  # "past" (an earlier meeting), "event" (a session, summit, forum): apart from the news
    weak: bool = False  # only a visit or an arrival is said, not that the sides met (a weaker quote)
    place: str | None = None  # the city the trigger is placed in («Минскіде өткен кездесуде»): another event
    bare: bool = False  # the sentence names nothing of the meeting: the context gave all its sides
    anaphor: bool = False  # every trigger points back ("the meeting was focused on"): a meeting said before


def needles(alternatives: list[str], flags: int = 0) -> tuple[str, ...] | None:
    """Literal beginnings (two characters or more) one of which every match of the alternatives holds:
    as written for a case-sensitive pattern, in caseless form (`caseless`) with IGNORECASE; None when an
    alternative has none (then the pattern must be run)."""
    prefixes = [literal_prefix(a) for a in alternatives]
    if not all(len(p) >= 2 for p in prefixes):
        return None
    return caseless_needles(prefixes, flags) if flags & re.IGNORECASE else tuple(prefixes)


def may_hold(words: tuple[str, ...] | None, text: str | None) -> bool:
    """False when none of `needles` is in `text` (the caseless text for an IGNORECASE pattern), so the
    pattern cannot match there: a plain `in` is far cheaper than a search of an IGNORECASE alternation."""
    return words is None or text is None or any(w in text for w in words)


@cache
def _rules() -> dict[str, Any]:
    raw = load_data("meetings.toml")

    def rx(words: list[str]) -> re.Pattern[str]:
        return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)", re.IGNORECASE)

    groups = []
    for spec in raw["groups"].values():
        form = "(?:" + "|".join(spec["forms"]) + ")"
        if spec["joined"]:  # "Центральная Азия + Германия", "China-Central Asia", «ОА — Италия»
            form = r"(?:" + form + r"\s*[+–—-]\s*\w|\w[\w»\"]*\s*[+–—-]\s*[«\"]?" + form + ")"
        groups.append((re.compile(form, re.IGNORECASE), tuple(spec["members"])))
    return {
        "trigger_gate": LiteralGate(raw["triggers"] + raw["pair_triggers"], re.IGNORECASE),
        "trigger": rx(raw["triggers"]),
        "pair_trigger": rx(raw["pair_triggers"]),
        "future": rx(raw["future"]),
        "caption": re.compile("|".join(re.escape(c) for c in raw["caption"])),
        "bilateral": rx(raw["bilateral"]),
        "pair_phrase": rx(raw["pair_phrase"]),
        "past": rx(raw["event"]["past"] + ["напомним", "recall"]),
        "event_head": rx(raw["event"]["multilateral"] + raw["event"]["sessions"]),
        "business": rx(raw["event"]["business"]),
        "weak": re.compile("|".join(raw["weak"]), re.IGNORECASE),
        # a speech verb, a few words (no punctuation but a name's dot), a preposition: ending at the trigger
        "said_at": re.compile(
            r"(?<!\w)"
            + _speech_verbs()
            + r"\s+(?:[\w.-]+\s+){0,5}?(?:(?:"
            + "|".join(raw["said_at"])
            + r")\s+)?(?:the\s+)?(?:[\w-]+\s+){0,6}?$",
            re.IGNORECASE,
        ),
        "time_point": re.compile(
            r"(?<!\w)(?:" + "|".join(raw["time_point"]) + r")\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE
        ),
        "anaphor": re.compile(r"(?<!\w)(?:" + "|".join(raw["anaphor"]) + r")\s+$", re.IGNORECASE),
        # a count right before a trigger, nothing but spaces between ("четыре заседания")
        "counted": re.compile(r"(?<!\w)(?:" + "|".join(raw["counted"]) + r")\s+$", re.IGNORECASE),
        "groups": tuple(groups),
        # matched at the trigger's end with .match(text, pos): the same as ^ on the rest of the sentence
        # (the patterns look at nothing before their start)
        "not_after": re.compile(r"\s*(?:" + "|".join(raw["not_after"]) + ")", re.IGNORECASE),
        "narrow": rx(raw["format"]["narrow"]),
        "extended": rx(raw["format"]["extended"]),
        "event": re.compile(
            r"(?<!\w)([A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][\w-]*(?:\s+[\w-]+){0,3}?\s+(?:"
            + "|".join(raw["event"]["heads"])
            + r"))(?!\w)"
        ),
        "today": rx(raw["date"]["today"]),
        "yesterday": rx(raw["date"]["yesterday"]),
        # the words every match of the patterns above holds (see `may_hold`)
        "narrow_words": needles(raw["format"]["narrow"], re.IGNORECASE),
        "extended_words": needles(raw["format"]["extended"], re.IGNORECASE),
        "event_words": needles(raw["event"]["heads"]),  # the event pattern is case-sensitive
        "today_words": needles(raw["date"]["today"], re.IGNORECASE),
        "yesterday_words": needles(raw["date"]["yesterday"], re.IGNORECASE),
    }


def group_members(text: str) -> list[str]:
    """The members of the groups of countries `text` names as a side of a format ("Central Asia + Italy",
    «Түркі мемлекеттерінің ұйымы»), in the order of data/meetings.toml."""
    out: list[str] = []
    for rx, members in _rules()["groups"]:
        if rx.search(text):
            out += [c for c in members if c not in out]
    return out


def _speech_verbs() -> str:
    """The speech verbs of data/roles.toml as one alternation."""
    verbs = sorted(load_data("roles.toml")["speech"]["verbs"], key=len, reverse=True)
    return "(?:" + "|".join(v.replace(" ", r"\s+") for v in verbs) + ")"


_DASH_PAR = re.compile(r"\s*[-–—]\s")
_ORIGIN = re.compile(r"(?<!\w)(?:from|из)\s+$", re.IGNORECASE)
_KNOWN = frozenset(code for code, kind, _, _ in country_entries() if kind != "not")


def _main_actor(people: list[Mention]) -> tuple[str, str] | None:
    counts = Counter(
        (str(m.value), str(m.attrs["country"])) for m in people if m.value and m.attrs.get("country")
    )
    return counts.most_common(1)[0][0] if counts else None


def _triggers(text: str, at: int, cands: list[int] | None) -> list[re.Match[str]]:
    """The triggers of a sentence from `at` on (`rules["trigger"].finditer(text, at)`) that are not followed
    by a `not_after` phrase. `cands`: the sentence's gate word starts (`Hits.word_starts`), None = unknown.

    A trigger begins with (?<!\\w) and a gate word, so it can begin at those candidates only: trying them
    in order, each from the end of the last match on, gives the matches finditer gives."""
    rules = _rules()
    trigger, not_after = rules["trigger"], rules["not_after"]
    if cands is None:
        found = list(trigger.finditer(text, at))
    else:
        found = scan(trigger, text, [c for c in cands if c >= at])
    return [m for m in found if not not_after.match(text, m.end())]


def _sentence_mention(
    doc: Doc,
    sent: Span,
    people: ByStart,
    places: ByStart,
    actor,
    at: int,
    cands: list[int] | None,
    ctx: _Context,
) -> list[_Mention]:
    """`at`: where in the document the first trigger of the sentence can start; `cands`: where in the
    sentence a trigger can start (`Hits.word_starts`), None when unknown."""
    rules = _rules()
    text = doc.text[sent.start : sent.end]
    inside = people.between(sent.start, sent.end)
    named: list[tuple[str, str]] = []
    codes: list[str] = []
    unplaced = False  # a person of no known country: a side the document's pair gives
    for m in inside:
        code = str(m.attrs.get("country") or "")
        name = m.value or m.attrs.get("holder")
        if name and (str(name), code) not in named:
            named.append((str(name), code))
        if code and code not in codes:
            codes.append(code)
        unplaced = unplaced or not code
    found = _triggers(text, at - sent.start, cands)
    if not found:
        # "обсудили X и Y": a meeting only with two people of two countries named
        pair_verb = rules["pair_trigger"].search(text)
        titled = {str(m.attrs.get("country")) for m in inside if m.attrs.get("form") in ("full", "pattern")}
        if not (len(titled) >= 2 and pair_verb):
            return []
        found = [pair_verb]
    found = [m for m in found if not ctx.quoted(sent.start + m.start()) and not _time_point(text, m)]
    if (
        not found
        or ctx.is_caption(sent.start + found[0].start())
        or (rules["future"].search(text) and not rules["today"].search(text))
        or _counted(text, found)
    ):
        return []
    grouped = False
    for rx, members in rules["groups"]:
        if rx.search(text):
            codes += [c for c in members if c not in codes]
            grouped = True
    for p in ctx.nations_at.between(sent.start, sent.end):
        if p.code not in codes and p.code in _KNOWN:
            if not _ORIGIN.search(doc.text, max(0, p.start - 8), p.start):  # "a visit from Azerbaijan"
                codes.append(p.code)
    here = places.between(sent.start, sent.end)
    own_sides = [c for c in codes if c]  # the countries the sentence itself names (people, countries)
    # nothing of the meeting's own: no person, country or city, no pair phrase («Переговоры продолжились»)
    bare = not (named or codes or here or rules["pair_phrase"].search(text))
    priority = 0 if len({c for _, c in named}) >= 2 else 1
    if len(codes) < 2 and actor and actor[1] not in codes:
        named.insert(0, actor)
        codes.insert(0, actor[1])
        priority = 2
    if len(codes) < 2 and unplaced:
        codes += [c for c in ctx.pair() if c not in codes][: 2 - len(codes)]
    if len(codes) < 2 and rules["bilateral"].search(text):
        codes += [c for c in ctx.pair() if c not in codes]
        priority = 3
    if len(codes) == 1 and codes[0] in ctx.pair():  # one side written: the other is the document's
        codes += [c for c in ctx.pair() if c not in codes]
        priority = 3
    if len(codes) < 2:
        for p in here:
            if p.code not in codes:
                codes.append(p.code)
                priority = 3
    if len(codes) < 2:
        return []
    title = _is_title(doc.text, sent)
    kind = _kind(text)
    aside = all(_aside(text, m.start()) for m in found)
    if aside and not (own_sides or here):
        return []  # "– деді ол отырыста" naming no side: where someone spoke, no meeting of two countries
    weak = aside or all(rules["weak"].fullmatch(m.group()) for m in found)
    place = _trigger_place(sent.start, found, here)
    # a session, summit or earlier meeting is named, not pointed back to
    anaphor = not kind and all(
        rules["anaphor"].search(text, max(0, m.start() - 60), m.start()) for m in found
    )
    if len(codes) == 2 or grouped:
        return [_Mention(sent, named, codes, priority, title, here, kind, weak, place, bare, anaphor)]
    first = codes[0]  # talks with each side on a summit's sidelines: bilateral meetings, kind of their own
    return [
        _Mention(
            sent, [n for n in named if n[1] in (first, c)], [first, c], 4, title, here, "", weak, place, bare
        )
        for c in codes[1:]
    ]


def _kind(text: str) -> str:
    """What sets the sentence's meeting apart from the others of the document: "past" (an earlier one),
    "event" (a summit, forum, an organisation's or a council's session), "business" (a meeting with
    business circles during a visit); "" for the talks of the news."""
    rules = _rules()
    if rules["event_head"].search(text):
        kind = "event"
    elif rules["business"].search(text):
        kind = "business"
    else:
        kind = ""
    return ("past" if rules["past"].search(text) else "") + kind


_NEAR = (
    40  # characters between a trigger and the city that places it («встреча в Минске», "talks in Tashkent")
)


def _trigger_place(base: int, found: list[re.Match[str]], here: list[Place]) -> str | None:
    """The city next to one of the sentence's triggers, if any."""
    for m in found:
        a, b = base + m.start(), base + m.end()
        for p in here:
            if a - _NEAR <= p.end <= a or b <= p.start <= b + _NEAR:
                return p.city
    return None


def _aside(text: str, at: int) -> bool:
    """Is the trigger at `at` only where someone spoke ("X said at the forum", «– сказала она на заседании
    комиссии», «– деді ол отырыста»)? A weaker statement of the meeting than one reporting it."""
    return bool(_rules()["said_at"].search(text, max(0, at - 120), at))


def _time_point(text: str, trigger: re.Match[str]) -> bool:
    """Is the trigger a summit or forum named as a point in time ("вскоре после июльского саммита")?"""
    rules = _rules()
    return bool(
        rules["event_head"].match(trigger.group())
        and rules["time_point"].search(text, max(0, trigger.start() - 40), trigger.start())
    )


def _counted(text: str, found: list[re.Match[str]]) -> bool:
    """Does a count stand before every trigger («состоялось четыре заседания», "held 12 meetings")? A number
    of meetings is no report of one."""
    rx = _rules()["counted"]
    return all(rx.search(text, max(0, m.start() - 30), m.start()) for m in found)


class _Context:
    """What the meeting rules read of the whole document: its countries, pair and photo captions."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        given = [m for m in doc.mentions_of("country") if m.attrs.get("form") != "capital"]
        # a capital is a place, not a side («прибыл в Душанбе»): cities give it, after the people
        if given:
            self.nations = [Place(m.start, m.end, str(m.value)) for m in given]
        else:  # not annotated: the same without the capitals the cities name
            towns = cities(doc)
            self.nations = [
                p for p in countries(doc) if not any(t.start < p.end and p.start < t.end for t in towns)
            ]
        self.nations_at = ByStart(self.nations)
        self._pair: list[str] | None = None
        rx = _rules()["caption"]
        lines = [(m.start(), m.end(), m.group().strip()) for m in re.finditer(r"[^\n]+", doc.text)]
        marked = {line for line in lines if rx.search(line[2])}
        # a line repeating the start of a caption line: its first 40 characters in one of them, looked for
        # in all of them joined by the one character no line holds (a scan of every caption line for each
        # line grew with the square of a long document)
        captions = "\n".join(t for _, _, t in sorted(marked))
        self.captions = [
            (a, b) for a, b, t in lines if (a, b, t) in marked or (len(t) > 20 and t[:40] in captions)
        ]

    def quoted(self, pos: int) -> bool:
        """Is `pos` inside quote marks (direct speech)? A meeting a speaker mentions in his own words
        («results of the commission's session») is no report of one; the words after the closing quote
        («...», – сказала она на заседании комиссии) are the reporter's."""
        text = self.doc.text
        par = text.rfind("\n", 0, pos) + 1
        before = text[par:pos]
        return (
            before.count("«") > before.count("»")
            or before.count("“") > before.count("”")
            or before.count('"') % 2 == 1  # straight quotes: an odd count opens one
        )

    def is_caption(self, pos: int) -> bool:
        return any(a <= pos < b for a, b in self.captions)

    def pair(self) -> list[str]:
        if self._pair is None:
            self._pair = doc_pair(self.doc, nations=self.nations)
        return self._pair


_MARKUP_END = re.compile(r"(?:\s|<[^<>\n]*>|&[a-z]+;)+$")  # tags and entities a crawler left at a line's end
_TITLE_WORDS = 20  # a headline is short: a line of more words is a body paragraph that lost its full stop


def _is_title(text: str, sent: Span) -> bool:
    """A line of its own without end punctuation (markup left at its end aside), of a headline's length."""
    line_start = text.rfind("\n", 0, sent.start) + 1
    line_end = text.find("\n", sent.end)
    line_end = len(text) if line_end < 0 else line_end
    body = text[sent.start : sent.end]
    tail = _MARKUP_END.search(body)
    body = body[: tail.start()] if tail else body
    return (
        not text[line_start : sent.start].strip()
        and not text[sent.end : line_end].strip()
        and not body.endswith((".", "!", "?", "…", ":", ";"))
        and len(body.split()) <= _TITLE_WORDS
    )


def _format(text: str, low: str | None) -> str | None:
    """`low`: caseless(text)."""
    rules = _rules()
    hits: list[tuple[int, str]] = []
    for kind in ("narrow", "extended"):
        if may_hold(rules[kind + "_words"], low):
            hits += [(m.start(), kind) for m in rules[kind].finditer(text)]
    return min(hits)[1] if hits else None


def _date(doc: Doc, text: str, low: str | None) -> str | None:
    """`low`: caseless(text)."""
    if not doc.published:
        return None
    rules = _rules()
    if may_hold(rules["today_words"], low) and rules["today"].search(text):
        return doc.published
    if may_hold(rules["yesterday_words"], low) and rules["yesterday"].search(text):
        return (date.fromisoformat(doc.published[:10]) - timedelta(days=1)).isoformat()
    return None


def _event(text: str) -> str | None:
    rules = _rules()
    found = rules["event"].search(text) if may_hold(rules["event_words"], text) else None
    return found.group(1) if found else None


@dataclass(slots=True)
class _Group:
    """The mentions of one meeting."""

    countries: frozenset[str]
    kind: str
    place: str | None
    members: list[_Mention]


def _joins(m: _Mention, g: _Group) -> bool:
    """Does mention `m` state the meeting of group `g`?

    Same countries and kind, and no other city placing it. A mention whose sides the context completed
    ("Переговоры прошли в расширенном составе") names nothing of its own: it is the meeting of the
    document that holds its countries, the talks of a visit being part of the visit's session or summit.
    A gathering of three or more countries is the event of those countries however it is named."""
    if m.place and g.place and m.place != g.place:
        return False
    mine = frozenset(m.countries)
    if m.anaphor and mine == g.countries and g.members[0].sent.start < m.sent.start:
        return True  # "the meeting was focused on ...": the meeting said before, whatever its kind
    if mine == g.countries and m.kind == g.kind:
        return True
    if m.priority >= 2 and mine <= g.countries:
        return m.kind == g.kind or (not m.kind and g.kind == "event")
    return not m.kind and g.kind == "event" and len(mine) >= 3 and mine == g.countries


def _group(mentions: list[_Mention]) -> list[_Group]:
    """Mentions into meetings: those naming their sides first, in text order, then the others."""
    groups: list[_Group] = []
    for m in sorted(mentions, key=lambda m: (m.priority >= 2, m.sent.start)):
        g = next((g for g in groups if _joins(m, g)), None)
        if g is None:
            groups.append(_Group(frozenset(m.countries), m.kind, m.place, [m]))
        else:
            g.members.append(m)
            g.place = g.place or m.place
    return groups


def _best(group: list[_Mention]) -> _Mention:
    """The mention a meeting is quoted from: its most complete statement. Not a headline; one saying that
    the sides met before one saying only that a visit took place, unless it names nothing of its own; one
    naming its sides (one or both, priority 0 and 1 alike) before one the context completes; then the
    first."""
    return min(group, key=lambda m: (m.title, m.bare, m.weak, max(m.priority, 1), m.sent.start))


def extract_meetings(doc: Doc) -> list[Fact]:
    people = doc.mentions_of("person") or find_people(doc)
    places = cities(doc)
    actor = _main_actor(people)
    mentions: list[_Mention] = []
    trigger_at = _rules()["trigger_gate"].hits(doc_caseless(doc, doc.text))
    ctx: _Context | None = None
    people_at, places_at = ByStart(people), ByStart(places)  # the sentence's found by bisection
    for sent in sentences(doc):
        at = trigger_at.first(sent.start, sent.end)
        if at is None:
            continue
        cands = trigger_at.word_starts(doc.text, sent.start, sent.end)
        ctx = ctx or _Context(doc)
        mentions += _sentence_mention(doc, sent, people_at, places_at, actor, at, cands, ctx)
    facts = []
    for g in _group(mentions):
        key, group = g.countries, g.members
        best = _best(group)
        participants: list[str] = []
        for m in sorted(group, key=lambda m: (m.priority, m.sent.start)):
            for name, code in m.people:
                if code in key and name not in participants:
                    participants.append(name)
        city = g.place or next((p.city for m in [best, *group] for p in m.cities if p.code in key), None)
        lead = _LEAD.match(doc.text, best.sent.start, best.sent.end)
        q_start = lead.end() if lead else best.sent.start
        text = doc.text[q_start : best.sent.end]
        low = caseless(text)
        group_text = " ".join(doc.text[m.sent.start : m.sent.end] for m in group)
        facts.append(
            Fact(
                type="meeting",
                doc=doc.id,
                start=q_start,
                end=best.sent.end,
                quote=text,
                fields={
                    "participants": participants,
                    "countries": sorted(key),
                    "place": city,
                    "date": _date(doc, text, low),
                    "format": _format(text, low) or _format(group_text, caseless(group_text)),
                    "event": _event(doc.text[best.sent.start : best.sent.end] + " " + group_text),
                },
                lang=lang_at(doc, q_start, best.sent.end),
                rule="meeting.trigger_sentence" if best.priority < 2 else "meeting.context_side",
            )
        )
    return sorted(facts, key=lambda f: f.start)
