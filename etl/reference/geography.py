"""Geography of the programme, read from data/reference/: the province-level submitters in
official order (with 兵团, 中央单位 and the regions that do not take part), their region groups
and tile positions, and every way a province is written (浙江省, 内蒙, Zhejiang).
"""

from __future__ import annotations

import csv
import unicodedata
from functools import cache

from etl.config import REFERENCE_DIR


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(REFERENCE_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def provinces() -> tuple[dict[str, str], ...]:
    """Province-level regions in official order, with 兵团, 中央单位 and the non-participants."""
    return tuple(sorted(_read_csv("provinces.csv"), key=lambda p: int(p["sort_order"])))


def _alias_key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().replace(" ", "").lower()


@cache
def province_aliases() -> dict[str, tuple[str, str]]:
    """alias key -> (province, kind); kind 'official' for names, 'colloquial'/'english' else."""
    table: dict[str, tuple[str, str]] = {}
    for p in provinces():
        if p["takes_part"] != "true":
            continue
        for name in (p["province"], p["name_full"], p["name_en"]):
            table[_alias_key(name)] = (p["province"], "official")
    for row in _read_csv("province_aliases.csv"):
        table[_alias_key(row["alias"])] = (row["province"], row["kind"])
    return table


def resolve_province(text: str) -> tuple[str, str] | None:
    """(province, kind) for a province as typed, or None when no alias matches."""
    return province_aliases().get(_alias_key(text))
