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

from karavan.annotate.lexicon import (
    WORD_START,
    Gated,
    alternation,
    finditer_words,
    fold_lower,
    load_lexicon,
    may_match,
)
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

    turnover: Gated
    export: Gated
    import_: Gated
    blockers: Gated
    up: Gated
    down: Gated
    target_verb: Gated
    goal: Gated
    compare_before: Gated
    compare_after: Gated
    continuation: Gated
    pronoun: Gated
    change_by: Gated  # "на 8,9%": the preposition of a change, a word or two before the percent
    digit_ordinal: Gated  # "4-м", "4th" after a rank written in digits
    forecast: Gated
    from_base: Gated
    to_value: Gated
    approx: Gated
    gt: Gated
    lt: Gated
    positions: Gated
    offer_verb: Gated
    rank_partner: Gated
    largest: Gated
    place: Gated
    rank_exclude: Gated
    ordinal: Gated
    share: Gated
    products: dict[str, Gated]
    genitive: Gated
    preposition_to: Gated
    preposition_from: Gated
    suffix_to: Gated  # Kazakh dative on a country name: Тәжікстанға
    suffix_from: Gated  # Kazakh ablative: Қазақстаннан
    approx_after: Gated  # hedges written after the amount: "100 млн доллардан астам"
    gt_after: Gated
    lt_after: Gated
    rank_exclude_after: Gated  # "ірі сауда серіктестерінің бірі"


@cache
def words() -> Words:
    lex = load_lexicon()
    f = re.IGNORECASE

    def rx(key: str) -> Gated:
        return Gated(lex.pattern(key), f)

    def around(key: str, before: str = "", after: str = "") -> Gated:
        """The lexicon words of `key` with context around them: skipped where none of the words occurs."""
        return Gated(before + lex.pattern(key) + after, f, lex.pattern(key))

    def tail(key: str) -> Gated:
        # the words at the very end of a text, possibly followed by filler words ("отметки", "уровня")
        return around(key, after=r"(?:\s+" + lex.pattern("fillers.words") + r")*[\s\"«]*$")

    products = {
        k.split(".", 1)[1]: Gated(alternation(v), f)
        for k, v in lex.lists.items()
        if k.startswith("products.")
    }
    ordinals = alternation(list(lex.maps.get("ordinals", {})))
    return Words(
        turnover=rx("trade.turnover"),
        export=rx("trade.export"),
        import_=rx("trade.import"),
        blockers=rx("trade_blockers.words"),
        up=rx("change.up"),
        down=rx("change.down"),
        target_verb=rx("target.verbs"),
        goal=rx("target.goal_words"),
        compare_before=around("compare.before", after=r"(?:\s+\S+){0,2}\s*$"),
        compare_after=around("compare.after", before=r"^\S*\s*"),
        continuation=around("context.continuation", before=r"^\W*"),
        pronoun=rx("context.pronouns"),
        change_by=around("change.by", before=r"(?:^|\s)", after=r"\s*(?:\S+\s+){0,2}$"),
        digit_ordinal=Gated(
            r"\s*(?:" + "|".join(re.escape(x) for x in lex.words("rank.digit_ordinal")) + ")", f
        ),
        forecast=rx("forecast.words"),
        from_base=around("forecast.from_base", after=r"\s*$"),
        to_value=around("forecast.to_value", before=r"^\s*", after=r"\s"),
        approx=tail("hedges.approx"),
        gt=tail("hedges.gt"),
        lt=tail("hedges.lt"),
        positions=rx("offer.positions"),
        offer_verb=rx("offer.verbs"),
        rank_partner=rx("rank.partner"),
        largest=rx("rank.largest"),
        place=rx("rank.place"),
        rank_exclude=rx("rank_exclude.words"),
        ordinal=Gated(WORD_START + ordinals, f, ordinals),
        share=rx("share.words"),
        products=products,
        genitive=around("grammar.genitive_suffix", after="$"),
        preposition_to=around("grammar.to", after=r"\s*$"),
        preposition_from=around("grammar.from", after=r"\s*$"),
        suffix_to=around("grammar.to_suffix", after="$"),
        suffix_from=around("grammar.from_suffix", after="$"),
        approx_after=around("hedges.approx_after", before=r"^[\s,]*"),
        gt_after=around("hedges.gt_after", before=r"^[\s,]*"),
        lt_after=around("hedges.lt_after", before=r"^[\s,]*"),
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
    folded = fold_lower(low)
    for code, rx in words().products.items():
        if not may_match(rx.pattern, folded):
            continue
        for m in finditer_words(rx, text, low):
            if best is None or m.start() > best[1]:
                best = (code, m.start())
    return best
