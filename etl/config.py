"""Paths and settings, declared once.

Everything that locates a file or tunes a deployment lives here, as one table of settings
(name, environment variable, default, help), so the CLI, the loader, the dashboard and the
tests agree on one answer, and `python -m etl settings` can list them all.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"
SAMPLE_DIR = DATA_DIR / "sample"
SQL_DIR = ROOT / "sql"
DOCS_DIR = DATA_DIR / "docs"

SIMULATION_SEED = 20240315  # the 2024 notice's date: any fixed seed works, this one is memorable
SIMULATED_YEARS = tuple(range(2019, 2026))


@dataclass(frozen=True)
class Setting:
    name: str
    env: str  # the environment variable that sets it
    default: str | None  # a path relative to the project folder, a number, or None ("not set")
    help: str  # Chinese: what it is for


SETTINGS = {
    s.name: s
    for s in (
        Setting("db", "CONVERGENCE_DB", "data/warehouse.duckdb", "数据仓库文件（DuckDB）"),
        Setting(
            "users",
            "CONVERGENCE_USERS",
            "data/users.toml",
            "看板用户文件（由 python -m etl user 维护；没有用户时看板以演示模式运行）",
        ),
        Setting("audit", "CONVERGENCE_AUDIT", "data/audit.duckdb", "审计日志文件（DuckDB）"),
        Setting(
            "unit_aliases",
            "CONVERGENCE_UNIT_ALIASES",
            "data/reference/unit_aliases.csv",
            "单位名称的人工决定（别名 → 规范名称，合并或不合并）；每次重建仓库都沿用",
        ),
        Setting(
            "max_file_mb",
            "CONVERGENCE_MAX_FILE_MB",
            "200",
            "导入或上传的单个文件大小上限（MB）；超过的文件整表拒收，并说明上限",
        ),
        Setting(
            "max_unzipped_mb",
            "CONVERGENCE_MAX_UNZIPPED_MB",
            "1000",
            "Excel 文件（.xlsx 是压缩包）解压后的大小上限（MB），读取之前按压缩包目录检查",
        ),
        Setting(
            "trusted_header",
            "CONVERGENCE_TRUSTED_HEADER",
            None,
            "登录代理传递用户名的请求头（如 X-Remote-User）；只在会清除客户端同名请求头的代理之后使用",
        ),
        Setting(
            "geojson",
            "CONVERGENCE_GEOJSON",
            None,
            "省级行政区划 GeoJSON 文件路径（要素属性 adcode 为六位行政区划代码）。设置后，"
            "地区分布页增加行政区划图；须同时设置审图号，否则不显示。",
        ),
        Setting(
            "map_review_no",
            "CONVERGENCE_MAP_REVIEW_NO",
            None,
            "上述地图的审图号（如 GS(2024)0650号），显示在地图下方。",
        ),
    )
}


def env_var(name: str) -> str:
    """The environment variable of a setting (CONVERGENCE_DB for "db")."""
    return SETTINGS[name].env


def setting(name: str) -> str | None:
    """The setting's value: its environment variable when set (and not blank), else its default."""
    value = os.environ.get(SETTINGS[name].env, "").strip()
    return value or SETTINGS[name].default


def setting_path(name: str, explicit: str | os.PathLike | None = None) -> Path:
    """A path setting: an explicit value wins, then the environment (both relative to the
    working folder), then the default (relative to the project folder)."""
    given = explicit or os.environ.get(env_var(name), "").strip()
    if given:
        return _resolved(str(given), os.getcwd())
    return _resolved(str(ROOT / SETTINGS[name].default), os.getcwd())


@lru_cache(maxsize=256)
def _resolved(given: str, cwd: str) -> Path:
    """The absolute path, resolved once per working folder: a served page asks for the
    warehouse's path on every rerun, and resolving walks every folder of it (4% of a worker's
    time under 25 sessions). The warehouse is swapped in by rename, never by a new symlink."""
    return (Path(cwd) / Path(given).expanduser()).resolve()


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """The warehouse file: --db wins, then $CONVERGENCE_DB, then data/warehouse.duckdb."""
    return setting_path("db", explicit)


def docs_dir(db: Path) -> Path:
    """Each run's quality report (validation_report.py) lives beside the warehouse it describes."""
    return db.parent / "docs"


class SettingError(ValueError):
    """A setting whose value cannot be used; the message (Chinese) names it and its variable."""


def setting_mb(name: str) -> int:
    """A size setting in MB as bytes; a value that is not a positive number is refused."""
    value = setting(name) or ""
    try:
        megabytes = float(value)
    except ValueError:
        megabytes = 0.0
    if not megabytes > 0 or megabytes == float("inf"):
        raise SettingError(f"设置 {name}（环境变量 {env_var(name)}）须为正数（MB），现为“{value}”")
    return int(megabytes * 2**20)
