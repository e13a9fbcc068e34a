"""Issue 16: at --scale 100, 100 protocol sessions froze one worker for good (server CPU 0.03
cores, every session's rerun past its 60 s timeout). A native stack dump of the frozen worker
(py-spy dump --native) showed the cycle: a session's thread holding the GIL inside
DataFrame.to_pandas, waiting for Polars' thread pool; both pool threads waiting for the GIL, to
run the Python function of another session's map_elements (states.masked's thousands
separators). Every other thread waited for the GIL.

So nothing a served page runs may put Python inside Polars' pool (map_elements), or hold the
GIL while it waits for that pool (to_pandas).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from etl.present import states

ROOT = Path(__file__).resolve().parents[1]
# What a served page runs: the pages, what they present with, read through and serve with.
SERVED = ("dashboard", "etl/present", "etl/access", "etl/serve")
# A Python function inside Polars' pool, or the GIL held while waiting for it.
FREEZES = re.compile(r"\.(map_elements|map_rows|map_batches|apply|to_pandas)\(")

# Two sessions' threads writing a masked table (as 总览's 历年概况 does) beside a third that
# holds the GIL while it waits for Polars' pool, as the quality page's to_pandas did. Before
# the fix this froze within a second or two; it must run to its end.
_BESIDE_TO_PANDAS = """
import threading, time
import polars as pl
from etl.present import states

years = pl.DataFrame({f"n{i}": range(7) for i in range(6)}).with_columns(
    result_status=pl.Series(["published"] * 6 + ["withheld"])
)
n = 200_000
wide = pl.DataFrame({"a": range(n), "b": [f"单位{i}" for i in range(n)], "c": [i / 7 for i in range(n)]})
until = time.monotonic() + 3

def mask():
    while time.monotonic() < until:
        states.masked(years, ["n0", "n1"], [f"n{i}" for i in range(2, 6)])

def hold_gil():
    while time.monotonic() < until:
        wide.to_pandas()

threads = [threading.Thread(target=t) for t in (mask, mask, hold_gil)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("done")
"""


def test_masked_tables_run_beside_a_thread_that_holds_the_gil():
    try:
        out = subprocess.run(
            [sys.executable, "-c", _BESIDE_TO_PANDAS],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("states.masked froze beside a thread waiting for Polars' pool (GIL cycle)")
    assert out.stdout.strip() == "done", out.stderr[-2000:]


def test_no_served_code_puts_python_in_polars_pool():
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for folder in SERVED
        for path in sorted((ROOT / folder).rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if FREEZES.search(line) and not line.lstrip().startswith("#")
    ]
    assert found == []


@pytest.mark.parametrize(
    ("values", "shown"),
    [
        ([12345, None, 7], ["12,345", None, "未公布"]),
        ([1_000_000, 0, 3], ["1,000,000", "0", "未公布"]),
    ],
)
def test_masked_counts_keep_their_separators(values, shown):
    frame = pl.DataFrame({"selected": values, "result_status": ["published"] * 2 + ["withheld"]})
    assert states.masked(frame, ["selected"], [])["selected"].to_list() == shown
