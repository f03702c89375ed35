"""Soak: 64 concurrent signed-in users for 2 minutes of reads and writes against gunicorn (issue 10, "Soak").

Users of acme (owner, sales manager, both reps; 64 sessions) read the dashboard, the lead list, a search,
lead pages and the activity list, and write: notes on leads (every user), claims of unassigned leads
(reps; a rep notes the leads they claimed) and approvals of blog posts waiting for review (owners; each
post is offered to two owner sessions, so decisions race). Every write carries a marker, so afterwards the
script finds each one in the database:
- a note answered 302 must be a ``lead_activities`` row with its marker (zero lost writes), and no row
  may exist for a note that was not answered 302 (no phantom writes);
- a claim answered 302 must have left the lead assigned to that rep; a lost race answers 409, not 5xx;
- a post someone decided must have left review with exactly one decision in the audit trail, matching
  its status (the loser of a race is told who decided; nothing is recorded twice).
Decided posts stay decided: the run uses up acme's posts in review (252 at generation).
Memory: the VmRSS of each gunicorn worker (``/proc/<pid>/status``) every 5 s; "flat" means the last
sample is within 10 % of the sample at the end of the warm-up (the first quarter of the run).

Prints the request mix, statuses, latencies, the write checks and the memory samples; exits 1 on any 5xx,
lost write or growth. Run: .venv/bin/python bench/soak.py [--users 64] [--seconds 120] [--scale-users 1]
"""

from __future__ import annotations

import argparse
import html
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

import psycopg

from bench import common

PORT = 5113
BASE = f"http://127.0.0.1:{PORT}"
ROLES = ("owner@acme.test", "manager@acme.test", "rep1@acme.test", "rep2@acme.test")
REPS = ("rep1@acme.test", "rep2@acme.test")
OWNER = "owner@acme.test"
LEAD_PAGES = ["/", "/leads/", "/leads/?status=open", "/leads/?q=sharma"]
OTHER_PAGES = ["/leads/{lead}", "/deliverables/activities", "/content/blog/posts"]


class Soak:
    """Shared state of the run: statuses, latencies, what was written."""

    def __init__(self, leads: list[str], pool: list[tuple[str, int]], marker: str):
        self.leads = leads
        self.pool = pool  # unassigned leads (ref, version) to claim
        self.marker = marker
        self.lock = threading.Lock()
        self.statuses: Counter[tuple[str, int]] = Counter()
        self.latencies: list[float] = []
        self.notes_ok: set[str] = set()
        self.notes_failed: set[str] = set()
        self.claims_ok: list[tuple[str, str]] = []  # (lead ref, rep e-mail)
        self.posts: list[tuple[str, int]] = []  # blog posts in review (ref, version), each listed twice
        self.decided: set[str] = set()  # posts whose decision was answered 302
        self.since: object = None  # the database's clock when the run began (see _check_writes)
        self.slowest = 0.0

    def request(self, kind: str, cookie: str, path: str, form: dict | None = None, token: str = ""):
        """One request; records its status and time; returns (status, body)."""
        headers = {"Cookie": cookie}
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers.update({"X-CSRFToken": token, "Content-Type": "application/x-www-form-urlencoded"})
        request = urllib.request.Request(BASE + path, data=data, headers=headers)  # noqa: S310 (loopback)
        started = time.perf_counter()
        try:
            with _OPENER.open(request, timeout=30) as response:
                status, body = response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as exc:
            status, body = exc.code, ""
        except OSError:
            status, body = 599, ""  # no answer at all counts as a server error
        elapsed = time.perf_counter() - started
        with self.lock:
            self.statuses[(kind, status)] += 1
            self.latencies.append(elapsed)
            self.slowest = max(self.slowest, elapsed)
        return status, body


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect())


def _token(page: str) -> str:
    found = re.search(r'<meta name="csrf-token" content="([^"]*)"', page)
    return html.unescape(found.group(1)) if found else ""


def user_loop(soak: Soak, email: str, cookie: str, deadline: float, seed: int) -> None:
    """One user's session: mostly reads, a write every few requests."""
    rng = random.Random(seed)
    _, page = soak.request("read", cookie, "/")
    token = _token(page)
    rep = email in REPS
    while time.monotonic() < deadline:
        roll = rng.random()
        mine = [ref for ref, who in soak.claims_ok if who == email] if rep else soak.leads
        if roll < 0.15 and mine:
            lead = rng.choice(mine)  # a rep may only note the leads they hold
            note = f"{soak.marker}-{uuid.uuid4().hex}"
            status, _ = soak.request(
                "note", cookie, f"/leads/{lead}/activities", {"type": "note", "description": note}, token
            )
            with soak.lock:
                (soak.notes_ok if status == 302 else soak.notes_failed).add(note)
        elif roll < 0.30 and email == OWNER:
            with soak.lock:
                post = soak.posts.pop() if soak.posts else None
            if post:
                ref, version = post
                decision = rng.choice(("approve", "reject"))
                form = {"decision": decision, "version": str(version), "note": f"{soak.marker} please revise"}
                status, _ = soak.request("decide", cookie, f"/content/blog/posts/{ref}/decision", form, token)
                if status == 302:
                    with soak.lock:
                        soak.decided.add(ref)
        elif roll < 0.22 and rep:
            with soak.lock:
                claim = soak.pool.pop() if soak.pool else None
            if claim:
                ref, version = claim
                status, _ = soak.request(
                    "claim", cookie, f"/leads/{ref}/claim", {"version": str(version)}, token
                )
                if status == 302:
                    with soak.lock:
                        soak.claims_ok.append((ref, email))
        else:
            pages = LEAD_PAGES + OTHER_PAGES if email == OWNER else LEAD_PAGES  # what each role may see
            path = rng.choice(pages).format(lead=rng.choice(soak.leads))
            soak.request("read", cookie, path)


def _superuser(owner_url: str) -> psycopg.Connection:
    info = psycopg.conninfo.conninfo_to_dict(common.psycopg_url(owner_url))
    return psycopg.connect(host=info["host"], port=info["port"], dbname=info["dbname"], user="postgres")


def _prepare(
    owner_url: str,
) -> tuple[list[str], list[tuple[str, int]], dict[str, str], list[tuple[str, int]]]:
    """acme's lead refs to read and note, unassigned leads to claim, the reps' user ids and the blog
    posts waiting for review (each twice, shuffled: two owners race for each)."""
    with _superuser(owner_url) as conn:
        tenant = conn.execute("SELECT id FROM tenants WHERE slug = 'acme'").fetchone()[0]
        leads = [
            r[0]
            for r in conn.execute(
                "SELECT ref_id FROM leads WHERE tenant_id = %s AND deleted_on IS NULL ORDER BY created_on DESC LIMIT 500",
                (tenant,),
            )
        ]
        pool = [
            (r[0], r[1])
            for r in conn.execute(
                "SELECT ref_id, version FROM leads WHERE tenant_id = %s AND assigned_to IS NULL AND status = 'new' "
                "AND deleted_on IS NULL ORDER BY created_on DESC LIMIT 2000",
                (tenant,),
            )
        ]
        reps = dict(conn.execute("SELECT email, id FROM users WHERE tenant_id = %s", (tenant,)).fetchall())
        posts = conn.execute(
            "SELECT ref_id, version FROM blog_posts WHERE tenant_id = %s AND status = 'client_review'",
            (tenant,),
        ).fetchall()
    offered = [(ref, version) for ref, version in posts for _ in range(2)]
    random.Random(7).shuffle(offered)
    return leads, pool, {k: str(v) for k, v in reps.items()}, offered


def _check_writes(owner_url: str, soak: Soak, reps: dict[str, str]) -> tuple[int, int, int, int]:
    """(lost notes, phantom notes, lost claims, bad decisions) found in the database after the run.

    A decision is bad when a post answered 302 is still in review, or its audit trail does not hold
    exactly one decision from this run matching its status. (Only this run's: a bench database whose posts
    were put back in review by hand keeps their earlier decisions, which are not this run's writes.)"""
    with _superuser(owner_url) as conn:
        found = {
            r[0]
            for r in conn.execute(
                "SELECT description FROM lead_activities WHERE description LIKE %s", (f"{soak.marker}-%",)
            )
        }
        lost_claims = 0
        for ref, email in soak.claims_ok:
            assigned = conn.execute("SELECT assigned_to FROM leads WHERE ref_id = %s", (ref,)).fetchone()[0]
            lost_claims += str(assigned) != reps[email]
        bad_decisions = 0
        for ref in soak.decided:
            status, actions = conn.execute(
                "SELECT b.status, array_agg(a.action) FILTER (WHERE a.action IS NOT NULL) FROM blog_posts b "
                "LEFT JOIN portal.audit_events a ON a.tenant_id = b.tenant_id AND a.subject_id = b.id "
                "AND a.action IN ('blog_post.client_approved', 'blog_post.rejected') AND a.created_on >= %s "
                "WHERE b.ref_id = %s GROUP BY b.status",
                (soak.since, ref),
            ).fetchone()
            bad_decisions += actions is None or len(actions) != 1 or actions[0] != f"blog_post.{status}"
    return len(soak.notes_ok - found), len(found & soak.notes_failed), lost_claims, bad_decisions


def main() -> int:
    """Command line; exits 1 on any 5xx, lost write or memory growth."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", default=common.DATABASE)
    parser.add_argument("--users", type=int, default=64)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()

    urls = common.start_cluster(args.database)
    leads, pool, reps, posts = _prepare(urls[1])
    soak = Soak(leads, pool, f"soak-{uuid.uuid4().hex[:10]}")
    soak.posts = posts
    with _superuser(urls[1]) as conn:
        soak.since = conn.execute("SELECT now()").fetchone()[0]
    common.VAR.mkdir(parents=True, exist_ok=True)
    log = (common.VAR / "gunicorn-soak.log").open("w")
    command = [
        str(common.ROOT / ".venv/bin/gunicorn"),
        "-k",
        "gthread",
        "-w",
        str(args.workers),
        "--threads",
        str(args.threads),
        "-b",
        f"127.0.0.1:{PORT}",
        "wsgi:app",
    ]
    server = subprocess.Popen(
        command, cwd=common.ROOT, env=common.server_environment(urls), stdout=log, stderr=log
    )
    samples: list[tuple[float, dict[int, int]]] = []
    try:
        common.wait_http(f"{BASE}/healthz", 60)
        cookies = [
            (ROLES[i % len(ROLES)], common.sign_in(BASE, ROLES[i % len(ROLES)])) for i in range(args.users)
        ]
        print(
            f"{args.users} users signed in; soaking {args.seconds} s against gunicorn -w {args.workers} "
            f"--threads {args.threads}; {len(leads)} leads to read/note, {len(pool)} to claim, "
            f"{len(posts) // 2} posts to decide"
        )
        started = time.monotonic()
        deadline = started + args.seconds
        threads = [
            threading.Thread(target=user_loop, args=(soak, email, cookie, deadline, i), daemon=True)
            for i, (email, cookie) in enumerate(cookies)
        ]
        for thread in threads:
            thread.start()
        while time.monotonic() < deadline:
            samples.append(
                (
                    time.monotonic() - started,
                    {pid: common.rss_kib(pid) for pid in common.children(server.pid)},
                )
            )
            time.sleep(5)
        for thread in threads:
            thread.join(timeout=60)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return report(args, soak, samples, _check_writes(urls[1], soak, reps))


def report(args, soak: Soak, samples, writes: tuple[int, int, int, int]) -> int:
    """Print the figures; 1 when something failed."""
    total = sum(soak.statuses.values())
    server_errors = sum(count for (_, status), count in soak.statuses.items() if status >= 500)
    print(f"\nrequests {total} ({total / args.seconds:.1f}/s); by kind and status:")
    for (kind, status), count in sorted(soak.statuses.items()):
        print(f"  {kind:6} {status}: {count}")
    lat = sorted(soak.latencies)
    print(
        f"latency p50 {statistics.median(lat) * 1000:.0f} ms, p95 {lat[int(len(lat) * 0.95)] * 1000:.0f} ms, "
        f"p99 {lat[int(len(lat) * 0.99)] * 1000:.0f} ms, slowest {soak.slowest * 1000:.0f} ms"
    )
    lost, phantom, lost_claims, bad_decisions = writes
    print(
        f"writes: {len(soak.notes_ok)} notes saved, {lost} lost, {phantom} phantom; "
        f"{len(soak.claims_ok)} claims won, {lost_claims} lost; "
        f"{len(soak.decided)} posts decided, {bad_decisions} without exactly one recorded decision"
    )
    warm = next((s for t, s in samples if t >= args.seconds / 4), samples[0][1] if samples else {})
    last = samples[-1][1] if samples else {}
    print(
        "worker RSS (MiB) over time: "
        + "; ".join(f"{t:.0f}s " + ",".join(f"{kib / 1024:.0f}" for kib in s.values()) for t, s in samples)
    )
    growth = max((last.get(pid, 0) / warm[pid] - 1 for pid in warm if warm[pid]), default=0.0)
    print(f"largest worker growth after warm-up: {growth:+.1%}")
    ok = (
        bool(soak.notes_ok)
        and server_errors == 0
        and lost == 0
        and phantom == 0
        and lost_claims == 0
        and bad_decisions == 0
        and growth < 0.10
    )
    print(
        f"{'PASS' if ok else 'MISS'}: {server_errors} 5xx, {lost + lost_claims + bad_decisions} lost or doubled "
        f"writes, growth {growth:+.1%}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
