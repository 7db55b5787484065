"""Shared fixtures: where the shared seeds are, and a stand-in pipeline that finds facts."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from karavan.doc import Doc, Fact, Span

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return SHARED


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SHARED / "seeds"


def fake_process(doc: Doc) -> Doc:
    """A pipeline stand-in: the first line is chrome, each of the first three numbers is a `trade` fact."""
    first_line = doc.text.find("\n")
    if first_line > 0:
        doc.excluded = [Span(0, first_line, "test-chrome")]
    doc.lang, doc.script = "ru", "Cyrl"
    for m in list(NUMBER.finditer(doc.text))[:3]:
        doc.facts.append(
            Fact(
                type="trade",
                doc=doc.id,
                start=m.start(),
                end=m.end(),
                quote=m.group(),
                fields={
                    "flow": "turnover",
                    "reporter": "KZ",
                    "partner": "TJ",
                    "value": float(m.group().replace(",", ".")),
                },
                lang="ru",
                rule="test.number",
            )
        )
    return doc


@pytest.fixture
def with_fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> Callable[[Doc], Doc]:
    """Make karavan.api (and so the CLI) run `fake_process` instead of the real pipeline."""
    import karavan.api

    monkeypatch.setattr(karavan.api, "default_process", lambda: fake_process)
    return fake_process
