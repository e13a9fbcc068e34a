"""上传导入 as an admin uses it: what is uploaded is what is checked and loaded."""

from __future__ import annotations

from pathlib import Path

import pytest
from page_reading import APP, PAGES, texts
from streamlit.testing.v1 import AppTest

from etl.config import env_var

PENDING = "_upload_pending"  # dashboard/views/upload.py (importing a page runs it)
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "load"


def _halves() -> tuple[bytes, bytes]:
    """The small submissions fixture cut in two files, each with the header."""
    header, *lines = (FIXTURES / "submissions_small.csv").read_bytes().splitlines(keepends=True)
    return header + b"".join(lines[:2]), header + b"".join(lines[2:])


def test_two_files_with_one_name_are_both_checked(
    demo_db_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two 申报表.csv from two folders: 2 files and all their rows, not the last one alone."""
    monkeypatch.setenv(env_var("db"), str(demo_db_copy))
    admin = AppTest.from_file(str(APP), default_timeout=120)
    admin.query_params["role"] = "admin"
    admin.switch_page(PAGES["上传导入"]).run()
    first, second = _halves()
    uploads = [("申报表.csv", first, "text/csv"), ("申报表.csv", second, "text/csv")]
    admin.get("file_uploader")[0].set_value(uploads)
    admin.run()
    next(b for b in admin.button if b.label == "检查文件").click()
    admin.run()
    assert not admin.exception, texts(admin)
    files = admin.session_state[PENDING]["files"]
    assert files.height == 2
    assert files["rows_read"].sum() == 5
    assert "数据质量检查：2 个文件" in admin.session_state[PENDING]["report"]
