"""python -m etl user …: add a dashboard user, change a password, list, disable, unlock."""

from __future__ import annotations

import sys
from collections.abc import Callable

import click

from etl.cli.options import Command, Group
from etl.cli.output import say, table, warn

PASSWORD_STDIN = click.option("--password-stdin", is_flag=True, help="从标准输入读一行作为密码")


@click.group(cls=Group, help="管理看板用户（data/users.toml）。")
def user() -> None:
    """The users file's commands."""


@user.command(cls=Command, help="新增用户（提示输入两次密码；以 argon2id 散列保存）。")
@click.argument("name")
@click.option("--role", required=True, help="leader / researcher / bureau / admin")
@click.option("--province", help="省局用户的省份")
@PASSWORD_STDIN
def add(name: str, role: str, province: str | None, password_stdin: bool) -> None:
    from etl.access.users import add_user, users_path

    added = _change(
        lambda: add_user(name, role, province, _new_password(password_stdin), by=cli_user())
    )
    say(f"已添加用户 {added.name}（{added.scope.label}）：{users_path()}")


@user.command(cls=Command, help="修改密码；旧密码的会话随即失效。")
@click.argument("name")
@PASSWORD_STDIN
def passwd(name: str, password_stdin: bool) -> None:
    from etl.access.users import set_password

    _change(lambda: set_password(name, _new_password(password_stdin), by=cli_user()))
    say(f"已修改 {name} 的密码；旧密码的会话随即失效")


@user.command(cls=Command, name="list", help="列出用户。")
def list_users() -> None:
    from etl.access.users import load_users, locked_until, users_path

    users = load_users()
    if not users:
        say(f"还没有用户（{users_path()}）；看板以演示模式运行。")
        return
    rows = []
    for u in users.values():
        locked = locked_until(u.name)
        state = "已停用" if u.disabled else f"锁定至 {locked:%H:%M}" if locked else "正常"
        rows.append((u.name, u.scope.label, state, f"{u.created_at:%Y-%m-%d %H:%M}"))
    table(None, ("用户名", "角色", "状态", "创建时间"), rows)


@user.command(cls=Command, help="停用用户；其会话在下一次检查时失效。")
@click.argument("name")
def disable(name: str) -> None:
    from etl.access.users import disable_user

    _change(lambda: disable_user(name, by=cli_user()))
    say(f"已停用 {name}；其会话在下一次检查时失效")


@user.command(cls=Command, help="解除登录锁定。")
@click.argument("name")
def unlock(name: str) -> None:
    from etl.access.users import unlock_user

    _change(lambda: unlock_user(name, by=cli_user()))
    say(f"已解除 {name} 的登录锁定")


def _change(change: Callable[[], object]) -> object:
    """Run one change to the users file; a refusal goes to stderr with exit 2."""
    from etl.access.scopes import AccessError
    from etl.access.users import UserError

    try:
        return change()
    except (UserError, AccessError) as exc:
        warn(str(exc))
        sys.exit(2)


def _new_password(from_stdin: bool) -> str:
    """One line of stdin, or typed twice without echo."""
    from etl.access.users import UserError

    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = click.prompt("新密码", hide_input=True, prompt_suffix="：")
    if click.prompt("再输入一次", hide_input=True, prompt_suffix="：") != first:
        raise UserError("两次输入的密码不一致")
    return first


def cli_user() -> str:
    """Who ran the command, as the audit log names them."""
    import getpass

    try:
        return f"命令行:{getpass.getuser()}"
    except (KeyError, OSError):
        return "命令行"
