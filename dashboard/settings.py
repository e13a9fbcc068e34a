"""Deployment settings of the dashboard, declared once, read from the environment.

Only what a deployer may change lives here; paths of the warehouse and data are in
etl.config, shared with the loader.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    env: str
    help: str


GEOJSON = Setting(
    "CONVERGENCE_GEOJSON",
    "省级行政区划 GeoJSON 文件路径（要素属性 adcode 为六位行政区划代码）。设置后，"
    "地区分布页增加行政区划图；须同时设置审图号，否则不显示。",
)
MAP_REVIEW_NO = Setting(
    "CONVERGENCE_MAP_REVIEW_NO",
    "上述地图的审图号（如 GS(2024)0650号），显示在地图下方。",
)


def get(setting: Setting) -> str | None:
    value = os.environ.get(setting.env, "").strip()
    return value or None


def choropleth() -> tuple[Path, str] | None:
    """(GeoJSON path, 审图号) when a deployer configured a reviewed map, else None."""
    path, review_no = get(GEOJSON), get(MAP_REVIEW_NO)
    if not path or not review_no:
        return None
    return Path(path).expanduser(), review_no
