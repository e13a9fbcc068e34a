"""推荐自查: a provincial bureau checks its draft recommendation workbook before it submits.

The same report as `etl check` (etl.pipeline.load.check), compared with the bureau's own
province only: the notice's rules (4 per category, 12 in all, the deadline, 5,000 字, the
required fields), every problem by Excel row, and the rejected-rows workbook to fix and send
again. A row of another province is itself a finding. Nothing is loaded into the warehouse:
the files sit in a private temporary folder for the length of the check, then are removed.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import polars as pl
import streamlit as st

from dashboard import auth, components
from etl import glossary
from etl.access import audit
from etl.config import db_path
from etl.pipeline.load import check
from etl.pipeline.report import skipped_rows, summary_text, write_rejected_xlsx

RESULT = "_self_check_result"
FINDING_COLUMNS = {"file": "文件", "where": "位置", "column": "列", "severity": "性质",
                   "message": "问题"}  # fmt: skip


def main() -> None:
    province = auth.current().scope.province
    if not province:
        st.info("本页供省局检查本省的推荐汇总表草稿；请以省局身份登录。")
        return
    st.caption(
        f"按通知的规则检查{province}的推荐：每个类别至多4个、合计至多12个，提交时间不晚于截止日期，"
        "材料字数不超过5,000字，必填项齐全。只与本省已有的数据比较；本页不导入任何数据。"
    )
    files = st.file_uploader(
        "推荐汇总表草稿（Excel 或 CSV，可多选）",
        type=["xlsx", "xls", "csv"],
        accept_multiple_files=True,
        key="self_check_files",
    )
    components.upload_note()
    if st.button("检查", disabled=not files, type="primary", key="self_check_run"):
        st.session_state[RESULT] = _check(files, province)
    result = st.session_state.get(RESULT)
    if result:
        _report(result)


def _check(files: list, province: str) -> dict:
    """Check the uploaded files as `etl check` would, keep the report, remove the files."""
    access = auth.current()
    folder = Path(tempfile.mkdtemp(prefix="convergence-self-check-"))
    try:
        paths = []
        for i, uploaded in enumerate(files):
            target = folder / str(i) / Path(uploaded.name).name  # two files may share a name
            target.parent.mkdir()
            target.write_bytes(uploaded.getvalue())
            paths.append(target)
        with st.spinner("正在检查…"):
            run = check(paths, db_path(), progress=False, province=province)
        fix = write_rejected_xlsx(folder / "问题行.xlsx", run).read_bytes()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    names = "、".join(f.name for f in files)
    audit.record(access.who, "self_check", names, run.rows["rows_read"], role=access.scope.key)
    stem = Path(files[0].name).stem
    return {
        "report": summary_text(run),
        "findings": _findings(run),
        "blocking": run.has_blocking,
        "rows": run.rows,
        "fix": fix,
        "fix_name": f"{stem}_问题行.xlsx",
    }


def _findings(run) -> pl.DataFrame:
    """Every issue and every skipped line, by file and Excel row, in Chinese."""
    names = {f.file_id: f.name for f in run.files}
    headers = {t.raw.sha256: t.raw.headers for t in run.tables}
    rows = [
        {
            "file": names.get(i["file_id"], "—"),
            "where": f"第{i['_row']}行" if i["_row"] is not None else "汇总",
            "column": headers.get(i["file_id"], {}).get(i["field"] or "", "") or "",
            "severity": glossary.SEVERITY[i["severity"]],
            "message": i["message"],
        }
        for i in run.report.issues.iter_rows(named=True)
    ]
    rows += [
        {"file": name, "where": f"第{row}行", "column": "", "severity": "跳过", "message": said}
        for name, row, said, _ in skipped_rows(run.tables)
    ]
    rows += [
        {
            "file": f.name,
            "where": "整个文件",
            "column": "",
            "severity": "拒收",
            "message": f.message,
        }
        for f in run.files
        if f.status == "rejected"
    ]
    return pl.DataFrame(rows, schema=dict.fromkeys(FINDING_COLUMNS, pl.String))


def _report(result: dict) -> None:
    rows = result["rows"]
    st.subheader("检查结果")
    if result["blocking"]:
        st.error(
            f"有 {rows['rows_quarantined']:,} 行需要修改后才能推荐（共读入 {rows['rows_read']:,} 行）："
            "请下载问题行文件，按“原因”一列修改后再检查。"
        )
    else:
        st.success(f"读入 {rows['rows_read']:,} 行，全部符合通知的规则，可以推荐。")
    findings = result["findings"]
    if findings.height:
        st.dataframe(findings.rename(FINDING_COLUMNS).to_arrow(), hide_index=True)
    st.download_button(
        "下载问题行文件（修改后可重新检查）",
        data=result["fix"],
        file_name=result["fix_name"],
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="self_check_fix",
    )
    with st.expander("完整检查报告（与命令行 etl check 相同）"):
        st.code(result["report"], language=None)


main()
