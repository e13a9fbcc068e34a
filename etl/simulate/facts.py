"""The public facts the demo world holds, placed as themselves (scale 1 only).

PROGRAMME.md and published_facts.csv (here data/reference/published_items.csv) say which units
were selected in which year, track and category, and a few provincial counts a reader knows.
Each becomes a pin on a submission: how far it must and may go (records.Sub.pin), which the
review honours stage by stage. The units a fact does not name are chosen from the pool by a
rule (a province's first county centre …), the same on every run.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

from etl.config import REFERENCE_DIR
from etl.reference.programme import YearRules
from etl.simulate.records import Sub
from etl.simulate.units import Unit

PUBLISHED_ITEMS = REFERENCE_DIR / "published_items.csv"
SELECTED, FINALIST = (4, 4), (3, 3)
# A pinned winner is good enough to win on its scores; 苏州 ranked first of the 2019 pilots.
QUALITY = {SELECTED: 3.4, FINALIST: 0.5}  # a finalist that ranks below the cut-off
FIRST_PLACE = {(2019, "苏州广播电视总台"): 4.4}
# Provinces whose count is public: the rest of their entries that year go at most this far.
CAPPED = {(2024, "浙江"): (2, 0.0), (2023, "陕西"): (3, 1.0)}  # (highest reach, quality cap)
# 浙江 2024: five finalists, two selected (温岭 and the provincial group); three more finalists.
ZHEJIANG_2024 = (("浙江广播电视集团", "新媒体平台建设"),)
ZHEJIANG_FINALISTS = 3


@dataclass(frozen=True)
class Placement:
    year: int
    track: str
    category: str
    unit: str  # the unit's own name in the pool
    title: str = ""
    reach: tuple[int, int] = SELECTED


def published_items() -> list[dict[str, str]]:
    """The selected items whose names are public, with their source (one row each)."""
    with PUBLISHED_ITEMS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def placements(pool: tuple[Unit, ...]) -> list[Placement]:
    """Every pinned submission of the demo world: the published items, then the stories."""
    own = {u.name: u.name for u in pool} | {w[1]: u.name for u in pool for w in u.written_as}
    published = [
        Placement(int(r["年度"]), r["申报类型"], r["申报类别"], own[r["申报单位"]], r["案例名称"])
        for r in published_items()
    ]
    return (
        published
        + _stories(pool)
        + [Placement(2024, "典型案例", category, unit) for unit, category in ZHEJIANG_2024]
    )


def _stories(pool: tuple[Unit, ...]) -> list[Placement]:
    """2023's other six pilots (陕西 2, 福建 2; levels 中央 1 省级 4 地市级 2 县级 3; east 5,
    west 3), five of them grown from 成长项目 through 典型案例; and 陕西's two other 2023 items."""
    taken = {"安吉新闻集团", "温岭市融媒体中心", "尤溪县融媒体中心", "赤壁市融媒体中心"}
    taken |= {"苏州广播电视总台", "无锡广播电视集团"}
    grown = [
        _first(pool, "county", "陕西", taken),
        _first(pool, "county", "浙江", taken),
        _first(pool, "county", "四川", taken),
        _first(pool, "city", "福建", taken),
        _first(pool, "city", "江苏", taken),
    ]
    paths = ((2019, 2021), (2020, 2022), (2019, 2022), (2020, 2021), (2019, 2021))
    out = []
    for unit, (growth, case) in zip(grown, paths, strict=True):
        out += [
            Placement(growth, "成长项目", "", unit),
            Placement(case, "典型案例", "", unit),
            Placement(2023, "先导单位", "", unit),
        ]
    return out + [
        Placement(2023, "先导单位", "", "陕西广播电视台"),
        Placement(2023, "典型案例", "", _first(pool, "city", "陕西", taken)),
        Placement(2023, "成长项目", "", "陕西广电网络股份有限公司"),
    ]


def _first(pool: tuple[Unit, ...], kind: str, province: str, taken: set[str]) -> str:
    """The province's first unit of that kind not yet in a story (a generated name)."""
    unit = next(
        u for u in pool if u.kind == kind and u.province == province and u.name not in taken
    )
    taken.add(unit.name)
    return unit.name


def place_facts(subs: list[Sub], rules: YearRules, pool: tuple[Unit, ...]) -> None:
    """Pin this year's facts on its submissions, before the bureaus recommend."""
    by_name = {u.name: u for u in pool}
    for p in (p for p in placements(pool) if p.year == rules.year):
        chosen = _entry(subs, by_name[p.unit], p, rules)
        _pin(chosen, p)
        for s in subs:  # a published list names a unit once
            if (
                s.unit is chosen.unit
                and s.pin == (0, 4)
                and (s.track, s.category) == (p.track, p.category)
            ):
                s.pin = (0, 3)
    if rules.year == 2024:
        _zhejiang_finalists(subs)
    for (year, province), (highest, ceiling) in CAPPED.items():
        if year == rules.year:
            for s in subs:
                if s.unit.province == province and s.pin == (0, 4):
                    s.pin, s.quality = (0, highest), min(s.quality, ceiling)


def _pin(s: Sub, p: Placement) -> None:
    s.track, s.category, s.title, s.pin = p.track, p.category, p.title, p.reach
    s.quality = FIRST_PLACE.get((p.year, p.unit), QUALITY[p.reach])


def _zhejiang_finalists(subs: list[Sub]) -> None:
    mine = [s for s in subs if s.unit.province == "浙江" and s.pin == (0, 4)]
    for s in sorted(mine, key=lambda s: (-s.quality, s.key))[:ZHEJIANG_FINALISTS]:
        s.pin, s.quality = FINALIST, QUALITY[FINALIST]


def _entry(subs: list[Sub], unit: Unit, p: Placement, rules: YearRules) -> Sub:
    """The unit's submission that will carry the fact: one of its own this year, else one taken
    over from a unit of the same kind that submits once (so the year's counts stay as they are)."""
    own = [s for s in subs if s.unit is unit and s.pin == (0, 4)]
    if own:
        _make_room(subs, own[0], unit, p)
        return own[0]
    once = _submits_once(subs)
    donor = next(
        (s for s in reversed(subs) if s.unit.kind == unit.kind and s.unit.key in once),
        next(s for s in reversed(subs) if s.unit.key in once),
    )
    donor.unit = unit
    return donor


def _submits_once(subs: list[Sub]) -> set[int]:
    count: dict[int, int] = {}
    for s in subs:
        count[s.unit.key] = count.get(s.unit.key, 0) + 1
    pinned = {s.unit.key for s in subs if s.pin != (0, 4)}
    return {k for k, n in count.items() if n == 1 and k not in pinned}


def _make_room(subs: list[Sub], chosen: Sub, unit: Unit, p: Placement) -> None:
    """A unit enters 先导单位 once a year and each category once: a sibling gives way."""
    for s in subs:
        if s.unit is unit and s is not chosen:
            if p.track == "先导单位" and s.track == "先导单位":
                s.track = "典型案例"
            if p.category and s.category == p.category:
                s.category = chosen.category
