"""上传导入: upload exports in the browser, read the check report, then confirm the load.

For the roles in access.toml [uploads] (管理员). The files are saved to a private temporary
folder, each in a numbered folder of its own under its own name (the loader tells a file's kind
by its columns and name; two uploads may share a name), checked against the warehouse without writing (etl.pipeline.load.check), and loaded only after confirmation
(etl.pipeline.load.load). The loader builds a new warehouse file and swaps it in: pages being read keep
their old file until their next rerun, which opens the new one (db.current follows the inode).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import polars as pl
import streamlit as st

from dashboard import auth, components, queries
from dashboard.markdown import plain
from etl import glossary
from etl.access import audit
from etl.config import db_path
from etl.pipeline.load import check, load
from etl.pipeline.report import summary_text

PENDING = "_upload_pending"  # {folder, paths, report, blocking} between check and load
FILE_COLUMNS = {
    "file": "文件",
    "kind": "类型",
    "status": "状态",
    "rows_read": "读入行",
    "rows_accepted": "可接收行",
    "rows_quarantined": "隔离行",
    "rows_warned": "警告行",
}


def main() -> None:
    if auth.current().role.own_province:
        # access.toml could list bureau under [uploads]; the check that every row of a file is
        # the bureau's own province is not built yet, so the page refuses rather than trusts.
        st.error("省局上传本省文件的功能尚未开放，请将文件交管理员导入。")
        return
    files = st.file_uploader(
        "导出文件（CSV 或 Excel，可多选）",
        type=["csv", "xlsx", "xls"],
        accept_multiple_files=True,
        key="upload_files",
    )
    components.upload_note()
    if st.button("检查文件", disabled=not files, type="primary"):
        _check(files)
    pending = st.session_state.get(PENDING)
    if pending:
        _report(pending)


def _check(files: list) -> None:
    _discard()
    access = auth.current()
    folder = Path(tempfile.mkdtemp(prefix="convergence-upload-"))
    paths = _saved(files, folder)
    with st.spinner("正在检查…"):
        run = check(paths, db_path(), progress=False)
    names = "、".join(p.name for p in paths)
    audit.record(access.who, "upload", names, run.rows["rows_read"], role=access.scope.key)
    st.session_state[PENDING] = {
        "folder": str(folder),
        "paths": [str(p) for p in paths],
        "report": summary_text(run),
        "files": _files(run),
        "blocking": run.has_blocking,
    }


def _saved(files: list, folder: Path) -> list[Path]:
    """Each upload in a folder of its own, under its own name: two 申报表.csv from two folders
    stay two files (the loader reads a file's kind from its name, so the name is kept)."""
    paths = []
    for n, uploaded in enumerate(files, start=1):
        target = folder / str(n) / Path(uploaded.name).name  # no folders from the client's name
        target.parent.mkdir()
        target.write_bytes(uploaded.getvalue())
        paths.append(target)
    return paths


def _files(run) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "file": f.path.name,
                "kind": glossary.KINDS.get(f.kind, f.kind),
                "status": glossary.FILE_STATUS.get(f.status, f.status),
                "rows_read": f.rows_read,
                "rows_accepted": f.rows_accepted,
                "rows_quarantined": f.rows_quarantined,
                "rows_warned": f.rows_warned,
            }
            for f in run.files
        ]
    )


def _report(pending: dict) -> None:
    st.subheader("检查报告")
    st.dataframe(pending["files"].rename(FILE_COLUMNS).to_arrow(), hide_index=True)
    st.code(pending["report"], language=None)
    if pending["blocking"]:
        st.warning(
            "有阻断规则未通过：确认导入时，这些行会被隔离（不进入仓库），其余行照常导入。"
            "也可以修改文件后重新上传。"
        )
    left, right, _ = st.columns([1, 1, 3])
    if left.button("确认导入", type="primary", key="upload_confirm"):
        _load(pending)
    right.button("放弃", key="upload_discard", on_click=_discard)


def _load(pending: dict) -> None:
    access = auth.current()
    paths = [Path(p) for p in pending["paths"]]
    with st.spinner("正在导入，看板照常可用…"):
        try:
            run = load(paths, db_path(), progress=False)
        except Exception as exc:  # noqa: BLE001 - the loader's message is for the admin
            st.error(f"导入失败：{plain(exc)}")
            return
    rows = run.rows
    audit.record(
        access.who,
        "load",
        f"{run.run_id}：{'、'.join(p.name for p in paths)}（{run.status_label}）",
        rows["rows_accepted"],
        role=access.scope.key,
    )
    _discard()
    st.success(
        f"导入完成（{run.status_label}）：接收 {rows['rows_accepted']:,} 行，"
        f"隔离 {rows['rows_quarantined']:,} 行。仓库版本 {queries.version().version}。"
    )


def _discard() -> None:
    pending = st.session_state.pop(PENDING, None)
    if pending:
        shutil.rmtree(pending["folder"], ignore_errors=True)


main()
