"""A target's date in the ledger (promises.store._target_facts): its document's publication date, else the
year the document was written as its trade figures tell, else none."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import press_doc

from karavan.promises.store import _target_facts
from karavan.store import open_store

CASES = [
    # (published, text, the target's date)
    (
        "2024-05-20",
        "Товарооборот Казахстана и Таджикистана за 2023 год составил 1,2 млрд долларов, "
        "стороны намерены довести его до 2 млрд долларов.",
        "2024-05-20",
    ),
    (
        None,
        "Товарооборот Казахстана и Таджикистана за 2022 год составил 1,1 млрд долларов, "
        "стороны намерены довести его до 2 млрд долларов.",
        "2022",
    ),
    (None, "Стороны намерены довести товарооборот Казахстана и Таджикистана до 3 млрд долларов.", ""),
]


@pytest.mark.parametrize(("published", "text", "date"), CASES)
def test_promises_target_date_from_its_document(
    published: str | None, text: str, date: str, tmp_path: Path
) -> None:
    with open_store(tmp_path / "t.db") as s:
        doc = press_doc("t", text, published or "")
        doc.published = published
        s.put(doc)
        assert {t.date for t in _target_facts(s, ["KZ-TJ"])} == {date}
        assert {t.date for t in _target_facts(s)} == {date}
