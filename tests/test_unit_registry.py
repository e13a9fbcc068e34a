"""The unit registry on the demo, scored against the simulator's planted truth
(data/sample/unit_truth.csv: every name each simulated unit writes, against its number)."""

from __future__ import annotations

import csv
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import duckdb
import pytest

from etl.config import SAMPLE_DIR
from etl.pipeline.load import rebuild_models
from etl.units.link import read_decisions
from etl.units.names import normalise, parts
from tests.cli_runner import run_etl


def _truth() -> dict[tuple[str, str], str]:
    with (SAMPLE_DIR / "unit_truth.csv").open(encoding="utf-8-sig", newline="") as handle:
        return {
            ("".join(r["申报单位"].split()).lower(), r["所属省份"]): r["单位编号"]
            for r in csv.DictReader(handle)
        }


def _pairs(groups: dict[str, set]) -> set[frozenset]:
    return {frozenset(p) for names in groups.values() for p in combinations(sorted(names), 2)}


@pytest.fixture(scope="module")
def scored(demo_db: Path) -> dict[str, object]:
    """The registry's merged pairs and review pairs, beside the planted true pairs."""
    truth = _truth()
    with duckdb.connect(str(demo_db), read_only=True) as con:
        names = con.execute("select distinct unit_key, province, unit_id from core.unit_names")
        rows = names.fetchall()
        review = con.execute("select unit_id_a, unit_id_b from meta.unit_matches").fetchall()
        units = con.execute("select count(*) from core.units").fetchone()[0]
    by_true, by_unit = defaultdict(set), defaultdict(set)
    unit_of = {}
    for key, province, unit_id in rows:
        by_true[truth[(key, province)]].add((key, province))
        by_unit[unit_id].add((key, province))
        unit_of[(key, province)] = unit_id
    suggested = {frozenset(pair) for pair in review}  # a suggestion joins two units
    in_review = {p for p in _pairs(by_true) if frozenset(unit_of[n] for n in p) in suggested}
    return {"true": _pairs(by_true), "merged": _pairs(by_unit), "review": in_review,
            "suggestions": len(review), "units": units}  # fmt: skip


def test_precision_no_two_distinct_units_are_merged(scored) -> None:
    wrong = scored["merged"] - scored["true"]
    assert not wrong  # precision 100%
    assert len(scored["merged"]) >= 30  # the planted renames and variants seen in the demo


def test_recall_every_planted_rename_and_alias_is_merged_or_suggested(scored) -> None:
    found = scored["true"] & (scored["merged"] | scored["review"])
    assert found == scored["true"]  # recall 100%
    assert scored["review"]  # 安吉县融媒体中心 and 安吉新闻集团: a person must say so


def test_review_list_is_under_five_percent_of_units(scored) -> None:
    assert 0 < scored["suggestions"] < 0.05 * scored["units"]


def test_anji_is_one_unit_with_its_2019_typical_case(demo_db: Path) -> None:
    with duckdb.connect(str(demo_db), read_only=True) as con:
        ids = con.execute(
            "select distinct unit_id from core.unit_names "
            "where unit_name in ('浙江安吉新闻集团', '安吉新闻集团')"
        ).fetchall()
        assert len(ids) == 1
        history = con.execute(
            "select year, selected_tracks from mart.unit_history where unit_id = ? order by year",
            [ids[0][0]],
        ).fetchall()
    assert (2019, ["典型案例"]) in history


def test_never_two_provinces_or_two_levels_in_one_unit(demo_db: Path) -> None:
    with duckdb.connect(str(demo_db), read_only=True) as con:
        mixed = con.execute(
            "select count(*) from (select unit_id from core.unit_names group by unit_id "
            "having count(distinct province) > 1 or count(distinct unit_level) > 1)"
        ).fetchone()[0]
    assert mixed == 0


def test_a_rebuild_keeps_every_unit_id(demo_db_copy: Path) -> None:
    query = "select unit_key, province, unit_id from core.unit_names order by all"
    with duckdb.connect(str(demo_db_copy), read_only=True) as con:
        before = con.execute(query).fetchall()
    rebuild_models(demo_db_copy)
    with duckdb.connect(str(demo_db_copy), read_only=True) as con:
        assert con.execute(query).fetchall() == before


def test_confirming_a_suggestion_merges_after_a_rebuild_and_is_kept(
    demo_db_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    aliases = tmp_path / "unit_aliases.csv"
    monkeypatch.setenv("CONVERGENCE_UNIT_ALIASES", str(aliases))  # the rebuilds here read it too
    env = {"CONVERGENCE_UNIT_ALIASES": str(aliases)}
    listed = run_etl("units", "review", "--db", str(demo_db_copy), env=env)
    assert listed.returncode == 0 and "安吉县融媒体中心" in listed.stdout
    done = run_etl("units", "confirm", "1", "--by", "管理员", "--db", str(demo_db_copy), env=env)
    assert done.returncode == 0 and "合并" in done.stdout
    [decision] = read_decisions(aliases)
    assert (decision.alias, decision.canonical, decision.decided_by) == (
        "安吉县融媒体中心", "安吉新闻集团", "管理员",
    )  # fmt: skip
    rebuild_models(demo_db_copy)  # and once more: the decision holds
    with duckdb.connect(str(demo_db_copy), read_only=True) as con:
        units = con.execute(
            "select count(distinct unit_id) from core.unit_names where unit_name like '%安吉%'"
        ).fetchone()[0]
        pending = con.execute("select count(*) from meta.unit_matches").fetchone()[0]
    assert units == 1 and pending == 0


def test_confirming_a_number_not_listed_is_refused(demo_db_copy: Path, tmp_path: Path) -> None:
    env = {"CONVERGENCE_UNIT_ALIASES": str(tmp_path / "unit_aliases.csv")}
    ran = run_etl("units", "confirm", "99", "--db", str(demo_db_copy), env=env)
    assert ran.returncode == 2 and "没有编号 99" in ran.stderr


@pytest.mark.parametrize(
    ("a", "b", "province"),
    [
        ("浙江安吉新闻集团", "安吉新闻集团", "浙江"),
        ("浙江广电集团", "浙江广播电视集团", "浙江"),
        ("温岭市融媒中心", "温岭市融媒体中心", "浙江"),
        ("福建尤溪县融媒体中心", "尤溪县融媒体中心", "福建"),
    ],
)
def test_names_that_normalise_alike(a: str, b: str, province: str) -> None:
    assert normalise(a, province) == normalise(b, province)


@pytest.mark.parametrize(
    ("a", "b", "province"),
    [
        ("浙江广播电视集团", "广播电视集团", "浙江"),  # without 浙江 no place is left: kept
        ("陕西广电网络", "陕西广播电视台", "陕西"),  # a network is not the station
        ("北京广播电视台融媒体中心", "北京广播电视台", "北京"),  # a part is not the whole
    ],
)
def test_names_kept_apart(a: str, b: str, province: str) -> None:
    pa, pb = parts(a, province), parts(b, province)
    assert (pa.norm, pa.family, pa.stem) != (pb.norm, pb.family, pb.stem)
