"""Run one Python module or script in this process and report its wall time and peak RSS.

    python bench/measure.py OUT.json -m etl --db X load FILES...
    python bench/measure.py OUT.json bench/floor_read_csv.py FILES...

Each measurement is a fresh process, so peak RSS is that command's alone, and the time
includes interpreter start and imports, as a user at the terminal would see it.
"""

import json
import resource
import runpy
import sys
import time

started = time.perf_counter()


def main() -> None:
    out, *command = sys.argv[1:]
    code = 0
    try:
        if command[0] == "-m":
            sys.argv = [command[1], *command[2:]]
            runpy.run_module(command[1], run_name="__main__", alter_sys=True)
        else:
            sys.argv = command
            runpy.run_path(command[0], run_name="__main__")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with open(out, "w") as handle:
        json.dump({"seconds": seconds, "peak_rss_mb": peak, "exit": code}, handle)


main()
