"""nginx in front of the workers, configured in a folder of its own (pid, logs, temp files),
so that it runs as any user and leaves nothing behind.

Affinity: a Streamlit session lives in one worker's memory (its websocket, its uploads, its
downloads under /media), so every request of a browser must reach the same worker. nginx
hashes on a cookie it sets on the first response (`convergence_route`, random); requests
without it yet (the first page load, static files: the same on every worker) go anywhere.
ip_hash would send a whole office behind one NAT address to one worker.
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROUTE_COOKIE = "convergence_route"
NGINX_MISSING = (
    "找不到 nginx：多进程服务需要 Debian 的 nginx（apt-get install nginx，或 bash .ci/setup --browser）。"
    "也可以只用一个进程：--workers 1 --no-proxy。"
)


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )


def write_config(folder: Path, address: str, port: int, workers: list[int]) -> Path:
    """nginx.conf in `folder` for a proxy on address:port to the workers' loopback ports."""
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    upstream = "\n".join(f"    server 127.0.0.1:{p} max_fails=0;" for p in workers)
    text = f"""# written by python -m etl serve; removed when it stops
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {folder}/body;
  proxy_temp_path {folder}/proxy;
  fastcgi_temp_path {folder}/fastcgi;
  uwsgi_temp_path {folder}/uwsgi;
  scgi_temp_path {folder}/scgi;
  client_max_body_size 200m;
  map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}
  map $cookie_{ROUTE_COOKIE} $route {{ "" $request_id; default $cookie_{ROUTE_COOKIE}; }}
  map $cookie_{ROUTE_COOKIE} $route_cookie {{
    "" "{ROUTE_COOKIE}=$request_id; Path=/; HttpOnly; SameSite=Lax";
    default "";
  }}
  upstream workers {{
    hash $route consistent;
{upstream}
  }}
  server {{
    listen {address}:{port};
    location / {{
      proxy_pass http://workers;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_read_timeout 1d;
      proxy_send_timeout 1d;
      proxy_buffering off;
      add_header Set-Cookie $route_cookie always;
    }}
  }}
}}
"""
    path = folder / "nginx.conf"
    path.write_text(text, encoding="utf-8")
    return path


def command(binary: str, config: Path) -> list[str]:
    """-e: the error log before the configuration is read (else /var/log/nginx, root's)."""
    folder = config.parent
    return [binary, "-p", str(folder), "-c", str(config), "-e", str(folder / "error.log")]
