"""Start N workers and the proxy, warm them, and stop them all, whatever happens.

Each worker is `python -m etl.serve.worker` (streamlit run dashboard/app.py) on a free
loopback port, with the settings a served dashboard wants: no file watcher (nothing edits the
code of a deployment, and polling the tree costs CPU), no garbage collection forced after
every rerun (Python's own thresholds still collect), one cookie secret for all workers. nginx
(proxy.py) listens on the one public port. Every process is a child of this one, in its own
process group, so stop() (on SIGINT/SIGTERM too) ends them and leaves none behind.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from etl.config import ROOT, env_var
from etl.serve import proxy as nginx
from etl.serve.warm import visit

HEALTH_TIMEOUT_S = 60


class ServeError(RuntimeError):
    """A worker or the proxy could not start; the message says why, in Chinese."""


@dataclass
class Served:
    port: int  # the one port users open
    address: str
    folder: Path  # nginx's config, pid and logs; the workers' logs
    workers: list[subprocess.Popen] = field(default_factory=list)
    worker_ports: list[int] = field(default_factory=list)
    proxy: subprocess.Popen | None = None
    warm_seconds: float = 0.0
    warm_errors: list[str] = field(default_factory=list)

    def url(self, path: str = "") -> str:
        host = "127.0.0.1" if self.address in ("0.0.0.0", "") else self.address
        return f"http://{host}:{self.port}/{path}"

    def ws_url(self) -> str:
        return self.url().rstrip("/").replace("http://", "ws://", 1)

    def pids(self) -> list[int]:
        """Every process serving: the workers, and the proxy's master and its workers."""
        roots = [p.pid for p in (*self.workers, self.proxy) if p and p.poll() is None]
        return process_tree(roots)

    def failed(self) -> str | None:
        """Which process has exited on its own, if any (the server is then not whole)."""
        for name, process in [
            ("nginx", self.proxy),
            *((f"worker {n}", w) for n, w in enumerate(self.workers, 1)),
        ]:
            if process is not None and process.poll() is not None:
                return f"{name}（退出码 {process.returncode}）"
        return None

    def stop(self) -> None:
        """End the proxy first (no new requests), then the workers; kill what lingers."""
        for process in [self.proxy, *self.workers]:
            if process is not None and process.poll() is None:
                _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for process in [self.proxy, *self.workers]:
            if process is None:
                continue
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)


def start(
    *,
    db: Path | None,
    workers: int,
    port: int | None,
    address: str,
    proxy: bool = True,
    warm: bool = True,
) -> Served:
    """Workers (and nginx unless proxy=False, then one worker on the public port), healthy and
    warmed. Raises ServeError; nothing is left running when it does."""
    if workers < 1 or (not proxy and workers != 1):
        raise ServeError("--workers 至少为 1；不用代理（--no-proxy）时只能有 1 个进程。")
    binary = proxy and proxy_binary()
    public = port or free_port()
    served = Served(public, address, Path(tempfile.mkdtemp(prefix="convergence-serve-")))
    try:
        served.worker_ports = [free_port() for _ in range(workers)] if proxy else [public]
        env = _worker_env(db)
        bind = "127.0.0.1" if proxy else address
        for n, worker_port in enumerate(served.worker_ports, start=1):
            served.workers.append(
                _worker(worker_port, bind, env, served.folder / f"worker-{n}.log")
            )
        for process, worker_port in zip(served.workers, served.worker_ports, strict=True):
            _wait_healthy(process, worker_port, served.folder)
        if warm:
            started = time.perf_counter()
            for worker_port in served.worker_ports:
                served.warm_errors += visit(f"ws://127.0.0.1:{worker_port}")
            served.warm_seconds = time.perf_counter() - started
        if binary:
            config = nginx.write_config(
                served.folder, served.address, served.port, served.worker_ports
            )
            served.proxy = _spawn(nginx.command(binary, config), served.folder / "nginx.out")
            _wait_healthy(served.proxy, public, served.folder, host=served.url().split("/")[2])
    except BaseException:
        served.stop()
        raise
    return served


def proxy_binary() -> str:
    binary = nginx.nginx_binary()
    if binary is None:
        raise ServeError(nginx.NGINX_MISSING)
    return binary


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_COOKIE_SECRET = secrets.token_hex(
    32
)  # one for every worker of this launch (a CLI flag may not set it)


def _worker_env(db: Path | None) -> dict[str, str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "STREAMLIT_SERVER_COOKIE_SECRET": _COOKIE_SECRET}
    if db is not None:
        env[env_var("db")] = str(Path(db).resolve())
    return env


def _worker(port: int, address: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "etl.serve.worker",
        "--server.port",
        str(port),
        "--server.address",
        address,
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--runner.postScriptGC",
        "false",
        "--browser.gatherUsageStats",
        "false",
    ]
    return _spawn(command, log, env)


def _spawn(command: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own group: stop() ends it and whatever it started
        )


def _wait_healthy(
    process: subprocess.Popen, port: int, folder: Path, host: str | None = None
) -> None:
    url = f"http://{host or f'127.0.0.1:{port}'}/_stcore/health"
    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServeError(f"进程退出（退出码 {process.returncode}），日志：\n{_logs(folder)}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    raise ServeError(f"{url} 在 {HEALTH_TIMEOUT_S} 秒内没有响应，日志：\n{_logs(folder)}")


def _logs(folder: Path, lines: int = 30) -> str:
    return "\n".join(
        f"[{p.name}] " + "\n".join(p.read_text(errors="replace").splitlines()[-lines:])
        for p in sorted(folder.glob("*.log")) + sorted(folder.glob("*.out"))
    )


def _signal_group(process: subprocess.Popen, sig: signal.Signals) -> None:
    with suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def process_tree(roots: list[int]) -> list[int]:
    """The processes and all their descendants (from /proc)."""
    found, todo = [], list(roots)
    while todo:
        pid = todo.pop()
        found.append(pid)
        for children in Path(f"/proc/{pid}/task").glob("*/children"):
            try:
                todo += [int(c) for c in children.read_text().split()]
            except OSError:
                continue
    return found
