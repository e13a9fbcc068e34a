"""地区分布: the ranking, the focused province and the region subtotals equal SQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from page_reading import metric, table, texts

RANKS = """
    select province, rank() over (order by count(*) desc) as rank
    from core.submissions
    where year = ? and province <> '中央单位'
    group by province
"""


def test_ranking_table_matches_sql(open_page, sql):
    at = open_page("地区分布", year="2024")
    assert not at.exception
    ranking = table(at, "排名")
    top = sql(f"select province from ({RANKS}) where rank = 1 order by province limit 1", [2024])
    count = sql("select count(*) from core.submissions where year = 2024 and province = ?", [top])
    first = ranking[ranking["所属省份"] == top].iloc[0]
    assert first["排名"] == 1
    assert first["申报数"] == count


def test_url_focuses_a_province(open_page, sql):
    at = open_page("地区分布", year="2024", focus="浙江")
    submissions = sql(
        "select count(*) from core.submissions where year = 2024 and province = '浙江'"
    )
    rank = sql(f"select rank from ({RANKS}) where province = '浙江'", [2024])
    assert at.selectbox(key="focus").value == "浙江"
    assert "浙江 · 东部 · 2024年度" in texts(at)
    assert metric(at, "申报数") == f"{submissions:,} 个"
    assert f"申报数排名：**第 {rank} 名**" in texts(at)
    assert "东部各省" in texts(at)


def test_the_box_focuses_like_a_click(open_page, sql):
    at = open_page("地区分布", year="2024")
    at.selectbox(key="focus").select("四川").run()
    selected = sql(
        "select count(*) from core.submissions "
        "where year = 2024 and province = '四川' and is_selected"
    )
    assert "四川 · 西部 · 2024年度" in texts(at)
    assert metric(at, "入选数") == f"{selected:,} 个"


def test_measure_from_the_url(open_page):
    at = open_page("地区分布", year="2024", measure="入选率")
    assert "入选率排名" in texts(at)


def test_region_subtotals_match_sql(open_page, sql):
    at = open_page("地区分布", year="2024")
    regions = table(at, "区域").set_index("区域")
    for region in ("东部", "中部", "西部", "东北", "中央单位"):
        expected = sql(
            "select count(*) from core.submissions where year = 2024 and region = ?", [region]
        )
        assert regions.loc[region, "申报数"] == expected
    total = sql("select count(*) from core.submissions where year = 2024")
    assert regions.loc["合计", "申报数"] == total


def _square(code: int, x: float, y: float) -> dict:
    ring = [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]
    return {
        "type": "Feature",
        "properties": {"adcode": code},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


@pytest.fixture
def geojson(tmp_path: Path) -> Path:
    path = tmp_path / "provinces.geojson"
    features = [_square(330000, 120, 29), _square(510000, 103, 30)]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_choropleth_only_with_its_review_number(open_page, geojson, monkeypatch):
    monkeypatch.setenv("CONVERGENCE_GEOJSON", str(geojson))
    assert "行政区划图" not in [e.label for e in open_page("地区分布").expander]
    monkeypatch.setenv("CONVERGENCE_MAP_REVIEW_NO", "GS(2024)0000号")
    at = open_page("地区分布")
    assert not at.exception
    assert "审图号：GS(2024)0000号" in texts(at)
