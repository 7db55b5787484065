"""The datasets of a `karavan spark extract` output, opened for reading with pyarrow (no Spark, no Java)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from karavan.errors import KaravanError

DOCS, FACTS, ERRORS, MANIFEST = "documents", "facts", "errors", "manifest.json"


class NotAnOutput(KaravanError):
    code = "E131"


def _dataset(path: Path, keys: tuple[str, ...]) -> Any:
    import pyarrow as pa
    import pyarrow.dataset as ds

    # partition values as text: a dataset whose years are all digits would read them back as numbers
    partitioning = ds.partitioning(pa.schema([(k, pa.string()) for k in keys]), flavor="hive")
    return ds.dataset(path, format="parquet", partitioning=partitioning)


def open_output(output: str | Path) -> tuple[Any, Any]:
    """(documents, facts): the two pyarrow datasets under `output`; a clear error when it is no output."""
    try:
        import pyarrow.dataset  # noqa: F401
    except ImportError:
        raise NotAnOutput(
            "reading Parquet needs pyarrow: pip install 'karavan[spark]'", str(output)
        ) from None
    root = Path(output)
    for part in (DOCS, FACTS):
        if not (root / part).is_dir():
            raise NotAnOutput(
                f"no {part}/ dataset here: give the OUTPUT of `karavan spark extract`", str(root)
            )
    return _dataset(root / DOCS, ("year",)), _dataset(root / FACTS, ("pair", "year"))


def fragments_by_pair(facts: Any) -> dict[str, list[Any]]:
    """The facts dataset's files by partition: pair value -> its fragments."""
    import pyarrow.dataset as ds

    out: dict[str, list[Any]] = {}
    for fragment in facts.get_fragments():
        keys = ds.get_partition_keys(fragment.partition_expression)
        out.setdefault(str(keys.get("pair")), []).append(fragment)
    return out
