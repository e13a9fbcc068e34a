"""Real files land whole (issue 12): bureau workbooks as clerks make them, published lists as
NRTA and news reports print them. Each asserts rows accepted / skipped / quarantined and what
the report says."""

from __future__ import annotations

from pathlib import Path

import duckdb
import openpyxl
import pytest

from etl.pipeline.load import check, load
from etl.pipeline.read import FileRejected, read_export, read_tables
from etl.pipeline.report import summary_text, write_rejected_xlsx
from etl.reference.layout import row_kind
from tests.cli_runner import run_etl

REAL = Path(__file__).parent / "fixtures" / "real"

FOOTER_SKIPPED = [
    (9, "第9行：合计行，已跳过"),
    (10, "第10行：空行，已跳过"),
    (11, "第11行：签名或日期行，已跳过"),
    (12, "第12行：签名或日期行，已跳过"),
    (13, "第13行：空行，已跳过"),
    (14, "第14行：说明行，已跳过"),
    (15, "第15行：说明行，已跳过"),
]


def test_a_bureau_workbook_with_title_totals_and_signatures_is_read_whole(tmp_path: Path) -> None:
    run = check([REAL / "bureau_footer.xlsx"], tmp_path / "none.duckdb", progress=False)
    (result,) = run.files
    assert (result.rows_read, result.rows_accepted, result.rows_quarantined) == (5, 5, 0)
    assert run.report.issues.height == 0
    text = summary_text(run)
    for _, said in FOOTER_SKIPPED:
        assert f"bureau_footer.xlsx {said}" in text
    assert "跳过非数据行 7 行" in text


def test_its_alt_enter_headers_and_row_numbers_are_understood() -> None:
    raw = read_export(REAL / "bureau_footer.xlsx")
    assert raw.headers["unit_name"] == "*申报单位"
    assert raw.headers["material_chars"] == "材料字数\n（字）"
    assert raw.extra_columns == ()  # 序号 is layout, not an unknown column
    assert raw.frame.get_column("_row").to_list() == [4, 5, 6, 7, 8]
    assert raw.skipped.select("_row", "what").rows() == [
        (9, "total"), (10, "blank"), (11, "signature"), (12, "signature"), (13, "blank"),
        (14, "note"), (15, "note"),
    ]  # fmt: skip


def test_a_title_containing_a_footer_word_is_still_a_case(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load([REAL / "bureau_footer.xlsx"], db, progress=False)
    with duckdb.connect(str(db), read_only=True) as con:
        titles = con.execute("select title from core.submissions order by submission_id").fetchall()
        skipped = con.execute(
            "select excel_row, after from meta.corrections where rule_id like 'skip.%' "
            "order by excel_row"
        ).fetchall()
    assert len(titles) == 5 and ("“备注”栏里的民生:县域融媒服务台账",) in titles
    assert skipped[0] == (9, "已跳过（合计行）") and len(skipped) == 7


def test_check_exits_0_and_lists_the_skipped_lines() -> None:
    ran = run_etl("--db", "/nonexistent/none.duckdb", "check", str(REAL / "bureau_footer.xlsx"))
    assert ran.returncode == 0
    assert "可接收 5 行，隔离 0 行" in ran.stdout
    assert "第9行：合计行，已跳过" in ran.stdout


def test_a_totals_row_that_disagrees_is_a_warning_by_row(tmp_path: Path) -> None:
    run = check([REAL / "bureau_wrong_total.xlsx"], tmp_path / "none.duckdb", progress=False)
    (result,) = run.files
    assert (result.rows_accepted, result.rows_quarantined) == (5, 0)
    messages = run.report.issues.get_column("message").to_list()
    assert messages == [
        "第9行合计行：项目数写为4，上方5个数据行的项目数为5，请核对",
        "第9行合计行：材料字数写为18000，上方5个数据行的材料字数为22850，请核对",
    ]
    assert set(run.report.issues.get_column("severity")) == {"warning"}


def test_the_fix_workbook_lists_the_skipped_rows(tmp_path: Path) -> None:
    run = check([REAL / "bureau_wrong_total.xlsx"], tmp_path / "none.duckdb", progress=False)
    book = openpyxl.load_workbook(write_rejected_xlsx(tmp_path / "fix.xlsx", run))
    rows = list(book["跳过的行"].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[2]) for r in rows] == FOOTER_SKIPPED


ROW_KINDS = [
    ("合计", True, False, "total"),
    ("总计:12项", True, False, "total"),
    ("小计(新媒体平台建设)", True, False, "total"),
    ("填表人:张敏", True, False, "signature"),
    ("(盖章)", True, False, "signature"),
    ("联系电话:0571-87654321", True, False, "signature"),
    ("注:1.材料字数不超过5000字;", True, False, "note"),
    ("说明:", True, False, "note"),
    ("备注:", True, False, "note"),
    ("2.每个类别推荐不超过4个。", True, True, "note"),  # a note's next line
    ("一、先导单位", True, False, "heading"),
    # A row that fills its required columns is data, whatever its first cell says.
    ("备注:老区新声融媒行动", False, False, None),
    ("合计划算融媒体中心", False, False, None),
    ("2024-330001", True, False, None),  # a sparse data row: quarantined, not skipped
    ("备注栏里的民生", True, False, None),  # no colon: a word, not a note
]


@pytest.mark.parametrize(("first", "sparse", "in_footer", "kind"), ROW_KINDS)
def test_row_kind_reads_the_first_cell(first, sparse, in_footer, kind) -> None:
    assert row_kind(first, sparse, in_footer) == kind


# ---------------------------------------------------------------- the data sheet of a workbook


def test_the_done_when_workbook_instructions_first_is_read_whole(tmp_path: Path) -> None:
    """填报说明 first, an empty Sheet3 last; the data sheet between with title, 序号, Alt+Enter
    headers, 合计 and a signature footer: `etl check` exits 0, accepted = the 5 data rows."""
    ran = run_etl(
        "--db", str(tmp_path / "none.duckdb"), "check", str(REAL / "bureau_workbook.xlsx"),
        "--report", str(tmp_path / "fix.xlsx"),
    )  # fmt: skip
    assert ran.returncode == 0
    assert "读入 5 行：可接收 5 行，隔离 0 行" in ran.stdout
    assert "工作表“填报说明”没有可识别的表头（如填报说明页），已跳过" in ran.stdout
    assert "工作表“Sheet3”是空的，已跳过" in ran.stdout
    for _, said in FOOTER_SKIPPED:
        assert f"bureau_workbook.xlsx {said}" in ran.stdout


def test_two_sheets_of_cases_are_both_loaded(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    run = load([REAL / "bureau_by_category.xlsx"], db, progress=False)
    assert [(f.name, f.rows_accepted) for f in run.files] == [
        ("bureau_by_category.xlsx（工作表“第一批”）", 3),
        ("bureau_by_category.xlsx（工作表“第二批”）", 2),
    ]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from core.submissions").fetchone() == (5,)
        names = con.execute("select distinct file_name from meta.load_files order by 1").fetchall()
    assert names == [("bureau_by_category.xlsx（工作表“第一批”）",),
                     ("bureau_by_category.xlsx（工作表“第二批”）",)]  # fmt: skip


def test_a_case_on_two_sheets_is_a_collision_named_by_sheet(tmp_path: Path) -> None:
    run = check([REAL / "bureau_collision.xlsx"], tmp_path / "none.duckdb", progress=False)
    assert [(f.rows_accepted, f.rows_quarantined) for f in run.files] == [(3, 0), (2, 1)]
    (issue,) = run.report.blocking().iter_rows(named=True)
    assert (issue["_row"], issue["rule_id"]) == (6, "key.sheets")
    assert issue["message"] == (
        "申报编号“2024-330001”在工作表“第一批”第4行已有，与本行重复，请删除重复行或更正编号"
    )


def test_a_workbook_without_a_data_sheet_names_the_sheets_looked_at() -> None:
    with pytest.raises(FileRejected) as caught:
        read_tables(REAL / "no_data_sheet.xlsx")
    assert caught.value.message.startswith("查看了工作表“填报说明”、“Sheet2”，都不是可识别的导出表")


# ---------------------------------------------------------------- items without a title


def test_the_public_rows_as_nrta_prints_them_load_with_none_quarantined(tmp_path: Path) -> None:
    """published_facts.csv's 23 rows typed in as a list: 先导单位 and 2019's 典型案例 by unit
    only, no 结果 column, a heading per year. Every unit is placed or flagged for a person."""
    db = tmp_path / "w.duckdb"
    run = load([REAL / "published_list.xlsx"], db, progress=False)
    (result,) = run.files
    assert (result.rows_read, result.rows_accepted, result.rows_quarantined) == (23, 23, 0)
    issues = run.report.issues
    untitled = issues.filter(issues["rule_id"] == "rule.title_missing")
    assert untitled.height == 8  # 2019's 典型案例; a 先导单位 needs no title
    (unplaced,) = issues.filter(issues["rule_id"] == "place.unplaced").iter_rows(named=True)
    assert "中广天择传媒股份有限公司" in unplaced["message"]
    with duckdb.connect(str(db), read_only=True) as con:
        counts = con.execute(
            "select count(*), count(title), count(distinct submission_id), "
            "count(*) filter (where needs_review) from core.submissions"
        ).fetchone()
    assert counts == (23, 5, 23, 1)  # a missing title stays null, never the unit's name


def test_the_same_rows_as_csv_load_the_same(tmp_path: Path) -> None:
    run = check([REAL / "published_facts.csv"], tmp_path / "none.duckdb", progress=False)
    (result,) = run.files
    assert (result.rows_accepted, result.rows_quarantined) == (23, 0)
    assert "文件没有“结果”列：每一行按“入选”读取" in summary_text(run)


SUBMITTED_2019 = (
    "申报编号,年度,申报类型,申报类别,申报单位,单位类型,单位层级,所属省份,案例名称,提交时间,材料字数,省级推荐\n"
    "2019-000001,2019,典型案例,,湖南广播电视台,广播电视台,省级,湖南,芒果TV融合传播,2019-05-01,4000,是\n"
    "2019-000002,2019,先导单位,,苏州广播电视总台,广播电视台,地市级,江苏,,2019-05-02,4100,是\n"
    "2019-000003,2019,典型案例,,山东广播电视台,广播电视台,省级,山东,闪电新闻,2019-05-03,4200,是\n"
    "2019-000004,2019,典型案例,,山东广播电视台,广播电视台,省级,山东,齐鲁网,2019-05-03,4300,是\n"
)


def test_untitled_outcomes_match_submissions_by_year_track_and_unit(tmp_path: Path) -> None:
    """湖南 (one 典型案例) and 苏州 (a 先导单位 without a title) are matched by unit; 山东 sent
    two 典型案例, so a list naming only the unit cannot say which: it stays its own item."""
    submitted = tmp_path / "申报表.csv"
    submitted.write_text(SUBMITTED_2019, encoding="utf-8")
    db = tmp_path / "w.duckdb"
    run = load([submitted, REAL / "published_list.xlsx"], db, progress=False)
    assert [f.rows_quarantined for f in run.files] == [0, 0]
    with duckdb.connect(str(db), read_only=True) as con:
        selected = con.execute(
            "select submission_id from core.submissions where is_selected and source = '申报表' "
            "order by 1"
        ).fetchall()
        shandong = con.execute(
            "select count(*) from core.submissions where unit_name = '山东广播电视台'"
        ).fetchone()
    assert selected == [("2019-000001",), ("2019-000002",)]
    assert shandong == (3,)  # two submissions, not selected, and the published item
