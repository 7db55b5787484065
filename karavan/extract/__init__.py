"""Extract stage: the numeric facts read clause by clause, then meetings, agreements and projects.

Numeric facts (trade values, targets, export offers, partner ranks, shares) come from the clause layer
(karavan.annotate.clauses) through karavan.extract.numeric, with the discourse carried from sentence to
sentence (karavan.extract.discourse); a figure restated in a headline or a repeat is folded into its most
complete statement (karavan.extract.restate). Meetings, agreements and projects have their own extractors.
Each fact names its rule.

Reads: the annotated document. Sets: doc.facts.
"""

from __future__ import annotations

from karavan.doc import Doc, Fact
from karavan.extract.agreement import extract_agreements
from karavan.extract.meeting import extract_meetings
from karavan.extract.numeric import extract_numeric as extract_figures
from karavan.extract.project import extract_projects
from karavan.extract.restate import one_per_figure


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
    return one_per_figure(extract_figures(doc), doc.text)


def extract_events(doc: Doc) -> list[Fact]:
    """Meetings, agreements and projects."""
    return [*extract_meetings(doc), *extract_agreements(doc), *extract_projects(doc)]
