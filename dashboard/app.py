"""融合看板 — the entry point: `streamlit run dashboard/app.py`.

A router only: page config, the pages, the shared sidebar filters, the footer. The filters
are rendered here, before the page, so they persist across pages and live in the URL.
Pages live in views/ and not pages/: Streamlit treats a pages/ folder beside the entry file
as the old automatic multipage layout, which AppTest then runs without this router.
"""

import streamlit as st

from dashboard import components

st.set_page_config(page_title="融合看板", page_icon="📊", layout="wide")

PAGES = {
    "概览": [
        st.Page("views/overview.py", title="总览", icon=":material/dashboard:", default=True),
    ],
    "分析": [
        st.Page("views/regions.py", title="地区分布", icon=":material/grid_view:"),
        st.Page("views/categories.py", title="类别结构", icon=":material/category:"),
        st.Page("views/scores.py", title="评分分析", icon=":material/bar_chart:"),
        st.Page("views/trends.py", title="年度趋势", icon=":material/timeline:"),
    ],
    "省局": [
        st.Page("views/compare.py", title="地区对比", icon=":material/compare_arrows:"),
    ],
    "数据": [
        st.Page("views/cases.py", title="案例检索", icon=":material/search:"),
        st.Page("views/quality.py", title="数据质量", icon=":material/fact_check:"),
    ],
}

page = st.navigation(PAGES)
if components.warehouse_ready():
    components.sidebar_filters()
    components.run_page(page)
    components.footer()
