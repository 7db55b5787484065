"""Extract stage: one module per fact type; each fact names its rule."""

from karavan.doc import Doc


def extract(doc: Doc) -> Doc:
    return doc
