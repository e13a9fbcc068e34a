"""One worker: `python -m etl.serve.worker [streamlit run options]`.

It starts building the role databases (etl.access.scopes) in a thread of its own process,
then serves dashboard/app.py exactly as `streamlit run` does. The scopes' cache is a module
of this process, so the app's first visitor of each role finds its database built, instead
of waiting for a copy of the warehouse to be filtered and masked (0.5–0.9 s a role at
--scale 1, seconds at --scale 100).
"""

from __future__ import annotations

import sys
import threading

# Imported here, in the main thread, before the warming thread starts: two threads importing
# pandas at once (the warming thread through DuckDB, a page through Plotly) can see it
# half-initialised. The quality gate (Great Expectations, etl.pipeline.checks.gate below) too:
# imported when a bureau first checks its draft on 推荐自查, it would hold the interpreter for
# 2.5–3 s, and every session on the worker would wait through it.
import pandas  # noqa: F401
import plotly.graph_objects  # noqa: F401
import polars  # noqa: F401
from streamlit.web import cli

import etl.pipeline.checks.gate  # noqa: F401
from etl.config import ROOT
from etl.serve.warm import build_scopes


def main() -> None:
    threading.Thread(target=build_scopes, name="warm-scopes", daemon=True).start()
    sys.argv = ["streamlit", "run", str(ROOT / "dashboard" / "app.py"), *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
