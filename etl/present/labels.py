"""Measures and notes: how a number is labelled, counted and caveated, on a page and in a report.

Column names, statuses and other terms come from etl.glossary, written once for the CLI,
the reports and the pages alike; this module adds the measures, thresholds and notes
that the pages and the written brief (etl/brief) share.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from etl.glossary import COLUMNS, stages

FUNNEL = (
    ("submissions", "申报"),
    ("recommended", "省级推荐"),
    *zip(("reached_first", "reached_second", "reached_final"), stages(), strict=True),
    ("selected", "入选"),
)
PEER_REGIONS = ("东部", "中部", "西部", "东北")
REGIONS = (*PEER_REGIONS, "兵团")  # 中央单位 is governed by its own switch
CENTRAL = "中央单位"
SMALL_SAMPLE = 10  # a rate over fewer submissions than this is flagged, not hidden
SMALL_SAMPLE_NOTE = "样本少，仅供参考"
SCHEME_CHANGE_YEAR = 2024
SCHEME_CHANGE_NOTE = "2024年起改为四个类别，类别数据不与往年比较"
SIMULATED = "模拟数据"
# An item a published list names by its unit alone (a 先导单位, or a news report's 典型案例): its
# title stays null in the warehouse; a page shows the unit's name with this mark in its place.
UNTITLED = "〔单位〕"
UNTITLED_NOTE = (
    "〔单位〕：公布名单只列出单位、没有案例名称的条目（如先导单位），在案例名称处显示单位名称。"
)


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    kind: str  # count | rate | score
    unit: str
    help: str
    is_result: bool = False  # a review result (stage reached, 入选, score): 未公布 where withheld


MEASURES = {
    m.key: m
    for m in (
        Measure("submissions", "申报数", "count", "个", "申报案例（先导单位为申报单位）的个数"),
        Measure("selected", "入选数", "count", "个", "入选并公布的个数", True),
        Measure("selection_rate", "入选率", "rate", "", "入选 ÷ 申报", True),
        Measure("mean_score", "平均分", "score", "分", "初评专家总分的均值（满分100分）", True),
        Measure("recommended", "省级推荐", "count", "个", "省级广电部门审核推荐的个数"),
        Measure("recommendation_rate", "推荐率", "rate", "", "省级推荐 ÷ 申报"),
        Measure("reached_final", "进入终评", "count", "个", "最远进入终评的个数", True),
        Measure("final_rate", "终评率", "rate", "", "进入终评 ÷ 申报", True),
        Measure("provinces", "参与省份", "count", "个", "有申报的省份数（含兵团，不含中央单位）"),
    )
}
MAP_MEASURES = ("submissions", "selected", "selection_rate", "mean_score")


def rename(frame: pl.DataFrame, extra: dict[str, str] | None = None) -> pl.DataFrame:
    """The frame with its known columns under their on-screen names."""
    names = {**COLUMNS, **(extra or {})}
    return frame.rename({c: names[c] for c in frame.columns if c in names})


def shown_title(title: str | None, unit_name: str | None) -> str:
    """What a page shows where a case's title stands: the title, or the marked unit name."""
    return title if title else f"{UNTITLED}{unit_name or ''}"


def with_shown_titles(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with each null title shown as the marked unit name (for display, not export)."""
    shown = pl.coalesce(pl.col("title"), pl.lit(UNTITLED) + pl.col("unit_name"))
    return frame.with_columns(shown.alias("title"))
