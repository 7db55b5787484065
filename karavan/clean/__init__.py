"""Clean stage: normalised view, page chrome, articles, language and script. doc.text never changes.

    doc = clean(Doc("x", text))
    doc.norm        # NormView: NBSP, dashes, quotes, homoglyphs, accents unified; exact map back
    doc.excluded    # [Span(start, end, "ticker" | "share" | "related" | ...)]: page chrome
    doc.articles    # [Span(start, end, "article")]: at least one
    doc.paragraphs  # [Paragraph(start, end, lang, script)]: the article lines
    doc.lang, doc.script   # majority by letters: ru/kk/en, Cyrl/Latn

All offsets are into the original text.
"""

from __future__ import annotations

from collections import Counter

from karavan.clean.articles import split_articles
from karavan.clean.chrome import chrome_spans, mark_chrome
from karavan.clean.langid import Guess, guess
from karavan.clean.lines import split_lines
from karavan.clean.normalise import NormView, normalise
from karavan.doc import Doc, Paragraph, Span

__all__ = ["NormView", "clean", "guess", "normalise"]


def clean(doc: Doc) -> Doc:
    view = normalise(doc.text)
    doc.norm = view
    lines = mark_chrome(split_lines(view.text))
    doc.excluded = sorted(chrome_spans(lines, view), key=lambda sp: (sp.start, sp.end))
    content = [line for line in lines if not line.blank and line.kind is None]
    guesses = {line.start: guess(line.text) for line in content}
    groups = split_articles(lines, guesses)

    doc.articles = []
    doc.paragraphs = []
    overall: Counter[tuple[str, str]] = Counter()
    for group in groups:
        start, end = view.orig_span(group[0].start, group[-1].end)
        doc.articles.append(Span(start, end, "article"))
        lang, script = _majority([guesses[line.start] for line in group])
        for line in group:
            g = guesses[line.start]
            if g.key:
                overall[g.key] += g.letters
            p_lang, p_script = g.key or (lang, script)
            p_start, p_end = view.orig_span(line.start, line.end)
            doc.paragraphs.append(Paragraph(p_start, p_end, p_lang, p_script))
    if not doc.articles:
        doc.articles = [Span(0, len(doc.text), "article")]
    if overall:
        doc.lang, doc.script = overall.most_common(1)[0][0]
    else:
        fallback = guess(view.text)
        doc.lang, doc.script = fallback.lang, fallback.script
    return doc


def _majority(guesses: list[Guess]) -> tuple[str | None, str | None]:
    counts: Counter[tuple[str | None, str | None]] = Counter()
    for g in guesses:
        if g.lang:
            counts[(g.lang, g.script)] += g.letters + (1000 if g.sure else 0)
    return counts.most_common(1)[0][0] if counts else (None, None)
