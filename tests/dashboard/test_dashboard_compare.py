"""地区对比: a province against its region and the nation, with counts beside the rates."""

from __future__ import annotations

from page_reading import table, texts

SMALL = """
    select province from core.submissions
    where year = 2024 and region in ('东部', '中部', '西部', '东北')
    group by province having count(*) < 10
    order by count(*), province limit 1
"""


def test_province_from_the_url(open_page, sql):
    at = open_page("地区对比", year="2024", province="浙江")
    assert not at.exception
    assert at.selectbox(key="province").value == "浙江"
    n = sql("select count(*) from core.submissions where year = 2024 and province = '浙江'")
    hits = sql(
        "select count(*) from core.submissions "
        "where year = 2024 and province = '浙江' and is_selected"
    )
    said = texts(at)
    assert f"浙江申报 {n:,} 个，入选 {hits:,} 个" in said
    assert f"本省入选率 {hits / n * 100:.1f}%（{hits}/{n}）" in said
    assert "东部均值" in said
    scopes = table(at, "范围").set_index("范围")
    assert scopes.loc["浙江", "申报数"] == n


def test_region_mean_is_pooled(open_page, sql):
    at = open_page("地区对比", year="2024", province="浙江")
    where = "where year = 2024 and region = '东部'"
    n = sql(f"select count(*) from core.submissions {where}")
    selected = sql(f"select count(*) from core.submissions {where} and is_selected")
    assert f"东部均值（{selected / n * 100:.1f}%）" in texts(at)


def test_small_samples_are_flagged(open_page, sql):
    province = sql(SMALL)
    at = open_page("地区对比", year="2024", province=province)
    assert "样本少，仅供参考" in texts(at)


def test_default_province_is_the_first_in_official_order(open_page):
    at = open_page("地区对比", year="2024")
    assert at.selectbox(key="province").value == "北京"


def test_an_unknown_province_in_the_url_falls_back(open_page):
    at = open_page("地区对比", year="2024", province="江南省")
    assert not at.exception
    assert at.selectbox(key="province").value == "北京"


def test_xpcc_is_compared_with_the_nation_only(open_page):
    at = open_page("地区对比", year="2024", province="新疆生产建设兵团")
    assert not at.exception
    assert "不属于东部、中部、西部、东北四大区域" in texts(at) or "没有申报" in texts(at)


def test_quota_use_only_in_years_with_quotas(open_page, sql):
    at = open_page("地区对比", year="2024", province="浙江")
    recommended = sql(
        "select count(*) from core.submissions "
        "where year = 2024 and province = '浙江' and is_recommended"
    )
    assert f"浙江2024年度省级推荐 {recommended} 个（合计配额 12 个" in texts(at)
    assert "配额使用" not in texts(open_page("地区对比", year="2023", province="浙江"))


def test_selected_cases_of_the_province(open_page, sql):
    at = open_page("地区对比", year="2024", province="浙江")
    cases = table(at, "年度")
    expected = sql("select count(*) from core.submissions where province = '浙江' and is_selected")
    assert len(cases) == expected
