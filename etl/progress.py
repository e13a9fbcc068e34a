"""Progress bars for long work (rich, on stderr, only when stderr is a terminal)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

from rich.console import Console
from rich.progress import track

T = TypeVar("T")
_console = Console(stderr=True)


def steps(items: Iterable[T], description: str, enabled: bool = True) -> Iterator[T]:
    """Each item, with a bar that counts them; nothing is drawn into a pipe or a log."""
    if not enabled or not _console.is_terminal:
        yield from items
        return
    yield from track(items, description=description, console=_console, transient=False)
