"""Issue 5 through the dashboard: every page as each role, the exports, the console, sign-in
and an upload while another session reads. The demo mode's switcher (?role=bureau&as=浙江)
opens the app as a role; the users file and the audit log live in tmp_path (conftest)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from page_reading import APP, PAGES, exported_csv, metric, table, texts
from streamlit.testing.v1 import AppTest

from dashboard.components import EXPORTS
from etl.access import audit
from etl.access.users import add_user
from etl.config import env_var

ROOT = Path(__file__).resolve().parents[2]
DATA_PAGES = [
    "总览",
    "地区分布",
    "类别结构",
    "评分分析",
    "年度趋势",
    "地区对比",
    "案例检索",
    "数据质量",
]
BUREAU = {"role": "bureau", "as": "浙江"}
ROW_LEVEL = {"申报编号", "案例名称", "行号（Excel）", "原始行内容"}  # columns of a case or file row
# The published lists (mart.published_selections) are public by design: what NRTA prints of
# every province's selected items — year, group, province, unit, title — and nothing else.
PUBLIC_LISTS = ("selected_list", "published")
PUBLISHED_COLUMNS = {"年度", "申报类型", "申报类别", "所属省份", "申报单位", "案例名称"}
EXPERT_ID = re.compile(r"\bE\d{3}\b")


def _exports(at: AppTest) -> dict:
    return at.session_state[EXPORTS] if EXPORTS in at.session_state else {}  # noqa: SIM401


def _frame(export) -> pl.DataFrame:
    """An export as the file the user gets (the CSV), read back."""
    return exported_csv(export())[1]


def test_views_do_not_reach_the_warehouse_themselves() -> None:
    """Every page reads through queries.run (the scoped connection); none opens DuckDB."""
    for view in (ROOT / "dashboard" / "views").glob("*.py"):
        source = view.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import duckdb|from duckdb)", source, re.M), view.name
        assert not re.search(
            r"from dashboard(\.db)? import .*\bdb\b|import dashboard\.db", source
        ), view.name
        assert "scoped_connection" not in source, view.name


def test_bureau_sees_no_row_of_another_province(open_page) -> None:
    checked = []
    for title in DATA_PAGES:
        at = open_page(title, **BUREAU)
        assert not at.exception, (title, at.exception)
        assert title in texts(at)
        for key, export in _exports(at).items():  # every row-level table it offers
            frame = _frame(export) if key.endswith("_csv") else pl.DataFrame()
            if key.startswith(PUBLIC_LISTS):
                assert set(frame.columns) <= PUBLISHED_COLUMNS, (title, key)  # the list only
                continue
            if "所属省份" in frame.columns and ROW_LEVEL & set(frame.columns):
                assert set(frame["所属省份"].drop_nulls()) <= {"浙江"}, (title, key)
                checked.append((title, key))
    # 案例检索 offers a bureau its row-level export on first view: the loop did check one.
    assert ("案例检索", "cases_csv") in checked, checked

    cases = open_page("案例检索", all_years="true", **BUREAU)
    exported = _frame(_exports(cases)["cases_csv"])
    assert exported.height > 0 and set(exported["所属省份"]) == {"浙江"}
    assert audit.events().filter(pl.col("action") == "export").height >= 1  # reading it audited

    # 广东's bureau has one quarantined submission row in the demo (planted), 浙江's none.
    quality = open_page("数据质量", role="bureau", **{"as": "广东"})
    quarantine = [d.value for d in quality.dataframe if "所属省份" in d.value.columns]
    assert quarantine and all(set(d["所属省份"].dropna()) == {"广东"} for d in quarantine)
    assert "共 1 条问题" in texts(quality)
    assert "没有被隔离的行" in texts(open_page("数据质量", **BUREAU))

    other = open_page("地区对比", province="广东", **BUREAU)
    assert "省局角色只能看到本省（浙江）案例的得分" in texts(other)
    assert not any(k.startswith(("province_cases", "finalists")) for k in _exports(other))
    published = _frame(_exports(other)["published_csv"])  # 广东's selections, as published
    assert set(published["所属省份"]) == {"广东"} and set(published.columns) <= PUBLISHED_COLUMNS


def test_researcher_sees_no_unpublished_result_and_no_expert(open_page) -> None:
    researcher = {"role": "researcher", "year": "2025"}
    overview = open_page("总览", **researcher)
    assert metric(overview, "入选数") == "未公布"
    assert metric(overview, "进入终评") == "未公布"
    for title in DATA_PAGES:
        at = open_page(title, **researcher)
        assert not at.exception, (title, at.exception)
        for m in at.metric:
            if "入选" in m.label or "终评" in m.label:
                assert not re.search(r"\d", m.value), (title, m.label, m.value)
    # the leader does see 2025's selections, marked internal on the card itself
    leader = open_page("总览", role="leader", year="2025")
    assert re.search(r"\d", metric(leader, "入选数（内部）"))
    assert "内部资料：2025年度评审结果尚未公示、公布" in texts(leader)

    experts = open_page("评分分析", role="researcher", view="专家一致性")
    assert not experts.exception
    ids = table(experts, "专家编号")["专家编号"].tolist()
    assert ids and all(re.fullmatch(r"专家\d+", i) for i in ids)
    assert not EXPERT_ID.search(texts(experts))


def test_console_refuses_files_and_exports_are_neutralised(open_page) -> None:
    at = open_page("SQL 控制台", role="researcher")
    assert not at.exception
    at.text_area(key="console_sql").input("select * from read_csv('/etc/passwd')")
    at = _run_console(at)
    assert any("不能读取服务器上的文件" in e.value for e in at.error), [e.value for e in at.error]
    assert not at.dataframe or all("root" not in str(d.value) for d in at.dataframe)

    at.text_area(key="console_sql").input("""select '=HYPERLINK("http://x")' as "单元格" """)
    at = _run_console(at)
    assert not at.error
    xlsx = _exports(at)["console_result_xlsx"]()
    cell = openpyxl.load_workbook(io.BytesIO(xlsx)).active["A2"]
    assert cell.value == """'=HYPERLINK("http://x")""" and cell.data_type == "s"
    assert "'=HYPERLINK" in _exports(at)["console_result_csv"]().decode("utf-8-sig")
    actions = audit.events()["action"].to_list()
    assert actions.count("console") == 2 and "export" in actions


def _run_console(at: AppTest) -> AppTest:
    at.run()  # the typed query reaches the script, which enables 运行
    next(b for b in at.button if b.label == "运行").click()
    return at.run()


def test_console_and_admin_pages_only_for_their_roles(open_page) -> None:
    for role, console in (("leader", True), ("researcher", True), ("admin", False)):
        at = open_page("SQL 控制台", role=role)
        assert ("SQL 控制台" in [t.value for t in at.title]) is console, role
    bureau = open_page("SQL 控制台", **BUREAU)
    assert "SQL 控制台" not in [t.value for t in bureau.title]
    admin = open_page("审计日志", role="admin")
    assert "审计日志" in [t.value for t in admin.title] and not admin.exception
    leader = open_page("审计日志", role="leader")
    assert "审计日志" not in [t.value for t in leader.title]


def test_sign_in_with_a_users_file(warehouse: Path, _private_users_and_audit: Path) -> None:
    add_user("zhang", "researcher", None, "correct horse battery")
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert [t.value for t in at.title] == ["融合看板 · 登录"]
    assert "演示模式" not in texts(at)

    def attempt(password: str) -> AppTest:
        at.text_input[0].input("zhang")
        at.text_input[1].input(password)
        at.button[0].click()
        return at.run()

    attempt("wrong password 1")
    assert [e.value for e in at.error] == ["用户名或密码错误。"]
    for n in range(2, 6):
        attempt(f"wrong password {n}")
    assert "尝试次数过多" in at.error[0].value
    attempt("correct horse battery")  # right, but locked
    assert "尝试次数过多" in at.error[0].value
    assert "总览" not in [t.value for t in at.title]

    add_user("li", "bureau", "浙江", "another good one")
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.text_input[0].input("li")
    at.text_input[1].input("another good one")
    at.button[0].click()
    at.run()
    assert "总览" in [t.value for t in at.title] and not at.exception
    assert "已登录：li（省局（浙江））" in texts(at)
    actions = audit.events()["action"].to_list()
    assert actions.count("sign_in_failed") == 5 and "sign_in_locked" in actions
    assert "sign_in" in actions


def test_upload_while_another_session_reads(
    demo_db_copy: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(env_var("db"), str(demo_db_copy))
    reader = AppTest.from_file(str(APP), default_timeout=60)
    reader.query_params["role"] = "researcher"
    reader.run()
    before = next(c.value for c in reader.caption if "仓库版本" in c.value)

    # a new outcomes file: the sample's 2019 list less its last row (a new file to the loader)
    sample = (ROOT / "data" / "sample" / "outcomes_2019.csv").read_bytes()
    upload = b"\n".join(sample.rstrip(b"\n").split(b"\n")[:-1]) + b"\n"
    admin = AppTest.from_file(str(APP), default_timeout=120)
    admin.query_params["role"] = "admin"
    admin.switch_page(PAGES["上传导入"]).run()
    assert not admin.exception
    admin.get("file_uploader")[0].set_value(("outcomes_2019.csv", upload, "text/csv"))
    admin.run()
    next(b for b in admin.button if b.label == "检查文件").click()
    admin.run()
    assert not admin.exception and "检查报告" in texts(admin)
    reader.run()  # the reader keeps reading between check and load
    assert not reader.exception
    next(b for b in admin.button if b.label == "确认导入").click()
    admin.run()
    assert not admin.exception
    assert any("导入完成" in s.value for s in admin.success), texts(admin)

    reader.run()
    assert not reader.exception
    after = next(c.value for c in reader.caption if "仓库版本" in c.value)
    assert after != before
    assert {"upload", "load"} <= set(audit.events()["action"].to_list())


def test_console_shows_a_date_out_of_the_calendar_and_downloads_it(open_page) -> None:
    at = open_page("SQL 控制台", role="researcher")
    at.text_area(key="console_sql").input("select 'infinity'::date as d, 1 as n")
    at = _run_console(at)
    assert not at.error and not at.exception
    shown = next(d.value for d in at.dataframe if "d" in d.value.columns)
    assert shown["d"].tolist() == ["infinity"]
    xlsx = openpyxl.load_workbook(io.BytesIO(_exports(at)["console_result_xlsx"]()))
    assert xlsx.active["A2"].value == "infinity"
    assert "infinity,1" in _exports(at)["console_result_csv"]().decode("utf-8-sig")
