"""Chinese-aware unit names: what is the same name, and what is the same unit of a place."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from etl.reference.places import infer_province

# Written two ways, meaning one thing.
SYNONYMS = (("广电", "广播电视"), ("融媒中心", "融媒体中心"))
# A place's broadcaster or media centre: the same unit before and after the county reform
# (安吉县广播电视台 → 安吉县融媒体中心), so the name without its ending names the unit.
STATION_ENDINGS = (
    "广播电视总台", "广播电视集团", "广播电视台", "融媒体中心", "新闻传媒中心", "传媒集团",
    "新闻集团", "传媒中心",
)  # fmt: skip
NETWORK_ENDINGS = ("广播电视网络股份有限公司", "广播电视网络")
COPY_TAG = re.compile(r"·\d+$")  # the benchmark's copies of the world: 温岭市融媒体中心·2


@dataclass(frozen=True)
class NameParts:
    norm: str  # the name as compared: synonyms unified, own province in front left out
    family: str  # station | network | other
    stem: str  # a station's or network's name without its ending: 安吉县; else the whole name
    head: str  # the first two characters and any copy tag, to block comparisons on


def parts(name: str, province: str | None) -> NameParts:
    norm = normalise(name, province)
    tag = COPY_TAG.search(norm)
    suffix = tag.group() if tag else ""
    family, stem = _family(norm.removesuffix(suffix))
    return NameParts(norm, family, stem + suffix, norm[:2] + suffix)


def normalise(name: str, province: str | None) -> str:
    text = "".join(unicodedata.normalize("NFKC", name or "").split()).strip('"“”‘’《》「」')
    tag = COPY_TAG.search(text)
    suffix = tag.group() if tag else ""
    return _normalised(text.removesuffix(suffix), province) + suffix


@lru_cache(maxsize=65536)
def _normalised(text: str, province: str | None) -> str:
    for short, full in SYNONYMS:
        text = text.replace(short, full)
    return _without_own_province(text, province)


def _without_own_province(text: str, province: str | None) -> str:
    """浙江安吉新闻集团 → 安吉新闻集团, only where the rest still places in the same province
    (浙江广播电视集团 keeps its 浙江: without it no place is left)."""
    if not province:
        return text
    for prefix in (f"{province}省", province):
        rest = text.removeprefix(prefix)
        if rest != text and infer_province(rest).province == province:
            return rest
    return text


def _family(core: str) -> tuple[str, str]:
    for family, endings in (("network", NETWORK_ENDINGS), ("station", STATION_ENDINGS)):
        for ending in endings:
            if core.endswith(ending) and len(core) > len(ending):
                return family, core.removesuffix(ending)
    return "other", core
