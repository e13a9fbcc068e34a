"""数据质量: what was loaded when, which rules passed, what was kept aside and why.

What each role sees is decided by its scoped database (issue 5): a bureau's quarantined and
flagged rows are those of its own province's submission files (so it can fix them), a
researcher sees the loads and rules but no row, the corrections need meta.corrections (leader,
admin), and the run's quality report (a file on the server quoting raw cells of every file) is
shown only to the roles that see loaded files in full (access.toml `internal`: leader, admin).
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import auth, components, queries
from etl import glossary
from etl.access import audit
from etl.config import db_path, docs_dir
from etl.pipeline.load import unit_decision
from etl.present import fmt, labels
from etl.reference.contract import SPECS

RUN_COLUMNS = {
    "finished_at": "完成时间",
    "command": "命令",
    "status": "状态",
    "files": "文件数",
    "rows_read": "读入行",
    "rows_accepted": "接收行",
    "rows_quarantined": "隔离行",
    "rows_warned": "警告行",
    "seconds": "用时（秒）",
    "rules": "检查规则",
    "rules_failed": "未通过规则",
}
MATCH_COLUMNS = {"province": "所属省份", "name_a": "名称一", "name_b": "名称二", "score": "得分",
                 "reason": "原因"}  # fmt: skip
FIELD_HEADERS = {c.field: c.header for spec in SPECS for c in spec.columns}
ISSUE_COLUMNS = {
    "finished_at": "导入时间",
    "file_name": "文件",
    "kind": "文件类型",
    "excel_row": "行号（Excel）",
    "column_header": "列",
    "field": "字段",
    "rule_id": "规则",
    "value": "原值",
    "message": "原因",
    "original_cells": "原始行内容",
    "before": "修正前",
    "after": "修正后",
}


def main() -> None:
    runs = queries.load_runs()
    if runs.is_empty():
        components.empty("仓库里还没有导入记录。")
        return
    _freshness(runs)
    _runs(runs)
    run_id = _run_picker(runs)
    _rules(run_id)
    _files(run_id)
    if queries.can_read("meta.quarantine"):
        provinces = _province_filter()
        _quarantine(provinces)
        _flags(provinces)
    else:
        st.subheader("被隔离的行")
        components.empty("按当前角色的权限，不显示被隔离和警告的行（其中有各省申报表的原始内容）。")
    if queries.can_read("meta.unit_matches"):
        _unit_matches()
    if queries.can_read("meta.corrections"):
        _corrections()
    if auth.current().role.internal:
        _validation_report(run_id)


def _freshness(runs: pl.DataFrame) -> None:
    version = queries.version()
    last = runs.row(0, named=True)
    status = glossary.RUN_STATUS.get(last["status"], last["status"])
    quarantined = fmt.count(int(runs["rows_quarantined"].sum()), "行")
    st.container(border=True).markdown(
        f"**数据截至** {fmt.day(version.data_as_of)}　"
        f"**最近一次导入** {fmt.moment(last['finished_at'])}（{status}）　"
        f"**累计隔离** {quarantined}"
    )


def _runs(runs: pl.DataFrame) -> None:
    st.subheader("最近的导入")
    shown = runs.select(
        "finished_at",
        "command",
        pl.col("status").replace(glossary.RUN_STATUS),
        *[c for c in RUN_COLUMNS if c not in ("finished_at", "command", "status")],
    )
    components.table(shown.rename(RUN_COLUMNS), "导入记录", None, "runs")


def _run_picker(runs: pl.DataFrame) -> str:
    times = dict(zip(runs["run_id"], runs["finished_at"], strict=True))
    return st.selectbox(
        "查看哪一次导入",
        runs["run_id"].to_list(),
        format_func=lambda r: f"{fmt.moment(times[r])}（{r}）",
        key="run",
        placeholder="请选择",
    )


def _rules(run_id: str) -> None:
    st.subheader("质量规则")
    results = queries.dq_results(run_id)
    if results.is_empty():
        components.empty("这次导入没有运行质量规则（例如用 --no-gate 导入，或没有新文件）。")
        return
    failed = results.filter(~pl.col("passed"))
    one, two, three = st.columns(3)
    one.metric("检查的规则", fmt.count(results.height, "条"), border=True)
    two.metric("通过", fmt.count(results.height - failed.height, "条"), border=True)
    three.metric("未通过", fmt.count(failed.height, "条"), border=True)
    shown = results.select(
        "rule_id",
        pl.col("kind").replace(glossary.KINDS),
        "description",
        pl.col("severity").replace(glossary.SEVERITY),
        "checked",
        "failed",
        "failed_pct",
        pl.when("passed").then(pl.lit("通过")).otherwise(pl.lit("未通过")).alias("passed"),
    )
    names = {
        "rule_id": "规则",
        "kind": "文件类型",
        "description": "说明",
        "severity": "级别",
        "checked": "检查数",
        "failed": "未通过数",
        "failed_pct": "未通过比例（%）",
        "passed": "结果",
    }
    components.table(shown.rename(names), "质量规则结果", None, "rules", extra_parts=(run_id,))


def _files(run_id: str) -> None:
    with st.expander("这次导入的文件"):
        files = queries.load_files(run_id).with_columns(
            pl.col("kind").replace(glossary.KINDS), pl.col("status").replace(glossary.FILE_STATUS)
        )
        names = {
            "file_name": "文件",
            "kind": "文件类型",
            "encoding": "编码",
            "bytes": "字节",
            "status": "状态",
            "is_simulated": labels.SIMULATED,
            "rows_read": "读入行",
            "rows_accepted": "接收行",
            "rows_quarantined": "隔离行",
            "rows_warned": "警告行",
            "seconds": "用时（秒）",
            "message": "说明",
        }
        components.table(files.rename(names), "导入文件", None, "files", extra_parts=(run_id,))


def _province_filter() -> list[str]:
    st.subheader("被隔离的行")
    own = auth.current().scope.province
    if own:
        st.caption(f"只显示{own}申报表中的问题行（省局角色）。")
        return []
    names = queries.provinces().filter(pl.col("takes_part"))["province"].to_list()
    chosen = st.multiselect(
        "只看这些省份的行",
        names,
        key="province",
        bind="query-params",
        placeholder="全部省份",
        help="省局可只看本省文件中的问题行；未能识别省份的行只在不筛选时显示。",
        select_all=False,
    )
    return list(chosen)


def _field_headers(frame: pl.DataFrame) -> pl.DataFrame:
    """English field names (material_chars) as the Chinese headers of the contract (材料字数)."""
    if "field" not in frame.columns:
        return frame
    return frame.with_columns(pl.col("field").replace(FIELD_HEADERS))


def _issues(frame: pl.DataFrame) -> pl.DataFrame:
    renamed = {
        c: n for c, n in {**ISSUE_COLUMNS, "province": "所属省份"}.items() if c in frame.columns
    }
    frame = _field_headers(frame)
    return frame.with_columns(pl.col("kind").replace(glossary.KINDS)).rename(renamed)


def _quarantine(provinces: list[str]) -> None:
    rows = queries.quarantine(provinces)
    if rows.is_empty():
        components.empty("没有被隔离的行。" if not provinces else "所选省份没有被隔离的行。")
        return
    st.caption(
        f"共 {rows.height:,} 条问题（阻断规则未通过，这些行未进入仓库），修改原文件后重新导入即可。"
    )
    parts = ("+".join(provinces),) if provinces else ()
    components.table(_issues(rows), "隔离行", None, "quarantine", extra_parts=parts)


def _flags(provinces: list[str]) -> None:
    st.subheader("警告")
    rows = queries.row_flags(provinces)
    if rows.is_empty():
        components.empty("没有警告。")
        return
    st.caption("警告规则未通过：这些行已进入仓库，并做了标记，请核实。")
    parts = ("+".join(provinces),) if provinces else ()
    components.table(_issues(rows), "警告行", None, "flags", extra_parts=parts)


def _unit_matches() -> None:
    """The unit registry's suggestions; an admin decides each, and the warehouse is rebuilt."""
    st.subheader("单位名称待确认")
    rows = queries.unit_matches()
    if rows.is_empty():
        components.empty("没有待确认的单位名称匹配。")
        return
    st.caption(
        "单位登记不能自动判定是否同一单位的名称（得分 0.5–0.99）。决定写入单位别名参考表"
        "（仓库的参考数据，与代码一同审阅），之后每次重建都沿用。"
    )
    shown = rows.rename(MATCH_COLUMNS).with_columns(pl.col("得分").round(2))
    st.dataframe(shown.to_arrow(), hide_index=True, key="unit_matches")
    if auth.current().scope.role != "admin":
        return
    options = [
        f"{i}. {a} ↔ {b}" for i, (a, b) in enumerate(rows.select("name_a", "name_b").iter_rows(), 1)
    ]
    chosen = st.selectbox("待确认的一对", options, key="unit_match_pick", placeholder="请选择")
    number = options.index(chosen) + 1
    left, right, _ = st.columns([1, 1, 3])
    if left.button("确认是同一单位", type="primary", key="unit_match_confirm"):
        _decide(number, merge=True)
    if right.button("不是同一单位", key="unit_match_reject"):
        _decide(number, merge=False)


def _decide(number: int, merge: bool) -> None:
    access = auth.current()
    with st.spinner("正在记录决定并重建仓库，看板照常可用…"):
        try:
            made = unit_decision(number, merge, access.who)
        except Exception as exc:  # noqa: BLE001 - the message is for the admin
            st.error(f"未能记录：{exc}")
            return
    audit.record(access.who, "unit_decision", f"{made.alias} ↔ {made.canonical}：{made.decision}",
                 role=access.scope.key)  # fmt: skip
    st.success(
        f"已记录：{made.alias} 与 {made.canonical}（{made.province}）{made.decision}，仓库已重建。"
    )


def _corrections() -> None:
    st.subheader("自动修正")
    rows = queries.corrections()
    if rows.is_empty():
        components.empty("没有自动修正。")
        return
    st.caption(
        "导入时按规则自动统一的写法（如「浙江省」→「浙江」、全角数字→半角），原值保留在此备查。"
    )
    shown = _field_headers(rows).rename(ISSUE_COLUMNS, strict=False)
    components.table(shown, "自动修正", None, "corrections")


def _validation_report(run_id: str) -> None:
    """The chosen run's quality report: a Chinese web page that needs no network, to read here,
    download, forward or print (etl/pipeline/validation_report.py)."""
    st.subheader("质量检查报告")
    page = docs_dir(db_path()) / f"{run_id}.html"
    if not page.exists():
        components.empty("这次导入没有质量检查报告（未经质量检查，或报告未能写出）。")
        return
    html = page.read_text(encoding="utf-8")
    st.caption(
        "上面「质量规则」的结果写成的一份网页：不需要联网即可打开，可下载转发或打印；"
        "其中的原值举例来自导入的文件，只有能看到全部导入文件的角色可见。"
    )
    st.download_button(
        "下载质量检查报告（网页）",
        html.encode("utf-8"),
        file_name=f"数据质量检查报告_{run_id}.html",
        mime="text/html",
        icon=":material/download:",
    )
    with st.expander("在看板中查看"):
        st.iframe(html, height=600, alt="数据质量检查报告")


main()
