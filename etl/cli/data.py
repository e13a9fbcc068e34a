"""The data commands: demo, load, check, status, simulate."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import duckdb

from etl.cli.options import Command, db_option, quiet_option
from etl.cli.output import count, say, table, warn
from etl.config import SAMPLE_DIR, SIMULATION_SEED, db_path
from etl.glossary import FILE_STATUS, KINDS, RUN_STATUS, SEVERITY
from etl.pipeline.run import RunSummary

FILES = click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))


@click.command(cls=Command, help="用模拟数据构建演示仓库（模拟数据）。")
@db_option
@quiet_option
def demo(db: Path | None, quiet: bool) -> None:
    """Build a fresh warehouse from data/sample (simulating it first if absent), then swap it in."""
    from etl.pipeline.load import rebuild
    from etl.simulate import sample_files, simulate

    files = sample_files()
    if not files:
        say("未找到模拟导出文件，正在生成（模拟数据）…")
        simulate(SAMPLE_DIR)
        files = sample_files()
    target = db_path(db)
    run = rebuild(files, target, progress=not quiet)
    _print_files(run)
    _print_years(target)
    say(f"\n演示仓库已就绪（模拟数据）：{target}")


@click.command(
    cls=Command, help="导入导出文件（申报表、评分表、结果表；xlsx、xls、csv，UTF-8 或 GBK）。"
)
@FILES
@db_option
@quiet_option
@click.option("--no-gate", is_flag=True, help="跳过数据质量检查（仅用于基准测试）")
def load(files: tuple[Path, ...], db: Path | None, quiet: bool, no_gate: bool) -> None:
    from etl.pipeline.load import load as load_files

    _require(files)
    run = load_files(list(files), db, gate=not no_gate, progress=not quiet)
    _print_files(run)
    _print_rules(run)
    say(f"\n本次导入：{run.status_label}，用时 {run.seconds:.1f} 秒；仓库：{run.db}")


@click.command(
    cls=Command,
    help="按导入的规则检查文件，不写入仓库；有阻断问题时退出码为 1，并写出问题行 .xlsx。",
)
@FILES
@db_option
@quiet_option
@click.option(
    "--report", type=click.Path(dir_okay=False, path_type=Path), help="问题行 .xlsx 的保存路径"
)
def check(files: tuple[Path, ...], db: Path | None, quiet: bool, report: Path | None) -> None:
    from etl.pipeline.load import check as check_files
    from etl.pipeline.report import summary_text, write_rejected_xlsx

    _require(files)
    run = check_files(list(files), db, progress=not quiet)
    _print_files(run)
    say(summary_text(run))
    if run.report.issues.height:
        first = Path(files[0])
        target = report or first.with_name(first.stem + "_问题行.xlsx")
        write_rejected_xlsx(target, run)
        say(f"问题行已写入：{target}（修改后可重新提交）")
    sys.exit(1 if run.has_blocking else 0)


@click.command(cls=Command, help="查看仓库：版本、最近的导入、各年数量。")
@db_option
def status(db: Path | None) -> None:
    target = db_path(db)
    if not target.exists():
        say(f"仓库尚未构建：{target}\n请先运行 python -m etl demo 或 python -m etl load 文件…")
        sys.exit(1)
    with duckdb.connect(str(target), read_only=True) as con:
        version = con.execute(
            "select version, built_at, is_simulated from meta.warehouse"
        ).fetchone()
        runs = con.execute(
            "select finished_at, status, files, rows_read, rows_accepted, rows_quarantined "
            "from meta.load_runs order by finished_at desc limit 5"
        ).fetchall()
    simulated = "  （模拟数据）" if version[2] else ""
    say(f"仓库：{target}\n版本：{version[0]}  构建于 {version[1]:%Y-%m-%d %H:%M}{simulated}\n")
    table(
        "最近的导入",
        ("完成时间", "状态", "文件", "读入", "接收", "隔离"),
        ((f"{r[0]:%Y-%m-%d %H:%M}", RUN_STATUS.get(r[1], r[1]), *map(count, r[2:])) for r in runs),
        right=("文件", "读入", "接收", "隔离"),
    )
    _print_years(target)


@click.command(cls=Command, help="生成模拟导出文件（模拟数据）；--scale 用于基准测试。")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=SAMPLE_DIR,
              show_default="data/sample", help="输出文件夹")  # fmt: skip
@click.option(
    "--scale", type=click.IntRange(min=1), default=1, show_default=True, help="数据量倍数"
)
@click.option("--seed", type=int, default=SIMULATION_SEED, show_default=True, help="随机种子")
def simulate(out: Path, scale: int, seed: int) -> None:
    from etl.simulate import simulate as simulate_files

    written = simulate_files(out, scale=scale, seed=seed)
    say(f"已生成 {len(written)} 个模拟导出文件（模拟数据）：{out}")


def _require(files: tuple[Path, ...]) -> None:
    missing = [f for f in files if not Path(f).exists()]
    if missing:
        warn("找不到文件：" + "、".join(str(m) for m in missing))
        sys.exit(2)


def _print_files(run: RunSummary) -> None:
    say("")
    table(
        None,
        ("文件", "类型", "状态", "读入", "接收", "隔离", "警告"),
        (
            (
                f.name,
                KINDS.get(f.kind, "—"),
                FILE_STATUS.get(f.status, f.status),
                *map(count, (f.rows_read, f.rows_accepted, f.rows_quarantined, f.rows_warned)),
            )
            for f in run.files
        ),
        right=("读入", "接收", "隔离", "警告"),
    )
    for f in run.files:
        if f.message:
            say(f"  {f.name}：{f.message}")


def _print_rules(run: RunSummary) -> None:
    failed = run.report.results.filter(run.report.results["failed"] > 0)
    for r in failed.iter_rows(named=True):
        say(
            f"  [{SEVERITY[r['severity']]}] {r['rule_id']}：{r['description']} — {r['failed']} / {r['checked']}"
        )


def _print_years(target: Path) -> None:
    with duckdb.connect(str(target), read_only=True) as con:
        rows = con.execute(
            "select year, submissions, units, provinces, reached_final, selected, "
            "published_selected from mart.year_summary order by year"
        ).fetchall()
    say("")
    headers = ("年度", "申报", "单位", "省份", "终评", "入选", "公布数")
    table(None, headers, ((r[0], *map(count, r[1:])) for r in rows), right=headers[1:])
