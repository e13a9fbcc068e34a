"""python -m etl: build and inspect the warehouse.

demo       build data/warehouse.duckdb from the simulated exports in data/sample/
load       load export files (xlsx / csv, UTF-8 or GBK) into the warehouse
check      validate files as load would, write nothing; exit 1 on blocking errors
status     the warehouse's loads and counts
simulate   write simulated exports (模拟数据)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from etl.config import DB_ENV_VAR, SAMPLE_DIR, SIMULATION_SEED


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
        help=f"仓库文件（默认 data/warehouse.duckdb，或环境变量 {DB_ENV_VAR}）",
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


if __name__ == "__main__":
    sys.exit(main())
