"""融合看板 — the entry point: `streamlit run dashboard/app.py`.

A router only: page config, who is looking (dashboard.auth), the pages that role may use
(dashboard.navigation), the shared sidebar filters, each page's header, the footer. The
filters are rendered here, before the page, so they persist across pages and live in the
URL. Pages a role cannot use are not in the navigation at all; what a page shows is limited
again in the data layer (queries.run reads through the role's scoped database), so leaving a
page out is convenience, not the protection.
Pages live in views/ and not pages/: Streamlit treats a pages/ folder beside the entry file
as the old automatic multipage layout, which AppTest then runs without this router.
"""

import streamlit as st

from dashboard import auth, components, navigation

st.set_page_config(page_title="融合看板", page_icon="📊", layout="wide")
components.house_style()

SIGN_IN = st.Page("views/sign_in.py", title="登录", icon=":material/login:")


def _page(spec: navigation.PageSpec) -> st.Page:
    return st.Page(spec.path, title=spec.title, icon=spec.icon, default=spec.default)


access = auth.gate()
if access is None:
    st.navigation([SIGN_IN], position="hidden").run()
    st.stop()
if access.mode == "demo":
    st.warning(auth.DEMO_BANNER, icon=":material/theater_comedy:")
sections = navigation.allowed(access.scope.role)
pages = {name: [_page(spec) for spec in specs] for name, specs in sections.items()}
specs = {
    page.url_path: spec
    for name in sections
    for page, spec in zip(pages[name], sections[name], strict=True)
}
page = st.navigation(pages)
auth.sidebar_identity(access)
st.session_state[components.EXPORTS] = {}
if components.warehouse_ready():
    components.sidebar_filters()
    components.run_page(page, specs[page.url_path])
    components.footer()
