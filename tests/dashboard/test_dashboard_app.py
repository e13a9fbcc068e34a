"""The whole app: every page renders on the demo warehouse, says 模拟数据, keeps the
filters across pages, reopens a swapped warehouse, and explains a missing one."""

from __future__ import annotations

import os
import shutil

import duckdb
import pytest
from page_reading import APP, PAGES, metric, texts
from streamlit.testing.v1 import AppTest

from dashboard import navigation
from etl.config import env_var

# The demo opens as 领导; these pages are another role's.
ROLE_OF_PAGE = {
    "上传导入": {"role": "admin"},
    "审计日志": {"role": "admin"},
    "推荐自查": {"role": "bureau", "as": "浙江"},
}


@pytest.mark.parametrize("title", PAGES)
def test_every_page_renders_and_says_simulated(open_page, title):
    at = open_page(title, **ROLE_OF_PAGE.get(title, {}))
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == title
    assert "模拟数据" in texts(at)
    assert "数据截至" in texts(at)


@pytest.mark.parametrize("title", ["总览", "地区分布", "类别结构", "评分分析", "案例检索"])
def test_an_empty_year_is_a_sentence_on_every_data_page(open_page, title):
    """(地区对比 compares with the nation whatever the region filter: it is never empty.)"""
    at = open_page(title, year="2024", region="兵团", level="中央")  # 兵团 has no central unit
    assert not at.exception
    assert "2024年度在当前筛选条件" in texts(at)
    assert "没有申报数据" in texts(at)


@pytest.mark.parametrize(
    "title", ["总览", "地区分布", "类别结构", "评分分析", "地区对比", "案例检索"]
)
@pytest.mark.parametrize(
    "year, chosen", [("2023", {"category": "融合生产传播"}), ("2024", {"track": "先导单位"})]
)
def test_a_filter_the_year_cannot_match_is_not_applicable(open_page, title, year, chosen):
    """No 申报类别 before 2024, no 先导单位 from 2024: the year is 不适用, not empty or 0."""
    at = open_page(title, year=year, **chosen)
    assert not at.exception
    words = texts(at)
    assert "不适用" in words and f"{year}年度没有“{next(iter(chosen.values()))}”" in words
    assert "没有申报数据" not in words
    assert not [m for m in at.metric if m.value == "0 个"]


def test_filters_persist_across_pages(open_page):
    at = open_page("总览", year="2024")
    at.multiselect(key="region").select("西部").run()
    at.switch_page(PAGES["地区分布"]).run()
    assert at.multiselect(key="region").value == ["西部"]
    assert "2024年度 · 西部" in texts(at)


def test_reset_clears_the_filters(open_page):
    at = open_page("总览", year="2023", region="西部", level="县级")
    next(b for b in at.button if b.label == "重置筛选").click().run()
    assert at.multiselect(key="region").value == []
    assert at.multiselect(key="level").value == []
    assert at.selectbox(key="year").value == 2024


def test_an_unpublished_year_is_marked(open_page):
    assert "2025年度结果尚未公布" in texts(open_page("总览", year="2025"))


def test_missing_warehouse_says_how_to_build_it(tmp_path, monkeypatch):
    monkeypatch.setenv(env_var("db"), str(tmp_path / "none.duckdb"))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert "python -m etl demo" in warnings(at)


def warnings(at: AppTest) -> str:
    return "\n".join(w.value for w in at.warning)  # the demo-mode banner is one of them


def test_a_swapped_warehouse_is_reopened(warehouse, tmp_path, monkeypatch):
    served = tmp_path / "warehouse.duckdb"
    shutil.copyfile(warehouse, served)
    monkeypatch.setenv(env_var("db"), str(served))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    before = metric(at, "申报数")
    fresh = tmp_path / "fresh.duckdb"
    shutil.copyfile(warehouse, fresh)
    with duckdb.connect(str(fresh)) as con:
        con.execute("update meta.warehouse set version = 'swapped-build'")
    os.replace(fresh, served)  # as the loader publishes: a new inode under the same name
    at.run()
    assert "swapped-build" in texts(at)
    assert metric(at, "申报数") == before


def test_an_outdated_warehouse_says_to_rebuild(warehouse, tmp_path, monkeypatch):
    old = tmp_path / "old.duckdb"
    shutil.copyfile(warehouse, old)
    with duckdb.connect(str(old)) as con:
        con.execute("drop table mart.submission_facts")
    monkeypatch.setenv(env_var("db"), str(old))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert "缺少看板需要的表" in warnings(at)
    assert "python -m etl demo" in warnings(at)


ROLES = {
    "leader": {"role": "leader"},
    "researcher": {"role": "researcher"},
    "bureau": {"role": "bureau", "as": "浙江"},
    "admin": {"role": "admin"},
}


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_has_reads_its_data(open_page, role):
    """Each page in a role's sidebar reads what it needs from that role's database: no page
    of any role ends in 数据仓库不可用 (the admin's 总览 did, when a macro read a table the
    admin's policy did not grant)."""
    for specs in navigation.allowed(role).values():
        for spec in specs:
            at = open_page(spec.title, **ROLES[role], year="2024")
            assert not at.exception, (role, spec.title, [e.value for e in at.exception])
            assert "数据仓库不可用" not in texts(at), (role, spec.title, texts(at)[-300:])
