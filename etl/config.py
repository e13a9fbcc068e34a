"""Paths and settings, declared once.

Everything that locates a file or tunes a run lives here, so the CLI, the loader, the
dashboard and the tests agree on one answer.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"
SAMPLE_DIR = DATA_DIR / "sample"
SQL_DIR = ROOT / "sql"
DOCS_DIR = DATA_DIR / "docs"

DEFAULT_DB = DATA_DIR / "warehouse.duckdb"
DB_ENV_VAR = "CONVERGENCE_DB"

SIMULATION_SEED = 20240315  # the 2024 notice's date: any fixed seed works, this one is memorable
SIMULATED_YEARS = tuple(range(2019, 2026))


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """The warehouse file: --db wins, then $CONVERGENCE_DB, then data/warehouse.duckdb."""
    chosen = explicit or os.environ.get(DB_ENV_VAR) or DEFAULT_DB
    return Path(chosen).expanduser().resolve()


def docs_dir(db: Path) -> Path:
    """Great Expectations Data Docs live beside the warehouse they describe."""
    return db.parent / "docs"
