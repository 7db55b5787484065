"""Numeric facts read clause by clause: trade values, targets, export offers, changes, bases.

For each clause (karavan.annotate.clauses) its frame (karavan.extract.frames) gives the flow, the two
countries, the product and the period; then each figure the clause states becomes one fact:

- `trade.value`: a figure of a flow between two countries ("товарооборот между X и Y составил 1,3 млрд");
- `trade.base`, `trade.from`: the figure compared with ("compared to $1.245 billion in 2021") and the first
  figure of a from-to pair ("с 738 до 1 049 тыс. тонн"): facts of their own, with their own period;
- `trade.change`: a change with no figure ("экспорт вырос на 13,5%"); growth over several years ("за
  последние пять лет ... в четыре раза") is such a fact with no period, beside the figure it stands with;
- `target.level`: a figure after a goal ("довести товарооборот до 2 млрд", "increase trade to $5 billion",
  "2 млрд долларға жеткізу"); a figure of a future verb with no goal, or an observer's expectation, is a
  forecast: no fact;
- `export_offer.offer`: an offer to raise exports (positions, a sum).

A clause that only points back ("Это на 17% больше", "This figure has increased by 31 percent", "Рост ...
составил 10 процентов") gives its change (and its base) to the fact before it. No figure of an absolute
change, a unit price, an investment, a deal, a bloc's, region's or one country's total becomes a fact.

Reads: doc.sentences, doc.mentions (through the clause layer), doc.reference_year, doc.published.
Sets nothing: returns the facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache

from karavan.annotate.clauses import Clause, group_values, split_clauses
from karavan.annotate.lexicon import ending, load_lexicon, word_pattern, word_set
from karavan.annotate.periods import resolve_against
from karavan.annotate.phrases import Phrase, read_phrases
from karavan.annotate.sentence import Sentence, sentences_of
from karavan.doc import Doc, Fact
from karavan.extract.discourse import Discourse, home_of, names_in, update
from karavan.extract.frames import Frame, other, read_frame
from karavan.extract.rank import extract_ranks
from karavan.extract.sentence import make_fact
from karavan.extract.share import extract_share


@dataclass(slots=True)
class SentenceRun:
    """The facts and frames of one sentence as its clauses are read."""

    facts: list[Fact] = field(default_factory=list)
    frames: list[Frame] = field(default_factory=list)
    flows: list[str] = field(default_factory=list)
    total_of: str | None = None
    positions: int | None = None  # a count of commodity positions the sentence states, for its offer
    compared: Phrase | None = None  # the last comparison period read ("compared to the same period of 2022")
    respective: list[str] = field(
        default_factory=list
    )  # the partners of the figures, in turn ("respectively")
    taken: int = 0  # how many of them the figures read so far have taken


def extract_numeric(doc: Doc) -> list[Fact]:
    sentences = sentences_of(doc)
    phrases = [read_phrases(s) for s in sentences]
    named = Discourse().seen
    for ph in phrases:
        named.update(names_in(ph))
    home = home_of(doc, named)
    article_starts = {a.start for a in doc.articles}
    every = Discourse().seen
    for ph in phrases:
        every.update(p.value for p in ph if p.kind == "country")
    top = [c for c, _ in every.most_common(2)]
    doc_pair = (top[0], top[1]) if len(top) == 2 else None
    d = Discourse(home=home, subject=home, doc_pair=doc_pair)
    facts: list[Fact] = []
    for s, ph in zip(sentences, phrases, strict=True):
        if doc.norm and doc.norm.to_orig[s.start] in article_starts and facts:
            d = Discourse(home=home, subject=home, doc_pair=doc_pair)
        d.sentence_names = list(dict.fromkeys(p.value for p in ph if p.kind == "country"))
        run = SentenceRun(positions=_positions(s, ph))
        prev: Frame | None = None
        clauses = split_clauses(s, ph)
        run.respective = _respective(s, ph, clauses, d)
        for i, c in enumerate(clauses):
            prev = _clause(doc, s, c, prev, d, run, _shared_predicate(clauses[i + 1 :]))
        ranks = extract_ranks(doc, s, clauses, d)
        if ranks:
            d.list_flow = ranks[-1].fields["flow"]
        facts.extend(run.facts)
        facts.extend(ranks)
        update(d, ph, run.facts, run.flows, run.total_of)
        _carry_period(d, s, ph, run)
    return facts


def _carry_period(d: Discourse, s: Sentence, phrases: list[Phrase], run: SentenceRun) -> None:
    """The period the next sentences inherit: the last fact period this one stated."""
    periods = [
        p
        for p in phrases
        if p.kind == "period" and period_role(s, p, phrases) == "fact" and not _open_year(p)
    ]
    stated = [f for f in run.facts if f.rule not in ("trade.base", "trade.from")]
    if stated and "period" in stated[-1].fields:
        # a fact whose own period the text states but cannot resolve ("January-October this year" with no
        # date) ends the period carried before it
        d.period = stated[-1].fields.get("period") or (None if periods else d.period)
    elif periods and periods[-1].value:
        d.period = periods[-1].value


def _open_year(p: Phrase) -> bool:
    """ "this year", "биыл", "в этом году": the current year, not over."""
    spec = p.attrs.get("mention")
    attrs = spec.attrs if spec is not None else {}
    return attrs.get("rel") == 0 and attrs.get("shape") == "year"


def _shared_predicate(later: list[Clause]) -> tuple[Phrase | None, Phrase | None, bool]:
    """The flow verb (and product) a list of items shares when it comes last, and whether a goal comes last:
    "Өзбекстанға 1,2 млн тонна, Тәжікстанға 800 мың тонна бидай экспорттады", "биыл 3 млрд долларға, ал 2020
    жылға 5 млрд долларға жеткізуді көздеп отыр" (Kazakh puts the verb after all the items)."""
    goal = any(c.opened_by in ("comma", "and") and c.has("goal") for c in later)
    for c in later:
        if c.opened_by not in ("comma", "and"):
            return None, None, goal
        verbs = c.of("flow_verb")
        if verbs:
            products = c.of("product")
            return verbs[-1], (products[-1] if products else None), goal
        if c.of("flow"):
            return None, None, goal
    return None, None, goal


def _clause(
    doc: Doc,
    s: Sentence,
    c: Clause,
    prev: Frame | None,
    d: Discourse,
    run: SentenceRun,
    shared: tuple[Phrase | None, Phrase | None, bool] = (None, None, False),
) -> Frame:
    items = group_values(c, s)
    anchor = items[0][0].start if items else _change_anchor(c)
    bases = [p for p in c.of("period") if period_role(s, p, c.phrases) == "base"]
    if c.opened_by == "when" and not bases and run.compared is not None:
        # "... compared to the same period of 2022, when imports were $2.2 billion": that period's figure
        c = replace(c, phrases=sorted([run.compared, *c.phrases], key=lambda p: (p.start, -p.end)))
    elif bases:
        run.compared = bases[-1]
    frame = read_frame(c, s, anchor, prev, d, shared[0] if items else None)
    if prev is not None and prev.total and not frame.own_flow and not c.has("country", "pointer"):
        # "... объем внешней торговли Узбекистана составил $26,7 млрд и увеличился на 3%": still that total
        frame.total = True
    if frame.flow and frame.own_flow:
        run.flows.append(frame.flow)
    if frame.total and frame.reporter is None and frame.own_flow:
        names = [p.value for p in c.of("country") if p.role != "loc"]
        if len(set(names)) == 1:
            run.total_of = names[0]
    frame.period = choose_period(s, c, anchor, frame, prev, d)
    frame.period_local = _appositive_period(s, c)
    frame.product = choose_product(s, c, anchor, frame, prev, d)
    run.facts.extend(extract_share(doc, s, c, frame))
    if frame.product == "total" and shared[1] is not None and not c.of("product") and items:
        frame.product = shared[1].value
    if frame.product == "total" and items and _unit(items[0][0]) == "t" and d.commodity:
        frame.product = d.commodity  # tonnes are of a commodity: the one the text is speaking of
    if not items:
        # "195 тауар түрі бойынша экспорт көлемін ұлғайта алады": its sum may follow
        if _is_offer(c, s, frame, run.positions):
            run.facts.extend(_offer(doc, s, c, frame, [], d, run))
            return frame
        if _points_back(c, frame, run, d):
            _join_back(doc, s, c, frame, run, d)
            return prev or frame
        if _continues_figure(s, c, frame, run):
            # "... reached $2.6 billion and decreased by 20 percent compared to ...": the figure's own change
            _complete_last(doc, s, c, run)
            return prev or frame
        if _is_target_clause(c, s, frame, prev):
            run.facts.extend(_factor_target(doc, s, c, frame))
        else:
            run.facts.extend(_change_only(doc, s, c, frame, d))
        run.facts.extend(_bases(doc, s, c, frame, run))
        return frame
    kind = _kind(c, s, frame, prev, items, run, d, shared[2])
    if kind is None:
        return frame
    if kind == "export_offer":
        run.facts.extend(_offer(doc, s, c, frame, items, d, run))
        return frame
    if frame.reporter is None or frame.partner is None or frame.total or frame.flow is None:
        return frame
    multi_year = _multi_year_change(s, c)
    for n, item in enumerate(items):
        fr = _in_turn(frame, run, d)  # the item's own frame: with "respectively", its partner in turn
        for v in item:
            if _governed_by_nonfact(c, s, v):
                continue
            period = choose_period(s, c, v.start, frame, prev, d) if n else frame.period
            if c.figures("from"):  # "from $13 million in 2014 to $362 million in 2019": each its own
                period = _period_after(s, c, v) or _range_end(c, 1) or period
            first = not (n or multi_year or v is not item[0])
            pct, factor = change_of(s, c, v) if first or _bracketed_change(s, c, v) else (None, None)
            if fr is None:
                continue
            if kind == "target":
                run.facts.append(_target_fact(doc, s, c, fr, v))
            elif not _completes_change(d, run, c, fr, v, period):
                run.facts.append(_trade_fact(doc, s, c, fr, v, period, pct, factor, "trade.value"))
    if multi_year and kind == "trade":
        run.facts.extend(_change_only(doc, s, c, frame, d, period_none=True))
    if kind == "trade":
        run.facts.extend(_bases(doc, s, c, frame, run))
    return frame


def _respective(s: Sentence, phrases: list[Phrase], clauses: list[Clause], d: Discourse) -> list[str]:
    """The partners a sentence's figures take in turn: "... to Uzbekistan and Tajikistan reached $1 billion
    and $0.5 billion respectively", "Бұл елдерге тиісінше 791 мың тонна және 459 мың тонна": as many names
    (named before the first figure, or the countries the sentence before named) as the sentence has items."""
    if not any(p.kind == "respectively" for p in phrases):
        return []
    count = sum(len(group_values(c, s)) for c in clauses)
    values = [v for c in clauses for v in c.values]
    if count < 2 or not values:
        return []
    if any(p.kind == "pointer" and p.value == "group" for p in phrases):
        names = list(d.group)
    else:
        names = list(
            dict.fromkeys(
                p.value
                for p in phrases
                if p.kind == "country" and p.role != "loc" and p.start < values[0].start
            )
        )[-count:]
    return names if len(names) == count else []


def _in_turn(frame: Frame, run: SentenceRun, d: Discourse) -> Frame | None:
    """The frame of the next figure of a "respectively" sentence: its partner the next name in turn."""
    if not run.respective:
        return frame
    if run.taken >= len(run.respective):
        return None
    partner = run.respective[run.taken]
    run.taken += 1
    reporter = frame.reporter
    if reporter is None or reporter in run.respective:
        reporter = next((x for x in (d.subject, d.home) if x and x not in run.respective), None)
    if reporter is None:
        return None
    return replace(frame, reporter=reporter, partner=partner)


def _bracketed_change(s: Sentence, c: Clause, v: Phrase) -> bool:
    """A change in brackets right after a list item's figure ("459 мың тонна (өсім 98 есе)"): that item's."""
    for p in c.phrases:
        if p.kind in ("percent", "factor", "change") and 0 < p.start - v.end <= 3:
            return "(" in s.text[v.end - s.start : p.start - s.start]
    return False


def _unit(v: Phrase) -> str | None:
    mention = v.attrs.get("mention")
    return mention.attrs.get("unit") if mention is not None else None


def _range_end(c: Clause, end: int) -> str | None:
    """ "За 1991-2014 гг. ... с $90 млн увеличился до $4 млрд": the from-figure takes the first year, the
    to-figure the last (`end` 0 or 1)."""
    for p in c.of("period"):
        spec = p.attrs.get("mention")
        if spec is not None and spec.attrs.get("shape") == "year_range" and p.value:
            year = p.value[:4] if end == 0 else p.value[8:12]
            return f"{year}-01/{year}-12"
    return None


def _completes_change(
    d: Discourse, run: SentenceRun, c: Clause, frame: Frame, v: Phrase, period: str | None
) -> bool:
    """ "Тауар айналымы ... үш есе өсті. Оның көлемі ... 100 миллион долларға жетті": a figure pointing back to
    a change stated just before with no figure of its own completes that fact instead of making a second."""
    last = d.last_fact
    if (
        run.facts
        or last is None
        or last.type not in ("trade", "export_offer")
        or last.fields.get("value") is not None
    ):
        return False
    if not any(p.kind == "pointer" and p.value == "figure" for p in c.phrases) or c.has("country"):
        return False
    f = last.fields
    if last.type == "export_offer":  # "Оның жалпы құны – 260 миллион доллар": the offer's sum
        f.update(value=v.value, unit=_unit(v), approx=bool(v.attrs.get("approx")), bound=v.attrs.get("bound"))
        return True
    if (f.get("flow"), f.get("reporter"), f.get("partner")) != (frame.flow, frame.reporter, frame.partner):
        return False
    if f.get("period") not in (None, period) and period is not None:
        return False
    f.update(value=v.value, unit=_unit(v), approx=bool(v.attrs.get("approx")), bound=v.attrs.get("bound"))
    f["period"] = f.get("period") or period
    return True


def _change_anchor(c: Clause) -> int:
    changes = [p for p in c.phrases if p.kind in ("percent", "factor")]
    return changes[0].start if changes else c.start


# ---- what kind of fact a clause's figures are ------------------------------------------------------------


@cache
def _level_words() -> tuple[re.Pattern[str], re.Pattern[str]]:
    lex = load_lexicon()
    before = re.compile(r"(?:^|[\s(«\"])" + lex.pattern("goal.level_before") + r"\s*(?:\S+\s+){0,2}$", re.I)
    after = re.compile(r"^[\s,]*" + lex.pattern("goal.level_after"), re.I)
    return before, after


def _kind(
    c: Clause,
    s: Sentence,
    frame: Frame,
    prev: Frame | None,
    items: list[list[Phrase]],
    run: SentenceRun,
    d: Discourse,
    shared_goal: bool = False,
) -> str | None:
    """trade, target, export_offer, or None (a forecast, an expectation). `shared_goal`: a later clause of
    the sentence names the goal its items share ("биыл 3 млрд долларға, ал 2020 жылға 5 млрд долларға
    жеткізуді көздеп отыр")."""
    if c.has("expectation"):
        return None
    if _is_offer(c, s, frame, run.positions):
        return "export_offer"
    v = items[0][0]
    before, after = _level_words()
    text_before = s.text[max(0, v.start - s.start - 40) : v.start - s.start]
    text_after = s.text[v.end - s.start : v.end - s.start + 25]
    kk_dative = s.lang == "kk" and ending("grammar.dative").search(
        s.text[v.start - s.start : v.end - s.start]
    )
    level = bool(before.search(text_before) or after.match(text_after) or kk_dative)
    if _is_target_clause(c, s, frame, prev):
        if level or c.has("future") or (prev and prev.target and not frame.own_flow):
            frame.target = True
            return "target"
    # an ellipsis of the goal: "plans to increase imports to $500 million, and exports to $600 million"
    if prev is not None and prev.target and level and c.opened_by in ("and", "comma") and not c.has("change"):
        frame.target = True
        return "target"
    if shared_goal and kk_dative and not c.has("change", "flow_verb"):
        frame.target = True
        return "target"
    if c.has("future") and not c.has("intent", "goal"):
        return None  # "достигнет $2 млрд", "will reach": a forecast
    if frame.flow is None or _other_subject(c, frame, prev, run, d):
        return None
    return "trade"


def _other_subject(c: Clause, frame: Frame, prev: Frame | None, run: SentenceRun, d: Discourse) -> bool:
    """A sentence that opens with two countries and no flow word, about other countries than the trade
    before it ("the US froze $9.4 billion of Afghanistan's reserves"): its figure is not that trade's."""
    if frame.own_flow or c.opened_by != "start" or prev is not None or run.facts:
        return False
    if c.has("pointer", "partner_word", "place", "largest"):
        return False
    names = {p.value for p in c.of("country") if p.role != "loc"}
    if d.pair is None:  # after one country's total: other countries than the one spoken of
        return len(names) >= 2 and d.subject not in names
    return len(names) >= 2 and names != set(d.pair)


def _is_target_clause(c: Clause, s: Sentence, frame: Frame, prev: Frame | None) -> bool:
    if c.has("goal") and (
        c.has("intent") or any(p.value == "noun" for p in c.of("goal")) or _infinitive_goal(c)
    ):
        return True
    if c.has("goal") and c.has("future"):
        return True
    if c.has("future") and c.has("intent"):
        return True
    return bool(prev and prev.target and not frame.own_flow and not c.has("change"))


def _infinitive_goal(c: Clause) -> bool:
    """A goal verb in the infinitive or as a noun names a goal by itself ("довести", "увеличение ... до")."""
    return any(p.value == "verb" for p in c.of("goal"))


def _is_offer(c: Clause, s: Sentence, frame: Frame, positions: int | None = None) -> bool:
    """An offer: a readiness or a possibility ("готов", "may", "мүмкіндік") to raise exports, by a number of
    positions or a sum ("на 550 млн", "by $550 million", "до двух миллионов тонн", "800 миллионға дейін").
    `positions`: a count of positions the sentence states in another clause."""
    if not (c.has("modal") or (c.has("offer") and c.has("positions"))):
        return False
    if c.has("positions") and any(p.kind == "number" for p in c.phrases):
        return True
    f = _offer_figure(c)
    if f is None:
        return False
    before = _last_word(s.text[max(0, f.start - s.start - 12) : f.start - s.start])
    after = s.text[f.end - s.start : f.end - s.start + 12].lower()
    sum_words = before in word_set("offer.sum_before") or any(w in after for w in word_set("offer.sum_after"))
    if positions is not None and c.has("modal") and sum_words:
        return True
    if frame.flow not in ("export", "import") or (c.has("goal") and not c.has("modal")):
        return False
    return sum_words


def _offer_figure(c: Clause) -> Phrase | None:
    """An offer's sum: a value, or the figure "by" which exports may grow ("may increase ... by $550 million")."""
    for p in c.phrases:
        if p.kind in ("amount", "quantity") and c.roles.get(p.start) in ("value", "abs"):
            return p
    return None


def _last_word(text: str) -> str:
    m = re.search(r"(\w+)\W*$", text)
    return m.group(1).lower() if m and not text[m.end() :].strip(" ") else ""


def _governed_by_nonfact(c: Clause, s: Sentence, v: Phrase) -> bool:
    """An investment, a deal, a balance... names the figure: between the flow word (or the clause start) and
    it, right before the flow word as its head ("сальдо торговли", "trade balance"), or right after the
    figure ("$500 million investment")."""
    flows = [p for p in c.phrases if p.kind in ("flow", "flow_verb") and p.end <= v.start]
    lo = flows[-1].end if flows else c.start
    for p in c.of("nonfact"):
        if lo <= p.start < v.start or 0 <= p.start - v.end < 25:
            return True
        if not flows and p.start < v.start:
            return True
        if flows and 0 <= flows[-1].start - p.end <= 3:
            return True
    return False


def period_role(s: Sentence, p: Phrase, phrases: list[Phrase]) -> str:
    """fact (the period of the figure), base (a comparison's), span (several years)."""
    spec = p.attrs.get("mention")
    attrs = spec.attrs if spec is not None else {}
    if attrs.get("shape") in ("year_range", "span") or attrs.get("anchor") == "fact":
        return "span" if attrs.get("shape") in ("year_range", "span") else "base"
    for q in phrases:
        # "compared to the same period", "по сравнению с показателями за январь-май 2023 года"
        if (
            q.kind == "compare"
            and q.value == "before"
            and q.end <= p.start
            and _words_between(s, q.end, p.start) <= 4
        ):
            return "base"
        if q.kind == "compare" and q.value == "after" and 0 <= q.start - p.end < 4:
            return "base"
    return "fact"


def _words_between(s: Sentence, a: int, b: int) -> int:
    gap = s.text[a - s.start : b - s.start]
    return 99 if re.search(r"[.;:()]|\d", gap) else len(gap.split())


def _appositive_period(s: Sentence, c: Clause) -> bool:
    """ "Russia, Uzbekistan's top partner in 2022 ($9.27bn), placed second ...": a clause that opens with a
    bare name and states its period in the comma piece after it, an apposition to the name; the name's own
    predicate, in the next clause, is not of that period."""
    if len(c.pieces) < 2 or c.opened_by != "start":
        return False
    a, b = c.pieces[0]
    first = [p for p in c.phrases if a <= p.start < b]
    if len(first) != 1 or first[0].kind != "country":
        return False
    if (
        s.text[a - s.start : b - s.start].strip(" ,")
        != s.text[first[0].start - s.start : first[0].end - s.start]
    ):
        return False
    return any(p.kind == "period" and p.start >= c.pieces[1][0] for p in c.phrases)


def _year_before(p: Phrase, period: str) -> bool:
    """A comparison's period a year before `period`, in its months ("the same period of 2022", "January
    through October 2022" against 2023-01/2023-10)."""
    spec = p.attrs.get("mention")
    attrs = spec.attrs if spec is not None else {}
    year = attrs.get("year")
    if year is None:
        return False
    if attrs.get("shape") == "same":
        return period.startswith(str(year + 1))
    back = f"{year:04d}{period[4:8]}{year:04d}{period[12:]}"
    return period[:4] == period[8:12] and int(period[:4]) == year + 1 and p.value == back


def _dates_base(c: Clause, p: Phrase) -> bool:
    """A period stated right after a comparison base ("($24.2 million in 10M2022)") is that base's."""
    bases = [f for f in (*c.figures("base"), *c.figures("from")) if 0 <= p.start - f.end < 25]
    return any(not any(f.end <= q.start < p.start for q in c.values) for f in bases)


def choose_period(
    s: Sentence, c: Clause, at: int, frame: Frame, prev: Frame | None, d: Discourse
) -> str | None:
    periods = [p for p in c.of("period") if period_role(s, p, c.phrases) == "fact" and not _dates_base(c, p)]
    if periods:
        # the nearest one before the figure ("In 2021, ... exceeded $3.6 billion, and ... by 2022"), else after it
        before = [p for p in periods if p.start < at]
        best = before[-1] if before else min(periods, key=lambda p: p.start - at)
        value = best.value
        spec = best.attrs.get("mention")
        attrs = spec.attrs if spec is not None else {}
        if value and attrs.get("rel") == 0 and attrs.get("shape") == "year":
            # "this year", "биыл": a year not over; the part of it the text has given, else none
            if d.period and d.period.startswith(value[:4]) and not d.period.endswith("-12"):
                return d.period
            return None
        return value
    if frame.present or _multi_year_change(s, c):
        return None
    if prev is not None and prev.period and not prev.period_local:
        return prev.period
    if any(p.kind == "period" for p in c.phrases):
        # only a comparison's period or a span: the figure's own is not stated, except that "compared to the
        # same period of 2022" says the figure's months are the ones the text is reporting in 2023
        if d.period and any(_year_before(p, d.period) for p in c.of("period")):
            return d.period
        return None
    return d.period


def choose_product(s: Sentence, c: Clause, at: int, frame: Frame, prev: Frame | None, d: Discourse) -> str:
    products = c.of("product")
    if products:
        return min(products, key=lambda p: abs(p.start - at)).value
    if prev is not None and (not frame.own_flow or c.opened_by in ("comma", "and", "or")):
        return (
            prev.product
        )  # the items of one sentence share their product ("186,1 тоннасы ..., 66 тоннасы ...")
    if any(p.kind == "pointer" and p.value == "figure" for p in c.phrases) and d.last_fact is not None:
        return d.last_fact.fields.get("product") or "total"  # "the value of these exports"
    if not frame.own_flow and d.product and (c.has("country", "pointer") or c.opened_by != "start"):
        return d.product
    if c.has("continuation") and d.product:
        return d.product
    return "total"


def _is_share(s: Sentence, c: Clause, p: Phrase) -> bool:
    """A percent that is a share, not a change: a share word before it in its piece ("China's share in ...
    trade was 13.2 percent", "на долю ЕС приходится 30%"), right after it, or "of which"."""
    piece = next(((a, b) for a, b in c.pieces if a <= p.start < b), (c.start, c.end))
    for q in c.phrases:
        if q.kind == "share" and (piece[0] <= q.start < p.start or 0 <= q.start - p.end < 20):
            return True
    text = s.text[max(0, p.start - s.start - 12) : p.start - s.start].lower()
    return bool(word_pattern("share.of_which", r"{}\s*$").search(text)) and "signed" not in p.attrs


def change_of(s: Sentence, c: Clause, v: Phrase | None) -> tuple[float | None, float | None]:
    """change_pct and change_factor the clause states for its figure."""
    at = v.start if v is not None else c.start
    pct = None
    changes = c.of("change")
    candidates = [p for p in c.of("percent") if not _is_share(s, c, p)]
    candidates.sort(key=lambda p: abs(p.start - at))
    for p in candidates:
        signed = p.attrs.get("signed")
        near = [q for q in changes if abs(q.start - p.start) < 60]
        if not near and len(c.of("percent")) == 1:
            near = changes  # "Рост, по сравнению с аналогичным периодом прошлого года, составил 10 процентов"
        by = _by_word(s, p)  # "уже на 24,5 процента": the change word of the clause before is understood
        if signed is None and not near and not by and not _kk_percent_change(s, p):
            continue
        if signed is not None:
            sign = signed
        else:
            nearest = min(near, key=lambda q: abs(q.start - p.start)) if near else None
            sign = -1 if nearest is not None and nearest.value == -1 else 1
        pct = sign * p.value
        break
    factor = None
    factors = sorted(c.of("factor"), key=lambda p: abs(p.start - at))
    if factors:
        f = factors[0]
        near = [q for q in changes if abs(q.start - f.start) < 40]
        down = any(q.value == -1 for q in near)
        factor = (1 / f.value if down and f.value else f.value) if f.value else None
    return pct, factor


def _by_word(s: Sentence, p: Phrase) -> bool:
    m = re.search(r"(\w+)\s+$", s.text[max(0, p.start - s.start - 12) : p.start - s.start])
    return bool(m) and m.group(1).lower() in word_set("change.by")


def _kk_percent_change(s: Sentence, p: Phrase) -> bool:
    """Kazakh "19 пайызға көбейіп": a dative percent is a change when a change word follows it."""
    return s.lang == "kk" and bool(
        ending("grammar.dative").search(s.text[p.start - s.start : p.end - s.start])
    )


def _multi_year_change(s: Sentence, c: Clause) -> bool:
    """Growth over several years ("за последние пять лет ... в четыре раза"): its own fact, with no period."""
    spans = [p for p in c.of("period") if period_role(s, p, c.phrases) == "span"]
    return bool(spans) and c.has("factor", "percent")


# ---- facts -------------------------------------------------------------------------------------------------


def _fields(
    frame: Frame, v: Phrase | None, period: str | None, pct: float | None, factor: float | None
) -> dict:
    value = v.value if v is not None else None
    unit = v.attrs.get("mention").attrs.get("unit") if v is not None and v.attrs.get("mention") else None
    if factor is not None and float(factor).is_integer():
        factor = int(factor)
    return {
        "flow": frame.flow,
        "reporter": frame.reporter,
        "partner": frame.partner,
        "product": frame.product,
        "period": period,
        "value": value,
        "unit": unit,
        "approx": bool(v.attrs.get("approx")) if v is not None else False,
        "bound": v.attrs.get("bound") if v is not None else None,
        "change_pct": pct,
        "change_factor": factor,
    }


def _span(c: Clause, s: Sentence, v: Phrase | None) -> tuple[int, int]:
    """The quote: the clause from its flow word (or its start) to the figure and the change after it."""
    lo = c.start
    hi = c.end if v is None else v.end
    if v is not None:
        after = [p for p in c.phrases if p.start >= v.end and p.kind in ("percent", "factor", "change")]
        if after:
            hi = max(
                hi,
                max(p.end for p in after if p.start - v.end < 80)
                if any(p.start - v.end < 80 for p in after)
                else hi,
            )
    return lo, hi


def confidence(frame: Frame) -> float:
    """1.0 where the clause names the fact's countries itself, 0.9 where they come from the text before it."""
    return 1.0 if frame.own_pair else 0.9


def _trade_fact(
    doc: Doc,
    s: Sentence,
    c: Clause,
    frame: Frame,
    v: Phrase | None,
    period: str | None,
    pct: float | None,
    factor: float | None,
    rule: str,
) -> Fact:
    lo, hi = _span(c, s, v)
    return make_fact(doc, "trade", lo, hi, _fields(frame, v, period, pct, factor), rule, confidence(frame))


def _target_fact(doc: Doc, s: Sentence, c: Clause, frame: Frame, v: Phrase) -> Fact:
    unit = v.attrs.get("mention").attrs.get("unit") if v.attrs.get("mention") else None
    factors = c.of("factor")
    factor = factors[0].value if factors else None
    if factor is not None and float(factor).is_integer():
        factor = int(factor)
    fields = {
        "flow": frame.flow or "turnover",
        "reporter": frame.reporter,
        "partner": frame.partner,
        "product": frame.product,
        "value": v.value,
        "unit": unit,
        "factor": factor,
        "by": _by_year(s, c),
    }
    lo, hi = (
        c.start,
        max(
            v.end,
            *[p.end for p in c.of("goal", "future") if p.start >= v.end and p.start - v.end < 30] or [v.end],
        ),
    )
    return make_fact(doc, "target", lo, hi, fields, "target.level", confidence(frame))


def _factor_target(doc: Doc, s: Sentence, c: Clause, frame: Frame) -> list[Fact]:
    """A goal stated as a factor alone: "поставили задачу увеличить товарооборот в два раза", "удвоить"."""
    flows = c.of("flow", "flow_verb")
    # the factor, the goal and the flow of one goal stand in one piece ("удвоить взаимный товарооборот")
    factors = [
        f
        for f in c.of("factor")
        if any(a <= f.start < b and any(a <= w.start < b for w in flows) for a, b in c.pieces)
    ]
    if (
        not factors
        or not c.has("goal")
        or frame.reporter is None
        or frame.partner is None
        or frame.flow is None
    ):
        return []
    if frame.total:
        return []
    factor = factors[0].value
    if float(factor).is_integer():
        factor = int(factor)
    fields = {
        "flow": frame.flow,
        "reporter": frame.reporter,
        "partner": frame.partner,
        "product": frame.product,
        "value": None,
        "unit": None,
        "factor": factor,
        "by": _by_year(s, c),
    }
    return [make_fact(doc, "target", c.start, c.end, fields, "target.factor", confidence(frame))]


def _by_year(s: Sentence, c: Clause) -> str | None:
    """'к 2030 году', 'до 2030 года', 'by 2030', '2030 жылға дейін'."""
    for p in c.of("period"):
        spec = p.attrs.get("mention")
        attrs = spec.attrs if spec is not None else {}
        if attrs.get("by"):
            return str(attrs["by"])
        if attrs.get("shape") != "year" or not attrs.get("year"):
            continue
        before = _last_word(s.text[max(0, p.start - s.start - 6) : p.start - s.start])
        after = re.match(r"\s*(\w+)", s.text[p.end - s.start : p.end - s.start + 14])
        if before in word_set("goal.by_before") or (
            after and after.group(1).lower() in word_set("goal.by_after")
        ):
            return str(attrs["year"])
    return None


def _change_only(
    doc: Doc, s: Sentence, c: Clause, frame: Frame, d: Discourse, period_none: bool = False
) -> list[Fact]:
    """'экспорт из РК вырос на 13,5%': a change with no figure."""
    if frame.reporter is None or frame.partner is None or frame.total or frame.flow is None:
        return []
    if c.has("expectation", "nonfact") or (c.has("future") and not c.has("intent")):
        return []
    if c.has("goal") and not c.has("change"):
        return []
    pct, factor = change_of(s, c, None)
    if pct is None and factor is None:
        return []
    if not (frame.own_flow or c.has("pointer")) and c.opened_by not in ("comma", "and"):
        return []
    multi = _multi_year_change(s, c)
    if period_none and not multi:
        return []
    if multi:
        pct = None if factor is not None else pct
        period = None
    else:
        period = frame.period
    if pct is None and factor is None:
        return []
    return [
        make_fact(doc, "trade", c.start, c.end, _fields(frame, None, period, pct, factor), "trade.change")
    ]


def _bases(doc: Doc, s: Sentence, c: Clause, frame: Frame, run: SentenceRun) -> list[Fact]:
    """Comparison bases and from-values of the clause: facts with the clause's frame and their own period."""
    out = []
    if frame.reporter is None or frame.partner is None or frame.total or frame.flow is None:
        return out
    main = run.facts[-1] if run.facts else None
    main_period = main.fields.get("period") if main is not None else None
    for role in ("base", "from"):
        for b in c.figures(role):
            period = (
                _period_after(s, c, b, main_period)
                or (_range_end(c, 0) if role == "from" else None)
                or _base_period(s, c, b, main)
            )
            if role == "base" and _same_period_words(s, c):
                period = _in_months_of(period, main_period)
            fields = _fields(frame, b, period, None, None)
            out.append(make_fact(doc, "trade", b.start, b.end, fields, f"trade.{role}", confidence(frame)))
    return out


def _same_period_words(s: Sentence, c: Clause) -> bool:
    """ "за аналогичный период 2023 года", "the same period in 2022": the base covers the main figure's months."""
    return any(
        p.attrs.get("mention") is not None and p.attrs["mention"].attrs.get("shape") == "same"
        for p in c.of("period")
    )


def _in_months_of(period: str | None, main: str | None) -> str | None:
    """A full year `period` read in the months of `main` ("2023-01/2023-12" in the months of 2024-01/2024-09)."""
    if not period or not main or period[5:7] != "01" or period[13:] != "12" or period[:4] != period[8:12]:
        return period
    year = period[:4]
    return f"{year}{main[4:8]}{int(year) + int(main[8:12]) - int(main[:4]):04d}{main[12:]}"


def _period_after(s: Sentence, c: Clause, b: Phrase, main_period: str | None = None) -> str | None:
    """The period stated with a base or from-figure: "$13 million in 2014", "($24.212 million in 10M2022)"."""
    later = [p for p in c.phrases if p.start >= b.end]
    for p in later:
        if p.kind in ("amount", "quantity"):
            break
        if p.kind == "period" and p.start - b.end < 25:
            return _period_value(p, main_period)
    return None


def _period_value(p: Phrase, main_period: str | None) -> str | None:
    """A period phrase's value; one anchored on the fact it is compared with ("same period in 2022", "a
    year earlier", "compared to ... in 2021") resolved against that fact's period."""
    spec = p.attrs.get("mention")
    if spec is not None and spec.attrs.get("anchor") == "fact":
        return resolve_against(spec.attrs, main_period)
    return p.value


def _base_period(s: Sentence, c: Clause, b: Phrase, main: Fact | None) -> str | None:
    """The period of a comparison base: the comparison's period before it, in the months of the main fact."""
    periods = [p for p in c.of("period") if p.end <= b.start and period_role(s, p, c.phrases) == "base"]
    main_period = main.fields.get("period") if main else None
    for p in reversed(periods):
        spec = p.attrs.get("mention")
        attrs = spec.attrs if spec is not None else {}
        if attrs.get("anchor") == "fact":
            return resolve_against(attrs, main_period)
        year = attrs.get("year")
        if year and main_period and attrs.get("shape") == "year":
            return f"{year:04d}{main_period[4:8]}{year:04d}{main_period[12:]}"
        if p.value:
            return p.value
        if attrs.get("rel") == -1 and main_period:
            y = int(main_period[:4]) - 1
            return f"{y:04d}{main_period[4:8]}{y:04d}{main_period[12:]}"
    return None


def _points_back(c: Clause, frame: Frame, run: SentenceRun, d: Discourse) -> bool:
    """A clause that only adds a change or a base to the fact before it: no flow and no country of its own
    ("Это на 17% больше", "This figure has increased by 31 percent", "Рост ... составил 10 процентов")."""
    if run.facts or d.last_fact is None or c.sentence == 0 or c.opened_by != "start":
        return False
    if frame.own_flow or c.has("country", "bloc", "subnational"):
        return False
    if any(p.kind == "pointer" and p.value != "figure" for p in c.phrases):
        return False
    return bool(c.has("percent", "factor") or c.figures("base"))


def _continues_figure(s: Sentence, c: Clause, frame: Frame, run: SentenceRun) -> bool:
    """A clause joined by "and" or a comma that adds only a change to the figure of the clause before it in
    the sentence: no flow, country or figure of its own, and that figure's change not yet stated."""
    if not run.facts or c.opened_by not in ("and", "comma") or frame.own_flow:
        return False
    last = run.facts[-1]
    if last.type != "trade" or last.fields.get("value") is None or last.rule != "trade.value":
        return False
    if last.fields.get("change_pct") is not None or last.fields.get("change_factor") is not None:
        return False
    if c.has("country", "bloc", "subnational", "goal", "expectation", "nonfact"):
        return False
    if any(period_role(s, p, c.phrases) == "fact" for p in c.of("period")):
        return False  # "... last year, and already up 22% in eight months of 2025": a figure of its own
    return bool(c.has("percent", "factor"))


def _frame_of(fact: Fact) -> Frame:
    """The frame a fact was read in: a comparison base read after it takes its flow, countries and period."""
    f = fact.fields
    return Frame(
        flow=f.get("flow"),
        reporter=f.get("reporter"),
        partner=f.get("partner"),
        product=f.get("product") or "total",
        period=f.get("period"),
    )


def _complete_last(doc: Doc, s: Sentence, c: Clause, run: SentenceRun) -> None:
    last = run.facts[-1]
    pct, factor = change_of(s, c, None)
    if pct is None and factor is None:
        return
    last.fields["change_pct"] = pct
    if factor is not None:
        last.fields["change_factor"] = int(factor) if float(factor).is_integer() else factor
    run.facts.extend(_bases(doc, s, c, _frame_of(last), SentenceRun(facts=[last])))


def _join_back(doc: Doc, s: Sentence, c: Clause, frame: Frame, run: SentenceRun, d: Discourse) -> None:
    last = d.last_fact
    if last is None:
        return
    pct, factor = change_of(s, c, None)
    if last.fields.get("change_pct") is None and pct is not None:
        last.fields["change_pct"] = pct
    if last.fields.get("change_factor") is None and factor is not None:
        last.fields["change_factor"] = int(factor) if float(factor).is_integer() else factor
    run.facts.extend(_bases(doc, s, c, _frame_of(last), SentenceRun(facts=[last])))


def _offer(
    doc: Doc, s: Sentence, c: Clause, frame: Frame, items: list[list[Phrase]], d: Discourse, run: SentenceRun
) -> list[Fact]:
    """An offer's exporter is the country offering (the clause's subject: "Kazakhstan may increase its
    imports to Uzbekistan" offers Kazakh goods), its partner the other side; its positions may stand in
    another clause of the sentence ("115 түрлі тауарды, 800 миллионға дейін ... мүмкіндігіміз бар")."""
    v = items[0][0] if items else _offer_figure(c)
    positions = _positions(s, c.phrases) or run.positions
    subject = next((p.value for p in c.of("country") if p.role in ("plain", "owner")), None)
    exporter, partner = frame.reporter, frame.partner
    if subject is not None and subject in (exporter, partner):
        exporter, partner = subject, partner if subject == exporter else exporter
    if exporter is None or partner is None:
        names = [p.value for p in c.of("country") if p.role != "loc"]
        exporter = exporter or (names[0] if names else d.home)
        partner = partner or next((x for x in names if x != exporter), None) or other(d.pair, exporter)
    if exporter is None or partner is None or exporter == partner:
        return []
    fields = {
        "reporter": exporter,
        "partner": partner,
        "positions": positions,
        "value": v.value if v is not None else None,
        "unit": _unit(v) if v is not None else None,
        "approx": bool(v.attrs.get("approx")) if v is not None else False,
        "bound": v.attrs.get("bound") if v is not None else None,
    }
    end = v.end if v is not None else c.end
    return [make_fact(doc, "export_offer", c.start, end, fields, "export_offer.offer", confidence(frame))]


def _positions(s: Sentence, phrases: list[Phrase]) -> int | None:
    """ "по 85 товарным позициям", "195 тауар түрі", "120 items": a count right before a positions word."""
    words = [p for p in phrases if p.kind == "positions"]
    for n in phrases:
        if n.kind != "number" or not float(n.value).is_integer() or n.value < 2:
            continue
        if any(0 <= p.start - n.end < 25 for p in words):
            return int(n.value)
    return None
