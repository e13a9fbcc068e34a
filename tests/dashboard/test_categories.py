"""类别结构: group shares, the province × category heatmap and the unit mix equal SQL; a year
before 2024 shows tracks and says so."""

from __future__ import annotations

from page_reading import table, texts

COUNT = """
    select count(*) filter (where {what})
    from core.submissions
    where year = ? and province = ? and coalesce(category, track) = ?
"""


def test_heatmap_cell_matches_sql(open_page, sql):
    at = open_page("类别结构", year="2024")
    assert not at.exception
    heat = table(at, "所属省份").set_index("所属省份")
    expected = sql(COUNT.format(what="true"), [2024, "浙江", "融合生产传播"])
    assert heat.loc["浙江", "融合生产传播"] == expected
    total = sql("select count(*) from core.submissions where year = 2024 and province = '浙江'")
    assert heat.loc["浙江", "合计"] == total
    # official province order, 兵团 and 中央单位 last
    assert list(heat.index[:3]) == ["北京", "天津", "河北"]
    assert list(heat.index[-2:]) == ["新疆生产建设兵团", "中央单位"]


def test_heat_measure_from_the_url_and_the_switch(open_page, sql):
    at = open_page("类别结构", year="2024", heat="入选数")
    assert at.segmented_control(key="heat").value == "入选数"
    selected = sql(COUNT.format(what="is_selected"), [2024, "四川", "融合生产传播"])
    assert table(at, "所属省份").set_index("所属省份").loc["四川", "融合生产传播"] == selected
    at.segmented_control(key="heat").set_value("入选率").run()
    assert "融合生产传播（%）" in table(at, "所属省份").columns


def test_category_shares_and_rates_match_sql(open_page, sql):
    at = open_page("类别结构", year="2024")
    groups = table(at, "申报类别").set_index("申报类别")
    for category in ("新媒体平台建设", "融合生产传播", "综合信息服务", "体制机制改革"):
        n, chosen = (
            sql(
                f"select {what} from core.submissions where year = 2024 and category = ?",
                [category],
            )
            for what in ("count(*)", "count(*) filter (where is_selected)")
        )
        assert groups.loc[category, "申报数"] == n
        assert groups.loc[category, "入选数"] == chosen == 10  # 10 per category (PROGRAMME.md)
        assert round(groups.loc[category, "入选率（%）"], 6) == round(chosen / n * 100, 6)


def test_unit_level_mix_matches_sql(open_page, sql):
    at = open_page("类别结构", year="2024")
    units = next(d.value for d in at.dataframe if "维度" in d.value.columns)
    row = units[
        (units["申报类别"] == "融合生产传播")
        & (units["维度"] == "单位层级")
        & (units["值"] == "县级")
    ].iloc[0]
    county = sql(
        "select count(*) from core.submissions "
        "where year = 2024 and category = '融合生产传播' and unit_level = '县级'"
    )
    assert row["申报数"] == county
    category = sql(
        "select count(*) from core.submissions where year = 2024 and category = '融合生产传播'"
    )
    assert round(row["占该组申报（%）"], 6) == round(county / category * 100, 6)


def test_a_year_before_2024_shows_tracks_and_says_so(open_page, sql):
    at = open_page("类别结构", year="2021")
    assert "2021年度尚未分类别" in texts(at)
    assert "申报类型构成" in texts(at)
    tracks = table(at, "申报类型")["申报类型"].tolist()
    assert tracks == ["先导单位", "典型案例", "成长项目"]
    heat = table(at, "所属省份")
    assert {"先导单位", "典型案例", "成长项目"} <= set(heat.columns)


def test_the_region_filter_narrows_the_heatmap(open_page):
    at = open_page("类别结构", year="2024")
    at.multiselect(key="region").select("西部").run()
    heat = table(at, "所属省份")
    assert set(heat["区域"]) == {"西部"}
    assert "四川" in heat["所属省份"].tolist()
    assert "浙江" not in heat["所属省份"].tolist()
