"""Programme rules, read from data/reference/ (the single source).

Rules are data, not code: quotas, deadlines, tracks, categories, stages, rubric and
published counts per year are read from programme.toml and rubric.toml.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache

from etl.config import REFERENCE_DIR
from etl.reference.geography import provinces


@dataclass(frozen=True)
class Criterion:
    field: str
    label: str
    max: float
    weight: float


@dataclass(frozen=True)
class Quota:
    province_per_category: int
    province_total: int
    central_per_category: int
    central_total: int


@dataclass(frozen=True)
class YearRules:
    year: int
    scheme: str
    scheme_label: str
    tracks: tuple[str, ...]
    categories: tuple[str, ...]
    stages: tuple[str, ...]
    experts_per_stage: dict[str, int]
    criteria: tuple[Criterion, ...]
    deadline: date
    max_chars: int
    selected: dict[str, int]  # by track (three-track years) or by category (2024+)
    selected_by: str  # "track" | "category"
    selected_assumed: bool
    selected_source: str
    results_published: bool
    published_on: date | None
    quota: Quota | None
    applicants: int | None
    final_round: int | None

    @property
    def selected_total(self) -> int:
        return sum(self.selected.values())


def _read_toml(name: str) -> dict:
    with open(REFERENCE_DIR / name, "rb") as handle:
        return tomllib.load(handle)


def _rubric_for(year: int, rubric: dict) -> tuple[tuple[Criterion, ...], dict[str, int]]:
    table = rubric.get("years", {}).get(str(year), rubric["default"])
    criteria = tuple(Criterion(**c) for c in table["criteria"])
    return criteria, {s["stage"]: s["experts"] for s in table["stages"]}


@cache
def programme() -> dict[int, YearRules]:
    """Every programme year's rules, keyed by year."""
    raw, rubric = _read_toml("programme.toml"), _read_toml("rubric.toml")
    defaults, schemes = raw["defaults"], raw["schemes"]
    years = {}
    for key, y in raw["years"].items():
        scheme = schemes[y["scheme"]]
        criteria, experts = _rubric_for(int(key), rubric)
        years[int(key)] = YearRules(
            year=int(key),
            scheme=y["scheme"],
            scheme_label=scheme["label"],
            tracks=tuple(scheme["tracks"]),
            categories=tuple(scheme["categories"]),
            stages=tuple(y.get("stages", defaults["stages"])),
            experts_per_stage=experts,
            criteria=criteria,
            deadline=y["deadline"],
            max_chars=y.get("max_chars", defaults["max_chars"]),
            selected=dict(y["selected"]),
            selected_by=y.get("selected_by", "track"),
            selected_assumed=y.get("selected_assumed", False),
            selected_source=y["selected_source"],
            results_published=y["results_published"],
            published_on=y.get("published_on"),
            quota=Quota(**y["quota"]) if "quota" in y else None,
            applicants=y.get("applicants"),
            final_round=y.get("final_round"),
        )
    return years


@cache
def domains() -> dict[str, tuple[str, ...]]:
    """Allowed values of each enumerated field, across all years."""
    raw, years = _read_toml("programme.toml")["defaults"], programme().values()
    return {
        "track": tuple(dict.fromkeys(t for y in years for t in y.tracks)),
        "category": tuple(dict.fromkeys(c for y in years for c in y.categories)),
        "stage": tuple(dict.fromkeys(s for y in years for s in y.stages)),
        "unit_type": tuple(raw["unit_types"]),
        "unit_level": tuple(raw["unit_levels"]),
        "result": tuple(raw["outcome_values"]),
        "province": tuple(p["province"] for p in provinces() if p["takes_part"] == "true"),
    }
