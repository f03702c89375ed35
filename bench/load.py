"""Load benchmark: the portal under gunicorn next to two reference servers, driven by wrk (issue 10).

All three run with the README's production config (``gunicorn -k gthread -w W --threads T``,
``PORTAL_ENV=production``) on loopback, against the bench database made by ``bench/generate.py``:
- the portal (``wsgi:app``), signed in as ``owner@acme.test`` (acme is the biggest tenant);
- ``bench.reference:hello`` (a fixed string) and ``bench.reference:fortunes`` (TechEmpower Fortunes,
  Flask + SQLAlchemy on the same PostgreSQL).

For each page (dashboard, lead list, filtered lead list, a deep keyset page, lead search, lead detail,
period overview, activity with its rendered content warm, blog post review) it prints requests/s, p50,
p95, p99 and errors, and the throughput as a ratio to both references. Fortunes is measured again after
every page, and a page's ratio is to the mean of the two Fortunes runs around it: on a shared machine the
reference itself drifts by a third over a run, which a single measurement at the start passed on to every
ratio. Throughput is measured saturated
(``--connections 16``: every worker busy, so latency there is mostly queueing: 16 / req/s); the lead
pages' latency targets are then measured again at light load (``--light-connections 2``, one request in
flight per core), which is the response time a person sees when the server is not overloaded. Then
PASS/MISS for the issue's targets. A page whose route does not exist yet is skipped with a note. wrk's Lua script sends the
signed-in session cookie, and ``HX-Request`` for the content fragments (see FRAGMENTS); wrk is installed with apt-get when missing (here, not in tests or CI).

Run: .venv/bin/python bench/load.py [--duration 10] [--connections 16] [--workers 4] [--threads 8]
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

import psycopg

from bench import common, reference

PORTS = {"portal": 5110, "hello": 5111, "fortunes": 5112}
APPS = {"portal": "wsgi:app", "hello": "bench.reference:hello", "fortunes": "bench.reference:fortunes"}
TENANT = "acme"
LATENCY_PAGES = ("lead list", "filtered lead list", "lead search")
USER = "owner@acme.test"

# Content fragments are measured as the page's htmx request fetches them (HX-Request: the fragment alone,
# no layout); without the header they answer the whole page, for browsers without JavaScript.
FRAGMENTS = ("activity content (warm)", "blog post content (warm)")

LUA = r"""
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE") or ""
if os.getenv("BENCH_HTMX") then wrk.headers["HX-Request"] = "true" end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "status_errors": %d, "socket_errors": %d, ' ..
    '"p50": %d, "p95": %d, "p99": %d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


@dataclass
class Result:
    """One wrk run."""

    name: str
    rps: float
    p50: float
    p95: float
    p99: float
    errors: int
    requests: int
    fortunes_rps: float = 0.0  # the Fortunes throughput measured around this run (see the docstring)
    cpu_ms: float = 0.0  # CPU of the server's workers and of PostgreSQL per request during the run
    fortunes_cpu_ms: float = 0.0  # the same for the Fortunes runs around this one


def start_servers(urls, workers: int, threads: int, log_dir: Path) -> dict[str, subprocess.Popen]:
    """The three gunicorns, in the same config; returns their processes by name once they answer."""
    env = common.server_environment(urls)
    processes = {}
    for name, target in APPS.items():
        log = (log_dir / f"gunicorn-{name}.log").open("w")
        command = [
            str(common.ROOT / ".venv" / "bin" / "gunicorn"),
            "-k",
            "gthread",
            "-w",
            str(workers),
            "--threads",
            str(threads),
            "-b",
            f"127.0.0.1:{PORTS[name]}",
            target,
        ]
        processes[name] = subprocess.Popen(command, cwd=common.ROOT, env=env, stdout=log, stderr=log)
    for name in APPS:
        common.wait_http(f"http://127.0.0.1:{PORTS[name]}/", seconds=60)
    return processes


def stop_servers(processes: dict[str, subprocess.Popen]) -> None:
    """Stop the gunicorns we started (their masters; they stop their workers)."""
    for process in processes.values():
        process.terminate()
    for process in processes.values():
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _get(url: str, cookie: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 (loopback)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def acme_refs(owner_url: str) -> dict[str, str | None]:
    """Ids of acme's rows the detail pages use (read as the superuser: the owner sees no rows under FORCE)."""
    info = psycopg.conninfo.conninfo_to_dict(common.psycopg_url(owner_url))
    queries = {
        "lead": "SELECT ref_id FROM leads WHERE tenant_id = %(t)s ORDER BY created_on DESC LIMIT 1",
        "period": "SELECT ref_id FROM deliverable_periods WHERE tenant_id = %(t)s ORDER BY created_on DESC LIMIT 1",
        "activity": "SELECT ref_id FROM activities WHERE tenant_id = %(t)s AND output_ref IS NOT NULL "
        "AND type = 'blog_post' ORDER BY created_on DESC LIMIT 1",
        # A post in review (the demo's first: each has its document; generated ones may not, see
        # generate.py); when soaks have decided them all, the newest post with content, reviewed or not.
        "blog_post": "SELECT ref_id FROM blog_posts WHERE tenant_id = %(t)s AND content_ref IS NOT NULL "
        "ORDER BY status = 'client_review' DESC, slug LIKE 'guide-%%', created_on DESC LIMIT 1",
        "last_name": "SELECT last_name FROM leads WHERE tenant_id = %(t)s AND last_name IS NOT NULL LIMIT 1",
    }
    with psycopg.connect(
        host=info["host"], port=info["port"], dbname=info["dbname"], user="postgres"
    ) as conn:
        tenant = conn.execute("SELECT id FROM tenants WHERE slug = %s", (TENANT,)).fetchone()[0]
        return {
            name: (conn.execute(sql, {"t": tenant}).fetchone() or (None,))[0] for name, sql in queries.items()
        }


def _install_fortunes(owner_url: str) -> None:
    info = psycopg.conninfo.conninfo_to_dict(common.psycopg_url(owner_url))
    with psycopg.connect(
        host=info["host"], port=info["port"], dbname=info["dbname"], user="postgres"
    ) as conn:
        conn.execute("DROP TABLE IF EXISTS fortune")
    with psycopg.connect(common.psycopg_url(owner_url)) as conn:
        reference.install(conn)


def _deep_url(base: str, cookie: str, start: str, hops: int) -> tuple[str | None, int]:
    """The URL `hops` pages down the lead list by its "Older" links (the keyset cursor); and how deep it got."""
    url, depth = start, 0
    for _ in range(hops):
        status, page = _get(base + url, cookie)
        found = re.search(r'href="([^"]+)"[^>]*rel="next"', page)
        if status != 200 or not found:
            break
        url, depth = html.unescape(found.group(1)), depth + 1
    return (url if depth else None), depth


def wanted_pages(refs: dict) -> list[tuple[str, str, str | None]]:
    """(name, endpoint, path) of the pages the benchmarks measure, on acme's rows (path None: no row)."""
    return [
        ("dashboard", "dashboard.index", "/"),
        ("lead list", "leads.index", "/leads/"),
        ("filtered lead list", "leads.index", "/leads/?status=open&band=hot"),
        ("lead search", "leads.index", f"/leads/?q={(refs['last_name'] or 'sharma').lower()}"),
        ("lead detail", "leads.detail", refs["lead"] and f"/leads/{refs['lead']}"),
        ("period overview", "planning.period", refs["period"] and f"/deliverables/periods/{refs['period']}"),
        (
            "activity page",
            "planning.activity",
            refs["activity"] and f"/deliverables/activities/{refs['activity']}",
        ),
        (
            "activity content (warm)",
            "refs.activity",
            refs["activity"] and f"/refs/activity/{refs['activity']}",
        ),
        (
            "blog post review",
            "content.blog_post",
            refs["blog_post"] and f"/content/blog/posts/{refs['blog_post']}",
        ),
        (
            "blog post content (warm)",
            "refs.blog_post",
            refs["blog_post"] and f"/refs/blog_post/{refs['blog_post']}",
        ),
    ]


def pages(
    app_endpoints: set[str], refs: dict, base: str, cookie: str, deep_hops: int
) -> list[tuple[str, str]]:
    """(name, path) of the pages to measure; a missing route or row is skipped with a printed note."""
    chosen = []
    for name, endpoint, path in wanted_pages(refs):
        if endpoint not in app_endpoints:
            print(f"  note: {name} skipped: the route {endpoint} does not exist yet")
        elif not path:
            print(f"  note: {name} skipped: acme has no row for it in the bench database")
        else:
            chosen.append((name, path))
            if name == "lead list":
                deep, depth = _deep_url(base, cookie, path, deep_hops)
                if deep:
                    chosen.append((f"lead list, page {depth + 1} (keyset)", deep))
                else:
                    print("  note: deep lead page skipped: the list has no 'Older' link")
    return chosen


def run_wrk(wrk: str, name: str, url: str, cookie: str, args, server: subprocess.Popen) -> Result:
    """Warm up, then one wrk run (as htmx asks when the page is one of FRAGMENTS); parse the Lua summary.

    Also the CPU the server's workers and PostgreSQL spent per request during the run: unlike
    requests/s, it does not drop when the shared machine gives the benchmark less CPU."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA)
    env = dict(os.environ, BENCH_COOKIE=cookie)
    if name.rsplit(" @", 1)[0] in FRAGMENTS:
        env["BENCH_HTMX"] = "1"
    base = [
        wrk,
        "-t",
        str(args.wrk_threads),
        "-c",
        str(args.connections),
        "-s",
        script.name,
        "--timeout",
        "10s",
    ]
    subprocess.run([*base, "-d", f"{args.warmup}s", url], env=env, capture_output=True, check=True)
    workers, postgres = common.children(server.pid), common.postgres_pids()
    cpu_before = common.cpu_seconds(workers + postgres)
    out = subprocess.run(
        [*base, "-d", f"{args.duration}s", url], env=env, capture_output=True, text=True, check=True
    )
    # Backends the pool opened during the run count whole: they started within it.
    postgres_after = [pid for pid in common.postgres_pids() if pid not in postgres]
    cpu_used = common.cpu_seconds(workers + postgres + postgres_after) - cpu_before
    os.unlink(script.name)
    data = json.loads(out.stdout.split("WRKJSON", 1)[1])
    seconds = data["duration_us"] / 1e6
    return Result(
        name,
        data["requests"] / seconds,
        data["p50"] / 1000,
        data["p95"] / 1000,
        data["p99"] / 1000,
        data["status_errors"] + data["socket_errors"],
        data["requests"],
        cpu_ms=1000 * cpu_used / max(data["requests"], 1),
    )


def _endpoints(urls) -> set[str]:
    from portal import create_app

    return set(create_app(common.app_config(urls)).view_functions)


def _database_summary(owner_url: str) -> str:
    info = psycopg.conninfo.conninfo_to_dict(common.psycopg_url(owner_url))
    with psycopg.connect(
        host=info["host"], port=info["port"], dbname=info["dbname"], user="postgres"
    ) as conn:
        leads = conn.execute(
            "SELECT count(*) FILTER (WHERE t.slug = 'acme'), count(*) FROM leads l JOIN tenants t ON t.id = l.tenant_id"
        ).fetchone()
        size = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
    return f"{leads[1]:,} leads ({leads[0]:,} in acme), database {size}"


def main() -> int:
    """Command line; exits 1 when a target is missed."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", default=common.DATABASE)
    parser.add_argument("--duration", type=int, default=10, help="seconds measured per page")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (README: 4)")
    parser.add_argument("--threads", type=int, default=8, help="gunicorn threads per worker (README: 8)")
    parser.add_argument(
        "--light-connections", type=int, default=2, help="connections of the latency pass (0: skip it)"
    )
    parser.add_argument("--only", default="", help="measure only the pages whose name contains this")
    parser.add_argument("--deep-hops", type=int, default=100, help="how many 'Older' links to follow")
    args = parser.parse_args()

    wrk = common.ensure_debian_tool("wrk")
    urls = common.start_cluster(args.database)
    print(f"bench database {args.database}: {_database_summary(urls[1])}")
    _install_fortunes(urls[1])
    refs = acme_refs(urls[1])
    endpoints = _endpoints(urls)
    common.VAR.mkdir(parents=True, exist_ok=True)
    print(
        f"gunicorn -k gthread -w {args.workers} --threads {args.threads}; wrk -t{args.wrk_threads} "
        f"-c{args.connections} -d{args.duration}s (+{args.warmup}s warm-up); {os.cpu_count()} CPUs"
    )
    processes = start_servers(urls, args.workers, args.threads, common.VAR)
    try:
        base = f"http://127.0.0.1:{PORTS['portal']}"
        cookie = common.sign_in(base, USER)
        measured = [
            (name, path)
            for name, path in pages(endpoints, refs, base, cookie, args.deep_hops)
            if args.only in name
        ]
        hello_url, fortunes_url = (f"http://127.0.0.1:{PORTS[name]}/" for name in ("hello", "fortunes"))
        results: list[Result] = [run_wrk(wrk, "hello", hello_url, "", args, processes["hello"])]
        fortunes = [run_wrk(wrk, "fortunes", fortunes_url, "", args, processes["fortunes"])]
        status_notes = []
        for name, path in measured:
            status, _ = _get(base + path, cookie)  # also warms the content caches
            if status != 200:
                status_notes.append(f"  note: {name} ({path}) answered {status}; not measured")
                continue
            page = run_wrk(wrk, name, base + path, cookie, args, processes["portal"])
            fortunes.append(run_wrk(wrk, "fortunes", fortunes_url, "", args, processes["fortunes"]))
            page.fortunes_rps = (fortunes[-2].rps + fortunes[-1].rps) / 2
            page.fortunes_cpu_ms = (fortunes[-2].cpu_ms + fortunes[-1].cpu_ms) / 2
            results.append(page)
        results.insert(1, _mean_fortunes(fortunes))
        if args.light_connections:
            light = argparse.Namespace(**{**vars(args), "connections": args.light_connections})
            for name, path in measured:
                if name in LATENCY_PAGES or name.startswith("lead list, page"):
                    results.append(
                        run_wrk(
                            wrk,
                            f"{name} @{light.connections}",
                            base + path,
                            cookie,
                            light,
                            processes["portal"],
                        )
                    )
    finally:
        stop_servers(processes)
    print("\n".join(status_notes))
    return report(results)


def _mean_fortunes(runs: list[Result]) -> Result:
    """One row for all the Fortunes runs: mean throughput and latencies, every error; prints their spread."""
    rates = [r.rps for r in runs]
    print(f"Fortunes over {len(runs)} runs: {min(rates):.1f}–{max(rates):.1f} req/s")
    mean = sum(rates) / len(rates)

    def average(field: str) -> float:
        return sum(getattr(r, field) for r in runs) / len(runs)

    return Result(
        "fortunes",
        mean,
        average("p50"),
        average("p95"),
        average("p99"),
        sum(r.errors for r in runs),
        sum(r.requests for r in runs),
        mean,
        average("cpu_ms"),
        average("cpu_ms"),
    )


def report(results: list[Result]) -> int:
    """The table, the ratios and the targets; returns 1 when a target is missed.

    A page's ratio to Fortunes is to the Fortunes runs around it (``fortunes_rps``) when it has them, else
    to the mean of all Fortunes runs (the light-load pass, where the ratio is not a target). The last two
    columns are the CPU (server workers and PostgreSQL) per request and Fortunes' CPU per request divided
    by the page's: the throughput ratio the page would have if both had the machine to themselves."""
    by_name = {result.name: result for result in results}
    hello, fortunes = by_name["hello"], by_name["fortunes"]

    def to_fortunes(r: Result) -> float:
        return r.rps / (r.fortunes_rps or fortunes.rps)

    print(
        f"\n{'page':34} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} {'×hello':>7} "
        f"{'×fortunes':>9} {'CPU ms':>7} {'×F CPU':>7}"
    )
    for r in results:
        print(
            f"{r.name:34} {r.rps:8.1f} {r.p50:8.1f} {r.p95:8.1f} {r.p99:8.1f} {r.errors:7d} "
            f"{r.rps / hello.rps:7.3f} {to_fortunes(r):9.3f} {r.cpu_ms:7.2f} "
            f"{(r.fortunes_cpu_ms or fortunes.cpu_ms) / r.cpu_ms if r.cpu_ms else 0:7.3f}"
        )
    targets = []
    # Latency targets from the light pass when it ran (its rows are named "<page> @<connections>").
    light = {r.name.rsplit(" @", 1)[0]: r for r in results if " @" in r.name}
    timed = light or by_name
    where = f" (at {next(iter(light.values())).name.rsplit('@', 1)[1]} connections)" if light else ""
    for name, limit in (("lead list", 50), ("filtered lead list", 50), ("lead search", 100)):
        if name in timed:
            p95 = timed[name].p95
            targets.append((f"{name} p95 < {limit} ms{where}", p95 < limit, f"{p95:.1f} ms"))
    deep = next((r for n, r in timed.items() if n.startswith("lead list, page")), None)
    if deep and "lead list" in timed:
        first = timed["lead list"].p95
        targets.append(
            (
                f"deep keyset page p95 ≤ 1.5 × first page{where}",
                deep.p95 <= 1.5 * first,
                f"{deep.p95 / first:.2f}×",
            )
        )
    for r in results:
        if r.name not in ("hello", "fortunes") and " @" not in r.name:
            ratio = to_fortunes(r)
            targets.append((f"{r.name} ≥ 30 % of Fortunes", ratio >= 0.3, f"{ratio:.0%}"))
    errors = sum(r.errors for r in results)
    targets.append(("zero errors", errors == 0, str(errors)))
    print("\ntargets:")
    for label, passed, figure in targets:
        print(f"  {'PASS' if passed else 'MISS'}  {label}: {figure}")
    return 0 if all(passed for _, passed, _ in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
