"""Writing files safely: one writer lock per file, and a failed write told in Chinese.

Every file the project writes in place of another — the warehouse (load, demo, upload), the
users file, the audit log — is written under `writer_lock(file)`, an flock on `<file>.lock`.
flock excludes other processes and also the other threads of this one (each opens its own
descriptor), so a demo beside a load, or two admins at once, queue instead of overwriting.

`chinese_write_errors` turns an OSError met while writing (a full disk, no permission) into
WriteFailed, whose message says what happened, to which file, and that nothing was changed.
"""

from __future__ import annotations

import errno
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_REASONS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "磁盘配额已用完",
    errno.EACCES: "没有写入权限",
    errno.EROFS: "文件系统为只读",
}


class WriteFailed(Exception):
    """A write that could not be done; `message` (Chinese) says why and what was kept."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@contextmanager
def writer_lock(target: str | os.PathLike) -> Iterator[None]:
    """One writer at a time for `target`, across processes and threads; others wait."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.with_name(target.name + ".lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def chinese_write_errors(target: str | os.PathLike, kept: str) -> Iterator[None]:
    """OSError while writing `target` → WriteFailed naming the file and what was `kept`."""
    try:
        yield
    except OSError as exc:
        raise WriteFailed(write_failure(exc, target, kept)) from exc


def write_failure(exc: OSError, target: str | os.PathLike, kept: str) -> str:
    reason = _REASONS.get(exc.errno, f"写入出错（{exc.strerror or exc}）")
    return f"{reason}，未能写入 {target}；{kept}。请释放空间或检查权限后重试。"
