"""Where a page's time goes: one request at a time, in process, on the bench database.

For each path: the median time of a request (after one warm-up), how much of it is SQL, the number of
statements and the slowest ones. No server, no concurrency: this is the service time the load benchmark's
throughput is made of, so a page's owner can see whether to look at queries or at rendering.

Run: .venv/bin/python bench/page_costs.py [--repeat 5] [PATH ...]   (default: the load benchmark's pages)
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from sqlalchemy import event

from bench import common
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
    parser.add_argument("paths", nargs="*", default=DEFAULT_PATHS)
    parser.add_argument("--database", default=common.DATABASE)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--user", default="owner@acme.test")
    args = parser.parse_args()

    config = common.app_config(common.start_cluster(args.database))
    config.update(LOGIN_LIMIT_PER_IP="1000 per minute", LOGIN_LIMIT_PER_ACCOUNT="1000 per minute")
    app = create_app(config)
    client = app.test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/login").text).group(1)
    signed = client.post(
        "/login", data={"email": args.user, "password": common.PASSWORD, "csrf_token": token}
    )
    assert signed.status_code == 302, f"sign-in failed: {signed.status_code}"
    engine = app.extensions["db"].engine
    timings: list[tuple[float, str]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn, cursor, statement, parameters, context, executemany):
        context._bench_started = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn, cursor, statement, parameters, context, executemany):
        elapsed = (time.perf_counter() - context._bench_started) * 1000
        timings.append((elapsed, " ".join(statement.split())))

    for path in args.paths:
        status = client.get(path).status_code  # warm-up
        totals, sql, counts, slowest = [], [], [], {}
        for _ in range(args.repeat):
            timings.clear()
            started = time.perf_counter()
            client.get(path)
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


if __name__ == "__main__":
    main()
