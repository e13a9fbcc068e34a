"""What each CLI command does and prints. Messages are Chinese; exit codes are the contract:
0 done, 1 blocking data errors (check) or a failed load, 2 bad usage."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from etl.config import SAMPLE_DIR, db_path

if TYPE_CHECKING:  # etl.pipeline.load brings in the quality checks (seconds): only where they run
    from etl.pipeline.run import RunSummary

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
    from etl.pipeline.load import load

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
    from etl.pipeline.load import load

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
    from etl.pipeline.load import check
    from etl.pipeline.report import summary_text, write_rejected_xlsx

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
    from etl.glossary import RUN_STATUS as RUN_STATUS_LABEL

    print("\n最近的导入：")
    for r in runs:
        print(
            f"  {r[1]:%Y-%m-%d %H:%M}  {RUN_STATUS_LABEL.get(r[2], r[2]):<6} 文件 {r[3]}  读入 {r[4]:,}  "
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


def run_sql(
    db: str | None,
    role: str,
    province: str | None,
    query: str | None,
    file: Path | None,
    *,
    timeout: float | None = None,
    max_rows: int | None = None,
    raw: bool = False,
) -> int:
    """One query with the role's access: CSV on stdout; a refusal on stderr with exit 2."""
    from etl.access.console import ConsoleRefused, run_audited
    from etl.access.exports import neutralise
    from etl.access.scopes import AccessError, Scope, scoped_connection

    if file is not None and not file.exists():
        print(f"找不到文件：{file}", file=sys.stderr)
        return 2
    text = file.read_text(encoding="utf-8") if file is not None else query
    if not text or (query and file):
        print("请给出一条查询语句，或用 --file 指定 .sql 文件（二选一）", file=sys.stderr)
        return 2
    try:
        scope = Scope.of(role, province)
        con = scoped_connection(db, scope.role, scope.province)
        result = run_audited(
            con, text, who=_cli_user(), scope=scope, timeout_s=timeout, row_cap=max_rows
        )
    except (AccessError, ConsoleRefused) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    frame = result.frame if raw else neutralise(result.frame)
    sys.stdout.buffer.write(frame.write_csv().encode("utf-8"))
    sys.stdout.flush()
    if result.truncated:
        print(result.notice, file=sys.stderr)
    return 0


def user_add(name: str, role: str, province: str | None, from_stdin: bool) -> int:
    from etl.access.scopes import AccessError
    from etl.access.users import UserError, add_user, users_path

    try:
        user = add_user(name, role, province, _new_password(from_stdin), by=_cli_user())
    except (UserError, AccessError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(f"已添加用户 {user.name}（{user.scope.label}）：{users_path()}")
    return 0


def user_passwd(name: str, from_stdin: bool) -> int:
    from etl.access.users import set_password

    return _user_change(
        lambda: set_password(name, _new_password(from_stdin), by=_cli_user()),
        f"已修改 {name} 的密码；旧密码的会话随即失效",
    )


def user_list() -> int:
    from etl.access.users import load_users, locked_until, users_path

    users = load_users()
    if not users:
        print(f"还没有用户（{users_path()}）；看板以演示模式运行。")
        return 0
    print(f"{'用户名':<16}{'角色':<14}{'状态':<20}创建时间")
    for user in users.values():
        locked = locked_until(user.name)
        state = "已停用" if user.disabled else f"锁定至 {locked:%H:%M}" if locked else "正常"
        print(f"{user.name:<18}{user.scope.label:<14}{state:<20}{user.created_at:%Y-%m-%d %H:%M}")
    return 0


def user_disable(name: str) -> int:
    from etl.access.users import disable_user

    return _user_change(
        lambda: disable_user(name, by=_cli_user()), f"已停用 {name}；其会话在下一次检查时失效"
    )


def user_unlock(name: str) -> int:
    from etl.access.users import unlock_user

    return _user_change(lambda: unlock_user(name, by=_cli_user()), f"已解除 {name} 的登录锁定")


def _user_change(change, done: str) -> int:
    """Run one change to the users file: its refusal to stderr with exit 2, or `done`."""
    from etl.access.scopes import AccessError
    from etl.access.users import UserError

    try:
        change()
    except (UserError, AccessError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(done)
    return 0


def _new_password(from_stdin: bool) -> str:
    """One line of stdin, or typed twice without echo."""
    from getpass import getpass

    from etl.access.users import UserError

    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass("新密码：")
    if getpass("再输入一次：") != first:
        raise UserError("两次输入的密码不一致")
    return first


def _cli_user() -> str:
    """Who ran the command, as the audit log names them."""
    import getpass

    try:
        return f"命令行:{getpass.getuser()}"
    except (KeyError, OSError):
        return "命令行"
