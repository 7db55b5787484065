"""Whole CSV exports written ahead (karavan/serve/exports_ahead.py): the file of the store as it is sends the
same bytes as the live export, gzipped or not; a store changed since is sent the last file written whole, with
headers saying so, or the live export when the request asks for the store as it is (no-cache); a write
stops when the store changes, leaves no partial file, links the pairs that did not change and removes older
stamps; the server's writer runs in a worker process at the lowest priority, and not at all when switched off."""

from __future__ import annotations

import gzip
import os
import shutil
import time
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from karavan import api
from karavan.serve import exports_ahead
from karavan.serve.app import create_app
from karavan.store import open_store

WHOLE = [
    "/facts.csv",
    "/facts.csv?pair=KZ-UZ",
    "/facts.csv?pair=uz-kz",
    "/facts.csv?pair=KZ-UZ&type=",  # an empty field is no filter
    "/facts.csv?pair=KZ-UZ&period_from=2024&period_to=2024",  # a pair's year
    "/documents.csv",
    "/meetings.csv",
    "/meetings.csv?pair=UZ-KZ",
    "/promises.csv",
    "/promises.csv?pair=KZ-UZ",
]
LIVE_ONLY = [  # not a whole export of a route: never from a file
    "/facts.csv?pair=KZ-UZ&type=trade",
    "/facts.csv?pair=KZ-UZ&limit=3",
    "/facts.csv?language=ru",
    "/facts.csv?pair=KZ-UZ&period_from=2023&period_to=2024",  # two years
    "/facts.csv?pair=UZ-KZ&period_from=2023&period_to=2023",  # a year its facts do not reach: few rows
    "/facts.csv?pair=KZ-UZ&period_from=2024-01&period_to=2024-12",  # a year in months
    "/facts.csv?period_from=2024&period_to=2024",  # no pair
    "/facts.csv?pair=KZ-UZ&period_from=2024",  # a bound alone
    "/meetings.csv?limit=2",
    "/documents.csv?limit=5",
    "/facts.csv?pair=KZ-AF",  # a pair without facts: no file, the live export's header alone
]


@pytest.fixture
def db(tmp_path: Path, examples_db: Path) -> Path:
    path = tmp_path / "k.db"
    shutil.copy(examples_db, path)
    return path


def written(db: Path) -> dict[str, object]:
    with open_store(db) as store:
        stamp = exports_ahead.data_stamp(store)
    return exports_ahead.write_all(str(db), stamp)


def live_and_ahead(db: Path, path: str, **headers: str) -> tuple[object, object]:
    app = create_app(db, exports_ahead=False)
    with TestClient(app) as client:
        app.state.handle.reconciler.close()
        live = client.get(path)
    app = create_app(db)
    with TestClient(app) as client:
        app.state.handle.reconciler.close()
        ahead = client.get(path, headers=headers)
    return live, ahead


@pytest.mark.parametrize("encoding", ["gzip, deflate", "identity"])
@pytest.mark.parametrize("path", WHOLE)
def test_serve_exports_ahead_same_bytes_as_the_live_export(db: Path, path: str, encoding: str) -> None:
    assert not written(db)["stopped"]
    live, ahead = live_and_ahead(db, path, **{"Accept-Encoding": encoding})
    assert live.status_code == ahead.status_code == 200
    assert "content-encoding" not in live.headers
    assert ahead.headers.get("content-encoding") == ("gzip" if "gzip" in encoding else None)  # from the file
    assert ahead.content == live.content
    assert ahead.content.startswith("\ufeff".encode())
    assert ahead.headers["content-disposition"] == live.headers["content-disposition"]
    assert ahead.headers["content-type"] == live.headers["content-type"]


@pytest.mark.parametrize("path", LIVE_ONLY)
def test_serve_exports_ahead_only_for_whole_exports(db: Path, path: str) -> None:
    written(db)
    live, ahead = live_and_ahead(db, path)
    assert "content-encoding" not in ahead.headers
    assert ahead.content == live.content


def _redate(db: Path) -> None:
    """Give one KZ-UZ document another source: that pair's facts export changes, the others do not."""
    with open_store(db) as s:
        doc = next(d for d in s.iter_docs() if any(f.fields.get("partner") == "UZ" for f in d.facts))
        s.put(replace(doc, source="another-site.example"))
    api.reconcile(db)


def test_serve_exports_ahead_of_a_changed_store_send_the_last_written_saying_so(db: Path) -> None:
    first = written(db)
    _, before = live_and_ahead(db, "/facts.csv?pair=KZ-UZ")
    assert before.headers["x-karavan-export-of"] == first["stamp"]
    assert before.headers["x-karavan-export-current"] == "yes"
    assert before.headers["x-karavan-export-changed-documents"] == "0"
    _redate(db)
    live, ahead = live_and_ahead(db, "/facts.csv?pair=KZ-UZ")
    assert b"another-site.example" in live.content and live.content != before.content
    assert ahead.content == before.content  # the last file written whole, as it was
    assert ahead.headers["x-karavan-export-of"] == first["stamp"]
    assert ahead.headers["x-karavan-export-current"] == "no"
    assert ahead.headers["x-karavan-export-changed-documents"] == "1"  # the one document given a source
    assert "x-karavan-export-of" not in live.headers


@pytest.mark.parametrize("cache_control", ["no-cache", "max-age=0", "No-Cache, no-transform", "no-store"])
def test_serve_exports_ahead_no_cache_takes_the_store_as_it_is(db: Path, cache_control: str) -> None:
    written(db)
    _redate(db)
    live, ahead = live_and_ahead(db, "/facts.csv?pair=KZ-UZ", **{"Cache-Control": cache_control})
    assert "content-encoding" not in ahead.headers and "x-karavan-export-of" not in ahead.headers
    assert ahead.content == live.content
    assert b"another-site.example" in ahead.content


@pytest.mark.parametrize(
    ("header", "current"),
    [("no-cache", True), ("max-age=0", True), ("no-store", True), ("NO-CACHE", True),
     ("no-transform, no-cache", True), ("max-age=60", False), ("", False), ("only-if-cached", False)],
)  # fmt: skip
def test_serve_exports_ahead_reads_cache_control(header: str, current: bool) -> None:
    assert exports_ahead.wants_current(header) is current


@pytest.mark.parametrize(
    ("name", "version"),
    [("v12-r3-0123456789ab", 12), ("v0-r0-000000000000", 0), ("x12-r3-abc", None), ("v-r3-abc", None),
     ("vx1-r3", None)],
)  # fmt: skip
def test_serve_exports_ahead_reads_the_version_of_a_stamp(name: str, version: int | None) -> None:
    assert exports_ahead.version_of(name) == version


def test_serve_exports_ahead_none_written_whole_streams_live(db: Path) -> None:
    """A store changed before any stamp's exports were all written (a stopped write's files only): live."""
    first = written(db)
    (exports_ahead.folder_of(db) / str(first["stamp"]) / exports_ahead.COMPLETE).unlink()
    _redate(db)
    live, ahead = live_and_ahead(db, "/documents.csv")
    assert "x-karavan-export-of" not in ahead.headers and ahead.content == live.content


def test_serve_exports_ahead_next_stamp_links_unchanged_pairs_and_removes_the_old(db: Path) -> None:
    first = written(db)
    old = exports_ahead.folder_of(db) / str(first["stamp"])
    assert (old / exports_ahead.COMPLETE).exists()
    _redate(db)
    second = written(db)
    assert not second["stopped"] and not old.exists()
    assert "facts.pair-KZ-UZ.csv" in second["written"]  # its source changed
    assert second["linked"] and "facts.pair-KZ-UZ.csv" not in second["linked"]
    for path in WHOLE:  # every file, written or linked, is the live export of the store as it is now
        live, ahead = live_and_ahead(db, path)
        assert ahead.headers.get("content-encoding") == "gzip" and ahead.content == live.content, path


def test_serve_exports_ahead_write_stops_when_the_store_changes(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(db) as store:
        stamp = exports_ahead.data_stamp(store)
    looks = iter([stamp] * 6)
    monkeypatch.setattr(exports_ahead, "data_stamp", lambda store: next(looks, "v-changed"))
    out = exports_ahead.write_all(str(db), stamp)
    here = exports_ahead.folder_of(db) / stamp
    assert out["stopped"] and not (here / exports_ahead.COMPLETE).exists()
    assert not [p for p in here.iterdir() if p.name.endswith(".tmp")]  # no partial file left
    for name in out["written"]:  # what was finished before the change is whole
        assert gzip.decompress((here / f"{name}.gz").read_bytes()).startswith("\ufeff".encode())


def test_serve_exports_writer_runs_in_a_worker_process_at_lowest_priority(db: Path) -> None:
    app = create_app(db)
    handle = app.state.handle
    writer = handle.reconciler.exports
    writer.still_for = 0
    with TestClient(app):
        ends = time.monotonic() + 120
        while writer.done is None and time.monotonic() < ends:
            time.sleep(0.2)
        assert writer.done is not None and writer.error is None
        pid = writer.worker.submit(os.getpid).result(30)
        niceness = writer.worker.submit(os.nice, 0).result(30)
        handle.reconciler.close()
    assert pid != os.getpid() and niceness == 19
    assert (exports_ahead.folder_of(db) / writer.done / exports_ahead.COMPLETE).exists()


def test_serve_exports_ahead_switched_off_writes_nothing(db: Path) -> None:
    app = create_app(db, exports_ahead=False)
    with TestClient(app) as client:
        assert client.get("/documents.csv").status_code == 200
        assert app.state.handle.reconciler.exports is None
        app.state.handle.reconciler.close()
    assert not exports_ahead.folder_of(db).exists()


@pytest.mark.parametrize(
    ("header", "takes"),
    [("gzip, deflate", True), ("br;q=1.0, gzip;q=0.8", True), ("gzip;q=0", False), ("identity", False),
     ("", False), ("*", True), ("deflate", False)],
)  # fmt: skip
def test_serve_exports_ahead_reads_accept_encoding(header: str, takes: bool) -> None:
    assert exports_ahead.accepts_gzip(header) is takes


def test_serve_exports_ahead_a_stopped_write_is_tidied_by_the_next(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write stopped by a change leaves its folder; the next write removes it (and a dead writer's
    temporary file), keeps the last complete stamp to link from until it is complete itself."""
    first = written(db)
    complete = exports_ahead.folder_of(db) / str(first["stamp"])
    _redate(db)
    with open_store(db) as store:
        stamp = exports_ahead.data_stamp(store)
    looks = iter([stamp] * 4)
    with monkeypatch.context() as m:
        m.setattr(exports_ahead, "data_stamp", lambda store: next(looks, "v-changed"))
        assert exports_ahead.write_all(str(db), stamp)["stopped"]
    stopped = exports_ahead.folder_of(db) / stamp
    (stopped / ".facts.csv.gz.999999.tmp").write_bytes(b"half")
    stale = exports_ahead.folder_of(db) / "v0-r0-000000000000"
    stale.mkdir()
    out = exports_ahead.write_all(str(db), stamp)
    assert not out["stopped"] and not stale.exists() and not complete.exists()
    assert not list(stopped.glob(".*.tmp"))
    assert sorted(p.name for p in exports_ahead.folder_of(db).iterdir()) == [stamp]


@pytest.mark.parametrize(
    ("periods", "years"),
    [
        (["2024-01/2024-09"], ["2024"]),
        (["2022-01/2022-12", "2024-03/2025-02"], ["2022", "2023", "2024", "2025"]),  # the years between too
        ([None], []),  # undated facts reach no year
    ],
)
def test_serve_exports_ahead_pair_years(tmp_path: Path, periods: list[str | None], years: list[str]) -> None:
    with open_store(tmp_path / "k.db") as store:
        for i, period in enumerate(periods):
            store.conn.execute(
                "INSERT INTO fact_pairs (pair, recency, doc_id, fact_id, period) VALUES ('KZ-UZ', '', 'd', ?, ?)",
                (i + 1, period),
            )
        assert exports_ahead.pair_years(store, "KZ-UZ") == years


def test_serve_exports_ahead_stamp_names_the_layout(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder written complete by a karavan that planned other files is not this one's."""
    with open_store(db) as store:
        now = exports_ahead.data_stamp(store)
        monkeypatch.setattr(exports_ahead, "LAYOUT", exports_ahead.LAYOUT - 1)
        assert exports_ahead.data_stamp(store) != now
