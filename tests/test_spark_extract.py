"""karavan.spark in local mode: the job's facts are `karavan extract`'s, fact for fact, on the seeds,
examples/ and ../shared/realpress; bad inputs land in the errors dataset; a rerun writes the same rows;
`karavan load` brings the output into the store as ingest would. One Spark session serves every test.

Skipped, saying why, without pyspark (the [spark] extra) or without Java 17+ (.ci/run installs one)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, shared

pytest.importorskip("pyspark", reason="pyspark is not installed (pip install -e '.[spark]')")
pa_ds = pytest.importorskip("pyarrow.dataset")


def java_major() -> int:
    java = shutil.which("java")
    if not java:
        return 0
    out = subprocess.run([java, "-version"], capture_output=True, text=True, check=False).stderr
    version = out.split('"')[1] if '"' in out else "0"
    return int(version.split(".")[0]) if version.split(".")[0].isdigit() else 0


if java_major() < 17:
    pytest.skip(
        "no Java 17 or later: Spark 4 needs one (apt-get install default-jre-headless)",
        allow_module_level=True,
    )

from karavan import api  # noqa: E402
from karavan.spark import extract, session  # noqa: E402
from karavan.spark.load import load_parquet  # noqa: E402

BAD = {
    "empty.txt": b"",
    "binary.txt": bytes(range(256)) * 8,
    "lines.jsonl": b'{"id": "fine-1", "text": "Trade reached 7 million dollars in 2023."}\n{broken\n{"id": "no-text"}\n',
    "blank.html": b"<html><body><script>x()</script></body></html>",
}


@pytest.fixture(scope="module")
def spark():
    return session("local[2]")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Copies of the seeds, examples/, realpress' docs.jsonl, and inputs that go wrong, in one folder."""
    folder = tmp_path_factory.mktemp("spark-in")
    shutil.copytree(shared("seeds"), folder / "seeds")
    shutil.copytree(ROOT / "examples", folder / "examples")
    (folder / "realpress").mkdir()
    shutil.copy(
        shared("realpress", "realpress/docs.jsonl") / "docs.jsonl", folder / "realpress" / "docs.jsonl"
    )
    (folder / "bad").mkdir()
    for name, data in BAD.items():
        (folder / "bad" / name).write_bytes(data)
    shutil.copy(folder / "seeds" / "000_d4d45d304eb320fd.txt", folder / "bad" / "000_d4d45d304eb320fd.txt")
    return folder


@pytest.fixture(scope="module")
def run(spark, corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("spark-out")
    return out, extract(spark, str(corpus), str(out))


def table(path: Path) -> list[dict]:
    return pa_ds.dataset(path, partitioning="hive").to_table().to_pylist()


def canonical(facts) -> list[str]:
    return sorted(json.dumps(f, sort_keys=True, ensure_ascii=False) for f in facts)


@pytest.fixture(scope="module")
def local(corpus: Path) -> tuple[list[dict], list]:
    problems: list = []
    docs = list(api.extract_paths([corpus], report=problems.append))
    return [f.to_dict() for d in docs for f in d.facts], problems


@pytest.mark.parametrize("part", ["seeds", "examples", "realpress", "bad"])
def test_spark_extract_facts_equal_karavan_extract(run, local, corpus: Path, part: str) -> None:
    out, _ = run
    rows = table(out / "facts")
    ids = {r["id"] for r in table(out / "documents") if r["path"].startswith(str(corpus / part))}
    spark_facts = [json.loads(r["data"]) for r in rows if r["doc_id"] in ids]
    local_facts = [f for f in local[0] if f["doc"] in ids]
    assert ids
    assert canonical(spark_facts) == canonical(local_facts)


def test_spark_extract_writes_every_fact_and_document_once(run, local) -> None:
    out, manifest = run
    facts, docs = table(out / "facts"), table(out / "documents")
    assert canonical(json.loads(r["data"]) for r in facts) == canonical(local[0])
    assert len({r["fact_id"] for r in facts}) == len(facts) == manifest["facts"]
    assert len({r["id"] for r in docs}) == len(docs) == manifest["documents"]
    assert json.loads((out / "manifest.json").read_text()) == manifest


def test_spark_extract_documents_carry_their_minhash(run) -> None:
    """The executors compute each text's MinHash signature, so reconcile --parquet need not."""
    from karavan.reconcile.dupes_store import pack_signature
    from karavan.reconcile.neardup import minhash_signature

    out, _ = run
    docs = table(out / "documents")
    assert docs and all(d["minhash"] == pack_signature(minhash_signature(d["text"])) for d in docs)


def test_spark_extract_partitions_facts_by_country_set_and_year(run) -> None:
    """A fact's `pair` partition is its block (its country set: two countries, or three or more), so
    reconcile reads a block as one partition."""
    from karavan.reconcile.keys import block_of

    out, _ = run
    sizes = set()
    for row in table(out / "facts"):
        fact = json.loads(row["data"])
        assert row["pair"] == (block_of(fact) or "none")
        sizes.add(len(row["pair"].split("-")))
        assert row["year"] == "unknown" or row["year"].isdigit()
    assert {2, 3} <= sizes  # three or more: meetings and agreements of several countries
    assert any(p.name.startswith("pair=") for p in (out / "facts").iterdir())


@pytest.mark.parametrize(
    ("fact", "pair"),
    [
        ({"type": "trade", "reporter": "TJ", "partner": "KZ"}, "KZ-TJ"),
        ({"type": "meeting", "countries": ["UZ", "KZ", "RU"], "reporter": "KZ", "partner": "RU"}, "KZ-RU-UZ"),
        ({"type": "agreement", "parties": ["KZ", "KZ"]}, "KZ"),
        ({"type": "trade", "reporter": "KZ", "partner": None}, "KZ"),
        ({"type": "target"}, "none"),
    ],
)
def test_spark_extract_partition_is_the_facts_block(fact: dict, pair: str) -> None:
    from karavan.spark.rows import fact_pair

    assert fact_pair(fact) == pair


def test_spark_extract_errors_hold_the_bad_inputs(run, local, corpus: Path) -> None:
    out, manifest = run
    errors = table(out / "errors")
    where = {(Path(e["path"]).name if e["path"] else None, e["line"]) for e in errors if not e["warning"]}
    assert {("empty.txt", None), ("binary.txt", None), ("blank.html", None)} <= where
    assert {("lines.jsonl", 2), ("lines.jsonl", 3)} <= where
    repeated = [e for e in errors if e["code"] == "E109"]
    assert [Path(e["path"]).parent.name for e in repeated] == ["seeds"]  # bad/ comes first, as in extract
    assert (
        manifest["errors"]
        == len([e for e in errors if not e["warning"]])
        == len([p for p in local[1] if not p.warning])
    )
    assert manifest["errors"] + manifest["warnings"] == len(errors) == len(local[1])


def test_spark_extract_rerun_writes_the_same_rows(spark, run, corpus: Path, tmp_path: Path) -> None:
    """examples/ again on its own: the same rows (ids included) as in the first run over everything."""
    out, manifest = run
    again = extract(spark, str(corpus / "examples"), str(tmp_path / "again"))

    def rows(path: Path, ids: set[str] | None = None) -> list[str]:
        # partition values read back as ints when a dataset has only digits: compared as text
        return sorted(
            repr({**r, "year": str(r["year"]), "pair": str(r["pair"])})
            for r in table(path)
            if ids is None or r["doc_id"] in ids
        )

    ids = {d["id"] for d in table(tmp_path / "again" / "documents")}
    assert rows(tmp_path / "again" / "facts") == rows(out / "facts", ids)
    assert again["facts"] == len(rows(out / "facts", ids)) > 0


def test_spark_extract_reads_a_dataframe(spark, tmp_path: Path) -> None:
    news = ROOT / "examples" / "news.jsonl"
    frame = spark.read.json(str(news))
    manifest = extract(spark, frame, str(tmp_path / "frame"))
    local_facts = [f.to_dict() for d in api.extract_paths([news]) for f in d.facts]
    assert canonical(json.loads(r["data"]) for r in table(tmp_path / "frame" / "facts")) == canonical(
        local_facts
    )
    assert manifest["input"] == "<dataframe>"


def test_spark_load_stores_what_ingest_stores(run, corpus: Path, tmp_path: Path) -> None:
    out, manifest = run
    loaded = load_parquet(out, tmp_path / "loaded.db")
    api.ingest_paths([corpus], tmp_path / "ingested.db", report=lambda p: None)
    assert loaded == {"documents": manifest["documents"], "facts": manifest["facts"]}
    query = "SELECT d.id, d.sha256, d.lang, d.published, f.data FROM documents d LEFT JOIN facts f ON f.doc_id = d.id"
    a, b = (sqlite3.connect(tmp_path / n) for n in ("loaded.db", "ingested.db"))
    assert sorted(a.execute(query).fetchall()) == sorted(b.execute(query).fetchall())
    again = load_parquet(out, tmp_path / "loaded.db")
    assert again == {"documents": 0, "facts": 0}  # nothing new: already stored as it is


def test_spark_cli_extract_then_load(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from karavan.cli import main

    out, db = tmp_path / "out", tmp_path / "k.db"
    assert main(["spark", "extract", str(ROOT / "examples"), str(out)]) == 0
    manifest = json.loads(capsys.readouterr().out)
    assert manifest == json.loads((out / "manifest.json").read_text())
    assert main(["load", str(out), "--db", str(db)]) == 0
    said = capsys.readouterr().out
    assert f"{manifest['documents']} documents and {manifest['facts']} facts loaded" in said
    assert "reconciled:" in said
    assert main(["reconcile", "--parquet", str(out)]) == 0
    said = capsys.readouterr().out
    summary = json.loads((out / "reconciled" / "summary.json").read_text())
    assert f"{manifest['facts']} facts from {manifest['documents']} documents" in said
    assert f"{summary['clusters']} clusters" in said and summary["facts"] == manifest["facts"]
    assert len(table(out / "reconciled" / "clusters")) == summary["clusters"] > 0


@pytest.mark.parametrize(
    "args",
    [["load", "{dir}", "--db", "{dir}/k.db"], ["reconcile", "--parquet", "{dir}"]],
    ids=["load", "reconcile"],
)
def test_spark_cli_refuses_a_folder_that_is_no_output(
    args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from karavan.cli import main

    assert main([a.format(dir=tmp_path) for a in args]) == 2
    assert "no documents/ dataset here" in capsys.readouterr().err


# -- karavan reconcile --parquet -------------------------------------------------------------------------

RESULT_TABLES = ["clusters", "discrepancies", "changes", "flags", "series", "progress"]
ORDERED_BY_SUBJECT = {
    "discrepancies",
    "changes",
    "series",
    "progress",
}  # their `ord` names no fact or cluster


def fact_natural_key(doc_id: str, fact: dict) -> tuple:
    return (doc_id, fact.get("start"), fact.get("end"), fact.get("type"), fact.get("rule"), fact.get("quote"))


def canonical_results(tables: dict[str, list[dict]], fact_name: dict[str, str]) -> dict[str, list[str]]:
    """Each table's rows as JSON text with every fact id as `fact_name` maps it and every cluster id as the
    sorted fact names of its members: what two runs that gave their facts other ids must agree on."""
    cluster_name = {
        c["id"]: "cluster:" + ",".join(sorted(fact_name[str(e["fact_id"])] for e in c["evidence"]))
        for c in (json.loads(r["data"]) for r in tables["clusters"])
    }

    def walk(value, key=None):
        if key == "fact_id":
            return fact_name[str(value)]
        if key == "fact_ids":
            return sorted(fact_name[str(v)] for v in value)
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return cluster_name.get(value, value) if isinstance(value, str) else value

    out = {}
    for name in RESULT_TABLES:
        rows = sorted(tables[name], key=lambda r: r["ord"])
        texts = [json.dumps(walk(json.loads(r["data"])), sort_keys=True, ensure_ascii=False) for r in rows]
        out[name] = texts if name in ORDERED_BY_SUBJECT else sorted(texts)
    return out


@pytest.fixture(scope="module")
def reconciled_both_ways(run, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict, dict]:
    """The Spark run reconciled from its Parquet in place, and loaded into a store reconciled in full."""
    from karavan.spark.parquet_reconcile import reconcile_parquet

    out, _ = run
    summary = reconcile_parquet(out)
    parquet = {name: table(out / "reconciled" / name) for name in RESULT_TABLES}
    db = tmp_path_factory.mktemp("spark-load") / "k.db"
    load_parquet(out, db)
    api.reconcile(db, full=True)
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    stored = {name: [dict(r) for r in conn.execute(f"SELECT * FROM recon_{name}")] for name in RESULT_TABLES}
    by_key = {
        fact_natural_key(r["doc_id"], json.loads(r["data"])): r["fact_id"] for r in table(out / "facts")
    }
    store_names = {
        str(i): by_key[fact_natural_key(d, json.loads(data))]
        for i, d, data in conn.execute("SELECT id, doc_id, data FROM facts")
    }
    parquet_names = {v: v for v in by_key.values()}
    return (
        canonical_results(parquet, parquet_names),
        canonical_results(stored, store_names),
        summary,
    )


@pytest.mark.parametrize("name", RESULT_TABLES)
def test_spark_reconcile_parquet_equals_load_then_full_reconcile(reconciled_both_ways, name: str) -> None:
    from_parquet, from_store, summary = reconciled_both_ways
    assert from_parquet[name] == from_store[name]
    assert summary[name] == len(from_parquet[name])
    assert summary["facts"] == sum(len(json.loads(c)["evidence"]) for c in from_parquet["clusters"]) > 0


def test_spark_reconcile_parquet_in_two_processes_writes_the_same_rows(
    run, reconciled_both_ways, tmp_path: Path
) -> None:
    """--jobs 2 on an output whose documents have no `minhash` column (written before the job made one):
    signatures from the texts and blocks in two worker processes, results written in block order."""
    import pyarrow.parquet as pq

    from karavan.spark.parquet_reconcile import reconcile_parquet

    out, _ = run
    copy = tmp_path / "out"
    shutil.copytree(out, copy, ignore=shutil.ignore_patterns("reconciled"))
    for path in (copy / "documents").rglob("*.parquet"):
        pq.write_table(pq.read_table(path).drop_columns(["minhash"]), path)
    summary = reconcile_parquet(copy, jobs=2)
    for name in [*RESULT_TABLES, "cluster_facts", "discrepancy_sides"]:
        assert table(copy / "reconciled" / name) == table(out / "reconciled" / name), name
    assert summary["facts"] == reconciled_both_ways[2]["facts"]
