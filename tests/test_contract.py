"""Header cells as people type them: one normalisation (header_key), a table of real variants."""

from __future__ import annotations

import pytest

from etl.reference.contract import (
    OUTCOMES,
    SCORES,
    SUBMISSIONS,
    ExportSpec,
    header_index,
    header_key,
)

VARIANTS = [
    ("申报\n单位", SUBMISSIONS, "unit_name"),  # Alt+Enter inside the cell
    ("申报\r\n单位", SUBMISSIONS, "unit_name"),  # …as a CSV written on Windows keeps it
    ("材料字数\n（字）", SUBMISSIONS, "material_chars"),
    ("材料字数（字）", SUBMISSIONS, "material_chars"),
    ("材料字数(单位：字)", SUBMISSIONS, "material_chars"),
    ("材料字数【不超过5000字】", SUBMISSIONS, "material_chars"),
    ("申报　单位", SUBMISSIONS, "unit_name"),  # full-width space
    (" 申报单位 ", SUBMISSIONS, "unit_name"),
    ("申报单位：", SUBMISSIONS, "unit_name"),  # trailing full-width colon
    ("申报单位:", SUBMISSIONS, "unit_name"),
    ("*申报单位", SUBMISSIONS, "unit_name"),
    ("申报单位*", SUBMISSIONS, "unit_name"),
    ("＊申报单位", SUBMISSIONS, "unit_name"),  # full-width asterisk
    ("★案例名称", SUBMISSIONS, "title"),
    ("【必填】案例名称", SUBMISSIONS, "title"),
    ("案例名称（必填）：", SUBMISSIONS, "title"),
    ("*提交时间\n（年-月-日 时:分）", SUBMISSIONS, "submitted_at"),
    ("\ufeff申报编号", SUBMISSIONS, "submission_id"),  # a byte-order mark left by `cat`
    ("申报\u200b编号", SUBMISSIONS, "submission_id"),  # a zero-width space
    ("申报单位\u2028", SUBMISSIONS, "unit_name"),  # a Unicode line separator
    ("所属省（区、市）", SUBMISSIONS, "province"),  # the bracket is part of the name
    ("省（区、市）*", SUBMISSIONS, "province"),
    ("ＳＵＢＭＩＳＳＩＯＮ_ＩＤ", SUBMISSIONS, "submission_id"),
    ("总分\n（100分）", SCORES, "total_score"),
    ("创新性(30分)", SCORES, "innovation"),
    ("推荐单位：", OUTCOMES, "unit_name"),
]


@pytest.mark.parametrize(("header", "spec", "field"), VARIANTS)
def test_header_as_typed_names_its_column(header: str, spec: ExportSpec, field: str) -> None:
    assert header_index(spec).get(header_key(header)) == field


@pytest.mark.parametrize("header", ["申报单位类型", "备注", "序号", "单位", "材料"])
def test_a_different_header_is_not_taken_for_a_column(header: str) -> None:
    assert header_index(SUBMISSIONS).get(header_key(header)) is None
