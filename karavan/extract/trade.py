"""`trade` facts: a reported trade value (turnover, export, import) with its period and change.

A sentence is cut into segments, one per amount: from the previous amount (or
the sentence start) to this one. A segment states a trade value when it names a
trade flow (товарооборот, экспорт, объем торговли) or continues the flow of the
segment before it in the same sentence ("экспорт зерна ... 40,4 тыс. тонн,
муки – 53,2 тыс. тонн"). Period, product and countries come from the segment,
else from the sentence, else from the context carried across sentences.

Rules (named in each fact's `rule`):
- trade.segment: a flow word and an amount in one segment;
- trade.ellipsis: an amount continuing the previous segment's flow;
- trade.change_only: a flow word and a change ("экспорт вырос на 13,5%") with no amount.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from karavan.doc import Doc, Fact, Mention
from karavan.extract.context import Context, other, product_in, words
from karavan.extract.sentence import Sentence, make_fact, vend, vstart


@dataclass(slots=True)
class Flow:
    flow: str
    at: int  # view offset of the flow word
    end: int


def flow_in(s: Sentence, lo: int, hi: int) -> Flow | None:
    """The last trade-flow word in [lo, hi) of the sentence."""
    w = words()
    best: Flow | None = None
    for flow, rx in (("turnover", w.turnover), ("export", w.export), ("import", w.import_)):
        for m in s.find(rx, lo, hi):
            at = s.start + m.start()
            if best is None or at > best.at:
                best = Flow(flow, at, s.start + m.end())
    return best


def hedges(text_before: str, text_after: str = "") -> tuple[bool, str | None]:
    """approx and bound from the words right before a number (or right after it: Kazakh "астам", "жуық")."""
    w = words()
    approx = bool(w.approx.search(text_before) or w.approx_after.search(text_after))
    bound = "gt" if w.gt.search(text_before) else ("lt" if w.lt.search(text_before) else None)
    if bound is None and text_after:
        bound = "gt" if w.gt_after.search(text_after) else ("lt" if w.lt_after.search(text_after) else None)
    return approx, bound


def is_comparison(s: Sentence, period: Mention) -> bool:
    w = words()
    before = s.text[max(0, vstart(period) - s.start - 45) : vstart(period) - s.start]
    after = s.text[vend(period) - s.start : vend(period) - s.start + 30]
    return bool(w.compare_before.search(before) or w.compare_after.search(after))


def period_in(s: Sentence, lo: int, hi: int) -> Mention | None:
    """The fact's period in [lo, hi): the last one that is not a comparison base or a year range."""
    found = [
        p for p in s.of("period", lo, hi) if p.attrs.get("shape") != "year_range" and not is_comparison(s, p)
    ]
    return found[-1] if found else None


SIGNED = re.compile(r"\(\s*([+\-−])$")


def change_in(s: Sentence, lo: int, hi: int, sentence_lo: int) -> tuple[float | None, float | None, int]:
    """change_pct and change_factor stated in [lo, hi), with the end of what stated it."""
    w = words()
    pct = None
    factor = None
    end = lo
    for p in s.of("percent", lo, hi):
        before = s.text[max(0, vstart(p) - s.start - 40) : vstart(p) - s.start]
        after = s.text[vend(p) - s.start : vend(p) - s.start + 25]
        if w.share.search(before[-25:]):
            continue
        signed = SIGNED.search(before)  # "(+5,4%)", "(-2,1%)"
        if signed:
            pct = (-1.0 if signed.group(1) in "-−" else 1.0) * p.value
            end = max(end, vend(p))
            break
        changed = (
            w.change_by.search(before)
            or w.up.search(before + " " + after)
            or w.down.search(before + " " + after)
        )
        if not changed:
            continue
        sign = (
            -1.0
            if (
                w.down.search(before[-30:] + " " + after)
                or (
                    not w.up.search(before + after)
                    and w.down.search(s.text[sentence_lo - s.start : vstart(p) - s.start])
                )
            )
            else 1.0
        )
        pct = sign * p.value
        end = max(end, vend(p))
        break
    for f in s.of("factor", lo, hi):
        text = s.text[max(0, vstart(f) - s.start - 30) : vend(f) - s.start + 20]
        factor = 1 / f.value if (w.down.search(text) and f.value) else f.value
        end = max(end, vend(f))
        break
    return pct, factor, end


def countries_for(
    s: Sentence, ctx: Context, lo: int, hi: int, flow: str, flow_at: int, dir_hi: int | None = None
) -> tuple[str, str] | None:
    """Reporter and partner: exporter/importer first for export/import; the pair for turnover.

    The pair comes from [lo, hi), else the sentence, else the context; the direction
    ("из РК", "в Таджикистан") only from [lo, dir_hi), the fact's own segment.
    """
    w = words()
    local = s.countries(lo, hi) or s.countries()
    pair = ctx.pair or ctx.doc_pair
    if len(local) >= 2:
        pair = (
            (local[0], local[1])
            if ctx.home not in local[:2]
            else (ctx.home, next(c for c in local if c != ctx.home))
        )
    if flow == "turnover":
        return pair
    origin = dest = subject = None
    for m in s.of("country", lo, hi if dir_hi is None else dir_hi):
        before = s.text[max(0, vstart(m) - s.start - 6) : vstart(m) - s.start]
        form = s.text[vstart(m) - s.start : vend(m) - s.start]  # Kazakh marks direction by case endings
        if w.preposition_from.search(before) or w.suffix_from.search(form):
            origin = m.value  # "из РК", "Қазақстаннан"
        elif w.preposition_to.search(before) or w.suffix_to.search(form):
            dest = m.value  # "в Таджикистан", "Тәжікстанға"
        elif abs(vstart(m) - flow_at) < 25 and subject is None:
            subject = m.value  # "экспорт Казахстана", "казахстанский экспорт", "Кыргызстан импортировал"
    # the reporter is the exporter (export) or the importer (import): the named side of the flow
    if flow == "import":
        reporter, partner = dest or (subject if subject != origin else None), origin
    else:
        reporter, partner = origin or (subject if subject != dest else None), dest
    reporter = reporter or other(pair, partner)
    if reporter is None and pair:
        reporter = ctx.home if ctx.home in pair else pair[0]
    partner = partner or other(pair, reporter)
    if reporter and partner and reporter != partner:
        return reporter, partner
    return None


def extract_trade(doc: Doc, s: Sentence, ctx: Context, taken: set[int]) -> list[Fact]:
    """Trade facts of one sentence; amounts already used by other rules (offset in `taken`) are skipped."""
    w = words()
    facts: list[Fact] = []
    amounts = s.of("amount")
    if not amounts and not (s.of("percent") or s.of("factor")):
        return facts  # neither a value nor a change
    continuing = bool(w.continuation.search(s.text))
    prev_flow: Flow | None = None
    prev_product: str | None = None
    prev_period: str | None = None
    seg_lo = s.start
    change_lo = s.start  # a change stated after one amount is not the next amount's change
    for i, a in enumerate(amounts):
        nxt = vstart(amounts[i + 1]) if i + 1 < len(amounts) else s.end
        if vstart(a) in taken:
            seg_lo = vend(a)
            continue
        flow = flow_in(s, seg_lo, vstart(a))
        rule = "trade.segment"
        if flow is None and prev_flow is not None:
            flow, rule = prev_flow, "trade.ellipsis"
        if flow is None and i == 0 and continuing and ctx.flow:
            flow, rule = Flow(ctx.flow, s.start, s.start), "trade.continuation"
        if flow is None:
            seg_lo = vend(a)
            continue
        seg_text = s.text[seg_lo - s.start : vstart(a) - s.start]
        if _is_base_value(s, a, nxt) or w.forecast.search(seg_text):
            seg_lo = seg_lo if _is_base_value(s, a, nxt) else vend(a)
            continue
        if w.blockers.search(seg_text[max(0, flow.end - seg_lo) :]) and rule == "trade.segment":
            # "товарооборот ... а инвестиции составили 500 млн": the figure belongs to the blocker
            blk = list(w.blockers.finditer(seg_text))
            if blk and blk[-1].start() + seg_lo > flow.at:
                seg_lo = vend(a)
                continue
        prod = product_in(s.text[seg_lo - s.start : vstart(a) - s.start]) or product_after(s, vend(a), nxt)
        product = (
            prod[0] if prod else (prev_product or (ctx.product if continuing and i == 0 else None) or "total")
        )
        period_m = (
            period_in(s, seg_lo, vstart(a)) or period_in(s, vend(a), nxt) or period_in(s, s.start, seg_lo)
        )
        period = period_m.value if period_m else (prev_period or ctx.period)
        pct, factor, change_end = change_in(s, max(seg_lo, change_lo), nxt, s.start)
        if pct is None and factor is None and i == len(amounts) - 1:
            pct, factor, change_end = change_in(s, vend(a), s.end, s.start)
        pair = countries_for(s, ctx, seg_lo, nxt, flow.flow, flow.at, vend(a))
        if pair is None or _is_forecast(period, ctx):
            seg_lo = vend(a)
            continue
        approx, bound = hedges(
            s.text[max(0, vstart(a) - s.start - 40) : vstart(a) - s.start],
            s.text[vend(a) - s.start : vend(a) - s.start + 20],
        )
        end = max(vend(a), change_end)
        fields = {
            "flow": flow.flow,
            "reporter": pair[0],
            "partner": pair[1],
            "product": product,
            "period": period,
            "value": a.value,
            "unit": a.attrs.get("unit"),
            "approx": approx,
            "bound": bound,
            "change_pct": pct,
            "change_factor": factor,
        }
        facts.append(make_fact(doc, "trade", seg_lo, end, fields, rule))
        taken.add(vstart(a))
        change_lo = change_end
        prev_flow, prev_product, prev_period = flow, product, period
        ctx.flow, ctx.product = flow.flow, product
        seg_lo = vend(a)
    if not amounts:
        facts.extend(_change_only(doc, s, ctx, continuing))
    return facts


def _is_base_value(s: Sentence, a: Mention, nxt: int) -> bool:
    """'вырос с 500 млн до 700 млн': the amount after "с" and before "до <amount>" is the base."""
    w = words()
    before = s.text[max(0, vstart(a) - s.start - 4) : vstart(a) - s.start]
    after = s.text[vend(a) - s.start : nxt - s.start]
    return bool(w.from_base.search(before) and w.to_value.match(after) and nxt < s.end)


def product_after(s: Sentence, lo: int, hi: int) -> tuple[str, int] | None:
    """A product named right after the amount, in the same clause: "1,2 млн тонн пшеницы"."""
    tail = s.text[lo - s.start : hi - s.start]
    clause = re.split(r"[,;.()–—-]\s", tail, maxsplit=1)[0][:40]
    return product_in(clause)


def _is_forecast(period: str | None, ctx: Context) -> bool:
    """A period after the document's year is a forecast or a goal, not a reported value."""
    return bool(period and ctx.ref_year and int(period[:4]) > ctx.ref_year)


def _change_only(doc: Doc, s: Sentence, ctx: Context, continuing: bool) -> list[Fact]:
    """'экспорт из РК вырос на 13,5%': a change with no value."""
    w = words()
    flow = flow_in(s, s.start, s.end)
    if flow is None and ctx.flow_named and s.has(w.pronoun):
        flow = Flow(ctx.flow_named, s.start, s.start)  # "За 2023 год он увеличился на 18,4%"
    if flow is None or not (s.of("percent") or s.of("factor")) or s.has(w.share) or s.has(w.target_verb):
        return []
    pct, factor, end = change_in(s, flow.at, s.end, s.start)
    if pct is None and factor is None:
        return []
    prod = product_in(s.text)
    product = prod[0] if prod else (ctx.product if continuing else "total")
    period_m = period_in(s, s.start, s.end)
    period = period_m.value if period_m else ctx.period
    pair = countries_for(s, ctx, s.start, s.end, flow.flow, flow.at)
    if pair is None:
        return []
    fields = {
        "flow": flow.flow,
        "reporter": pair[0],
        "partner": pair[1],
        "product": product,
        "period": period,
        "value": None,
        "unit": None,
        "approx": False,
        "bound": None,
        "change_pct": pct,
        "change_factor": factor,
    }
    return [make_fact(doc, "trade", s.start, end, fields, "trade.change_only", 0.8)]
