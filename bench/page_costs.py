"""Where a page's time goes: one request at a time, in process, on the bench database.

For each path: the median time of a request (after one warm-up), how much of it is SQL, the number of
statements and the slowest ones; then the CPU time of a request (best of 7 rounds of 40, garbage
collector frozen as under gunicorn.conf.py) beside the same figure for the TechEmpower Fortunes app
(bench/reference.py) on the same database. No server, no concurrency: this is the service time the load
benchmark's throughput is made of, and CPU time does not move with the other tenants of a shared machine
the way throughput does, so "Fortunes CPU ÷ page CPU" is the steadier estimate of the load benchmark's
ratio (PostgreSQL's own CPU is not in it).

Content fragments (``/refs/…``) are asked for as the page's htmx call does (``HX-Request``).

Run: .venv/bin/python bench/page_costs.py [--repeat 5] [PATH ...]   (default: the load benchmark's pages)
"""

from __future__ import annotations

import argparse
import gc
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from flask.testing import FlaskClient
from sqlalchemy import event

from bench import common, load, reference
from portal import create_app

DEFAULT_PATHS = (
    "/",
    "/leads/",
    "/leads/?status=open&band=hot",
    "/leads/?q=sharma",
    "/deliverables",
    "/team/",
)


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--database", default=common.DATABASE)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--user", default="owner@acme.test")
    args = parser.parse_args()

    urls = common.start_cluster(args.database)
    config, client = signed_in_client(urls, args.user)
    engine = client.application.extensions["db"].engine
    timings: list[tuple[float, str]] = []
    started_at: list[float] = []  # one statement at a time: the running statement's start

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn, cursor, statement, parameters, context, executemany):
        started_at.append(time.perf_counter())

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn, cursor, statement, parameters, context, executemany):
        elapsed = (time.perf_counter() - started_at.pop()) * 1000
        timings.append((elapsed, " ".join(statement.split())))

    paths = args.paths or default_paths(urls)
    for path in paths:
        headers = headers_for(path)
        status = client.get(path, headers=headers).status_code  # warm-up
        totals, sql, counts, slowest = [], [], [], {}
        for _ in range(args.repeat):
            timings.clear()
            started = time.perf_counter()
            client.get(path, headers=headers)
            totals.append((time.perf_counter() - started) * 1000)
            sql.append(sum(ms for ms, _ in timings))
            counts.append(len(timings))
            for ms, statement in timings:
                slowest[statement] = max(ms, slowest.get(statement, 0))
        print(
            f"{path}  [{status}]  {statistics.median(totals):.1f} ms per request, SQL {statistics.median(sql):.1f} ms "
            f"in {max(counts)} statements"
        )
        for statement, ms in sorted(slowest.items(), key=lambda item: -item[1])[:3]:
            print(f"    {ms:7.1f} ms  {statement[:150]}")

    # The timing listeners above cost CPU per statement: not part of what a page costs.
    event.remove(engine, "before_cursor_execute", _before)
    event.remove(engine, "after_cursor_execute", _after)
    fortunes = reference.make_fortunes(config["DATABASE_URL"])
    baseline = cpu_per_request(fortunes.test_client(), "/", {})
    print(f"\nCPU per request, best of 7 × 40 (Fortunes: {baseline:.2f} ms):")
    for path in paths:
        cpu = cpu_per_request(client, path, headers_for(path))
        print(f"  {path:50} {cpu:6.2f} ms   Fortunes ÷ page {baseline / cpu:5.2f}")


def signed_in_client(urls: tuple[str, str], email: str = "owner@acme.test") -> tuple[dict, FlaskClient]:
    """(config, test client) of a portal app on the bench database, signed in as email through the form."""
    config = common.app_config(urls)
    config.update(LOGIN_LIMIT_PER_IP="1000 per minute", LOGIN_LIMIT_PER_ACCOUNT="1000 per minute")
    client = create_app(config).test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/login").text).group(1)
    signed = client.post("/login", data={"email": email, "password": common.PASSWORD, "csrf_token": token})
    assert signed.status_code == 302, f"sign-in failed: {signed.status_code}"
    return config, client


def default_paths(urls: tuple[str, str]) -> list[str]:
    """DEFAULT_PATHS and the load benchmark's pages (bench/load.py), on acme's rows of the bench database."""
    paths = list(DEFAULT_PATHS)
    for _, _, path in load.wanted_pages(load.acme_refs(urls[1])):
        if path and path not in paths:
            paths.append(path)
    return paths


def headers_for(path: str) -> dict[str, str]:
    """What the browser sends: content fragments are fetched by htmx (see FRAGMENTS in bench/load.py)."""
    return {"HX-Request": "true"} if path.startswith("/refs/") else {}


def cpu_per_request(client, path: str, headers: dict[str, str]) -> float:
    """The least CPU time (ms) a request to path took, over 7 rounds of 40 after a warm-up."""
    for _ in range(20):
        client.get(path, headers=headers)
    gc.freeze()  # as gunicorn.conf.py does in each worker
    best = float("inf")
    for _ in range(7):
        started = time.process_time()
        for _ in range(40):
            client.get(path, headers=headers)
        best = min(best, (time.process_time() - started) * 1000 / 40)
    return best


if __name__ == "__main__":
    main()
