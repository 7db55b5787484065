"""The private `re` modules read for speed (re._casefix, re._parser, re._constants) have fallbacks: on an
interpreter without them karavan still imports and gives the same answers (lexicon folds) or skips the
shortcut (first letters). Each module is loaded afresh with the private module hidden."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

import karavan.annotate.first_letters as first_letters
import karavan.annotate.lexicon as lexicon

HIDDEN = {"casefix": ("_casefix",), "parser": ("_parser", "_constants")}


def fresh_copy(module: ModuleType, monkeypatch: pytest.MonkeyPatch, hide: tuple[str, ...]) -> ModuleType:
    """`module` executed again under another name, with re.<hide> unimportable."""
    for name in hide:
        monkeypatch.setitem(sys.modules, f"re.{name}", None)  # `import re.x` raises ImportError
        monkeypatch.delattr(re, name, raising=False)  # `from re import x` too
        with pytest.raises(ImportError):
            importlib.import_module(f"re.{name}")
    spec = importlib.util.spec_from_file_location(f"{module.__name__}_fallback", Path(module.__file__ or ""))
    assert spec is not None and spec.loader is not None
    copy = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, copy)  # dataclasses look their module up there
    spec.loader.exec_module(copy)
    return copy


@pytest.mark.parametrize(
    ("letter", "twins"),
    [("i", "ı"), ("s", "ſ"), ("β", "ϐ"), ("в", "ᲀ"), ("ш", ""), ("a", "")],
)
def test_annotate_case_variants_without_re_casefix(
    monkeypatch: pytest.MonkeyPatch, letter: str, twins: str
) -> None:
    computed = lexicon._case_variants_from_str()
    assert computed.get(letter, "") == twins
    copy = fresh_copy(lexicon, monkeypatch, HIDDEN["casefix"])
    assert copy._VARIANTS == computed  # the fallback is the table the engine uses
    assert copy.fold(letter.upper() + twins) == lexicon.fold(letter.upper() + twins)


def test_annotate_case_variants_computed_equal_the_engines_table() -> None:
    casefix = pytest.importorskip("re._casefix")
    engine = {chr(k): "".join(map(chr, v)) for k, v in casefix._EXTRA_CASES.items()}
    assert lexicon._case_variants_from_str() == engine
    # every pair in it is one that IGNORECASE matches and str.lower() does not
    assert all(
        re.fullmatch(re.escape(a), b, re.IGNORECASE) and a.lower() != b.lower()
        for a, twins in engine.items()
        for b in twins
    )


@pytest.mark.parametrize("pattern", [r"(?<!\w)(?:млрд|млн)\w*", r"\d+(?:[.,]\d+)?", r"I{1,3}V?|IV"])
def test_annotate_first_letters_without_re_parser(monkeypatch: pytest.MonkeyPatch, pattern: str) -> None:
    copy = fresh_copy(first_letters, monkeypatch, HIDDEN["parser"])
    assert copy.sre_parse is None
    rx = re.compile(pattern, re.IGNORECASE)
    assert copy.first_letter(rx) is None  # no shortcut: the grammar itself is tried at every anchor
    gate = copy.FirstLetters(rx)
    assert all(gate.can_begin(ch) for ch in "мM1 -ж")
    assert first_letters.first_letter(rx) is not None  # with the parser, the shortcut is there
