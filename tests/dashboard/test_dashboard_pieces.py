"""The pure pieces: number formats, generated sentences, filters, exports."""

from __future__ import annotations

import io

import openpyxl
import polars as pl
import pytest

from dashboard import export
from dashboard.filters import Filters
from etl.present import fmt, narrative
from etl.present.narrative import Rate


@pytest.mark.parametrize(
    ("now", "before", "kind", "expected"),
    [
        (278, 449, "count", "-171 个"),
        (40, 40, "count", "与上年持平"),
        (0.1439, 0.0891, "rate", "+5.5 个百分点"),
        (69.76, 70.88, "score", "-1.1 分"),
        (5, None, "count", None),
    ],
)
def test_year_on_year_changes(now, before, kind, expected):
    assert fmt.change(now, before, kind) == expected


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [(12345, "count", "12,345 个"), (0.14388, "rate", "14.4%"), (None, "rate", "—")],
)
def test_values(value, kind, expected):
    assert fmt.value(value, kind) == expected


def test_rate_sentence_with_counts_and_small_sample_flag():
    text = narrative.compare_rate(
        Rate("入选率", 2, 8), Rate("入选率", 30, 200), "西部", Rate("入选率", 40, 278)
    )
    assert text.startswith("本省入选率 25.0%（2/8），高于西部均值（15.0%）10.0 个百分点")
    assert "样本少，仅供参考" in text


def test_filters_in_words_and_in_file_names():
    f = Filters(2024, categories=("融合生产传播",), regions=("东部", "西部"), include_central=False)
    assert f.describe() == "2024年度 · 融合生产传播 · 东部、西部 · 不含中央单位"
    assert f.slug() == "2024_融合生产传播_东部+西部_不含中央单位"
    assert export.file_name("地区分布", "xlsx", f.slug()) == (
        "地区分布_2024_融合生产传播_东部+西部_不含中央单位.xlsx"
    )


@pytest.mark.parametrize(
    ("year", "categories", "expected"),
    [(2024, (), 2023), (2024, ("融合生产传播",), None), (2019, (), None)],
)
def test_previous_year_only_when_comparable(year, categories, expected):
    assert Filters(year, categories=categories).previous_year(range(2019, 2026)) == expected


DANGEROUS = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx"]


def test_exports_neutralise_formulas():
    frame = pl.DataFrame({"单位": [*DANGEROUS, "浙江安吉新闻集团"], "排名变化": [-1] * 6})
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(frame))).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert cells[:5] == [f"'{d}" for d in DANGEROUS]
    assert cells[5] == "浙江安吉新闻集团"
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [-1] * 6
    text = export.to_csv(frame)
    assert text.startswith(b"\xef\xbb\xbf")
    assert "'=HYPERLINK" in text.decode("utf-8-sig")


def test_the_summary_says_when_it_compares_across_the_change_of_scheme():
    now = {"submissions": 278, "provinces": 29, "reached_final": 80, "selected": 40,
           "selection_rate": 40 / 278}  # fmt: skip
    before = {**now, "submissions": 449, "selection_rate": 40 / 449}
    across = narrative.overview_summary(2024, now, before, ("广东", 21))
    assert "较上年减少 171 个" in across and "2024年起改为四个类别" in across
    within = narrative.overview_summary(2023, now, before, ("广东", 21))
    assert "2024年起改为四个类别" not in within
