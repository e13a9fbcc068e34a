"""The 评审打分汇总表 as it circulates (issue 12, item 6): one row per case and stage, one column
per expert. It lands in the same tables as the long 评分表 of the same scores; its 平均分 and 排名
are checked against the experts' columns and flagged by Excel row; cases are found by id, or by
unit + title; a sheet that names no stage is refused, naming the file.

The committed workbook (tests/fixtures/real/score_summary.xlsx, from make_fixtures.py) is the
clerk's: formulas for the figures. The variants are that workbook edited with openpyxl the way
a clerk edits it: a figure typed over, a column deleted, a header or a title retyped.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest

from etl.pipeline.load import check, load
from etl.pipeline.read import FileRejected, read_export
from etl.pipeline.report import summary_text, write_rejected_xlsx

REAL = Path(__file__).parent / "fixtures" / "real"
SUMMARY = REAL / "score_summary.xlsx"
LONG = REAL / "score_summary_long.csv"
SUBMISSIONS = Path(__file__).parent / "fixtures" / "load" / "submissions_small.csv"
SHEET_RULES = ("score.sheet_mean", "score.sheet_rank", "ref.case_name")
SCORE_ROWS = """
    select submission_id, stage, expert_id, total_score from core.scores order by all
"""


def _edited(tmp_path: Path, name: str, edit) -> Path:
    """The committed summary with one edit, saved as values (a clerk typing over formulas)."""
    book = openpyxl.load_workbook(SUMMARY, data_only=True)
    edit(book.active)
    path = tmp_path / name
    book.save(path)
    return path


def _loaded(tmp_path: Path, scores: Path, name: str = "w.duckdb") -> Path:
    db = tmp_path / name
    run = load([SUBMISSIONS, scores], db, progress=False)
    assert [f.status for f in run.files] == ["loaded", "loaded"], summary_text(run)
    return db


def _rows(db: Path, query: str = SCORE_ROWS) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(query).fetchall()


def test_a_wide_summary_loads_the_same_scores_as_the_long_format(tmp_path: Path) -> None:
    wide = _loaded(tmp_path, SUMMARY, "wide.duckdb")
    long = _loaded(tmp_path, LONG, "long.duckdb")
    scores = _rows(wide)
    assert len(scores) == 5 * 7
    assert scores == _rows(long)
    assert scores[:2] == [
        ("2024-000001", "终评", "专家1", 83.0),
        ("2024-000001", "终评", "专家2", 85.0),
    ]
    means = "select submission_id, stage, mean_score from mart.submission_scores order by all"
    assert _rows(wide, means) == _rows(long, means)
    criteria = "select count(political), count(typicality) from core.scores"
    assert _rows(wide, criteria) == [(0, 0)]  # the sheet has totals only: nothing invented


def test_the_clerks_layout_is_read_row_by_row() -> None:
    raw = read_export(SUMMARY)
    assert raw.spec.label == "评分汇总表"
    assert raw.frame.get_column("_row").unique(maintain_order=True).to_list() == [4, 5, 6, 7, 8]
    assert raw.frame.filter(pl.col("_row") == 6).get_column("expert_id").to_list() == [
        f"专家{k}" for k in range(1, 8)
    ]
    assert raw.skipped.select("_row", "what").rows() == [
        (9, "blank"), (10, "signature"), (11, "signature"), (12, "note"),
    ]  # fmt: skip
    assert raw.extra_columns == ()  # 序号 is layout; the figures are the sheet's, not unknown
    assert "评审阶段取自标题：终评" in raw.notes
    assert "5行读作35条专家评分" in raw.notes[0]


def test_a_clean_summary_passes_its_own_figures(tmp_path: Path) -> None:
    run = check([SUBMISSIONS, SUMMARY], tmp_path / "none.duckdb", progress=False)
    summary = run.files[1]
    assert (summary.rows_read, summary.rows_accepted, summary.rows_quarantined) == (5, 5, 0)
    issues = run.report.issues
    assert issues.filter(issues["rule_id"].is_in(SHEET_RULES)).height == 0
    results = run.report.results.filter(run.report.results["rule_id"].is_in(SHEET_RULES))
    assert dict(results.select("rule_id", "checked").rows()) == {
        "score.sheet_mean": 10, "score.sheet_rank": 5, "ref.case_name": 0,  # it has ids
    }  # fmt: skip


def test_a_wrong_mean_is_one_warning_naming_its_excel_row(tmp_path: Path) -> None:
    def typed_over(sheet) -> None:
        sheet["L5"] = 80  # 2024-000002's experts average 75.29

    path = _edited(tmp_path, "wrong_mean.xlsx", typed_over)
    run = check([SUBMISSIONS, path], tmp_path / "none.duckdb", progress=False)
    issues = run.report.issues
    found = issues.filter(issues["rule_id"].is_in(SHEET_RULES))
    assert found.select("_row", "rule_id", "severity", "message").rows() == [
        (5, "score.sheet_mean", "warning", "平均分写为80，按该行7位专家的打分应为75.29，请核对")
    ]
    assert run.files[1].rows_quarantined == 0
    assert "wrong_mean.xlsx 第5行：平均分写为80" in summary_text(run)


def test_swapped_ranks_are_a_warning_on_each_row(tmp_path: Path) -> None:
    def swapped(sheet) -> None:
        sheet["N4"], sheet["N5"] = sheet["N5"].value, sheet["N4"].value  # 3 ↔ 4

    run = check([SUBMISSIONS, _edited(tmp_path, "ranks.xlsx", swapped)], tmp_path / "n.duckdb",
                progress=False)  # fmt: skip
    issues = run.report.issues
    found = issues.filter(issues["rule_id"] == "score.sheet_rank")
    assert found.select("_row", "message").rows() == [
        (4, "排名写为4，按去掉一个最高分和一个最低分后的平均分在本表5个案例中应为第3名，请核对"),
        (5, "排名写为3，按去掉一个最高分和一个最低分后的平均分在本表5个案例中应为第4名，请核对"),
    ]


def test_cases_named_by_unit_and_title_are_found(tmp_path: Path) -> None:
    path = _edited(tmp_path, "no_ids.xlsx", lambda sheet: sheet.delete_cols(2))
    by_name = _loaded(tmp_path, path, "by_name.duckdb")
    assert _rows(by_name) == _rows(_loaded(tmp_path, SUMMARY, "by_id.duckdb"))


def test_a_case_name_not_in_the_submissions_is_quarantined_by_row(tmp_path: Path) -> None:
    def retitled(sheet) -> None:
        sheet.delete_cols(2)
        sheet["B6"] = "芒果TV平台建设"  # the submission says 芒果TV自主平台建设

    run = check([SUBMISSIONS, _edited(tmp_path, "retitled.xlsx", retitled)],
                tmp_path / "none.duckdb", progress=False)  # fmt: skip
    summary = run.files[1]
    assert (summary.rows_accepted, summary.rows_quarantined) == (4, 1)
    found = run.report.issues.filter(run.report.issues["rule_id"] == "ref.case_name")
    assert found.get_column("_row").to_list() == [6]  # once for the row, not per expert
    assert found.get_column("message")[0] == (
        "申报单位“湖南广播电视台”、案例名称“芒果TV平台建设”在申报表中找不到（或不止一个），"
        "请核对单位和名称，或在表中加一列申报编号"
    )


def test_an_expert_who_recused_has_no_score_and_the_stale_mean_is_flagged(tmp_path: Path) -> None:
    def recused(sheet) -> None:
        sheet["G7"] = "回避"  # 专家3 on 2024-000004; the clerk's 平均分 still counts 7 experts

    path = _edited(tmp_path, "recused.xlsx", recused)
    run = check([SUBMISSIONS, path], tmp_path / "none.duckdb", progress=False)
    assert "专家未打分的单元格不算评分：第7行专家3：回避" in run.files[1].table.raw.notes
    assert run.files[1].rows_quarantined == 0
    issues = run.report.issues
    mean = issues.filter(issues["rule_id"] == "score.sheet_mean")
    assert mean.select("_row", "message").rows()[0] == (
        7,
        "平均分写为70.29，按该行6位专家的打分应为70.5，请核对",
    )


def test_experts_ids_as_headers_are_the_expert_ids(tmp_path: Path) -> None:
    def ids(sheet) -> None:
        for k, column in enumerate("EFGHIJK", start=1):
            sheet[f"{column}3"] = f"E{k:03d}"

    raw = read_export(_edited(tmp_path, "ids.xlsx", ids))
    assert raw.frame.get_column("expert_id").unique(maintain_order=True).to_list() == [
        f"E{k:03d}" for k in range(1, 8)
    ]


@pytest.mark.parametrize(
    ("title", "sheet", "stage"),
    [("2024年度打分汇总表", "复评打分", "复评"), ("2024年度初评专家打分汇总表", "Sheet1", "初评")],
)
def test_the_stage_comes_from_the_title_or_the_sheet_name(
    tmp_path: Path, title: str, sheet: str, stage: str
) -> None:
    def retitled(ws) -> None:
        ws["A1"], ws.title = title, sheet

    raw = read_export(_edited(tmp_path, "stage.xlsx", retitled))
    assert set(raw.frame.get_column("stage")) == {stage}


def test_a_summary_that_names_no_stage_is_refused_naming_the_file(tmp_path: Path) -> None:
    def no_stage(ws) -> None:
        ws["A1"], ws.title = "2024年度专家打分汇总表", "Sheet1"

    with pytest.raises(FileRejected) as refused:
        read_export(_edited(tmp_path, "no_stage.xlsx", no_stage))
    assert str(refused.value).startswith(
        "no_stage.xlsx：这是评分汇总表（每位专家一列），但看不出评审阶段"
    )
    assert "请加一列“评审阶段”" in refused.value.message


def test_the_fix_file_gives_the_sheet_row_back_and_can_be_sent_again(tmp_path: Path) -> None:
    def retitled(sheet) -> None:
        sheet.delete_cols(2)
        sheet["B6"] = "芒果TV平台建设"

    run = check([SUBMISSIONS, _edited(tmp_path, "retitled.xlsx", retitled)],
                tmp_path / "none.duckdb", progress=False)  # fmt: skip
    fix = write_rejected_xlsx(tmp_path / "问题行.xlsx", run)
    sheet = openpyxl.load_workbook(fix).worksheets[0]
    header = [c.value for c in sheet[1]]
    lines = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert len(lines) == 1  # the case's row, not one line per expert
    row = dict(zip(header, lines[0], strict=True))
    assert (row["案例名称"], row["评审阶段"], row["专家1"], row["专家7"], row["行号"]) == (
        "芒果TV平台建设", "终评", "90", "89", 6,
    )  # fmt: skip
    sheet.cell(2, header.index("案例名称") + 1, "芒果TV自主平台建设")  # corrected, sent again
    sheet.parent.save(fix)
    again = _loaded(tmp_path, fix, "again.duckdb")
    assert _rows(again, "select count(*) from core.scores where submission_id = '2024-000003'") == [
        (7,)
    ]


def test_a_stage_column_wins_over_the_title(tmp_path: Path) -> None:
    def two_stages(sheet) -> None:
        sheet.insert_cols(5)
        sheet["E3"] = "评审阶段"
        for row, stage in zip(range(4, 9), ["复评", "复评", "终评", "终评", ""], strict=True):
            sheet[f"E{row}"] = stage  # a blank cell takes the title's 终评

    raw = read_export(_edited(tmp_path, "stages.xlsx", two_stages))
    per_row = raw.frame.group_by("_row", maintain_order=True).agg(pl.col("stage").first())
    assert per_row.rows() == [(4, "复评"), (5, "复评"), (6, "终评"), (7, "终评"), (8, "终评")]
    assert not any(note.startswith("评审阶段取自") for note in raw.notes)


def test_a_case_row_without_any_score_is_said_not_loaded(tmp_path: Path) -> None:
    def unscored(sheet) -> None:
        for column in "EFGHIJK":
            sheet[f"{column}8"] = None  # 2024-000005: the experts' cells left empty

    raw = read_export(_edited(tmp_path, "unscored.xlsx", unscored))
    assert "第8行写有案例但没有任何专家打分，未读入评分" in raw.notes
    assert raw.frame.get_column("_row").unique().sort().to_list() == [4, 5, 6, 7]


def test_a_summary_with_year_and_track_columns_is_not_taken_for_a_published_list(
    tmp_path: Path,
) -> None:
    def more_columns(sheet) -> None:
        sheet.insert_cols(2, 2)
        sheet["B3"], sheet["C3"] = (
            "年度",
            "申报类型",
        )  # with 申报单位 + 案例名称: a 结果表's columns
        for row in range(4, 9):
            sheet[f"B{row}"], sheet[f"C{row}"] = 2024, "典型案例"

    raw = read_export(_edited(tmp_path, "more_columns.xlsx", more_columns))
    assert (raw.spec.label, raw.frame.height) == ("评分汇总表", 35)
    assert raw.extra_columns == ("年度", "申报类型")
