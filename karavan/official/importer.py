"""`karavan official import FILE --format comtrade|csv`: read a file whole, then store its figures in one
transaction and bring the verdicts (and the promise ledger) up to date. A bad file raises before anything
is written."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from karavan.official.comtrade import SOURCE, ReadResult, read_comtrade
from karavan.official.model import BadOfficialFile
from karavan.official.national import iso_date, load_mapping, read_national
from karavan.official.store import import_figures
from karavan.official.tables import read_table
from karavan.store import Store

FORMATS = ("comtrade", "csv")


def file_date(path: str | Path) -> str:
    """The day a file was written (downloaded): the revision date when nothing else gives one."""
    try:
        return date.fromtimestamp(Path(path).stat().st_mtime).isoformat()
    except OSError:
        return date.today().isoformat()


def read_file(
    path: str | Path, fmt: str, mapping: str | Path | None = None, source: str | None = None,
    revised: str | None = None, preliminary: bool = False,
) -> tuple[ReadResult, str, str]:  # fmt: skip
    """(what the file gives, its source, its sha256), or BadOfficialFile naming the file and line."""
    name = str(path)
    if fmt not in FORMATS:
        raise BadOfficialFile(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}", name)
    release = iso_date(revised, "--revised", None) if revised else file_date(path)
    if fmt == "comtrade":
        if mapping is not None:
            raise BadOfficialFile("--mapping is for --format csv; Comtrade's layout needs none", name)
        table = read_table(path)
        return read_comtrade(table, release, preliminary, source or SOURCE), source or SOURCE, table.sha256
    if mapping is None:
        raise BadOfficialFile("--format csv needs --mapping FILE.toml (which columns are what)", name)
    m = load_mapping(mapping)
    if source:
        m.source = source
    if preliminary and "preliminary" not in m.columns:
        m.constants["preliminary"] = True
    table = read_table(path, m.encoding, m.delimiter)
    return read_national(table, m, release), m.source, table.sha256


def import_file(
    store: Store, path: str | Path, fmt: str, mapping: str | Path | None = None, source: str | None = None,
    revised: str | None = None, preliminary: bool = False,
) -> dict[str, Any]:  # fmt: skip
    """Import one file (all or nothing), then refresh the verdicts and the promise ledger; the summary."""
    result, src, sha = read_file(path, fmt, mapping, source, revised, preliminary)
    summary = import_figures(
        store, result.figures, path=str(path), fmt=fmt, source=src, sha256=sha, rows=result.rows,
        skipped=result.skipped,
    )  # fmt: skip
    from karavan.official.hook import refresh_all

    summary["refreshed"] = refresh_all(store, full=True)
    return summary
