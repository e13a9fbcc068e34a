"""python -m etl: build and inspect the warehouse.

demo       build data/warehouse.duckdb from the simulated exports in data/sample/
load       load export files (xlsx / csv, UTF-8 or GBK) into the warehouse
check      validate files as load would, write nothing; exit 1 on blocking errors
status     the warehouse's loads and counts
simulate   write simulated exports (模拟数据)
sql        run one query with a role's access, print CSV; exit 2 when refused
user       add a dashboard user, change a password, list, disable, unlock
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from etl.config import SAMPLE_DIR, SIMULATION_SEED, env_var


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        print("已中断；仓库保持为上一次成功导入时的状态。", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m etl", description="融合看板数据仓库工具")
    parser.add_argument(
        "--db",
        default=None,
        help=f"仓库文件（默认 data/warehouse.duckdb，或环境变量 {env_var('db')}）",
    )
    parser.add_argument("--quiet", action="store_true", help="不显示进度条")
    sub = parser.add_subparsers(required=True, metavar="命令")

    demo = sub.add_parser("demo", help="用模拟数据构建演示仓库")
    demo.set_defaults(handler=_demo)

    load = sub.add_parser("load", help="导入导出文件")
    load.add_argument("files", nargs="+", type=Path)
    load.add_argument("--no-gate", action="store_true", help="跳过数据质量检查（仅用于基准测试）")
    load.set_defaults(handler=_load)

    check = sub.add_parser("check", help="只检查，不写入")
    check.add_argument("files", nargs="+", type=Path)
    check.add_argument("--report", type=Path, help="问题行 .xlsx 的保存路径")
    check.set_defaults(handler=_check)

    status = sub.add_parser("status", help="查看仓库状态")
    status.set_defaults(handler=_status)

    simulate = sub.add_parser("simulate", help="生成模拟导出文件")
    simulate.add_argument("--out", type=Path, default=SAMPLE_DIR)
    simulate.add_argument("--scale", type=int, default=1, help="数据量倍数（基准测试用）")
    simulate.add_argument("--seed", type=int, default=SIMULATION_SEED)
    simulate.set_defaults(handler=_simulate)

    sql = sub.add_parser("sql", help="以某个角色的权限运行一条查询，结果以 CSV 输出")
    sql.add_argument("query", nargs="?", help="查询语句（或用 --file）")
    sql.add_argument("--file", type=Path, help="从 .sql 文件读取查询")
    sql.add_argument("--role", required=True, help="leader / researcher / bureau / admin")
    sql.add_argument("--province", help="省局角色的省份，如 浙江")
    sql.add_argument("--timeout", type=float, help="时间上限（秒，默认见 access.toml）")
    sql.add_argument("--max-rows", type=int, help="最多输出的行数（默认见 access.toml）")
    sql.add_argument("--raw", action="store_true", help="不给以 = + - @ 开头的单元格加 '")
    sql.set_defaults(handler=_sql)

    user = sub.add_parser("user", help="管理看板用户（data/users.toml）")
    actions = user.add_subparsers(required=True, metavar="操作")
    add = actions.add_parser("add", help="新增用户")
    add.add_argument("name")
    add.add_argument("--role", required=True, help="leader / researcher / bureau / admin")
    add.add_argument("--province", help="省局用户的省份")
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读一行作为密码")
    add.set_defaults(handler=_user_add)
    passwd = actions.add_parser("passwd", help="修改密码")
    passwd.add_argument("name")
    passwd.add_argument("--password-stdin", action="store_true", help="从标准输入读一行作为密码")
    passwd.set_defaults(handler=_user_passwd)
    listing = actions.add_parser("list", help="列出用户")
    listing.set_defaults(handler=_user_list)
    disable = actions.add_parser("disable", help="停用用户")
    disable.add_argument("name")
    disable.set_defaults(handler=_user_disable)
    unlock = actions.add_parser("unlock", help="解除登录锁定")
    unlock.add_argument("name")
    unlock.set_defaults(handler=_user_unlock)
    return parser


def _demo(args: argparse.Namespace) -> int:
    from etl.commands import demo

    return demo(args.db, progress=not args.quiet)


def _load(args: argparse.Namespace) -> int:
    from etl.commands import load_files

    return load_files(args.files, args.db, gate=not args.no_gate, progress=not args.quiet)


def _check(args: argparse.Namespace) -> int:
    from etl.commands import check_files

    return check_files(args.files, args.db, args.report, progress=not args.quiet)


def _status(args: argparse.Namespace) -> int:
    from etl.commands import status

    return status(args.db)


def _simulate(args: argparse.Namespace) -> int:
    from etl.commands import simulate_files

    return simulate_files(args.out, args.scale, args.seed)


def _sql(args: argparse.Namespace) -> int:
    from etl.commands import run_sql

    return run_sql(
        args.db,
        args.role,
        args.province,
        args.query,
        args.file,
        timeout=args.timeout,
        max_rows=args.max_rows,
        raw=args.raw,
    )


def _user_add(args: argparse.Namespace) -> int:
    from etl.commands import user_add

    return user_add(args.name, args.role, args.province, args.password_stdin)


def _user_passwd(args: argparse.Namespace) -> int:
    from etl.commands import user_passwd

    return user_passwd(args.name, args.password_stdin)


def _user_list(args: argparse.Namespace) -> int:
    from etl.commands import user_list

    return user_list()


def _user_disable(args: argparse.Namespace) -> int:
    from etl.commands import user_disable

    return user_disable(args.name)


def _user_unlock(args: argparse.Namespace) -> int:
    from etl.commands import user_unlock

    return user_unlock(args.name)


if __name__ == "__main__":
    sys.exit(main())
