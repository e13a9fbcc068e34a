"""Writing a year's exports the way bureaus send them (UTF-8 CSV with BOM, GBK, Chinese and
slashed dates, real .xlsx), and defects.csv with every planted cell by Excel row."""

from __future__ import annotations

import csv
from datetime import datetime
from functools import cache
from pathlib import Path

from etl.present.cells import workbook, write_cell
from etl.reference.contract import OUTCOMES, SCORES, SUBMISSIONS, ExportSpec
from etl.reference.geography import provinces
from etl.simulate.records import Experts, Mark, ScoreRow, Sub, Year
from etl.simulate.review import group_of
from etl.simulate.units import Unit

XLSX = {("submissions", 2023), ("scores", 2023), ("outcomes", 2024)}
GBK = {("submissions", 2021), ("scores", 2021)}
DATE_STYLE = {2021: "chinese", 2022: "slash"}
DEFECT_COLUMNS = ("file", "row", "column", "value", "defect", "rule_id", "severity")


def write_year(
    out_dir: Path, sim: Year, experts: Experts, scale: int
) -> tuple[list[Path], list[dict[str, str]]]:
    """The year's three exports; and the planted cells, with their row numbers as written."""
    year, written, defects = sim.rules.year, [], []
    exports = (
        (SUBMISSIONS, [_submission_row(s) for s in sim.rows]),
        (SCORES, _score_rows(sim, experts)),
        (OUTCOMES, _outcome_rows(sim)),
    )
    for spec, rows in exports:
        xlsx = (spec.kind, year) in XLSX and scale == 1
        path = out_dir / f"{spec.kind}_{year}.{'xlsx' if xlsx else 'csv'}"
        write = _write_xlsx if xlsx else _write_csv
        defects += write(path, spec, rows, year)
        written.append(path)
        defects += [
            _defect(path.name, "", spec, mark, value)
            for kind, mark, value in sim.marks
            if kind == spec.kind
        ]
    return written, defects


Row = tuple[list[object], list[Mark]]  # cell values in the spec's column order, planted marks


def _ordered(spec: ExportSpec, values: dict[str, object]) -> list[object]:
    return [values[c.field] for c in spec.columns]


def _submission_row(s: Sub) -> Row:
    name, unit_type = s.unit.written(s.year)
    values = {
        "submission_id": s.sid,
        "year": int(s.sid[:4]),
        "track": s.track,
        "category": s.category,
        "unit_name": name,
        "unit_type": unit_type,
        "unit_level": s.unit.level,
        "province": s.unit.province,
        "title": s.title,
        "submitted_at": s.submitted_at,
        "material_chars": s.chars,
        "is_recommended": "是" if s.recommended else "否",
    }
    return _ordered(SUBMISSIONS, values | s.overrides), s.marks


def _score_rows(sim: Year, experts: Experts) -> list[Row]:
    stage_order = {stage: i for i, stage in enumerate(sim.rules.stages)}
    rows = sorted(
        sim.scores,
        key=lambda r: (stage_order[r.stage], r.sid or r.sub.sid, experts.ids[r.expert]),
    )
    fields = [c.field for c in sim.rules.criteria]
    take = [fields.index(c.field) for c in SCORES.columns if c.field in fields]
    return [_score_row(r, take, experts) for r in rows]


def _score_row(r: ScoreRow, take: list[int], experts: Experts) -> Row:
    """In SCORES column order, written out: there are millions of these at scale 100."""
    values = [r.sid or r.sub.sid, r.stage, experts.ids[r.expert], experts.provinces[r.expert]]
    return [*values, *(r.points[i] for i in take), r.total, r.scored_at], list(r.marks)


def _outcome_rows(sim: Year) -> list[Row]:
    """The published list: by track or category, then province in official order."""
    groups = list(sim.rules.selected)
    order = {p["province"]: int(p["sort_order"]) for p in provinces()}
    ranked = sorted(
        sim.selected,
        key=lambda s: (groups.index(group_of(s, sim.rules)), order[s.unit.province], s.sid),
    )
    return [(_ordered(OUTCOMES, _outcome_values(s)), []) for s in ranked]


def _outcome_values(s: Sub) -> dict[str, object]:
    return {
        "year": int(s.sid[:4]),
        "track": s.track,
        "category": s.category,
        "unit_name": s.unit.written(s.year)[0],
        "title": s.title,
        "result": "入选",
        "province": s.unit.province,
        "submission_id": s.sid,
    }


def _text(value: object, style: str = "iso") -> str:
    """A cell as a CSV writes it; dates in the file's own style."""
    if type(value) is str:
        return value
    if type(value) is float:
        return _number(value)
    if isinstance(value, datetime):
        if style == "chinese":
            return f"{value.year}年{value.month}月{value.day}日"
        if style == "slash":
            return f"{value.year}/{value.month}/{value.day} {value.hour}:{value.minute:02d}"
        return f"{value:%Y-%m-%d %H:%M:%S}"
    return str(value)


@cache
def _number(value: float) -> str:
    """72.0 → 72, 17.5 → 17.5: scores as a person types them (few distinct values: cached)."""
    return str(int(value)) if value.is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")


def _write_csv(path: Path, spec: ExportSpec, rows: list[Row], year: int) -> list[dict[str, str]]:
    encoding = "gbk" if (spec.kind, year) in GBK else "utf-8-sig"
    style = DATE_STYLE.get(year, "iso")
    defects = []
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.header for c in spec.columns])
        for number, (values, marks) in enumerate(rows, start=2):
            cells = [_text(v, style) for v in values]
            writer.writerow(cells)
            defects += [_defect(path.name, number, spec, m, _cell(spec, m, cells)) for m in marks]
    return defects


def _write_xlsx(path: Path, spec: ExportSpec, rows: list[Row], year: int) -> list[dict[str, str]]:
    """A real workbook: numbers as numbers, dates as Excel datetimes, a fixed creation date."""
    book = workbook(str(path), in_memory=True)
    book.set_properties({"created": datetime(year, 12, 31), "comments": "模拟数据"})
    sheet = book.add_worksheet(spec.label)
    when = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    bold = book.add_format({"bold": True})
    for col, column in enumerate(spec.columns):
        write_cell(sheet, 0, col, column.header, bold)
    defects = []
    for number, (values, marks) in enumerate(rows, start=2):
        for col, value in enumerate(values):
            write_cell(sheet, number - 1, col, value, when if isinstance(value, datetime) else None)
        cells = [_text(v) for v in values]
        defects += [_defect(path.name, number, spec, m, _cell(spec, m, cells)) for m in marks]
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, len(spec.columns) - 1, 14)
    book.close()
    return defects


def _cell(spec: ExportSpec, mark: Mark, cells: list[str]) -> str:
    return cells[[c.field for c in spec.columns].index(mark.field)]


def _defect(file: str, row: int | str, spec: ExportSpec, mark: Mark, value: str) -> dict:
    return {
        "file": file,
        "row": str(row),
        "column": spec.column(mark.field).header,
        "value": value,
        "defect": mark.defect,
        "rule_id": mark.rule_id,
        "severity": mark.severity,
    }


def write_defects(path: Path, defects: list[dict[str, str]]) -> Path:
    """defects.csv: every planted cell, by file and row as Excel shows it (header = row 1)."""
    ordered = sorted(defects, key=lambda d: (d["file"], d["row"] == "", int(d["row"] or 0)))
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=DEFECT_COLUMNS)
        writer.writeheader()
        writer.writerows(ordered)
    return path


def write_unit_truth(path: Path, pool: tuple[Unit, ...]) -> Path:
    """unit_truth.csv: every name each simulated unit writes in some year, against the unit's
    own number, so that a test can score the unit registry against the planted truth."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("单位编号", "申报单位", "所属省份", "单位层级", "年度"))
        for u in pool:
            writer.writerow((u.key, u.name, u.province, u.level, ""))
            for year, name, _ in u.written_as:
                writer.writerow((u.key, name, u.province, u.level, year))
    return path
