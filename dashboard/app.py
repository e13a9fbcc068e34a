"""融合看板 — the entry point: `streamlit run dashboard/app.py`.

A router only: page config, who is looking (dashboard.auth), the pages that role may use, the
shared sidebar filters, the footer. The filters are rendered here, before the page, so they
persist across pages and live in the URL. Pages a role cannot use are not in the navigation
at all; what a page shows is limited again in the data layer (queries.run reads through the
role's scoped database), so leaving a page out is convenience, not the protection.
Pages live in views/ and not pages/: Streamlit treats a pages/ folder beside the entry file
as the old automatic multipage layout, which AppTest then runs without this router.
"""

import streamlit as st

from dashboard import auth, components
from etl.access.scopes import policy

st.set_page_config(page_title="融合看板", page_icon="📊", layout="wide")

# Each page and what the role needs for it: a table in its database, or a policy list.
AGGREGATES, SCORES, CASES = "mart.submission_facts", "mart.submission_scores", "mart.cases"
PAGES = {
    "概览": [
        (
            st.Page("views/overview.py", title="总览", icon=":material/dashboard:", default=True),
            AGGREGATES,
        ),
    ],
    "分析": [
        (st.Page("views/regions.py", title="地区分布", icon=":material/grid_view:"), AGGREGATES),
        (st.Page("views/categories.py", title="类别结构", icon=":material/category:"), AGGREGATES),
        (st.Page("views/scores.py", title="评分分析", icon=":material/bar_chart:"), SCORES),
        (st.Page("views/trends.py", title="年度趋势", icon=":material/timeline:"), AGGREGATES),
    ],
    "省局": [
        (st.Page("views/compare.py", title="地区对比", icon=":material/compare_arrows:"), CASES),
    ],
    "数据": [
        (st.Page("views/cases.py", title="案例检索", icon=":material/search:"), CASES),
        (
            st.Page("views/quality.py", title="数据质量", icon=":material/fact_check:"),
            "meta.load_runs",
        ),
        (st.Page("views/console.py", title="SQL 控制台", icon=":material/terminal:"), "console"),
    ],
    "管理": [
        (st.Page("views/upload.py", title="上传导入", icon=":material/upload_file:"), "upload"),
        (st.Page("views/audit_log.py", title="审计日志", icon=":material/policy:"), "meta.audit"),
    ],
}
SIGN_IN = st.Page("views/sign_in.py", title="登录", icon=":material/login:")


def allowed(role: str) -> dict[str, list]:
    """The navigation for a role: only the pages it can use."""
    tables = {t.name for t in policy().visible(role)}
    granted = tables | {
        name
        for name, roles in (("console", policy().console_roles), ("upload", policy().upload_roles))
        if role in roles
    }
    sections = {
        section: [page for page, needs in pages if needs in granted]
        for section, pages in PAGES.items()
    }
    return {section: pages for section, pages in sections.items() if pages}


access = auth.gate()
if access is None:
    st.navigation([SIGN_IN], position="hidden").run()
    st.stop()
if access.mode == "demo":
    st.warning(auth.DEMO_BANNER, icon=":material/theater_comedy:")
page = st.navigation(allowed(access.scope.role))
auth.sidebar_identity(access)
st.session_state[components.EXPORTS] = {}
if components.warehouse_ready():
    components.sidebar_filters()
    components.run_page(page)
    components.footer()
