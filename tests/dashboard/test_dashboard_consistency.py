"""The same number is the same on every page: 2024's submissions and selected."""

from __future__ import annotations

from page_reading import metric, table


def test_submissions_and_selected_agree_across_pages(open_page, sql):
    submissions = sql("select count(*) from core.submissions where year = 2024")
    selected = sql("select count(*) from core.submissions where year = 2024 and is_selected")
    assert selected == 40  # the published count (PROGRAMME.md)

    overview = open_page("总览", year="2024")
    assert metric(overview, "申报数") == f"{submissions:,} 个"
    assert metric(overview, "入选数") == f"{selected:,} 个"

    regions = open_page("地区分布", year="2024")
    assert metric(regions, "申报数") == f"{submissions:,} 个"
    assert metric(regions, "入选数") == f"{selected:,} 个"
    total = table(regions, "区域").set_index("区域").loc["合计"]
    assert (total["申报数"], total["入选数"]) == (submissions, selected)

    compare = open_page("地区对比", year="2024", province="浙江")
    nation = table(compare, "范围").set_index("范围").loc["全国合计"]
    assert (nation["申报数"], nation["入选数"]) == (submissions, selected)
