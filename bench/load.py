"""How the key pages hold up under concurrent users, each compared with a bare Django view on the same stack.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/quyche_province .venv/bin/python bench/load.py \
        [--users 20] [--duration 20 | --requests 200] [--pages "tree root" "notifications"] [--workers 4] \
        [--json FILE]

The database is one `manage.py generate_province` built (its city's auditor, `tinh.kiemtra`, visits every
page). The script serves it with gunicorn (quyche/gunicorn.conf.py) in production mode (DEBUG=0, a random
SECRET_KEY, no HTTPS redirect, the API's per-user rate out of the way) with bench/settings.py, which adds
the bare view (`bench/baseline/`: one query, 10 KB, behind the same middleware and login), the same inside
the site's layout (`bench/layout/`, the page named "layout": what base.html costs every page) and an X-Queries
header with each request's query count. It logs --users sessions in through the login form, then for
each page: three requests one after another (the time of one request alone); then --users threads that
each ask for the page again and again for --duration seconds (or --requests requests in all); then the
same for the bare view, so that each page is compared with the bare view measured right after it, under
the same load of the machine. Per page it prints p50 and p95 of the page under load, its throughput, the
ratio of its p95 to the bare view's p95, the bytes (as sent: each request asks for gzip as Chromium does,
unless --identity) and queries of one response, and the time of one request alone.
"""

import argparse
import http.client
import json
import os
import platform
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "/bench/baseline/"
# The bare view's query and text inside the site's layout (base.html): the floor every page pays.
LAYOUT = "/bench/layout/"
TIMEOUT = 60  # seconds a request may wait for its answer before it counts as an error
# What Chromium asks for; a page the site does not compress answers the same (--identity: ask for none).
BROWSER_ENCODINGS = "gzip, deflate, br, zstd"
accept_encoding = BROWSER_ENCODINGS


def key_pages() -> tuple[dict[str, str], str, str]:
    """The pages by name (first the bare layout), and the account that visits them, from the configured database."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quyche.settings")
    import django

    django.setup()
    from demo import province

    return {"layout": LAYOUT, **province.key_pages()}, province.ACCOUNTS["auditor"][0], province.PASSWORD


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(port: int, workers: int | None, log) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "0",
        "API_RATE_USER": "1000000/minute",
        # As deploy/quyche.env.example sets it: each worker keeps its database connection between requests.
        "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),
        # At the hundreds of requests a second measured here, production's 1,000 requests a worker would
        # replace each worker every half minute (a start costs a second of CPU and cold caches): noise that a
        # province's rate, a few requests a second, never makes.
        "GUNICORN_MAX_REQUESTS": os.environ.get("GUNICORN_MAX_REQUESTS", "100000"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    # Production serves collected static files (the manifest names them by their hash).
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    command = [str(Path(sys.executable).with_name("gunicorn")), "-c", "quyche/gunicorn.conf.py"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, *_ = request(port, "/dang-nhap/", {})
            if status == 200:
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not answer within a minute; see its log")


def request(port: int, path: str, cookies: dict, *, method="GET", body=None) -> tuple[int, bytes, dict, float]:
    """One request on a new connection (gunicorn's sync workers close each): status, body, headers, seconds."""
    headers = {"Host": "127.0.0.1", "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    if accept_encoding:
        headers["Accept-Encoding"] = accept_encoding
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
    finally:
        connection.close()
    elapsed = time.perf_counter() - start
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    return response.status, content, response.headers, elapsed


def log_in(port: int, username: str, password: str) -> dict:
    cookies = {}
    _, page, _, _ = request(port, "/dang-nhap/", cookies)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password})
    status, _, _, _ = request(port, "/dang-nhap/", cookies, method="POST", body=form)
    if status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"could not log {username} in (HTTP {status})")
    return cookies


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def run_phase(port: int, sessions: list[dict], path: str, *, duration: float | None, requests: int | None):
    """Every session asks for `path` again and again, for `duration` seconds or `requests` in all:
    (seconds of each answer, errors, seconds the phase took)."""
    times, errors = [], []
    lock = threading.Lock()
    remaining = [requests] if requests else None
    stop_at = time.monotonic() + duration if duration else None

    def worker(cookies):
        while True:
            with lock:
                if remaining is not None:
                    if remaining[0] <= 0:
                        return
                    remaining[0] -= 1
            if stop_at is not None and time.monotonic() >= stop_at:
                return
            try:
                status, _, _, elapsed = request(port, path, cookies)
            except (OSError, http.client.HTTPException) as error:  # a timeout, a worker killed mid-answer
                status, elapsed = repr(error), None
            with lock:
                (times if status == 200 else errors).append(elapsed if status == 200 else status)

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(cookies,)) for cookies in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times, errors, time.monotonic() - started


def settle(port: int, cookies: dict) -> None:
    """Wait until the server has worked through what the last phase left queued (gunicorn finishes requests
    whose client has gone): until the bare view answers."""
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            if request(port, BASELINE, cookies)[0] == 200:
                return
        except (OSError, http.client.HTTPException):
            pass


def run_page(port: int, sessions: list[dict], path: str, *, duration: float | None, requests: int | None) -> dict:
    """The page alone (three requests one after another), under load, then the bare view under the same load."""
    settle(port, sessions[0])
    alone = []
    for _ in range(3):
        try:
            status, body, headers, elapsed = request(port, path, sessions[0])
        except (OSError, http.client.HTTPException) as error:
            return {"status": "no answer", "error": repr(error)}
        alone.append(elapsed)
    if status != 200:
        return {"status": status, "error": body[:200].decode(errors="replace")}
    page_times, errors, wall = run_phase(port, sessions, path, duration=duration, requests=requests)
    base_times, base_errors, _ = run_phase(port, sessions, BASELINE, duration=duration, requests=requests)
    p95, base_p95 = percentile(page_times, 0.95), percentile(base_times, 0.95)
    return {
        "requests": len(page_times),
        "p50_ms": percentile(page_times, 0.5) * 1000,
        "p95_ms": p95 * 1000,
        "per_second": len(page_times) / wall,
        "baseline_p50_ms": percentile(base_times, 0.5) * 1000,
        "baseline_p95_ms": base_p95 * 1000,
        "ratio": p95 / base_p95,
        "bytes": len(body),
        "queries": int(headers.get("X-Queries", "0")),
        "alone_ms": statistics.median(alone) * 1000,
        "errors": len(errors) + len(base_errors),
        "error_examples": sorted({str(error) for error in errors + base_errors})[:3],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20, help="concurrent logged-in users (default 20)")
    amount = parser.add_mutually_exclusive_group()
    amount.add_argument("--duration", type=float, help="seconds of load per page (default 20)")
    amount.add_argument("--requests", type=int, help="requests of each page in all, instead of a duration")
    parser.add_argument("--pages", nargs="+", metavar="NAME", help="a subset of the pages, by name (default: all)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: quyche/gunicorn.conf.py's)")
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--identity", action="store_true", help="ask for no compression (a browser asks for gzip)")
    arguments = parser.parse_args()
    global accept_encoding
    accept_encoding = "" if arguments.identity else BROWSER_ENCODINGS
    duration = None if arguments.requests else (arguments.duration or 20)

    pages, username, password = key_pages()
    if arguments.pages:
        wanted = arguments.pages
        unknown = [name for name in wanted if name not in pages]
        if unknown:
            raise SystemExit(f"unknown pages {unknown}; the pages are: {', '.join(pages)}")
        pages = {name: pages[name] for name in wanted}
    from django.db import connection

    port = free_port()
    log_path = Path("/tmp") / f"quyche-load-gunicorn-{port}.log"
    with open(log_path, "w") as log:
        server = serve(port, arguments.workers, log)
        try:
            sessions = [log_in(port, username, password) for _ in range(arguments.users)]
            workers = len(re.findall(r"Booting worker", log_path.read_text()))
            print(f"{connection.vendor} {connection.settings_dict['NAME']}, gunicorn {workers} workers, "
                  f"{arguments.users} users as {username}, {os.cpu_count()} cores, "
                  f"load {os.getloadavg()[0]:.1f}; gunicorn's log: {log_path}\n")  # fmt: skip
            print(f"{'page':<36} {'p50':>7} {'p95':>7} {'req/s':>6} {'p95÷base':>8} {'bytes':>9} {'q':>3} "
                  f"{'alone':>7} {'base p95':>8}")  # fmt: skip
            results = {}
            for name, path in pages.items():
                result = run_page(port, sessions, path, duration=duration, requests=arguments.requests)
                results[name] = {"url": path, **result}
                if "error" in result:
                    print(f"{name:<36} HTTP {result['status']}: {result['error']}")
                    continue
                print(f"{name:<36} {result['p50_ms']:>7.0f} {result['p95_ms']:>7.0f} {result['per_second']:>6.1f} "
                      f"{result['ratio']:>7.1f}× {result['bytes']:>9,} {result['queries']:>3} "
                      f"{result['alone_ms']:>7.0f} {result['baseline_p95_ms']:>8.0f}"
                      + (f"  ({result['errors']} errors)" if result["errors"] else ""), flush=True)  # fmt: skip
        finally:
            server.terminate()
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
    if arguments.json:
        machine = {"cores": os.cpu_count(), "platform": platform.platform(), "load_after": os.getloadavg()}
        settings = {"users": arguments.users, "duration": duration, "requests": arguments.requests,
                    "workers": workers, "database": connection.settings_dict["NAME"],
                    "accept_encoding": accept_encoding}  # fmt: skip
        Path(arguments.json).write_text(
            json.dumps({"machine": machine, "settings": settings, "pages": results}, ensure_ascii=False, indent=1)
        )


if __name__ == "__main__":
    main()
