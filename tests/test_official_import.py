"""`karavan official import`: UN Comtrade's total rows only, national tables through a mapping, each figure
with its source, release date and preliminary mark; a bad file names its line and changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from official_support import DATA, import_fixtures

from karavan import cli
from karavan.official.comtrade import read_comtrade
from karavan.official.importer import import_file, read_file
from karavan.official.model import BadOfficialFile
from karavan.official.periods import parse_period
from karavan.official.store import read_figures
from karavan.official.tables import parse_number, read_table
from karavan.store import open_store

HEADER = "reporterISO,partnerISO,flowCode,cmdCode,period,primaryValue,customsCode,motCode,partner2Code"


def comtrade(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "comtrade.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("rows", "expected", "skipped"),
    [
        # one total row among per-procedure and per-mode rows: only the total counts, nothing is summed
        (["KAZ,CHN,M,TOTAL,2021,8240000000,C00,0,0", "KAZ,CHN,M,TOTAL,2021,7600000000,C01,0,0",
          "KAZ,CHN,M,TOTAL,2021,640000000,C02,0,0", "KAZ,CHN,M,TOTAL,2021,4100000000,C00,3100,0"],
         [("KZ", "CN", "import", "total", "2021-01/2021-12", 8.24e9)], 3),
        # per-procedure rows alone give no figure (their sum would double count)
        (["CHN,KAZ,X,TOTAL,2021,6200000000,C01,0,0", "CHN,KAZ,X,TOTAL,2021,7780000000,C02,0,0"], [], 2),
        # a second partner, the World, a re-export: skipped
        (["CHN,KAZ,X,TOTAL,2021,13980000000,C00,0,0", "CHN,KAZ,X,TOTAL,2021,1000000,C00,0,643",
          "KAZ,W00,X,TOTAL,2021,60300000000,C00,0,0", "KAZ,CHN,RX,TOTAL,2021,120000000,C00,0,0"],
         [("CN", "KZ", "export", "total", "2021-01/2021-12", 13.98e9)], 3),
        # monthly data, and an HS heading karavan names (1001 wheat); an unnamed one is skipped
        (["KAZ,TJK,X,1001,202203,25300000,C00,0,0", "KAZ,TJK,X,8703,2022,1,C00,0,0", "KAZ,TJK,X,9999,2022,1,C00,0,0"],
         [("KZ", "TJ", "export", "wheat", "2022-03/2022-03", 2.53e7), ("KZ", "TJ", "export", "cars", "2022-01/2022-12", 1.0)], 1),
        # the same total row twice (two downloads pasted together) is one figure
        (["KAZ,CHN,X,TOTAL,2021,9800000000,C00,0,0", "KAZ,CHN,X,TOTAL,2021,9800000000,C00,0,0"],
         [("KZ", "CN", "export", "total", "2021-01/2021-12", 9.8e9)], 1),
    ],
)  # fmt: skip
def test_official_comtrade_counts_total_rows_only(
    tmp_path: Path, rows: list[str], expected: list[tuple], skipped: int
) -> None:
    result = read_comtrade(read_table(comtrade(tmp_path, *rows)), revised="2025-03-01")
    got = [(f.reporter, f.partner, f.flow, f.product, f.period, f.value) for f in result.figures]
    assert got == expected
    assert sum(result.skipped.values()) == skipped
    assert all(
        f.source == "UN Comtrade" and f.revised == "2025-03-01" and f.unit == "USD" for f in result.figures
    )


def test_official_comtrade_fixture_keeps_ten_totals_of_twenty_three_rows(tmp_path: Path) -> None:
    result, source, _ = read_file(DATA / "comtrade_kz_cn_tj.csv", "comtrade", revised="2025-03-01")
    assert (result.rows, len(result.figures), source) == (23, 10, "UN Comtrade")
    totals = {(f.reporter, f.partner, f.flow, f.period[:4]): f.value for f in result.figures}
    assert totals[("CN", "KZ", "export", "2021")] == 13.98e9  # China's customs
    assert totals[("KZ", "CN", "import", "2021")] == 8.24e9  # Kazakhstan's statistics: the mirror gap
    assert dict(result.skipped) == {
        "a reporter or partner that is no country karavan knows (World, areas nes)": 1,
        "flow RX (not X or M)": 1,
        "one customs procedure (not C00)": 6,
        "one mode of transport (not 0)": 5,
    }


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        (f"{HEADER}\nKAZ,CHN,X,TOTAL,2021,9,8e9,C00,0,0\n", "10 fields, the header has 9", 2),
        (f"{HEADER}\nKAZ,CHN,X,TOTAL,2021,9800000000,C00,0,0\nKAZ,CHN,X,TOTAL,2021,lots,C00,0,0\n",
         "primaryValue 'lots' is not a number", 3),
        (f"{HEADER}\nKAZ,CHN,X,TOTAL,21st century,1,C00,0,0\n", "period '21st century' is neither YYYY nor YYYYMM", 2),
        ("# a comment\nreporterISO,partnerISO,flowCode,period,primaryValue\nKAZ,CHN,X,2021,1\n",
         "no column cmdcode, customscode, motcode in the header", 1),
        (f"{HEADER}\nKAZ,CHN,X,TOTAL,2021,9800000000,C00,0,0\nKAZ,CHN,X,TOTAL,2021,9700000000,C00,0,0\n",
         "a second total row for KZ->CN export total 2021-01/2021-12 with another value", 3),
        ("", "empty: no header line", None),
    ],
)  # fmt: skip
def test_official_bad_file_names_its_line_and_changes_nothing(
    tmp_path: Path, content: str, message: str, line: int | None
) -> None:
    db = tmp_path / "k.db"
    import_fixtures(db, ["comtrade_kz_cn_tj.csv"])
    with open_store(db) as store:
        before = [f.to_dict() for f in read_figures(store)]
        (n_imports,) = store.conn.execute("SELECT count(*) FROM official_imports").fetchone()
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    with open_store(db) as store, pytest.raises(BadOfficialFile) as e:
        import_file(store, bad, "comtrade", revised="2025-03-01")
    assert message in e.value.message
    assert e.value.line == line and e.value.path == str(bad)
    with open_store(db) as store:
        assert [f.to_dict() for f in read_figures(store)] == before
        assert store.conn.execute("SELECT count(*) FROM official_imports").fetchone()[0] == n_imports


def test_official_cli_error_is_one_line_naming_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = comtrade(tmp_path, "KAZ,CHN,X,TOTAL,2021,n/a!,C00,0,0")
    code = cli.main(["official", "import", str(bad), "--format", "comtrade", "--db", str(tmp_path / "k.db")])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err == f"karavan: error: {bad}:2: primaryValue 'n/a!' is not a number"


@pytest.mark.parametrize(
    ("name", "mapping", "expected"),
    [
        ("stat_gov_kz_tj.csv", "stat_gov_kz.toml", [
            ("stat.gov.kz", "KZ", "TJ", "turnover", "2021-01/2021-12", 1.2e9, False, "2022-08-01"),
            ("stat.gov.kz", "KZ", "TJ", "turnover", "2022-01/2022-12", 1.44e9, False, "2023-05-02"),
            ("stat.gov.kz", "KZ", "TJ", "import", "2022-01/2022-12", 5.014e8, False, "2023-05-02"),
        ]),
        ("stat_kg_cn.csv", "stat_kg.toml", [
            ("stat.kg", "KG", "CN", "turnover", "2024-01/2024-11", 5.1e9, True, "2025-01-24"),
            ("stat.kg", "KG", "CN", "turnover", "2024-01/2024-12", 5.3e9, False, "2025-07-16"),
            ("stat.kg", "KG", "CN", "export", "2024-01/2024-12", 2.04e9, False, "2025-07-16"),
        ]),
        ("customs_cn_kg.csv", "customs_cn.toml", [
            ("customs.gov.cn", "CN", "KG", "turnover", "2024-01/2024-12", 22.71e9, False, "2025-01-23"),
        ]),
    ],
)  # fmt: skip
def test_official_national_table_through_mapping(name: str, mapping: str, expected: list[tuple]) -> None:
    result, _, _ = read_file(DATA / name, "csv", DATA / mapping, revised="2030-01-01")
    got = {(f.source, f.reporter, f.partner, f.flow, f.period, f.value, f.preliminary, f.revised)
           for f in result.figures}  # fmt: skip
    for row in expected:
        assert row in got or any(
            g[:5] == row[:5] and g[5] == pytest.approx(row[5]) and g[6:] == row[6:] for g in got
        )


def test_official_national_table_skips_totals_and_reads_decimal_commas() -> None:
    result, _, _ = read_file(DATA / "stat_gov_kz_tj.csv", "csv", DATA / "stat_gov_kz.toml")
    assert sum(result.skipped.values()) == 1  # «Всего»: all partners together
    half = [f for f in result.figures if f.period == "2022-01/2022-06"]
    assert sorted((f.flow, f.value) for f in half) == [
        ("export", 3.627e8),
        ("import", 2.586e8),
        ("turnover", 6.214e8),
    ]


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ('source = "x"\nreporter = "KZ"\nperiod = "2024"\n[columns]\npartner = "P"\n', "[flows] must map"),
        ('reporter = "KZ"\n[flows]\nturnover = "T"\n', "no `source`"),
        ('source = "x"\npartner = "CN"\nperiod = "2024"\n[flows]\nturnover = "T"\n', "no reporter"),
        ('source = "x"\nreporter = "KZ"\npartner = "CN"\nperiod = "2024"\nscale = -1\n[flows]\nturnover = "T"\n',
         "scale must be a positive number"),
        ('source = "x"\nreporter = "KZ"\npartner = "CN"\nperiod = "2024"\nunits = "USD"\n[flows]\nturnover = "T"\n',
         "unknown key 'units'"),
        ('source = "x"\nreporter = "KZ"\nperiod = "2024"\n[columns]\npartner = "Страна"\n[flows]\nturnover = "T"\n',
         "names column 'Страна', which the header does not have"),
        ('source = "x"\nreporter = "KZ"\n[columns]\npartner = "P"\nperiod = "Y"\n[flows]\nturnover = "T"\n',
         "period 'someday' cannot be read"),
        ('source = "x"\nreporter = "KZ"\n[columns]\npartner = "P"\nperiod = "Y"\n[flows]\nturnover = "T"\n'
         'export = "X"\n', "X 'lots' is not a number"),
    ],
)  # fmt: skip
def test_official_bad_mapping_or_table_is_refused(tmp_path: Path, mapping: str, message: str) -> None:
    table = tmp_path / "t.csv"
    table.write_text("P,Y,T,X\nChina,2024,5,1\nChina,someday,5,lots\n" if "someday" in message
                     else "P,Y,T,X\nChina,2024,5,lots\n", encoding="utf-8")  # fmt: skip
    m = tmp_path / "m.toml"
    m.write_text(mapping, encoding="utf-8")
    with pytest.raises(BadOfficialFile) as e:
        read_file(table, "csv", m, revised="2025-01-01")
    assert message in e.value.message


def test_official_reimport_is_unchanged_and_a_new_release_is_kept_beside_the_old(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    first = import_fixtures(db, ["comtrade_kz_cn_tj.csv"])[0]
    with open_store(db) as store:
        again = import_file(store, DATA / "comtrade_kz_cn_tj.csv", "comtrade", revised="2025-03-01")
        later = import_file(
            store, DATA / "comtrade_kz_cn_tj.csv", "comtrade", revised="2025-09-01", preliminary=True
        )
        figures = read_figures(store, "KZ-CN")
    assert (first["new"], again["new"], again["unchanged"], later["new"]) == (10, 0, 10, 10)
    releases = sorted({(f.revised, f.preliminary) for f in figures})
    assert releases == [("2025-03-01", False), ("2025-09-01", True)]


@pytest.mark.parametrize(
    ("text", "period"),
    [("2021", "2021-01/2021-12"), ("202103", "2021-03/2021-03"), ("2024-01/2024-11", "2024-01/2024-11"),
     ("январь-ноябрь 2024", "2024-01/2024-11"), ("Jan–Nov 2024", "2024-01/2024-11"),
     ("қаңтар-қараша 2024 ж.", "2024-01/2024-11"), ("ноябрь 2024 г.", "2024-11/2024-11"), ("2023 год", "2023-01/2023-12"),
     ("ноябрь-январь 2024", None), ("2024-13", None), ("soon", None)],
)  # fmt: skip
def test_official_periods_of_tables(text: str, period: str | None) -> None:
    assert parse_period(text) == period


@pytest.mark.parametrize(
    ("text", "value"),
    [("1 234,5", 1234.5), ("1234.5", 1234.5), ("1,234.5", 1234.5), ("1.234,5", 1234.5), ("-12", -12.0),
     ("", None), ("-", None), ("…", "error"), ("12 3a", "error"), ("1\u00a0440\u00a0000", 1440000.0)],
)  # fmt: skip
def test_official_numbers_of_tables(text: str, value: float | str | None) -> None:
    if value == "error":
        with pytest.raises(ValueError):
            parse_number(text)
    else:
        assert parse_number(text) == value


def test_official_cli_import_and_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "k.db")
    shutil.copy(DATA / "stat_kg_cn.csv", tmp_path / "kg.csv")
    code = cli.main(["official", "import", str(tmp_path / "kg.csv"), "--format", "csv", "--mapping",
                     str(DATA / "stat_kg.toml"), "--db", db])  # fmt: skip
    out = capsys.readouterr().out
    assert (
        code == 0 and "2 rows read: 3 figures stored (3 new, 0 changed, 0 unchanged); 0 rows skipped" in out
    )
    assert cli.main(["official", "figures", "--db", db, "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "reporter,partner,flow,product,period,value,unit,preliminary,revised,source"
    assert "KG,CN,turnover,total,2024-01/2024-11,5100000000.0,USD,True,2025-01-24,stat.kg" in lines
