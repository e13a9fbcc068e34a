"""The data-quality gate (issue 3): every rule on a committed fixture, the demo data's planted
defects, bad input of every kind through the loader, and random corruption (hypothesis)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.config import SAMPLE_DIR
from etl.pipeline.checks import Known, run_checks
from etl.pipeline.checks.gx import _gate
from etl.pipeline.checks.rules import rules
from etl.pipeline.checks.scores import expert_suite
from etl.pipeline.load import check, load
from etl.pipeline.normalise import normalise
from etl.pipeline.read import FileRejected, read_export
from tests.warehouse_state import CORE_TABLES, fingerprint

BAD = Path(__file__).parent / "fixtures" / "bad"
SMALL = [Path(__file__).parent / "fixtures" / "load" / f"{k}_small.csv"
         for k in ("submissions", "scores", "outcomes")]  # fmt: skip
RULE_FILES = ("rules_submissions.csv", "rules_scores.csv", "rules_outcomes.csv", "rules_quota.csv")
PROVINCES = ("北京、天津、河北、山西、内蒙古、辽宁、吉林、黑龙江、上海、江苏、浙江、安徽、福建、江西、"
             "山东、河南、湖北、湖南、广东、广西、海南、重庆、四川、贵州、云南、西藏、陕西、甘肃、青海、"
             "宁夏、新疆、新疆生产建设兵团、中央单位")  # fmt: skip
CATEGORIES = "新媒体平台建设、融合生产传播、综合信息服务、体制机制改革"


def _report(paths: list[Path], known: Known | None = None):
    tables = [normalise(read_export(p)) for p in paths]
    report = run_checks(tables, known)
    names = {t.raw.sha256: t.raw.path.name for t in tables}
    return report, report.issues.with_columns(pl.col("file_id").replace_strict(names).alias("file"))


@pytest.fixture(scope="module")
def rule_issues() -> pl.DataFrame:
    return _report([BAD / name for name in RULE_FILES])[1]


# ---------------------------------------------------------------- one rule, one row

EXPECTED = [
    ("rules_submissions.csv", 4, "schema.required", "title", "案例名称为必填项，不能为空"),
    ("rules_submissions.csv", 5, "schema.type", "submitted_at",
     "提交时间“2024年13月1日”不是有效日期，可用格式：2024-04-20、2024/4/20、2024年4月20日"),
    ("rules_submissions.csv", 6, "domain.province", "province",
     f"所属省份“江南省”无法识别，可选值：{PROVINCES}"),
    ("rules_submissions.csv", 7, "domain.track", "track",
     "申报类型“典型项目”无法识别，可选值：先导单位、典型案例、成长项目"),
    ("rules_submissions.csv", 8, "domain.category", "category",
     f"申报类别“融合传播”无法识别，可选值：{CATEGORIES}"),
    ("rules_submissions.csv", 9, "domain.unit_type", "unit_type",
     "单位类型“电视台”无法识别，可选值：广播电视台、融媒体中心、广电网络公司、企业、其他"),
    ("rules_submissions.csv", 10, "domain.unit_level", "unit_level",
     "单位层级“乡镇级”无法识别，可选值：中央、省级、地市级、县级"),
    ("rules_submissions.csv", 11, "domain.year", "year",
     "年度“2018”不是项目年度，可选值：2019、2020、2021、2022、2023、2024、2025"),
    ("rules_submissions.csv", 12, "rule.deadline", "submitted_at",
     "提交时间“2024-04-22 08:00:00”晚于2024年申报截止日期2024-04-21"),
    ("rules_submissions.csv", 13, "rule.max_chars", "material_chars",
     "材料字数5600超过2024年上限5000字"),
    ("rules_submissions.csv", 14, "rule.category_required", "category",
     f"2024年按类别申报，申报类别不能为空，可选值：{CATEGORIES}"),
    ("rules_submissions.csv", 15, "rule.category_absent", "category",
     "2022年不分申报类别（按申报类型推选），申报类别应为空，实际填写“融合生产传播”"),
    ("rules_submissions.csv", 16, "rule.track_year", "track",
     "2024年没有“先导单位”这一申报类型，可选值：典型案例"),
    ("rules_submissions.csv", 17, "key.unique", "submission_id",
     "申报编号“2024-000101”在本文件中重复（第2行已有），请删除重复行或更正编号"),
    ("rules_submissions.csv", 18, "schema.type", "is_recommended",
     "省级推荐“待定”不是有效选项，可填：是、否（也接受 Y/N、推荐/不推荐、√/×）"),
    ("rules_submissions.csv", 19, "schema.type", "material_chars",
     "材料字数“约四千”不是有效整数，可用格式：4500、4,500、4500字"),
    ("rules_submissions.csv", None, "rule.totals", None,
     "第20行合计行：项目数写为20，上方18个数据行的项目数为18，请核对"),
    ("rules_scores.csv", 5, "score.max", "innovation", "创新性“32”超出范围，评分标准为0–30分"),
    ("rules_scores.csv", 6, "score.total", "total_score", "总分“80”与各项得分加权之和83不一致"),
    ("rules_scores.csv", 7, "score.conflict", "expert_province",
     "专家E004所在省份与申报单位同为浙江，应回避"),
    ("rules_scores.csv", 8, "ref.submission", "submission_id",
     "申报编号“2024-009999”在申报表中找不到（本次导入和仓库中都没有），请先导入对应申报表或核对编号"),
    ("rules_scores.csv", 9, "schema.type", "political", "政治性“优”不是有效分数，可用格式：18、18.5"),
    ("rules_scores.csv", 10, "domain.stage", "stage", "评审阶段“预评”无法识别，可选值：初评、复评、终评"),
    ("rules_scores.csv", 11, "key.unique", None,
     "申报编号 / 评审阶段 / 专家编号“2024-000101 / 初评 / E001”在本文件中重复（第2行已有），"
     "请删除重复行或更正编号"),
    ("rules_scores.csv", 12, "schema.required", "expert_id", "专家编号为必填项，不能为空"),
    ("rules_scores.csv", 13, "score.experts", "stage",
     "申报编号“2024-000102”在初评有1位专家评分，评分标准为3位"),
    ("rules_scores.csv", 14, "score.experts", "stage",
     "申报编号“2024-000101”在终评有1位专家评分，评分标准为7位"),
    ("rules_scores.csv", 14, "score.stage_flow", "stage",
     "申报编号“2024-000101”有终评评分，但没有复评评分"),
    ("rules_outcomes.csv", 3, "domain.result", "result", "结果“待定”无法识别，可选值：入选"),
    ("rules_outcomes.csv", 4, "flow.selected_final", "submission_id",
     "入选项目（申报编号“2024-000121”）在评分表中没有终评记录"),
    ("rules_outcomes.csv", 4, "place.unplaced", "province",
     "未填写所属省份，且无法从单位名称“数智视听科技有限公司”确定：单位名称中未找到地名，请人工确认所属省份"),
    ("rules_outcomes.csv", 5, "rule.category_absent", "category",
     "2019年不分申报类别（按申报类型推选），申报类别应为空，实际填写“融合生产传播”"),
    ("rules_outcomes.csv", 6, "key.unique", "submission_id",
     "申报编号“2024-000101”在本文件中重复（第2行已有），请删除重复行或更正编号"),
    ("rules_outcomes.csv", 7, "flow.selected_final", "submission_id",
     "入选项目（申报编号“2024-000102”）在评分表中没有终评记录"),
    ("rules_outcomes.csv", None, "flow.published_count", None,
     "2024年“新媒体平台建设”结果表中入选1个，公布数为10个"),
    ("rules_outcomes.csv", 8, "rule.title_missing", "title",
     "典型案例“安吉县融媒体中心”未填写案例名称：按年度、申报类型和申报单位与申报表对应，案例名称留空"),
    ("rules_outcomes.csv", None, "flow.published_count", None,
     "2024年“融合生产传播”结果表中入选1个，公布数为10个"),
    ("rules_outcomes.csv", None, "flow.published_count", None,
     "2024年“综合信息服务”结果表中入选1个，公布数为10个"),
    ("rules_outcomes.csv", None, "flow.published_count", None,
     "2024年“体制机制改革”结果表中入选1个，公布数为10个"),
    ("rules_quota.csv", 6, "rule.quota_province", "province",
     "江苏2024年省级推荐超出配额（每类别至多4个、合计至多12个）：按提交时间，"
     "本条是“融合生产传播”类第5个、全省第5个"),
    ("rules_quota.csv", 15, "rule.quota_province", "province",
     "江苏2024年省级推荐超出配额（每类别至多4个、合计至多12个）：按提交时间，"
     "本条是“体制机制改革”类第1个、全省第14个"),
    ("rules_quota.csv", 17, "rule.quota_central", "unit_name",
     "中央广播电视总台2024年申报超出中央单位配额（每类别至多1个、合计至多3个）：按提交时间，"
     "本条是“融合生产传播”类第2个、该单位第2个"),
    ("rules_quota.csv", 20, "rule.quota_central", "unit_name",
     "中央广播电视总台2024年申报超出中央单位配额（每类别至多1个、合计至多3个）：按提交时间，"
     "本条是“体制机制改革”类第1个、该单位第5个"),
]  # fmt: skip


@pytest.mark.parametrize(("file", "row", "rule_id", "field", "message"), EXPECTED)
def test_each_rule_names_file_row_column_and_fix(
    rule_issues: pl.DataFrame, file, row, rule_id, field, message
) -> None:
    found = rule_issues.filter(
        pl.col("file") == file,
        pl.col("_row").eq_missing(row),
        pl.col("rule_id") == rule_id,
        pl.col("field").eq_missing(field),
    )
    assert message in found.get_column("message").to_list()
    assert set(found.get_column("severity")) == {rules()[rule_id].severity}


def test_rule_fixtures_raise_only_their_planted_issues(rule_issues: pl.DataFrame) -> None:
    found = rule_issues.select("file", "_row", "rule_id", "message").rows()
    assert sorted(found, key=str) == sorted(((f, r, i, m) for f, r, i, _, m in EXPECTED), key=str)


def test_every_configured_rule_is_exercised_by_a_fixture() -> None:
    # key.sheets and scope.province need a workbook of several sheets or a bureau's own check:
    # tests/test_real_files.py and tests/dashboard/test_self_check.py exercise them; key.changed
    # needs a warehouse to compare with: tests/test_load.py loads one. A scoring summary's own
    # rules need a workbook laid out per case: tests/test_score_summary.py builds them.
    elsewhere = {"score.outlier", "key.sheets", "scope.province", "key.changed",
                 "score.sheet_mean", "score.sheet_rank", "ref.case_name"}  # fmt: skip
    assert {e[2] for e in EXPECTED} | elsewhere == set(rules())


def test_tallies_count_rows_the_rule_applies_to() -> None:
    report, _ = _report([BAD / "rules_submissions.csv"])
    tally = {r[0]: r[1:] for r in report.results.select("rule_id", "checked", "failed").rows()}
    assert tally["rule.deadline"] == (16, 1)  # not the unreadable date, not the year 2018
    # 申报类别 is optional; 案例名称 is not asked of a 先导单位 (row 16) or an unreadable track (row 7)
    assert tally["schema.required"] == (18 * 12 - 18 - 2, 1)
    assert tally["key.unique"] == (18, 1)
    assert tally["rule.quota_province"] == (2, 0)  # the two clean recommended rows


def test_quotas_count_across_files_in_order_of_submission(tmp_path: Path) -> None:
    """The later half of rules_quota.csv sent first, in its own file: the same rows are over."""
    lines = (BAD / "rules_quota.csv").read_text().splitlines(keepends=True)
    later, earlier = tmp_path / "a_later.csv", tmp_path / "b_earlier.csv"
    later.write_text("".join([lines[0], *lines[10:]]))
    earlier.write_text("".join(lines[:10]))
    report, _ = _report([later, earlier])
    tables = [normalise(read_export(p)) for p in (later, earlier)]
    ids = {t.raw.sha256: dict(t.frame.select("_row", "submission_id").rows()) for t in tables}
    over = sorted(ids[f][r] for f, r in report.issues.select("file_id", "_row").rows())
    assert over == ["2024-000204", "2024-000213", "2024-000215", "2024-000218"]


def test_known_rows_from_the_warehouse_satisfy_cross_file_rules() -> None:
    known = Known(
        submissions=pl.DataFrame(
            {"submission_id": ["2024-000101", "2024-000102", "2024-009999"], "year": [2024] * 3,
             "province": ["湖南", "浙江", "湖南"], "track": ["典型案例"] * 3,
             "category": ["融合生产传播"] * 3, "is_recommended": [True] * 3}
        ),
        stages=pl.DataFrame({"submission_id": ["2024-000101"], "stage": ["复评"]}),
    )  # fmt: skip
    _, issues = _report([BAD / "rules_scores.csv"], known)
    by_row = dict(issues.group_by("_row").agg("rule_id").rows())
    assert "ref.submission" not in by_row.get(8, [])  # 2024-009999 was loaded last week
    assert by_row[7] == ["score.conflict"]  # the warehouse says 2024-000102 is from 浙江
    assert by_row[14] == ["score.experts"]  # 复评 is in the warehouse: no stage_flow


def _outlier_files(tmp_path: Path) -> list[Path]:
    """120 cases, 3 of 12 experts each at 初评; E012 scores about 20 points below the others."""
    rng = np.random.default_rng(7)
    subs = tmp_path / "submissions_2024.csv"
    scores = tmp_path / "scores_2024.csv"
    with subs.open("w", newline="") as s, scores.open("w", newline="") as f:
        sw, fw = csv.writer(s), csv.writer(f)
        sw.writerow(["申报编号", "年度", "申报类型", "申报类别", "申报单位", "单位类型", "单位层级",
                     "所属省份", "案例名称", "提交时间", "材料字数", "省级推荐"])  # fmt: skip
        fw.writerow(["申报编号", "评审阶段", "专家编号", "专家所在省份", "政治性", "创新性",
                     "实效性", "典型性", "总分", "评分时间"])  # fmt: skip
        for case in range(120):
            sid = f"2024-{case + 1:06d}"
            sw.writerow([sid, 2024, "典型案例", "融合生产传播", f"湖南台{case}", "广播电视台",
                         "省级", "湖南", f"案例{case}", "2024-04-01", 4000, "否"])  # fmt: skip
            for expert in rng.choice(np.arange(1, 13), 3, replace=False):
                points = np.array([16, 24, 24, 16]) + rng.integers(-2, 3, 4)
                points -= 5 if expert == 12 else 0
                fw.writerow([sid, "初评", f"E{expert:03d}", "北京", *points, points.sum(),
                             "2024-05-01"])  # fmt: skip
    return [subs, scores]


def test_outlier_expert_is_flagged_once_with_the_size_of_the_gap(tmp_path: Path) -> None:
    report, issues = _report(_outlier_files(tmp_path))
    outliers = issues.filter(pl.col("rule_id") == "score.outlier")
    assert outliers.select("_row", "field", "value", "severity").rows() == [
        (None, "expert_id", "E012", "warning")
    ]
    message = outliers.item(0, "message")
    assert message.startswith("专家E012的") and "比其他专家对同一案例的评分平均低" in message
    expert = [v for v in report.validations if v.suite == expert_suite().name]
    assert expert and expert[0].result.results[0].result["element_count"] == 12


def test_gx_context_and_suites_are_built_once_per_process() -> None:
    _report([BAD / "enc_utf8.csv"])
    suites = dict(_gate().suites)
    report, _ = _report([BAD / "enc_utf8.csv"])
    assert _gate().suites == suites
    assert [v.suite for v in report.validations] == ["submissions", "submissions_by_quota"]
    assert report.validations[0].result.success


# ---------------------------------------------------------------- the demo data


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """data/sample as shipped, or the same simulation (same seed) if it is not there yet."""
    if (SAMPLE_DIR / "defects.csv").exists():
        return SAMPLE_DIR
    from etl.simulate import simulate

    out = tmp_path_factory.mktemp("sample")
    simulate(out)
    return out


@pytest.fixture(scope="module")
def sample(sample_dir: Path):
    paths = sorted(p for p in sample_dir.iterdir() if p.suffix in (".csv", ".xlsx")
                   and p.name not in ("defects.csv", "unit_truth.csv"))  # fmt: skip
    tables = [normalise(read_export(p)) for p in paths]
    report = run_checks(tables)
    defects = pl.read_csv(sample_dir / "defects.csv", infer_schema=False)
    return tables, report, defects


def test_every_planted_defect_is_caught_by_its_rule(sample) -> None:
    tables, report, defects = sample
    names = {t.raw.sha256: t.raw.path.name for t in tables}
    found = {
        (names[i["file_id"]], i["_row"], i["rule_id"]) for i in report.issues.iter_rows(named=True)
    }
    groups = {(names[i["file_id"]], i["value"], i["rule_id"])
              for i in report.issues.filter(pl.col("_row").is_null()).iter_rows(named=True)}  # fmt: skip
    fixes = {(t.raw.path.name, r, rule) for t in tables
             for r, rule in t.fixes.select("_row", "rule_id").rows()}  # fmt: skip
    for d in defects.iter_rows(named=True):
        if d["severity"] == "fix":
            assert (d["file"], int(d["row"]), d["rule_id"]) in fixes, d
        elif d["row"]:
            assert (d["file"], int(d["row"]), d["rule_id"]) in found, d
        else:
            assert (d["file"], d["value"], d["rule_id"]) in groups, d


def test_no_clean_row_of_the_demo_data_is_quarantined(sample) -> None:
    tables, report, defects = sample
    names = {t.raw.sha256: t.raw.path.name for t in tables}
    held = {(names[f], r) for f, r in report.blocking().select("file_id", "_row").unique().rows()}
    planted = {(d["file"], int(d["row"])) for d in defects.iter_rows(named=True)
               if d["severity"] == "blocking"}  # fmt: skip
    assert held == planted


# ---------------------------------------------------------------- bad input (issue 3 §5)


@dataclass(frozen=True)
class Expect:
    accepted: int = 0
    quarantined: int = 0
    rows: tuple[int, ...] = ()  # the Excel rows read, as the sender's Excel shows them
    issues: tuple[tuple[int, str, str], ...] = ()  # (row, rule_id, message)
    rejected: tuple[str, str] | None = None  # (rule_id, message) of a file rejected whole


CLEAN3 = Expect(accepted=3, rows=(2, 3, 4))
BAD_INPUT = [
    pytest.param("enc_utf8.csv", CLEAN3, id="utf8"),
    pytest.param("enc_utf8_bom.csv", CLEAN3, id="utf8-bom"),
    pytest.param("enc_gbk.csv", CLEAN3, id="gbk"),
    pytest.param("enc_gb18030.csv", CLEAN3, id="gb18030"),
    pytest.param("enc_utf16.csv", Expect(rejected=("file.encoding",
                 "无法识别文件编码：既不是 UTF-8 也不是 GBK/GB18030，请另存为 UTF-8 CSV")), id="utf16"),
    pytest.param("xlsx_title_rows.xlsx", Expect(accepted=3, rows=(5, 6, 8)), id="title-rows"),
    pytest.param("xlsx_merged_header.xlsx", Expect(accepted=3, rows=(3, 4, 5)),
                 id="merged-header"),
    pytest.param("trailing_columns.csv", CLEAN3, id="trailing-columns"),
    pytest.param("fullwidth_digits.csv", CLEAN3, id="fullwidth-digits"),
    pytest.param("numbers_as_text.xlsx", CLEAN3, id="numbers-as-text"),
    pytest.param("truncated_row.csv", Expect(accepted=2, quarantined=1, rows=(2, 3, 4), issues=(
        (4, "schema.required", "材料字数为必填项，不能为空"),
        (4, "schema.required", "省级推荐为必填项，不能为空"))), id="csv-cut-mid-row"),
    pytest.param("truncated_midchar.csv", Expect(accepted=2, quarantined=1, rows=(2, 3, 4), issues=(
        (4, "schema.required", "提交时间为必填项，不能为空"),
        (4, "schema.required", "材料字数为必填项，不能为空"),
        (4, "schema.required", "省级推荐为必填项，不能为空"))), id="csv-cut-mid-character"),
    pytest.param("invisible_chars.csv", CLEAN3, id="cat-joined-bom-zero-width"),
    pytest.param("cr_only.csv", CLEAN3, id="old-mac-cr-only"),
    pytest.param("truncated.xlsx", Expect(rejected=("file.unreadable",
                 "Excel 文件不完整（可能传输中断），请重新导出")), id="xlsx-cut-mid-zip"),
    pytest.param("empty.csv", Expect(rejected=("file.empty", "文件是空的，没有表头也没有数据行")),
                 id="empty"),
    pytest.param("word_renamed.csv", Expect(rejected=("file.kind",
                 "这是 Word 文档，不是导出表；请上传 .xlsx 或 .csv")), id="docx-renamed-csv"),
    pytest.param("missing_column.csv", Expect(rejected=("file.missing_column",
                 "看起来是申报表，但缺少必需的列：申报编号、提交时间")), id="missing-column"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "expect"), BAD_INPUT)
def test_bad_input_gives_a_clean_load_or_a_clear_error(
    name: str, expect: Expect, tmp_path: Path
) -> None:
    run = check([BAD / name], tmp_path / "none.duckdb", progress=False)
    (result,) = run.files
    if expect.rejected:
        with pytest.raises(FileRejected) as caught:
            read_export(BAD / name)
        assert (caught.value.rule_id, caught.value.message) == expect.rejected
        assert (result.status, result.message) == ("rejected", expect.rejected[1])
        return
    issues = run.report.issues.filter(pl.col("severity") == "blocking")
    assert result.status == "checked"
    assert (result.rows_accepted, result.rows_quarantined) == (expect.accepted, expect.quarantined)
    assert tuple(result.table.frame.get_column("_row")) == expect.rows
    assert sorted(issues.select("_row", "rule_id", "message").rows()) == sorted(expect.issues)


def test_bad_input_is_read_as_the_sender_meant_it() -> None:
    gb = normalise(read_export(BAD / "enc_gb18030.csv"))
    assert gb.raw.encoding == "gbk" and gb.frame.item(2, "title") == "“䶮”字号县域综合服务平台"
    wide = normalise(read_export(BAD / "fullwidth_digits.csv"))
    assert wide.frame.get_column("material_chars").to_list() == [4500, 4680, 3980]
    assert wide.frame.get_column("year").to_list() == [2024] * 3
    assert set(wide.fixes.get_column("rule_id")) == {"fix.fullwidth"}
    text = normalise(read_export(BAD / "numbers_as_text.xlsx"))
    assert text.frame.get_column("material_chars").to_list() == [4500, 4680, 3980]
    assert text.frame.get_column("year").to_list() == [2024] * 3


def test_invisible_characters_are_removed_and_logged_so_no_id_is_new() -> None:
    table = normalise(read_export(BAD / "invisible_chars.csv"))
    ids = table.frame.get_column("submission_id").to_list()
    assert ids == ["2024-000101", "2024-000102", "2024-000103"]
    assert table.frame.item(1, "unit_name") == "温岭市融媒体中心"
    assert table.frame.item(0, "title") == "“芒果云”全媒体生产平台"
    logged = table.fixes.filter(pl.col("rule_id") == "fix.invisible")
    assert logged.select("_row", "field", "after").rows() == [
        (4, "submission_id", "2024-000103"),
        (3, "unit_name", "温岭市融媒体中心"),
        (2, "title", "“芒果云” 全媒体生产平台"),
    ]
    assert logged.item(0, "before") == "\ufeff2024-000103"


def test_a_cat_joined_export_adds_no_case_to_the_warehouse(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load([BAD / "enc_utf8.csv"], db, progress=False)
    run = load([BAD / "invisible_chars.csv"], db, progress=False)
    assert run.status == "succeeded"
    with duckdb.connect(str(db), read_only=True) as con:
        ids = con.execute("select submission_id from core.submissions order by 1").fetchall()
        logged = con.execute(
            "select count(*) from meta.corrections where rule_id = 'fix.invisible'"
        ).fetchone()
    assert ids == [("2024-000101",), ("2024-000102",), ("2024-000103",)]
    assert logged == (3,)


def test_old_mac_line_endings_are_read_as_lines_and_said() -> None:
    raw = read_export(BAD / "cr_only.csv")
    assert raw.frame.height == 3 and raw.spec.kind == "submissions"
    assert raw.notes == ("有 4 处行尾为旧式 Mac 格式（仅 CR），已按换行读取",)


@pytest.mark.slow
def test_a_very_large_files_one_bad_row_is_found_at_its_excel_row(tmp_path: Path) -> None:
    """200,000 rows, one bad one at the very end: found at its Excel row."""
    n = 200_000
    ids = pl.int_range(1, n + 1, eager=True).cast(pl.String).str.zfill(6)
    frame = pl.DataFrame({
        "申报编号": "2024-" + ids, "年度": ["2024"] * n, "申报类型": ["典型案例"] * n,
        "申报类别": ["融合生产传播"] * n, "申报单位": "单位" + ids, "单位类型": ["融媒体中心"] * n,
        "单位层级": ["县级"] * n, "所属省份": ["湖南"] * n, "案例名称": "案例" + ids,
        "提交时间": ["2024-04-20 10:00:00"] * n, "材料字数": ["4500"] * n, "省级推荐": ["否"] * n,
    })  # fmt: skip
    frame = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == n - 1).then(pl.lit("江南省")).otherwise("所属省份")
        .alias("所属省份")
    )  # fmt: skip
    path = tmp_path / "submissions_big.csv"
    frame.write_csv(path)
    run = check([path], tmp_path / "none.duckdb", progress=False)
    (result,) = run.files
    assert (result.rows_read, result.rows_accepted, result.rows_quarantined) == (n, n - 1, 1)
    assert run.report.blocking().select("_row", "rule_id").rows() == [(n + 1, "domain.province")]


def test_a_rejected_file_leaves_the_warehouse_unchanged(tmp_path: Path) -> None:
    """Every data table (core, raw, quarantine, flags, corrections) hashes the same after a load
    of files that are all rejected whole; only the ledger records the attempt."""
    data = (*CORE_TABLES, "raw.submissions", "raw.scores", "raw.outcomes", "meta.quarantine",
            "meta.row_flags", "meta.corrections")  # fmt: skip
    db = tmp_path / "warehouse.duckdb"
    load(SMALL, db, progress=False)
    before = fingerprint(db, data)
    rejected = [BAD / p.values[0] for p in BAD_INPUT if p.values[1].rejected]
    run = load(rejected, db, progress=False)
    assert [f.status for f in run.files] == ["rejected"] * len(rejected)
    assert fingerprint(db, data) == before


# ---------------------------------------------------------------- random corruption


def _valid_exports() -> list[bytes]:
    return [p.read_bytes() for p in (*SMALL, BAD / "enc_utf8.csv")]


def _corrupt(data: bytes, draw) -> bytes:
    """Change cells, re-encode, cut: what a transfer, an editor or a person does to a file."""
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(text.splitlines()))
    for _ in range(draw(st.integers(0, 4))):
        i, j = draw(st.integers(0, len(rows) - 1)), draw(st.integers(0, len(rows[0]) - 1))
        if j < len(rows[i]):
            rows[i][j] = draw(st.one_of(
                st.sampled_from(["", " ", "２０２４", "4,500字", "江南省", "待定", "1e9", "-3",
                                 "2024年13月1日", "#N/A", "=1+1", "内蒙", "\u3000", "是 "]),
                st.text(max_size=8),
            ))  # fmt: skip
    out = _csv_text(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    raw = out.encode(encoding, errors="replace")
    if draw(st.booleans()):
        raw = raw[: draw(st.integers(0, len(raw)))]
    return raw


def _csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@pytest.mark.slow
@given(data=st.data())
def test_corrupted_exports_never_crash_and_every_row_is_accounted_for(data, tmp_path: Path) -> None:
    source = data.draw(st.sampled_from(_valid_exports()))
    path = tmp_path / "upload.csv"
    path.write_bytes(_corrupt(source, data.draw))
    run = check([path], tmp_path / "none.duckdb", progress=False)
    (result,) = run.files
    if result.status == "rejected":
        assert result.message
        return
    read = set(result.table.frame.get_column("_row"))
    held = set(run.report.blocking().get_column("_row").drop_nulls())
    assert held <= read
    accepted = read - held
    assert len(accepted) + len(held) == result.rows_read == len(read)
    issues = run.report.issues
    assert issues.filter(pl.col("message").str.len_chars() == 0).is_empty()
    assert set(issues.get_column("severity")) <= {"blocking", "warning"}


IDENTITY = ("province", "unit_name", "track", "title")
INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060\u00ad"  # etl/reference/text.py ZERO_WIDTH


@pytest.fixture(scope="module")
def loaded_export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, list[str]]:
    """A warehouse of 40 real-looking submissions (the demo's 2024 export), and their lines."""
    header, *lines = (SAMPLE_DIR / "submissions_2024.csv").read_text("utf-8-sig").splitlines()
    folder = tmp_path_factory.mktemp("export")
    source = folder / "申报表.csv"
    source.write_text("\n".join([header, *lines[:40]]) + "\n", encoding="utf-8-sig")
    load([source], folder / "w.duckdb", progress=False)
    return folder / "w.duckdb", header, lines[:40]


def _rejoined(header: str, lines: list[str], draw) -> tuple[bytes, str | None]:
    """The export cut in two and joined with `cat` (the second part's BOM, and maybe its header,
    mid-file), invisible characters pasted into cells, one title maybe really changed,
    re-encoded, maybe cut short; with the id whose title was changed, if one was."""
    rows = list(csv.reader(lines))
    for _ in range(draw(st.integers(0, 6))):
        i, j = draw(st.integers(0, len(rows) - 1)), draw(st.integers(0, len(rows[0]) - 1))
        at = draw(st.integers(0, len(rows[i][j])))
        rows[i][j] = rows[i][j][:at] + draw(st.sampled_from(INVISIBLE)) + rows[i][j][at:]
    changed = None
    if draw(st.booleans()):
        i = draw(st.integers(0, len(rows) - 1))
        rows[i][8] += "（修订版）"
        changed = rows[i][0].translate({ord(c): None for c in INVISIBLE})
    split = draw(st.integers(1, len(rows) - 1))
    second = _csv_text(rows[split:])
    if draw(st.booleans()):
        second = header + "\n" + second  # cat of two whole exports: the header again
    text = header + "\n" + _csv_text(rows[:split]) + "\ufeff" + second
    raw = text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"])))
    if draw(st.booleans()):
        raw = raw[: draw(st.integers(len(raw) // 2, len(raw)))]
    return raw, changed


@settings(max_examples=30, deadline=None)
@pytest.mark.slow
@given(data=st.data())
def test_joined_and_reencoded_exports_add_no_invisible_id_and_change_no_case_unwarned(
    data, loaded_export, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Issue 10's property: whatever `cat`, an editor or a cut transfer does to an export, no
    id gains an invisible character, and a case already loaded that arrives with another
    province, unit, track or title is warned at its row (and only then)."""
    db, header, lines = loaded_export
    raw, changed = _rejoined(header, lines, data.draw)
    path = tmp_path_factory.mktemp("upload") / "申报表.csv"
    path.write_bytes(raw)
    run = check([path], db, progress=False)
    (result,) = run.files
    if result.status == "rejected":
        assert result.message
        return
    frame = result.table.frame
    ids = frame.get_column("submission_id").drop_nulls()
    assert not ids.str.contains(f"[{INVISIBLE}\u2028\u2029]").any(), ids.to_list()
    with duckdb.connect(str(db), read_only=True) as con:
        known = con.sql(f"select submission_id, {', '.join(IDENTITY)} from core.submissions").pl()
    old = known.rename({f: f"old_{f}" for f in IDENTITY})
    compared = frame.select("_row", "submission_id", *IDENTITY).join(old, on="submission_id")
    differs = pl.any_horizontal(pl.col(f).ne_missing(pl.col(f"old_{f}")) for f in IDENTITY)
    moved = set(compared.filter(differs).get_column("_row"))
    issues = run.report.issues
    warned = set(issues.filter(pl.col("rule_id") == "key.changed").get_column("_row"))
    # A row quarantined for another reason (a cut transfer's last line) never lands, so it
    # moves no case; every row that would land with a changed identity is warned, only those.
    blocked = set(issues.filter(pl.col("severity") == "blocking").get_column("_row"))
    assert moved - blocked <= warned <= moved
    if changed is not None and changed in set(compared.get_column("submission_id")):
        assert compared.filter(pl.col("submission_id") == changed)["_row"].is_in(warned).all()
