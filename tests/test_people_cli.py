"""People and meetings from the reconciled seeds: timelines, the three meetings of Alikhan Smailov in 004."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import D000, D002, D003, D004

from karavan import api
from karavan.cli import main


@pytest.fixture
def db(seeds_reconciled_db: Path) -> str:
    return str(seeds_reconciled_db)


@pytest.mark.parametrize("query", ["olzhas-bektenov", "Olzhas Bektenov", "OLZHAS BEKTENOV", "bektenov"])
def test_people_person_is_found_by_id_name_or_surname(db: str, query: str) -> None:
    assert api.person(db, query)["id"] == "olzhas-bektenov"


def test_people_bektenov_timeline(db: str) -> None:
    p = api.person(db, "Olzhas Bektenov")
    assert (p["country"], p["meetings"], p["statements"]) == ("KZ", 2, 0)
    assert [(t["kind"], t["docs"], t["with"], t["place"]) for t in p["timeline"]] == [
        ("meeting", [D000, D003], ["Emomali Rahmon"], "Dushanbe"),
        ("meeting", [D002], ["Adylbek Kasymaliev"], "Almaty"),
    ]
    assert all(t["quote"] and t["start"] < t["end"] for t in p["timeline"])
    assert {"role": "pm", "from": "2024-02", "to": None} in p["roles"]


def test_people_the_three_meetings_of_smailov_in_004(db: str) -> None:
    p = api.person(db, "Alikhan Smailov")
    meetings = [t for t in p["timeline"] if t["kind"] == "meeting"]
    assert sorted(tuple(t["with"]) for t in meetings) == [
        ("Abdulla Aripov",), ("Akylbek Japarov",), ("Kokhir Rasulzoda",),
    ]  # fmt: skip
    assert {(t["doc"], t["date"]) for t in meetings} == {(D004, "2022-06-16")}
    statements = [t for t in p["timeline"] if t["kind"] == "statement"]
    assert len(statements) == p["statements"] == 3
    assert any("1,1 миллиарда" in t["quote"] for t in statements)


def test_people_tokayev_statements_include_his_1_4_bn(db: str) -> None:
    p = api.person(db, "tokayev")
    assert any(
        t["kind"] == "statement" and t["value"] == 1.4e9 and t["date"] == "2023-05-04" for t in p["timeline"]
    )


def test_people_counts(db: str) -> None:
    rows = {p["id"]: (p["meetings"], p["statements"]) for p in api.people(db)}
    assert rows["alikhan-smailov"] == (3, 3)
    assert rows["olzhas-bektenov"] == (2, 0)
    assert rows["emomali-rahmon"][0] == 2


@pytest.mark.parametrize(
    ("pair", "expected"),
    [
        ("KZ-TJ", [("2024", 2), ("2023-05-04", 1), ("2022-06-16", 1)]),
        ("TJ-KZ", [("2024", 2), ("2023-05-04", 1), ("2022-06-16", 1)]),
        ("KG-KZ", [("2024", 1), ("2022-06-16", 1)]),
        ("KZ-UZ", [("2022-06-16", 1)]),
        ("KZ-CN", []),
    ],
)
def test_people_meetings_by_pair_newest_first(db: str, pair: str, expected: list) -> None:
    assert [(m["date"], m["n_sources"]) for m in api.meetings(db, pair)] == expected


def test_people_a_meeting_reported_twice_is_one_meeting(db: str) -> None:
    [m] = [m for m in api.meetings(db, "KZ-TJ") if m["date"] == "2024"]
    assert (m["participants"], m["place"]) == (["Emomali Rahmon", "Olzhas Bektenov"], "Dushanbe")
    assert sorted(s["doc"] for s in m["sources"]) == [D000, D003]


def test_people_person_cli(capsys, db: str) -> None:
    assert main(["person", "Alikhan Smailov", "--db", db]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Alikhan Smailov (KZ; ")
    assert out.count(" meeting ") == 3 and "with Kokhir Rasulzoda" in out
    assert main(["person", "bektenov", "--db", db, "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["timeline"]) == 2
