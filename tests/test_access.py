"""Role scopes on the real demo warehouse: what each role's database holds, and what it lacks."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from etl.access import audit
from etl.access import scopes as access
from etl.access.scopes import AccessError, PolicyError, Scope, policy, scoped_connection
from etl.config import env_var
from etl.pipeline.load import load
from etl.reference.programme import programme

FIXTURES = Path(__file__).parent / "fixtures" / "load"
PROVINCE = "浙江"
UNPUBLISHED = 2025  # programme.toml: results_published = false
ROW_TABLES_FOR_BUREAU = [
    t.name for t in policy().visible("bureau") if t.grain == "row" and t.source == "warehouse"
]
RESTRICTED = [("researcher", None), ("bureau", PROVINCE), ("admin", None)]


@pytest.fixture(autouse=True)
def _audit_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(env_var("audit"), str(tmp_path / "audit.duckdb"))


def tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "select schema_name || '.' || table_name from duckdb_tables() where not internal"
    ).fetchall()
    return {r[0] for r in rows}


def columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [r[0] for r in con.execute(f"describe {table}").fetchall()]


def test_every_warehouse_table_has_a_policy(demo_db: Path) -> None:
    with duckdb.connect(str(demo_db), read_only=True) as con:
        found = tables(con)
    public = {t for t in found if t.split(".")[0] in access.SCHEMAS}
    assert public - policy().tables.keys() == set(), "add these tables to access.toml"
    assert {"core.submissions", "mart.cases", "meta.quarantine", "ref.provinces"} <= public


@pytest.mark.parametrize("role", ["leader", "researcher", "admin"])
def test_a_role_gets_exactly_its_tables(demo_db: Path, role: str) -> None:
    con = scoped_connection(demo_db, role)
    assert tables(con) == {t.name for t in policy().visible(role)}


def test_raw_and_staging_are_in_no_scope(demo_db: Path) -> None:
    for role, province in [("leader", None), *RESTRICTED]:
        con = scoped_connection(demo_db, role, province)
        assert not {t for t in tables(con) if t.split(".")[0] in ("raw", "staging")}


@pytest.mark.parametrize("table", ROW_TABLES_FOR_BUREAU)
def test_a_bureau_gets_no_row_of_another_province(demo_db: Path, table: str) -> None:
    column = policy().tables[table].province_column
    con = scoped_connection(demo_db, "bureau", PROVINCE)
    others = con.execute(
        f"select count(*) from {table} where {column} is distinct from ?", [PROVINCE]
    ).fetchone()[0]
    assert others == 0


def test_a_bureau_gets_its_own_cases_and_scores_in_full(demo_db: Path) -> None:
    bureau = scoped_connection(demo_db, "bureau", PROVINCE)
    leader = scoped_connection(demo_db, "leader")
    sql = "select count(*) from {} where province = '浙江' and year < 2025"
    for table in ("core.submissions", "core.scores", "mart.cases"):
        own = bureau.execute(sql.format(table)).fetchone()[0]
        assert own == leader.execute(sql.format(table)).fetchone()[0] > 0


def test_a_bureau_sees_other_provinces_only_as_aggregates(demo_db: Path) -> None:
    con = scoped_connection(demo_db, "bureau", PROVINCE)
    provinces = con.execute("select count(distinct province) from mart.submission_facts")
    assert provinces.fetchone()[0] > 30
    assert "submission_id" not in columns(con, "mart.submission_facts")


def test_a_bureau_sees_only_quarantined_rows_of_its_own_submission_files(demo_db: Path) -> None:
    leader = scoped_connection(demo_db, "leader")
    province = leader.execute(
        "select province from meta.quarantine where kind = 'submissions' "
        "and province is not null limit 1"
    ).fetchone()[0]
    bureau = scoped_connection(demo_db, "bureau", province)
    kinds = bureau.execute("select distinct kind, province from meta.quarantine").fetchall()
    assert kinds == [("submissions", province)]


@pytest.mark.parametrize("role, province", RESTRICTED)
def test_no_expert_identity_outside_leadership(demo_db: Path, role: str, province) -> None:
    """By name and by content: no column holds an expert's id, whatever it is called. The one
    exception is the admin's view of the loader's own records: the raw cells and messages of
    quarantined and flagged score rows, which come from the files the admin loads."""
    expert_ids = [
        r[0]
        for r in scoped_connection(demo_db, "leader")
        .execute("select distinct expert_id from core.scores")
        .fetchall()
    ]
    con = scoped_connection(demo_db, role, province)
    text_columns = con.execute(
        "select schema_name || '.' || table_name, column_name, column_name in "
        "('expert_id', 'expert_province') from duckdb_columns() "
        "where data_type in ('VARCHAR', 'JSON')"
    ).fetchall()
    assert len(text_columns) > 20
    found = set()
    for table, column, is_identity in text_columns:
        assert not is_identity, f"{table}.{column}"
        hits = con.execute(
            f'select count(*) from {table} where list_contains(?, "{column}"::varchar) '
            f"""or regexp_matches("{column}"::varchar, 'E\\d{{3}}')""",  # ids in text
            [expert_ids],
        ).fetchone()[0]
        if hits:
            found.add(table)
    assert found == ({"meta.quarantine", "meta.row_flags"} if role == "admin" else set())


def test_leadership_sees_expert_ids(demo_db: Path) -> None:
    con = scoped_connection(demo_db, "leader")
    assert con.execute("select count(distinct expert_id) from core.scores").fetchone()[0] > 50


@pytest.mark.parametrize("role, province", RESTRICTED)
def test_no_result_of_an_unpublished_year(demo_db: Path, role: str, province) -> None:
    con = scoped_connection(demo_db, role, province)
    for table in policy().visible(role):
        if table.name not in tables(con) or not table.withholds:
            continue
        year = table.year_column
        if table.outcome_rows:
            rows = f"select count(*) from {table.name} where {year} = {UNPUBLISHED}"
            assert con.execute(rows).fetchone()[0] == 0, table.name
        for column in table.outcome_columns:
            known = f"select count({column}) from {table.name} where {year} = {UNPUBLISHED}"
            assert con.execute(known).fetchone()[0] == 0, f"{table.name}.{column}"


def test_no_selected_count_for_an_unpublished_year_in_any_table(demo_db: Path) -> None:
    """A scan by column name, so a new mart that forgot its outcome_columns fails here.
    (ref is committed configuration: its planned counts for a year are public.)"""
    con = scoped_connection(demo_db, "researcher")
    suspects = con.execute(
        "select t.schema_name || '.' || t.table_name, c.column_name from duckdb_columns() c "
        "join duckdb_columns() t using (table_oid) "
        "where t.column_name = 'year' and regexp_matches(c.column_name, 'selected|final|score')"
        " and c.column_name <> 'published_selected' and t.schema_name in ('core', 'mart')"
    ).fetchall()
    assert len(suspects) > 5
    for table, column in suspects:
        known = con.execute(
            f'select count("{column}") from {table} where year = {UNPUBLISHED}'
        ).fetchone()[0]
        assert known == 0, f"{table}.{column}"


def test_leadership_sees_unpublished_results(demo_db: Path) -> None:
    con = scoped_connection(demo_db, "leader")
    selected = con.execute(
        f"select count(*) from core.submissions where year = {UNPUBLISHED} and is_selected"
    )
    assert selected.fetchone()[0] == 40


def test_totals_add_up_across_tables_for_a_restricted_role(demo_db: Path) -> None:
    con = scoped_connection(demo_db, "researcher")
    by_table = con.execute(
        """
        with core as (
            select year, count(*) as submissions, count(*) filter (where is_selected) as selected
            from core.submissions group by year
        ),
        facts as (
            select year, sum(submissions) as submissions, sum(selected) as selected
            from mart.submission_facts group by year
        ),
        summary as (select year, submissions, selected from mart.year_summary)
        select core.year, core.submissions, facts.submissions, summary.submissions,
               core.selected, facts.selected, summary.selected
        from core join facts using (year) join summary using (year) order by year
        """
    ).fetchall()
    for year, n_core, n_facts, n_summary, s_core, s_facts, s_summary in by_table:
        assert n_core == n_facts == n_summary
        if year == UNPUBLISHED:
            assert (s_core, s_facts, s_summary) == (0, None, None)
        else:
            assert s_core == s_facts == s_summary > 0
    units = con.execute("select sum(selected) from core.units").fetchone()[0]
    assert (
        units
        == con.execute("select count(*) from core.submissions where is_selected").fetchone()[0]
    )


def test_published_years_are_the_same_for_every_role(demo_db: Path) -> None:
    """The marts a restricted role gets are rebuilt; for published years they are the same."""
    sql = "select * from mart.submission_facts where year < 2025 order by all"
    leader = scoped_connection(demo_db, "leader").execute(sql).fetchall()
    researcher = scoped_connection(demo_db, "researcher").execute(sql).fetchall()
    assert leader == researcher and len(leader) > 1000


def test_a_scoped_database_cannot_be_changed_or_escaped(demo_db: Path) -> None:
    """Below the console's own checks: the engine itself refuses."""
    con = scoped_connection(demo_db, "researcher")
    attempts = [
        "insert into core.units select * from core.units",
        "create table core.x as select 1",
        "set enable_external_access = true",
        "attach '/tmp/x.duckdb' as x",
        "select * from read_text('/etc/passwd')",
        "copy core.submissions to '/tmp/leak.csv'",
        "load httpfs",
    ]
    for sql in attempts:
        with pytest.raises(duckdb.Error):
            con.execute(sql)
    assert not Path("/tmp/leak.csv").exists()


def test_admin_sees_loads_and_the_audit_log_but_no_case(demo_db: Path) -> None:
    audit.record("某管理员", "export", "地区分布_2024.xlsx", 33, role="admin")
    con = scoped_connection(demo_db, "admin")
    assert {"meta.audit", "meta.quarantine", "mart.submission_facts"} <= tables(con)
    assert not tables(con) & {"core.submissions", "core.scores", "mart.cases"}
    assert con.execute("select who, rows from meta.audit").fetchall() == [("某管理员", 33)]
    audit.record("某管理员", "upload", "submissions_2026.xlsx", 100, role="admin")
    fresh = scoped_connection(demo_db, "admin")
    assert fresh.execute("select count(*) from meta.audit").fetchone()[0] == 2


def test_nobody_but_admin_reads_the_audit_log(demo_db: Path) -> None:
    for role, province in [("leader", None), ("researcher", None), ("bureau", PROVINCE)]:
        assert "meta.audit" not in tables(scoped_connection(demo_db, role, province))


def test_a_new_warehouse_gets_new_scopes(demo_db_copy: Path) -> None:
    first = scoped_connection(demo_db_copy, "researcher")
    again = scoped_connection(demo_db_copy, "researcher")
    path = "select path from duckdb_databases() where not internal"
    assert first.execute(path).fetchone() == again.execute(path).fetchone()
    os.utime(demo_db_copy, ns=(1, 1))  # as a load's swap would change it
    fresh = scoped_connection(demo_db_copy, "researcher")
    assert fresh.execute(path).fetchone() != first.execute(path).fetchone()
    assert first.execute("select count(*) from core.submissions").fetchone()[0] > 0


@pytest.mark.parametrize(
    "role, province, message",
    [
        ("guest", None, "没有角色“guest”"),
        ("bureau", None, "省局用户必须指定省份"),
        ("bureau", "台湾", "不是可设省局的省份"),
        ("bureau", "中央单位", "不是可设省局的省份"),
        ("researcher", "浙江", "不需要指定省份"),
    ],
)
def test_a_scope_that_cannot_be_served(role: str, province, message: str) -> None:
    with pytest.raises(AccessError, match=message):
        Scope.of(role, province)


def test_a_province_may_be_written_as_people_write_it() -> None:
    assert Scope.of("bureau", "浙江省") == Scope("bureau", "浙江")


@pytest.mark.parametrize(
    "table, problem",
    [
        ('roles = ["bureau"]\ngrain = "row"', "needs province_column"),
        ('roles = ["leader"]\ngrain = "row"\noutcome_rows = true', "need year_column"),
        ('roles = ["guest"]\ngrain = "aggregate"', "unknown roles"),
        ('roles = ["leader"]\ngrain = "row"\nexpert_colums = ["x"]', "unknown keys"),
    ],
)
def test_a_policy_that_could_leak_is_refused(
    table: str, problem: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = access.POLICY_FILE.read_text(encoding="utf-8")
    head = text[: text.index("[tables.")]
    target = tmp_path / "access.toml"
    target.write_text(f'{head}[tables."core.scores"]\n{table}\n', encoding="utf-8")
    monkeypatch.setattr(access, "POLICY_FILE", target)
    policy.cache_clear()
    try:
        with pytest.raises(PolicyError, match=problem):
            policy()
    finally:
        policy.cache_clear()


@pytest.fixture
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five 2024 submissions, their scores and results, and a 2019 published list only."""
    target = tmp_path_factory.mktemp("small") / "warehouse.duckdb"
    load(sorted(FIXTURES.glob("*.csv")), target, progress=False)
    return target


def test_a_year_becomes_unpublished_by_configuration(small_db: Path, monkeypatch) -> None:
    """Un-publish 2019 and 2024 in programme.toml: their results leave every restricted scope,
    including the items known only from the 2019 published list."""
    years = {y: replace(r, results_published=y < 2019) for y, r in programme().items()}
    monkeypatch.setattr(access, "programme", lambda: years)
    access.clear_cache()
    try:
        con = scoped_connection(small_db, "researcher")
        leader = scoped_connection(small_db, "leader")
        listed = "select count(*) from core.submissions where is_from_published_list"
        assert leader.execute(listed).fetchone()[0] > 0
        assert con.execute(listed).fetchone()[0] == 0
        assert con.execute("select count(is_selected) from core.submissions").fetchone()[0] == 0
        assert con.execute("select count(*) from core.scores").fetchone()[0] == 0
        assert con.execute("select sum(selected) from core.units").fetchone()[0] == 0
    finally:
        access.clear_cache()


def test_a_bureau_holds_no_other_province_score_sum(demo_db: Path) -> None:
    """Issue 10's leak: a fine cell of mart.submission_facts often rests on one scored case, so
    its score sum was that case's 初评 mean. A bureau's copy holds no other province's sums."""
    leader = scoped_connection(demo_db, "leader")
    singles = leader.execute(
        "select count(*) from mart.submission_facts where first_score_n = 1 and province <> ?",
        [PROVINCE],
    ).fetchone()[0]
    assert singles > 100  # the demo does have such cells: the test can fail
    bureau = scoped_connection(demo_db, "bureau", PROVINCE)
    held = bureau.execute(
        "select count(first_score_sum) + count(first_score_n) from mart.submission_facts "
        "where province is distinct from ?",
        [PROVINCE],
    ).fetchone()[0]
    own = bureau.execute(
        "select count(first_score_n) from mart.submission_facts where province = ?", [PROVINCE]
    ).fetchone()[0]
    assert held == 0 and own > 0


def test_a_bureau_sees_no_small_cell_and_cannot_difference_one_out(demo_db: Path) -> None:
    bureau = scoped_connection(demo_db, "bureau", PROVINCE)
    small = bureau.execute(
        "select count(*) from mart.score_scopes where scope_kind = '省份' and scope <> ? "
        "and n < 3 and mean_score is not null",  # the threshold docs/access.md states
        [PROVINCE],
    ).fetchone()[0]
    assert small == 0
    leader = scoped_connection(demo_db, "leader")
    counts = (
        f"select sum(n) from mart.score_scopes where scope_kind = '省份' and year <> {UNPUBLISHED}"
    )
    assert bureau.execute(counts).fetchone() == leader.execute(counts).fetchone()  # counts stay


# 全部 shown and every group but one shown: the one is 全部 minus the others. With one group
# only, 全部 is that group.
LONE_CELLS = (
    "select year, stage, scope from mart.score_scopes where scope_kind = '省份' and scope <> ? "
    "group by all having count(*) filter (where score_group <> '全部' and mean_score is null) = 1 "
    "and bool_or(score_group = '全部' and mean_score is not null)"
)


def test_no_bureau_can_difference_a_suppressed_cell_out(demo_db: Path) -> None:
    """Every province's bureau, not one: which cells are lone depends on the province's own
    rows being left out, and a province whose only group was suppressed once showed it as 全部."""
    with duckdb.connect(str(demo_db), read_only=True) as con:
        provinces = [
            r[0]
            for r in con.execute(
                "select province from ref.provinces where takes_part and province <> '中央单位'"
            ).fetchall()
        ]  # the provinces a bureau user can be set for (中央单位 has no bureau)
    lone = {}
    for province in provinces:
        bureau = scoped_connection(demo_db, "bureau", province)
        lone[province] = bureau.execute(LONE_CELLS, [province]).fetchall()
    assert len(lone) >= 31
    assert {p: cells for p, cells in lone.items() if cells} == {}


@pytest.mark.parametrize("scope_kind", ["全国", "区域"])
def test_a_bureau_reads_the_nations_means(demo_db: Path, scope_kind: str) -> None:
    """The national and regional lines are never suppressed: the same number for every role."""
    sql = (
        "select year, stage, score_group, scope, n, round(mean_score, 9) from mart.score_scopes "
        "where scope_kind = ? order by all"
    )
    leader = scoped_connection(demo_db, "leader").execute(sql, [scope_kind]).fetchall()
    bureau = scoped_connection(demo_db, "bureau", PROVINCE).execute(sql, [scope_kind]).fetchall()
    published = [r for r in leader if r[0] != UNPUBLISHED]
    assert bureau == published and len(published) > 50
