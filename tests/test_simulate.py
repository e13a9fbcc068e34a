"""The simulated exports: calibrated to the published facts, valid except where planted.

The files are read back here with the standard library and openpyxl, as a person would
open them, so these tests do not depend on the ETL's own reader.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from etl.reference.contract import SPEC_BY_KIND
from etl.reference.geography import provinces, resolve_province
from etl.reference.places import infer_province
from etl.reference.programme import programme
from etl.simulate import simulate
from etl.simulate.facts import published_items

YEARS = tuple(range(2019, 2026))
PLACELESS = "unknown"  # infer_province's status for a company with no place in its name


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    simulate(out)
    return out


@pytest.fixture(scope="module")
def defects(sample: Path) -> list[dict[str, str]]:
    with (sample / "defects.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def planted(defects: list[dict[str, str]]) -> set[tuple[str, int]]:
    """(file, row) of every planted blocking or warning cell."""
    return {(d["file"], int(d["row"])) for d in defects if d["row"] and d["severity"] != "fix"}


def _path(folder: Path, kind: str, year: int) -> Path:
    return next(
        p for p in (folder / f"{kind}_{year}.csv", folder / f"{kind}_{year}.xlsx") if p.exists()
    )


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M:%S}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _rows(path: Path) -> list[dict[str, str]]:
    """Every data row as header -> text, with "_row" the row number as Excel shows it."""
    if path.suffix == ".xlsx":
        sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
        grid = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    else:
        data = path.read_bytes()
        text = data[3:].decode("utf-8") if data[:3] == b"\xef\xbb\xbf" else data.decode("gbk")
        grid = list(csv.reader(io.StringIO(text)))
    header = grid[0]
    return [
        {"_row": str(n), **dict(zip(header, row, strict=True))} for n, row in enumerate(grid[1:], 2)
    ]


def _when(text: str) -> datetime:
    for style in ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y年%m月%d日"):
        try:
            return datetime.strptime(text, style)
        except ValueError:
            continue
    raise ValueError(text)


def _clean(rows: list[dict[str, str]], file: str, planted: set[tuple[str, int]]) -> list[dict]:
    return [r for r in rows if (file, int(r["_row"])) not in planted]


def _group(year: int) -> str:
    return "申报类别" if programme()[year].selected_by == "category" else "申报类型"


# --- files and formats ------------------------------------------------------------------------


def test_same_seed_gives_identical_bytes(sample: Path, tmp_path: Path) -> None:
    again = simulate(tmp_path)
    assert sorted(p.name for p in again) == sorted(p.name for p in sample.iterdir())
    for path in again:
        assert path.read_bytes() == (sample / path.name).read_bytes(), path.name


def test_one_file_per_kind_and_year_in_the_bureaus_formats(sample: Path) -> None:
    names = {p.name for p in sample.iterdir()}
    xlsx = {"submissions_2023.xlsx", "scores_2023.xlsx", "outcomes_2024.xlsx"}
    csvs = {f"{k}_{y}.csv" for k in SPEC_BY_KIND for y in YEARS} - {
        n.replace(".xlsx", ".csv") for n in xlsx
    }
    assert names == xlsx | csvs | {"defects.csv", "unit_truth.csv"}


@pytest.mark.parametrize("name", ["submissions_2021.csv", "scores_2021.csv"])
def test_gbk_file_is_gbk_and_not_utf8(sample: Path, name: str) -> None:
    data = (sample / name).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert data.decode("gbk").startswith("申报编号,")


def test_other_csvs_are_utf8_with_bom(sample: Path) -> None:
    for path in sample.glob("*_20*.csv"):
        if path.name not in ("submissions_2021.csv", "scores_2021.csv"):
            assert path.read_bytes()[:3] == b"\xef\xbb\xbf", path.name


@pytest.mark.parametrize(
    ("name", "sheet", "rows"),
    [("submissions_2023.xlsx", "申报表", 450), ("outcomes_2024.xlsx", "结果表", 40)],
)
def test_xlsx_opens_with_polars(sample: Path, name: str, sheet: str, rows: int) -> None:
    frame = pl.read_excel(sample / name, sheet_name=sheet)
    assert frame.height == rows
    assert frame.columns == [c.header for c in SPEC_BY_KIND[name.split("_")[0]].columns]


def test_xlsx_dates_are_real_excel_dates(sample: Path) -> None:
    sheet = openpyxl.load_workbook(sample / "scores_2023.xlsx", read_only=True).worksheets[0]
    first = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
    assert isinstance(first[-1], datetime)


@pytest.mark.parametrize("kind", sorted(SPEC_BY_KIND))
@pytest.mark.parametrize("year", YEARS)
def test_headers_are_the_canonical_ones_in_order(sample: Path, kind: str, year: int) -> None:
    rows = _rows(_path(sample, kind, year))
    assert list(rows[0])[1:] == [c.header for c in SPEC_BY_KIND[kind].columns]


@pytest.mark.parametrize(("year", "example"), [(2021, "年"), (2022, "/"), (2024, "-")])
def test_each_file_keeps_its_own_date_style(sample: Path, year: int, example: str) -> None:
    rows = _rows(_path(sample, "submissions", year))
    assert all(example in r["提交时间"] for r in rows)


# --- calibration --------------------------------------------------------------------------------


@pytest.mark.parametrize("year", YEARS)
def test_selected_counts_are_the_published_ones(sample: Path, year: int) -> None:
    outcomes = _rows(_path(sample, "outcomes", year))
    assert Counter(r[_group(year)] for r in outcomes) == programme()[year].selected
    assert {r["结果"] for r in outcomes} == {"入选"}


def test_2024_has_about_230_applying_units_and_2025_about_240(sample: Path) -> None:
    rows = _rows(_path(sample, "submissions", 2024))
    assert 225 <= len({r["申报单位"].strip() for r in rows}) <= 235
    assert 270 <= len(rows) <= 290
    assert (
        235
        <= len({r["申报单位"].strip() for r in _rows(_path(sample, "submissions", 2025))})
        <= 245
    )


def test_2024_has_80_finalists_20_per_category(sample: Path) -> None:
    scores = _rows(_path(sample, "scores", 2024))
    finalists = {r["申报编号"] for r in scores if r["评审阶段"] == "终评"}
    categories = {r["申报编号"]: r["申报类别"] for r in _rows(_path(sample, "submissions", 2024))}
    assert Counter(categories[s] for s in finalists) == dict.fromkeys(
        programme()[2024].categories, 20
    )


@pytest.mark.parametrize("year", range(2019, 2024))
def test_three_track_years_send_twice_the_selected_to_the_final(sample: Path, year: int) -> None:
    scores = _rows(_path(sample, "scores", year))
    tracks = {r["申报编号"]: r["申报类型"] for r in _rows(_path(sample, "submissions", year))}
    finalists = Counter(
        tracks[s] for s in {r["申报编号"] for r in scores if r["评审阶段"] == "终评"}
    )
    assert finalists == {t: 2 * n for t, n in programme()[year].selected.items()}


def test_2023_pilot_units_follow_the_published_mix(sample: Path) -> None:
    region = {p["province"]: p["region"] for p in provinces()}
    ids = {
        r["申报编号"] for r in _rows(_path(sample, "outcomes", 2023)) if r["申报类型"] == "先导单位"
    }
    pilots = [r for r in _rows(_path(sample, "submissions", 2023)) if r["申报编号"] in ids]
    assert Counter(r["单位层级"] for r in pilots) == {"中央": 1, "省级": 4, "地市级": 2, "县级": 3}
    regions = Counter(region[r["所属省份"]] for r in pilots)
    assert regions["东部"] == 5 and regions["西部"] == 3


def test_2024_recommendations_respect_the_quota_except_the_planted_row(
    sample: Path, defects: list[dict[str, str]]
) -> None:
    quota = programme()[2024].quota
    rows = [r for r in _rows(_path(sample, "submissions", 2024)) if r["省级推荐"].strip() == "是"]
    per_category = Counter(
        (r["申报单位"] if r["所属省份"] == "中央单位" else r["所属省份"], r["申报类别"])
        for r in rows
    )
    flagged = next(d for d in defects if d["rule_id"] == "rule.quota_province")
    flagged_row = next(r for r in rows if r["_row"] == flagged["row"])
    over = {k: n for k, n in per_category.items() if n > quota.province_per_category}
    assert over == {(flagged["value"], flagged_row["申报类别"]): 5}
    central = Counter(r["申报单位"] for r in rows if r["所属省份"] == "中央单位")
    assert max(central.values()) <= quota.central_total
    assert all(
        n <= quota.central_per_category for (u, _), n in per_category.items() if u in central
    )
    provinces_total = Counter(r["所属省份"] for r in rows if r["所属省份"] != "中央单位")
    assert max(provinces_total.values()) <= quota.province_total


def test_participation_is_east_heavy_and_every_province_takes_part(sample: Path) -> None:
    seen: Counter[str] = Counter()
    for year in YEARS:
        seen.update(r["所属省份"] for r in _rows(_path(sample, "submissions", year)))
    taking_part = {p["province"] for p in provinces() if p["takes_part"] == "true"}
    assert taking_part <= set(seen)
    high = ("浙江", "江苏", "广东", "山东", "北京", "上海", "湖南", "四川")
    low = ("西藏", "青海", "宁夏", "新疆生产建设兵团")
    assert min(seen[p] for p in high) > 2 * max(seen[p] for p in low)


def test_units_submit_in_several_years(sample: Path) -> None:
    years_of: defaultdict[str, set[int]] = defaultdict(set)
    for year in YEARS:
        for r in _rows(_path(sample, "submissions", year)):
            years_of[r["申报单位"].strip()].add(year)
    assert sum(len(y) >= 3 for y in years_of.values()) >= 150


# --- validity of what is not planted --------------------------------------------------------------


@pytest.mark.parametrize("year", YEARS)
def test_unit_names_point_to_their_province(
    sample: Path, year: int, planted: set[tuple[str, int]]
) -> None:
    path = _path(sample, "submissions", year)
    for r in _clean(_rows(path), path.name, planted):
        guess = infer_province(r["申报单位"])
        if guess.status == PLACELESS:
            assert r["单位类型"] == "企业", r["申报单位"]
        else:
            assert guess.province == resolve_province(r["所属省份"])[0], r["申报单位"]


TYPE_BY_ENDING = (
    ("广电网络股份有限公司", "广电网络公司"),
    ("有限公司", "企业"),
    ("融媒体中心", "融媒体中心"),
    ("新闻传媒中心", "融媒体中心"),
    ("广播电视台", "广播电视台"),
    ("广播电视总台", "广播电视台"),
    ("广播电视集团", "广播电视台"),
    ("融媒中心", "融媒体中心"),  # 融媒体中心 for short, as some write it
    ("广电台", "广播电视台"),
    ("广电总台", "广播电视台"),
    ("广电集团", "广播电视台"),
)
# Real units keep their real names, which need not follow the simulator's patterns.
REAL_NAMES = {r["申报单位"] for r in published_items()}


@pytest.mark.parametrize("year", YEARS)
def test_unit_type_fits_the_name(sample: Path, year: int) -> None:
    for r in _rows(_path(sample, "submissions", year)):
        name = r["申报单位"].strip()
        expected = next((t for end, t in TYPE_BY_ENDING if name.endswith(end)), None)
        if name in REAL_NAMES or name == "安吉新闻集团":
            continue
        if expected is None:  # central units: 电影频道节目中心, 规划院, 总台's own brands
            assert r["单位层级"] == "中央" and r["单位类型"] in ("广播电视台", "其他"), name
        else:
            assert r["单位类型"] == expected, name


@pytest.mark.parametrize("year", YEARS)
def test_submissions_are_valid_except_where_planted(
    sample: Path, year: int, planted: set[tuple[str, int]]
) -> None:
    rules = programme()[year]
    path = _path(sample, "submissions", year)
    rows = _clean(_rows(path), path.name, planted)
    assert len({r["申报编号"] for r in rows}) == len(rows)
    assert len({r["案例名称"] for r in rows}) == len(rows)
    for r in rows:
        assert _when(r["提交时间"]).date() <= rules.deadline
        assert (
            int(r["材料字数"].translate(str.maketrans("０１２３４５６７８９", "0123456789")))
            <= 4990
        )
        assert r["申报类型"] in rules.tracks
        assert (r["申报类别"] in rules.categories) if rules.categories else r["申报类别"] == ""


@pytest.mark.parametrize("year", YEARS)
def test_scores_are_within_the_rubric_except_where_planted(
    sample: Path, year: int, planted: set[tuple[str, int]]
) -> None:
    criteria = programme()[year].criteria
    path = _path(sample, "scores", year)
    for r in _clean(_rows(path), path.name, planted):
        points = [float(r[c.label]) for c in criteria]
        assert all(
            0 <= p <= c.max and p * 2 == int(p * 2) for p, c in zip(points, criteria, strict=True)
        )
        assert float(r["总分"]) == pytest.approx(
            sum(p * c.weight for p, c in zip(points, criteria, strict=True))
        )


@pytest.mark.parametrize("year", YEARS)
def test_each_case_has_exactly_its_experts_none_from_its_province(
    sample: Path, year: int, planted: set[tuple[str, int]]
) -> None:
    rules = programme()[year]
    path = _path(sample, "scores", year)
    subs = {r["申报编号"]: r for r in _rows(_path(sample, "submissions", year))}
    experts: defaultdict[tuple[str, str], list[str]] = defaultdict(list)
    for r in _clean(_rows(path), path.name, planted):
        experts[(r["申报编号"], r["评审阶段"])].append(r["专家编号"])
        assert r["专家所在省份"] != subs[r["申报编号"]]["所属省份"]
    for (_, stage), ids in experts.items():
        assert len(set(ids)) == len(ids) == rules.experts_per_stage[stage]


@pytest.mark.parametrize("year", YEARS)
def test_recommended_cases_are_scored_and_the_others_are_not(sample: Path, year: int) -> None:
    scored = {r["申报编号"] for r in _rows(_path(sample, "scores", year))}
    subs = _rows(_path(sample, "submissions", year))
    recommended = {r["申报编号"] for r in subs if r["省级推荐"].strip() in ("是", "Y", "√")}
    known = {r["申报编号"] for r in subs}
    assert scored & known == recommended


@pytest.mark.parametrize("year", YEARS)
def test_scoring_follows_the_deadline_stage_by_stage(sample: Path, year: int) -> None:
    rules = programme()[year]
    when: defaultdict[str, list[datetime]] = defaultdict(list)
    for r in _rows(_path(sample, "scores", year)):
        when[r["评审阶段"]].append(_when(r["评分时间"]))
    assert min(when[rules.stages[0]]).date() > rules.deadline
    for before, after in zip(rules.stages, rules.stages[1:], strict=False):
        assert max(when[before]) < min(when[after])


# --- the planted defects ----------------------------------------------------------------------------

EXPECTED = Counter(
    {
        "key.unique": 1, "rule.deadline": 1, "rule.max_chars": 1, "domain.province": 1,
        "rule.category_required": 1, "score.max": 1, "score.total": 1, "score.conflict": 1,
        "ref.submission": 1, "rule.quota_province": 1, "score.outlier": 1,
        "fix.province_alias": 4, "fix.fullwidth": 2, "fix.bool_text": 2, "fix.whitespace": 1,
    }
)  # fmt: skip


def test_defects_csv_lists_exactly_the_planted_defects(defects: list[dict[str, str]]) -> None:
    assert list(defects[0]) == ["file", "row", "column", "value", "defect", "rule_id", "severity"]
    assert Counter(d["rule_id"] for d in defects) == EXPECTED
    severity = {d["rule_id"]: d["severity"] for d in defects}
    assert {r for r, s in severity.items() if s == "warning"} == {
        "rule.quota_province",
        "score.outlier",
    }
    assert all(s == "fix" for r, s in severity.items() if r.startswith("fix."))


def test_each_defect_points_to_a_real_cell_with_its_value(
    sample: Path, defects: list[dict[str, str]]
) -> None:
    for d in defects:
        if not d["row"]:
            continue
        rows = {r["_row"]: r for r in _rows(sample / d["file"])}
        assert rows[d["row"]][d["column"]] == d["value"], d


def test_planted_submission_defects_are_on_unrecommended_unselected_rows(
    sample: Path, defects: list[dict[str, str]]
) -> None:
    for d in defects:
        if d["file"].startswith("submissions") and d["severity"] == "blocking":
            year = int(d["file"][12:16])
            row = next(r for r in _rows(sample / d["file"]) if r["_row"] == d["row"])
            selected = {r["申报编号"] for r in _rows(_path(sample, "outcomes", year))}
            assert row["省级推荐"] == "否" and row["申报编号"] not in selected, d


def test_none_of_the_five_over_quota_cases_is_selected(
    sample: Path, defects: list[dict[str, str]]
) -> None:
    flagged = next(d for d in defects if d["rule_id"] == "rule.quota_province")
    rows = _rows(sample / flagged["file"])
    category = next(r["申报类别"] for r in rows if r["_row"] == flagged["row"])
    five = {r["申报编号"] for r in rows if r["所属省份"] == flagged["value"]
            and r["申报类别"] == category and r["省级推荐"].strip() == "是"}  # fmt: skip
    assert len(five) == 5
    assert not five & {r["申报编号"] for r in _rows(_path(sample, "outcomes", 2024))}


def test_the_severe_expert_scores_far_below_the_others(
    sample: Path, defects: list[dict[str, str]]
) -> None:
    flagged = next(d for d in defects if d["rule_id"] == "score.outlier")
    rows = _rows(sample / flagged["file"])
    totals: defaultdict[tuple[str, str], list[float]] = defaultdict(list)
    for r in rows:
        totals[(r["申报编号"], r["评审阶段"])].append(float(r["总分"]))
    gaps = [
        float(r["总分"]) - (sum(totals[k]) - float(r["总分"])) / (len(totals[k]) - 1)
        for r in rows
        if r["专家编号"] == flagged["value"]
        and len(totals[k := (r["申报编号"], r["评审阶段"])]) > 1
    ]
    assert len(gaps) >= 10 and sum(gaps) / len(gaps) < -15


# --- scale ------------------------------------------------------------------------------------------


def test_scale_two_doubles_everything_as_csv_without_defects(tmp_path: Path) -> None:
    files = simulate(tmp_path, scale=2)
    assert all(p.suffix == ".csv" for p in files) and not (tmp_path / "defects.csv").exists()
    subs = _rows(tmp_path / "submissions_2024.csv")
    assert len(subs) == 560 and len({r["申报编号"] for r in subs}) == 560
    outcomes = _rows(tmp_path / "outcomes_2019.csv")
    assert Counter(r["申报类型"] for r in outcomes) == {
        "先导单位": 20,
        "典型案例": 30,
        "成长项目": 28,
    }
    assert (tmp_path / "scores_2021.csv").read_bytes().decode("gbk")
