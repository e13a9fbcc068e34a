"""The CLI run in-process through Click's CliRunner, read as a finished command is read:
exit code, stdout, stderr. (A subprocess adds nothing but start-up time, except where a
test needs a fresh process.)"""

from __future__ import annotations

from dataclasses import dataclass

from click.testing import CliRunner

from etl.cli import main


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def run_etl(*args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> Ran:
    """`python -m etl ARGS…` with these environment variables set for the run."""
    result = CliRunner().invoke(main, list(args), env=env, input=stdin, prog_name="python -m etl")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Ran(result.exit_code, result.stdout, result.stderr)
