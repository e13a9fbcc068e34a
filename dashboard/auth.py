"""Who is looking, and as which role (issue 5): decided once per rerun, before any page runs.

Four ways in, the first that applies wins:
1. Trusted header (setting trusted_header, $CONVERGENCE_TRUSTED_HEADER=X-Remote-User, off by default): a proxy in
   front of the app has signed the user in and passes the name in that header; the name must
   be a user of the users file, which gives the role. Only behind a proxy that strips the
   header from clients (docs/access.md).
2. OIDC: when `[auth]` is configured in .streamlit/secrets.toml, `st.login`; the e-mail's
   local part (before the @) is the users-file name that gives the role.
3. Users file (`has_users()`): the sign-in form, a signed session token in session state,
   checked and refreshed on every rerun.
4. Demo mode (no users file, nothing configured): a banner and a role switcher bound to the
   URL (?role=bureau&as=浙江), so the demo shows every role.

`current()` is what queries.run and the audit calls read: the name and the Scope. It is set
anew on every rerun by `gate()`; a page never runs without it.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard.markdown import plain
from etl.access import audit
from etl.access.scopes import Scope, policy
from etl.access.users import User, check_session, has_users, load_users
from etl.config import setting
from etl.reference.geography import provinces

DEMO_BANNER = "演示模式：未配置用户，可切换角色查看"
DEMO_WHO = "演示用户"
ROLE_PARAM, PROVINCE_PARAM = "role", "as"

_ACCESS = "_access"  # the Access of this rerun
_TOKEN = "_session_token"  # users-file sessions
_SIGNED_IN = "_signed_in_as"  # OIDC / header: sign-in audited once per session


class NotSignedIn(RuntimeError):
    """A query was asked for before gate() decided who is looking."""


@dataclass(frozen=True)
class Access:
    who: str  # the user's name, as the audit log records it
    scope: Scope
    mode: str  # demo | password | oidc | header

    @property
    def role(self):
        return policy().roles[self.scope.role]


def current() -> Access:
    access = st.session_state.get(_ACCESS)
    if not isinstance(access, Access):
        raise NotSignedIn("未登录")
    return access


def mode() -> str:
    if setting("trusted_header"):
        return "header"
    if _oidc_configured():
        return "oidc"
    if has_users():
        return "password"
    return "demo"


def gate() -> Access | None:
    """Who is looking, for this rerun; None means: show the sign-in page only."""
    st.session_state.pop(_ACCESS, None)
    access = {"header": _header, "oidc": _oidc, "password": _password, "demo": _demo}[mode()]()
    if access is not None:
        st.session_state[_ACCESS] = access
    return access


# ---- demo mode ----------------------------------------------------------------------------


def bureau_provinces() -> list[str]:
    return [
        p["province"]
        for p in provinces()
        if p["takes_part"] == "true" and p["province"] != "中央单位"
    ]


def _demo() -> Access:
    """The role switcher. Its options are role names and its labels Chinese, and the URL holds
    the name (?role=bureau&as=浙江), so it is synced by hand: a widget bound to the URL would
    put the label there."""
    roles = policy().roles
    names = bureau_provinces()
    _from_url(ROLE_PARAM, list(roles), "leader")
    with st.sidebar:
        st.caption("演示模式：切换角色即按该角色的权限查看。")
        role = st.selectbox(
            "查看角色",
            list(roles),
            format_func=lambda r: roles[r].label,
            key=ROLE_PARAM,
            help="演示各角色看到的数据：省局只看本省明细，研究人员看不到未公布结果与专家编号。",
            placeholder="请选择",
        )
        province = None
        if roles[role].own_province:
            _from_url(PROVINCE_PARAM, names, names[0])
            province = st.selectbox("省局所属省份", names, key=PROVINCE_PARAM, placeholder="请选择")
    _to_url(ROLE_PARAM, role, "leader")
    _to_url(PROVINCE_PARAM, province, None)
    return Access(DEMO_WHO, Scope.of(role, province), "demo")


def _from_url(key: str, options: list[str], default: str) -> None:
    """On a session's first run (or a new value typed into the URL), the widget takes the URL's."""
    wanted = st.query_params.get(key)
    if wanted in options and wanted != st.session_state.get(f"_url_{key}"):
        st.session_state[key] = wanted
    elif st.session_state.get(key) not in options:
        st.session_state[key] = default


def _to_url(key: str, value: str | None, default: str | None) -> None:
    if value is None or value == default:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = value
    st.session_state[f"_url_{key}"] = value


# ---- users file: sign-in form and session tokens ---------------------------------------------


def _password() -> Access | None:
    token = st.session_state.get(_TOKEN)
    if not token:
        return None
    checked = check_session(token)
    if checked is None:
        st.session_state.pop(_TOKEN, None)
        st.session_state["_sign_in_notice"] = "登录已过期，请重新登录。"
        return None
    user, refreshed = checked
    st.session_state[_TOKEN] = refreshed
    return Access(user.name, user.scope, "password")


def start_session(token: str) -> None:
    """Keep a session token (from issue_session after authenticate) for the next reruns."""
    st.session_state[_TOKEN] = token


def sign_out() -> None:
    access = current()
    audit.record(access.who, "sign_out", "", role=access.scope.key)
    st.session_state.pop(_TOKEN, None)
    st.session_state.pop(_SIGNED_IN, None)
    st.session_state.pop(_ACCESS, None)
    if access.mode == "oidc":
        st.logout()


# ---- OIDC and the trusted header: a name from outside, the role from the users file -----------


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _oidc() -> Access | None:
    if not st.user.is_logged_in:
        return None
    email = str(st.user.get("email") or "")
    return _mapped(email.split("@")[0], email, "oidc")


def _header() -> Access | None:
    header = setting("trusted_header")
    name = (st.context.headers.get(header) or "").strip()
    if not name:
        st.error(f"未收到登录代理传来的用户名（请求头 {header}）；请通过单位统一登录入口访问。")
        st.stop()
    return _mapped(name, name, "header")


def _mapped(name: str, shown: str, how: str) -> Access:
    user: User | None = load_users().get(name)
    if user is None or user.disabled:
        st.error(f"账号 {plain(shown)} 没有使用本看板的权限，请联系管理员。")
        if how == "oidc":
            st.button("退出登录", on_click=st.logout)
        st.stop()
    if st.session_state.get(_SIGNED_IN) != user.name:
        via = "单位统一登录（OIDC）" if how == "oidc" else "登录代理"
        audit.record(user.name, "sign_in", via, role=user.scope.key)
        st.session_state[_SIGNED_IN] = user.name
    return Access(user.name, user.scope, how)


def sidebar_identity(access: Access) -> None:
    """Who is signed in, as which role, and the sign-out button (not for demo or header)."""
    if access.mode == "demo":
        return
    with st.sidebar:
        st.caption(f"已登录：{plain(access.who)}（{access.scope.label}）")
        if access.mode in ("password", "oidc"):
            st.button("退出登录", on_click=sign_out, key="sign_out", width="stretch")
