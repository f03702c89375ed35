"""Benchmark: the leads pages on a tenant with 100,000 leads and 500,000 lead activities.

In a database of its own (created in the bench cluster, migrated, seeded with the demo tenants, dropped at
the end), it measures the pages at the demo's size (acme: a few hundred leads), then COPYs 100,000 leads
and 500,000 lead activities into acme and measures again:

- median and p95 server time (in-process, through the Flask test client, signed in as the sales manager)
  of the list's first page, a filtered page, a search, the page 200 deep by cursor, and a lead's page;
- the SQL statements per page for the small and the large tenant, which must be equal;
- EXPLAIN (ANALYZE, BUFFERS) of the search as the app runs it: as ``portal_app`` with ``app.tenant_id``
  set, so Row Level Security applies, showing the prefix range used as an index condition.

Exits non-zero if a statement count differs between the sizes.
Run: .venv/bin/python bench/leads_bench.py [--leads 100000] [--iterations 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

import psycopg
from sqlalchemy import event, text

from bench import common, generate
from portal import create_app, localpg

PAGES = ("list", "filtered", "search", "deep", "detail")


def sign_in(app, email: str):
    """A test client signed in through the real form (with its CSRF token)."""
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": email, "password": common.PASSWORD, "csrf_token": token})
    assert response.status_code == 302, f"sign-in as {email}: {response.status_code}"
    return client


def page_urls(client, depth: int) -> dict[str, str]:
    """The URL of each measured page; the deep one found by following the cursor depth - 1 times."""
    first = client.get("/leads/").get_data(as_text=True)
    lead_ref = re.search(r'href="/leads/([0-9A-Z]{26})"', first).group(1)
    url = "/leads/"
    for _ in range(depth - 1):
        found = re.search(r'href="(/leads/\?[^"]*cursor=[^"]+)"', client.get(url).get_data(as_text=True))
        if not found:
            break
        url = found.group(1).replace("&amp;", "&")
    return {
        "list": "/leads/",
        "filtered": "/leads/?status=contacted&band=hot&sort=score",
        "search": "/leads/?q=sharma",
        "deep": url,
        "detail": f"/leads/{lead_ref}",
    }


def statements(app, client, url: str) -> list[tuple[str, object, float]]:
    """The statements one request runs (set_config excluded): (SQL, parameters, milliseconds)."""
    seen: list[tuple[str, object, float]] = []
    started: list[float] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        started.append(time.perf_counter())

    def after(conn, cursor, statement, parameters, context, executemany):
        elapsed = (time.perf_counter() - started.pop()) * 1000
        if "set_config" not in statement:
            seen.append((statement, parameters, elapsed))

    engine = app.extensions["db"].engine
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        assert client.get(url).status_code == 200, url
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    return seen


def slowest(app, client, url: str) -> str:
    """The page's slowest statement: its time and its first words."""
    sql, _, ms = max(statements(app, client, url), key=lambda s: s[2])
    return f"{ms:6.1f} ms  {' '.join(sql.split())[:90]}"


def timings(client, url: str, iterations: int) -> tuple[float, float]:
    """(median, p95) in milliseconds of GET url."""
    client.get(url)  # warm the caches once
    samples = []
    for _ in range(iterations):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    samples.sort()
    return statistics.median(samples), samples[max(0, round(0.95 * len(samples)) - 1)]


def load(owner_url: str, lead_count: int) -> float:
    """COPY lead_count leads and 5 activities each into acme; returns the seconds it took."""
    started = time.perf_counter()
    with psycopg.connect(common.psycopg_url(owner_url)) as conn:
        tenant_id, tenant_ref, _, users, _ = generate._demo_tenants(conn)[0]
        data = generate.TenantData(tenant_id, tenant_ref, users, dt.datetime.now(dt.UTC), seed=7)
        with generate.copying(conn, tenant_id) as cursor:
            generate._copy(cursor, "leads", generate.TenantData.LEAD_COLUMNS, data.leads(lead_count, 10**7))
            generate._copy(
                cursor, "lead_activities", generate.TenantData.LEAD_ACTIVITY_COLUMNS, data.lead_activities(5)
            )
    with generate.superuser(psycopg.connect(common.psycopg_url(owner_url))) as admin:
        admin.execute("ANALYZE leads; ANALYZE lead_activities; ANALYZE portal.lead_search_terms")
    return time.perf_counter() - started


def explain_search(app, client, url: str, tenant_id) -> str:
    """EXPLAIN ANALYZE of the list's search statement, as portal_app with the tenant set (RLS applies)."""
    statement, parameters = next(
        (s, p) for s, p, _ in statements(app, client, url) if "lead_search_terms" in s and "LIMIT" in s
    )
    with app.extensions["db"].engine.connect() as conn:
        conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)})
        role = conn.execute(text("SELECT current_user")).scalar()
        plan = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters).scalars().all()
        conn.rollback()
    return f"-- as {role}, app.tenant_id set (RLS applies)\n" + "\n".join(plan)


def main() -> int:
    """Generate, measure, print; drop the database."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--depth", type=int, default=200)
    args = parser.parse_args()
    logging.disable(logging.WARNING)

    name = f"portal_leads_bench_{os.getpid()}"
    urls = common.start_cluster(name)
    localpg.create_database(name, common.CLUSTER)
    app = None
    try:
        generate._seed_demo(urls)
        app = create_app(common.app_config(urls))
        client = sign_in(app, "manager@acme.test")
        small_urls = page_urls(client, depth=2)
        small = {page: len(statements(app, client, url)) for page, url in small_urls.items()}
        small_times = {page: timings(client, url, args.iterations) for page, url in small_urls.items()}
        with app.extensions["db"].engine.connect() as conn:
            tenant_id = conn.execute(text("SELECT tenant_id FROM auth_lookup('owner@acme.test')")).scalar()

        seconds = load(urls[1], args.leads)
        print(
            f"loaded {args.leads:,} leads and {args.leads * 5:,} lead activities into acme in {seconds:.1f} s"
        )
        large_urls = page_urls(client, depth=args.depth)
        large = {page: len(statements(app, client, url)) for page, url in large_urls.items()}

        print(
            f"\n{'page':<10} {'median ms':>10} {'p95 ms':>8} {'(small: median':>15} {'p95)':>6}"
            f" {'statements small':>17} {'large':>6}"
        )
        for page in PAGES:
            median, p95 = timings(client, large_urls[page], args.iterations)
            small_median, small_p95 = small_times[page]
            print(
                f"{page:<10} {median:>10.1f} {p95:>8.1f} {small_median:>15.1f} {small_p95:>6.1f}"
                f" {small[page]:>17} {large[page]:>6}"
            )
        print(f"\nslowest statement of each page at {args.leads:,} leads:")
        for page in PAGES:
            print(f"{page:<10} {slowest(app, client, large_urls[page])}")
        print(f"\n(deep = {large_urls['deep'][:60]}…, {args.depth} pages by cursor)")
        # A common word (1 lead in 30) and a rare prefix: the planner picks its way for each; in both the
        # prefix range on portal.lead_search_terms is an index condition although RLS applies.
        for query in ("sharma", "sharma1000004"):
            print(f"\nEXPLAIN of the search (q={query}):")
            print(explain_search(app, client, f"/leads/?q={query}", tenant_id))
        if small != large:
            print(f"\nFAIL: statement counts differ: small {small} large {large}")
            return 1
        return 0
    finally:
        if app is not None:
            app.extensions["db"].engine.dispose()
        localpg.drop_database(name, common.CLUSTER)


if __name__ == "__main__":
    sys.exit(main())
