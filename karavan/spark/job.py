"""`karavan spark extract INPUT OUTPUT`: the per-document pipeline as a Spark job writing Parquet.

    from karavan.spark import extract, session
    spark = session("local[2]")
    manifest = extract(spark, "s3a://bucket/news/", "s3a://bucket/karavan-out/")   # or a DataFrame

INPUT is a folder (or file) of .txt, .html and .jsonl files on any path Spark reads, a Parquet dataset
(`--format parquet`; columns id, text and optionally url, published, source, ...), or, from Python, a
DataFrame with those columns. The documents go through karavan.spark.rows.run_record inside `mapInArrow`:
the functions `karavan extract` runs, with the pipeline's lexicons loaded once per Python worker.

OUTPUT gets four things:
    documents/year=YYYY/            one row per document, the store's `documents` columns (text included)
    facts/pair=KZ-TJ/year=YYYY/     one row per fact, the store's `facts` columns (every FACTS.md field has a
                                    column; `data` is the whole fact as JSON, rule and quote included),
                                    with a deterministic fact_id
    errors/                         one row per problem: path, line, code, reason, warning
    manifest.json                   counts (documents, facts by type, errors, warnings) and the input
A document whose id was already read from an earlier input (by path) is an error row, as `karavan extract`
reports it. A rerun over the same input writes the same rows.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from karavan.errors import DuplicateId, KaravanError
from karavan.ingest.sources import check_size
from karavan.spark.output import DOCS, ERRORS, FACTS, MANIFEST
from karavan.spark.rows import (
    BINARY_COLUMNS,
    DOC_FIELDS,
    ERROR_FIELDS,
    FACT_FIELDS,
    INTEGER_COLUMNS,
    REAL_COLUMNS,
    kind_of,
    local_path,
    run_record,
)

BOOL_COLUMNS = frozenset({"warning"})
INTEGER_FIELDS = INTEGER_COLUMNS | {"line", "pos"}
TASKS_PER_CORE = 4  # small files are packed into few partitions by Spark; spread them over this many tasks
OUT_ROWS = 4096  # rows (documents, facts, errors) a Python worker gathers before it hands them back


def _arrow_type(name: str) -> Any:
    import pyarrow as pa

    if name in BOOL_COLUMNS:
        return pa.bool_()
    if name in BINARY_COLUMNS:
        return pa.binary()
    if name in INTEGER_FIELDS:
        return pa.int64()
    if name in REAL_COLUMNS:
        return pa.float64()
    return pa.string()


def arrow_schema() -> Any:
    """What the Python workers hand back: per row the input it came from and one of doc, fact, error."""
    import pyarrow as pa

    def struct(fields: tuple[str, ...]) -> Any:
        return pa.struct([pa.field(f, _arrow_type(f)) for f in fields])

    return pa.schema(
        [
            pa.field("src", pa.string()),
            pa.field("pos", pa.int64()),
            pa.field("doc", struct(DOC_FIELDS)),
            pa.field("fact", struct(FACT_FIELDS)),
            pa.field("error", struct(ERROR_FIELDS)),
        ]
    )


def session(master: str | None = "local[2]", app: str = "karavan") -> Any:
    """A Spark session (the one running, if any); `master` None leaves it to spark-submit."""
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.appName(app)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.showConsoleProgress", "false")
    )
    if master:
        builder = builder.master(master)
        if master.startswith("local"):  # the workers run this interpreter, with its packages
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            builder = builder.config("spark.ui.enabled", "false")
    return builder.getOrCreate()


def _meta_index(spark: Any, path: str, limit: int) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """Every meta.jsonl under `path`, read on the driver once: {'folder/id': record}, and its problems."""
    import io

    from karavan.ingest.records import read_meta_index
    from karavan.spark.rows import error_row

    frame = (
        spark.read.format("binaryFile")
        .option("recursiveFileLookup", "true")
        .option("pathGlobFilter", "meta.jsonl")
        .load(path)
    )
    index: dict[str, dict[str, Any]] = {}
    problems: list[Any] = []
    for row in sorted(frame.select("path", "content").collect(), key=lambda r: r["path"]):
        where = local_path(row["path"])
        folder = where.rsplit("/", 1)[0]
        for doc_id, record in read_meta_index(
            io.BytesIO(row["content"]), where, problems.append, limit
        ).items():
            index[f"{folder}/{doc_id}"] = record
    return index, [error_row(p) for p in problems]


def _empty_files(spark: Any, path: str, limit: int) -> list[dict[str, Any]]:
    """Error rows for the empty document files under `path`: Spark's file sources never hand those to a
    task, so the driver lists them (through Hadoop's file system, as Spark does)."""
    from karavan.spark.rows import error_row

    jvm = spark.sparkContext._jvm
    root = jvm.org.apache.hadoop.fs.Path(path)
    files = root.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).listFiles(root, True)
    rows: list[dict[str, Any]] = []
    while files.hasNext():
        status = files.next()
        where = local_path(status.getPath().toString())
        if status.getLen() == 0 and kind_of(where) and not any(p.startswith(".") for p in where.split("/")):
            try:
                check_size(0, where, limit)
            except KaravanError as e:
                rows.append(error_row(e))
    return sorted(rows, key=lambda r: r["path"])


def _records(spark: Any, source: Any, form: str) -> Any:
    """(path, kind, content) of every input record: a file, or a row of a table."""
    from pyspark.sql import DataFrame
    from pyspark.sql import functions as F

    if isinstance(source, DataFrame) or form == "parquet":
        frame = source if isinstance(source, DataFrame) else spark.read.parquet(source)
        name = "<dataframe>" if isinstance(source, DataFrame) else str(source)
        return frame.select(
            F.lit(name).alias("path"),
            F.lit("row").alias("kind"),
            F.to_json(F.struct(*frame.columns)).cast("binary").alias("content"),
            F.monotonically_increasing_id().alias("pos"),
        )
    frame = spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(str(source))
    return frame.select("path", F.lit("file").alias("kind"), "content", F.lit(0).cast("long").alias("pos"))


def _mapper(meta: Any, limit: int, budget_process: Any = None) -> Any:
    """The function mapInArrow runs: input record batches to row batches (arrow_schema)."""

    def run(batches: Any) -> Any:
        import pyarrow as pa

        from karavan.api import default_process

        process = budget_process or default_process()
        schema = arrow_schema()
        index = meta.value
        for batch in batches:
            out: list[dict[str, Any]] = []
            for i in range(batch.num_rows):  # a record at a time: its content copied once, while it is read
                rec = batch.slice(i, 1).to_pylist()[0]
                path = local_path(rec["path"])
                kind = rec["kind"] if rec["kind"] == "row" else kind_of(path)
                if kind is None:
                    continue
                content = rec["content"]
                if kind == "row":  # a table row as a JSON object: named by its id in errors
                    path = f"{path}#{json.loads(content).get('id')}"
                folder, _, name = path.rpartition("/")
                record_meta = index.get(f"{folder}/{name.rsplit('.', 1)[0]}")
                docs, facts, errors = run_record(path, kind, content, record_meta, process, limit)
                out += [{"src": path, "pos": i, "doc": d} for i, d in enumerate(docs)]
                out += [{"src": path, "pos": None, "fact": f} for f in facts]
                out += [{"src": path, "pos": None, "error": e} for e in errors]
                if len(out) >= OUT_ROWS:  # a worker holds one batch of rows, however many records it is given
                    yield pa.RecordBatch.from_pylist(out, schema=schema)
                    out = []
            yield pa.RecordBatch.from_pylist(out, schema=schema)

    return run


def extract(
    spark: Any,
    source: Any,
    output: str,
    *,
    form: str = "files",
    limit: int | None = None,
    process: Any = None,
) -> dict[str, Any]:
    """Run the pipeline over `source` (path or DataFrame) and write the datasets under `output`; the manifest."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F
    from pyspark.sql.types import StructType

    from karavan.ingest.sources import DEFAULT_MAX_BYTES

    limit = limit or DEFAULT_MAX_BYTES
    meta, meta_errors = (
        ({}, []) if form != "files" or not isinstance(source, str) else _meta_index(spark, source, limit)
    )
    records = _records(spark, source, form)
    parts = max(1, spark.sparkContext.defaultParallelism * TASKS_PER_CORE)
    records = records.repartition(parts, "path", "pos")
    schema = StructType.fromJson(json.loads(_spark_schema_json()))
    rows = records.mapInArrow(_mapper(spark.sparkContext.broadcast(meta), limit, process), schema)
    rows = rows.persist()
    try:
        rows.count()  # the pipeline runs here, once; what follows reads the cached rows
        docs = rows.where(F.col("doc").isNotNull()).select("src", "pos", "doc.*")
        first = Window.partitionBy("id").orderBy("src", "pos")
        docs = docs.withColumn("_n", F.row_number().over(first)).withColumn(
            "_first", F.first("src").over(first.rowsBetween(Window.unboundedPreceding, Window.currentRow))
        )
        repeated = docs.where("_n > 1").select(
            F.col("src").alias("path"),
            F.lit(None).cast("long").alias("line"),
            F.lit(DuplicateId.code).alias("code"),
            F.concat(
                F.lit("id '"),
                F.col("id"),
                F.lit("' was already read from "),
                F.col("_first"),
                F.lit("; skipped"),
            ).alias("reason"),
            F.lit(False).alias("warning"),
        )
        kept = docs.where("_n = 1").select("src", "id")
        facts = rows.where(F.col("fact").isNotNull()).select("src", "fact.*")
        facts = facts.join(kept.withColumnRenamed("id", "doc_id"), ["src", "doc_id"], "left_semi").drop("src")
        errors = rows.where(F.col("error").isNotNull()).select("error.*").unionByName(repeated)
        if isinstance(source, str) and form == "files":
            meta_errors += _empty_files(spark, source, limit)
        if meta_errors:
            errors = errors.unionByName(spark.createDataFrame(meta_errors, schema=errors.schema))
        docs = docs.where("_n = 1").drop("src", "pos", "_n", "_first")
        out = output.rstrip("/")
        # each partition's rows to few tasks, so it gets few files (AQE joins small ones, splits big ones)
        docs.hint("rebalance", "year").write.mode("overwrite").partitionBy("year").parquet(f"{out}/{DOCS}")
        facts.hint("rebalance", "pair", "year").write.mode("overwrite").partitionBy("pair", "year").parquet(
            f"{out}/{FACTS}"
        )
        errors.coalesce(1).write.mode("overwrite").parquet(f"{out}/{ERRORS}")
        manifest = _manifest(spark, out, source)
    finally:
        rows.unpersist()
    _write_manifest(spark, out, manifest)
    return manifest


def _spark_schema_json() -> str:
    """arrow_schema() in Spark's terms."""
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(arrow_schema()).json()


def _manifest(spark: Any, out: str, source: Any) -> dict[str, Any]:
    """Counts read back from what was written."""
    import pyspark

    from karavan import __version__

    facts = spark.read.parquet(f"{out}/{FACTS}")
    errors = spark.read.parquet(f"{out}/{ERRORS}")
    by_type = {r["type"]: r["count"] for r in facts.groupBy("type").count().collect()}
    warnings = errors.where("warning").count()
    return {
        "input": source if isinstance(source, str) else "<dataframe>",
        "documents": spark.read.parquet(f"{out}/{DOCS}").count(),
        "facts": sum(by_type.values()),
        "facts_by_type": dict(sorted(by_type.items())),
        "errors": errors.count() - warnings,
        "warnings": warnings,
        "karavan": __version__,
        "spark": pyspark.__version__,
        "layout": {DOCS: ["year"], FACTS: ["pair", "year"], ERRORS: []},
    }


def _write_manifest(spark: Any, out: str, manifest: dict[str, Any]) -> None:
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    if "://" not in out and not out.startswith("file:"):
        Path(out, MANIFEST).write_text(text, encoding="utf-8")
        return
    # another file system (HDFS, S3): through Spark's own writer, as a one-line text dataset
    spark.createDataFrame([(text,)], "value string").coalesce(1).write.mode("overwrite").text(
        f"{out}/{MANIFEST}"
    )
