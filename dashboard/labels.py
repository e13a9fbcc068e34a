"""On-screen names of the warehouse's columns and measures, written once (GLOSSARY.md).

Code and SQL use the English names; everything a user reads goes through this module, so a
chart, a table header and an exported file call one idea by one name.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

FUNNEL = (
    ("submissions", "申报"),
    ("recommended", "省级推荐"),
    ("reached_first", "初评"),
    ("reached_second", "复评"),
    ("reached_final", "终评"),
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


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    kind: str  # count | rate | score
    unit: str
    help: str


MEASURES = {
    m.key: m
    for m in (
        Measure("submissions", "申报数", "count", "个", "申报案例（先导单位为申报单位）的个数"),
        Measure("selected", "入选数", "count", "个", "入选并公布的个数"),
        Measure("selection_rate", "入选率", "rate", "", "入选 ÷ 申报"),
        Measure("mean_score", "平均分", "score", "分", "初评专家总分的均值（满分100分）"),
        Measure("recommended", "省级推荐", "count", "个", "省级广电部门审核推荐的个数"),
        Measure("recommendation_rate", "推荐率", "rate", "", "省级推荐 ÷ 申报"),
        Measure("reached_final", "进入终评", "count", "个", "最远进入终评的个数"),
        Measure("final_rate", "终评率", "rate", "", "进入终评 ÷ 申报"),
        Measure("provinces", "参与省份", "count", "个", "有申报的省份数（含兵团，不含中央单位）"),
    )
}
MAP_MEASURES = ("submissions", "selected", "selection_rate", "mean_score")

COLUMNS = {
    "year": "年度",
    "province": "所属省份",
    "region": "区域",
    "track": "申报类型",
    "category": "申报类别",
    "group": "类型/类别",
    "unit_name": "申报单位",
    "unit_type": "单位类型",
    "unit_level": "单位层级",
    "title": "案例名称",
    "submission_id": "申报编号",
    "submissions": "申报数",
    "recommended": "省级推荐",
    "reached_first": "进入初评",
    "reached_second": "进入复评",
    "reached_final": "进入终评",
    "selected": "入选数",
    "selection_rate": "入选率（%）",
    "recommendation_rate": "推荐率（%）",
    "final_rate": "终评率（%）",
    "mean_score": "平均分",
    "provinces": "参与省份",
    "furthest_stage": "最远阶段",
    "is_selected": "入选",
    "is_recommended": "省级推荐",
    "first_score": "初评得分",
    "second_score": "复评得分",
    "final_score": "终评得分",
    "rank": "排名",
    "rank_change": "排名变化",
    "quota": "配额",
    "note": "说明",
}


def rename(frame: pl.DataFrame, extra: dict[str, str] | None = None) -> pl.DataFrame:
    """The frame with its known columns under their on-screen names."""
    names = {**COLUMNS, **(extra or {})}
    return frame.rename({c: names[c] for c in frame.columns if c in names})


RUN_STATUS = {
    "succeeded": "成功",
    "nothing new": "无新数据",
    "failed": "失败",
    "passed": "通过",
    "running": "进行中",
}
FILE_STATUS = {
    "loaded": "已导入",
    "skipped": "已跳过",
    "rejected": "整表拒收",
    "checked": "已检查",
    "pending": "未处理",
}
KINDS = {"submissions": "申报表", "scores": "评分表", "outcomes": "结果表"}
SEVERITY = {"blocking": "阻断（隔离）", "warning": "警告"}
