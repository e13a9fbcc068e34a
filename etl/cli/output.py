"""What the CLI prints: rich tables (which measure Chinese characters as two columns, so
they align in a terminal), messages, and progress on stderr."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.console import Console
from rich.table import Table

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def table(
    title: str | None,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    right: Sequence[str] = (),
) -> None:
    """A table with a header row; columns named in `right` (numbers) align right."""
    shown = Table(title=title, title_justify="left", header_style="bold", box=None, pad_edge=False)
    for header in headers:
        shown.add_column(header, justify="right" if header in right else "left", no_wrap=True)
    for row in rows:
        shown.add_row(*("—" if cell is None else str(cell) for cell in row))
    out.print(shown)


def count(n: int | None) -> str:
    return "—" if n is None else f"{n:,}"


def say(text: str) -> None:
    out.print(text, markup=False)


def warn(text: str) -> None:
    err.print(text, markup=False)
