"""A year's entries: who submits how often, in which track or category, when, with what
title; which of them the provincial bureaus recommend (within the 2024+ quota); their ids."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta

import numpy as np

from etl.reference.geography import provinces
from etl.reference.programme import YearRules
from etl.simulate.records import Sub, Year
from etl.simulate.titles import case_title
from etl.simulate.units import MUNICIPALITIES, PROVINCE_WEIGHT, Unit

# (submissions, distinct units) per year at scale 1: growth 300 → 450 under three tracks, then
# 230 institutions in 2024 (published) and about as many in 2025 (assumed).
YEAR_SIZE = {
    2019: (300, 250),
    2020: (340, 282),
    2021: (380, 312),
    2022: (420, 345),
    2023: (450, 368),
    2024: (280, 230),
    2025: (292, 240),
}
KIND_SHARE = {"county": 0.45, "city": 0.25, "provincial": 0.20, "central": 0.05, "company": 0.05}
SUBS_PER_UNIT = {"county": 1.05, "city": 1.13, "provincial": 1.87, "central": 2.33, "company": 1.17}
MAX_PER_UNIT = {"county": 3, "city": 3, "provincial": 4, "central": 3, "company": 2}
MUNICIPAL_BOOST = 1.6  # 北京 上海 天津 重庆 have no 地市级 units: their districts submit more
KIND_BONUS = {"central": 0.5, "provincial": 0.3, "city": 0.1, "county": -0.05, "company": -0.1}
REGION_BONUS = {"东部": 0.15, "中部": 0.0, "西部": -0.05, "东北": -0.1}  # winners lean east
# 先导单位 / 典型案例 / 成长项目: about 20 / 45 / 35 overall; pilots are mostly big broadcasters.
TRACK_MIX = {
    "central": (0.50, 0.35, 0.15),
    "provincial": (0.50, 0.35, 0.15),
    "city": (0.25, 0.42, 0.33),
    "county": (0.18, 0.44, 0.38),
    "company": (0.0, 0.40, 0.60),
}
CATEGORY_MIX = (0.26, 0.32, 0.22, 0.20)
REGION = {p["province"]: p["region"] for p in provinces()}


def draw_submissions(
    rules: YearRules, pool: tuple[Unit, ...], rng: np.random.Generator, scale: int
) -> list[Sub]:
    """Who submits this year and how often: units drawn by kind, then cases per unit."""
    n_subs, n_units = (n * scale for n in YEAR_SIZE[rules.year])
    subs: list[Sub] = []
    for kind, (k_subs, k_units) in _kind_plan(n_subs, n_units).items():
        members = [u for u in pool if u.kind == kind]
        chosen = _weighted_sample(members, k_units, rng)
        for unit, count in zip(chosen, _spread(chosen, k_subs, kind, rng), strict=True):
            subs += _unit_subs(unit, count, rules, rng, len(subs))
    return subs


def _kind_plan(n_subs: int, n_units: int) -> dict[str, tuple[int, int]]:
    """kind -> (submissions, distinct units); county centres absorb the rounding."""
    subs = {k: round(n_subs * share) for k, share in KIND_SHARE.items()}
    subs["county"] += n_subs - sum(subs.values())
    units = {k: max(1, round(subs[k] / SUBS_PER_UNIT[k])) for k in KIND_SHARE}
    units["county"] += n_units - sum(units.values())
    return {k: (subs[k], units[k]) for k in KIND_SHARE}


def _weighted_sample(members: list[Unit], k: int, rng: np.random.Generator) -> list[Unit]:
    """k distinct units, by activity and (for local units) by the province's weight."""
    if k > len(members):
        raise ValueError(f"unit pool too small: {k} wanted, {len(members)} available")
    per_province: dict[str, int] = {}
    for u in members:
        per_province[u.province] = per_province.get(u.province, 0) + 1
    weights = np.array([u.activity * _province_share(u, per_province) for u in members])
    keys = rng.random(len(members)) ** (1 / weights)  # Efraimidis–Spirakis
    chosen = np.sort(np.argsort(-keys, kind="stable")[:k])
    return [members[int(i)] for i in chosen]


def _province_share(unit: Unit, per_province: dict[str, int]) -> float:
    """A local unit's share of its province's weight; municipalities have no 地市级 units, so
    their districts carry that share too. Central units and companies: no province weight."""
    if unit.kind not in ("county", "city", "provincial"):
        return 1.0
    boost = MUNICIPAL_BOOST if unit.kind == "county" and unit.province in MUNICIPALITIES else 1
    return boost * PROVINCE_WEIGHT[unit.province] / per_province[unit.province]


def _spread(units: list[Unit], total: int, kind: str, rng: np.random.Generator) -> list[int]:
    """Cases per unit: one each, the rest to the keener units, at most MAX_PER_UNIT each."""
    counts = np.ones(len(units), dtype=int)
    activity = np.array([u.activity for u in units])
    for _ in range(total - len(units)):
        open_ = activity * (counts < MAX_PER_UNIT[kind])
        counts[rng.choice(len(units), p=open_ / open_.sum())] += 1
    return counts.tolist()


def _unit_subs(
    unit: Unit, count: int, rules: YearRules, rng: np.random.Generator, first_key: int
) -> list[Sub]:
    tracks, categories = _tracks(unit, count, rules, rng), _categories(count, rules, rng)
    bonus = KIND_BONUS[unit.kind] + REGION_BONUS.get(REGION[unit.province], 0.0)
    bonus += unit.quality + unit.trend * (rules.year - 2022)
    return [
        Sub(
            key=first_key + i,
            unit=unit,
            track=tracks[i],
            category=categories[i],
            quality=float(bonus + rng.normal(0, 0.7)),
            submitted_at=_submitted_at(rules.deadline, rng),
            chars=_chars(rng),
            year=rules.year,
        )
        for i in range(count)
    ]


def _tracks(unit: Unit, count: int, rules: YearRules, rng: np.random.Generator) -> list[str]:
    """A unit enters 先导单位 at most once a year (it is the whole organisation)."""
    if len(rules.tracks) == 1:
        return [rules.tracks[0]] * count
    pilot, case, _ = TRACK_MIX[unit.kind]
    draws = rng.random(count).tolist()
    first = 0 if draws[0] < pilot else 1 if draws[0] < pilot + case else 2
    rest = [1 if u < case / (1 - pilot) else 2 for u in draws[1:]]
    return [rules.tracks[i] for i in (first, *rest)]


def _categories(count: int, rules: YearRules, rng: np.random.Generator) -> list[str]:
    """A unit's cases of one year fall in different categories (2024+)."""
    if not rules.categories:
        return [""] * count
    picks = rng.choice(len(rules.categories), count, replace=False, p=CATEGORY_MIX)
    return [rules.categories[int(i)] for i in picks]


def _submitted_at(deadline: date, rng: np.random.Generator) -> datetime:
    """Most entries come in the last fortnight, in working hours and evenings."""
    day = deadline - timedelta(days=min(int(rng.exponential(9)), 55))
    seconds = int(rng.integers(8 * 3600, 23 * 3600 + 1800))
    return datetime.combine(day, time()) + timedelta(seconds=seconds)


def _chars(rng: np.random.Generator) -> int:
    """Material length: mostly 2,000–4,990 characters, leaning long; a few short ones."""
    if rng.random() < 0.05:
        return int(rng.integers(1200, 2000))
    return 2000 + int(rng.beta(2.2, 1.3) * 2990)


def recommend(subs: list[Sub], rules: YearRules, rng: np.random.Generator, scale: int) -> None:
    """Provincial bureaus pass most entries on; from 2024 within the notice's quota."""
    if rules.quota is None:
        for s in subs:
            p = 0.97 if s.unit.kind == "central" else np.clip(0.85 + 0.08 * s.quality, 0.55, 0.98)
            s.recommended = bool(rng.random() < p) or s.pin[0] > 0
        return
    groups: dict[str, list[Sub]] = {}
    for s in subs:  # a province recommends; each central unit recommends for itself
        group = s.unit.name if s.unit.kind == "central" else s.unit.province
        groups.setdefault(group, []).append(s)
    for group in sorted(groups):
        central = groups[group][0].unit.kind == "central"
        q = rules.quota
        limits = (
            (q.central_per_category, q.central_total)
            if central
            else (q.province_per_category * scale, q.province_total * scale)
        )
        _recommend_group(groups[group], limits, rng)


def _recommend_group(subs: list[Sub], limits: tuple[int, int], rng: np.random.Generator) -> None:
    """The bureau picks its best entries first, and stops at the quota."""
    per_category: dict[str, int] = {}
    total = 0
    for s in sorted(subs, key=lambda s: (-s.pin[0], -s.quality, s.key)):  # public facts first
        room = per_category.get(s.category, 0) < limits[0] and total < limits[1]
        s.recommended = bool(room and (rng.random() < 0.93 or s.pin[0] > 0))
        if s.recommended:
            per_category[s.category] = per_category.get(s.category, 0) + 1
            total += 1


def give_titles(subs: list[Sub], year: int, rng: np.random.Generator, taken: set[str]) -> None:
    """Case titles, each used once in the whole world (`taken` holds those of earlier years);
    a published title stays as published."""
    taken.update(s.title for s in subs if s.title)
    for s in subs:
        if s.title:
            continue
        for attempt in itertools.count():
            title = case_title(rng, s.unit, year, s.category or s.track)
            title += f"({attempt})" if attempt > 50 else ""  # never at scale 1; a safety net
            if title not in taken:
                break
        taken.add(title)
        s.title = title


def assign_ids(sim: Year, rng: np.random.Generator) -> None:
    """Platform ids in order of submission, with the gaps that withdrawn drafts leave."""
    number = 0
    sim.rows = sorted(sim.subs, key=lambda s: (s.submitted_at, s.key))
    for s in sim.rows:
        number += 1 + (int(rng.integers(1, 4)) if rng.random() < 0.15 else 0)
        s.sid = f"{sim.rules.year}-{number:06d}"
