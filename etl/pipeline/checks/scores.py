"""评分表 suites: one row per submission × stage × expert, plus two aggregate frames.

Row rules (schema, rubric maximum, total, conflict of interest, known submission) are expected
on the score rows. Rules about a group are expected on the group's frame: one row per
submission × stage (experts per stage, stage order) and one row per expert (outlier).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from functools import cache

import numpy as np
import polars as pl

from etl.pipeline.checks.common import (
    FILE,
    TEXT,
    Run,
    base_checks,
    base_frame,
    by_year,
    stack,
    unique_check,
    with_duplicates,
)
from etl.pipeline.checks.gx import Check, SuiteSpec, gxe
from etl.pipeline.checks.rules import rules, settings
from etl.pipeline.normalise import Normalised
from etl.pipeline.read import ROW
from etl.reference.contract import SCORES
from etl.reference.programme import domains, programme

EFFECT_ROUNDS = 30  # alternating-means passes; the effects settle to 0.01 points well before
CRITERIA = tuple(c.field for c in SCORES.columns if c.kind == "score" and c.field != "total_score")


def _described(rule_id: str) -> str:
    return rules()[rule_id].description


@cache
def suite() -> SuiteSpec:
    checks = [
        *base_checks(SCORES),
        unique_check("申报编号 / 评审阶段 / 专家编号", None),
        Check(
            "ref.submission",
            "submission_id",
            gxe.ExpectColumnValuesToBeInSet(
                column="_known_submission", value_set=[True],
                description=_described("ref.submission"),
            ),
            TEXT + "submission_id",
        ),
        Check(
            "ref.case_name",
            "title",
            gxe.ExpectColumnValuesToBeInSet(
                column="_case_found", value_set=[True], description=_described("ref.case_name"),
            ),
            "_case_title",
            (("unit", "_case_unit"),),
        ),
        Check(
            "score.conflict",
            "expert_province",
            gxe.ExpectColumnValuesToBeInSet(
                column="_same_province", value_set=[False],
                description=_described("score.conflict"),
            ),
            TEXT + "expert_province",
            (("expert", "expert_id"), ("province", "_province")),
        ),
        *[
            Check(
                "score.max",
                field,
                gxe.ExpectColumnValuesToBeBetween(
                    column=f"_share__{field}", min_value=0, max_value=1,
                    description=f"{SCORES.column(field).header}：得分 ÷ 满分在0到1之间",
                ),
                TEXT + field,
                (("max", f"_max__{field}"),),
            )
            for field in CRITERIA
        ],
        Check(
            "score.total",
            "total_score",
            gxe.ExpectColumnValuesToBeBetween(
                column="_total_diff", min_value=-0.01, max_value=0.01,
                description=_described("score.total"),
            ),
            TEXT + "total_score",
            (("expected", "_expected_total"),),
        ),
    ]  # fmt: skip
    return SuiteSpec("scores", "scores", tuple(checks))


@cache
def stage_suite() -> SuiteSpec:
    group = (("submission", "submission_id"), ("stage", "stage"))
    checks = (
        Check(
            "score.experts",
            "stage",
            gxe.ExpectColumnPairValuesToBeEqual(
                column_A="_experts", column_B="_expected_experts",
                ignore_row_if="either_value_is_missing", description=_described("score.experts"),
            ),
            "stage",
            (*group, ("n", "_experts"), ("expected", "_expected_experts")),
        ),
        Check(
            "score.stage_flow",
            "stage",
            gxe.ExpectColumnValuesToBeInSet(
                column="_has_previous", value_set=[True],
                description=_described("score.stage_flow"),
            ),
            "stage",
            (*group, ("previous", "_previous")),
        ),
    )  # fmt: skip
    return SuiteSpec("scores_by_stage", "scores", checks)


@cache
def expert_suite() -> SuiteSpec:
    limit = settings()["outlier"]["max_abs_z"]
    check = Check(
        "score.outlier",
        "expert_id",
        gxe.ExpectColumnValuesToBeBetween(
            column="_z", min_value=-limit, max_value=limit, description=_described("score.outlier")
        ),
        "expert_id",
        (("n", "_scores"), ("direction", "_direction"), ("deviation", "_deviation"), ("z", "_z")),
        (("limit", str(limit)),),
    )
    return SuiteSpec("scores_by_expert", "scores", (check,))


def derive(tables: list[Normalised], run: Run) -> Iterator[pl.DataFrame]:
    """Each score file of the run, in turn, with each row's submission year and province."""
    lookup = run.submissions.select(
        "submission_id",
        pl.col("year").alias("_year"),
        pl.col("province").alias("_province"),
        pl.lit(True).alias("_found"),
    )
    return stack(_derive_one(t, lookup) for t in tables)


def _derive_one(table: Normalised, lookup: pl.DataFrame) -> pl.DataFrame:
    frame = _base(table).join(lookup, on="submission_id", how="left", maintain_order="left")
    frame = with_duplicates(frame, ["submission_id", "stage", "expert_id"])
    both = pl.col("expert_province").is_not_null() & pl.col("_province").is_not_null()
    return frame.with_columns(
        pl.when(pl.col("submission_id").is_not_null())
        .then(pl.col("_found").fill_null(False))
        .alias("_known_submission"),
        pl.when(both)
        .then(pl.col("expert_province") == pl.col("_province"))
        .alias("_same_province"),
        *_rubric_columns(),
    ).with_columns(
        (pl.col("total_score") - pl.col("_expected_total")).alias("_total_diff"),
        *[(pl.col(f) / pl.col(f"_max__{f}")).alias(f"_share__{f}") for f in CRITERIA],
    )


def _base(table: Normalised) -> pl.DataFrame:
    """base_frame of a 评分表, plus `_case_found` (null: the file names its cases by id).

    A scoring summary's rows are 评分表 rows without criteria, expert province or time: the
    rules on those columns do not apply to them (null), nor, when the sheet names its cases
    by 申报单位 + 案例名称, 申报编号为必填项: ref.case_name says which names were not found.
    """
    if table.spec is SCORES:
        named = (pl.lit(None, pl.Boolean), pl.lit(None, pl.String), pl.lit(None, pl.String))
        return base_frame(table).with_columns(_case_columns(*named))
    as_scores = replace(table, raw=replace(table.raw, spec=SCORES))
    given = {c.field for c in table.spec.columns}
    absent = [c.field for c in SCORES.columns if c.field not in given]
    by_name = "submission_id" not in table.raw.frame.columns
    if by_name:
        absent.append("submission_id")
    frame = base_frame(as_scores).with_columns(
        pl.lit(None, pl.Boolean).alias(f"_filled__{f}") for f in absent
    )
    # Once per sheet row, not once per expert: the row names the case, and is quarantined whole.
    first = pl.col(ROW).is_first_distinct()
    found = pl.when(first).then(pl.col("submission_id").is_not_null()) if by_name else None
    found = pl.lit(None, pl.Boolean) if found is None else found
    named = _case_columns(found, pl.col("unit_name"), pl.col("title"))
    return frame.with_columns(named).drop(given - {c.field for c in SCORES.columns})


def _case_columns(found: pl.Expr, unit: pl.Expr, title: pl.Expr) -> list[pl.Expr]:
    return [found.alias("_case_found"), unit.alias("_case_unit"), title.alias("_case_title")]


def _rubric_columns() -> list[pl.Expr]:
    """Each criterion's maximum and the expected total, by the submission's year.

    A score whose submission is unknown (already blocked by ref.submission) is held to the
    loosest maximum of any year, and to the rubric's weights only when all years share them.
    """
    exprs, weighted = [], []
    for field in CRITERIA:
        maxima = _per_year(field, "max")
        weights = _per_year(field, "weight")
        loosest = max(maxima.values())
        shared = next(iter(set(weights.values()))) if len(set(weights.values())) == 1 else None
        exprs.append(
            by_year(maxima, pl.Float64, "_year").fill_null(loosest).alias(f"_max__{field}")
        )
        weight = by_year(weights, pl.Float64, "_year").fill_null(shared)
        weighted.append(weight * pl.col(field))
    exprs.append(pl.sum_horizontal(weighted, ignore_nulls=False).round(2).alias("_expected_total"))
    return exprs


def _per_year(field: str, attr: str) -> dict[int, float]:
    return {
        y: getattr(c, attr) for y, r in programme().items() for c in r.criteria if c.field == field
    }


# What groups() reads of every score row of the run. The three ids are kept as categoricals
# (a 4-byte code per row, the text once): at --scale 1000, 16.7M rows, this state and its
# copies were the load's peak (about 5 GB with text columns).
_IDS = ("submission_id", "stage", "expert_id")
KEPT = (
    FILE, ROW, *(pl.col(c).cast(pl.Categorical) for c in _IDS), "total_score", "_year"
)  # fmt: skip


def groups(frame: pl.DataFrame, run: Run) -> list[tuple[SuiteSpec, pl.DataFrame]]:
    """The aggregate frames of the run's score rows, each with its suite."""
    rows = frame.select(
        FILE, ROW, "submission_id", "stage", "expert_id", "total_score", "_year"
    ).filter(pl.col("submission_id").is_not_null(), pl.col("stage").is_not_null())
    return [(stage_suite(), _by_stage(rows, run)), (expert_suite(), _by_expert(rows))]


def _by_stage(rows: pl.DataFrame, run: Run) -> pl.DataFrame:
    """One row per submission × stage: how many experts scored it, and its previous stage."""
    experts, previous = {}, {}
    for y, r in programme().items():
        for i, stage in enumerate(r.stages):
            experts[f"{y}|{stage}"] = r.experts_per_stage.get(stage)
            previous[f"{y}|{stage}"] = r.stages[i - 1] if i else None
    default = domains()["stage"]
    fallback_previous = {s: (default[i - 1] if i else None) for i, s in enumerate(default)}
    shared = {s: {experts.get(f"{y}|{s}") for y in programme()} for s in default}
    fallback_experts = {s: next(iter(n)) for s, n in shared.items() if len(n) == 1}
    key = pl.concat_str(pl.col("_year").cast(pl.String), pl.lit("|"), "stage")
    pairs = run.scored.select(pl.concat_str("submission_id", pl.lit("|"), "stage")).to_series()
    grouped = (
        rows.group_by(["submission_id", "stage"], maintain_order=True)
        .agg(
            pl.col(FILE).first(),
            pl.col(ROW).first(),
            pl.col("expert_id").drop_nulls().n_unique().alias("_experts"),
            pl.col("_year").first(),
        )
        .with_columns(pl.col("submission_id", "stage").cast(pl.String))
    )
    return grouped.with_columns(
        key.replace_strict(experts, default=None, return_dtype=pl.Int64)
        .fill_null(pl.col("stage").replace_strict(fallback_experts, default=None,
                                                  return_dtype=pl.Int64))
        .alias("_expected_experts"),
        pl.when(pl.col("_year").is_not_null())
        .then(key.replace_strict(previous, default=None, return_dtype=pl.String))
        .otherwise(pl.col("stage").replace_strict(fallback_previous, default=None,
                                                  return_dtype=pl.String))
        .alias("_previous"),
    ).with_columns(
        pl.when(pl.col("_previous").is_not_null())
        .then(pl.concat_str("submission_id", pl.lit("|"), "_previous").is_in(pairs.implode()))
        .alias("_has_previous"),
        pl.int_range(pl.len()).alias("_pos"),
    )  # fmt: skip


def _by_expert(rows: pl.DataFrame) -> pl.DataFrame:
    """One row per expert: how much higher or lower they score than other experts on the same
    cases, and that effect's robust z across experts.

    The effect comes from an additive model, total = case quality + expert effect, fitted by
    alternating means. Unlike "my score minus my co-raters' mean" it does not push a severe
    expert's bias onto everyone who shared a panel with them. z = 0.6745 · (effect − median) /
    MAD over experts with at least `min_scores` scores; null when the spread is zero.
    """
    minimum = settings()["outlier"]["min_scores"]
    scored = rows.filter(pl.col("total_score").is_not_null(), pl.col("expert_id").is_not_null())
    submission, stage, expert = (_dense(_codes(scored.get_column(c))) for c in _IDS)
    case = _dense(submission * (int(stage.max(initial=0)) + 1) + stage)
    del submission, stage
    effect = _expert_effects(case, expert, scored.get_column("total_score").to_numpy())
    experts = (
        scored.select(FILE, "expert_id", pl.Series("_d", effect[expert]))
        .group_by("expert_id", maintain_order=True)
        .agg(pl.col(FILE).first(), pl.len().alias("_scores"), pl.col("_d").first())
        .filter(pl.col("_scores") >= minimum)
        .with_columns(pl.col("expert_id").cast(pl.String))
    )
    median = pl.col("_d").median()
    mad = (pl.col("_d") - median).abs().median()
    gap = pl.col("_d") - median
    return experts.with_columns(
        pl.when(mad > 0).then(0.6745 * gap / mad).round(2).alias("_z"),
        gap.abs().round(1).alias("_deviation"),
        pl.when(gap >= 0).then(pl.lit("高")).otherwise(pl.lit("低")).alias("_direction"),
        pl.lit(None, pl.Int64).alias(ROW),
        pl.int_range(pl.len()).alias("_pos"),
    )


def _codes(ids: pl.Series) -> np.ndarray:
    """Integer codes for text, by hashing (sorting 1.6M strings costs half a second)."""
    return ids.cast(pl.Categorical).to_physical().to_numpy().astype(np.int64)


def _dense(codes: np.ndarray) -> np.ndarray:
    """Codes renumbered 0 … k−1 in their order, so bincount has no empty bins: one pass over
    a table as long as the largest code, where np.unique sorts the rows (16.7M at --scale 1000)."""
    if not len(codes):
        return codes
    present = np.zeros(int(codes.max()) + 1, dtype=bool)
    present[codes] = True
    return (np.cumsum(present) - 1)[codes]


def _expert_effects(case: np.ndarray, expert: np.ndarray, total: np.ndarray) -> np.ndarray:
    """Expert effects b of total ≈ a[case] + b[expert], by alternating means (Gauss–Seidel)."""
    if not len(total):
        return np.zeros(0)
    per_case = np.bincount(case).astype(float)
    per_expert = np.bincount(expert).astype(float)
    b = np.zeros(len(per_expert))
    for _ in range(EFFECT_ROUNDS):
        a = np.bincount(case, weights=total - b[expert]) / per_case
        b = np.bincount(expert, weights=total - a[case]) / per_expert
        b -= b.mean()
    return b
