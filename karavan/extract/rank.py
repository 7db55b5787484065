"""`partner_rank` facts: a country's place among another's trade partners.

"Казахстан – четвертый крупнейший торговый партнер Таджикистана", "занимает
второе место среди торговых партнеров Таджикистана", "Qazaqstan –
Tájikstannyń tórtinshi iri saýda seriktesi". The ranked country (`partner`)
is the subject; the country whose partners are ranked (`reporter`) is the
genitive after the partner word (Russian, English "of") or the genitive-marked
one before it (Kazakh -nyń/-ның). "Крупнейший" with no ordinal is rank 1;
"одним из крупнейших", "в пятерке" state no rank.
"""

from __future__ import annotations

from karavan.annotate.lexicon import load_lexicon
from karavan.doc import Doc, Fact
from karavan.extract.context import Context, other, words
from karavan.extract.sentence import Sentence, make_fact, vend, vstart


def extract_rank(doc: Doc, s: Sentence, ctx: Context) -> list[Fact]:
    w = words()
    hits = s.find(w.rank_partner)
    if not hits:
        return []
    kw = hits[0]
    kw_lo, kw_hi = s.start + kw.start(), s.start + kw.end()
    window_lo = max(s.start, kw_lo - 80)
    if s.has(w.rank_exclude, window_lo, kw_lo) or s.has(w.rank_exclude_after, kw_hi, kw_hi + 15):
        return []
    rank = None
    rank_at = kw_lo
    for m in s.find(w.ordinal, window_lo, kw_hi + 40):
        value = load_lexicon().lookup("ordinals", m.group(0))
        if value:
            rank, rank_at = int(value), s.start + m.start()
            break
    if rank is None:
        digit = [n for n in s.of("number", window_lo, kw_hi) if n.value.is_integer() and 1 <= n.value <= 20]
        if digit and w.digit_ordinal.match(s.text, vend(digit[0]) - s.start):
            rank, rank_at = int(digit[0].value), vstart(digit[0])
    if rank is None and s.has(w.largest, window_lo, kw_lo):
        rank = 1
    if rank is None:
        return []
    reporter = partner = None
    for m in s.of("country"):
        # the name as the rules read it (Kazakh Latin is seen in Cyrillic), with an English possessive 's
        form_text = s.text[vstart(m) - s.start : vend(m) - s.start]
        if s.text[vend(m) - s.start : vend(m) - s.start + 1] == "'":
            form_text += s.text[vend(m) - s.start : vend(m) - s.start + 2]
        if vstart(m) >= kw_hi and reporter is None and vstart(m) - kw_hi < 40:
            reporter = m.value
        elif vstart(m) >= kw_hi and partner is None and vstart(m) - kw_hi < 40:
            partner = m.value  # "Kazakhstan's largest trading partner is China"
        elif vstart(m) < rank_at and w.genitive.search(form_text):
            reporter = m.value
        elif vstart(m) < rank_at:
            partner = partner or m.value
    partner = partner or other(ctx.pair, reporter)
    reporter = reporter or other(ctx.pair, partner)
    if not reporter or not partner or reporter == partner:
        return []
    starts = [vstart(m) for m in s.of("country") if vstart(m) < rank_at]
    start = starts[0] if starts else rank_at
    ends = [vend(m) for m in s.of("country", kw_hi, kw_hi + 40)]
    end = ends[0] if ends else kw_hi
    fields = {"reporter": reporter, "partner": partner, "flow": "turnover", "rank": rank}
    return [make_fact(doc, "partner_rank", start, end, fields, "partner_rank.ordinal")]
