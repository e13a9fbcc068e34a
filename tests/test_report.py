"""What people get from a check: the terminal summary, the rejected-rows workbook a bureau fixes
and sends back, and the Great Expectations Data Docs of each run."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from etl.pipeline import validation_report
from etl.pipeline.checks import CheckReport, run_checks
from etl.pipeline.load import check
from etl.pipeline.normalise import normalise
from etl.pipeline.read import read_export
from etl.pipeline.report import summary_text, write_rejected_xlsx

BAD = Path(__file__).parent / "fixtures" / "bad"
RULE_FILES = ("rules_submissions.csv", "rules_scores.csv", "rules_outcomes.csv", "rules_quota.csv")
HEADER = ("申报编号,年度,申报类型,申报类别,申报单位,单位类型,单位层级,所属省份,案例名称,提交时间,"
          "材料字数,省级推荐")  # fmt: skip
GOOD = "2024-000301,2024,典型案例,融合生产传播,湖南广播电视台,广播电视台,省级,湖南,案例甲,2024-04-18,4500,是"
SPACED = "2024-000302,2024,典型案例,融合生产传播,湖南广播电视台,广播电视台,省级, 江南省 ,案例乙,2024-04-18,４５００,是"


@pytest.fixture(scope="module")
def checked():
    tables = [normalise(read_export(BAD / name)) for name in RULE_FILES]
    return run_checks(tables), tables


def _book_rows(path: Path, sheet: str) -> list[tuple]:
    return list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))


def test_summary_counts_rows_and_lists_each_failing_rule_with_examples(checked) -> None:
    text = summary_text(*checked)
    lines = text.splitlines()
    assert lines[0] == (
        "数据质量检查：4 个文件（整表拒收 0 个），读入 57 行：可接收 30 行，隔离 27 行；另有 9 行带警告"
        "；跳过非数据行 1 行"
    )
    assert "  rules_submissions.csv 第20行：合计行，已跳过：合计 共20项" in lines
    deadline = lines.index(
        "  [隔离] rule.deadline 在当年申报截止日期当天或之前提交（申报表）：1 / 35（2.86%）"
    )
    assert lines[deadline + 1] == (
        "      rules_submissions.csv 第12行：提交时间“2024-04-22 08:00:00”晚于2024年申报截止日期2024-04-21"
    )
    assert "      ……另有 1 条，见问题行文件" in lines  # flow.published_count: 4 issues, 3 shown
    assert lines[-1] == "通过的规则：11 项（共 45 项规则×表类）"  # ref.case_name: a score rule
    first_warning = next(i for i, line in enumerate(lines) if line.startswith("  [警告]"))
    assert not any(line.startswith("  [隔离]") for line in lines[first_warning:])


def test_summary_of_a_run_names_files_rejected_whole(tmp_path: Path) -> None:
    run = check([BAD / "empty.csv", BAD / "enc_utf8.csv"], tmp_path / "none.duckdb", progress=False)
    lines = summary_text(run).splitlines()
    assert lines[0].startswith(
        "数据质量检查：2 个文件（整表拒收 1 个），读入 3 行：可接收 3 行，隔离 0 行"
    )
    assert lines[1] == "  整表拒收 empty.csv：文件是空的，没有表头也没有数据行"


def test_rejected_rows_keep_the_senders_cells_and_say_what_to_fix(tmp_path: Path) -> None:
    source = tmp_path / "湖南_申报表.csv"
    source.write_text(f"{HEADER}\n{GOOD}\n{SPACED}\n")
    run = check([source], tmp_path / "none.duckdb", progress=False)
    book = write_rejected_xlsx(tmp_path / "问题行.xlsx", run)
    rows = _book_rows(book, "湖南_申报表")
    assert rows[0] == (*HEADER.split(","), "行号", "问题列", "规则", "原因")
    assert rows[1] == (
        *SPACED.split(","), 3, "所属省份", "domain.province",
        "所属省份“ 江南省 ”无法识别，可选值：北京、天津、河北、山西、内蒙古、辽宁、吉林、黑龙江、上海、"
        "江苏、浙江、安徽、福建、江西、山东、河南、湖北、湖南、广东、广西、海南、重庆、四川、贵州、云南、"
        "西藏、陕西、甘肃、青海、宁夏、新疆、新疆生产建设兵团、中央单位",
    )  # fmt: skip
    assert len(rows) == 2  # the good row is not in the workbook
    sheet = openpyxl.load_workbook(book)["湖南_申报表"]
    assert sheet["H2"].fill.fgColor.rgb.endswith("FFEB9C")  # the failing cell is highlighted
    assert sheet["A2"].fill.fgColor.rgb in (None, "00000000")


def test_one_row_with_several_problems_is_one_row_to_fix(checked, tmp_path: Path) -> None:
    book = write_rejected_xlsx(tmp_path / "rules.xlsx", *checked)
    names = openpyxl.load_workbook(book).sheetnames
    assert names == ["rules_submissions", "rules_scores", "rules_outcomes", "提醒", "跳过的行"]
    scores = {r[10]: r[11:] for r in _book_rows(book, "rules_scores")[1:]}
    assert sorted(scores) == [5, 6, 7, 8, 9, 10, 11, 12]
    assert scores[11][:2] == ("整行", "key.unique")  # a duplicate is about the row, not a cell
    notes = _book_rows(book, "提醒")
    assert notes[0] == ("文件", "行号", "问题列", "值", "规则", "原因")
    assert ("rules_outcomes.csv", None, None, "新媒体平台建设", "flow.published_count",
            "2024年“新媒体平台建设”结果表中入选1个，公布数为10个") in notes  # fmt: skip


def test_the_corrected_workbook_can_be_sent_again(tmp_path: Path) -> None:
    source = tmp_path / "submissions.csv"
    source.write_text(f"{HEADER}\n{GOOD}\n{SPACED}\n")
    run = check([source], tmp_path / "none.duckdb", progress=False)
    book_path = write_rejected_xlsx(tmp_path / "问题行.xlsx", run)
    book = openpyxl.load_workbook(book_path)
    book["submissions"]["H2"] = "湖南"  # the bureau fixes the highlighted cell
    book.save(book_path)
    raw = read_export(book_path)
    assert raw.spec.kind == "submissions" and raw.extra_columns == (
        "行号",
        "问题列",
        "规则",
        "原因",
    )
    report = run_checks([normalise(raw)])
    assert report.blocking().is_empty()
    assert normalise(raw).frame.select("submission_id", "material_chars").rows() == [
        ("2024-000302", 4500)
    ]


def test_files_rejected_whole_get_their_own_sheet(tmp_path: Path) -> None:
    run = check([BAD / "word_renamed.csv"], tmp_path / "none.duckdb", progress=False)
    book = write_rejected_xlsx(tmp_path / "问题行.xlsx", run)
    assert _book_rows(book, "整表拒收") == [
        ("文件", "原因"),
        ("word_renamed.csv", "这是 Word 文档，不是导出表；请上传 .xlsx 或 .csv"),
    ]


def test_the_quality_report_states_every_rule_in_chinese(checked, tmp_path: Path) -> None:
    report, _ = checked
    at = datetime(2026, 12, 3, 9, 30)
    first = validation_report.write("run-1", report.validations, tmp_path, at=at, simulated=True)
    second = validation_report.write("run-2", report.validations, tmp_path, at=at)
    assert validation_report.reports(tmp_path) == [second, first]
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'href="run-1.html"' in index and 'href="run-2.html"' in index
    page = first.read_text(encoding="utf-8")
    sections = re.findall(r"<h2>(.*?)</h2>", page)
    assert len(sections) == len(report.validations) >= 7
    assert all(s.split(" · ")[0] in ("申报表", "评分表", "结果表") for s in sections)
    assert "在当年申报截止日期当天或之前提交" in page  # the rule's sentence, not its code
    assert "deadline" not in page
    assert "江南省" in page  # a failing value, as GX returned it
    failed = sum(not r.success for v in report.validations for r in v.result.results)
    assert failed > 0
    assert f"未通过 {failed} 条" in page
    assert "模拟数据" in page and "模拟数据" not in second.read_text(encoding="utf-8")


def test_the_quality_report_asks_nothing_of_the_network(checked, tmp_path: Path) -> None:
    report, _ = checked
    page = validation_report.write("run-1", report.validations, tmp_path, at=datetime.now())
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img)\b|https?://|@import|url\(", text)
    assert page.stat().st_size < 200_000  # trimmed: not every failing row


def test_a_value_from_a_file_is_written_as_text_in_the_report(tmp_path: Path) -> None:
    source = tmp_path / "湖南_申报表.csv"
    rows = (BAD / "enc_utf8.csv").read_text(encoding="utf-8").splitlines()
    header, first = rows[0], rows[1].split(",")
    province = header.split(",").index("所属省份")
    first[province] = "<script>alert(1)</script>"
    source.write_text("\n".join([header, ",".join(first)]) + "\n", encoding="utf-8")
    report = run_checks([normalise(read_export(source))])
    text = validation_report.render("x", report.validations, at=datetime.now())
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text


FORMULA = '=HYPERLINK("http://127.0.0.1:9/fix?"&A1;"点此修正")'


def test_a_formula_sent_in_an_export_comes_back_as_text(tmp_path: Path) -> None:
    """In the rows to fix and in the 提醒 sheet alike: a string cell, never a live formula."""
    source = tmp_path / "湖南_申报表.csv"
    quoted = '"' + FORMULA.replace('"', '""') + '"'
    source.write_text(f"{HEADER}\n{GOOD}\n{SPACED.replace('案例乙', quoted)}\n")
    run = check([source], tmp_path / "none.duckdb", progress=False)
    issues = run.report.issues
    warning = issues.head(1).with_columns(
        pl.lit("warning").alias("severity"), pl.lit(FORMULA).alias("value")
    )
    report = CheckReport(pl.concat([issues, warning]), run.report.results)
    tables = [f.table for f in run.files]
    book = openpyxl.load_workbook(write_rejected_xlsx(tmp_path / "问题行.xlsx", report, tables))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    ours = [c for c in cells if c.value == FORMULA]
    assert sorted(c.parent.title for c in ours) == ["提醒", "湖南_申报表"]
    assert {c.data_type for c in ours} == {"s"}
