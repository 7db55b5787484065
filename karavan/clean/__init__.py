"""Clean stage: chrome spans, normalised view, article split, language and script."""

from karavan.doc import Doc, View


def clean(doc: Doc) -> Doc:
    if doc.norm is None:
        doc.norm = View.identity(doc.text)
    return doc
