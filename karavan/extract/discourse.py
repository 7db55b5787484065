"""What carries from one sentence to the next: the pair under discussion, the country in focus, the last
flow, product, period and unit, whether the text is speaking of mutual trade or of one country's total.

A clause with no country of its own takes the pair the text is speaking of only while that pair stands
(`scope` "pair"): a sentence about one country's foreign trade sets `scope` "total", and the clauses after it
with no country of their own give no fact until a pair is named again. The document's own country (`home`,
for "нашу республику", "отечественный") comes from its address (a .kz site speaks from Kazakhstan) or from
the country it names most.

Reads: the sentences' phrases and the facts of each sentence. Sets nothing in the document.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from karavan.annotate.phrases import Phrase
from karavan.annotate.site import site_country
from karavan.doc import Doc, Fact


@dataclass(slots=True)
class Discourse:
    home: str | None = None
    pair: tuple[str, str] | None = None
    scope: str = ""  # "pair": mutual trade of `pair`; "total": one country's total
    subject: str | None = None  # the country in focus: the reporter of the last figure
    last_single: str | None = None  # the last country named alone (for "эту страну", "бұл елге")
    flow: str | None = None
    product: str | None = None
    commodity: str | None = None  # the last commodity named with a flow, for figures in tonnes
    period: str | None = None
    period_months: tuple[int, int] | None = None
    unit: str | None = None
    last_fact: Fact | None = None
    trade_talk: bool = False  # the previous sentence stated a trade figure or a flow
    list_flow: str | None = None  # a partner list under way ("main trading partners were ...")
    doc_pair: tuple[str, str] | None = (
        None  # the document's two most named countries: "between our countries"
    )
    sentence_names: list[str] = field(default_factory=list)  # the countries the current sentence names
    group: list[str] = field(
        default_factory=list
    )  # the countries the sentence before named ("these countries")
    seen: Counter[str] = field(default_factory=Counter)


def home_of(doc: Doc, named: Counter[str]) -> str | None:
    """The document's own country: its site's country (annotate/site.py), else the country it names most."""
    code = site_country(doc)
    if code is not None:
        return code
    return named.most_common(1)[0][0] if named else None


def names_in(phrases: list[Phrase]) -> list[str]:
    """The distinct countries of phrases (places excluded), in order."""
    out: list[str] = []
    for p in phrases:
        if p.kind == "country" and p.role != "loc" and p.value not in out:
            out.append(p.value)
    return out


def update(
    d: Discourse, phrases: list[Phrase], facts: list[Fact], flows: list[str], total_of: str | None
) -> None:
    """After a sentence: the pair and focus it names, the figures it stated. A sentence listing several
    partners of one country leaves no single pair for the clauses after it."""
    names = names_in(phrases)
    # the countries a sentence relates to each other: with a flow word its directions too ("нарастили экспорт
    # в Кыргызстан"), else not where someone comes from or goes to ("arrived from Azerbaijan")
    flowing = bool(flows) or any(p.kind in ("flow", "flow_verb") for p in phrases)
    moves = ("loc",) if flowing else ("loc", "origin", "dest")
    related = list(dict.fromkeys(p.value for p in phrases if p.kind == "country" and p.role not in moves))
    plain = [p for p in phrases if p.kind == "country" and p.role not in (*moves, "adj")]
    if plain and any(p.kind == "country" and p.role == "adj" for p in phrases):
        # "түрік әріптестерімізге Абу-Дабимен": an adjective beside other names is not one of a pair;
        # two adjectives alone are ("қазақ-қырғыз байланысы")
        related = list(
            dict.fromkeys(p.value for p in phrases if p.kind == "country" and p.role not in (*moves, "adj"))
        )
    d.seen.update(names)
    if facts:
        last = facts[-1]
        f = last.fields
        partners = {x.fields.get("partner") for x in facts if x.fields.get("partner")}
        reporters = {x.fields.get("reporter") for x in facts if x.fields.get("reporter")}
        if f.get("reporter") and f.get("partner"):
            d.pair = (f["reporter"], f["partner"])
            d.scope = "pair"
            if f.get("flow") != "turnover" or d.subject not in d.pair:
                d.subject = f["reporter"]  # a turnover's two sides come in either order: keep the focus
        if len(partners) >= 3 and len(reporters) == 1:
            d.scope = "list"  # "Uzbekistan - $122.6 million (10.4%), Turkey - $53.1 million": no one pair
        d.last_fact = last
        if f.get("flow"):
            d.flow = f["flow"]
        if f.get("product"):
            d.product = f["product"]
        if f.get("unit"):
            d.unit = f["unit"]
    elif total_of:
        d.scope = "total"
        d.subject = total_of
    products = [p.value for p in phrases if p.kind == "product"]
    if flowing and products:
        # "астық экспорты 6,8 млн тонна болды": even a total names the commodity the text goes on speaking of
        d.commodity = products[-1]
    elif len(related) == 2:
        d.pair = (related[0], related[1])  # "Kazakhstan and Uzbekistan discussed trade"; not a visit "from X"
        d.scope = "pair"
    if len(names) == 1:
        if names[0] != d.subject:
            d.last_single = names[0]
    elif len(names) >= 2 and d.subject in names:
        d.last_single = next(c for c in reversed(names) if c != d.subject)
    if flows:
        d.flow = flows[-1]
    d.trade_talk = bool(facts or flows)
    others = [x for x in names if x != d.subject]  # "Kazakhstan began exporting to Iran and Turkey"
    d.group = others if len(others) >= 2 else []
