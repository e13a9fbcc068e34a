"""Users: hashes not passwords, lock-out that survives a restart, sessions that expire."""

from __future__ import annotations

import stat
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from itsdangerous import URLSafeTimedSerializer

from etl.access import audit, users
from etl.access.users import (
    UserError,
    add_user,
    authenticate,
    check_session,
    disable_user,
    has_users,
    issue_session,
    locked_until,
    set_password,
    unlock_user,
)
from etl.config import ROOT, env_var
from tests.cli_runner import run_etl

PASSWORD = "浙江融媒-2024-secret"
T0 = datetime.now().replace(microsecond=0) + timedelta(hours=2)  # after the fixture's user_add
# (hours, not minutes: the suite may reach this module minutes after it was collected)


@pytest.fixture(autouse=True)
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    paths = {"users": tmp_path / "users.toml", "audit": tmp_path / "audit.duckdb"}
    monkeypatch.setenv(env_var("users"), str(paths["users"]))
    monkeypatch.setenv(env_var("audit"), str(paths["audit"]))
    return paths


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with test-sized costs (the real ones take ~0.1 s a check, by design)."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(users, "_hasher", lambda: cheap)
    monkeypatch.setattr(users, "_dummy_hash", lambda: cheap.hash("dummy"))


@pytest.fixture
def bureau_user() -> users.User:
    return add_user("zj_bureau", "bureau", "浙江省", PASSWORD)


def fail(name: str, times: int, start: datetime = T0) -> None:
    for i in range(times):
        assert authenticate(name, "wrong password!", now=start + timedelta(minutes=i)) is None


def test_no_users_file_means_demo_mode() -> None:
    assert not has_users()


def test_the_file_holds_a_hash_never_the_password(bureau_user, files) -> None:
    text = files["users"].read_text(encoding="utf-8")
    assert PASSWORD not in text and "$argon2id$" in text
    assert stat.S_IMODE(files["users"].stat().st_mode) == 0o600
    assert PASSWORD not in str(audit.events()["detail"].to_list())
    assert PASSWORD not in repr(bureau_user) and "argon2" not in repr(bureau_user)
    assert has_users()
    assert (bureau_user.role, bureau_user.province) == ("bureau", "浙江")


@pytest.mark.parametrize(
    "name, role, province, password, message",
    [
        ("a b", "researcher", None, PASSWORD, "用户名只能包含"),
        ("ok", "researcher", None, "short", "密码至少 10 个字符"),
        ("ok", "bureau", None, PASSWORD, "省局用户必须指定省份"),
        ("ok", "superuser", None, PASSWORD, "没有角色"),
    ],
)
def test_a_bad_user_is_not_added(name, role, province, password, message) -> None:
    with pytest.raises(ValueError, match=message):
        add_user(name, role, province, password)
    assert not has_users()


def test_the_right_password_signs_in_and_is_logged(bureau_user) -> None:
    user = authenticate("zj_bureau", PASSWORD, now=T0)
    assert user is not None and user.scope.key == "bureau:浙江"
    assert audit.events().select("who", "action").rows()[-1] == ("zj_bureau", "sign_in")


def test_a_wrong_password_is_counted(bureau_user) -> None:
    fail("zj_bureau", 2)
    failed = audit.events().filter(audit.events()["action"] == "sign_in_failed")
    assert failed.select("who", "detail").rows() == [("zj_bureau", "密码错误")] * 2
    assert locked_until("zj_bureau", now=T0 + timedelta(minutes=2)) is None


def test_an_unknown_name_is_not_written_down(bureau_user) -> None:
    """Someone who types the password into the name field must not find it in the log."""
    assert authenticate(PASSWORD, PASSWORD, now=T0) is None
    assert audit.events().select("who", "action").rows()[-1] == ("（未知用户名）", "sign_in_failed")
    assert PASSWORD not in str(audit.events().rows())


def test_five_failures_lock_the_name_for_fifteen_minutes(bureau_user) -> None:
    fail("zj_bureau", 5)
    after = T0 + timedelta(minutes=5)
    assert locked_until("zj_bureau", now=after) == T0 + timedelta(minutes=15)
    assert authenticate("zj_bureau", PASSWORD, now=after) is None  # right password, still locked
    assert audit.events()["action"].to_list()[-1] == "sign_in_locked"
    assert authenticate("zj_bureau", PASSWORD, now=T0 + timedelta(minutes=16)) is not None


def test_four_failures_spread_out_do_not_lock(bureau_user) -> None:
    fail("zj_bureau", 4)
    fail("zj_bureau", 1, start=T0 + timedelta(minutes=20))
    assert authenticate("zj_bureau", PASSWORD, now=T0 + timedelta(minutes=21)) is not None


def test_a_success_resets_the_count(bureau_user) -> None:
    fail("zj_bureau", 4)
    assert authenticate("zj_bureau", PASSWORD, now=T0 + timedelta(minutes=4)) is not None
    fail("zj_bureau", 4, start=T0 + timedelta(minutes=5))
    assert locked_until("zj_bureau", now=T0 + timedelta(minutes=9)) is None


def test_the_lock_survives_a_restart(bureau_user, files) -> None:
    fail("zj_bureau", 5, start=datetime.now() - timedelta(minutes=5))
    code = "from etl.access.users import locked_until; print(locked_until('zj_bureau') is not None)"
    env = {
        "PATH": "/usr/bin:/bin",
        env_var("users"): str(files["users"]),
        env_var("audit"): str(files["audit"]),
    }
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.stdout.strip() == "True", done.stderr


def test_an_admin_can_unlock(bureau_user) -> None:
    now = datetime.now()
    fail("zj_bureau", 5, start=now - timedelta(minutes=6))
    assert locked_until("zj_bureau") is not None
    unlock_user("zj_bureau")
    assert authenticate("zj_bureau", PASSWORD) is not None


def test_a_disabled_user_cannot_sign_in(bureau_user) -> None:
    disable_user("zj_bureau")
    assert authenticate("zj_bureau", PASSWORD, now=T0) is None
    assert audit.events()["detail"].to_list()[-1] == "账户已停用"


def test_a_session_lasts_while_used(bureau_user) -> None:
    token = issue_session(bureau_user, now=T0)
    for hours in (7, 11):  # used within 8 hours each time, and within 12 in all
        checked = check_session(token, now=T0 + timedelta(hours=hours))
        assert checked is not None and checked[0].name == "zj_bureau"
        token = checked[1]
    assert check_session(token, now=T0 + timedelta(hours=12, minutes=1)) is None


def test_a_session_idle_for_8_hours_expires(bureau_user) -> None:
    token = issue_session(bureau_user, now=T0)
    assert check_session(token, now=T0 + timedelta(hours=8, minutes=1)) is None


@pytest.mark.parametrize("change", ["password", "disable"])
def test_a_session_ends_with_a_new_password_or_a_disabled_account(bureau_user, change) -> None:
    token = issue_session(bureau_user, now=T0)
    if change == "password":
        set_password("zj_bureau", "another long password")
    else:
        disable_user("zj_bureau")
    assert check_session(token, now=T0 + timedelta(minutes=1)) is None


def test_a_forged_session_is_refused(bureau_user, tmp_path) -> None:
    token = issue_session(bureau_user, now=T0)
    forged = URLSafeTimedSerializer(b"not the server's key", salt="convergence-session")
    claims = {"u": "boss", "t": int(T0.timestamp()), "k": "x"}
    assert check_session(forged.dumps(claims), now=T0) is None
    assert check_session(token[:-2] + ("AA" if not token.endswith("AA") else "BB"), now=T0) is None
    assert check_session("", now=T0) is None
    elsewhere = tmp_path / "other.toml"
    add_user("zj_bureau", "bureau", "浙江", PASSWORD, path=elsewhere)
    assert check_session(token, path=elsewhere, now=T0) is None  # another server's key


def test_cli_adds_and_lists_users(files) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        env_var("users"): str(files["users"]),
        env_var("audit"): str(files["audit"]),
    }

    def etl(*args: str, stdin: str = ""):
        return run_etl("user", *args, env=env, stdin=stdin)

    added = etl("add", "li_yan", "--role", "researcher", "--password-stdin", stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    assert "已添加用户 li_yan（研究人员）" in added.stdout
    stored = files["users"].read_text(encoding="utf-8")
    assert "$argon2id$v=19$" in stored and PASSWORD not in stored  # a hash, never the password
    listed = etl("list")
    assert "li_yan" in listed.stdout and "研究人员" in listed.stdout and "正常" in listed.stdout
    with pytest.raises(UserError, match="已存在"):
        add_user("li_yan", "researcher", None, PASSWORD)
    with pytest.raises(UserError, match="没有用户"):
        set_password("nobody", PASSWORD)


def test_parallel_guesses_verify_at_most_five_passwords(bureau_user, monkeypatch) -> None:
    """30 wrong guesses at once: the lock-out holds, only 5 passwords are ever checked."""
    checked = []
    real_verify = users._verify

    def counting(password_hash: str, password: str) -> bool:
        if password_hash == bureau_user.password_hash:
            checked.append(password)
        return real_verify(password_hash, password)

    monkeypatch.setattr(users, "_verify", counting)
    guesses = [f"wrong guess {i:02d}" for i in range(29)] + [PASSWORD]
    with ThreadPoolExecutor(max_workers=30) as pool:
        signed_in = list(pool.map(lambda p: authenticate("zj_bureau", p, now=T0), guesses))
    assert len(checked) <= users.MAX_FAILURES
    actions = audit.events()["action"].to_list()
    assert actions.count("sign_in_failed") + actions.count("sign_in") == len(checked)
    assert actions.count("sign_in_locked") == len(guesses) - len(checked)
    if PASSWORD not in checked:
        assert all(u is None for u in signed_in)


_GUESSER = """
import sys, time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from argon2 import PasswordHasher
from etl.access import users
cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
users._hasher = lambda: cheap
real_verify = users._verify
def slow_verify(password_hash, password):  # as long as a real argon2id check takes
    time.sleep(0.05)
    return real_verify(password_hash, password)
users._verify = slow_verify
go, now, threads = Path(sys.argv[1]), datetime.fromisoformat(sys.argv[2]), int(sys.argv[3])
go.with_name(f"ready-{sys.argv[4]}").touch()
while not go.exists():
    time.sleep(0.001)
guesses = [f"wrong guess {sys.argv[4]}-{i}" for i in range(threads)]
with ThreadPoolExecutor(max_workers=threads) as pool:
    signed_in = list(pool.map(lambda p: users.authenticate("zj_bureau", p, now=now), guesses))
assert all(u is None for u in signed_in)
"""


def test_guesses_from_several_server_processes_verify_at_most_five(bureau_user, files, tmp_path):
    """`etl serve` runs several workers: 4 processes × 6 threads guessing at once share one
    lock-out (the lock beside the audit file, not only a lock in one process's memory)."""
    go = tmp_path / "go"
    env = {
        "PATH": "/usr/bin:/bin",
        env_var("users"): str(files["users"]),
        env_var("audit"): str(files["audit"]),
    }
    guessers = [
        subprocess.Popen(
            [sys.executable, "-c", _GUESSER, str(go), T0.isoformat(), "6", str(n)],
            cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True,
        )
        for n in range(4)
    ]  # fmt: skip
    ready = [tmp_path / f"ready-{n}" for n in range(4)]
    deadline = time.monotonic() + 60
    while not all(r.exists() for r in ready) and time.monotonic() < deadline:
        time.sleep(0.01)  # every process imported and waiting at the start line
    go.touch()
    for guesser in guessers:
        assert guesser.wait(120) == 0, guesser.stderr.read()
    actions = audit.events()["action"].to_list()
    assert actions.count("sign_in_failed") == users.MAX_FAILURES
    assert actions.count("sign_in_locked") == 4 * 6 - users.MAX_FAILURES
