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
    numbers = s.of("number")
    if not numbers or not (s.has(w.export) or s.has(w.offer_verb)):
        return []
    facts = []
    for n in numbers:
        rest = s.text[vend(n) - s.start : vend(n) - s.start + 40].lstrip()
        # "85 товарным позициям", "175 позициям", "120 items", or one word between: "60 тауар позициясы"
        if not (w.positions.match(rest) or w.positions.match(re.sub(r"^\S+\s+", "", rest, count=1))):
            continue
        if not n.value.is_integer() or n.value < 2:
            continue
        amounts = [a for a in s.of("amount") if vstart(a) not in taken and a.attrs.get("unit") != "t"]
        amount = min(amounts, key=lambda a: abs(vstart(a) - vstart(n))) if amounts else None
        exporter = _exporter(s, ctx, vstart(n))
        partner = next((c for c in [*s.countries(), *(ctx.pair or ())] if c != exporter), None)
        if exporter is None or partner is None:
            continue
        approx, bound = False, None
        if amount is not None:
            approx, bound = hedges(
                s.text[max(0, vstart(amount) - s.start - 40) : vstart(amount) - s.start],
                s.text[vend(amount) - s.start : vend(amount) - s.start + 20],
            )
            taken.add(vstart(amount))
        fields = {
            "reporter": exporter,
            "partner": partner,
            "positions": int(n.value),
            "value": amount.value if amount else None,
            "unit": amount.attrs.get("unit") if amount else None,
            "approx": approx,
            "bound": bound,
        }
        lo = min(vstart(n), vstart(amount) if amount else vstart(n))
        # the quote opens at the offer: the first offer or export word within 60 characters before it
        words_before = sorted(
            s.start + m.start() for m in s.find(w.offer_verb) + s.find(w.export) if s.start + m.start() < lo
        )
        near = [at for at in words_before if lo - at < 60]
        start = near[0] if near else (words_before[-1] if words_before else s.start)
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
