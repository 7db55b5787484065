"""The file to give spark-submit: `spark-submit [options] karavan/spark/submit.py INPUT OUTPUT [--format parquet]`.

The master, executors and Hadoop settings come from spark-submit; every executor needs a Python with
karavan installed (a shared venv, or one shipped with --archives), named by spark.pyspark.python.
"""

from __future__ import annotations

import sys

from karavan.cli import main

if __name__ == "__main__":
    sys.exit(main(["spark", "extract", *sys.argv[1:], "--master", "submit"]))
