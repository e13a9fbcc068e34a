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

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from etl.config import SAMPLE_DIR, SIMULATED_YEARS, SIMULATION_SEED
from etl.progress import steps
from etl.reference.programme import YearRules, programme
from etl.simulate.defects import plant_after_review, plant_before_review
from etl.simulate.entries import assign_ids, draw_submissions, give_titles, recommend
from etl.simulate.facts import place_facts
from etl.simulate.files import write_defects, write_unit_truth, write_year
from etl.simulate.records import Experts, Year, seeded
from etl.simulate.review import expert_pool, review
from etl.simulate.units import Unit, unit_pool


def simulate(out_dir: Path, scale: int = 1, seed: int = SIMULATION_SEED) -> list[Path]:
    """Write the simulated exports of every year into out_dir; return the files written.

    Scale N gives N× the units, submissions, finalists, selected and score rows per year,
    every file as CSV and no planted defects (a benchmark, not a demo).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    pool, experts = unit_pool(seed, scale), expert_pool(seed)
    written, defects, titles = [], [], set()
    with _without_cycle_collector():
        for year in steps(SIMULATED_YEARS, "模拟数据"):
            sim = _simulate_year(programme()[year], pool, experts, seed, scale, titles)
            files, found = write_year(out_dir, sim, experts, scale)
            written += files
            defects += found
    if scale == 1:
        written.append(write_defects(out_dir / "defects.csv", defects))
        written.append(write_unit_truth(out_dir / "unit_truth.csv", pool))
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


def _simulate_year(
    rules: YearRules,
    pool: tuple[Unit, ...],
    experts: Experts,
    seed: int,
    scale: int,
    titles: set[str],
) -> Year:
    year = rules.year
    subs = draw_submissions(rules, pool, seeded(seed, year, 1), scale)
    if scale == 1:
        place_facts(subs, rules, pool)
    recommend(subs, rules, seeded(seed, year, 2), scale)
    if scale == 1:
        plant_before_review(subs, rules, seeded(seed, year, 3))
    give_titles(subs, year, seeded(seed, year, 4), titles)
    sim = review(rules, subs, experts, seeded(seed, year, 5), scale)
    assign_ids(sim, seeded(seed, year, 6))
    if scale == 1:
        plant_after_review(sim, experts, seeded(seed, year, 8))
    return sim


def sample_files() -> list[Path]:
    """The shipped simulated exports (data/sample), submissions before scores before outcomes."""
    order = {"submissions": 0, "scores": 1, "outcomes": 2}
    found = [p for p in SAMPLE_DIR.glob("*") if p.suffix in (".csv", ".xlsx")]
    exports = [p for p in found if p.stem.split("_")[0] in order]
    return sorted(exports, key=lambda p: (order[p.stem.split("_")[0]], p.name))
