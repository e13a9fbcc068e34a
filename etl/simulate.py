"""Simulated exports (模拟数据) for 2019–2025, calibrated to the public facts in PROGRAMME.md.

One run writes, per year, the three exports a platform would give us (申报表, 评分表, 结果表)
in the formats bureaus really send: UTF-8 CSV with BOM, one year in GBK with Chinese dates,
one with slashed dates, three as real .xlsx. At scale 1 it also plants a short, documented
list of defects (defects.csv) for the quality gate to find. The same seed and scale give
byte-identical files.

How a year is made: a stable pool of units (etl.simulate_units) submits; provinces recommend
(within the 2024+ quota); experts with their own severity score every recommended case at
初评, the best ~60% go on to 复评, the finalists to 终评, and the best at 终评 are selected, to
the exact published counts.
"""

from __future__ import annotations

import csv
import gc
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path

import numpy as np
import xlsxwriter
from tqdm import tqdm
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from etl.config import SIMULATED_YEARS, SIMULATION_SEED
from etl.contract import OUTCOMES, SCORES, SUBMISSIONS, ExportSpec
from etl.reference import YearRules, programme, provinces
from etl.simulate_units import (
    CENTRAL,
    MUNICIPALITIES,
    PROVINCE_WEIGHT,
    Unit,
    case_title,
    unit_pool,
)

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
ADVANCE_SHARE = 0.6  # of the cases scored at 初评, the share that goes on to 复评
FINALISTS_PER_SELECTED = 2  # three-track years: about twice the selected reach 终评
# 2023 先导单位 as published: by level 中央 1, 省级 4, 市级 2, 县级 3; about 50% east, 30% west.
STRATA = {
    (2023, "先导单位"): (
        ("level", {"中央": 1, "省级": 4, "地市级": 2, "县级": 3}),
        ("region", {"东部": 5, "西部": 3, "中央单位": 1, "其他": 1}),
    )
}
# Criterion score = max × (BASE + QUALITY_SLOPE·quality + expert severity + noise).
BASE, QUALITY_SLOPE, NOISE, SEVERITY_SD, OUTLIER_SEVERITY = 0.70, 0.06, 0.035, 0.03, -0.22
EXPERT_POOL, PANEL = 150, {"初评": 90, "复评": 45, "终评": 21}
STAGE_DAYS = {"初评": (10, 20), "复评": (40, 15), "终评": (60, 3)}  # days after deadline, span
FINAL_ROUND_START = {2024: date(2024, 7, 23)}  # PROGRAMME.md: 乌鲁木齐, 23–25 July
XLSX = {("submissions", 2023), ("scores", 2023), ("outcomes", 2024)}
GBK = {("submissions", 2021), ("scores", 2021)}
DATE_STYLE = {2021: "chinese", 2022: "slash"}
OUTLIER_YEAR = 2024  # the one year the very severe expert serves (planted score.outlier)
QUOTA_EXCESS = ("江苏", "融合生产传播")  # 2024: five recommended in one category (planted)
DEFECT_COLUMNS = ("file", "row", "column", "value", "defect", "rule_id", "severity")
REGION = {p["province"]: p["region"] for p in provinces()}

Strata = tuple[tuple[str, dict[str, int]], ...]  # (attribute, slots per value) pairs


@dataclass(eq=False)  # identity: two submissions are never "equal"
class Sub:
    """One simulated submission, and how it is written (overrides and planted marks)."""

    key: int
    unit: Unit
    track: str
    category: str
    quality: float
    submitted_at: datetime
    chars: int
    recommended: bool = False
    title: str = ""
    sid: str = ""
    planted: bool = False  # touched by a planted defect or fix: never selected
    overrides: dict[str, str] = field(default_factory=dict)  # field -> text as written
    marks: list[Mark] = field(default_factory=list)


@dataclass(frozen=True)
class Mark:
    """A planted defect or fix on one cell; its row number is known only when written."""

    field: str
    defect: str
    rule_id: str
    severity: str


@dataclass(slots=True)
class ScoreRow:
    stage: str
    sub: Sub | None  # None only for a planted row that points to no submission
    sid: str  # set when sub is None; else the submission's id, known once ids are given
    expert: int
    points: list[float]  # in the rubric's criterion order
    total: float
    scored_at: datetime
    marks: tuple[Mark, ...] = ()


@dataclass(frozen=True)
class Experts:
    ids: tuple[str, ...]
    provinces: tuple[str, ...]
    severity: np.ndarray
    outlier: int


@dataclass
class Year:
    rules: YearRules
    subs: list[Sub]
    scores: list[ScoreRow]
    reached: dict[str, list[Sub]]  # stage -> the submissions scored at it
    selected: list[Sub]
    panels: dict[str, np.ndarray]  # stage -> the experts who serve at it
    rows: list[Sub] = field(default_factory=list)  # the submissions file, in order
    marks: list[tuple[str, Mark, str]] = field(default_factory=list)  # (kind, mark, value)


def simulate(out_dir: Path, scale: int = 1, seed: int = SIMULATION_SEED) -> list[Path]:
    """Write the simulated exports of every year into out_dir; return the files written.

    Scale N gives N× the units, submissions, finalists, selected and score rows per year,
    every file as CSV and no planted defects (a benchmark, not a demo).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    pool, experts = unit_pool(seed, scale), _experts(seed)
    written, defects = [], []
    with _without_cycle_collector():
        for year in tqdm(SIMULATED_YEARS, desc="模拟数据", unit="年", disable=None):
            sim = _simulate_year(programme()[year], pool, experts, seed, scale)
            files, found = _write_year(out_dir, sim, experts, scale)
            written += files
            defects += found
    if scale == 1:
        written.append(_write_defects(out_dir / "defects.csv", defects))
    return written


@contextmanager
def _without_cycle_collector() -> Iterator[None]:
    """Millions of small row objects, none in a cycle: the cycle collector only re-scans them
    (it halves the time of a scale-100 run). Reference counting still frees them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _rng(seed: int, *keys: int) -> np.random.Generator:
    return np.random.default_rng([seed, *keys])


# --- experts --------------------------------------------------------------------------------


def _experts(seed: int) -> Experts:
    """~150 reviewers: a third from 北京, some from central units, the rest spread by province."""
    rng = _rng(seed, 7)
    others = [p["province"] for p in provinces() if p["takes_part"] == "true"]
    others = [p for p in others if p not in ("北京", CENTRAL)]
    weights = np.array([PROVINCE_WEIGHT[p] for p in others])
    home = ["北京"] * 45 + [CENTRAL] * 12
    draws = rng.choice(len(others), EXPERT_POOL - len(home), p=weights / weights.sum())
    home += [others[int(i)] for i in draws]
    home = [home[int(i)] for i in rng.permutation(len(home))]
    severity = rng.normal(0, SEVERITY_SD, len(home))
    outlier = int(rng.choice([i for i, p in enumerate(home) if p not in ("北京", CENTRAL)]))
    severity[outlier] = OUTLIER_SEVERITY
    return Experts(tuple(f"E{i + 1:03d}" for i in range(len(home))), tuple(home), severity, outlier)


def _panels(year: int, experts: Experts, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Who reviews at each stage this year; the severe expert only serves in OUTLIER_YEAR."""
    regular = np.array([i for i in range(len(experts.ids)) if i != experts.outlier])
    first = rng.choice(regular, PANEL["初评"], replace=False)
    second = rng.choice(first, PANEL["复评"], replace=False)
    final = rng.choice(second, PANEL["终评"], replace=False)
    if year == OUTLIER_YEAR:
        first, second = np.append(first, experts.outlier), np.append(second, experts.outlier)
    return {"初评": np.sort(first), "复评": np.sort(second), "终评": np.sort(final)}


# --- one year -------------------------------------------------------------------------------


def _simulate_year(
    rules: YearRules, pool: tuple[Unit, ...], experts: Experts, seed: int, scale: int
) -> Year:
    year = rules.year
    subs = _draw_submissions(rules, pool, _rng(seed, year, 1), scale)
    _recommend(subs, rules, _rng(seed, year, 2), scale)
    if scale == 1:
        _plant_before_review(subs, rules, _rng(seed, year, 3))
    _give_titles(subs, year, _rng(seed, year, 4))
    sim = _review(rules, subs, experts, _rng(seed, year, 5), scale)
    _assign_ids(sim, _rng(seed, year, 6))
    if scale == 1:
        _plant_after_review(sim, experts, _rng(seed, year, 8))
    return sim


def _draw_submissions(
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


def _recommend(subs: list[Sub], rules: YearRules, rng: np.random.Generator, scale: int) -> None:
    """Provincial bureaus pass most entries on; from 2024 within the notice's quota."""
    if rules.quota is None:
        for s in subs:
            p = 0.97 if s.unit.kind == "central" else np.clip(0.85 + 0.08 * s.quality, 0.55, 0.98)
            s.recommended = bool(rng.random() < p)
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
    for s in sorted(subs, key=lambda s: (-s.quality, s.key)):
        room = per_category.get(s.category, 0) < limits[0] and total < limits[1]
        s.recommended = bool(room and rng.random() < 0.93)
        if s.recommended:
            per_category[s.category] = per_category.get(s.category, 0) + 1
            total += 1


def _give_titles(subs: list[Sub], year: int, rng: np.random.Generator) -> None:
    """Case titles, unique within the year."""
    taken: set[str] = set()
    for s in subs:
        for attempt in itertools.count():
            title = case_title(rng, s.unit, year, s.category or s.track)
            title += f"({attempt})" if attempt > 50 else ""  # never at scale 1; a safety net
            if title not in taken:
                break
        taken.add(title)
        s.title = title


def _assign_ids(sim: Year, rng: np.random.Generator) -> None:
    """Platform ids in order of submission, with the gaps that withdrawn drafts leave."""
    number = 0
    sim.rows = sorted(sim.subs, key=lambda s: (s.submitted_at, s.key))
    for s in sim.rows:
        number += 1 + (int(rng.integers(1, 4)) if rng.random() < 0.15 else 0)
        s.sid = f"{sim.rules.year}-{number:06d}"


# --- review ---------------------------------------------------------------------------------


def _review(
    rules: YearRules, subs: list[Sub], experts: Experts, rng: np.random.Generator, scale: int
) -> Year:
    """初评 → 复评 → 终评: every case scored at a stage, the best of each group go on."""
    panels = _panels(rules.year, experts, rng)
    candidates = [s for s in subs if s.recommended]
    reached: dict[str, list[Sub]] = {}
    scores: list[ScoreRow] = []
    for i, stage in enumerate(rules.stages):
        reached[stage] = candidates
        rows, means = _score_stage(stage, candidates, rules, experts, panels[stage], rng)
        scores += rows
        candidates = _advance(candidates, means, _targets(rules, i, candidates, scale), rules)
    return Year(rules, subs, scores, reached, candidates, panels)


def _group(s: Sub, rules: YearRules) -> str:
    return s.category if rules.selected_by == "category" else s.track


def _targets(rules: YearRules, stage_index: int, cands: list[Sub], scale: int) -> dict[str, int]:
    """How many of each group go on after this stage (the last stage: the selected)."""
    last = len(rules.stages) - 1
    targets = {}
    for group, selected in rules.selected.items():
        finalists = (
            rules.final_round * scale // len(rules.selected)
            if rules.final_round
            else FINALISTS_PER_SELECTED * selected * scale
        )
        size = sum(1 for s in cands if _group(s, rules) == group)
        if stage_index == last:
            targets[group] = selected * scale
        elif stage_index == last - 1:
            targets[group] = finalists
        else:
            targets[group] = max(finalists, round(ADVANCE_SHARE * size))
    return targets


def _score_stage(
    stage: str,
    cands: list[Sub],
    rules: YearRules,
    experts: Experts,
    panel: np.ndarray,
    rng: np.random.Generator,
) -> tuple[list[ScoreRow], np.ndarray]:
    """k distinct experts per case, none from the case's own province."""
    k, n = rules.experts_per_stage[stage], len(cands)
    chosen = _assign_experts(cands, experts, panel, k, rng)
    quality = np.array([s.quality for s in cands])
    points, totals = _points(quality, experts.severity[chosen], rules, rng)
    when = _score_times(stage, rules, n * k, rng)
    ids, pts, tots = chosen.tolist(), points.tolist(), totals.tolist()  # once: rows are many
    rows = [
        ScoreRow(stage, s, "", ids[i][j], pts[i][j], tots[i][j], when[i * k + j])
        for i, s in enumerate(cands)
        for j in range(k)
    ]
    return rows, totals.mean(axis=1) if n else np.zeros(0)


def _assign_experts(
    cands: list[Sub], experts: Experts, panel: np.ndarray, k: int, rng: np.random.Generator
) -> np.ndarray:
    home = np.array(experts.provinces)[panel]
    own = np.array([s.unit.province for s in cands], dtype=home.dtype)
    keys = rng.random((len(cands), len(panel)))
    keys[own[:, None] == home[None, :]] = 2.0  # conflict of interest: never drawn
    chosen = np.argsort(keys, axis=1, kind="stable")[:, :k]
    if (np.take_along_axis(keys, chosen, axis=1) >= 2.0).any():
        raise RuntimeError("not enough experts without a conflict of interest")
    return panel[chosen]


def _points(
    quality: np.ndarray, severity: np.ndarray, rules: YearRules, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Criterion points in half-point steps within each maximum, and the weighted total."""
    maxima = np.array([c.max for c in rules.criteria])
    weights = np.array([c.weight for c in rules.criteria])
    noise = rng.normal(0, NOISE, (*severity.shape, len(maxima)))
    share = BASE + QUALITY_SLOPE * quality[:, None, None] + severity[:, :, None] + noise
    points = np.round(np.clip(share, 0.25, 1.0) * maxima * 2) / 2
    return points, np.round((points * weights).sum(axis=-1), 2)


def _score_times(
    stage: str, rules: YearRules, count: int, rng: np.random.Generator
) -> list[datetime]:
    """Scoring happens after the deadline, stage after stage; 终评 is three in-person days."""
    offset, span = STAGE_DAYS[stage]
    start = rules.deadline + timedelta(days=offset)
    if stage == "终评":
        start = FINAL_ROUND_START.get(rules.year, start)
    hours = (9, 18) if stage == "终评" else (8, 22)
    days = rng.integers(0, span, count).tolist()
    seconds = rng.integers(hours[0] * 3600, hours[1] * 3600, count).tolist()
    base = datetime.combine(start, time())
    return [base + timedelta(days=d, seconds=s) for d, s in zip(days, seconds, strict=True)]


def _advance(
    cands: list[Sub], means: np.ndarray, targets: dict[str, int], rules: YearRules
) -> list[Sub]:
    """The best by mean total of each group, honouring a year's published strata."""
    mean = {s.key: float(m) for s, m in zip(cands, means, strict=True)}
    chosen: set[int] = set()
    for group, n in targets.items():
        ranked = sorted((s for s in cands if _group(s, rules) == group),
                        key=lambda s: (-mean[s.key], s.key))  # fmt: skip
        strata = STRATA.get((rules.year, group))
        selected = rules.selected[group]
        chosen.update(s.key for s in _take(ranked, n, strata, n / selected))
    return [s for s in cands if s.key in chosen]


def _take(ranked: list[Sub], n: int, strata: Strata | None, factor: float) -> list[Sub]:
    """The first n of `ranked` that fit the strata's slots, topped up by rank if they run dry."""
    if not strata:
        return ranked[:n]
    slots = [(attr, {v: round(c * factor) for v, c in counts.items()}) for attr, counts in strata]
    taken = []
    for s in ranked:
        keys = [_stratum(s, attr, room) for attr, room in slots]
        if len(taken) < n and all(
            room[key] > 0 for (_, room), key in zip(slots, keys, strict=True)
        ):
            taken.append(s)
            for (_, room), key in zip(slots, keys, strict=True):
                room[key] -= 1
    taken_keys = {s.key for s in taken}
    rest = [s for s in ranked if s.key not in taken_keys]
    return taken + rest[: n - len(taken)]


def _stratum(s: Sub, attr: str, room: dict[str, int]) -> str:
    value = s.unit.level if attr == "level" else REGION[s.unit.province]
    return value if value in room else "其他"


# --- planted defects and fixes (scale 1) -----------------------------------------------------
# Blocking defects sit on rows that were never recommended, so no score or outcome depends on
# them; score defects are extra rows, so once quarantined every case keeps its exact number of
# experts. Fixes sit on rows that were not selected.


def _plant_before_review(subs: list[Sub], rules: YearRules, rng: np.random.Generator) -> None:
    for plant in BEFORE_REVIEW.get(rules.year, ()):
        plant(subs, rules, rng)


def _plant_after_review(sim: Year, experts: Experts, rng: np.random.Generator) -> None:
    for plant in AFTER_REVIEW.get(sim.rules.year, ()):
        plant(sim, experts, rng)
    if any(s.planted for s in sim.selected):
        raise RuntimeError(f"{sim.rules.year}: a planted row was selected; change the plants")


def _pick(rng: np.random.Generator, pool: list[Sub]) -> Sub:
    free = [s for s in pool if not s.planted]
    if not free:
        raise RuntimeError("no row left to plant a defect on")
    chosen = free[int(rng.integers(len(free)))]
    chosen.planted = True
    return chosen


def _unscored(subs: list[Sub]) -> list[Sub]:
    return [s for s in subs if not s.recommended]


def _unselected(sim: Year, recommended: bool | None = None) -> list[Sub]:
    chosen = {s.key for s in sim.selected}
    return [s for s in sim.subs if s.key not in chosen and recommended in (None, s.recommended)]


def _bad_province(subs: list[Sub], rules: YearRules, rng: np.random.Generator) -> None:
    s = _pick(rng, _unscored(subs))
    s.overrides["province"] = "江南省"
    s.marks.append(
        Mark("province", "省份无法识别：江南省不是省级行政区", "domain.province", "blocking")
    )


def _too_long(subs: list[Sub], rules: YearRules, rng: np.random.Generator) -> None:
    s = _pick(rng, _unscored(subs))
    s.chars = 5600
    note = f"材料字数5600，超过{rules.max_chars}字上限"
    s.marks.append(Mark("material_chars", note, "rule.max_chars", "blocking"))


def _late_entry(subs: list[Sub], rules: YearRules, rng: np.random.Generator) -> None:
    s = _pick(rng, _unscored(subs))
    s.submitted_at = datetime.combine(rules.deadline + timedelta(days=1), time(10, 17))
    note = f"截止日期{rules.deadline.isoformat()}之后提交"
    s.marks.append(Mark("submitted_at", note, "rule.deadline", "blocking"))


def _no_category(subs: list[Sub], rules: YearRules, rng: np.random.Generator) -> None:
    s = _pick(rng, _unscored(subs))
    s.category = ""
    note = "2024年起申报类别必填，此行为空"
    s.marks.append(Mark("category", note, "rule.category_required", "blocking"))


def _quota_excess(subs: list[Sub], rules: YearRules, rng: np.random.Generator) -> None:
    """Five recommended in one category of one province; weak cases, so none is selected."""
    province, category = QUOTA_EXCESS
    mine = [s for s in subs if s.unit.province == province]
    five = [mine[int(i)] for i in sorted(rng.choice(len(mine), 5, replace=False))]
    for s in five:
        s.category, s.recommended, s.planted = category, True, True
        s.quality = -2.5 + float(rng.normal(0, 0.1))
    others = sorted((s for s in mine if s not in five), key=lambda s: (-s.quality, s.key))
    room = rules.quota.province_total - len(five)
    for s in others:  # the best keep their place within the total
        if s.recommended and (s.category == category or room == 0):
            s.recommended = False
        room -= s.recommended
    fifth = max(five, key=lambda s: (s.submitted_at, s.key))  # the 5th in file order
    note = (
        f"{province}“{category}”类别推荐第5个案例，超过每类别{rules.quota.province_per_category}个"
    )
    fifth.marks.append(Mark("province", note, "rule.quota_province", "warning"))


def _alias(province: str, written: str):
    def plant(sim: Year, experts: Experts, rng: np.random.Generator) -> None:
        s = _pick(rng, [s for s in _unselected(sim) if s.unit.province == province])
        s.overrides["province"] = written
        note = f"省份写作“{written}”，规范为“{province}”"
        s.marks.append(Mark("province", note, "fix.province_alias", "fix"))

    return plant


def _fullwidth_chars(sim: Year, experts: Experts, rng: np.random.Generator) -> None:
    s = _pick(rng, _unselected(sim))
    s.overrides["material_chars"] = str(s.chars).translate(FULLWIDTH_DIGITS)
    s.marks.append(Mark("material_chars", "材料字数为全角数字", "fix.fullwidth", "fix"))


def _bool_text(written: str):
    def plant(sim: Year, experts: Experts, rng: np.random.Generator) -> None:
        s = _pick(rng, _unselected(sim, recommended=True))
        s.overrides["is_recommended"] = written
        note = f"省级推荐写作“{written}”，规范为“是”"
        s.marks.append(Mark("is_recommended", note, "fix.bool_text", "fix"))

    return plant


def _unit_whitespace(sim: Year, experts: Experts, rng: np.random.Generator) -> None:
    s = _pick(rng, _unselected(sim))
    s.overrides["unit_name"] = f" {s.unit.name} "
    s.marks.append(Mark("unit_name", "申报单位名称前后有空格", "fix.whitespace", "fix"))


def _duplicate(sim: Year, experts: Experts, rng: np.random.Generator) -> None:
    """An exact second copy of an unscored row, further down the file."""
    s = _pick(rng, _unscored(sim.subs))
    note = "与前面某一行完全相同（重复提交）"
    copy = replace(s, overrides=dict(s.overrides), marks=[Mark("submission_id", note, "key.unique",
                                                                 "blocking")])  # fmt: skip
    at = sim.rows.index(s)
    sim.rows.insert(int(rng.integers(at + 1, len(sim.rows) + 1)), copy)


def _first_round_only(sim: Year) -> list[Sub]:
    later = {s.key for s in sim.reached["复评"]}
    return [s for s in sim.reached["初评"] if s.key not in later]


def _extra_score(
    sim: Year, experts: Experts, rng: np.random.Generator, sub: Sub | None, expert: int = -1
) -> ScoreRow:
    """One more 初评 score row, by an expert who has not scored this case yet."""
    taken = {r.expert for r in sim.scores if sub is not None and r.sub is sub}
    province = sub.unit.province if sub else ""
    if expert < 0:
        options = [int(e) for e in sim.panels["初评"] if e != experts.outlier and e not in taken
                   and experts.provinces[e] != province]  # fmt: skip
        expert = options[int(rng.integers(len(options)))]
    quality = np.array([sub.quality if sub else 0.0])
    points, totals = _points(quality, experts.severity[[[expert]]], sim.rules, rng)
    when = _score_times("初评", sim.rules, 1, rng)[0]
    sid = sub.sid if sub else ""
    return ScoreRow("初评", sub, sid, expert, points[0, 0].tolist(), float(totals[0, 0]), when)


def _above_max(sim: Year, experts: Experts, rng: np.random.Generator) -> None:
    row = _extra_score(sim, experts, rng, _pick(rng, _first_round_only(sim)))
    i = next(i for i, c in enumerate(sim.rules.criteria) if c.field == "innovation")
    row.points[i] = sim.rules.criteria[i].max + 2
    row.total = round(
        sum(p * c.weight for p, c in zip(row.points, sim.rules.criteria, strict=True)), 2
    )
    note = f"创新性{row.points[i]:g}分，超过满分{sim.rules.criteria[i].max:g}分"
    row.marks = (Mark("innovation", note, "score.max", "blocking"),)
    sim.scores.append(row)


def _wrong_total(sim: Year, experts: Experts, rng: np.random.Generator) -> None:
    row = _extra_score(sim, experts, rng, _pick(rng, _first_round_only(sim)))
    row.total = round(row.total - 5, 2)
    row.marks = (Mark("total_score", "总分比各项得分之和少5分", "score.total", "blocking"),)
    sim.scores.append(row)


def _own_province_expert(sim: Year, experts: Experts, rng: np.random.Generator) -> None:
    """An extra 初评 row by an expert from the case's own province (回避 was missed)."""
    sub = _pick(rng, [s for s in _first_round_only(sim) if s.unit.province == "北京"])
    taken = {r.expert for r in sim.scores if r.sub is sub}
    options = [i for i, p in enumerate(experts.provinces) if p == "北京" and i not in taken]
    row = _extra_score(sim, experts, rng, sub, options[int(rng.integers(len(options)))])
    note = "专家与申报单位同属北京，应回避"
    row.marks = (Mark("expert_province", note, "score.conflict", "blocking"),)
    sim.scores.append(row)


def _unknown_submission(sim: Year, experts: Experts, rng: np.random.Generator) -> None:
    row = _extra_score(sim, experts, rng, None)
    last = max(int(s.sid.split("-")[1]) for s in sim.subs)
    row.sid = f"{sim.rules.year}-{last + 17:06d}"
    row.marks = (Mark("submission_id", "申报表中没有这个申报编号", "ref.submission", "blocking"),)
    sim.scores.append(row)


def _severe_expert(sim: Year, experts: Experts, rng: np.random.Generator) -> None:
    note = "该专家的总分普遍比同一案例的其他专家低约20分"
    mark = Mark("expert_id", note, "score.outlier", "warning")
    sim.marks.append(("scores", mark, experts.ids[experts.outlier]))


FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
BEFORE_REVIEW = {
    2019: (_bad_province,),
    2023: (_too_long,),
    2024: (_quota_excess, _late_entry, _no_category),
}
AFTER_REVIEW = {
    2019: (_fullwidth_chars,),
    2020: (_bool_text("Y"), _unknown_submission, _duplicate),
    2021: (_alias("广西", "广西壮族自治区"), _wrong_total),
    2022: (_alias("内蒙古", "内蒙"), _above_max),
    2024: (_alias("浙江", "浙江省"), _fullwidth_chars, _bool_text("√"), _severe_expert),
    2025: (_alias("浙江", "Zhejiang"), _unit_whitespace, _own_province_expert),
}


# --- writing --------------------------------------------------------------------------------


def _write_year(
    out_dir: Path, sim: Year, experts: Experts, scale: int
) -> tuple[list[Path], list[dict[str, str]]]:
    """The year's three exports; and the planted cells, with their row numbers as written."""
    year, written, defects = sim.rules.year, [], []
    exports = (
        (SUBMISSIONS, [_submission_row(s) for s in sim.rows]),
        (SCORES, _score_rows(sim, experts)),
        (OUTCOMES, _outcome_rows(sim)),
    )
    for spec, rows in exports:
        xlsx = (spec.kind, year) in XLSX and scale == 1
        path = out_dir / f"{spec.kind}_{year}.{'xlsx' if xlsx else 'csv'}"
        write = _write_xlsx if xlsx else _write_csv
        defects += write(path, spec, rows, year)
        written.append(path)
        defects += [
            _defect(path.name, "", spec, mark, value)
            for kind, mark, value in sim.marks
            if kind == spec.kind
        ]
    return written, defects


Row = tuple[list[object], list[Mark]]  # cell values in the spec's column order, planted marks


def _ordered(spec: ExportSpec, values: dict[str, object]) -> list[object]:
    return [values[c.field] for c in spec.columns]


def _submission_row(s: Sub) -> Row:
    values = {
        "submission_id": s.sid,
        "year": int(s.sid[:4]),
        "track": s.track,
        "category": s.category,
        "unit_name": s.unit.name,
        "unit_type": s.unit.unit_type,
        "unit_level": s.unit.level,
        "province": s.unit.province,
        "title": s.title,
        "submitted_at": s.submitted_at,
        "material_chars": s.chars,
        "is_recommended": "是" if s.recommended else "否",
    }
    return _ordered(SUBMISSIONS, values | s.overrides), s.marks


def _score_rows(sim: Year, experts: Experts) -> list[Row]:
    stage_order = {stage: i for i, stage in enumerate(sim.rules.stages)}
    rows = sorted(
        sim.scores,
        key=lambda r: (stage_order[r.stage], r.sid or r.sub.sid, experts.ids[r.expert]),
    )
    fields = [c.field for c in sim.rules.criteria]
    take = [fields.index(c.field) for c in SCORES.columns if c.field in fields]
    return [_score_row(r, take, experts) for r in rows]


def _score_row(r: ScoreRow, take: list[int], experts: Experts) -> Row:
    """In SCORES column order, written out: there are millions of these at scale 100."""
    values = [r.sid or r.sub.sid, r.stage, experts.ids[r.expert], experts.provinces[r.expert]]
    return [*values, *(r.points[i] for i in take), r.total, r.scored_at], list(r.marks)


def _outcome_rows(sim: Year) -> list[Row]:
    """The published list: by track or category, then province in official order."""
    groups = list(sim.rules.selected)
    order = {p["province"]: int(p["sort_order"]) for p in provinces()}
    ranked = sorted(
        sim.selected,
        key=lambda s: (groups.index(_group(s, sim.rules)), order[s.unit.province], s.sid),
    )
    return [(_ordered(OUTCOMES, _outcome_values(s)), []) for s in ranked]


def _outcome_values(s: Sub) -> dict[str, object]:
    return {
        "year": int(s.sid[:4]),
        "track": s.track,
        "category": s.category,
        "unit_name": s.unit.name,
        "title": s.title,
        "result": "入选",
        "province": s.unit.province,
        "submission_id": s.sid,
    }


def _text(value: object, style: str = "iso") -> str:
    """A cell as a CSV writes it; dates in the file's own style."""
    if type(value) is str:
        return value
    if type(value) is float:
        return _number(value)
    if isinstance(value, datetime):
        if style == "chinese":
            return f"{value.year}年{value.month}月{value.day}日"
        if style == "slash":
            return f"{value.year}/{value.month}/{value.day} {value.hour}:{value.minute:02d}"
        return f"{value:%Y-%m-%d %H:%M:%S}"
    return str(value)


@cache
def _number(value: float) -> str:
    """72.0 → 72, 17.5 → 17.5: scores as a person types them (few distinct values: cached)."""
    return str(int(value)) if value.is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")


def _write_csv(path: Path, spec: ExportSpec, rows: list[Row], year: int) -> list[dict[str, str]]:
    encoding = "gbk" if (spec.kind, year) in GBK else "utf-8-sig"
    style = DATE_STYLE.get(year, "iso")
    defects = []
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.header for c in spec.columns])
        for number, (values, marks) in enumerate(rows, start=2):
            cells = [_text(v, style) for v in values]
            writer.writerow(cells)
            defects += [_defect(path.name, number, spec, m, _cell(spec, m, cells)) for m in marks]
    return defects


def _write_xlsx(path: Path, spec: ExportSpec, rows: list[Row], year: int) -> list[dict[str, str]]:
    """A real workbook: numbers as numbers, dates as Excel datetimes, a fixed creation date."""
    book = xlsxwriter.Workbook(str(path), {"in_memory": True})
    book.set_properties({"created": datetime(year, 12, 31), "comments": "模拟数据"})
    sheet = book.add_worksheet(spec.label)
    when = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    sheet.write_row(0, 0, [c.header for c in spec.columns], book.add_format({"bold": True}))
    defects = []
    for number, (values, marks) in enumerate(rows, start=2):
        for col, value in enumerate(values):
            _write_cell(sheet, number - 1, col, value, when)
        cells = [_text(v) for v in values]
        defects += [_defect(path.name, number, spec, m, _cell(spec, m, cells)) for m in marks]
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, len(spec.columns) - 1, 14)
    book.close()
    return defects


def _write_cell(sheet: Worksheet, row: int, col: int, value: object, when: Format) -> None:
    if isinstance(value, datetime):
        sheet.write_datetime(row, col, value, when)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value)
    elif value != "":
        sheet.write_string(row, col, str(value))


def _cell(spec: ExportSpec, mark: Mark, cells: list[str]) -> str:
    return cells[[c.field for c in spec.columns].index(mark.field)]


def _defect(file: str, row: int | str, spec: ExportSpec, mark: Mark, value: str) -> dict:
    return {
        "file": file,
        "row": str(row),
        "column": spec.column(mark.field).header,
        "value": value,
        "defect": mark.defect,
        "rule_id": mark.rule_id,
        "severity": mark.severity,
    }


def _write_defects(path: Path, defects: list[dict[str, str]]) -> Path:
    """defects.csv: every planted cell, by file and row as Excel shows it (header = row 1)."""
    ordered = sorted(defects, key=lambda d: (d["file"], d["row"] == "", int(d["row"] or 0)))
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=DEFECT_COLUMNS)
        writer.writeheader()
        writer.writerows(ordered)
    return path
