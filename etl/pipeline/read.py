"""Export files → frames of text, one per file, with Excel row numbers and the file's kind.

Nothing is typed here: every cell stays the text the bureau typed, so a row that fails a
rule later can be shown back exactly as it was. A file we cannot read at all is rejected
whole with a FileRejected that says why in Chinese. Every sheet of a workbook is looked at:
each sheet whose header matches an export is a table (a bureau often puts 填报说明 first, or
splits its cases by category over several sheets); the others are passed over with a note.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl

from etl.pipeline import wide
from etl.reference.contract import SCORE_SUMMARY, SPECS, ExportSpec, header_index, header_key
from etl.reference.layout import IGNORED_HEADERS, row_kind
from etl.reference.text import (
    INVISIBLE_PATTERN,
    LINE_SEPARATORS,
    SEPARATOR_PATTERN,
    ZERO_WIDTH,
    unix_lines,
    visible,
)

ROW = "_row"  # the row number as Excel shows it (header row = its own number)
HEADER_SEARCH_ROWS = 15  # title rows above the header that we tolerate
STAGE_UNKNOWN = "file.stage_unknown"  # a scoring summary that names no stage
SKIPPED_SCHEMA = {ROW: pl.Int64, "what": pl.String, "text": pl.String}
_BLANK = " \t\r\n\u00a0\u3000" + ZERO_WIDTH + LINE_SEPARATORS  # what a blank cell may hold


class FileRejected(Exception):
    """A whole file cannot be loaded; the message is for the person who sent it."""

    def __init__(self, path: Path, message: str, rule_id: str = "file.unreadable"):
        super().__init__(f"{path.name}：{message}")
        self.path, self.message, self.rule_id = path, message, rule_id


@dataclass(frozen=True)
class RawTable:
    path: Path
    spec: ExportSpec
    frame: pl.DataFrame  # columns: _row, then one text column per recognised field
    headers: dict[str, str]  # field -> the header as written in the file
    encoding: str
    sha256: str
    extra_columns: tuple[str, ...]  # headers we did not recognise (kept out, reported)
    notes: tuple[str, ...] = ()  # what reading did to the file as a whole, for the report
    # Rows that are not data (totals, signatures, notes, blank lines…): SKIPPED_SCHEMA plus the
    # cells of the recognised columns, so a totals row's figures can be checked.
    skipped: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=SKIPPED_SCHEMA))
    sheet: str | None = None  # the worksheet, when the workbook has several data sheets

    @property
    def name(self) -> str:
        """How reports name this table: the file, and its sheet when there are several."""
        return sheet_label(self.path, self.sheet)


def sheet_label(path: Path, sheet: str | None) -> str:
    return f"{path.name}（工作表“{sheet}”）" if sheet else path.name


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_export(path: Path) -> RawTable:
    """The first data table of one export file (read_tables for every data sheet)."""
    return read_tables(path)[0]


def read_tables(path: Path) -> list[RawTable]:
    """Every data table of one export file of any accepted format; FileRejected if none."""
    path = Path(path)
    data = _read_bytes(path)
    digest = file_hash(data)
    sheets, encoding, notes = _grids(path, data)
    found, passed = [], []
    for sheet, grid in sheets:
        try:
            found.append((sheet, _sheet_table(path, sheet, grid, encoding, digest)))
        except FileRejected as exc:
            if exc.rule_id == STAGE_UNKNOWN:  # a scoring summary it is: say what it lacks
                raise
            passed.append((sheet, grid, exc))
    if not found:
        raise _no_data_sheet(path, passed)
    notes += tuple(_passed_note(sheet, grid) for sheet, grid, _ in passed)
    if len(found) == 1:
        return [replace(found[0][1], notes=notes + found[0][1].notes)]
    return [
        replace(
            t,
            notes=(notes if i == 0 else ()) + t.notes,
            sheet=sheet,
            sha256=file_hash(f"{digest}|{sheet}".encode()),
        )
        for i, (sheet, t) in enumerate(found)
    ]


def _sheet_table(
    path: Path, sheet: str, grid: pl.DataFrame, encoding: str, digest: str
) -> RawTable:
    """The export on one sheet: a scoring summary's header (one column per expert) first, as
    one with 年度 and 申报类型 columns also names every column a 结果表 needs; else a header
    that matches an export; else FileRejected saying what the closest export lacks."""
    header = wide.find_header(_header_candidates(grid))
    if header is not None:
        return _summary_table(path, sheet, grid, header, encoding, digest)
    header_at, header_cells, spec = _find_header(path, grid)
    return _table(path, grid, header_at, header_cells, spec, encoding, digest)


def _summary_table(
    path: Path, sheet: str, grid: pl.DataFrame, header: wide.WideHeader, encoding: str, digest: str
) -> RawTable:
    """A scoring summary's data rows unpivoted into score rows (etl.pipeline.wide)."""
    found = wide.sheet_stage(list(grid.head(header.at).iter_rows()), sheet)
    if found is None and "stage" not in header.fields:
        raise FileRejected(path, _no_stage_message(sheet), STAGE_UNKNOWN)
    body = grid.slice(header.at + 1).with_row_index(ROW, offset=header.at + 2)
    chosen = {**header.fields, **header.experts}
    frame = body.select(
        pl.col(ROW).cast(pl.Int64),
        *[pl.col(grid.columns[j]).alias(name) for name, j in chosen.items()],
    )
    kinds = _row_kinds(body, chosen, header.required, header.cells)
    skipped = frame.join(kinds, on=ROW, how="inner").select(*SKIPPED_SCHEMA, *header.fields)
    rows = frame.join(kinds, on=ROW, how="anti", maintain_order="left")
    headers = {f: str(header.cells[j]) for f, j in header.fields.items()}
    headers |= {f: SCORE_SUMMARY.column(f).header for f in wide.UNPIVOTED}
    long = wide.unpivot(rows, header, found[0] if found else None)
    notes = _summary_notes(header, found, long, wide.unscored_rows(rows, header))
    if marked := wide.not_scored_cells(rows, header):
        notes += (f"专家未打分的单元格不算评分：{'；'.join(marked)}",)
    return RawTable(path, SCORE_SUMMARY, long, headers, encoding, digest, header.extras(), notes,
                    skipped)  # fmt: skip


def _summary_notes(
    header: wide.WideHeader, stage: tuple[str, str] | None, long: pl.DataFrame, unscored: list
) -> tuple[str, ...]:
    experts = list(header.experts)
    cases = long.get_column(ROW).n_unique()
    notes = [
        f"{SCORE_SUMMARY.label}：{len(experts)}位专家各占一列（{experts[0]}…{experts[-1]}），{cases}行读作"
        f"{long.height}条专家评分（每个有分的单元格一条）；表中只有专家总分，各项得分留空"
    ]
    if stage and "stage" not in header.fields:
        notes.append(f"评审阶段取自{stage[1]}：{stage[0]}")
    if unscored:
        shown = "、".join(str(r) for r in unscored)
        notes.append(f"第{shown}行写有案例但没有任何专家打分，未读入评分")
    return tuple(notes)


def _no_stage_message(sheet: str) -> str:
    return (
        f"这是{SCORE_SUMMARY.label}（每位专家一列），但看不出评审阶段：表中没有“评审阶段”列，标题和工作表名"
        f"“{sheet}”中也没有写明初评、复评或终评（或写了不止一个）。请加一列“评审阶段”，"
        "或在标题中写明阶段，如“2024年度终评打分汇总表”"
    )


def _passed_note(sheet: str, grid: pl.DataFrame) -> str:
    empty = grid.is_empty() or all(
        _plain(c) == "" for row in grid.head(50).iter_rows() for c in row
    )
    why = "是空的" if empty else "没有可识别的表头（如填报说明页）"
    return f"工作表“{sheet}”{why}，已跳过"


def _no_data_sheet(path: Path, passed: list) -> FileRejected:
    """No sheet is an export: name the sheets looked at, and what the closest one lacks."""
    if len(passed) == 1:
        return passed[0][2]
    looked = "、".join(f"“{sheet}”" for sheet, _, _ in passed)
    closest = max(passed, key=lambda p: _header_hits(p[1]))
    return FileRejected(
        path,
        f"查看了工作表{looked}，都不是可识别的导出表；工作表“{closest[0]}”：{closest[2].message}",
        "file.missing_column",
    )


def _read_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileRejected(path, f"无法打开文件（{exc.strerror}）") from exc
    if not data.strip(b" \r\n\t\xef\xbb\xbf"):
        raise FileRejected(path, "文件是空的，没有表头也没有数据行", "file.empty")
    return data


def _grids(path: Path, data: bytes) -> tuple[list[tuple[str, pl.DataFrame]], str, tuple[str, ...]]:
    """(sheet name, grid) of every sheet (a CSV is one sheet), the encoding, notes on the file."""
    if data[:4] == b"PK\x03\x04":
        return _excel_grids(path, data), "xlsx", ()
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return _excel_grids(path, data), "xls", ()
    if data[:5] == b"%PDF-":
        raise FileRejected(path, "这是PDF文件，不是导出表；请上传 .xlsx 或 .csv", "file.kind")
    grid, encoding, notes = _csv_grid(path, data)
    return [(path.stem, grid)], encoding, notes


def _excel_grids(path: Path, data: bytes) -> list[tuple[str, pl.DataFrame]]:
    if data[:4] == b"PK\x03\x04":
        _refuse_non_workbook_zip(path, data)
    try:
        # Keep empty rows and the rows above the sheet's first used cell: grid row i must be
        # Excel row i + 1, or every row number we report is off.
        sheets = pl.read_excel(
            io.BytesIO(data),
            sheet_id=0,
            engine="calamine",
            raise_if_empty=False,
            has_header=False,
            infer_schema_length=0,
            drop_empty_rows=False,
            read_options={"skip_rows": 0},
        )
    except Exception as exc:  # calamine raises several types for broken workbooks
        raise FileRejected(path, f"Excel 文件已损坏或不完整，无法读取（{exc}）") from exc
    return list(sheets.items())


def _refuse_non_workbook_zip(path: Path, data: bytes) -> None:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile as exc:
        raise FileRejected(path, "Excel 文件不完整（可能传输中断），请重新导出") from exc
    if any(n.startswith("word/") for n in names):
        raise FileRejected(path, "这是 Word 文档，不是导出表；请上传 .xlsx 或 .csv", "file.kind")
    if not any(n.startswith("xl/") for n in names):
        raise FileRejected(path, "这是压缩包，不是 Excel 工作簿；请上传 .xlsx 或 .csv", "file.kind")


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            if encoding == "utf-8" and exc.reason == "unexpected end of data":
                # Cut off inside its last character (an interrupted copy): keep what is whole;
                # the checks then name the incomplete last row.
                return data[: exc.start].decode("utf-8"), encoding
            continue
    raise FileRejected(
        path,
        "无法识别文件编码：既不是 UTF-8 也不是 GBK/GB18030，请另存为 UTF-8 CSV",
        "file.encoding",
    )


def _csv_grid(path: Path, data: bytes) -> tuple[pl.DataFrame, str, tuple[str, ...]]:
    try:
        text, encoding = _decode(path, data)
    except UnicodeDecodeError as exc:
        raise FileRejected(
            path, "文件带 UTF-8 标记但内容不是 UTF-8，可能已损坏", "file.encoding"
        ) from exc
    if "\x00" in text[:4096]:
        raise FileRejected(path, "这是二进制文件，不是 CSV 文本；请上传 .xlsx 或 .csv", "file.kind")
    # Old Mac exports end lines with CR alone; the CSV parser knows only LF (and CRLF).
    text, old_mac = unix_lines(text)
    notes = (f"有 {old_mac:,} 处行尾为旧式 Mac 格式（仅 CR），已按换行读取",) if old_mac else ()
    try:
        grid = pl.read_csv(
            text.encode("utf-8"),
            has_header=False,
            infer_schema=False,
            truncate_ragged_lines=True,
        )
    except pl.exceptions.PolarsError as exc:
        raise FileRejected(path, f"CSV 格式错误，无法解析（{exc}）") from exc
    return grid, "gbk" if encoding == "gb18030" else encoding, notes


def _find_header(path: Path, grid: pl.DataFrame) -> tuple[int, tuple, ExportSpec]:
    """The 0-based grid row where the header ends, its cells, and the spec it matches best.

    Best = the most columns recognised, a complete match winning a tie: a 申报表 that lacks
    申报编号 still names more 申报表 columns than a 结果表 has, so it is rejected as an
    incomplete 申报表 rather than read as a published list.
    """
    best: tuple[tuple[int, bool], int, tuple, ExportSpec] | None = None
    for i, row in _header_candidates(grid):
        keys = {header_key(c) for c in row if c}
        for spec in SPECS:
            fields = {header_index(spec).get(k) for k in keys} - {None}
            score = (len(fields), {c.field for c in spec.required} <= fields)
            if best is None or score > best[0]:
                best = (score, i, row, spec)
    if best is None or not best[0][1]:
        raise FileRejected(path, _missing_columns_message(grid), "file.missing_column")
    return best[1], best[2], best[3]


def _header_candidates(grid: pl.DataFrame):
    """Each top row, and each two adjacent rows read as one header.

    A two-row header with merged cells (申报编号 merged down over both rows, 申报信息 merged
    across over 申报类型 | 申报类别) has each merged value only in its first cell: the lower
    row's cell wins where it has text, the upper row's fills the gaps.
    """
    rows = list(grid.head(HEADER_SEARCH_ROWS).iter_rows())
    for i, row in enumerate(rows):
        yield i, row
        if i + 1 < len(rows):
            yield i + 1, tuple(low or up for up, low in zip(row, rows[i + 1], strict=True))


def _header_hits(grid: pl.DataFrame) -> int:
    """How many columns of the best-matching export the sheet's top rows name."""
    rows = list(grid.head(HEADER_SEARCH_ROWS).iter_rows())
    return max(
        (len({header_index(s).get(header_key(c)) for c in row if c} - {None})
         for s in SPECS for row in rows),
        default=0,
    )  # fmt: skip


def _missing_columns_message(grid: pl.DataFrame) -> str:
    """Name the closest spec and the required headers it lacks, so the sender can fix it."""
    rows = list(grid.head(HEADER_SEARCH_ROWS).iter_rows())
    scored = []
    for spec in SPECS:
        index = header_index(spec)
        for row in rows:
            fields = {index.get(header_key(c)) for c in row if c} - {None}
            missing = [c.header for c in spec.required if c.field not in fields]
            scored.append((len(fields), spec, missing))
    hits, spec, missing = max(scored, key=lambda s: s[0], default=(0, None, []))
    if hits == 0:
        return "找不到可识别的表头（前15行中没有“申报编号”“年度”“申报单位”等列名），请确认这是申报表、评分表或结果表"
    return f"看起来是{spec.label}，但缺少必需的列：{'、'.join(missing)}"


def _table(
    path: Path,
    grid: pl.DataFrame,
    header_at: int,
    header_cells: tuple,
    spec: ExportSpec,
    encoding: str,
    digest: str,
) -> RawTable:
    index = header_index(spec)
    chosen: dict[str, int] = {}
    extras = []
    for j, cell in enumerate(header_cells):
        found = index.get(header_key(cell)) if cell else None
        if found and found not in chosen:
            chosen[found] = j
        elif cell and header_key(cell) not in IGNORED_HEADERS:
            extras.append(str(cell))
    body = grid.slice(header_at + 1).with_row_index(ROW, offset=header_at + 2)
    columns = grid.columns
    frame = body.select(
        pl.col(ROW).cast(pl.Int64),
        *[pl.col(columns[j]).alias(name) for name, j in chosen.items()],
    )
    required = [f for f in chosen if spec.column(f).required]
    kinds = _row_kinds(body, chosen, required, header_cells)
    skipped = frame.join(kinds, on=ROW, how="inner").select(*SKIPPED_SCHEMA, *frame.columns[1:])
    frame = frame.join(kinds, on=ROW, how="anti", maintain_order="left")
    headers = {name: str(header_cells[j]) for name, j in chosen.items()}
    return RawTable(path, spec, frame, headers, encoding, digest, tuple(extras), skipped=skipped)


def _row_kinds(
    body: pl.DataFrame, chosen: dict[str, int], required_fields: list[str], header_cells: tuple
) -> pl.DataFrame:
    """(_row, what, text) of every body row that is not data: blank, a repeated header, or a
    sparse row that reads as a total, signature, note or heading (etl.reference.layout).

    Only rows that fill fewer than half the required columns, or repeat the header's first
    cell, are looked at one by one: a million-row file has a handful of them.
    """
    columns = body.columns
    required = [columns[chosen[f] + 1] for f in required_fields]
    # strip_chars with a set, not a regex per cell: this runs over every row of the file
    filled = pl.sum_horizontal(
        (pl.col(c).str.strip_chars(_BLANK).str.len_chars() > 0).fill_null(False) for c in required
    )
    first_field, first_at = min(chosen.items(), key=lambda item: item[1])
    repeats = _visible(pl.col(columns[first_at + 1])).str.strip_chars() == _plain(
        header_cells[first_at]
    )
    candidates = body.filter((filled * 2 < len(required)) | repeats.fill_null(False))
    header = [_plain(c) for c in header_cells]
    kinds, in_footer = [], False
    for row in candidates.iter_rows():
        cells = [_plain(c) for c in row[1:]]
        what = _kind(cells, header, required, columns, in_footer)
        in_footer = in_footer or what in ("signature", "note")
        if what:
            kinds.append((row[0], what, " ".join(c for c in cells if c)))
    return pl.DataFrame(kinds, schema=SKIPPED_SCHEMA, orient="row")


def _kind(
    cells: list[str], header: list[str], required: list[str], columns, in_footer
) -> str | None:
    """What one candidate row is (see _row_kinds); None when it is data."""
    numbering = [header_key(h) in IGNORED_HEADERS for h in header]
    kept = [c for c, n in zip(cells, numbering, strict=True) if c and not (n and c.isdigit())]
    if not kept:
        return "blank"
    if sum(c == h for c, h in zip(cells, header, strict=True) if h) * 2 > len(kept):
        return "header"
    at = {name: k for k, name in enumerate(columns[1:])}
    sparse = sum(bool(cells[at[c]]) for c in required) * 2 < len(required)
    first = re.sub(r"\s+", "", unicodedata.normalize("NFKC", next(c for c in cells if c)))
    return row_kind(first, sparse, in_footer)


def _plain(cell: object) -> str:
    return visible(str(cell)).strip() if cell is not None else ""


def _visible(cell: pl.Expr) -> pl.Expr:
    return cell.str.replace_all(INVISIBLE_PATTERN, "").str.replace_all(SEPARATOR_PATTERN, " ")
