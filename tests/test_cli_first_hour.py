"""What stopped a new user in the CLI: cut values, typos answered by silence, names in another script,
`python -m karavan`, KARAVAN_DB, piped documents sharing one id. On examples/ (runs on a plain clone)."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from karavan.cli import main
from karavan.term import SHORT, detail_parts, table, text_width

ROOT = Path(__file__).resolve().parents[1]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as e:  # argparse's usage errors
        code = int(e.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


# -- typos and unknown names: an error naming the valid values, exit 2 ---------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["facts", "--type", "trades"],
            "unknown fact type 'trades' (did you mean 'trade'?): choose one of trade,",
        ),
        (["facts", "--lang", "de"], "unknown language 'de': choose one of ru, kk, en"),
        (["facts", "--pair", "KZ-XX"], "in 'KZ-XX': unknown country code 'XX': choose one of AE,"),
        (["facts", "--pair", "KZTJ"], "a pair is two ISO country codes like KZ-TJ, got 'KZTJ'"),
        (["facts", "--format", "xml"], "invalid choice: 'xml'"),
        (["series", "KZ-TJ", "--flow", "exports"], "unknown flow 'exports' (did you mean 'export'?)"),
        (["series", "KZ-UZ", "--product", "grian"], "unknown series of KZ-UZ 'turnover grian'"),
        (["series", "KZ-FR"], "no series for the pair KZ-FR in the store"),
        (["discrepancies", "--pair", "UZ-XX"], "unknown country code 'XX'"),
        (["meetings", "--pair", "kz"], "a pair is two ISO country codes like KZ-TJ, got 'kz'"),
        (["person", "Japarov"], "'Japarov' matches 2 people: Akylbek Japarov, Sadyr Japarov"),
        (["person", "Жапаров"], "'Жапаров' matches 2 people: Akylbek Japarov, Sadyr Japarov"),
        (["person", "Nobody Atall"], "no person 'Nobody Atall'"),
        (["pairs", "--bogus"], "karavan pairs: error: unrecognized arguments: --bogus"),
        (["export", "--what", "everything"], "invalid choice: 'everything'"),
    ],
)
def test_cli_typo_is_an_error_listing_valid_values(
    capsys: pytest.CaptureFixture[str], examples_db: Path, argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv, "--db", str(examples_db))
    assert (code, out) == (2, "")
    assert message in err and "Traceback" not in err


def test_cli_subcommand_usage_for_an_unknown_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "pairs", "--pair")
    assert code == 2
    assert err.startswith("usage: karavan pairs ") and "--pair: expected one argument" in err


@pytest.mark.parametrize(
    ("argv", "found"),
    [
        (["person", "Бектенов"], "Olzhas Bektenov (KZ;"),
        (["person", "БЕКТЕНОВ"], "Olzhas Bektenov (KZ;"),
        (["person", "bektenov"], "Olzhas Bektenov (KZ;"),
        (["person", "Бектеновым"], "Olzhas Bektenov (KZ;"),
        (["person", "olzhas-bektenov"], "Olzhas Bektenov (KZ;"),
        (["person", "Садыр Жапаров"], "Sadyr Japarov (KG;"),
        (["pairs", "--pair", "uz-kz"], "KZ-UZ"),
        (["facts", "--type", "TRADE", "--lang", "RU"], " facts"),
    ],
)
def test_cli_names_in_any_script_and_case(
    capsys: pytest.CaptureFixture[str], examples_db: Path, argv: list[str], found: str
) -> None:
    code, out, err = run(capsys, *argv, "--db", str(examples_db))
    assert code == 0, err
    assert found in out


def test_cli_a_pair_without_facts_says_so(capsys: pytest.CaptureFixture[str], examples_db: Path) -> None:
    code, out, err = run(capsys, "facts", "--pair", "KZ-FR", "--db", str(examples_db))
    assert code == 0 and out.splitlines()[-1] == "0 facts"
    assert "no facts for the pair KZ-FR in the store; pairs with facts: " in err and "KZ-UZ" in err


# -- tables never cut a value --------------------------------------------------------------------------

COMMANDS = [
    ["facts"],
    ["facts", "--type", "trade"],
    ["flags"],
    ["pairs"],
    ["docs"],
    ["people"],
    ["meetings"],
    ["series", "KZ-TM"],
    ["discrepancies"],
    ["person", "Bektenov"],
]


@pytest.mark.parametrize("columns", [80, 200])
@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_cli_tables_never_cut_a_value(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    examples_db: Path,
    argv: list[str],
    columns: int,
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, err = run(capsys, *argv, "--db", str(examples_db))
    assert code == 0, err
    monkeypatch.delenv("COLUMNS")
    _, whole, _ = run(capsys, *argv, "--db", str(examples_db))  # no width: every row on one line
    assert "…" not in whole + out
    assert values(out, whole) == values(whole, whole)  # the same values, only laid out on more lines
    wide = [line for line in out.splitlines() if text_width(line) > columns]
    assert all(len(line.split()) == 1 for line in wide), wide  # only a single value wider than the screen


def values(text: str, whole: str) -> list[str]:
    """The words of a command's output less its column names (a header line, or `name:` in row blocks)."""
    lines = text.splitlines()
    header = whole.splitlines()[0].split() if whole.startswith(TABLE_HEADS) else []
    if header and set(lines[0].split()) <= set(header):
        lines = lines[1:]
    names = {f"{h}:" for h in header}
    return sorted(w.strip("“”") for line in lines for w in line.split() if w.strip("“”") and w not in names)


TABLE_HEADS = ("#  ", "pair  ", "id  ", "date  ", "period  ")  # the first column of each table


@pytest.mark.parametrize("columns", [80, 200])
def test_cli_facts_table_keeps_every_amount_and_change_whole(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, examples_db: Path, columns: int
) -> None:
    _, full, _ = run(capsys, "facts", "--db", str(examples_db), "--format", "json")
    facts = [json.loads(line) for line in full.splitlines()]
    monkeypatch.setenv("COLUMNS", str(columns))
    _, out, _ = run(capsys, "facts", "--db", str(examples_db))
    lines = out.splitlines()
    for fact in facts:
        for part in detail_parts(fact):  # "3.1 bn USD", "change_pct=8.5" are never broken
            assert any(part in line for line in lines) or len(part) > SHORT, part
    assert max(text_width(line) for line in lines) <= columns


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        (None, ["a  b", "1  торговля между двумя странами"]),
        (20, ["a  b", "1  торговля между", "   двумя странами"]),
        (12, ["a  b", "1  торговля", "   между", "   двумя", "   странами"]),
    ],
)
def test_cli_table_wraps_between_words(width: int | None, expected: list[str]) -> None:
    out = io.StringIO()
    table([{"a": 1, "b": "торговля между двумя странами"}], ["a", "b"], out, width=width)
    assert out.getvalue().splitlines() == expected


def test_cli_table_too_wide_even_wrapped_gives_a_block_a_row() -> None:
    out = io.StringIO()
    row = {"pair": "KZ-TJ", "year": 2022, "turnover": "1.45 bn USD", "target": "2 bn USD"}
    table([row], list(row), out, width=30)
    assert out.getvalue().splitlines() == [
        "pair: KZ-TJ  year: 2022",
        "    turnover: 1.45 bn USD",
        "    target: 2 bn USD",
    ]


def test_cli_table_puts_the_quote_under_its_row_when_it_cannot_wrap_beside_it() -> None:
    out = io.StringIO()
    row = {"id": 7, "details": ["84.9 mn USD", "change_pct=8.9"], "quote": "товарооборот составил 84,9 млн"}
    table([row], ["id", "details", "quote"], out, width=30)
    assert out.getvalue().splitlines() == [
        "id  details",
        "7   84.9 mn USD change_pct=8.9",
        "    “товарооборот составил",
        "    84,9 млн”",
    ]


# -- python -m karavan, KARAVAN_DB, piped documents ----------------------------------------------------


def test_cli_python_m_karavan_and_karavan_db(examples_db: Path) -> None:
    env = {**os.environ, "KARAVAN_DB": str(examples_db)}
    done = subprocess.run(
        [sys.executable, "-m", "karavan", "docs"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "10 documents"


def test_cli_db_option_beats_karavan_db(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, examples_db: Path
) -> None:
    monkeypatch.setenv("KARAVAN_DB", str(tmp_path / "elsewhere.db"))
    code, _, err = run(capsys, "docs")
    assert code == 2 and "elsewhere.db" in err and "no database here" in err
    code, out, _ = run(capsys, "docs", "--db", str(examples_db))
    assert code == 0 and out.splitlines()[-1] == "10 documents"


def test_cli_each_piped_text_is_its_own_document(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    db = str(tmp_path / "k.db")
    texts = [
        "Товарооборот вырос до 2 млрд долларов.",
        "Trade reached $3 billion.",
        "Trade reached $3 billion.",
    ]
    for text in texts:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
        assert run(capsys, "ingest", "-", "--db", db, "--quiet")[0] == 0
    code, out, _ = run(capsys, "docs", "--db", db)
    ids = [line.split()[0] for line in out.splitlines()[1:-1]]
    assert len(ids) == 2 and all(re.fullmatch(r"stdin-[0-9a-f]{16}", i) for i in ids)
