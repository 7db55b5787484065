"""A "sentence" longer than MAX_SENTENCE characters (a page with no full stop, a run of figures) is cut at a
space or comma before the limit, so the clause layer's work per sentence stays bounded; real sentences are
far shorter and never cut."""

import pytest

from karavan.annotate.sentences import MAX_SENTENCE, split_sentences

CASES = [
    # (text, the longest piece at most, pieces cover the text without gaps)
    ("Товарооборот вырос на 5%. " * 3, 30),
    ("1,5 млрд долларов, " * 400, MAX_SENTENCE),
    ("Товарооборот1,5млрдКазахстан" * 300, MAX_SENTENCE),
    ("слово\u00a0" * 1500, MAX_SENTENCE),
]


@pytest.mark.parametrize(("text", "longest"), CASES)
def test_annotate_sentences_are_bounded(text: str, longest: int) -> None:
    spans = split_sentences(text)
    assert max(b - a for a, b in spans) <= longest
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(spans, spans[1:], strict=False))
    assert text[spans[-1][0] : spans[-1][1]].strip() and spans[0][0] <= len(text) - len(text.lstrip())


def test_annotate_a_long_run_is_cut_after_a_comma_or_space() -> None:
    text = "1,5 млрд долларов, " * 400
    (a, b), *_ = split_sentences(text)
    assert text[b - 1] in " ," and b - a > MAX_SENTENCE - 200
