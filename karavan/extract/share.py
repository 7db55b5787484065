"""`share` facts: a sector's share of the mutual trade of two countries.

"Доля сельхозпродукции во взаимной торговле Казахстана и Узбекистана составляет около 25%", "на долю
промышленных товаров приходится 40% товарооборота Кыргызстана и Казахстана". A clause with a share word, a
percent, a product and the two countries' trade (two names, or a pointer to the pair). A country's share
("доля Казахстана", "на Таджикистан приходится 12%"), a share of one country's total ("in the total volume
of exports") or of one flow is no share fact.

Reads: a clause and its frame. Sets nothing: returns facts.
"""

from __future__ import annotations

from karavan.annotate.clauses import Clause
from karavan.annotate.sentence import Sentence
from karavan.doc import Doc, Fact
from karavan.extract.frames import Frame
from karavan.extract.sentence import make_fact


def extract_share(doc: Doc, s: Sentence, c: Clause, frame: Frame) -> list[Fact]:
    shares = c.of("share")
    percents = [p for p in c.of("percent") if shares and p.start > shares[0].start]
    products = c.of("product")
    if not shares or not percents or not products or frame.total or frame.flow != "turnover":
        return []
    pair_pointer = any(p.kind == "pointer" and p.value == "pair" for p in c.phrases)
    if not (frame.own_pair or pair_pointer) or frame.reporter is None or frame.partner is None:
        return []  # the mutual trade of two countries the clause names or points to ("of mutual trade")
    names = [p for p in c.phrases if p.kind == "country"]
    for sh in shares:
        if any(0 <= n.start - sh.end <= 3 or 0 <= sh.start - n.end <= 3 for n in names):
            return []  # "доля Казахстана", "на Таджикистан приходится": a country's share, not a sector's
    if c.has("total"):
        return []
    pct = percents[0]
    fields = {
        "reporter": frame.reporter,
        "partner": frame.partner,
        "product": products[0].value,
        "pct": pct.value,
        "approx": _approx(s, pct.start),
    }
    return [make_fact(doc, "share", shares[0].start, c.end, fields, "share.percent_of_trade")]


def _approx(s: Sentence, at: int) -> bool:
    from karavan.annotate.phrases import word_classes

    g = word_classes().grammar
    before = s.text[max(0, at - s.start - 40) : at - s.start]
    return any(name == "approx" and rx.search(before) for name, rx in g.hedge_before)
