"""Shared bits of the benchmarks: where work files go, and how one command is measured."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from etl.config import ROOT

WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results.md"


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_rss_mb: float
    exit: int


def measure(command: list[str]) -> Measured:
    """Run `python bench/measure.py OUT command…` in a fresh process; its time and peak RSS."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        proc = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "measure.py"), out.name, *command],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{proc.stderr[-3000:]}")
        return Measured(**json.loads(Path(out.name).read_text()))


def sample_dir(scale: int) -> Path:
    """Simulated exports at a scale, generated once and reused by later bench runs."""
    out = WORK / f"scale_{scale}"
    marker = out / ".complete"
    if not marker.exists():
        out.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "etl",
                "--quiet",
                "simulate",
                "--scale",
                str(scale),
                "--out",
                str(out),
            ],
            cwd=ROOT,
            check=True,
        )
        marker.touch()
    return out


def export_files(folder: Path) -> list[Path]:
    order = {"submissions": 0, "scores": 1, "outcomes": 2}
    found = [p for p in folder.iterdir() if p.suffix in (".csv", ".xlsx")]
    return sorted(found, key=lambda p: (order.get(p.stem.split("_")[0], 9), p.name))
