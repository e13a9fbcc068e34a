"""案例检索: find cases by words of their title or unit, narrow them by anything, page through
the result, export it whole, and open one case's record with its scores per stage.

Search words live in the URL (?q=融媒 短视频, every word must match), as do the page's own
filters, the opened case (?case=2024-000110) and an opened unit (?unit=U…, its 单位档案: every
year it took part, from the unit registry), so a search, a record or a unit can be shared.
Everything below the sidebar runs as a fragment: typing a search does not rerun the page.
"""

from __future__ import annotations

import math

import polars as pl
import streamlit as st

from dashboard import components, queries, unit_record
from dashboard.filters import Filters
from dashboard.markdown import plain
from etl import glossary
from etl.present import fmt, labels, states

PAGE_SIZE = 50
RESULTS = ("全部", "入选", "未入选")
UNSCORED = "未评审"
PUBLISHED_LIST = "公布名单"
CASE = "case"  # the URL parameter of the opened case
CASE_BOX = "case_box"
LIST_COLUMNS = (
    "year",
    "submission_id",
    "title",
    "unit_name",
    "province",
    "group",
    "unit_level",
    "furthest_stage",
    "is_selected",
    "first_score",
    "second_score",
    "final_score",
)


def main() -> None:
    f = components.filters()
    _linked_unit()
    _search(f)


def _linked_unit() -> None:
    """A unit opened from a link (?unit=U…): its record above the search, until closed."""
    unit_id = st.query_params.get(unit_record.UNIT)
    if not unit_id:
        return
    with st.container(border=True):
        unit_record.show(unit_id, heading="###")
        st.button(
            "关闭单位档案",
            key="close_unit",
            on_click=lambda: st.query_params.pop(unit_record.UNIT, None),
        )


@st.fragment
def _search(f: Filters) -> None:
    text = st.text_input(
        "检索",
        key="q",
        bind="query-params",
        placeholder="案例名称或申报单位，如：融媒 短视频",
        icon=":material/search:",
    )
    all_years, result, stages, provinces = _page_filters()
    found = queries.case_search(
        f,
        all_years=all_years,
        keywords=(text or "").split(),
        selected={"入选": True, "未入选": False}.get(result),
        stages=stages,
        provinces=provinces,
    )
    scope = "所有年度" if all_years else f"{f.year}年度"
    st.markdown(
        f"**共 {found.height:,} 条**　{scope}"
        + (f" · 含「{plain(text.strip())}」" if text and text.strip() else "")
    )
    _published_list_note(f, all_years)
    _withheld_note(f, all_years, result, stages)
    if found.is_empty() and not all_years and not components.year_state(f).applies:
        components.empty(components.not_applicable_sentence(f))
        return
    if found.is_empty() and not all_years and not _year_has_data(f):
        components.empty(components.no_data_sentence(f))
        return
    if found.is_empty():
        components.empty(
            "没有符合条件的案例。请减少关键词，或放宽左侧与上方的筛选条件"
            + ("（也可勾选「所有年度」）。" if not all_years else "。")
        )
        return
    shown = _result_page(found)
    name = f"案例检索_{text.strip()}" if text and text.strip() else "案例检索"
    components.downloads(
        _export_frame(found),
        name,
        None if all_years else f,
        "cases",
        extra_parts=_parts(f, all_years),
    )
    _record(found, shown)


def _withheld_note(f: Filters, all_years: bool, result: str, stages: list[str]) -> None:
    """Where results are withheld, a search by result or stage cannot find those years' cases."""
    totals = queries.year_totals(f).filter(pl.col("result_status") == states.WITHHELD)
    years = [y for y in totals["year"].to_list() if all_years or y == f.year]
    if years:
        by = (
            "，按「结果」「最远阶段」筛选时不含这些年度的案例" if result != "全部" or stages else ""
        )
        st.caption(f"{'、'.join(map(str, years))}年度评审结果{fmt.WITHHELD}{by}。")


def _year_has_data(f: Filters) -> bool:
    year = components.year_row(queries.year_totals(f), f.year)
    return bool(year and year["submissions"])


def _page_filters() -> tuple[bool, str, list[str], list[str]]:
    provinces = queries.provinces().filter(pl.col("takes_part"))["province"].to_list()
    one, two, three, four = st.columns([2, 3, 3, 4], vertical_alignment="bottom")
    with one:
        all_years = st.toggle(
            "所有年度", key="all_years", bind="query-params", help="不限左侧所选年度"
        )
    with two:
        result = st.segmented_control(
            "结果", RESULTS, default="全部", required=True, key="result", bind="query-params"
        )
    with three:
        stages = st.multiselect(
            "最远阶段",
            (UNSCORED, *glossary.stages()),
            key="reached",
            bind="query-params",
            placeholder="全部",
            help=f"{UNSCORED}：没有进入专家评审（未获推荐或没有评分记录）",
            select_all=False,
        )
    with four:
        chosen = st.multiselect(
            "所属省份",
            provinces,
            key="prov",
            bind="query-params",
            placeholder="全部",
            select_all=False,
        )
    return all_years, result, stages, chosen


def _published_list_note(f: Filters, all_years: bool) -> None:
    totals = queries.year_totals(f)
    listed = totals.filter(
        pl.col("submissions") > 0, pl.col("from_published_list") == pl.col("submissions")
    )
    years = listed["year"].to_list() if all_years else [y for y in listed["year"] if y == f.year]
    if years:
        st.caption(
            f"{'、'.join(str(y) for y in years)}年度只有公布名单：只有入选案例，没有申报表与评分数据。"
        )


def _result_page(found: pl.DataFrame) -> pl.DataFrame:
    """One page of the result as a table whose rows can be clicked to open a case."""
    pages = math.ceil(found.height / PAGE_SIZE)
    if st.session_state.get("page", 1) > pages:
        st.session_state["page"] = 1
    page = 1
    if pages > 1:
        page = st.number_input(f"页码（共 {pages} 页，每页 {PAGE_SIZE} 条）", 1, pages, key="page")
    shown = found.slice((page - 1) * PAGE_SIZE, PAGE_SIZE)
    table = labels.rename(_list_frame(shown), {"group": "类型/类别"})
    st.dataframe(
        table.to_arrow(),
        hide_index=True,
        column_config=components.formats(table),
        key="results",
        placeholder="—",
        on_select=lambda: _open_clicked(shown),
        selection_mode="single-row",
    )
    st.caption("点击表格左侧选择一行，或在下方选择案例，查看案例详情。下载为全部检索结果。")
    if shown["title"].null_count():
        st.caption(labels.UNTITLED_NOTE)
    return shown


def _list_frame(rows: pl.DataFrame) -> pl.DataFrame:
    withheld = pl.col("result_status") == states.WITHHELD
    return (
        rows.with_columns(
            pl.coalesce("category", "track").alias("group"),
            pl.when(withheld)
            .then(pl.lit(fmt.WITHHELD))
            .otherwise(pl.col("furthest_stage").fill_null(UNSCORED))
            .alias("furthest_stage"),
        )
        .pipe(states.masked, ("is_selected", "first_score", "second_score", "final_score"), ())
        .pipe(labels.with_shown_titles)
        .select(LIST_COLUMNS)
    )


def _export_frame(found: pl.DataFrame) -> pl.DataFrame:
    results = ("furthest_stage", "is_selected", "first_score", "second_score", "final_score")
    found = states.masked(found, results, ())
    return labels.rename(
        found.select(
            "year",
            "submission_id",
            "title",
            "unit_name",
            "unit_type",
            "unit_level",
            "province",
            "region",
            "track",
            "category",
            "is_recommended",
            "furthest_stage",
            "is_selected",
            "first_score",
            "second_score",
            "final_score",
            "source",
            "needs_review",
            "review_note",
        ),
        {"source": "来源", "needs_review": "省份待确认", "review_note": "省份说明"},
    )


def _parts(f: Filters, all_years: bool) -> tuple[str, ...]:
    return ("所有年度", f.slug(with_year=False)) if all_years else ()


def _open_clicked(shown: pl.DataFrame) -> None:
    rows = st.session_state["results"].selection.rows
    if rows:
        _open(shown["submission_id"][rows[0]])


def _open(submission_id: str | None) -> None:
    """Open a case: the box shows it and the URL carries it (?case=…)."""
    st.session_state[CASE_BOX] = submission_id
    if submission_id:
        st.query_params[CASE] = submission_id
    else:
        st.query_params.pop(CASE, None)


def _record(found: pl.DataFrame, shown: pl.DataFrame) -> None:
    st.subheader("案例详情")
    # The box is not bound to the URL itself: a bound box would put its label (编号 · 名称)
    # in the URL; ?case= carries the bare 申报编号.
    wanted = st.session_state.get(CASE_BOX) or st.query_params.get(CASE)
    ids = shown["submission_id"].to_list()
    known = bool(wanted) and bool((found["submission_id"] == wanted).any())
    if known and wanted not in ids:
        ids.insert(0, wanted)
    if wanted and not known:
        st.query_params.pop(CASE, None)  # the search no longer finds it: no stale link
    if CASE_BOX not in st.session_state or st.session_state[CASE_BOX] not in ids:
        st.session_state[CASE_BOX] = wanted if known else None
    listed = found.filter(pl.col("submission_id").is_in(ids))
    shown_titles = map(labels.shown_title, listed["title"], listed["unit_name"])
    titles = dict(zip(listed["submission_id"], shown_titles, strict=True))
    chosen = st.selectbox(
        "查看案例",
        ids,
        index=None,
        key=CASE_BOX,
        on_change=lambda: _open(st.session_state[CASE_BOX]),
        format_func=lambda i: f"{i} · {titles.get(i, '')}",
        placeholder="选择一个案例（本页结果）",
    )
    if chosen is None:
        return
    case = found.filter(pl.col("submission_id") == chosen).row(0, named=True)
    _fields(case)
    _scores(case)
    unit_record.show(case.get("unit_id"))


def _fields(case: dict) -> None:
    withheld = case["result_status"] == states.WITHHELD
    st.markdown(f"#### {plain(labels.shown_title(case['title'], case['unit_name']))}")
    result = (
        f"评审结果{fmt.WITHHELD}" if withheld else "**入选**" if case["is_selected"] else "未入选"
    )
    if case["result_status"] == states.INTERNAL:
        result += f"（{fmt.INTERNAL}：尚未公布）"
    st.markdown(
        f"{plain(case['unit_name'])} · {case['province'] or '所属省份待确认'} · {case['year']}年度 · "
        + result
    )
    if case["needs_review"]:
        st.warning(
            f"所属省份无法确定，需人工确认：{plain(case['review_note'] or '未说明原因')}",
            icon=":material/help:",
        )
    elif case["province_source"] == "inferred":
        st.caption(f"所属省份由单位名称推断：{plain(case['review_note'])}。")
    fields = [
        ("申报编号", case["submission_id"]),
        ("年度", str(case["year"])),
        ("案例名称", case["title"] or "未列出（公布名单只列出单位）"),
        ("申报单位", case["unit_name"]),
        ("单位类型", case["unit_type"]),
        ("单位层级", case["unit_level"] or "未标注"),
        ("所属省份", case["province"] or "待确认"),
        ("区域", case["region"]),
        ("申报类型", case["track"]),
        ("申报类别", case["category"]),
        ("提交时间", fmt.moment(case["submitted_at"]) if case["submitted_at"] else None),
        ("省级推荐", _yes_no(case["is_recommended"])),
        ("最远阶段", fmt.WITHHELD if withheld else case["furthest_stage"] or UNSCORED),
        ("入选", fmt.WITHHELD if withheld else _yes_no(case["is_selected"])),
        ("来源", case["source"]),
        (
            "省份来源",
            {"file": "申报表", "inferred": "由单位名称推断"}.get(
                case["province_source"] or "", "—"
            ),
        ),
        ("省份说明", case["review_note"]),
    ]
    record = pl.DataFrame(
        {
            "字段": [k for k, _ in fields],
            "内容": [v if v not in (None, "") else "—" for _, v in fields],
        }
    )
    height = 35 * (record.height + 1) + 3  # every field at once, no scrolling
    components.table(record, f"案例_{case['submission_id']}", None, "record", height=height)


def _yes_no(value: bool | None) -> str:
    return "—" if value is None else ("是" if value else "否")


def _scores(case: dict) -> None:
    st.markdown("##### 各阶段得分")
    if case["source"] == PUBLISHED_LIST:
        components.empty(f"该条目来自{case['year']}年度的公布名单：该年度没有申报表和评分数据。")
        return
    if case["result_status"] == states.WITHHELD:
        components.empty(f"{case['year']}年度评审结果{fmt.WITHHELD}：各阶段得分与名次公布后可见。")
        return
    scores = queries.case_scores(case["submission_id"])
    if scores.is_empty():
        components.empty("该案例没有评分记录（未进入专家评审）。")
        return
    names = {
        "stage": "评审阶段",
        "experts": "专家数",
        "mean_score": "平均分",
        "min_score": "最低分",
        "max_score": "最高分",
        "political": "政治性",
        "innovation": "创新性",
        "effectiveness": "实效性",
        "typicality": "典型性",
        "rank_in_group": "组内名次",
    }
    cutoff = scores["cutoff"].drop_nulls()
    components.table(
        labels.rename(scores.drop("cutoff"), names),
        f"案例得分_{case['submission_id']}",
        None,
        "case_scores",
    )
    final = scores.filter(pl.col("stage") == glossary.final_stage())
    if cutoff.len() and final.height:
        gap = final["mean_score"][0] - cutoff[0]
        st.markdown(
            f"该组入选线（全国入选案例{glossary.final_stage()}平均分的最低值）{fmt.score(cutoff[0])}；"
            f"本案例{glossary.final_stage()}平均分{'高于' if gap >= 0 else '低于'}入选线 {abs(gap):.1f} 分。"
        )
    st.caption(
        "平均分、最低分、最高分为该阶段各位专家总分的统计；各维度为专家平均；"
        "组内名次为该阶段同组全国全部案例中的名次。"
    )


main()
