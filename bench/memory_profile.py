"""Where `load`'s memory goes: peak RSS during each stage of one load, in a fresh process.

    .venv/bin/python -m bench.memory_profile --scale 100

A thread samples the process's resident set every 20 ms; the load's stages (etl/pipeline/load.py:
read and normalise every file, the gate, staging, build and publish, Data Docs) are marked by
wrapping them, so each sample is counted against the stage running then.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from pathlib import Path

from bench.common import export_files, sample_dir

STAGES = {
    "_read_all": "读取与规范化（全部文件）",
    "_validate": "质量检查（GX）",
    "stage_file": "暂存",
    "_publish": "构建与发布（DuckDB）",
    "_write_docs": "数据文档",
}


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def profile(scale: int) -> dict[str, float]:
    from etl.pipeline import load as loader

    current = {"stage": "其他（导入模块、仓库状态、收尾）"}
    peaks: dict[str, float] = {}
    for name, label in STAGES.items():
        setattr(loader, name, _marked(getattr(loader, name), label, current))
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            stage = current["stage"]
            peaks[stage] = max(peaks.get(stage, 0.0), _rss_mb())
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    files = export_files(sample_dir(scale))
    with tempfile.TemporaryDirectory() as folder:
        loader.load(files, Path(folder) / "warehouse.duckdb", progress=False)
    done.set()
    sampler.join()
    return peaks


def _marked(function, label: str, current: dict):
    def wrapper(*args, **kwargs):
        before, current["stage"] = current["stage"], label
        try:
            return function(*args, **kwargs)
        finally:
            current["stage"] = before

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.memory_profile")
    parser.add_argument("--scale", type=int, default=100)
    args = parser.parse_args()
    peaks = profile(args.scale)
    print("| scale | stage | peak RSS during it (MB) |\n|---:|---|---:|")
    for stage, peak in peaks.items():
        print(f"| {args.scale} | {stage} | {peak:,.0f} |")


if __name__ == "__main__":
    main()
