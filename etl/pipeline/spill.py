"""A run's tables kept on disk between stages, so that a load holds one file's rows at a time.

A load reads every file before it validates any (rules span files: a score names a submission
of another file), and validates every file before it stages any (a quarantine needs the whole
report). Held in memory, every file's text and typed frames sat there through all of it: 1.6 GB
at --scale 100. Spilled, a table is its metadata plus a folder of Arrow files; each `.frame` reads
its file again (about 30 ms for 250k rows) and the frame is dropped when the caller is done with
it, so the peak is the largest file's working set, not the sum of all files.

The folder lives as long as the run that holds it (see Spill): a `check` caller may still read the
tables to write its 问题行 workbook after the run has returned.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, fields
from pathlib import Path

import polars as pl

from etl.pipeline.normalise import Normalised
from etl.pipeline.read import RawTable, sheet_label
from etl.reference.contract import ExportSpec

_RAW_FRAMES = ("frame", "skipped")
# A run's folder is named for its process: etl-run-<pid>-<random>. A load killed outright (or a
# server stopped without its exit handlers) leaves its folder, as large as its input; the next
# run removes the folders of processes that no longer exist. Folders of an older naming, without
# a pid, are removed once they are a day old.
_NAMED = re.compile(r"etl-run-(\d+)-")
_UNNAMED_AFTER = 24 * 3600


@dataclass(frozen=True)
class SpilledRaw:
    """A RawTable whose `frame` and `skipped` are read from `folder` each time they are asked."""

    path: Path
    spec: ExportSpec
    headers: dict[str, str]
    encoding: str
    sha256: str
    extra_columns: tuple[str, ...]
    notes: tuple[str, ...]
    sheet: str | None
    folder: Path

    @property
    def frame(self) -> pl.DataFrame:
        return _read(self.folder, "raw")

    @property
    def skipped(self) -> pl.DataFrame:
        return _read(self.folder, "skipped")

    @property
    def name(self) -> str:
        return sheet_label(self.path, self.sheet)


@dataclass(frozen=True)
class SpilledTable:
    """A Normalised table whose frames wait on disk (see the module's docstring)."""

    raw: SpilledRaw

    @property
    def spec(self) -> ExportSpec:
        return self.raw.spec

    @property
    def frame(self) -> pl.DataFrame:
        return _read(self.raw.folder, "typed")

    @property
    def fixes(self) -> pl.DataFrame:
        return _read(self.raw.folder, "fixes")


class Spill:
    """A temporary folder for one run's tables, removed when the run that holds it is garbage
    (or at the interpreter's exit; after a killed load, by the system's temporary-file cleaner)."""

    def __init__(self) -> None:
        remove_orphans()
        self._folder = tempfile.TemporaryDirectory(prefix=f"etl-run-{os.getpid()}-")
        self._count = 0

    def put(self, table: Normalised | SpilledTable) -> SpilledTable:
        """The table written to its own subfolder; the caller drops the in-memory frames."""
        self._count += 1
        folder = Path(self._folder.name) / str(self._count)
        folder.mkdir()
        raw = table.raw
        for name, frame in (("raw", raw.frame), ("skipped", raw.skipped),
                            ("typed", table.frame), ("fixes", table.fixes)):  # fmt: skip
            frame.write_ipc(folder / f"{name}.arrow", compression="lz4")
        kept = {f.name: getattr(raw, f.name) for f in fields(RawTable) if f.name not in _RAW_FRAMES}
        return SpilledTable(SpilledRaw(**kept, folder=folder))


def remove_orphans(folder: Path | None = None) -> list[Path]:
    """Remove the run folders left in the temporary folder by processes that have gone; the
    folders removed. A folder of a living process (a load or a check running now) is kept."""
    removed = []
    for path in Path(folder or tempfile.gettempdir()).glob("etl-run-*"):
        if path.is_dir() and _orphaned(path):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _orphaned(path: Path) -> bool:
    if named := _NAMED.match(path.name):
        try:
            os.kill(int(named.group(1)), 0)
        except ProcessLookupError:
            return True
        except (PermissionError, OverflowError):
            return False  # another user's process, alive
        return False
    try:
        return time.time() - path.stat().st_mtime > _UNNAMED_AFTER
    except OSError:
        return False


def in_memory(table: SpilledTable) -> Normalised:
    """The table with its frames read back, for a step that must change them."""
    raw = table.raw
    kept = {f.name: getattr(raw, f.name) for f in fields(RawTable)}
    return Normalised(RawTable(**kept), table.frame, table.fixes)


def _read(folder: Path, name: str) -> pl.DataFrame:
    return pl.read_ipc(folder / f"{name}.arrow")  # lz4: copied out, never a mapping
