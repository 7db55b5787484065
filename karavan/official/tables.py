"""Reading the CSV files of official statistics: bytes to rows with their line numbers, and numbers.

Lines starting with `#` before the header are comments (a file may say where its figures come from).
The delimiter is found from the header (`,`, `;` or tab) unless given. Every problem names the file and
the line: `comtrade.csv:17: 44 fields, the header has 47`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from karavan.official.model import BadOfficialFile

DELIMITERS = (",", ";", "\t")
MISSING = {"", "-", "–", "—", "..", "...", "x", "n/a", "na", "nan", "null"}
_SPACES = re.compile(r"[\s\u00a0\u202f']")


@dataclass(slots=True)
class Table:
    path: str
    sha256: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number in the file, cells by column name)


def decode(raw: bytes, path: str, encoding: str | None) -> str:
    if encoding:
        try:
            return raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as e:
            raise BadOfficialFile(f"cannot be read as {encoding}: {e}", path) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise BadOfficialFile(
            f'not UTF-8 (byte {e.start}); give the table\'s encoding (encoding = "cp1251" in the mapping)',
            path,
        ) from None


def read_table(path: str | Path, encoding: str | None = None, delimiter: str | None = None) -> Table:
    """The rows of a CSV file, each with its line number; the header is the first line that is not a comment."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise BadOfficialFile("no such file", name) from None
    except OSError as e:
        raise BadOfficialFile(f"cannot be read: {e.strerror or e}", name) from None
    if b"\x00" in raw[:4096] and not (encoding or "").lower().startswith("utf-16"):
        raise BadOfficialFile("a binary file, not a CSV table", name)
    text = decode(raw, name, encoding)
    lines = text.splitlines(keepends=True)
    skipped = 0
    while skipped < len(lines) and (not lines[skipped].strip() or lines[skipped].lstrip().startswith("#")):
        skipped += 1
    if skipped == len(lines):
        raise BadOfficialFile("empty: no header line", name)
    body = "".join(lines[skipped:])
    first = lines[skipped]
    sep = delimiter or max(DELIMITERS, key=first.count)
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=sep)
    header = [h.strip() for h in next(reader)]
    if len(header) < 2:
        raise BadOfficialFile(f"line {skipped + 1}: a header of one column; is the delimiter {sep!r}?", name)
    rows: list[tuple[int, dict[str, str]]] = []
    consumed = reader.line_num  # physical lines of the body read so far
    line = skipped + consumed + 1
    try:
        for cells in reader:
            line, consumed = skipped + consumed + 1, reader.line_num  # the line this row starts on
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                raise BadOfficialFile(f"{len(cells)} fields, the header has {len(header)}", name, line)
            rows.append((line, dict(zip(header, (c.strip() for c in cells), strict=True))))
    except csv.Error as e:
        raise BadOfficialFile(f"not a CSV row: {e}", name, line) from None
    return Table(name, hashlib.sha256(raw).hexdigest(), header, rows)


def parse_number(text: str) -> float | None:
    """A table's number: `1 234,5`, `1234.5`, `1,234.5`, `-12`; None for an empty or missing cell.
    Raises ValueError for anything else."""
    s = _SPACES.sub("", text)
    if s.lower() in MISSING:
        return None
    if "," in s and "." in s:
        s = s.replace(",", "") if s.rfind(".") > s.rfind(",") else s.replace(".", "").replace(",", ".")
    elif s.count(",") == 1:
        s = s.replace(",", ".")
    elif s.count(",") > 1:
        s = s.replace(",", "")
    value = float(s)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(text)
    return value
