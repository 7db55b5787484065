"""The people list says how karavan knows each person: the people lexicon, or a title and a name read in the
text. Phrasings written for this test."""

from pathlib import Path

import pytest

from karavan import api

TEXTS = {
    "lexicon.txt": "Президент Казахстана Касым-Жомарт Токаев заявил, что товарооборот между Казахстаном и "
    "Узбекистаном в 2023 году составил 4,5 млрд долларов.",
    "pattern.txt": "Посол Турции в Ташкенте Эмре Четин заявил, что товарооборот между Турцией и Узбекистаном в "
    "2023 году составил 3,1 млрд долларов.",
}


@pytest.mark.parametrize(
    ("name", "found_by"), [("Kassym-Jomart Tokayev", "lexicon"), ("Emre Chetin", "pattern")]
)
def test_reconcile_people_say_how_each_is_known(tmp_path: Path, name: str, found_by: str) -> None:
    for file, text in TEXTS.items():
        (tmp_path / file).write_text(text, encoding="utf-8")
    db = tmp_path / "k.db"
    api.ingest_paths([tmp_path / f for f in TEXTS], db)
    people = {p["name"]: p for p in api.people(db)}
    assert people[name]["found_by"] == found_by
    assert api.person(db, name)["found_by"] == found_by
