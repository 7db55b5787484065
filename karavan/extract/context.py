"""What carries across sentences: the document's home country, the pair under
discussion, the last period, flow and product stated.

"экспорт зерна из РК достиг 40,4 тыс. тонн" takes its partner and period from
the sentences before it; a sentence opening with a continuation marker ("При
этом", "В том числе") also keeps the previous sentence's product.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from karavan.annotate.lexicon import NEEDLES, WORD_START, alternation, finditer_words, load_lexicon
from karavan.extract.sentence import Sentence, vstart


@dataclass(slots=True)
class Context:
    home: str | None = None
    pair: tuple[str, str] | None = None
    period: str | None = None
    flow: str | None = None
    product: str | None = None
    flow_named: str | None = None  # the flow the previous sentence named, for "он вырос на 5%"
    doc_pair: tuple[str, str] | None = None  # the document's two most mentioned countries
    ref_year: int | None = None  # the document's current year, when known


@dataclass(frozen=True, slots=True)
class Words:
    """Compiled word classes the fact rules share."""

    turnover: re.Pattern[str]
    export: re.Pattern[str]
    import_: re.Pattern[str]
    blockers: re.Pattern[str]
    up: re.Pattern[str]
    down: re.Pattern[str]
    target_verb: re.Pattern[str]
    goal: re.Pattern[str]
    compare_before: re.Pattern[str]
    compare_after: re.Pattern[str]
    continuation: re.Pattern[str]
    pronoun: re.Pattern[str]
    change_by: re.Pattern[str]  # "на 8,9%": the preposition of a change, a word or two before the percent
    digit_ordinal: re.Pattern[str]  # "4-м", "4th" after a rank written in digits
    forecast: re.Pattern[str]
    from_base: re.Pattern[str]
    to_value: re.Pattern[str]
    approx: re.Pattern[str]
    gt: re.Pattern[str]
    lt: re.Pattern[str]
    positions: re.Pattern[str]
    offer_verb: re.Pattern[str]
    rank_partner: re.Pattern[str]
    largest: re.Pattern[str]
    place: re.Pattern[str]
    rank_exclude: re.Pattern[str]
    ordinal: re.Pattern[str]
    share: re.Pattern[str]
    products: dict[str, re.Pattern[str]]
    genitive: re.Pattern[str]
    preposition_to: re.Pattern[str]
    preposition_from: re.Pattern[str]
    suffix_to: re.Pattern[str]  # Kazakh dative on a country name: Тәжікстанға
    suffix_from: re.Pattern[str]  # Kazakh ablative: Қазақстаннан
    approx_after: re.Pattern[str]  # hedges written after the amount: "100 млн доллардан астам"
    gt_after: re.Pattern[str]
    lt_after: re.Pattern[str]
    rank_exclude_after: re.Pattern[str]  # "ірі сауда серіктестерінің бірі"


@cache
def words() -> Words:
    lex = load_lexicon()
    f = re.IGNORECASE

    def rx(key: str) -> re.Pattern[str]:
        return re.compile(lex.pattern(key), f)

    def tail(key: str) -> re.Pattern[str]:
        # the words at the very end of a text, possibly followed by filler words ("отметки", "уровня")
        return re.compile(lex.pattern(key) + r"(?:\s+" + lex.pattern("fillers.words") + r")*[\s\"«]*$", f)

    products = {k.split(".", 1)[1]: re.compile(alternation(v), f)
                for k, v in lex.lists.items() if k.startswith("products.")}
    return Words(
        turnover=rx("trade.turnover"),
        export=rx("trade.export"),
        import_=rx("trade.import"),
        blockers=rx("trade_blockers.words"),
        up=rx("change.up"),
        down=rx("change.down"),
        target_verb=rx("target.verbs"),
        goal=rx("target.goal_words"),
        compare_before=re.compile(lex.pattern("compare.before") + r"(?:\s+\S+){0,2}\s*$", f),
        compare_after=re.compile(r"^\S*\s*" + lex.pattern("compare.after"), f),
        continuation=re.compile(r"^\W*" + lex.pattern("context.continuation"), f),
        pronoun=rx("context.pronouns"),
        change_by=re.compile(r"(?:^|\s)" + lex.pattern("change.by") + r"\s*(?:\S+\s+){0,2}$", f),
        digit_ordinal=re.compile(r"\s*(?:" + "|".join(re.escape(x) for x in lex.words("rank.digit_ordinal")) + ")", f),
        forecast=rx("forecast.words"),
        from_base=re.compile(lex.pattern("forecast.from_base") + r"\s*$", f),
        to_value=re.compile(r"^\s*" + lex.pattern("forecast.to_value") + r"\s", f),
        approx=tail("hedges.approx"),
        gt=tail("hedges.gt"),
        lt=tail("hedges.lt"),
        positions=rx("offer.positions"),
        offer_verb=rx("offer.verbs"),
        rank_partner=rx("rank.partner"),
        largest=rx("rank.largest"),
        place=rx("rank.place"),
        rank_exclude=rx("rank_exclude.words"),
        ordinal=re.compile(WORD_START + alternation(list(lex.maps.get("ordinals", {}))), f),
        share=rx("share.words"),
        products=products,
        genitive=re.compile(lex.pattern("grammar.genitive_suffix") + r"$", f),
        preposition_to=re.compile(lex.pattern("grammar.to") + r"\s*$", f),
        preposition_from=re.compile(lex.pattern("grammar.from") + r"\s*$", f),
        suffix_to=re.compile(lex.pattern("grammar.to_suffix") + r"$", f),
        suffix_from=re.compile(lex.pattern("grammar.from_suffix") + r"$", f),
        approx_after=re.compile(r"^[\s,]*" + lex.pattern("hedges.approx_after"), f),
        gt_after=re.compile(r"^[\s,]*" + lex.pattern("hedges.gt_after"), f),
        lt_after=re.compile(r"^[\s,]*" + lex.pattern("hedges.lt_after"), f),
        rank_exclude_after=rx("rank_exclude.after"),
    )


def home_country(sentences: list[Sentence]) -> str | None:
    """The country the document speaks from: the most mentioned, abbreviations (РК) counting double."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for s in sentences:
        for m in s.of("country"):
            counts[m.value] += 2 if m.attrs.get("form") == "exact" else 1
            first.setdefault(m.value, vstart(m))
    if not counts:
        return None
    return max(counts, key=lambda c: (counts[c], -first[c]))


def other(pair: tuple[str, str] | None, country: str | None) -> str | None:
    """The other country of the pair, when `country` is one of its two."""
    if not pair or country not in pair:
        return None
    return pair[1] if pair[0] == country else pair[0]


def document_pair(sentences: list[Sentence], home: str | None) -> tuple[str, str] | None:
    """The home country and the country mentioned most after it: the pair a document is about."""
    counts: Counter[str] = Counter()
    for s in sentences:
        for m in s.of("country"):
            counts[m.value] += 1
    others = [c for c, _ in counts.most_common() if c != home]
    if home and others:
        return home, others[0]
    return None


def update_pair(ctx: Context, sentence: Sentence) -> None:
    cs = sentence.countries()
    if len(cs) >= 2:
        if ctx.home in cs:
            other = next(c for c in cs if c != ctx.home)
            ctx.pair = (ctx.home, other)
        else:
            ctx.pair = (cs[0], cs[1])
    elif len(cs) == 1 and ctx.home and cs[0] != ctx.home:
        ctx.pair = (ctx.home, cs[0])


def product_in(text: str) -> tuple[str, int] | None:
    """The product named last in the text, with its offset."""
    best: tuple[str, int] | None = None
    low = text.lower()
    for code, rx in words().products.items():
        needles = NEEDLES.get(rx.pattern)
        if needles is not None and not any(n in low for n in needles):
            continue
        for m in finditer_words(rx, text, low):
            if best is None or m.start() > best[1]:
                best = (code, m.start())
    return best
