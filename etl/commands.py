"""What each CLI command does and prints. Messages are Chinese; exit codes are the contract:
0 done, 1 blocking data errors (check) or a failed load, 2 bad usage."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import duckdb

from etl.config import SAMPLE_DIR, db_path
from etl.load import RunSummary, check, load

_STATUS_LABEL = {
    "loaded": "已导入",
    "skipped": "已跳过",
    "rejected": "整表拒收",
    "checked": "已检查",
    "pending": "未处理",
}


def demo(db: str | None, progress: bool = True) -> int:
    """Build a fresh warehouse from data/sample (simulating it first if absent), then swap it in."""
    files = sample_files()
    if not files:
        from etl.simulate import simulate

        print("未找到模拟导出文件，正在生成（模拟数据）…")
        simulate(SAMPLE_DIR)
        files = sample_files()
    target = db_path(db)
    fresh = target.with_name(target.name + ".demo")
    fresh.unlink(missing_ok=True)
    run = load(files, fresh, simulated=True, progress=progress)
    os.replace(fresh, target)
    _print_files(run)
    _print_years(target)
    print(f"\n演示仓库已就绪（模拟数据）：{target}")
    return 0


def sample_files() -> list[Path]:
    """The shipped simulated exports, submissions before scores before outcomes."""
    order = {"submissions": 0, "scores": 1, "outcomes": 2}
    found = [p for p in SAMPLE_DIR.glob("*") if p.suffix in (".csv", ".xlsx")]
    exports = [p for p in found if p.stem.split("_")[0] in order]
    return sorted(exports, key=lambda p: (order[p.stem.split("_")[0]], p.name))


def load_files(files: list[Path], db: str | None, gate: bool, progress: bool) -> int:
    missing = [f for f in files if not f.exists()]
    if missing:
        print("找不到文件：" + "、".join(str(m) for m in missing), file=sys.stderr)
        return 2
    run = load(files, db, gate=gate, progress=progress)
    _print_files(run)
    _print_rules(run)
    print(f"\n本次导入：{run.status_label}，用时 {run.seconds:.1f} 秒；仓库：{run.db}")
    return 0


def check_files(files: list[Path], db: str | None, report: Path | None, progress: bool) -> int:
    from etl.report import summary_text, write_rejected_xlsx

    missing = [f for f in files if not f.exists()]
    if missing:
        print("找不到文件：" + "、".join(str(m) for m in missing), file=sys.stderr)
        return 2
    run = check(files, db, progress=progress)
    _print_files(run)
    print(summary_text(run))
    if run.report.issues.height:
        target = report or Path(files[0]).with_name(Path(files[0]).stem + "_问题行.xlsx")
        write_rejected_xlsx(target, run)
        print(f"问题行已写入：{target}（修改后可重新提交）")
    return 1 if run.has_blocking else 0


def status(db: str | None) -> int:
    target = db_path(db)
    if not target.exists():
        print(f"仓库尚未构建：{target}\n请先运行 python -m etl demo 或 python -m etl load 文件…")
        return 1
    with duckdb.connect(str(target), read_only=True) as con:
        version = con.execute(
            "select version, built_at, is_simulated from meta.warehouse"
        ).fetchone()
        print(
            f"仓库：{target}\n版本：{version[0]}  构建于 {version[1]:%Y-%m-%d %H:%M}"
            + ("  （模拟数据）" if version[2] else "")
        )
        runs = con.execute(
            "select run_id, finished_at, status, files, rows_read, rows_accepted, "
            "rows_quarantined from meta.load_runs order by finished_at desc limit 5"
        ).fetchall()
    print("\n最近的导入：")
    for r in runs:
        print(
            f"  {r[1]:%Y-%m-%d %H:%M}  {r[2]:<12} 文件 {r[3]}  读入 {r[4]:,}  "
            f"接收 {r[5]:,}  隔离 {r[6]:,}"
        )
    _print_years(target)
    return 0


def simulate_files(out: Path, scale: int, seed: int) -> int:
    from etl.simulate import simulate

    if scale < 1:
        print("--scale 必须是正整数", file=sys.stderr)
        return 2
    written = simulate(out, scale=scale, seed=seed)
    print(f"已生成 {len(written)} 个模拟导出文件（模拟数据）：{out}")
    return 0


def _print_files(run: RunSummary) -> None:
    print(f"\n{'文件':<28}{'类型':<8}{'状态':<8}{'读入':>8}{'接收':>8}{'隔离':>6}{'警告':>6}")
    for f in run.files:
        kind = {"submissions": "申报表", "scores": "评分表", "outcomes": "结果表"}.get(f.kind, "—")
        print(
            f"{f.path.name:<28}{kind:<8}{_STATUS_LABEL.get(f.status, f.status):<8}"
            f"{f.rows_read:>8,}{f.rows_accepted:>8,}{f.rows_quarantined:>6,}{f.rows_warned:>6,}"
        )
        if f.message:
            print(f"    {f.message}")


def _print_rules(run: RunSummary) -> None:
    failed = run.report.results.filter(run.report.results["failed"] > 0)
    for r in failed.iter_rows(named=True):
        level = "隔离" if r["severity"] == "blocking" else "警告"
        print(f"  [{level}] {r['rule_id']}：{r['description']} — {r['failed']} / {r['checked']}")


def _print_years(target: Path) -> None:
    with duckdb.connect(str(target), read_only=True) as con:
        rows = con.execute(
            "select year, submissions, units, provinces, reached_final, selected, "
            "published_selected from mart.year_summary order by year"
        ).fetchall()
    print(f"\n{'年度':<6}{'申报':>6}{'单位':>6}{'省份':>6}{'终评':>6}{'入选':>6}{'公布数':>6}")
    for r in rows:
        print(f"{r[0]:<8}{r[1]:>8,}{r[2]:>8,}{r[3]:>8}{r[4]:>8}{r[5]:>8}{r[6]:>8}")
