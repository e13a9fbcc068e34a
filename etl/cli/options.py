"""Options every command shares: --db and --quiet, accepted before or after the command
(`python -m etl --db W load F` and `python -m etl load F --db W` mean the same)."""

from __future__ import annotations

import re
from pathlib import Path

import click
from rich.cells import cell_len

from etl.cli.output import warn
from etl.config import SettingError, env_var
from etl.writing import WriteFailed


class Formatter(click.HelpFormatter):
    """Click's help, with columns measured as a terminal draws them: a Chinese character
    takes two columns, so option help aligns under option help."""

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first = min(max((cell_len(term) for term, _ in rows), default=0), col_max)
        room = max(self.width - self.current_indent - first - col_spacing, 20)
        indent = " " * (self.current_indent + first + col_spacing)
        for term, text in rows:
            self.write(" " * self.current_indent + term)
            lines = _wrapped(text, room) or [""]
            if cell_len(term) > first:
                self.write("\n" + indent)
            else:
                self.write(" " * (first - cell_len(term) + col_spacing))
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(indent + line + "\n")


_TOKEN = re.compile(r"[A-Za-z0-9_.\-/$=+@'\"<>]+|\s+|.")
_NO_LINE_START = set("，。、；：）》」』！？,.;:)")


def _wrapped(text: str, width: int) -> list[str]:
    """Text cut into lines of at most `width` terminal columns: between Chinese characters or
    between words, never inside a word, and never before closing punctuation."""
    lines, line = [], ""
    for token in _TOKEN.findall(" ".join(text.split())):
        if line and cell_len(line + token) > width and token not in _NO_LINE_START:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    return [*lines, line] if line else lines


click.Context.formatter_class = Formatter
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _remember(ctx: click.Context, param: click.Parameter, value: object) -> object:
    """A value given on the group is the default of the same option on the command."""
    if value is None or value is False:
        parent = ctx.find_root().params if ctx.parent else {}
        return parent.get(param.name, value)
    return value


db_option = click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    callback=_remember,
    help=f"仓库文件（默认 data/warehouse.duckdb，或环境变量 {env_var('db')}）",
)
quiet_option = click.option(
    "--quiet", is_flag=True, default=False, callback=_remember, help="不显示进度条"
)

# Metavars as the help shows them: Click's own are English words (TEXT, FILE, INTEGER).
_TYPE_METAVARS = {"text": "文本", "integer": "整数", "integer range": "整数", "float": "数字",
                  "file": "文件", "directory": "文件夹", "path": "路径", "boolean": "是/否"}  # fmt: skip
_ARGUMENT_METAVARS = {"files": "文件...", "query": "查询", "name": "用户名"}


class Command(click.Command):
    """A command whose usage line and metavars read in Chinese."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)
        for param in self.params:
            if param.metavar is not None or getattr(param, "is_flag", False):
                continue
            if isinstance(param, click.Argument):
                param.metavar = _ARGUMENT_METAVARS.get(param.name or "", param.metavar)
            else:
                param.metavar = _TYPE_METAVARS.get(param.type.name, param.metavar)


class Group(Command, click.Group):
    """A group of Chinese commands."""

    command_class = Command

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> object:
        """A write that failed (a full disk) or a setting that cannot be used ends every
        command the same way: its Chinese message and exit code 2, never a traceback."""
        try:
            return super().invoke(ctx)
        except WriteFailed as failed:
            warn(failed.message)
            ctx.exit(2)
        except SettingError as wrong:
            warn(str(wrong))
            ctx.exit(2)


Group.group_class = Group
