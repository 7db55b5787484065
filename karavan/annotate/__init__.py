"""Annotate stage: sentences, numbers, money, percents, periods, countries, people."""

from karavan.doc import Doc


def annotate(doc: Doc) -> Doc:
    return doc
