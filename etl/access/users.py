"""Dashboard users (用户): the users file, password hashes, lock-out and sessions.

- The users file is data/users.toml (git-ignored; $CONVERGENCE_USERS to move it), written
  only by `python -m etl user …`, with mode 600. It holds argon2id hashes, never a password.
- Lock-out: 5 failed sign-ins within 15 minutes lock the name until the oldest of them is
  15 minutes old. The count is read from the audit log, so it survives a restart and is the
  same for every process; a successful sign-in, a new password or `user unlock` resets it.
- Sessions are signed tokens (itsdangerous, HMAC with the key in the users file): the name,
  when the session began, and a fingerprint of the password hash; the signature's own
  timestamp says when it was last used. A token
  expires after 8 hours unused or 12 hours in all, and dies with a password change or a
  disabled account. Each check returns a refreshed token to keep.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import secrets
import threading
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

import tomli_w
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer

from etl.access import audit
from etl.access.scopes import Scope
from etl.config import setting_path
from etl.writing import chinese_write_errors, writer_lock

MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
SESSION_IDLE = timedelta(hours=8)
SESSION_MAX = timedelta(hours=12)
MIN_PASSWORD_CHARS = 10

_NAME = re.compile(r"[\w.\-]{1,32}")
_UNKNOWN = "（未知用户名）"  # a mistyped password in the name field is never logged
_RESET_ACTIONS = ("sign_in", "user_passwd", "user_unlock")


class UserError(ValueError):
    """A request about users that cannot be done; the message is for the user (Chinese)."""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    province: str | None
    disabled: bool
    created_at: datetime
    password_hash: str

    def __repr__(self) -> str:  # the hash stays out of logs and tracebacks
        return f"User({self.name!r}, {self.role!r}, {self.province!r})"

    @property
    def scope(self) -> Scope:
        return Scope.of(self.role, self.province)


def users_path(explicit: str | os.PathLike | None = None) -> Path:
    """The users file: an explicit path wins, then $CONVERGENCE_USERS, then data/users.toml."""
    return setting_path("users", explicit)


def has_users(path: str | os.PathLike | None = None) -> bool:
    """False means demo mode: no sign-in, a banner and a role switcher."""
    return bool(_read(users_path(path))["users"])


def load_users(path: str | os.PathLike | None = None) -> dict[str, User]:
    return {name: _user(name, spec) for name, spec in _read(users_path(path))["users"].items()}


# ---- managing users (the CLI; `by` names who did it, for the audit log) -------------------


def add_user(
    name: str, role: str, province: str | None, password: str, *, by: str = "命令行", path=None
) -> User:
    """Create a user; the role and province are checked as a scope is."""
    if not _NAME.fullmatch(name):
        raise UserError("用户名只能包含字母、数字、汉字、下划线、点和连字符，最多 32 个字符")
    scope = Scope.of(role, province)
    _check_password(password)
    with _editing(users_path(path)) as data:
        if name in data["users"]:
            raise UserError(f"用户 {name} 已存在；修改密码请用 user passwd {name}")
        data["users"][name] = {
            "role": scope.role,
            "province": scope.province or "",
            "password_hash": _hasher().hash(password),
            "disabled": False,
            "created_at": datetime.now().replace(microsecond=0),
        }
    audit.record(name, "user_add", f"{scope.label}；操作者：{by}", role=scope.key)
    return load_users(path)[name]


def set_password(name: str, password: str, *, by: str = "命令行", path=None) -> None:
    """A new password; sessions signed for the old one stop working, lock-out is lifted."""
    _check_password(password)
    _store_hash(name, _hasher().hash(password), path)
    audit.record(name, "user_passwd", f"操作者：{by}", role=_scope_key(name, path))


def disable_user(name: str, *, by: str = "命令行", path=None) -> None:
    """The account can no longer sign in; its sessions end at their next check."""
    with _editing(users_path(path)) as data:
        _existing(data, name)["disabled"] = True
    audit.record(name, "user_disable", f"操作者：{by}", role=_scope_key(name, path))


def unlock_user(name: str, *, by: str = "命令行", path=None) -> None:
    """Lift a lock-out before its 15 minutes are up."""
    if name not in load_users(path):
        raise UserError(f"没有用户 {name}")
    audit.record(name, "user_unlock", f"操作者：{by}", role=_scope_key(name, path))


# ---- signing in -----------------------------------------------------------------------------


def authenticate(
    name: str, password: str, *, path=None, now: datetime | None = None
) -> User | None:
    """The user, if the password is right and the name is neither locked nor disabled.

    Every attempt is written to the audit log; see `locked_until` for why one was refused.
    Counting the failures, checking the password and recording the outcome happen under one
    lock per name (across threads and processes): parallel guesses queue, so no more than
    MAX_FAILURES passwords are ever checked in a window.
    """
    now = now or datetime.now()
    user = load_users(path).get(name)
    if user is None:
        _verify(_dummy_hash(), password)  # as slow as a real check: names cannot be probed
        audit.record(_UNKNOWN, "sign_in_failed", "用户名不存在", at=now)
        return None
    with _signing_in(name):
        return _checked_sign_in(user, password, path, now)


def _checked_sign_in(user: User, password: str, path, now: datetime) -> User | None:
    """count failures → verify → record, for a known name (the caller holds its lock)."""
    name = user.name
    if locked_until(name, now=now):
        _verify(_dummy_hash(), password)  # the password is not checked, but as slowly
        audit.record(name, "sign_in_locked", "连续失败次数过多", role=user.scope.key, at=now)
        return None
    if not _verify(user.password_hash, password) or user.disabled:
        reason = "账户已停用" if user.disabled else "密码错误"
        audit.record(name, "sign_in_failed", reason, role=user.scope.key, at=now)
        return None
    if _hasher().check_needs_rehash(user.password_hash):  # the hashing parameters were raised
        _store_hash(name, _hasher().hash(password), path)
        user = load_users(path)[name]
    audit.record(name, "sign_in", "", role=user.scope.key, at=now)
    return user


_name_locks: dict[str, threading.Lock] = {}
_name_locks_guard = threading.Lock()


@contextmanager
def _signing_in(name: str) -> Iterator[None]:
    """One sign-in per name at a time: a thread lock (POSIX record locks do not exclude the
    threads of one process) and a byte-range lock beside the audit file (other processes)."""
    with _name_locks_guard:
        local = _name_locks.setdefault(name, threading.Lock())
    target = audit.audit_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    offset = int(hashlib.sha256(name.encode()).hexdigest()[:8], 16)
    with local, open(target.with_name(target.name + ".sign-in.lock"), "a") as handle:
        fcntl.lockf(handle, fcntl.LOCK_EX, 1, offset)
        yield


def locked_until(name: str, *, now: datetime | None = None) -> datetime | None:
    """When the name can try again, if it is locked now."""
    now = now or datetime.now()
    recent = audit.events(who=name, since=now - FAILURE_WINDOW)
    resets = recent.filter(recent["action"].is_in(_RESET_ACTIONS))
    if resets.height:
        recent = recent.filter(recent["logged_at"] > resets["logged_at"].max())
    failures = recent.filter(recent["action"] == "sign_in_failed")["logged_at"].sort()
    if failures.len() < MAX_FAILURES:
        return None
    until = failures[-MAX_FAILURES] + FAILURE_WINDOW
    return until if until > now else None


# ---- sessions -------------------------------------------------------------------------------


def issue_session(user: User, *, path=None, now: datetime | None = None) -> str:
    """A signed session token for a user who has just signed in (via `authenticate`)."""
    claims = {
        "u": user.name,
        "t": int((now or datetime.now()).timestamp()),
        "k": _fingerprint(user),
    }
    return _serializer(path, now).dumps(claims)


def check_session(token: str, *, path=None, now: datetime | None = None) -> tuple[User, str] | None:
    """(the user, a refreshed token) while the session is valid, else None.

    The token's own signing time is when it was last used (each check re-signs it), so its
    age is the idle time: more than 8 hours and it has expired. "t" is when the session began.
    """
    serializer = _serializer(path, now)
    if serializer is None:
        return None
    try:
        claims = serializer.loads(token or "", max_age=int(SESSION_IDLE.total_seconds()))
    except BadSignature:  # forged, re-keyed, tampered, idle too long, or from the future
        return None
    if not _well_formed(claims):
        return None
    age = int((now or datetime.now()).timestamp()) - claims["t"]
    if age > SESSION_MAX.total_seconds() or age < 0:
        return None
    user = load_users(path).get(claims["u"])
    if user is None or user.disabled or claims["k"] != _fingerprint(user):
        return None
    return user, serializer.dumps(claims)


class _Signer(TimestampSigner):
    """itsdangerous's timestamp signer, with the clock a test may set."""

    def __init__(self, *args: object, now: datetime | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._now = now

    def get_timestamp(self) -> int:
        return int((self._now or datetime.now()).timestamp())


def _serializer(path, now: datetime | None) -> URLSafeTimedSerializer | None:
    """Signs with the key in the users file (made with the first user); None without one."""
    key = _read(users_path(path))["settings"].get("session_secret", "")
    if not key:
        return None
    return URLSafeTimedSerializer(
        bytes.fromhex(key), salt="convergence-session", signer=_Signer, signer_kwargs={"now": now}
    )


def _well_formed(claims: object) -> bool:
    shape = {"u": str, "t": int, "k": str}
    return isinstance(claims, dict) and all(isinstance(claims.get(k), v) for k, v in shape.items())


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


# ---- the file -------------------------------------------------------------------------------


def _read(path: Path) -> dict:
    if not path.exists():
        return {"settings": {}, "users": {}}
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    return {"settings": data.get("settings", {}), "users": data.get("users", {})}


@contextmanager
def _editing(path: Path) -> Iterator[dict]:
    """Read, change and write the users file atomically, one writer at a time."""
    with writer_lock(path):
        data = _read(path)
        data["settings"].setdefault("session_secret", secrets.token_hex(32))
        yield data
        fresh = path.with_name(path.name + ".writing")
        try:
            with chinese_write_errors(path, "用户文件保持原样"):
                fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(_toml(data))
                os.replace(fresh, path)
        finally:
            fresh.unlink(missing_ok=True)


_HEADER = (
    "# 看板用户：由 python -m etl user … 维护，请勿手工编辑，也不要提交到 git。\n"
    "# 密码只以 argon2id 散列保存。\n\n"
)


def _toml(data: dict) -> str:
    ordered = {"settings": data["settings"], "users": dict(sorted(data["users"].items()))}
    return _HEADER + tomli_w.dumps(ordered)


def _user(name: str, spec: dict) -> User:
    return User(
        name=name,
        role=spec["role"],
        province=spec.get("province") or None,
        disabled=spec.get("disabled", False),
        created_at=spec.get("created_at"),
        password_hash=spec["password_hash"],
    )


def _store_hash(name: str, password_hash: str, path) -> None:
    with _editing(users_path(path)) as data:
        _existing(data, name)["password_hash"] = password_hash


def _scope_key(name: str, path) -> str:
    return load_users(path)[name].scope.key


def _existing(data: dict, name: str) -> dict:
    if name not in data["users"]:
        raise UserError(f"没有用户 {name}；已有的用户：{'、'.join(data['users']) or '无'}")
    return data["users"][name]


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise UserError(f"密码至少 {MIN_PASSWORD_CHARS} 个字符")


# ---- hashing --------------------------------------------------------------------------------


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2id, RFC 9106 low-memory profile (t=3, m=64 MiB, p=4)


@cache
def _dummy_hash() -> str:
    return _hasher().hash(secrets.token_hex(16))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
