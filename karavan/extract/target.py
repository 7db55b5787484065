"""`target` facts: a declared goal ("довести товарооборот до 2 млрд долларов").

A target is an amount in a segment that names a goal verb in the infinitive or
as a noun (довести, нарастить, доведение, увеличению) and puts the amount after
"до"/"to" (Kazakh "-ға дейін" after it), or sits in a sentence that names a goal (задача, цель).
A past-tense verb (увеличился ... до 4,3 млн) is a trade value, not a target.
"""

from __future__ import annotations

import re
from functools import cache

from karavan.annotate.lexicon import load_lexicon
from karavan.doc import Doc, Fact
from karavan.extract.context import Context, product_in, words
from karavan.extract.sentence import Sentence, make_fact, vend, vstart
from karavan.extract.trade import flow_in


@cache
def _grammar() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Language words around a target's amount and year, from the lexicons (Kazakh Latin is read in Cyrillic)."""
    lex = load_lexicon()
    up_to = re.compile(r"(?:^|[\s(])" + lex.pattern("target.up_to") + r"\s+(?:\S+\s+){0,1}$", re.I)
    up_to_after = re.compile(r"^\S*\s*" + lex.pattern("target.up_to_after"), re.I)
    by_before = re.compile(r"(?:^|\s)" + lex.pattern("target.by_before") + r"\s+$", re.I)
    by_after = re.compile(r"^\s*" + lex.pattern("target.by_after"), re.I)
    return up_to, up_to_after, by_before, by_after


def extract_target(doc: Doc, s: Sentence, ctx: Context, taken: set[int]) -> list[Fact]:
    w = words()
    facts: list[Fact] = []
    seg_lo = s.start
    for a in s.of("amount"):
        if vstart(a) in taken:
            seg_lo = vend(a)
            continue
        before = s.text[seg_lo - s.start : vstart(a) - s.start]
        verbs = list(w.target_verb.finditer(before))
        kk_after = s.text[vend(a) - s.start : vend(a) - s.start + 30]
        up_to_rx, up_to_after, _, _ = _grammar()
        up_after = up_to_after.match(kk_after)
        up_to = bool(up_to_rx.search(before[-30:])) or bool(up_after)
        # Kazakh puts the verb after the amount: "$2 млрд-қа дейін арттыру"
        verb_at = up_after.end() if up_after else len(re.match(r"^[\s,]*", kk_after).group(0))
        after_verbs = [
            m for m in w.target_verb.finditer(kk_after, verb_at) if not kk_after[verb_at : m.start()].strip()
        ]
        goal = s.has(w.goal)
        if not (verbs or after_verbs) or not (up_to or goal):
            seg_lo = vend(a)
            continue
        flow = flow_in(s, seg_lo, vend(a))
        flow_name = flow.flow if flow else "turnover"
        pair = _pair(s, ctx, seg_lo, vend(a), flow_name)
        if pair is None:
            seg_lo = vend(a)
            continue
        prod = product_in(before)
        factor = None
        for f in s.of("factor", seg_lo, vend(a)):
            factor = f.value
        if factor is not None and float(factor).is_integer():
            factor = int(factor)
        fields = {
            "flow": flow_name,
            "reporter": pair[0],
            "partner": pair[1],
            "product": prod[0] if prod else "total",
            "value": a.value,
            "unit": a.attrs.get("unit"),
            "factor": factor,
            "by": _by_year(s, vend(a)),
        }
        start = min([seg_lo + m.start() for m in verbs] + [flow.at if flow else vstart(a)])
        end = vend(a) + after_verbs[0].end() if after_verbs else vend(a)
        facts.append(make_fact(doc, "target", start, end, fields, "target.goal_up_to"))
        taken.add(vstart(a))
        seg_lo = vend(a)
    if not s.of("amount"):
        facts.extend(_factor_only(doc, s, ctx))
    return facts


def _factor_only(doc: Doc, s: Sentence, ctx: Context) -> list[Fact]:
    """A goal stated as a factor with no amount: "поставили задачу увеличить товарооборот в два раза",
    "договорились удвоить взаимный товарооборот", "тауар айналымын екі есеге арттыру міндеті".

    The sentence names a goal (задача, цель, договорились ...); a goal verb (infinitive or noun) stands
    right before the factor or is the factor itself (удвоить), or follows it (Kazakh); a trade flow is
    named within the phrase. `value` is null, as FACTS.md has it for a change stated alone.
    """
    w = words()
    if not s.has(w.goal):
        return []
    for f in s.of("factor"):
        lo, hi = max(s.start, vstart(f) - _VERB_REACH), vend(f)
        verbs = s.find(w.target_verb, lo, hi)
        after = s.text[vend(f) - s.start : vend(f) - s.start + 30]
        verb_after = w.target_verb.match(after, len(after) - len(after.lstrip(" ,")))
        if not verbs and not verb_after:
            continue
        start = s.start + verbs[0].start() if verbs else vstart(f)
        end = vend(f) + verb_after.end() if verb_after else vend(f)
        flow = flow_in(
            s, min(start, lo), min(s.end, end + _FLOW_REACH)
        )  # before it too: "тауар айналымын екі есеге"
        if flow is None:
            continue
        lo_all, hi_all = min(start, flow.at), max(end, flow.end)
        if _CLAUSE_BREAK.search(s.text, lo_all - s.start, hi_all - s.start):
            continue  # the flow, the verb and the factor of one goal stand in one clause
        pair = _pair(s, ctx, start, end, flow.flow)
        if pair is None:
            continue
        factor = int(f.value) if float(f.value).is_integer() else f.value
        fields = {
            "flow": flow.flow,
            "reporter": pair[0],
            "partner": pair[1],
            "product": "total",
            "value": None,
            "unit": None,
            "factor": factor,
            "by": _by_year(s, vend(f)),
        }
        return [make_fact(doc, "target", lo_all, hi_all, fields, "target.goal_factor", 0.8)]
    return []


_CLAUSE_BREAK = re.compile(r"[,;:()–—]")
_VERB_REACH = 60  # a goal verb this far before the factor ("увеличить объем взаимной торговли в два раза")
_FLOW_REACH = 40  # a flow named this far after the factor ("удвоить взаимный товарооборот"), or as far
# before it as a verb


def _pair(s: Sentence, ctx: Context, lo: int, hi: int, flow: str) -> tuple[str, str] | None:
    local = s.countries()
    if len(local) >= 2:
        if ctx.home in local:
            return ctx.home, next(c for c in local if c != ctx.home)
        return local[0], local[1]
    return ctx.pair or ctx.doc_pair


def _by_year(s: Sentence, after: int) -> str | None:
    """'к 2030 году', 'до 2030 года', 'by 2030', '2030 jylǵa deıin' in the sentence."""
    for p in s.of("period"):
        if p.attrs.get("shape") != "year" or not p.attrs.get("year"):
            continue
        before = s.text[max(0, vstart(p) - s.start - 6) : vstart(p) - s.start]
        after_text = s.text[vend(p) - s.start : vend(p) - s.start + 12]
        _, _, by_before, by_after = _grammar()
        if by_before.search(before) or by_after.search(after_text):
            return str(p.attrs["year"])
    return None
