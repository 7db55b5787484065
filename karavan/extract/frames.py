"""A clause's frame: the flow, the two countries, the product and the period its figures are facts of.

Each part comes from the clause's own constituents first; what the clause leaves out it takes from the
clause before it in the same sentence (an ellipsis: "экспорт – 1,7 млрд долларов, импорт – 800 млн"), and
only then from the discourse (karavan.extract.discourse):

- countries: two names of the clause's own, or one name with a pointer to the pair ("между странами",
  "bilateral", "екі ел арасындағы"), or "with X" for the country in focus, or a direction ("в Таджикистан")
  beside an exporter the clause or the text has just named. One country alone, a bloc, a region or a
  country's total ("внешнеторговый оборот Узбекистана", "total exports") is no mutual trade: `total`;
- the direction: the exporter of an export is the country it comes from (из, from, -дан), the owner of the
  flow (экспорт Казахстана, Kazakhstan's exports, Қазақстан экспорты), an adjective (казахстанский экспорт,
  Uzbek exports) or the subject of an export verb; the importer of an import is its destination or owner,
  and an adjective on imports names where they come from (Chinese imports); a buyer is the partner of the
  other side's export;
- the period: the clause's own period that is not a comparison base nor a span of years; a present-tense
  figure ("превышает", "в настоящее время") has none.

Reads: a clause, the previous frame of the sentence, the discourse. Sets nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from karavan.annotate.clauses import Clause
from karavan.annotate.lexicon import word_pattern
from karavan.annotate.phrases import Phrase
from karavan.annotate.sentence import Sentence
from karavan.extract.discourse import Discourse

OWNER_ROLES = ("owner", "plain", "adj", "between")


@dataclass(slots=True)
class Frame:
    flow: str | None = None
    verb: bool = False  # the flow is a verb: its subject is the exporter, importer or buyer
    reporter: str | None = None
    partner: str | None = None
    total: bool = False  # one country's total, a bloc's or a region's: no mutual trade
    own_pair: bool = False  # the clause names its two countries (or one and a pointer to the pair)
    product: str = "total"
    period: str | None = None
    period_local: bool = False  # the period is stated in an apposition to a name: it does not carry on
    present: bool = False
    own_flow: bool = False  # the flow word is the clause's own
    target: bool = False  # the clause states a goal (its figures are targets)


def other(pair: tuple[str, str] | None, country: str | None) -> str | None:
    if not pair or country not in pair:
        return None
    return pair[1] if pair[0] == country else pair[0]


def _core(c: Clause, s: Sentence, anchor: int) -> tuple[int, int]:
    """The pieces of the clause from its flow word to the figure: where its own countries stand."""
    flows = [p for p in c.phrases if p.kind in ("flow", "flow_verb") and p.start <= anchor]
    lo = flows[-1].start if flows else c.start
    for a, b in c.pieces:
        if a <= lo < b:
            lo = a
    return lo, c.end


def read_flow(c: Clause, anchor: int) -> Phrase | None:
    """The clause's flow word: the last one before the figure, else the first after it ("were exported")."""
    flows = [p for p in c.phrases if p.kind in ("flow", "flow_verb")]
    before = [p for p in flows if p.start <= anchor]
    if before:
        # a noun and a verb of one figure ("экспорт ... экспортировано"): the noun names the flow
        return before[-1]
    return flows[0] if flows else None


def read_frame(
    c: Clause, s: Sentence, anchor: int, prev: Frame | None, d: Discourse, shared: Phrase | None = None
) -> Frame:
    """The frame of the clause's figures (the one starting at view offset `anchor`); `shared`: the flow verb
    the items of a list share when it comes after them all."""
    f = Frame()
    flow = read_flow(c, anchor)
    if flow is None and shared is not None and (prev is None or not prev.flow):
        flow = shared
    if flow is not None:
        f.flow = "export" if flow.value == "buy" else str(flow.value)
        f.verb = flow.kind == "flow_verb"
        f.own_flow = True
    elif prev is not None and prev.flow:
        f.flow = prev.flow
    elif c.has("partner_word"):
        # "China was the largest trade partner at $3.3bn": mutual trade; "the largest export market": export
        text = s.text[c.start - s.start : c.end - s.start]
        f.flow = (
            "export"
            if word_pattern("flow.export").search(text)
            else ("import" if word_pattern("flow.import").search(text) else "turnover")
        )
    elif _points_to_figure(c) and d.last_fact is not None and d.last_fact.fields.get("flow"):
        f.flow = d.last_fact.fields["flow"]
    elif d.flow and (c.has("country", "pointer") or _volume_words(c, s) or d.list_flow):
        f.flow = d.list_flow or d.flow
    f.present = c.has("present")
    f.target = c.has("goal")
    _countries(c, s, anchor, f, flow, prev, d)
    return f


def _points_to_figure(c: Clause) -> bool:
    return any(p.kind == "pointer" and p.value == "figure" for p in c.phrases)


def _volume_words(c: Clause, s: Sentence) -> bool:
    """ "Объем с января по май составил ...", "this figure", "бұл көрсеткіш": a figure of what came before."""
    return bool(word_pattern("scope.volume").search(s.text[c.start - s.start : c.end - s.start]))


def _countries(
    c: Clause, s: Sentence, anchor: int, f: Frame, flow: Phrase | None, prev: Frame | None, d: Discourse
) -> None:
    lo, hi = _core(c, s, anchor)
    names = [p for p in c.phrases if p.kind == "country" and p.role != "loc" and lo <= p.start < hi]
    if len({p.value for p in names}) < 2:
        names = [p for p in c.phrases if p.kind == "country" and p.role != "loc"]
    pointers = [p for p in c.phrases if p.kind == "pointer" and p.value != "figure"]
    pair_pointer = any(p.value == "pair" for p in pointers)
    if not names and any(p.value == "group" for p in pointers):
        # "these countries": each in turn when the figures are given "respectively", else their sum
        if c.has("respectively") and d.group:
            f.reporter = next((x for x in (d.subject, d.home) if x and x not in d.group), None)
            f.partner = d.group[0] if f.reporter else None
        else:
            f.total = True
        return
    if not names and not pointers and _points_to_figure(c) and d.last_fact is not None:
        last = d.last_fact.fields
        if last.get("reporter") and last.get("partner"):
            f.reporter, f.partner = last["reporter"], last["partner"]
            return
    totals = [p for p in c.phrases if p.kind == "total"]
    strong_total = any(p.value == "strong" for p in totals)
    blocs = [p for p in c.phrases if p.kind in ("bloc", "subnational")]
    piece = next(((a, b) for a, b in c.pieces if a <= anchor < b), None)
    if piece is not None and any(
        piece[0] <= p.start < piece[1] and p.role not in ("with", "between", "dest", "origin") for p in names
    ):
        # "Орталық Азия елдері (Өзбекстан – 2,5 млн тонна, ...)": a member named beside its own figure (a
        # partner of the bloc, «их товарооборот с Россией», is no member)
        blocs = [p for p in blocs if piece[0] <= p.start < piece[1]]
    named = list(names)
    own = {p.value for p in names}
    for p in pointers:
        if p.value == "one":  # "the neighbouring country": the pair's side the clause does not name
            named_one = next(iter(own)) if len(own) == 1 else None
            code = other(d.pair, named_one) if named_one else (d.last_single or other(d.pair, d.subject))
        else:
            code = {"home": d.home, "focus": d.subject}.get(p.value)
        if code:
            named.append(Phrase("country", p.start, p.end, code, p.role))
    named.sort(key=lambda p: p.start)
    codes: list[str] = []
    for p in named:
        if p.value not in codes:
            codes.append(p.value)
    flow_name = f.flow
    if blocs and len(codes) < 2:
        f.total = True
        return
    item = _list_item(named, codes, f, prev, d)
    if item is not None:
        f.reporter, f.partner = item
        return
    if flow_name in (None, "turnover"):
        _turnover(f, named, codes, pair_pointer, strong_total, bool(totals), prev, d, c)
    else:
        _directed(s, f, named, codes, flow, flow_name, pair_pointer, bool(totals), prev, d, strong_total)


def _list_item(
    named: list[Phrase], codes: list[str], f: Frame, prev: Frame | None, d: Discourse
) -> tuple[str, str] | None:
    """A list item: one name and a figure under a flow stated before ("Uzbekistan - 122.6 million dollars",
    "Россия - 2,9 миллиарда", "Қытайға 824 мың тонна"): the name is the partner, the reporter the list's."""
    if f.own_flow or len(codes) != 1 or f.flow is None:
        return None
    role = named[0].role if named else ""
    if role not in ("plain", "dest", "with", "owner"):
        return None
    reporter = prev.reporter if prev is not None and prev.reporter else None
    if reporter is None and d.scope in ("pair", "total") and d.subject:
        reporter = d.subject
    code = codes[0]
    if reporter is None or reporter == code:
        return None
    return reporter, code


def _turnover(
    f: Frame,
    named: list[Phrase],
    codes: list[str],
    pair_pointer: bool,
    strong_total: bool,
    any_total: bool,
    prev: Frame | None,
    d: Discourse,
    c: Clause,
) -> None:
    if len(codes) >= 2:
        # the owner first ("Russia, Uzbekistan's number one partner": Uzbekistan reports), then the others
        order = ("owner", "between", "plain", "adj")
        ranked = sorted(named, key=lambda p: order.index(p.role) if p.role in order else len(order))
        first = ranked[0].value if ranked else codes[0]
        second = next(x for x in codes if x != first)
        f.reporter, f.partner, f.own_pair = first, second, True
        return
    if len(codes) == 1:
        code = codes[0]
        role = next(p.role for p in named if p.value == code)
        if role == "with":
            reporter = (prev.reporter if prev and prev.reporter != code else None) or _focus(d, code)
            if reporter:
                f.reporter, f.partner, f.own_pair = reporter, code, True
            return
        if pair_pointer:
            partner = (
                other(d.pair, code)
                or other(d.doc_pair, code)
                or (d.subject if d.subject != code else None)
                or (d.home if d.home != code else None)
            )
            if partner:
                f.reporter, f.partner, f.own_pair = code, partner, True
            return
        if any_total:
            f.total = True
            return
        if d.scope == "pair" and d.pair and code in d.pair:
            f.reporter, f.partner = code, other(d.pair, code)
            return
        if c.has("partner_word", "place", "largest") or (
            prev and prev.reporter and prev.reporter != code and prev.own_pair
        ):
            reporter = (prev.reporter if prev and prev.reporter != code else None) or _focus(d, code)
            if reporter:
                f.reporter, f.partner = reporter, code
            return
        f.total = True
        return
    if strong_total and not pair_pointer:
        f.total = True
        return
    if prev is not None and prev.reporter and prev.partner:
        f.reporter, f.partner = prev.reporter, prev.partner
        return
    if d.pair and (d.scope == "pair" or pair_pointer):
        f.reporter, f.partner = d.pair
        return
    if pair_pointer:  # "между нашими странами" with no pair named before: the sentence's, else the document's
        pair = tuple(d.sentence_names[:2]) if len(d.sentence_names) == 2 else d.doc_pair
        if pair:
            f.reporter, f.partner = pair  # type: ignore[misc]
        return
    if d.scope == "total":
        f.total = True


def _focus(d: Discourse, not_this: str) -> str | None:
    """The country in focus (or the document's own), when it is not `not_this`."""
    for code in (d.subject, d.home):
        if code and code != not_this:
            return code
    return None


def _attached(s: Sentence, p: Phrase, flow: Phrase | None) -> bool:
    """A bare name belongs to the flow word: its subject or owner, next to it with no clause break between
    ("Kazakhstan exported", "экспорт Казахстана", "продал Узбекистан"); in Kazakh, the subject anywhere
    before the final verb of its clause."""
    if flow is None:
        return True
    lo, hi = (p.end, flow.start) if p.end <= flow.start else (flow.end, p.start)
    gap = s.text[lo - s.start : hi - s.start]
    if re.search(r"[;:()]|,(?!\d)", gap):  # a decimal comma ("4,5 млрд") is no clause break
        return False
    if s.lang == "kk":
        return True
    return len(gap) <= 30


def _directed(
    s: Sentence,
    f: Frame,
    named: list[Phrase],
    codes: list[str],
    flow: Phrase | None,
    flow_name: str,
    pair_pointer: bool,
    any_total: bool,
    prev: Frame | None,
    d: Discourse,
    strong_total: bool = False,
) -> None:
    if strong_total and not pair_pointer and not any(p.role in ("dest", "with") for p in named):
        f.total = True  # "поставляет за рубеж", "exports to all countries": a world total
        return
    buy = flow is not None and flow.value == "buy"
    origin = next((p.value for p in named if p.role == "origin"), None)
    dest = next((p.value for p in named if p.role == "dest"), None)
    with_ = next((p.value for p in named if p.role == "with"), None)
    owners = [p for p in named if p.role in OWNER_ROLES and (p.role != "plain" or _attached(s, p, flow))]
    plain = [p for p in owners if p.role == "plain"]
    if len(plain) >= 2 and flow is not None and s.lang != "kk":
        # "поставщиками Кыргызстана были Китай": the name nearest the flow word is its owner, the other the
        # topic (Kazakh puts the subject anywhere before its final verb: there the first name stays the owner)
        near = min(
            plain, key=lambda p: abs(p.start - flow.end) if p.start >= flow.end else abs(flow.start - p.end)
        )
        owners = [p for p in owners if p.role != "plain" or p is near]
    # a bare name not attached to the flow word is what the clause is about: in a list, the partner
    topic = next((p.value for p in named if p.role == "plain" and p not in owners), None)
    adj = next((p.value for p in owners if p.role == "adj"), None)
    owner = next((p.value for p in owners if p.role != "adj"), None)
    if flow_name == "export":
        if buy:  # the buyer is the subject; the seller what the goods come from or whose they are
            seller = next((p.value for p in named if p.role in ("owner", "adj")), None)
            buyer = next((p.value for p in named if p.role == "plain"), None)
            side, partner = origin or seller, buyer or dest
        else:
            side = origin or owner or adj
            partner = dest or with_ or topic
            if partner is None and len(codes) >= 2:
                partner = next((x for x in codes if x != side), None)
    else:  # import
        side = dest or owner
        partner = origin or adj or with_ or topic
        if side is None and len(codes) >= 2:
            side = next((x for x in codes if x != partner), None)
    own = side is not None and partner is not None
    if side is None and partner is None:
        if (len(codes) == 1 or any_total) and not pair_pointer:
            # "(при общем объеме экспорта муки 1,5 млн тонн)": an exporter's total, its partner unsaid; a
            # "total volume of trade" after a pair's figure stays that pair's (the sum of its two flows)
            f.total = True
            return
        src = prev if (prev and prev.reporter and prev.partner) else None
        if src:
            side, partner = src.reporter, src.partner
        elif d.pair and (d.scope == "pair" or pair_pointer):
            side = d.subject if d.subject in d.pair else d.pair[0]
            partner = other(d.pair, side)
        elif d.scope == "total":
            f.total = True
            return
    elif side is None:
        side = (prev.reporter if prev and prev.reporter not in (None, partner) else None) or other(
            d.pair, partner
        )
        if side is None:
            side = _focus(d, partner)  # type: ignore[arg-type]
    elif partner is None:
        if any_total and not pair_pointer:
            f.total = True
            return
        partner = (prev.partner if prev and prev.partner not in (None, side) else None) or other(d.pair, side)
        if partner is None and d.scope == "pair" and d.pair and side not in d.pair:
            partner = d.pair[1] if d.pair[0] == d.subject else d.pair[0]  # "еще ... продал Узбекистан"
        if partner is None:
            f.total = True  # one country's exports: a total
            return
    if side and partner and side != partner:
        f.reporter, f.partner, f.own_pair = side, partner, own


def inherit(frame: Frame, prev: Frame | None) -> Frame:
    """A copy of the frame with what it leaves out taken from the previous clause's."""
    if prev is None:
        return frame
    out = replace(frame)
    if out.period is None and not out.present:
        out.period = prev.period
    return out
