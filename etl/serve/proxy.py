"""nginx in front of the workers, configured in a folder of its own (pid, logs, temp files),
so that it runs as any user and leaves nothing behind.

Affinity: a Streamlit session lives in one worker's memory (its websocket, its uploads, its
downloads under /media), so every request of a browser must reach the same worker. nginx
hashes on a cookie it sets on the first response (`convergence_route`, random); requests
without it yet (the first page load, static files: the same on every worker) go anywhere.
ip_hash would send a whole office behind one NAT address to one worker.

A first visit: Streamlit's scripts (hashed file names, the same on every worker) are served
by nginx itself from the installed package, compressed and cached for a year, so no worker
spends its time on them and a bureau on a slow line fetches a third of the bytes. The page
also asks for Plotly's script (4.7 MB, loaded only once the first chart arrives) as it loads,
so it is fetched and compiled while the session starts instead of after.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import streamlit

ROUTE_COOKIE = "convergence_route"
NGINX_MISSING = (
    "找不到 nginx：多进程服务需要 Debian 的 nginx（apt-get install nginx，或 bash .ci/setup --browser）。"
    "也可以只用一个进程：--workers 1 --no-proxy。"
)


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )


STATIC = Path(streamlit.__file__).parent / "static"
EARLY = ("PlotlyChart",)  # scripts loaded on demand that most pages need


def preload_links(static: Path = STATIC) -> str:
    """<link rel=modulepreload> for the EARLY scripts of this Streamlit build, by file name."""
    found = sorted(
        p.name for name in EARLY for p in (static / "static" / "js").glob(f"{name}.*.js")
    )
    return "".join(f'<link rel="modulepreload" crossorigin href="./static/js/{n}">' for n in found)


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
  gzip_types application/javascript text/css application/json image/svg+xml;
  gzip_min_length 1024;
  gzip_comp_level 5;
  server {{
    listen {address}:{port};
    location /static/ {{
      alias {STATIC}/static/;
      types {{
        application/javascript js; text/css css; font/woff2 woff2; image/png png;
        image/gif gif; image/svg+xml svg; application/json json; text/html html;
      }}
      default_type application/octet-stream;
      gzip on;
      add_header Cache-Control "public, max-age=31536000, immutable";
    }}
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
      proxy_set_header Accept-Encoding "";
      sub_filter '</head>' '{preload_links()}</head>';
      sub_filter_once on;
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
