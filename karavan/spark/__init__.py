"""karavan as a Spark job: `pip install 'karavan[spark]'` (pyspark, pyarrow; Java 17 or later).

    karavan spark extract INPUT OUTPUT [--master local[2]]      # Parquet datasets under OUTPUT
    karavan load OUTPUT --db karavan.db                          # bring them into the store

The per-document work (karavan.spark.rows) imports no Spark; karavan.spark.job drives it.
"""

from __future__ import annotations

from typing import Any

from karavan.errors import KaravanError


class SparkMissing(KaravanError):
    code = "E130"


def require_spark() -> None:
    """Raise a clear error when pyspark (the [spark] extra) or Java is missing."""
    import shutil

    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise SparkMissing("pyspark is not installed: pip install 'karavan[spark]'") from None
    if not shutil.which("java") and not __import__("os").environ.get("JAVA_HOME"):
        raise SparkMissing("no Java: Spark needs a JRE 17 or later (apt-get install default-jre-headless)")


def session(master: str | None = "local[2]", app: str = "karavan") -> Any:
    from karavan.spark.job import session as make

    require_spark()
    return make(master, app)


def extract(spark: Any, source: Any, output: str, **options: Any) -> dict[str, Any]:
    from karavan.spark.job import extract as run

    return run(spark, source, output, **options)
