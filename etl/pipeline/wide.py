"""评审打分汇总表 → 评分表 rows: the wide summary sheet review offices pass around in Excel.

One row per case and stage, one column per expert's total (专家1 … 专家N, or the experts'
ids), the case named by 申报编号 or by 申报单位 + 案例名称, often with 平均分,
去掉最高最低后平均分 and 排名. Each filled expert cell becomes one score row (case × stage ×
expert) carrying its sheet row's Excel number, so the same scores land in the same tables as
the long 评分表 would; a blank cell is an expert who did not score that case. The stage is the
sheet's 评审阶段 column, or the one stage its title rows or its sheet name name.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import polars as pl

from etl.reference.contract import EXPERT_HEADER, SCORE_SUMMARY, header_index, header_key
from etl.reference.layout import IGNORED_HEADERS
from etl.reference.programme import domains
from etl.reference.text import visible

ROW = "_row"
UNPIVOTED = ("expert_id", "total_score")  # made by unpivoting, never a header of the sheet
# What a clerk writes in an expert's cell when that expert did not score the case: no score.
NOT_SCORED = ("回避", "缺席", "弃权", "未评", "未打分", "/", "／", "-", "—", "－", "——")


@dataclass(frozen=True)
class WideHeader:
    at: int  # the 0-based grid row where the header ends
    cells: tuple
    fields: dict[str, int]  # field -> grid column, for the sheet's named columns
    experts: dict[str, int]  # the expert's header as written -> grid column

    @property
    def required(self) -> list[str]:
        """The columns that name the case: what a data row fills and a 合计 row does not."""
        return ["submission_id"] if "submission_id" in self.fields else ["unit_name", "title"]

    def extras(self) -> tuple[str, ...]:
        known = {*self.fields.values(), *self.experts.values()}
        return tuple(
            str(c)
            for j, c in enumerate(self.cells)
            if c and j not in known and header_key(c) not in IGNORED_HEADERS
        )


def find_header(candidates) -> WideHeader | None:
    """The header row of a scoring summary among (row, cells) candidates, or None: at least two
    experts' columns, and the case named by 申报编号 or by 申报单位 + 案例名称."""
    best = None
    for i, cells in candidates:
        header = _header(i, cells)
        named = "submission_id" in header.fields or {"unit_name", "title"} <= set(header.fields)
        if len(header.experts) >= 2 and named:
            size = len(header.experts) + len(header.fields)
            if best is None or size > best[0]:
                best = (size, header)
    return best[1] if best else None


def _header(i: int, cells: tuple) -> WideHeader:
    index = header_index(SCORE_SUMMARY)
    fields, experts = {}, {}
    for j, cell in enumerate(cells):
        key = header_key(cell) if cell else ""
        if key and EXPERT_HEADER.match(key):
            experts.setdefault(_plain(cell), j)
        elif index.get(key) and index[key] not in UNPIVOTED:
            fields.setdefault(index[key], j)
    return WideHeader(i, tuple(cells), fields, experts)


def sheet_stage(title_rows: list[tuple], sheet: str) -> tuple[str, str] | None:
    """(stage, where it was read) from the one stage the title rows name (…终评打分汇总表),
    else the one the sheet's name names; None when neither names exactly one."""
    title = " ".join(_plain(c) for row in title_rows for c in row if c)
    for text, where in ((title, "标题"), (sheet, "工作表名")):
        named = [s for s in domains()["stage"] if s in text]
        if len(named) == 1:
            return named[0], where
    return None


def unpivot(rows: pl.DataFrame, header: WideHeader, stage: str | None) -> pl.DataFrame:
    """The sheet's data rows (_row, its named fields, one column per expert) as score rows:
    _row, the named fields, stage, expert_id, total_score; blank expert cells dropped."""
    experts = list(header.experts)
    order = {name: k for k, name in enumerate(experts)}
    index = [c for c in rows.columns if c not in order]
    long = rows.unpivot(
        on=experts, index=index, variable_name="expert_id", value_name="total_score"
    ).filter(_scored(pl.col("total_score")))
    long = long.with_columns(
        pl.col("expert_id").replace_strict(order, return_dtype=pl.Int64).alias("_order")
    ).sort([ROW, "_order"], maintain_order=True)
    given = pl.col("stage") if "stage" in long.columns else pl.lit(None, pl.String)
    stage_cell = pl.when(_filled(given)).then(given).otherwise(pl.lit(stage, pl.String))
    return long.with_columns(stage_cell.alias("stage")).drop("_order")


def unscored_rows(rows: pl.DataFrame, header: WideHeader) -> list[int]:
    """Excel rows that name a case but carry no expert's score (nothing to load from them)."""
    scored = pl.sum_horizontal(_scored(pl.col(e)).fill_null(False) for e in header.experts)
    named = pl.any_horizontal(_filled(pl.col(f)).fill_null(False) for f in header.required)
    return rows.filter(scored == 0, named).get_column(ROW).to_list()


def not_scored_cells(rows: pl.DataFrame, header: WideHeader) -> list[str]:
    """“第7行专家3：回避” for each expert's cell that says the expert did not score the case."""
    found = []
    for expert in header.experts:
        marked = rows.filter(_filled(pl.col(expert)) & ~_scored(pl.col(expert)))
        found += [f"第{r}行{expert}：{t.strip()}" for r, t in marked.select(ROW, expert).rows()]
    return found


def _filled(cell: pl.Expr) -> pl.Expr:
    return cell.str.strip_chars().str.len_chars() > 0


def _scored(cell: pl.Expr) -> pl.Expr:
    return _filled(cell) & ~cell.str.strip_chars().is_in(NOT_SCORED)


def _plain(cell: object) -> str:
    return visible(str(cell)).strip()


CASE_COLUMNS = ("submission_id", "unit_name", "title")  # what match_cases reads of a submission


def match_cases(table, submissions: list[pl.DataFrame]):
    """A summary (a Normalised table) that names its cases by 申报单位 + 案例名称, with each
    row's 申报编号 from `submissions` (this run's first, then the warehouse's): null where no
    submission, or more than one, has that unit and title (ref.case_name then says so)."""
    keys = ["unit_name", "title"]
    pools = [s.select("submission_id", *keys) for s in submissions if set(keys) <= set(s.columns)]
    pool = pl.concat(pools, how="vertical_relaxed") if pools else None
    if pool is None or pool.is_empty():
        ids = table.frame.with_columns(pl.lit(None, pl.String).alias("submission_id"))
        return replace(table, frame=ids)
    pool = pool.drop_nulls().unique(["submission_id"], keep="first", maintain_order=True)
    single = pool.filter(pl.len().over(keys) == 1)
    matched = table.frame.join(single, on=keys, how="left", maintain_order="left")
    return replace(table, frame=matched)


def names_cases(table) -> bool:
    """Whether a table is a scoring summary naming its cases by unit + title, not by id."""
    return table.spec is SCORE_SUMMARY and "submission_id" not in table.raw.frame.columns


def sheet_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """Score rows (as read, text) back in the sheet's shape: one line per Excel row, one column
    per expert, for the file a sender fixes and sends again."""
    index = [c for c in frame.columns if c not in UNPIVOTED]
    return frame.pivot(
        on="expert_id", index=index, values="total_score", aggregate_function="first"
    )
