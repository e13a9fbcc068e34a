"""What a check run tells people: a per-rule summary for the terminal, a rejected-rows workbook a
bureau can fix and resubmit (the run's Chinese quality report is etl/pipeline/validation_report.py).

Each function takes either a RunSummary (what etl.pipeline.load.check and .load return) or
a bare CheckReport with the tables it checked, so tests and notebooks need no warehouse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from etl.glossary import KINDS, SEVERITY, SKIPPED_ROWS
from etl.pipeline import wide
from etl.pipeline.checks import CheckReport
from etl.pipeline.checks.common import headers_of
from etl.pipeline.normalise import Normalised
from etl.pipeline.read import ROW
from etl.pipeline.run import RunSummary
from etl.present.cells import workbook, write_cell
from etl.reference.contract import SCORE_SUMMARY

EXAMPLES_PER_RULE = 3
SKIPPED_SHOWN = 20
FIX_COLUMNS = ("行号", "问题列", "规则", "原因")
NOTES_SHEET, REJECTED_SHEET, SKIPPED_SHEET = "提醒", "整表拒收", "跳过的行"


# ---------------------------------------------------------------- what was checked


@dataclass(frozen=True)
class _Checked:
    report: CheckReport
    tables: list[Normalised]
    rejected: list[tuple[str, str]]  # (file name, message) of files rejected whole

    def name(self, file_id: str | None) -> str:
        return next((t.raw.name for t in self.tables if t.raw.sha256 == file_id), "—")


def _checked(run: RunSummary | CheckReport, tables: list[Normalised] | None) -> _Checked:
    if isinstance(run, CheckReport):
        return _Checked(run, list(tables or []), [])
    files = run.files
    rejected = [(f.path.name, f.message) for f in files if f.status == "rejected"]
    return _Checked(run.report, [f.table for f in files if f.table is not None], rejected)


# ---------------------------------------------------------------- terminal summary


def summary_text(run: RunSummary | CheckReport, tables: list[Normalised] | None = None) -> str:
    """A per-rule summary in Chinese: counts, then each failing rule with a few examples."""
    checked = _checked(run, tables)
    lines = [_headline(checked)]
    lines += [f"  整表拒收 {name}：{message}" for name, message in checked.rejected]
    lines += [f"  提示 {t.raw.name}：{note}" for t in checked.tables for note in t.raw.notes]
    lines += _skipped_lines(checked)
    results = checked.report.results
    kind_order = pl.col("kind").replace_strict(list(KINDS), range(len(KINDS)))
    failing = results.filter(pl.col("failed") > 0).sort(
        [pl.col("severity") != "blocking", kind_order, "rule_id"]
    )
    if failing.height:
        lines.append("\n未通过的规则：")
    for r in failing.iter_rows(named=True):
        share = r["failed"] / r["checked"] if r["checked"] else 1.0
        lines.append(
            f"  [{SEVERITY[r['severity']]}] {r['rule_id']} {r['description']}"
            f"（{KINDS.get(r['kind'], r['kind'])}）：{r['failed']:,} / {r['checked']:,}"
            f"（{share:.2%}）"
        )
        lines += [f"      {e}" for e in _examples(checked, r["rule_id"], r["kind"])]
    passed = results.filter(pl.col("failed") == 0).height
    lines.append(f"\n通过的规则：{passed} 项（共 {results.height} 项规则×表类）")
    return "\n".join(lines)


def _headline(checked: _Checked) -> str:
    issues = checked.report.issues
    read = sum(t.frame.get_column(ROW).n_unique() for t in checked.tables)  # Excel rows
    held = issues.filter(pl.col("severity") == "blocking").select("file_id", ROW).unique()
    flagged = issues.filter(pl.col("severity") == "warning", pl.col(ROW).is_not_null())
    flagged = flagged.select("file_id", ROW).unique().join(held, on=["file_id", ROW], how="anti")
    files = len(checked.tables) + len(checked.rejected)
    skipped = sum(t.raw.skipped.height for t in checked.tables)
    return (
        f"数据质量检查：{files} 个文件（整表拒收 {len(checked.rejected)} 个），读入 {read:,} 行："
        f"可接收 {read - held.height:,} 行，隔离 {held.height:,} 行；另有 {flagged.height:,} 行带警告"
        + (f"；跳过非数据行 {skipped:,} 行" if skipped else "")
    )


def skipped_rows(tables: list[Normalised]) -> list[tuple[str, int, str, str]]:
    """(file, Excel row, "第10行：合计行，已跳过", the row's text) for every row not taken as data."""
    return [
        (t.raw.name, r[ROW], f"第{r[ROW]}行：{SKIPPED_ROWS[r['what']]}，已跳过", r["text"])
        for t in tables
        for r in t.raw.skipped.iter_rows(named=True)
    ]


def _skipped_lines(checked: _Checked) -> list[str]:
    found = skipped_rows(checked.tables)
    if not found:
        return []
    lines = ["\n跳过的非数据行（未导入，也未隔离）："]
    lines += [
        f"  {name} {said}" + (f"：{text}" if text else "")
        for name, _, said, text in found[:SKIPPED_SHOWN]
    ]
    if len(found) > SKIPPED_SHOWN:
        lines.append(f"  ……另有 {len(found) - SKIPPED_SHOWN:,} 行，见问题行文件")
    return lines


def _examples(checked: _Checked, rule_id: str, kind: str) -> list[str]:
    found = checked.report.issues.filter(pl.col("rule_id") == rule_id, pl.col("kind") == kind)
    shown = []
    for i in found.head(EXAMPLES_PER_RULE).iter_rows(named=True):
        where = f"第{i[ROW]}行" if i[ROW] is not None else "汇总"
        shown.append(f"{checked.name(i['file_id'])} {where}：{i['message']}")
    if found.height > EXAMPLES_PER_RULE:
        shown.append(f"……另有 {found.height - EXAMPLES_PER_RULE:,} 条，见问题行文件")
    return shown


# ---------------------------------------------------------------- rejected-rows workbook


def write_rejected_xlsx(
    path: Path, run: RunSummary | CheckReport, tables: list[Normalised] | None = None
) -> Path:
    """The quarantined rows, one sheet per source file, ready to fix and send again.

    Each sheet holds the file's columns under its own headers with the cells exactly as sent,
    the failing cells highlighted, then 行号 (the row in the original file), 问题列, 规则, 原因.
    The extra columns are ignored on re-reading, so the corrected sheet can be resubmitted as
    is. Warnings (rows kept, but worth a look) and files rejected whole follow on their own
    sheets.
    """
    checked = _checked(run, tables)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = workbook(str(path))
    styles = _styles(book)
    names: set[str] = set()
    blocking = checked.report.issues.filter(pl.col("severity") == "blocking")
    for table in checked.tables:
        mine = blocking.filter(pl.col("file_id") == table.raw.sha256)
        if mine.height:
            _rejected_sheet(
                book,
                _sheet_name(table.raw.sheet or table.raw.path.stem, names),
                table,
                mine,
                styles,
            )
    _notes_sheet(book, checked, styles)
    _skipped_sheet(book, checked, styles)
    if checked.rejected:
        _rejected_files_sheet(book, checked.rejected, styles)
    if not book.worksheets():
        write_cell(book.add_worksheet("无问题"), 0, 0, "本次检查没有发现问题。")
    book.close()
    return path


def _styles(book) -> dict:
    return {
        "head": book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1}),
        "fix_head": book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1}),
        "bad": book.add_format({"bg_color": "#FFEB9C", "font_color": "#9C0006"}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
    }


def _sheet_name(stem: str, taken: set[str]) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet name; names must differ."""
    base = re.sub(r"[\[\]:*?/\\]", "_", stem)[:31] or "sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f"({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _rejected_sheet(book, name: str, table: Normalised, issues: pl.DataFrame, styles) -> None:
    raw, (frame, headers) = table.raw, _as_sent(table.raw)
    fields = list(headers)  # the file's recognised columns, in the file's order
    per_row = (
        issues.with_columns(
            pl.col("field").replace_strict(raw.headers, default=None).alias("_header")
        )
        .group_by(ROW, maintain_order=True)
        .agg(pl.col("field"), pl.col("_header"), pl.col("rule_id"), pl.col("message"))
        .sort(ROW)
    )
    original = frame.join(per_row, on=ROW, how="inner", maintain_order="right")
    sheet = book.add_worksheet(name)
    for j, field in enumerate(fields):
        write_cell(sheet, 0, j, headers[field], styles["head"])
    for k, title in enumerate(FIX_COLUMNS):
        write_cell(sheet, 0, len(fields) + k, title, styles["fix_head"])
    for i, row in enumerate(original.iter_rows(named=True), start=1):
        bad = set(row["field"])
        for j, field in enumerate(fields):
            style = styles["bad"] if field in bad else None
            write_cell(sheet, i, j, row[field] or "", style)
        headers = "、".join(dict.fromkeys(h for h in row["_header"] if h)) or "整行"
        fix = (row[ROW], headers, "、".join(dict.fromkeys(row["rule_id"])),
               "\n".join(dict.fromkeys(row["message"])))  # fmt: skip
        write_cell(sheet, i, len(fields), fix[0])
        for k, text in enumerate(fix[1:], start=1):
            write_cell(sheet, i, len(fields) + k, text, styles["wrap"])
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, len(fields) - 1, 16)
    sheet.set_column(len(fields), len(fields) + 2, 14)
    sheet.set_column(len(fields) + 3, len(fields) + 3, 60)


def _as_sent(raw) -> tuple[pl.DataFrame, dict[str, str]]:
    """The file's rows and headers as its sender laid them out: a scoring summary's score rows
    folded back into one line per case, one column per expert."""
    if raw.spec is not SCORE_SUMMARY:
        return raw.frame, raw.headers
    frame = wide.sheet_rows(raw.frame)
    named = {f: h for f, h in raw.headers.items() if f not in wide.UNPIVOTED}
    # A stage read from the title needs a column here: the fix file has no title row.
    named |= {"stage": SCORE_SUMMARY.column("stage").header} if "stage" not in named else {}
    experts = [c for c in frame.columns if c != ROW and c not in raw.frame.columns]
    return frame, named | {e: e for e in experts}


def _notes_sheet(book, checked: _Checked, styles) -> None:
    warnings = checked.report.issues.filter(pl.col("severity") == "warning")
    if not warnings.height:
        return
    sheet = book.add_worksheet(NOTES_SHEET)
    titles = ("文件", "行号", "问题列", "值", "规则", "原因")
    for k, title in enumerate(titles):
        write_cell(sheet, 0, k, title, styles["head"])
    headers = {t.raw.sha256: headers_of(t) for t in checked.tables}
    for i, w in enumerate(warnings.iter_rows(named=True), start=1):
        column = headers.get(w["file_id"], {}).get(w["field"], w["field"] or "")
        cells = (checked.name(w["file_id"]), w[ROW], column, w["value"], w["rule_id"],
                 w["message"])  # fmt: skip
        for k, cell in enumerate(cells):
            write_cell(sheet, i, k, cell, styles["wrap"] if k == 5 else None)
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 4, 14)
    sheet.set_column(5, 5, 70)


def _skipped_sheet(book, checked: _Checked, styles) -> None:
    found = skipped_rows(checked.tables)
    if not found:
        return
    sheet = book.add_worksheet(SKIPPED_SHEET)
    for k, title in enumerate(("文件", "行号", "说明", "该行内容")):
        sheet.write_string(0, k, title, styles["head"])
    for i, (name, row, said, text) in enumerate(found, start=1):
        sheet.write_string(i, 0, name)
        sheet.write_number(i, 1, row)
        sheet.write_string(i, 2, said)
        sheet.write_string(i, 3, text)
    sheet.set_column(0, 0, 24)
    sheet.set_column(2, 2, 28)
    sheet.set_column(3, 3, 70)


def _rejected_files_sheet(book, rejected: list[tuple[str, str]], styles) -> None:
    sheet = book.add_worksheet(REJECTED_SHEET)
    write_cell(sheet, 0, 0, "文件", styles["head"])
    write_cell(sheet, 0, 1, "原因", styles["head"])
    for i, (name, message) in enumerate(rejected, start=1):
        write_cell(sheet, i, 0, name)
        write_cell(sheet, i, 1, message, styles["wrap"])
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 1, 80)
