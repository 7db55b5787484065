"""The reconciliation commands through karavan.cli.main, on the seeds ingested by the real pipeline."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from karavan.cli import build_parser, main

README = Path(__file__).resolve().parents[1] / "README.md"
COMMANDS = [
    "reconcile",
    "pairs",
    "discrepancies",
    "flags",
    "series",
    "export",
    "people",
    "person",
    "meetings",
]


@pytest.fixture
def db(tmp_path: Path, seeds_ingested_db: Path) -> str:
    path = tmp_path / "k.db"
    shutil.copy(seeds_ingested_db, path)
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as e:  # a usage error: argparse exits
        code = int(e.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_reconcile_then_unchanged(capsys, db: str) -> None:
    code, out, _ = run(capsys, "reconcile", "--db", db)
    assert code == 0 and ": reconciled: 37 facts from 5 documents -> 31 clusters, 1 discrepancies" in out
    assert "unchanged since the last run" in run(capsys, "reconcile", "--db", db)[1]
    assert ": reconciled:" in run(capsys, "reconcile", "--db", db, "--full")[1]


def test_cli_a_read_command_reconciles_first_and_says_so(capsys, db: str) -> None:
    code, out, err = run(capsys, "pairs", "--db", db)
    assert code == 0 and "the store changed since the last reconciliation: reconciled 37 facts" in err
    assert run(capsys, "pairs", "--db", db)[2] == ""


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["pairs"],
            r"KZ-TJ\s+2022\s+1\.45 bn USD\s+1\.4 bn–1\.5 bn\s+2 bn USD\s+-\s+2024\s+72\.5% \(70–75\)\s+4\s+1",
        ),
        (["discrepancies", "--pair", "TJ-KZ"], r"1\.4 bn USD .*Kassym-Jomart Tokayev; KZ data; “our data”"),
        (
            ["discrepancies"],
            r"“В прошлом году товарооборот между нашими странами достиг отметки почти 1,5 млрд",
        ),
        (["flags"], r"KZ-UZ\s+scale\s+4\.3 mn for 2021-01/2021-12"),
        (["series", "KZ-TJ"], r"2022-01/2022-12\s+year\s+1\.45 bn USD\s+1\.4 bn–1\.5 bn"),
        (["series", "KZ-TJ"], r"target 2 bn USD \(stated 2024\); progress 72\.5%"),
        (["series", "KZ-KG", "--flow", "export", "--product", "flour"], r"2024-01/2024-11\s+ytd\s+53 200 t"),
        (["meetings", "--pair", "KZ-UZ"], r"2022-06-16\s+KZ, UZ\s+Abdulla Aripov, Alikhan Smailov"),
        (["people"], r"alikhan-smailov\s+Alikhan Smailov\s+KZ\s+pm\s+3\s+3"),
    ],
)
def test_cli_table_output(capsys, db: str, argv: list[str], expected: str) -> None:
    code, out, _ = run(capsys, *argv, "--db", db)
    assert code == 0
    assert re.search(expected, out), out


def test_cli_pairs_json_is_the_bridge_dicts(capsys, db: str) -> None:
    data = json.loads(run(capsys, "pairs", "--db", db, "--format", "json")[1])
    assert [p["pair"] for p in data] == ["KG-KZ", "KZ-TJ", "KZ-UZ"]
    assert data[1]["progress_pct"] == 72.5 and data[1]["target"]["value"] == 2e9


def test_cli_discrepancies_csv_has_one_row_a_side(capsys, db: str) -> None:
    rows = list(csv.DictReader(io.StringIO(run(capsys, "discrepancies", "--db", db, "--format", "csv")[1])))
    assert [(r["value"], r["claimant"], r["own_data"]) for r in rows] == [
        ("1400000000.0", "Kassym-Jomart Tokayev", "True"),
        ("1500000000.0", "Emomali Rahmon", "False"),
    ]


def test_cli_series_csv(capsys, db: str) -> None:
    rows = list(csv.DictReader(io.StringIO(run(capsys, "series", "TJ-KZ", "--db", db, "--format", "csv")[1])))
    assert [(r["period"], r["value"], r["low"], r["high"]) for r in rows] == [
        ("2021-01/2021-12", "1100000000.0", "1050000000.0", "1150000000.0"),
        ("2022-01/2022-12", "1450000000.0", "1400000000.0", "1500000000.0"),
    ]


def test_cli_export_to_stdout_and_file(capsys, db: str, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "export", "--db", db, "--what", "comtrade", "--format", "json")
    # one line per cluster with a period: seed 002's relative total has none (no date, no comparison base)
    assert code == 0 and len(out.splitlines()) == 10
    assert json.loads(out.splitlines()[0])["typeCode"] == "C"
    target = tmp_path / "clusters.parquet"
    code, _, err = run(
        capsys, "export", "--db", db, "--what", "clusters", "--format", "parquet", "--out", str(target)
    )
    assert code == 0 and "31 rows (clusters, parquet)" in err and target.stat().st_size > 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "--format", "parquet"], "parquet is binary: give a file with --out"),
        (["person", "Nobody Atall"], "no person 'Nobody Atall'"),
        (["series", "KZTJ"], "a pair is two ISO country codes like KZ-TJ"),
    ],
)
def test_cli_user_errors(capsys, db: str, argv: list[str], message: str) -> None:
    code, _, err = run(capsys, *argv, "--db", db)
    assert code == 2 and message in err and "Traceback" not in err


def test_cli_missing_database_is_an_error(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "pairs", "--db", str(tmp_path / "none.db"))
    assert code == 2 and "no database here" in err


@pytest.mark.parametrize("command", COMMANDS)
def test_cli_every_command_is_in_the_reference(command: str) -> None:
    assert f"$ karavan {command} --help\nusage: karavan {command} " in README.read_text(encoding="utf-8")
    assert re.search(rf"^    {command}\s+\w", build_parser().format_help(), re.M)
