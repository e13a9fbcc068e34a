"""SQL 控制台: read-only SQL over the role's own tables (研究人员, 领导; access.toml [console]).

The query runs on the session's scoped database (etl.access.scopes) through etl.access.console: one SELECT,
no files, network, extensions or settings, a time limit and a row cap; refusals are shown in
plain Chinese; every query and refusal is audited. Results export like every other table.
"""

from __future__ import annotations

import streamlit as st

from dashboard import auth, components, queries
from dashboard.markdown import plain
from etl.access.console import ConsoleRefused, examples, run_audited, table_names

SQL_KEY = "console_sql"


def main() -> None:
    access = auth.current()
    con = queries.connection()
    try:
        _sidebar_tables(table_names(con))
        saved = {e.title: e.sql for e in examples()}
        st.selectbox(
            "示例查询",
            list(saved),
            index=None,
            placeholder="选择一个示例，填入下面的输入框",
            key="console_example",
            on_change=_use_example,
            args=(saved,),
        )
        sql = st.text_area(
            "SQL", key=SQL_KEY, height=180, placeholder="select * from mart.year_summary"
        )
        if not st.button("运行", type="primary", disabled=not sql.strip()):
            return
        try:
            result = run_audited(con, sql, who=access.who, scope=access.scope)
        except ConsoleRefused as refused:
            st.error(plain(refused.message))
            return
    finally:
        con.close()
    components.table(result.frame, "查询结果", None, "console_result")
    st.caption(result.notice)


def _use_example(saved: dict[str, str]) -> None:
    chosen = st.session_state.get("console_example")
    if chosen:
        st.session_state[SQL_KEY] = saved[chosen]


def _sidebar_tables(names: list[str]) -> None:
    with st.expander(f"可查询的表（{len(names)} 张）"):
        st.markdown("\n".join(f"- `{n}`" for n in names))


main()
