"""Click's own words in Chinese: usage lines, section titles, help and error messages.

Click marks every string it prints for gettext (`_("Usage:")`, `ngettext(...)`), each module
importing `gettext` under the name `_`. A gettext catalog would need the user's locale set to
Chinese; this CLI speaks Chinese whatever the locale, so `install()` points those names at the
catalog below. A message missing from it stays in Click's English.
"""

from __future__ import annotations

import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types

CATALOG = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行“{command} {option}”查看帮助。",
    "No such option {name!r}.": "没有选项 {name}。",
    "No such command {name!r}.": "没有命令 {name}。",
    "Missing command.": "缺少命令。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "Invalid value: {message}": "取值无效：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的取值无效：{message}",
    "Option {name!r} does not take a value.": "选项 {name} 不接受取值。",
    "{value!r} is not a valid {number_type}.": "“{value}”不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{name} {filename!r} does not exist.": "{name}“{filename}”不存在。",
    "{name} {filename!r} is a directory.": "{name}“{filename}”是文件夹。",
    "{name} {filename!r} is a file.": "{name}“{filename}”是文件。",
    "{name} {filename!r} is not readable.": "{name}“{filename}”无法读取。",
    "{name} {filename!r} is not writable.": "{name}“{filename}”无法写入。",
    "Could not open file {filename!r}: {message}": "无法打开文件“{filename}”：{message}",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "Aborted!": "已中止。",
    "Repeat for confirmation": "再输入一次",
    "Error: The two entered values do not match.": "错误：两次输入不一致。",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "required": "必填",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
}
PLURALS = {
    "Got unexpected extra argument ({args})": "多余的参数：{args}",
    "Option {name!r} requires an argument.": "选项 {name} 需要一个取值。",
    "{value!r} is not {choice}.": "“{value}”不是 {choice}。",
    "{value!r} is not one of {choices}.": "“{value}”不在可选值 {choices} 之中。",
    "Did you mean {possibility}?": "是不是 {possibility}？",
}
_MODULES = (
    click.core,
    click.decorators,
    click.exceptions,
    click.formatting,
    click.parser,
    click.termui,
    click.types,
)


def _gettext(message: str) -> str:
    return CATALOG.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return PLURALS.get(singular, singular if n == 1 else plural)


def install() -> None:
    for module in _MODULES:
        if hasattr(module, "_"):
            module._ = _gettext
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext
