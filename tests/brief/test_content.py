"""What the brief says, read from its document model: the sections in 汇报材料 order, numbered
tables and figures, sentences from the data, and 未公布 or a sentence wherever a number is
withheld or missing — never a different number."""

from __future__ import annotations

import re

import duckdb
import pytest
from reading import cell, headings, section_text, table, text

from etl.present import fmt


def test_national_sections_follow_a_briefing_order(brief):
    b = brief(2024)
    assert headings(b) == [
        "一、总体情况",
        "二、地区分布",
        "三、类别与单位结构",
        "四、评审情况",
        "五、年度趋势",
        "六、数据质量说明",
    ]
    assert [t.caption.split("　")[0] for t in b.tables] == [f"表{i}" for i in range(1, 8)]
    assert [f.caption.split("　")[0] for f in b.figures] == [f"图{i}" for i in range(1, 6)]
    assert b.title == "2024年全国广播电视媒体融合典型案例征集推选情况分析"
    assert b.simulated


def test_province_brief_adds_the_province_section(brief):
    b = brief(2024, "浙江", role="bureau")
    assert headings(b) == ["一、总体情况", "二、本省情况", "三、数据质量说明"]
    assert headings(b, 2) == [
        "（一）申报与排名",
        "（二）配额使用",
        "（三）初评得分",
        "（四）本省申报案例",
        "（五）历年申报与入选",
    ]


def test_the_scheme_change_is_said_plainly(brief):
    said = section_text(brief(2024), "总体情况")
    assert (
        "2024年起只设典型案例，分新媒体平台建设、融合生产传播、综合信息服务、体制机制改革四个类别"
        in said
    )
    assert "2024年起改为四个类别" in section_text(brief(2024), "年度趋势")


def test_numbers_read_the_chinese_way(brief):
    b = brief(2024)
    said = text(b)
    assert re.search(r"入选率 \d+\.\d%（入选 ÷ 申报），较上年提高 \d+\.\d 个百分点", said)
    assert cell(table(b, "2024年度主要指标"), "入选率", "变化").endswith("个百分点")
    assert cell(table(b, "2024年度主要指标"), "申报数", "2024年度").endswith(" 个")


def test_an_unpublished_year_says_withheld_to_a_researcher(brief):
    researcher, leader = brief(2025, role="researcher"), brief(2025)
    key = table(researcher, "2025年度主要指标")
    for measure in ("进入终评", "入选数", "入选率", "平均分"):
        assert cell(key, measure, "2025年度") == fmt.WITHHELD
        assert cell(table(leader, "2025年度主要指标"), measure, "2025年度") != fmt.WITHHELD
    assert cell(key, "申报数", "2025年度") == cell(
        table(leader, "2025年度主要指标"), "申报数", "2025年度"
    )
    assert "2025年度评审结果未公布" in section_text(researcher, "评审情况")
    assert not any("漏斗" in f.caption for f in researcher.figures)
    assert all(r[4] == fmt.WITHHELD for r in table(researcher, "2025年度申报数前十的省级单位").rows)


def test_a_year_without_data_says_so_in_every_section(brief):
    b = brief(2018)
    assert headings(b)[:5] == [
        "一、总体情况",
        "二、地区分布",
        "三、类别与单位结构",
        "四、评审情况",
        "五、年度趋势",
    ]
    assert not b.tables and not b.figures
    sentence = "2018年度没有申报数据（仓库中有申报数据的年度为2019—2025年），本节无从分析。"
    assert all(section_text(b, name) == sentence for name in ("总体情况", "评审情况", "年度趋势"))


def test_a_province_without_submissions_says_so(brief, demo_db):
    year, silent = _province_without_submissions(demo_db)
    b = brief(year, silent, role="bureau")
    assert f"{silent}在{year}年度没有申报，本节无从比较。" in section_text(b, "本省情况")
    assert not any(silent in t.caption for t in b.tables)


def _province_without_submissions(db) -> tuple[int, str]:
    """A published year and a province that takes part but submitted nothing that year (the
    demo world decides which: read it from the warehouse, not from memory)."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "select y.year, p.province from ref.provinces as p "
            "cross join (select distinct year from core.submissions) as y "
            "join ref.programme_years as r on r.year = y.year "
            "where p.takes_part and p.province <> '中央单位' and r.results_published "
            "and not exists (select 1 from core.submissions as s "
            "where s.year = y.year and s.province = p.province) "
            "order by y.year, p.sort_order limit 1"
        ).fetchone()


@pytest.mark.parametrize("role", ["leader", "researcher"])
def test_expert_consistency_without_identities(brief, role):
    said = section_text(brief(2024, role=role), "评审情况")
    assert re.search(r"初评 \d+ 位专家中偏严 \d+ 位、偏宽 \d+ 位", said)
    assert not re.search(r"E\d{3}", said)  # no expert is named, for any role


def test_a_bureau_sees_only_its_own_quarantined_rows(brief):
    said = section_text(brief(2024, "浙江", role="bureau"), "数据质量说明")
    assert "浙江的申报表中被隔离" in said or "没有被隔离的行" in said
    assert "评分表" not in said


def test_a_leader_reads_unpublished_results_marked_internal(brief):
    history = table(brief(2024), "历年概况")
    assert [r[0] for r in history.rows][-2:] == ["2024", "2025（内部）"]
    assert "公布前不得外传" in text(brief(2025))
    assert "公布前不得外传" not in text(brief(2024))


@pytest.mark.parametrize("province", [None, "浙江"], ids=["national", "province"])
def test_a_brief_names_no_file_or_path_of_ours(brief, province):
    """A 司 reads the brief on paper: the assumed rubric is pointed to on the dashboard, not as
    data/reference/rubric.toml."""
    said = text(brief(2024, province))
    assert "评分标准为假设" in said
    assert re.findall(r"[A-Za-z_]+/[A-Za-z_./]+|\b\w+\.(?:toml|csv|py|sql)\b", said) == []
