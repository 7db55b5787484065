"""`share` facts: a sector's share of mutual trade.

"на долю которой приходится порядка 20% взаимной торговли", "доля
сельхозпродукции в товарообороте составляет 30%". A share word, a percent and
a trade word in one sentence; the product is named in the sentence.
"""

from __future__ import annotations

from karavan.doc import Doc, Fact
from karavan.extract.context import Context, product_in, words
from karavan.extract.sentence import Sentence, make_fact, vend, vstart
from karavan.extract.trade import hedges


def extract_share(doc: Doc, s: Sentence, ctx: Context) -> list[Fact]:
    w = words()
    shares = s.find(w.share)
    if not shares or not (s.has(w.turnover) or s.has(w.export) or s.has(w.import_)):
        return []
    pcts = [p for p in s.of("percent") if vstart(p) > s.start + shares[0].start()]
    if not pcts:
        return []
    p = pcts[0]
    for sh in shares:
        lo, hi = s.start + sh.start(), s.start + sh.end()
        if any(hi <= vstart(c) <= hi + 3 or lo - 3 <= vend(c) <= lo for c in s.of("country")):
            return []  # "доля Казахстана", "на Таджикистан приходится": a country's share, not a sector's
    prod = product_in(s.text)
    if prod is None or ctx.pair is None and len(s.countries()) < 2:
        return []
    pair = ctx.pair if len(s.countries()) < 2 else tuple(s.countries()[:2])
    approx, _bound = hedges(s.text[max(0, vstart(p) - s.start - 40) : vstart(p) - s.start])
    trade_words = [s.start + m.end() for m in s.find(w.turnover, vend(p)) + s.find(w.export, vend(p))]
    end = min(trade_words) if trade_words else vend(p)
    fields = {"reporter": pair[0], "partner": pair[1], "product": prod[0], "pct": p.value, "approx": approx}
    return [make_fact(doc, "share", s.start + shares[0].start(), end, fields, "share.percent_of_trade")]
