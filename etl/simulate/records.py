"""What a simulated year is made of: submissions, planted marks, score rows, experts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from etl.reference.programme import YearRules
from etl.simulate.units import Unit

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
    year: int
    recommended: bool = False
    title: str = ""
    sid: str = ""
    planted: bool = False  # touched by a planted defect or fix: never selected
    # A public fact's reach, lowest and highest: 1 scored at 初评, 2 复评, 3 终评, 4 selected.
    pin: tuple[int, int] = (0, 4)
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


def seeded(seed: int, *keys: int) -> np.random.Generator:
    return np.random.default_rng([seed, *keys])
