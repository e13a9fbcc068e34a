"""登录: the only page before sign-in — the users-file form, or the OIDC button."""

from __future__ import annotations

import streamlit as st

from dashboard import auth
from etl.access.users import authenticate, issue_session, locked_until


def main() -> None:
    st.title("融合看板 · 登录")
    if notice := st.session_state.pop("_sign_in_notice", None):
        st.info(notice)
    if auth.mode() == "oidc":
        st.caption("请使用单位统一身份认证登录。")
        st.button("使用单位账号登录", on_click=st.login, type="primary")
        return
    with st.form("sign_in"):
        name = st.text_input("用户名")
        password = st.text_input("密码", type="password")
        submitted = st.form_submit_button("登录", type="primary")
    if not submitted:
        return
    user = authenticate(name.strip(), password)  # logs the attempt, success or not
    if user is None:
        until = locked_until(name.strip())
        if until is not None:
            st.error(f"尝试次数过多，请于 {until:%H:%M} 后再试。")
        else:
            st.error("用户名或密码错误。")
        return
    auth.start_session(issue_session(user))
    st.rerun()


main()
