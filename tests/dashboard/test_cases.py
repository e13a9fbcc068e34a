"""案例检索: a search returns exactly what SQL finds, its words and the opened case live in the
URL, a record shows its scores per stage as SQL has them, and a published-list case says where
its province came from and that there are no scores."""

from __future__ import annotations

from pathlib import Path

import pytest
from page_reading import APP, PAGES, table, texts
from streamlit.testing.v1 import AppTest

from etl.config import env_var
from etl.pipeline.load import load

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"

MATCHES = """
    select count(*) from core.submissions
    where year = 2024 {extra}
        and (contains(lower(title), lower(?)) or contains(lower(unit_name), lower(?)))
"""


def _total(at) -> str:
    return next(m.value for m in at.markdown if str(m.value).startswith("**共 "))


def test_a_search_from_the_url_finds_what_sql_finds(open_page, sql):
    at = open_page("案例检索", year="2024", q="短视频")
    assert not at.exception
    expected = sql(MATCHES.format(extra=""), ["短视频", "短视频"])
    assert expected > 0
    assert _total(at).startswith(f"**共 {expected:,} 条**")
    assert at.text_input(key="q").value == "短视频"


def test_keywords_are_all_required(open_page, sql):
    at = open_page("案例检索", year="2024", q="融媒 短视频")
    both = sql(
        "select count(*) from core.submissions where year = 2024 and "
        "(contains(title, '融媒') or contains(unit_name, '融媒')) and "
        "(contains(title, '短视频') or contains(unit_name, '短视频'))"
    )
    assert _total(at).startswith(f"**共 {both:,} 条**")
    shown = table(at, "年度")
    assert len(shown) == both


def test_typing_a_search_puts_it_in_the_url(open_page, sql):
    at = open_page("案例检索", year="2024")
    at.text_input(key="q").input("融媒体中心").run()
    expected = sql(MATCHES.format(extra=""), ["融媒体中心", "融媒体中心"])
    assert _total(at).startswith(f"**共 {expected:,} 条**")
    # bound to ?q= (AppTest does not mirror a bound widget into at.query_params; the test
    # above opens a search from the URL)
    assert at.text_input(key="q").proto.query_param_key == "q"


def test_page_filters_and_global_filters_narrow_the_result(open_page, sql):
    at = open_page("案例检索", year="2024", result="入选", prov="四川")
    selected = sql(
        "select count(*) from core.submissions where year = 2024 and province = '四川' and is_selected"
    )
    assert _total(at).startswith(f"**共 {selected:,} 条**")
    at.multiselect(key="level").select("县级").run()
    county = sql(
        "select count(*) from core.submissions "
        "where year = 2024 and province = '四川' and is_selected and unit_level = '县级'"
    )
    assert _total(at).startswith(f"**共 {county:,} 条**")


def test_results_are_paged_and_exported_whole(open_page, sql):
    at = open_page("案例检索", year="2024")
    total = sql("select count(*) from core.submissions where year = 2024")
    assert total > 50
    assert len(table(at, "年度")) == 50
    at.number_input(key="page").set_value(2).run()
    assert len(table(at, "年度")) == min(50, total - 50)
    exports = [b.proto.id for b in at.get("download_button")]
    # the whole result's downloads (built on click), beside the page of 50 shown
    assert any("cases_xlsx" in i for i in exports)
    assert any("cases_csv" in i for i in exports)


def test_a_case_record_shows_its_scores(open_page, sql):
    case = sql(
        "select submission_id from mart.cases where year = 2024 and final_score is not null "
        "order by submission_id limit 1"
    )
    at = open_page("案例检索", year="2024", case=case)
    assert at.selectbox(key="case_box").value == case
    stages = table(at, "评审阶段").set_index("评审阶段")
    final = sql(
        "select avg(total_score) from core.scores where submission_id = ? and stage = '终评'",
        [case],
    )
    experts = sql(
        "select count(*) from core.scores where submission_id = ? and stage = '终评'", [case]
    )
    assert stages.loc["终评", "平均分"] == pytest.approx(final)
    assert stages.loc["终评", "专家数"] == experts
    record = table(at, "字段").set_index("字段")
    assert record.loc["申报编号", "内容"] == case


def test_choosing_a_case_puts_it_in_the_url(open_page, sql):
    at = open_page("案例检索", year="2024", q="短视频")
    first = at.selectbox(key="case_box").options[0].split(" · ")[0]
    at.selectbox(key="case_box").set_value(first).run()
    assert at.query_params["case"] == first
    title = sql("select title from core.submissions where submission_id = ?", [first])
    assert f"#### {title}" in texts(at)


def test_nothing_found_is_a_sentence(open_page):
    at = open_page("案例检索", year="2024", q="不存在的关键词")
    assert "没有符合条件的案例" in texts(at)


def test_a_published_list_case(open_published):
    at = open_published("案例检索", year="2019", q="朝阳")
    assert "2019年度只有公布名单" in texts(at)
    case = at.selectbox(key="case_box").options[0].split(" · ")[0]
    at.selectbox(key="case_box").set_value(case).run()
    assert "所属省份无法确定，需人工确认" in texts(at)
    assert "多个省份" in texts(at)
    assert "该年度没有申报表和评分数据" in texts(at)


def test_an_inferred_province_is_said_so(open_published):
    at = open_published("案例检索", year="2019", q="尤溪")
    case = at.selectbox(key="case_box").options[0].split(" · ")[0]
    at.selectbox(key="case_box").set_value(case).run()
    assert "所属省份由单位名称推断" in texts(at)
    record = table(at, "字段").set_index("字段")
    assert record.loc["所属省份", "内容"] == "福建"


@pytest.fixture(scope="module")
def untitled_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The public rows typed in as NRTA prints them: 先导单位 and 2019's 典型案例 by unit only."""
    target = tmp_path_factory.mktemp("untitled") / "warehouse.duckdb"
    load([REAL / "published_list.xlsx"], target, progress=False)
    return target


def test_an_item_without_a_title_shows_its_unit_with_a_mark(untitled_db, monkeypatch):
    monkeypatch.setenv(env_var("db"), str(untitled_db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["year"], at.query_params["q"] = "2019", "苏州"
    at.switch_page(PAGES["案例检索"])
    at.run()
    assert table(at, "年度")["案例名称"].tolist() == ["〔单位〕苏州广播电视总台"]
    assert "〔单位〕：公布名单只列出单位、没有案例名称的条目（如先导单位）" in texts(at)
    case = at.selectbox(key="case_box").options[0].split(" · ")[0]
    at.selectbox(key="case_box").set_value(case).run()
    assert "#### 〔单位〕苏州广播电视总台" in [m.value for m in at.markdown]
    record = table(at, "字段").set_index("字段")
    assert record.loc["案例名称", "内容"] == "未列出（公布名单只列出单位）"
    assert record.loc["申报类型", "内容"] == "先导单位"


PAYLOAD = "![x](http://127.0.0.1:9/beacon.png) [会话已过期，点此重新登录](http://127.0.0.1:9/phish)"
SUBMISSION = (
    "申报编号,年度,申报类型,申报类别,申报单位,单位类型,单位层级,所属省份,案例名称,提交时间,材料字数,省级推荐\n"
    '2024-009901,2024,典型案例,融合生产传播,湖南广播电视台,广播电视台,省级,湖南,"{title}",2024-04-18,4500,是\n'
)


def _live_markdown(at) -> list[str]:
    """Markdown on the page that a browser would turn into an image or a link."""
    shown = [str(e.value) for kind in ("markdown", "caption", "error", "warning", "info")
             for e in getattr(at, kind)]  # fmt: skip
    return [s for s in shown if "![" in s or "](" in s or "http://" in s]


def test_a_search_echoed_on_the_page_is_text(open_page):
    at = open_page("案例检索", year="2024", q=PAYLOAD)
    assert not at.exception
    assert _live_markdown(at) == []
    assert "含「" in texts(at)


def test_a_case_title_is_shown_as_text(demo_db_copy, tmp_path, monkeypatch):
    source = tmp_path / "湖南_申报表.csv"
    source.write_text(SUBMISSION.format(title=PAYLOAD), encoding="utf-8")
    assert load([source], demo_db_copy, progress=False).status == "succeeded"
    monkeypatch.setenv(env_var("db"), str(demo_db_copy))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update(year="2024", case="2024-009901")
    at.switch_page(PAGES["案例检索"]).run()
    assert not at.exception
    assert at.selectbox(key="case_box").value == "2024-009901"
    assert _live_markdown(at) == []
    assert "点此重新登录" in texts(at)  # the title is there, as text
