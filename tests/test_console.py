"""The SQL console: attacks refused with a plain reason, limits kept, examples that run."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest

from etl.access import audit
from etl.access.console import ConsoleRefused, examples, run_audited, run_console
from etl.access.exports import neutralise
from etl.access.scopes import Scope, scoped_connection
from etl.config import env_var
from tests.cli_runner import run_etl
from tests.warehouse_state import scalar

NOT_A_QUERY = "只允许查询（SELECT），不允许修改数据或设置"
NO_FILES = "控制台不能读取服务器上的文件、访问网络或加载扩展"


@pytest.fixture(autouse=True)
def _audit_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "audit.duckdb"
    monkeypatch.setenv(env_var("audit"), str(target))
    return target


@pytest.fixture
def researcher(demo_db: Path):
    return scoped_connection(demo_db, "researcher")


@pytest.mark.parametrize(
    "sql, message",
    [
        ("select * from read_csv('/etc/passwd')", NO_FILES),
        ("select * from read_text('/etc/passwd')", NO_FILES),
        ("select * from read_blob('/etc/shadow')", NO_FILES),
        ("select * from glob('/etc/*')", NO_FILES),
        ("select * from 'data/warehouse.duckdb'", NO_FILES),
        ("select * from read_parquet('https://example.com/x.parquet')", NO_FILES),
        ("select * from sniff_csv('/etc/passwd')", NO_FILES),
        ("ATTACH '/tmp/x.db'", "挂载数据库（ATTACH）"),
        ("attach 'data/warehouse.duckdb' as w (read_only)", "挂载数据库（ATTACH）"),
        ("DETACH memory", "卸载数据库（DETACH）"),
        ("COPY core.submissions TO '/tmp/x.csv'", "读写文件（COPY）"),
        ("copy core.units from '/etc/passwd'", "读写文件（COPY）"),
        ("EXPORT DATABASE '/tmp/dump'", "导出数据库（EXPORT）"),
        ("IMPORT DATABASE '/tmp/dump'", "修改设置（PRAGMA/IMPORT）"),
        ("INSERT INTO core.submissions (submission_id) VALUES ('x')", "插入数据（INSERT）"),
        ("update core.submissions set is_selected = true", "修改数据（UPDATE）"),
        ("delete from core.submissions", "删除数据（DELETE）"),
        ("CREATE TABLE x AS SELECT 1", "创建对象（CREATE）"),
        ("create macro leak() as table select 1", "创建对象（CREATE）"),
        ("create secret (type s3, key_id 'x', secret 'y')", "创建对象（CREATE）"),
        ("drop table core.submissions", "删除对象（DROP）"),
        ("alter table core.units rename to u", "修改表结构（ALTER）"),
        ("comment on table core.units is 'x'", "修改表结构（ALTER）"),
        ("SET enable_external_access=true", "修改设置（SET/RESET/USE）"),
        ("reset lock_configuration", "修改设置（SET/RESET/USE）"),
        ("set variable x = 1", "修改设置（SET/RESET/USE）"),
        ("use memory", "修改设置（SET/RESET/USE）"),
        ("PRAGMA database_list", "修改设置（PRAGMA/IMPORT）"),
        ("PRAGMA enable_profiling", "修改设置（PRAGMA/IMPORT）"),
        ("INSTALL httpfs", "安装或加载扩展（INSTALL/LOAD）"),
        ("LOAD httpfs", "安装或加载扩展（INSTALL/LOAD）"),
        ("load '/tmp/evil.duckdb_extension'", "安装或加载扩展（INSTALL/LOAD）"),
        ("call pragma_version()", "调用过程（CALL）"),
        ("checkpoint", "调用过程（CALL）"),
        ("begin transaction", "事务控制（BEGIN/COMMIT）"),
        ("vacuum", "整理数据库（VACUUM/ANALYZE）"),
        ("connect 'quack:localhost:9494'", "连接或其他非查询语句"),
        ("explain analyze insert into core.units select * from core.units", "插入数据（INSERT）"),
        ("pivot core.submissions on year using count(*)", "多步语句"),
        ("select 1; drop table core.submissions", "一次只能运行一条查询语句，这里有 2 条"),
        ("select 1; select 2", "一次只能运行一条查询语句"),
        ("select * from query('attach ''/tmp/y.db''')", "SQL 语法错误"),
        ("select * from sql_query", "表 sql_query 不存在"),  # a Python variable's name
        ("   ", "请输入一条查询语句"),
    ],
)
def test_an_attack_is_refused_in_plain_chinese(researcher, sql: str, message: str) -> None:
    with pytest.raises(ConsoleRefused) as refused:
        run_console(researcher, sql)
    assert message in refused.value.message
    assert not Path("/tmp/x.csv").exists() and not Path("/tmp/dump").exists()


def test_there_are_no_secrets_to_read(researcher) -> None:
    assert run_console(researcher, "select * from duckdb_secrets()").frame.height == 0


def test_a_slow_query_is_stopped_at_the_time_limit(researcher) -> None:
    started = time.perf_counter()
    with pytest.raises(ConsoleRefused) as refused:
        run_console(
            researcher,
            "select sum(a.range * b.range) from range(1000000) a, range(1000000) b",
            timeout_s=1,
        )
    assert refused.value.message.startswith("查询超过 1 秒，已停止")
    assert time.perf_counter() - started < 5
    assert run_console(researcher, "select 42 as answer").frame["answer"].to_list() == [42]


@pytest.mark.parametrize("rows, truncated", [(9, False), (10, False), (11, True), (10**8, True)])
def test_the_row_cap(researcher, rows: int, truncated: bool) -> None:
    result = run_console(researcher, f"select range as n from range({rows})", row_cap=10)
    assert result.frame.height == min(rows, 10)
    assert result.truncated is truncated
    assert ("只显示前 10 行" in result.notice) is truncated


def test_a_missing_table_names_the_tables_there_are(researcher) -> None:
    with pytest.raises(ConsoleRefused) as refused:
        run_console(researcher, "select * from core.submissionz")
    message = refused.value.message
    assert message.startswith("表 core.submissionz 不存在，可用的表有：")
    assert "core.submissions" in message and "meta.audit" not in message


def test_a_table_the_role_may_not_see_is_simply_not_there(demo_db: Path) -> None:
    bureau = scoped_connection(demo_db, "bureau", "浙江")
    with pytest.raises(ConsoleRefused, match="表 meta.corrections 不存在"):
        run_console(bureau, "select * from meta.corrections")
    provinces = run_console(bureau, "select distinct province from core.submissions")
    assert provinces.frame["province"].to_list() == ["浙江"]


@pytest.mark.parametrize(
    "sql, message",
    [
        ("select yeer from core.submissions", "列 yeer 不存在；相近的列有："),
        ("selec year from core.submissions", "SQL 语法错误：在“selec”附近"),
        ("select * from core.submissions where year = 'abc'", "类型转换失败"),
        ("select getenv('HOME')", "函数 getenv 不存在或不可用"),
    ],
)
def test_mistakes_are_explained(researcher, sql: str, message: str) -> None:
    with pytest.raises(ConsoleRefused) as refused:
        run_console(researcher, sql)
    assert message in refused.value.message


def test_a_query_sees_only_published_results(researcher) -> None:
    result = run_console(
        researcher,
        "select year, count(is_selected) as known from core.submissions group by 1 order by 1",
    )
    known = dict(result.frame.iter_rows())
    assert known[2025] == 0 and known[2024] == 278


def test_duplicate_column_names_are_kept_apart(researcher) -> None:
    assert run_console(researcher, "select 1 as a, 2 as a").frame.columns == ["a", "a_2"]


def test_explain_of_a_query_is_allowed(researcher) -> None:
    assert run_console(researcher, "explain select count(*) from core.units").frame.height == 1


@pytest.mark.parametrize("example", examples(), ids=lambda e: e.name)
@pytest.mark.parametrize("role", ["researcher", "leader"])
def test_every_example_runs(demo_db: Path, example, role: str) -> None:
    assert example.title and not example.title.isascii()
    result = run_console(scoped_connection(demo_db, role), example.sql)
    assert result.frame.height > 0


def test_queries_and_refusals_are_audited(researcher, _audit_file: Path) -> None:
    scope = Scope("researcher")
    run_audited(researcher, "select * from core.units limit 7", who="王研究", scope=scope)
    with pytest.raises(ConsoleRefused):
        run_audited(researcher, "select * from read_text('/etc/passwd')", who="王研究", scope=scope)
    logged = audit.events(_audit_file).select("who", "role", "action", "detail", "rows").rows()
    assert logged == [
        ("王研究", "researcher", "console", "select * from core.units limit 7", 7),
        (
            "王研究",
            "researcher",
            "console",
            "已拒绝（files）：select * from read_text('/etc/passwd')",
            None,
        ),
    ]


def etl_sql(db: Path, audit_file: Path, *args: str, stdin: str | None = None):
    return run_etl(
        "--db", str(db), "sql", *args, env={env_var("audit"): str(audit_file)}, stdin=stdin
    )


def test_cli_prints_csv(demo_db: Path, _audit_file: Path) -> None:
    done = etl_sql(
        demo_db,
        _audit_file,
        "--role",
        "bureau",
        "--province",
        "浙江",
        "select year, count(*) as n from core.submissions where year = 2024 group by 1",
    )
    assert done.returncode == 0, done.stderr
    expected = scalar(
        demo_db, "select count(*) from core.submissions where year = 2024 and province = '浙江'"
    )
    assert done.stdout.splitlines() == ["year,n", f"2024,{expected}"]


def test_cli_refusal_exits_2_with_the_reason(demo_db: Path, _audit_file: Path) -> None:
    done = etl_sql(
        demo_db, _audit_file, "--role", "researcher", "COPY core.submissions TO '/tmp/x.csv'"
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert NOT_A_QUERY in done.stderr and "读写文件（COPY）" in done.stderr


def test_cli_reads_a_file_and_checks_the_role(
    demo_db: Path, _audit_file: Path, tmp_path: Path
) -> None:
    query = tmp_path / "q.sql"
    query.write_text("-- 各年申报数\nselect count(*) as n from core.submissions", encoding="utf-8")
    done = etl_sql(demo_db, _audit_file, "--role", "leader", "--file", str(query))
    assert done.returncode == 0 and done.stdout.splitlines()[1] == "2458"
    no_province = etl_sql(demo_db, _audit_file, "--role", "bureau", "--file", str(query))
    assert no_province.returncode == 2 and "省局用户必须指定省份" in no_province.stderr


@pytest.mark.parametrize(
    "option, value, message",
    [
        ("--max-rows", "-5", "行数上限须为 1 到 1,000,000 之间的整数"),
        ("--max-rows", "0", "行数上限须为 1 到 1,000,000 之间的整数"),
        ("--timeout", "0", "时间上限须为 1 到 300 之间的整数（秒）"),
        ("--timeout", "-1", "时间上限须为 1 到 300 之间的整数（秒）"),
        ("--timeout", "nan", "时间上限须为 1 到 300 之间的整数（秒）"),
        ("--timeout", "1e9", "时间上限须为 1 到 300 之间的整数（秒）"),
    ],
)
def test_cli_limits_that_would_limit_nothing_are_refused(
    demo_db: Path, _audit_file: Path, option: str, value: str, message: str
) -> None:
    done = etl_sql(demo_db, _audit_file, "--role", "researcher", option, value, "select 1")
    assert done.returncode == 2
    assert message in done.stderr and f"收到“{value}”" in done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize(
    "sql",
    [
        "select repeat('x', 60000000) as v",  # one row, one value larger than the cap
        "select repeat('x', 1000000) as v from range(80)",  # 80 rows of 1 MB: 80 MB in all
    ],
)
def test_a_result_too_large_in_bytes_is_refused(researcher, sql: str) -> None:
    with pytest.raises(ConsoleRefused, match="查询结果超过 50 MB 的上限") as refused:
        run_console(researcher, sql)
    assert refused.value.reason == "size"


def test_a_date_out_of_the_calendar_is_readable(researcher) -> None:
    result = run_console(
        researcher,
        "select 'infinity'::date as d, '-infinity'::timestamp as t, date '2024-05-01' as ok",
    )
    assert result.frame.rows() == [("infinity", "-infinity", date(2024, 5, 1))]
    assert result.out_of_range == ("d", "t")
    assert neutralise(result.frame).write_csv()  # the downloads can be written


def test_cli_a_date_out_of_the_calendar_is_a_chinese_refusal(
    demo_db: Path, _audit_file: Path
) -> None:
    done = etl_sql(demo_db, _audit_file, "--role", "researcher", "select 'infinity'::date as d")
    assert done.returncode == 2
    assert "列 d 含超出日期范围的值" in done.stderr and done.stdout == ""
