"""people_store.meeting_blocks: the blocks whose meetings name both countries of a pair, read off the
meetings' index; the meeting lists and counts read those blocks' meetings alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from karavan.reconcile.people_store import meeting_blocks, read_meetings
from karavan.serve.lists import meeting_page
from karavan.serve.paging import Paging
from karavan.store import open_store

BLOCKS = {"KZ-RU": 3, "KZ-RU-UZ": 2, "KZ-UZ": 1, "RU-UZ": 4, "CN-KZ": 1}  # block -> meetings in it


def _meeting(cid: str, block: str) -> str:
    return json.dumps(
        {
            "id": cid,
            "attrs": {},
            "countries": block.split("-"),
            "period": None,
            "n_sources": 1,
            "evidence": [],
        }
    )


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    db = tmp_path / "k.db"
    with open_store(db) as store:
        for block, n in BLOCKS.items():
            for i in range(n):
                store.conn.execute(
                    "INSERT INTO recon_clusters (id, ord, type, pair, n_sources, data) VALUES (?, ?, 'meeting', ?, 1, ?)",
                    (f"{block}-{i}", f"{block}-{i}", block, _meeting(f"{block}-{i}", block)),
                )
        store.conn.execute(  # not a meeting: never a meeting block
            "INSERT INTO recon_clusters (id, ord, type, pair, n_sources, data) VALUES ('t', 't', 'trade', 'KG-KZ', 1, '{}')"
        )
        store.conn.commit()
    return db


@pytest.mark.parametrize(
    ("pair", "blocks"),
    [
        ("KZ-RU", ["KZ-RU", "KZ-RU-UZ"]),
        ("ru-kz", ["KZ-RU", "KZ-RU-UZ"]),  # either order, any case
        ("UZ-KZ", ["KZ-RU-UZ", "KZ-UZ"]),
        ("KG-KZ", []),  # only a trade cluster there
        ("TJ-UZ", []),
    ],
)
def test_reconcile_meeting_blocks_name_both_countries(store_path: Path, pair: str, blocks: list[str]) -> None:
    with open_store(store_path) as store:
        assert sorted(meeting_blocks(store, pair)) == blocks
        n = sum(BLOCKS[b] for b in blocks)
        assert len(read_meetings(store, pair)) == n
        assert meeting_page(store, Paging(500), pair).total == n


def test_reconcile_meeting_blocks_count_all_without_a_pair(store_path: Path) -> None:
    with open_store(store_path) as store:
        assert len(read_meetings(store)) == sum(BLOCKS.values())
        assert meeting_page(store, Paging(500)).total == sum(BLOCKS.values())
