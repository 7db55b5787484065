"""`export_offer` facts: an offer to raise exports by N commodity positions worth a sum.

"готовность нарастить экспорт по 85 товарным позициям на сумму порядка 190 млн
долларов": a number directly before a positions word (позициям, pozısııasy,
items) in a sentence about exports, with the amount that follows (or precedes).
"""

from __future__ import annotations

import re

from karavan.doc import Doc, Fact
from karavan.extract.context import Context, words
from karavan.extract.sentence import Sentence, make_fact, vend, vstart
from karavan.extract.trade import hedges


def extract_offer(doc: Doc, s: Sentence, ctx: Context, taken: set[int]) -> list[Fact]:
    w = words()
    if not (s.has(w.export) or s.has(w.offer_verb)):
        return []
    facts = []
    for n in s.of("number"):
        after = s.text[vend(n) - s.start: vend(n) - s.start + 40]
        m = re.match(r"\s*(?:\S+\s+){0,1}", after)
        window = after[: (m.end() if m else 0) + 25]
        if not w.positions.match(window.strip()) and not w.positions.match(after[m.end():] if m else after):
            continue
        if not n.value.is_integer() or n.value < 2:
            continue
        amounts = [a for a in s.of("amount") if vstart(a) not in taken and a.attrs.get("unit") != "t"]
        amount = min(amounts, key=lambda a: abs(vstart(a) - vstart(n))) if amounts else None
        exporter = _exporter(s, ctx, vstart(n))
        if exporter is None or ctx.pair is None and len(s.countries()) < 2:
            partner = None
        pair = ctx.pair or ()
        others = [c for c in s.countries() if c != exporter] + [c for c in pair if c != exporter]
        partner = others[0] if others else None
        if exporter is None or partner is None:
            continue
        approx, bound = (False, None)
        if amount is not None:
            approx, bound = hedges(s.text[max(0, vstart(amount) - s.start - 40): vstart(amount) - s.start],
                                   s.text[vend(amount) - s.start: vend(amount) - s.start + 20])
            taken.add(vstart(amount))
        fields = {
            "reporter": exporter, "partner": partner, "positions": int(n.value),
            "value": amount.value if amount else None, "unit": amount.attrs.get("unit") if amount else None,
            "approx": approx, "bound": bound,
        }
        lo = min(vstart(n), vstart(amount) if amount else vstart(n))
        verbs = [s.start + m.start() for m in s.find(w.offer_verb) + s.find(w.export) if s.start + m.start() < lo]
        start = max(verbs[-2:] or [s.start]) if verbs else s.start
        start = min(verbs[-2:]) if len(verbs) >= 2 and lo - min(verbs[-2:]) < 60 else start
        end = max(vend(n), vend(amount) if amount else vend(n))
        facts.append(make_fact(doc, "export_offer", start, end, fields, "export_offer.positions_sum"))
        break
    return facts


def _exporter(s: Sentence, ctx: Context, before: int) -> str | None:
    """The country offering: named in the sentence before the positions, else the home country."""
    named = s.countries(s.start, before)
    if named:
        return named[0]
    return ctx.home
