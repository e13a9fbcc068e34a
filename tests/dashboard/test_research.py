"""研究资料: the whole dataset per role, its data dictionary, the methodology, the citation.

The bundle must hold what the role's pages show and nothing more: a bureau's submissions are
its own province's, all of them; a researcher's unpublished year carries no result. The
dictionary documents every column the bundle holds (generated from docs/warehouse.md, so a new
column without a meaning fails here)."""

from __future__ import annotations

import io
import zipfile

import polars as pl
import pytest
from page_reading import texts

from dashboard.components import EXPORTS
from etl.access import audit

BUREAU = {"role": "bureau", "as": "浙江"}


def _bundle(at, kind: str = "csv") -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(at.session_state[EXPORTS][f"dataset_{kind}"]()))


def _csv(archive: zipfile.ZipFile, name: str) -> pl.DataFrame:
    return pl.read_csv(io.BytesIO(archive.read(name)), infer_schema_length=None)


def test_a_bureau_downloads_all_its_own_rows_and_no_other_province(open_page, sql) -> None:
    at = open_page("研究资料", **BUREAU)
    assert not at.exception
    submissions = _csv(_bundle(at), "core.submissions.csv")
    assert set(submissions["province"].to_list()) == {"浙江"}
    assert submissions.height == sql(
        "select count(*) from core.submissions where province = '浙江'"
    )


def test_a_researcher_gets_no_unpublished_result(open_page, sql) -> None:
    at = open_page("研究资料", role="researcher")
    archive = _bundle(at, "parquet")
    submissions = pl.read_parquet(io.BytesIO(archive.read("core.submissions.parquet")))
    unpublished = sql("select min(year) from ref.programme_years where not results_published")
    hidden = submissions.filter(pl.col("year") == unpublished)
    assert hidden.height == sql(
        "select count(*) from core.submissions where year = ?", [unpublished]
    )
    assert hidden["is_selected"].null_count() == hidden.height  # withheld, not False
    assert set(hidden["result_status"].to_list()) == {"withheld"}
    assert "core.scores.parquet" in archive.namelist()
    scores = pl.read_parquet(io.BytesIO(archive.read("core.scores.parquet")))
    assert "expert_id" not in scores.columns  # experts stay anonymous for researchers
    assert unpublished not in scores["year"].to_list()


@pytest.mark.parametrize("params", [{"role": "leader"}, {"role": "researcher"}, BUREAU])
def test_the_dictionary_gives_every_column_a_meaning(open_page, params) -> None:
    at = open_page("研究资料", **params)
    archive = _bundle(at)
    dictionary = _csv(archive, "数据字典.csv")
    assert dictionary.filter(pl.col("含义").is_null()).select("表", "列").to_dicts() == []
    for name in ("core.submissions", "mart.cases", "ref.programme_years"):
        documented = dictionary.filter(pl.col("表") == name)["列"].to_list()
        assert documented == _csv(archive, f"{name}.csv").columns


def test_the_bundle_says_its_version_and_is_audited(open_page, sql) -> None:
    at = open_page("研究资料", role="researcher")
    readme = _bundle(at).read("说明.txt").decode("utf-8")
    version = sql("select version from meta.warehouse")
    assert f"数据集版本：{version}" in readme and "模拟数据" in readme
    assert "数据范围：研究人员可见的数据" in readme
    exported = audit.events().filter(pl.col("action") == "export")["detail"].to_list()
    assert exported == ["融合看板数据集_研究人员_csv.zip"]


def test_methodology_and_citation_are_on_the_page(open_page, sql) -> None:
    at = open_page("研究资料", role="researcher")
    words = texts(at)
    assert "入选线" in words and "评分规则（假设）" in words  # the methodology tab
    version = sql("select version from meta.warehouse")
    assert any(version in c.value for c in at.code)  # the citation to copy
