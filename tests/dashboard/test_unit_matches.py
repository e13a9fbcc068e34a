"""数据质量's unit matches: an admin confirms a suggestion; after the rebuild the two names are
one unit, the decision is in unit_aliases.csv and the audit log, and the list is empty."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from page_reading import APP, PAGES, texts
from streamlit.testing.v1 import AppTest

from etl.access import audit
from etl.config import env_var
from etl.pipeline.load import rebuild_models
from etl.units.link import read_decisions


def _quality(role: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["role"] = role
    return at.switch_page(PAGES["数据质量"]).run()


def test_an_admin_confirms_a_suggested_match(
    demo_db_copy: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    aliases = tmp_path / "unit_aliases.csv"
    monkeypatch.setenv(env_var("db"), str(demo_db_copy))
    monkeypatch.setenv(env_var("unit_aliases"), str(aliases))
    admin = _quality("admin")
    assert not admin.exception and "单位名称待确认" in texts(admin)
    assert "安吉县融媒体中心 ↔ 安吉新闻集团" in admin.selectbox(key="unit_match_pick").value
    admin.button(key="unit_match_confirm").click().run()
    assert not admin.exception
    assert any("仓库已重建" in s.value for s in admin.success), texts(admin)
    assert [(d.alias, d.canonical, d.decision) for d in read_decisions(aliases)] == [
        ("安吉县融媒体中心", "安吉新闻集团", "合并")
    ]
    assert "unit_decision" in audit.events()["action"].to_list()
    rebuild_models(demo_db_copy)  # a later rebuild keeps it
    with duckdb.connect(str(demo_db_copy), read_only=True) as con:
        ids = con.execute(
            "select count(distinct unit_id) from core.unit_names where unit_name like '%安吉%'"
        ).fetchone()[0]
    assert ids == 1
    assert "没有待确认的单位名称匹配" in texts(_quality("admin"))


def test_a_leader_reads_the_list_but_cannot_decide(warehouse: Path) -> None:
    leader = _quality("leader")
    shown = [d.value for d in leader.dataframe if "名称一" in d.value.columns]
    assert shown and shown[0]["名称一"].tolist() == ["安吉县融媒体中心"]
    assert not [b for b in leader.button if b.key == "unit_match_confirm"]


def test_a_bureau_sees_no_unit_matches(warehouse: Path) -> None:
    assert "单位名称待确认" not in texts(_quality("bureau"))
