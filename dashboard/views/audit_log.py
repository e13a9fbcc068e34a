"""审计日志 (管理员): sign-ins, failed sign-ins, exports, uploads, loads and console queries,
read as meta.audit through the admin's scoped database."""

from __future__ import annotations

import streamlit as st

from dashboard import components, queries
from etl.glossary import AUDIT_ACTIONS

COLUMNS = {
    "logged_at": "时间",
    "who": "用户",
    "role": "角色",
    "action": "操作",
    "detail": "内容",
    "rows": "行数",
}


def main() -> None:
    left, right = st.columns([2, 1])
    actions = left.multiselect(
        "操作",
        list(AUDIT_ACTIONS),
        format_func=lambda a: AUDIT_ACTIONS[a],
        placeholder="全部操作",
        key="audit_actions",
        select_all=False,
    )
    who = right.text_input("用户（完整用户名）", key="audit_who").strip() or None
    log = queries.audit_log(list(actions), who)
    if log.is_empty():
        components.empty("没有符合条件的记录。")
        return
    shown = log.with_columns(log["action"].replace(AUDIT_ACTIONS)).rename(COLUMNS)
    components.table(shown, "审计日志", None, "audit_log")


main()
