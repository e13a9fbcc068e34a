"""The experts and the review: 初评 → 复评 → 终评, every recommended case scored at a stage by
experts with their own severity (never from the case's own province), the best of each group
going on, and the best at 终评 selected to the exact published counts."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import numpy as np

from etl.reference.geography import provinces
from etl.reference.programme import YearRules
from etl.simulate.entries import REGION
from etl.simulate.records import Experts, ScoreRow, Strata, Sub, Year, seeded
from etl.simulate.units import CENTRAL, PROVINCE_WEIGHT

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
OUTLIER_YEAR = 2024  # the one year the very severe expert serves (planted score.outlier)


def expert_pool(seed: int) -> Experts:
    """~150 reviewers: a third from 北京, some from central units, the rest spread by province."""
    rng = seeded(seed, 7)
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


def review(
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
        targets = _targets(rules, i, candidates, scale)
        candidates = _advance(candidates, means, targets, rules, reach=i + 2)
    return Year(rules, subs, scores, reached, candidates, panels)


def group_of(s: Sub, rules: YearRules) -> str:
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
        size = sum(1 for s in cands if group_of(s, rules) == group)
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
    points, totals = score_points(quality, experts.severity[chosen], rules, rng)
    when = score_times(stage, rules, n * k, rng)
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


def score_points(
    quality: np.ndarray, severity: np.ndarray, rules: YearRules, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Criterion points in half-point steps within each maximum, and the weighted total."""
    maxima = np.array([c.max for c in rules.criteria])
    weights = np.array([c.weight for c in rules.criteria])
    noise = rng.normal(0, NOISE, (*severity.shape, len(maxima)))
    share = BASE + QUALITY_SLOPE * quality[:, None, None] + severity[:, :, None] + noise
    points = np.round(np.clip(share, 0.25, 1.0) * maxima * 2) / 2
    return points, np.round((points * weights).sum(axis=-1), 2)


def score_times(
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
    cands: list[Sub], means: np.ndarray, targets: dict[str, int], rules: YearRules, reach: int
) -> list[Sub]:
    """The best by mean total of each group, honouring a year's published strata and the
    public facts' pins (`reach`: 2 复评, 3 终评, 4 selected)."""
    mean = {s.key: float(m) for s, m in zip(cands, means, strict=True)}
    chosen: set[int] = set()
    for group, n in targets.items():
        ranked = sorted((s for s in cands if group_of(s, rules) == group),
                        key=lambda s: (-mean[s.key], s.key))  # fmt: skip
        must = [s for s in ranked if s.pin[0] >= reach]
        free = [s for s in ranked if s.pin[0] < reach <= s.pin[1]]
        strata = STRATA.get((rules.year, group))
        selected = rules.selected[group]
        chosen.update(s.key for s in _take(must, free, n, strata, n / selected))
    return [s for s in cands if s.key in chosen]


def _take(
    must: list[Sub], ranked: list[Sub], n: int, strata: Strata | None, factor: float
) -> list[Sub]:
    """`must`, then the first of `ranked` that fit the strata's slots, topped up by rank if
    they run dry: n in all."""
    slots = [
        (attr, {v: round(c * factor) for v, c in counts.items()}) for attr, counts in strata or ()
    ]
    taken = list(must)
    for s in must:
        for attr, room in slots:
            room[_stratum(s, attr, room)] -= 1
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
