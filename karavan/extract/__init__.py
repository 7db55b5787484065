"""Extract stage: one module per fact type; each fact names its rule.

Numeric facts are read sentence by sentence with a context carried across
sentences (karavan.extract.context). Within a sentence the rules run from the
most specific to the most general, and an amount used by one rule is not used
again: export offers, then targets, then trade values. Meetings, agreements
and projects have their own extractors.
"""

from __future__ import annotations

from karavan.doc import Doc, Fact
from karavan.extract.agreement import extract_agreements
from karavan.extract.context import Context, document_pair, home_country, update_pair, words
from karavan.extract.meeting import extract_meetings
from karavan.extract.numeric import extract_numeric as extract_figures
from karavan.extract.project import extract_projects
from karavan.extract.restate import one_per_figure
from karavan.extract.sentence import sentences_of
from karavan.extract.share import extract_share
from karavan.extract.trade import flow_in, period_in


def extract(doc: Doc) -> Doc:
    doc.facts = [*speaker_first(doc, extract_numeric(doc)), *extract_events(doc)]
    return doc


def speaker_first(doc: Doc, facts: list[Fact]) -> list[Fact]:
    """A turnover figure is the data of the side that states it: its claimant's country is the reporter."""
    country_of = {m.value: m.attrs.get("country") for m in doc.mentions if m.kind == "person" and m.value}
    for f in facts:
        home = country_of.get(f.claimant) if f.claimant else None
        pair = (f.fields.get("reporter"), f.fields.get("partner"))
        if f.fields.get("flow") == "turnover" and home and home == pair[1]:
            f.fields["reporter"], f.fields["partner"] = pair[1], pair[0]
    return facts


def extract_numeric(doc: Doc) -> list[Fact]:
    return one_per_figure([*extract_figures(doc), *_ranks_and_shares(doc)])


def _ranks_and_shares(doc: Doc) -> list[Fact]:
    sentences = sentences_of(doc)
    home = home_country(sentences)
    fresh = dict(home=home, doc_pair=document_pair(sentences, home), ref_year=doc.reference_year)
    ctx = Context(**fresh)
    facts: list[Fact] = []
    article_starts = {a.start for a in doc.articles}
    w = words()
    for s in sentences:
        if doc.norm and doc.norm.to_orig[s.start] in article_starts:
            ctx = Context(**fresh)
        update_pair(ctx, s)
        facts.extend(extract_share(doc, s, ctx))
        p = period_in(s, s.start, s.end)
        if p is not None and p.value:
            ctx.period = p.value
        named = flow_in(s, s.start, s.end)
        ctx.flow_named = named.flow if named else (ctx.flow_named if s.has(w.pronoun) else None)
    return facts


def extract_events(doc: Doc) -> list[Fact]:
    """Meetings, agreements and projects."""
    return [*extract_meetings(doc), *extract_agreements(doc), *extract_projects(doc)]
