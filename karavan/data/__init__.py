"""karavan's language and reference data: plain files beside this module (TOML, TSV), read here."""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any


def read_text(name: str) -> str:
    """The text of a data file, by its path below karavan/data (`lexicon/ru.toml`)."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def exists(name: str) -> bool:
    return resources.files(__name__).joinpath(name).is_file()


def load_toml(name: str) -> dict[str, Any]:
    """A TOML data file, parsed (callers keep what they need: each call reads the file)."""
    return tomllib.loads(read_text(name))
