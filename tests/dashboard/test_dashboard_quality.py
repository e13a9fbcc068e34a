"""数据质量: loads, rule results and quarantined rows equal the meta tables."""

from __future__ import annotations

from page_reading import metric, texts


def test_loads_and_rules_match_meta(open_page, sql):
    at = open_page("数据质量")
    assert not at.exception
    runs = sql("select count(*) from meta.load_runs")
    quarantined = sql("select sum(rows_quarantined) from meta.load_runs")
    assert f"**累计隔离** {quarantined:,} 行" in texts(at)
    assert len(next(d.value for d in at.dataframe if "完成时间" in d.value.columns)) == runs
    last = sql("select run_id from meta.load_runs order by finished_at desc limit 1")
    rules = sql("select count(*) from meta.dq_results where run_id = ?", [last])
    failed = sql("select count(*) from meta.dq_results where run_id = ? and not passed", [last])
    assert rules > 0 and failed > 0  # the demo is loaded through the gate, defects planted
    assert metric(at, "检查的规则") == f"{rules:,} 条"
    assert metric(at, "未通过") == f"{failed:,} 条"


def test_quarantine_is_filtered_by_province(open_page, sql):
    province = sql(
        "select province from meta.quarantine where province is not null "
        "group by province order by count(*) desc, province limit 1"
    )
    expected = sql("select count(*) from meta.quarantine where province = ?", [province])
    assert expected > 0
    at = open_page("数据质量", province=province)
    assert at.multiselect(key="province").value == [province]
    assert f"共 {expected:,} 条问题" in texts(at)
    shown = next(d.value for d in at.dataframe if "所属省份" in d.value.columns)
    assert len(shown) == expected and set(shown["所属省份"]) == {province}


def test_a_province_with_nothing_quarantined_gets_a_sentence(open_page, sql):
    province = sql(
        "select min(province) from ref.provinces where takes_part "
        "and province not in (select province from meta.quarantine where province is not null)"
    )
    at = open_page("数据质量", province=province)
    assert "所选省份没有被隔离的行" in texts(at)
