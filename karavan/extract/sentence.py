"""A fact from a view span: its quote in the original text, its language and its claimant.

The sentence view the rules read (`Sentence`, `sentences_of`) lives in karavan.annotate.sentence; it is
re-exported here for the fact rules. Offsets given to `make_fact` are view offsets (doc.norm).
"""

from __future__ import annotations

from karavan.annotate import speakers
from karavan.annotate.sentence import Sentence, sentences_of, vend, vstart
from karavan.doc import Doc, Fact, View

__all__ = ["Sentence", "make_fact", "sentences_of", "speaker_at", "vend", "vstart"]


def make_fact(
    doc: Doc, type_: str, vs: int, ve: int, fields: dict, rule: str, confidence: float = 1.0
) -> Fact:
    """A fact whose quote is the original text under the view span [vs, ve), trimmed of spaces and punctuation."""
    view = doc.norm or View.identity(doc.text)
    text = view.text
    while vs < ve and (text[vs].isspace() or text[vs] in ",;:-–—"):
        vs += 1
    while ve > vs and (text[ve - 1].isspace() or text[ve - 1] in ",;:-–—"):
        ve -= 1
    s, e = view.orig_span(vs, ve)
    claimant = speaker_at(doc, s, e)
    return Fact(
        type=type_,
        doc=doc.id,
        start=s,
        end=e,
        quote=doc.text[s:e],
        fields=fields,
        claimant=claimant,
        lang=doc.lang_at(s) or "ru",
        rule=rule,
        confidence=confidence,
    )


def speaker_at(doc: Doc, start: int, end: int) -> str | None:
    """The person who says the text at [start, end) of doc.text: karavan.annotate.speakers decides."""
    return speakers.speaker_at(doc, start, end)
