"""The export files the ETL accepts: one spec per file kind (see docs/data-contract.md).

Canonical headers are Chinese; each column also accepts the English field name and the
variants bureaus actually type. Header matching (`header_key`) ignores what people add around a
name: width, spaces and line breaks (Alt+Enter), invisible characters, `*` and ★ marks, a
trailing colon, and bracketed units or notes, so "材料字数\n（字）", "*申报单位：" and
"【必填】案例名称" all match.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from etl.reference.text import visible


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    kind: str  # text | int | date | datetime | bool | score | province | enum
    required: bool = True  # the header must be in the file (and, unless blank_ok, each cell filled)
    aliases: tuple[str, ...] = ()
    blank_ok: bool = False  # a cell may be empty; the suite's own rules say when it may not
    absent: str | None = None  # the value of every row when the file has no such column

    def names(self) -> tuple[str, ...]:
        return (self.header, self.field, *self.aliases)


@dataclass(frozen=True)
class ExportSpec:
    kind: str
    label: str
    grain: str
    columns: tuple[Column, ...]

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    def column(self, field: str) -> Column:
        return next(c for c in self.columns if c.field == field)


_PROVINCE_ALIASES = ("省份", "所属地区", "地区", "省(区、市)", "所属省(区、市)", "省区市", "省")

SUBMISSIONS = ExportSpec(
    kind="submissions",
    label="申报表",
    grain="每个申报案例一行",
    columns=(
        Column("submission_id", "申报编号", "text", aliases=("编号", "申报ID", "案例编号", "id")),
        Column("year", "年度", "int", aliases=("年份", "申报年度")),
        Column("track", "申报类型", "enum", aliases=("类型", "推选类型")),
        Column("category", "申报类别", "enum", required=False, aliases=("类别", "案例类别")),
        Column("unit_name", "申报单位", "text", aliases=("单位名称", "申报机构", "unit")),
        Column("unit_type", "单位类型", "enum", aliases=("机构类型",)),
        Column("unit_level", "单位层级", "enum", aliases=("层级", "单位级别", "level")),
        Column("province", "所属省份", "province", aliases=_PROVINCE_ALIASES),
        # A 先导单位 is an organisation: its row needs a unit, not a title (rule in the suite).
        Column(
            "title", "案例名称", "text", aliases=("项目名称", "名称", "case_title"), blank_ok=True
        ),
        Column("submitted_at", "提交时间", "datetime", aliases=("申报时间", "提交日期")),
        Column("material_chars", "材料字数", "int", aliases=("字数",)),
        Column("is_recommended", "省级推荐", "bool", aliases=("是否推荐", "推荐", "省级推荐意见")),
    ),
)

SCORES = ExportSpec(
    kind="scores",
    label="评分表",
    grain="每个申报案例 × 评审阶段 × 专家一行",
    columns=(
        Column("submission_id", "申报编号", "text", aliases=("编号", "申报ID", "案例编号")),
        Column("stage", "评审阶段", "enum", aliases=("阶段", "评审轮次")),
        Column("expert_id", "专家编号", "text", aliases=("专家", "专家ID")),
        Column("expert_province", "专家所在省份", "province", aliases=("专家省份",)),
        Column("political", "政治性", "score"),
        Column("innovation", "创新性", "score"),
        Column("effectiveness", "实效性", "score"),
        Column("typicality", "典型性", "score"),
        Column("total_score", "总分", "score", aliases=("合计", "得分", "total")),
        Column("scored_at", "评分时间", "datetime", aliases=("评分日期",)),
    ),
)

OUTCOMES = ExportSpec(
    kind="outcomes",
    label="结果表",
    grain="每个入选项目一行（总局公布名单的形式）",
    columns=(
        Column("year", "年度", "int", aliases=("年份",)),
        Column("track", "申报类型", "enum", aliases=("类型", "推选类型")),
        Column("category", "申报类别", "enum", required=False, aliases=("类别", "案例类别")),
        Column("unit_name", "申报单位", "text", aliases=("单位名称", "申报机构", "推荐单位")),
        # Published lists and news reports often name only the unit: a warning, not a quarantine.
        Column(
            "title", "案例名称", "text", aliases=("项目名称", "名称", "case_title"), blank_ok=True
        ),
        # A published list is a list of the selected: without a 结果 column every row is 入选.
        Column(
            "result",
            "结果",
            "enum",
            required=False,
            absent="入选",
            aliases=("推选结果", "入选情况", "outcome"),
        ),
        Column("province", "所属省份", "province", required=False, aliases=_PROVINCE_ALIASES),
        Column("submission_id", "申报编号", "text", required=False, aliases=("编号", "申报ID")),
    ),
)

# The 评审打分汇总表 review offices pass around: one row per case and stage, one column per
# expert's total (专家1 … 专家N, or the experts' ids). It is read as 评分表 rows, one per case ×
# stage × expert (etl.pipeline.wide): its spec names the columns of those rows. The experts'
# columns themselves are found by EXPERT_HEADER, not listed here; 平均分, 去掉最高最低后平均分
# and 排名 are the sheet's own figures, checked against the experts' columns, never loaded.
SCORE_SUMMARY = ExportSpec(
    kind="scores",
    label="评分汇总表",
    grain="每个申报案例 × 评审阶段一行，每位专家的总分一列（按专家展开为评分表的行）",
    columns=(
        Column(
            "submission_id",
            "申报编号",
            "text",
            required=False,
            aliases=("编号", "申报ID", "案例编号"),
        ),
        Column("stage", "评审阶段", "enum", required=False, aliases=("阶段", "评审轮次")),
        Column("unit_name", "申报单位", "text", required=False, aliases=("单位名称", "申报机构")),
        Column("title", "案例名称", "text", required=False, aliases=("项目名称", "名称")),
        Column("expert_id", "专家", "text"),  # the header of the expert's column
        Column("total_score", "专家打分", "score"),  # that expert's total, the cell
        Column("mean_score", "平均分", "score", required=False, aliases=("平均得分", "平均")),
        Column(
            "trimmed_mean",
            "去掉最高最低后平均分",
            "score",
            required=False,
            aliases=(
                "去掉最高分和最低分后平均分",
                "去掉一个最高分和一个最低分后平均分",
                "去掉最高分最低分后平均分",
                "去最高最低平均分",
            ),
        ),
        Column("rank", "排名", "int", required=False, aliases=("名次",)),
    ),
)
# An expert's column: 专家1, 专家 12, 专家A, 评委3, or an id such as E017 (as header_key has it).
EXPERT_HEADER = re.compile(r"^(?:(?:评审)?专家|评委)[0-9a-z]{1,4}$|^[a-z]{1,3}\d{2,5}$")
SUMMARY_FIGURES = ("mean_score", "trimmed_mean", "rank")  # the sheet's own, checked

SPECS = (SUBMISSIONS, SCORES, OUTCOMES)
UNTITLED_TRACKS = ("先导单位",)  # tracks whose items are organisations, named by unit alone
SPEC_BY_KIND = {spec.kind: spec for spec in SPECS}

# A bracketed unit or note at either end: (字) （单位：字） [必填] 【必填】 〔注〕.
_END_BRACKETS = re.compile(r"(\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕)$")
_START_BRACKETS = re.compile(r"^(\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕)")
_MARKS = "*★☆※#"
_KEPT_BRACKETS = {"省(区、市)", "所属省(区、市)"}  # the bracket is the name itself


def header_key(text: str) -> str:
    """A header reduced to what identifies it (see the module docstring)."""
    key = re.sub(r"\s+", "", visible(unicodedata.normalize("NFKC", str(text))))
    previous = None
    while key != previous and key not in _KEPT_BRACKETS:
        previous = key
        key = key.strip(_MARKS).rstrip(":")
        key = _START_BRACKETS.sub("", _END_BRACKETS.sub("", key))
    return key.lower()


@cache
def header_index(spec: ExportSpec) -> dict[str, str]:
    """header_key -> field, for every accepted name of every column of the spec."""
    return {header_key(name): col.field for col in spec.columns for name in col.names()}
