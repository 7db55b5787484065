"""Bad input: one clear line naming the file (and line), non-zero exit when nothing was read, store unharmed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from karavan.cli import main
from karavan.store import open_store

GOOD = "Товарооборот вырос на 8,9%."
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
TWICE = GOOD + " " + GOOD
NEXT = b'{"id": "next", "text": "two"}\n'  # a good line after a bad one: still read
DEEP = b"[" * 100_000 + b"]" * 100_000

# (file name, content, where the error points, what it says, documents still read from the file)
CASES = [
    ("empty.txt", b"", "empty.txt", "empty file", 0),
    ("blank.txt", b"  \n\n\t", "blank.txt", "empty file", 0),
    ("image.txt", PNG, "image.txt", "not a text document: looks like PNG image", 0),
    ("nul.txt", b"abc\x00\x00\x00def", "nul.txt", "NUL bytes", 0),
    ("ctrl.txt", bytes(range(1, 9)) * 40, "ctrl.txt", "control characters", 0),
    ("page.html", b"", "page.html", "empty file", 0),
    (
        "lines.jsonl",
        b'{"id": "a", "text": "one"}\n{"id": "b", "text": \n{"id": "c", "text": "three"}\n',
        "lines.jsonl:2",
        "malformed JSON",
        2,
    ),
    ("noid.jsonl", b'{"text": "one"}\n{"id": "b", "text": "two"}\n', "noid.jsonl:1", "missing 'id'", 1),
    (
        "notext.jsonl",
        b'{"id": "a"}\n{"id": "b", "text": "two"}\n',
        "notext.jsonl:1",
        "missing 'text' (id 'a')",
        1,
    ),
    ("nulltext.jsonl", b'{"id": "a", "text": null}\n', "nulltext.jsonl:1", "missing 'text'", 0),
    ("numtext.jsonl", b'{"id": "a", "text": 5}\n', "numtext.jsonl:1", "'text' must be a string", 0),
    ("list.jsonl", b"[1, 2]\n", "list.jsonl:1", "expected a JSON object, got list", 0),
    ("latin1.jsonl", b'{"id": "a", "text": "caf\xe9"}\n', "latin1.jsonl:1", "not UTF-8", 0),
    ("emptytext.jsonl", b'{"id": "a", "text": "  "}\n', "emptytext.jsonl:1", "empty 'text' (id 'a')", 0),
    ("empty.jsonl", b"\n\n", "empty.jsonl", "empty file: no JSON lines", 0),
    (
        "dup.jsonl",
        b'{"id": "a", "text": "one"}\n{"id": "a", "text": "two"}\n',
        "dup.jsonl",
        "id 'a' was already read",
        1,
    ),
    ("notes.pdf", b"%PDF-1.4", "notes.pdf", "unsupported file type", 0),
    (
        "gold.facts.jsonl",
        b'{"doc": "a", "type": "trade"}\n',
        "gold.facts.jsonl",
        "holds facts, not documents",
        0,
    ),
    # hostile records: each is one error line, and the line after it is read
    ("surrogate-id.jsonl", b'{"id": "a\\ud800", "text": "one"}\n' + NEXT, "surrogate-id.jsonl:1",
     "'id' holds a lone surrogate (U+D800), which is not a character", 1),
    ("low-surrogate-id.jsonl", b'{"id": "\\udfff", "text": "one"}\n' + NEXT, "low-surrogate-id.jsonl:1",
     "'id' holds a lone surrogate (U+DFFF)", 1),
    ("escape-id.jsonl", b'{"id": "a\\u001b[31m", "text": "one"}\n' + NEXT, "escape-id.jsonl:1",
     "'id' holds a control character (U+001B)", 1),
    ("long-id.jsonl", b'{"id": "' + b"x" * 501 + b'", "text": "one"}\n' + NEXT, "long-id.jsonl:1",
     "'id' is 501 characters long, more than 500", 1),
    ("deep.jsonl", b'{"id": "a", "text": "one", "m": ' + DEEP + b"}\n" + NEXT, "deep.jsonl:1",
     "JSON nested more than 100 levels deep", 1),
    ("deep-101.jsonl", b'{"id": "a", "text": "one", "m": ' + b"[" * 101 + b"]" * 101 + b"}\n" + NEXT,
     "deep-101.jsonl:1", "JSON nested more than 100 levels deep", 1),
    ("deep-top.jsonl", DEEP + b"\n" + NEXT, "deep-top.jsonl:1", "JSON nested more than 100 levels deep", 1),
    ("huge-int-id.jsonl", b'{"id": ' + b"9" * 5000 + b', "text": "one"}\n' + NEXT, "huge-int-id.jsonl:1",
     "'id' must be a string, got the number 9999", 1),
    ("long-int-id.jsonl", b'{"id": ' + b"9" * 600 + b', "text": "one"}\n' + NEXT, "long-int-id.jsonl:1",
     "'id' is 600 characters long", 1),
    ("inf-id.jsonl", b'{"id": 1e999, "text": "one"}\n' + NEXT, "inf-id.jsonl:1",
     "'id' must be a string, got the number 1e999", 1),
    ("nan-text.jsonl", b'{"id": "a", "text": NaN}\n' + NEXT, "nan-text.jsonl:1",
     "'text' must be a string, got a number (id 'a')", 1),
    ("huge-text.jsonl", b'{"id": "a", "text": ' + b"1" * 5000 + b"}\n" + NEXT, "huge-text.jsonl:1",
     "'text' must be a string, got a number", 1),
    ("unterminated.jsonl", b'{"id": "a", "text": "one\n' + NEXT, "unterminated.jsonl:1",
     "malformed JSON: Invalid control character at column 25", 1),
    ("cut.jsonl", NEXT + b'{"id": "a", "text": "one', "cut.jsonl:2",
     "malformed JSON: Unterminated string starting at column 21", 1),
    ("bad-escape.jsonl", b'{"id": "a", "text": "\\x41"}\n' + NEXT, "bad-escape.jsonl:1",
     "malformed JSON: Invalid \\escape at column 22", 1),
    ("\udcff-latin1-name.txt", GOOD.encode(), "\udcff-latin1-name.txt",
     "the file name is not UTF-8, so it cannot be a document id: rename the file", 0),
    ("bell\x07.txt", GOOD.encode(), "bell\x07.txt", "the file name holds a control character (U+0007)", 0),
]  # fmt: skip


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A store that already holds one good document, which bad input must not harm."""
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    path = tmp_path / "k.db"
    assert main(["ingest", str(good), "--db", str(path), "--quiet"]) == 0
    return path


def stored(db: Path) -> dict[str, str]:
    with open_store(db) as store:
        return {d.id: d.text for d in store.iter_docs()}


@pytest.mark.parametrize(("name", "content", "where", "says", "still_read"), CASES)
def test_ingest_bad_file(
    tmp_path: Path,
    db: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes,
    where: str,
    says: str,
    still_read: int,
) -> None:
    capsys.readouterr()
    path = tmp_path / "in" / name
    path.parent.mkdir()
    path.write_bytes(content)
    code = main(["ingest", str(path), "--db", str(db), "--quiet"])
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    shown = str(tmp_path / "in" / where).encode("utf-8", "backslashreplace").decode()
    assert lines[0].startswith(f"karavan: error: {shown}: ")
    assert says in lines[0]
    assert "Traceback" not in err and " at at " not in err
    if still_read:
        assert code == 0 and len(lines) == 1
    else:
        assert code == 2
        assert lines[1:] == ["karavan: error: nothing could be read (1 errors above)"]
    docs = stored(db)
    assert docs["good"] == GOOD
    assert len(docs) == 1 + still_read


# Records and files read after a repair: (file name, content, the one warning, id, stored text, stored meta)
REPAIRED = [
    ("surrogate-text.jsonl", b'{"id": "a", "text": "t\\udc00wo \\ud83d\\ude00"}\n',
     "1 lone surrogate(s)", "a", "t\ufffdwo \U0001f600", {}),
    ("surrogate-meta.jsonl", b'{"id": "a", "text": "two", "source": "x\\ud800", "k\\udbff": ["\\udc01"]}\n',
     "3 lone surrogate(s)", "a", "two", {"k\ufffd": ["\ufffd"]}),
    ("huge-meta.jsonl", b'{"id": "a", "text": "two", "n": ' + b"7" * 5000 + b', "f": 1e999, "g": -Infinity}\n',
     "number(s) beyond what a float or an integer holds kept as text: 777777777777... (5000 chars), 1e999, -Infinity",
     "a", "two", {"n": "7" * 5000, "f": "1e999", "g": "-Infinity"}),
    ("nan-meta.jsonl", b'{"id": "a", "text": "two", "score": NaN}\n', "kept as text: NaN", "a", "two", {"score": "NaN"}),
    ("stray.txt", TWICE.encode()[:10] + b"\xff" + TWICE.encode()[10:20] + b"\xc3" + TWICE.encode()[20:],
     "2 byte(s) that are not UTF-8 (at byte 10, 21) read as U+FFFD", "stray",
     TWICE[:5] + "\ufffd" + TWICE[5:10] + "\ufffd" + TWICE[10:], {}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "content", "warning", "ident", "text", "meta"), REPAIRED)
def test_ingest_repaired_input_is_stored_with_one_warning(
    tmp_path: Path,
    db: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes,
    warning: str,
    ident: str,
    text: str,
    meta: dict,
) -> None:
    capsys.readouterr()
    path = tmp_path / name
    path.write_bytes(content)
    assert main(["ingest", str(path), "--db", str(db), "--quiet"]) == 0
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"karavan: warning: {path}") and warning in lines[0]
    with open_store(db) as store:
        doc = store.get_doc(ident)
    assert doc.text == text
    assert {k: v for k, v in doc.meta.items() if k != "source"} == meta


@pytest.mark.parametrize("tag", ["div", "b", "span"])
def test_ingest_html_nested_deeper_than_lxml_reads_keeps_its_text(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str], tag: str
) -> None:
    page = tmp_path / "deep.html"
    body = f"<{tag}>" * 100_000 + GOOD + f"</{tag}>" * 100_000
    page.write_text(f"<html><head><title>T</title></head><body><p>Начало.</p>{body}</body></html>", "utf-8")
    assert main(["ingest", str(page), "--db", str(db), "--quiet"]) == 0
    assert capsys.readouterr().err == ""
    with open_store(db) as store:
        doc = store.get_doc("deep")
    assert GOOD in doc.text and doc.meta["extractor"] == "html.parser"


def test_ingest_missing_path(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    code = main(["ingest", str(tmp_path / "nope.txt"), "--db", str(db), "--quiet"])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert err[0] == f"karavan: error: {tmp_path / 'nope.txt'}: no such file or directory"
    assert stored(db) == {"good": GOOD}


def test_ingest_some_good_some_bad_exits_zero(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "ok.txt").write_text("Экспорт зерна", encoding="utf-8")
    code = main(["ingest", str(tmp_path / "ok.txt"), str(tmp_path / "missing"), "--db", str(db), "--quiet"])
    out = capsys.readouterr().out
    assert code == 0
    assert "1 documents read: 1 new, 0 unchanged, 0 replaced; 1 errors, 0 warnings" in out


@pytest.mark.parametrize(
    ("size_mb", "limit_args", "refused"), [(50, [], True), (3, ["--max-mb", "2"], True), (1, [], False)]
)
def test_ingest_size_limit_refuses_without_reading(
    db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    size_mb: int,
    limit_args: list[str],
    refused: bool,
) -> None:
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.write(b"x" * 1000)
        f.truncate(size_mb * 1_000_000)  # sparse: the rest reads as NUL bytes
    capsys.readouterr()
    began = time.monotonic()
    code = main(["ingest", str(big), "--db", str(db), "--quiet", *limit_args])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    if refused:
        assert time.monotonic() - began < 2
        assert err[0].startswith(f"karavan: error: {big}: file is {size_mb}.0 MB, over the ")
        assert "limit (--max-mb); not read" in err[0]
    else:
        assert err[0] == f"karavan: error: {big}: not a text document: looks like binary data (NUL bytes)"


def test_ingest_oversized_jsonl_line_is_skipped_and_the_rest_read(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "long.jsonl"
    path.write_text(
        '{"id": "a", "text": "' + "x" * 3_000_000 + '"}\n{"id": "b", "text": "short"}\n', encoding="utf-8"
    )
    capsys.readouterr()
    code = main(["ingest", str(path), "--db", str(db), "--quiet", "--max-mb", "1"])
    err = capsys.readouterr().err.splitlines()
    assert code == 0
    assert err == [f"karavan: error: {path}:1: line longer than the 1 MB limit; skipped"]
    assert sorted(stored(db)) == ["b", "good"]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (
            b"this is a text file, not a database\n",
            "not an SQLite database, or a damaged one (left untouched)",
        ),
        (PNG, "not an SQLite database, or a damaged one (left untouched)"),
        (b"SQLite format 3\x00" + b"\x07" * 200, "not an SQLite database, or a damaged one (left untouched)"),
    ],
)
@pytest.mark.parametrize("command", [["ingest", "GOOD", "--quiet"], ["docs"], ["facts"], ["show", "good"]])
def test_ingest_db_that_is_not_sqlite_is_left_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, says: str, command: list[str]
) -> None:
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    notdb = tmp_path / "notes.db"
    notdb.write_bytes(content)
    args = [str(good) if a == "GOOD" else a for a in command]
    code = main([*args, "--db", str(notdb)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"karavan: error: {notdb}: ")
    assert says in err and len(err.strip().splitlines()) == 1
    assert notdb.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.txt", "notes.db"]


def test_ingest_query_commands_without_a_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["docs", "--db", str(tmp_path / "none.db")])
    assert code == 2
    assert capsys.readouterr().err == (
        f"karavan: error: {tmp_path / 'none.db'}: no database here: run `karavan ingest PATH... --db` first\n"
    )
    assert not (tmp_path / "none.db").exists()
