"""The README's CLI reference is the parser's own help: this test fails when the two drift apart.

Rewrite the reference with: KARAVAN_WRITE_README=1 .venv/bin/pytest tests/test_cli_readme.py
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from karavan.cli import build_parser, reference_markdown

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- cli-reference:start -->\n", "<!-- cli-reference:end -->"


def test_cli_readme_cli_reference_matches_the_parser() -> None:
    text = README.read_text(encoding="utf-8")
    before, rest = text.split(START)
    current, after = rest.split(END)
    expected = reference_markdown()
    if os.environ.get("KARAVAN_WRITE_README") == "1" and current != expected:
        README.write_text(before + START + expected + END + after, encoding="utf-8")
        current = expected
    assert current == expected, "README CLI reference is stale: rerun with KARAVAN_WRITE_README=1"


@pytest.mark.parametrize("command", ["ingest", "extract", "docs", "show", "facts", "eval"])
def test_cli_every_command_is_in_the_reference(command: str) -> None:
    text = README.read_text(encoding="utf-8")
    assert f"$ karavan {command} --help\nusage: karavan {command} " in text
    assert re.search(rf"^    {command}\s+\w", build_parser().format_help(), re.M)


def test_cli_readme_opens_with_the_two_commands() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    block = lines[lines.index("```sh") + 1 : lines.index("```sh") + 3]
    assert [line.split()[0] for line in block] == ["scripts/quickstart", "scripts/test"]
    assert (README.parent / "scripts" / "quickstart").stat().st_mode & 0o111
    assert "scripts/test" in (README.parent / ".ci" / "run").read_text(encoding="utf-8")
