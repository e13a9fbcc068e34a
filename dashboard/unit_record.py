"""单位档案: one unit's path through the programme, from the unit registry (issue 13).

Every year it took part (the name it wrote that year, its submissions, tracks or categories,
the furthest stage, whether it was selected) and every name it was seen under. 案例检索 shows
it under an opened case and on its own from a link (?unit=U…), so any table that names a
unit can link to it. A result the role may not see reads 未公布, never 未入选.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import components, export, queries
from dashboard.markdown import plain
from etl.present import fmt, states

UNIT = "unit"  # the URL parameter of an opened unit
HISTORY = "mart.unit_history"


def available() -> bool:
    """Whether the session's role reads the unit registry at all."""
    return queries.can_read(HISTORY)


def show(unit_id: str | None, *, heading: str = "####") -> None:
    """The unit's record, or a sentence saying why there is none to show."""
    if not unit_id or not available():
        return
    profile = queries.unit_profile(unit_id)
    if profile.is_empty():
        components.empty(
            "该单位的档案不在本角色可查看的范围内（省局只能查看本省单位的档案），"
            "或链接中的单位编号有误。"
        )
        return
    unit = profile.row(0, named=True)
    path = queries.unit_path(unit_id)
    st.markdown(f"{heading} 单位档案：{plain(unit['unit_name'])}")
    place = " · ".join(v for v in (unit["province"], unit["unit_level"], unit["unit_type"]) if v)
    st.markdown(f"{plain(place)} · {_summary(unit, path)}")
    components.table(_years(path), f"单位档案_{unit['unit_name']}", None, f"unit_{unit_id}")
    names = queries.unit_names(unit_id)
    if names.height > 1:
        st.markdown("**曾用名称**（同一单位在不同年度或文件中的写法，由单位名称匹配认定）")
        shown = names.select(
            pl.col("unit_name").alias("名称"),
            pl.col("first_year").alias("首次出现"),
            pl.col("last_year").alias("最近出现"),
            pl.col("rows_seen").alias("出现行数"),
        )
        components.table(shown, f"单位名称_{unit['unit_name']}", None, f"unit_names_{unit_id}")
    st.caption(
        f"单位编号 {unit_id}（可用 ?unit={unit_id} 分享本档案）。"
        "2019—2023年分三种申报类型，2024年起只有典型案例、分四个类别。"
    )


def _summary(unit: dict, path: pl.DataFrame) -> str:
    years = path["year"].to_list()
    span = f"{years[0]}年" if len(years) == 1 else f"{years[0]}—{years[-1]}年"
    seen = path.filter(pl.col("result_status") != states.WITHHELD)
    withheld = path.height - seen.height
    selected = int(seen["selected"].fill_null(0).sum())
    sentence = (
        f"{span}间参与 {len(years)} 个年度，申报 {int(path['submissions'].sum())} 个，"
        f"入选 {selected} 个"
    )
    if withheld:
        hidden = "、".join(
            str(y) for y in path.filter(pl.col("result_status") == states.WITHHELD)["year"]
        )
        sentence += f"（{hidden}年度评审结果{fmt.WITHHELD}，未计入）"
    return sentence + "。"


def _years(path: pl.DataFrame) -> pl.DataFrame:
    withheld = pl.col("result_status") == states.WITHHELD
    selected = (
        pl.when(withheld)
        .then(pl.lit(fmt.WITHHELD))
        .when(pl.col("is_selected"))
        .then(pl.lit("入选：") + pl.col("selected_tracks").list.join("、"))
        .otherwise(pl.lit("未入选"))
    )
    return path.select(
        pl.col("year").alias("年度"),
        pl.col("unit_name").alias("填报名称"),
        pl.col("submissions").alias("申报数"),
        pl.col("tracks").list.join("、").alias("申报类型"),
        pl.col("categories").list.join("、").replace("", None).alias("申报类别"),
        pl.when(withheld)
        .then(pl.lit(fmt.WITHHELD))
        .otherwise(pl.col("furthest_stage").fill_null("未评审"))
        .alias("最远阶段"),
        selected.alias("结果"),
        pl.when(pl.col("is_first_year"))
        .then(pl.lit(export.YES))
        .otherwise(pl.lit(export.NO))
        .alias("首次参与"),
    )
