"""The demo warehouse holds every public fact (PROGRAMME.md, published_facts.csv) exactly:
what a leader who knows his province would check first, after `python -m etl demo`."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl.reference.programme import programme
from etl.simulate.facts import published_items


@pytest.fixture(scope="module")
def con(demo_db: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(demo_db), read_only=True)


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> object:
    return con.execute(sql, params or []).fetchone()[0]


@pytest.mark.parametrize(
    "item", published_items(), ids=lambda r: f"{r['年度']}-{r['申报类型']}-{r['申报单位']}"
)
def test_each_published_item_is_selected_as_itself(con, item: dict[str, str]) -> None:
    rows = con.execute(
        "select track, coalesce(category, ''), province, title from core.submissions "
        "where year = ? and unit_name = ? and is_selected and track = ?",
        [int(item["年度"]), item["申报单位"], item["申报类型"]],
    ).fetchall()
    assert len(rows) == 1, item
    track, category, province, title = rows[0]
    assert category == item["申报类别"]
    assert province == (item["所属省份"] or "湖南")  # 中广天择 (长沙): the list names no place
    if item["案例名称"]:  # the loader drops a space beside a Chinese character (fix.whitespace)
        assert title == "".join(item["案例名称"].split())


@pytest.mark.parametrize("year", sorted(programme()))
def test_selected_counts_are_the_published_ones(con, year: int) -> None:
    rules = programme()[year]
    column = "category" if rules.selected_by == "category" else "track"
    got = dict(
        con.execute(
            f"select {column}, count(*) from core.submissions "
            "where year = ? and is_selected group by all",
            [year],
        ).fetchall()
    )
    assert got == rules.selected


def test_2024_has_230_applying_units_and_80_finalists(con) -> None:
    units = "select count(distinct unit_name) from core.submissions where year = 2024"
    assert 225 <= _one(con, units) <= 235
    finalists = (
        "select count(*) from core.submissions where year = 2024 and furthest_stage = '终评'"
    )
    assert _one(con, finalists) == 80


def test_zhejiang_2024_five_finalists_two_selected_wenling_one(con) -> None:
    where = "from core.submissions where year = 2024 and province = '浙江'"
    assert _one(con, f"select count(*) {where} and furthest_stage = '终评'") == 5
    assert _one(con, f"select count(*) {where} and is_selected") == 2
    wenling = con.execute(
        f"select category {where} and is_selected and unit_name = '温岭市融媒体中心'"
    ).fetchall()
    assert wenling == [("体制机制改革",)]
    county = f"select count(*) {where} and is_selected and unit_level = '县级'"
    assert _one(con, county) == 1  # 温岭, the only county-level one


def test_2023_pilot_units_by_province_level_and_region(con) -> None:
    pilots = "from core.submissions where year = 2023 and track = '先导单位' and is_selected"
    by_province = dict(con.execute(f"select province, count(*) {pilots} group by all").fetchall())
    assert by_province["陕西"] == 2 and by_province["福建"] == 2
    by_level = dict(con.execute(f"select unit_level, count(*) {pilots} group by all").fetchall())
    assert by_level == {"中央": 1, "省级": 4, "地市级": 2, "县级": 3}
    by_region = dict(con.execute(f"select region, count(*) {pilots} group by all").fetchall())
    assert by_region["东部"] == 5 and by_region["西部"] == 3


def test_shaanxi_2023_four_selected_across_the_three_lists(con) -> None:
    where = "from core.submissions where year = 2023 and province = '陕西' and is_selected"
    assert _one(con, f"select count(*) {where}") == 4
    assert _one(con, f"select count(distinct track) {where}") == 3


def test_suzhou_ranked_first_of_the_2019_pilot_units(con) -> None:
    best = con.execute(
        "select s.unit_name from core.scores c join core.submissions s using (submission_id) "
        "where s.year = 2019 and s.track = '先导单位' and c.stage = '终评' "
        "group by all order by avg(c.total_score) desc limit 1"
    ).fetchone()
    assert best == ("苏州广播电视总台",)


def test_no_title_is_used_by_two_units_or_two_years(con) -> None:
    reused = (
        "select count(*) from (select title from core.submissions "
        "group by title having count(distinct (unit_name, year)) > 1)"
    )
    assert _one(con, reused) == 0
