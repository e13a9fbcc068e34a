"""The write path under faults: a full disk, a demo beside a load, an audit file left empty.

A fault never leaves a half-written file behind, never a raw traceback, and never a warehouse
other than the one before or the one a completed load makes (issue 10). A full disk is
simulated by making the write or the copy raise OSError(ENOSPC): the real disk is not filled.
"""

from __future__ import annotations

import errno
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from etl.access import audit, users
from etl.config import ROOT, env_var
from etl.pipeline import load as load_module
from etl.pipeline.load import load
from tests.cli_runner import run_etl
from tests.warehouse_state import fingerprint, rows

FIXTURES = Path(__file__).parent / "fixtures" / "load"
SMALL = [FIXTURES / f"{kind}_small.csv" for kind in ("submissions", "scores", "outcomes")]


def _full_disk(*args: object, **kwargs: object):
    raise OSError(errno.ENOSPC, "No space left on device")


def _copy_until_full(source: str, target: str, **kwargs: object) -> None:
    """Half the file is written, then the disk is full (as shutil.copyfile meets it)."""
    data = Path(source).read_bytes()
    Path(target).write_bytes(data[: len(data) // 2])
    _full_disk()


@pytest.fixture
def small_db(tmp_path: Path) -> Path:
    db = tmp_path / "w.duckdb"
    load(SMALL[:1], db, progress=False)
    return db


def test_disk_full_during_the_copy_leaves_nothing_half_written(
    small_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = fingerprint(small_db)
    monkeypatch.setattr(load_module.shutil, "copyfile", _copy_until_full)
    done = run_etl("--quiet", "--db", str(small_db), "load", str(SMALL[1]))
    assert done.returncode == 2
    assert "磁盘空间不足" in done.stderr and "仓库保持原样" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert not list(small_db.parent.glob("*.building-*"))
    assert fingerprint(small_db) == before


def test_disk_full_while_building_says_so_in_chinese(
    small_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = fingerprint(small_db)
    monkeypatch.setattr(load_module, "build", _full_disk)
    done = run_etl("--quiet", "--db", str(small_db), "load", str(SMALL[1]))
    assert done.returncode == 2 and "磁盘空间不足" in done.stderr
    assert not list(small_db.parent.glob("*.building-*"))
    assert fingerprint(small_db) == before


def test_disk_full_while_writing_the_users_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {env_var("users"): str(tmp_path / "users.toml"), env_var("audit"): str(tmp_path / "a")}
    monkeypatch.setattr(users.os, "replace", _full_disk)
    done = run_etl(
        "user", "add", "li", "--role", "researcher", "--password-stdin",
        env=env, stdin="a long enough password\n",
    )  # fmt: skip
    assert done.returncode == 2 and "磁盘空间不足" in done.stderr, done.stderr
    assert not list(tmp_path.glob("users.toml*.writing"))


def test_an_audit_file_left_empty_by_a_full_disk_recovers(tmp_path: Path) -> None:
    """A full disk can leave the log created but 0 bytes long; once space is free, it works."""
    log = tmp_path / "audit.duckdb"
    log.touch()
    audit.record("张三", "upload", "申报表.csv", 5, path=log)
    assert audit.events(log).select("who", "action").rows() == [("张三", "upload")]


def test_a_demo_never_replaces_loaded_data(small_db: Path) -> None:
    before = fingerprint(small_db)
    done = run_etl("--quiet", "--db", str(small_db), "demo")
    assert done.returncode == 2
    assert "1 个真实数据文件" in done.stderr and "仓库保持原样" in done.stderr
    assert fingerprint(small_db) == before


def _etl(db: Path, *args: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "etl", "--quiet", "--db", str(db), *args]
    return subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )


def _wait_for(found, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not found() and time.monotonic() < deadline:
        time.sleep(0.005)
    assert found(), what


@pytest.mark.slow
def test_a_demo_beside_a_load_does_not_lose_the_load(demo_db: Path, tmp_path: Path) -> None:
    """The load started first: the demo waits for it, then refuses to replace what it loaded."""
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(demo_db, db)
    loading = _etl(db, "load", str(SMALL[0]))
    _wait_for(lambda: list(tmp_path.glob("warehouse.duckdb.building-*")), "the load never built")
    demo = _etl(db, "demo")
    assert loading.wait(120) == 0
    demo_code, demo_err = demo.wait(120), demo.stderr.read()
    loaded = rows(db, "select file_name from meta.load_files where status = 'loaded'")
    assert ("submissions_small.csv",) in loaded
    assert demo_code == 2 and "演示仓库不会覆盖它" in demo_err


def test_a_file_over_the_size_limit_is_rejected_naming_the_limit(
    small_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(env_var("max_file_mb"), "0.0005")  # 524 bytes
    before = fingerprint(small_db)
    run = load(SMALL[1:2], small_db, progress=False)
    assert [f.status for f in run.files] == ["rejected"]
    assert "超过上限" in run.files[0].message and env_var("max_file_mb") in run.files[0].message
    assert fingerprint(small_db) == before


def _zip_bomb(path: Path, megabytes: int) -> Path:
    """An .xlsx-shaped zip whose one sheet unpacks to `megabytes` of zeros (a few KB packed)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = b"0" * 2**20
            for _ in range(megabytes):
                sheet.write(chunk)
    return path


def test_a_zip_bomb_is_refused_from_its_directory_before_reading(
    small_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(env_var("max_unzipped_mb"), "50")
    bomb = _zip_bomb(tmp_path / "申报表.xlsx", 64)
    assert bomb.stat().st_size < 2**20
    monkeypatch.setattr(load_module, "read_tables", _never_read)
    run = load([bomb], small_db, progress=False)
    assert [f.status for f in run.files] == ["rejected"]
    message = run.files[0].message
    assert "解压后 64.0 MB，超过上限 50.0 MB" in message and env_var("max_unzipped_mb") in message


def _never_read(path: Path):
    raise AssertionError(f"{path} was read")
