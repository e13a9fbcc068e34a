"""评分分析 on scores that came as a 评审打分汇总表 (issue 12, item 6): the distribution is drawn
from the experts' totals, and the page says the year has no criterion detail."""

from __future__ import annotations

from pathlib import Path

import pytest
from page_reading import APP, PAGES, table, texts
from streamlit.testing.v1 import AppTest

from etl.config import env_var
from etl.pipeline.load import load

ROOT = Path(__file__).resolve().parents[1] / "fixtures"
FILES = [ROOT / "load" / "submissions_small.csv", ROOT / "real" / "score_summary.xlsx"]


@pytest.fixture
def summary_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """评分分析 on a warehouse of five submissions and their 终评 summary sheet alone."""
    db = tmp_path / "warehouse.duckdb"
    load(FILES, db, progress=False)
    monkeypatch.setenv(env_var("db"), str(db))

    def _open(**params: str) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=60)
        for key, value in params.items():
            at.query_params[key] = value
        at.switch_page(PAGES["评分分析"])
        return at.run()

    return _open


def test_the_summary_scores_are_shown_with_their_means(summary_page) -> None:
    at = summary_page(year="2024")
    assert not at.exception
    rows = table(at, "类型/类别").set_index(["类型/类别", "评审阶段"])
    # 融合生产传播: 2024-000001 (7 experts' mean 83.29) and 2024-000005 (92.29)
    final = rows.loc[("融合生产传播", "终评")]
    assert final["案例数"] == 2
    assert final["平均分"] == pytest.approx((583 / 7 + 646 / 7) / 2)
    assert rows.loc[("体制机制改革", "终评"), "最高分"] == pytest.approx(527 / 7)


def test_the_page_says_the_scores_have_totals_only(summary_page) -> None:
    at = summary_page(year="2024")
    assert (
        "2024年度有 5 项评审（案例 × 评审阶段）的评分来自评分汇总表，只有各位专家的总分，"
        "没有政治性、创新性、实效性、典型性各项得分" in texts(at)
    )
    at = summary_page(year="2024", view="评分维度")
    assert not at.exception
    assert "终评的评分只有专家总分（来自评分汇总表），没有各项得分。" in texts(at)


def test_the_demo_years_scores_carry_no_such_note(open_page) -> None:
    assert "评分汇总表" not in texts(open_page("评分分析", year="2024"))
