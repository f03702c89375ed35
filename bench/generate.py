"""Data at scale: the bench database with 50 tenants, written with PostgreSQL COPY (issue 10, "Data at scale").

At ``--scale 1`` (the default) the database holds, besides the three demo tenants as seeded:
- 50 tenants in all (47 generated, each with an owner, a sales manager and four reps);
- 1,000,000 leads (acme, the tenant the benchmarks sign in to, has 100,000; the others share the rest),
  with ``search_text`` and ``phone_digits`` written as ``portal.leads.search`` writes them, and the
  search terms table (``portal.lead_search_terms``) filled once at the end by migration 0008's own backfill
  statement, the words its trigger would have written;
- 5,000,000 lead activities (five per lead);
- 200,000 activities, each with a finished run, an LLM call and a tool call;
- 50,000 posts (blog and social, half each) whose content is an ``activity_outputs`` document naming an
  S3 object. MongoDB and S3 are used when ``MONGODB_URI`` / ``S3_BUCKET`` are set. Without MONGODB_URI the
  embedded store (montydb) answers every query but a look-up by id by reading the whole collection, so
  only ``--embedded-documents`` posts get a document (the rest have no content) and the output says so.

Rows go in with COPY as the owner role, one transaction per tenant with ``app.tenant_id`` set (forced RLS
binds the owner too). Ids are generated here so children can name their parents: composite keys
(tenant_id, id) stay consistent, ``ref_id`` is a ULID dated like the row. While the rows go in, the big
tables' secondary indexes are dropped and the search-terms trigger is disabled (``bulk_loading``); both
come back in set-based statements at the end, which is several times faster than keeping them up row
by row.

Run: .venv/bin/python bench/generate.py [--scale 0.01]  (drops and rebuilds portal_bench)
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import importlib.util
import random
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

import flask_migrate
import psycopg
from bson import ObjectId

from bench import common
from portal import create_app, localpg
from portal.ids import new_ulid
from portal.leads.search import lead_search_text, phone_digits

TENANTS = 50
LEADS = 1_000_000
BIGGEST = 100_000  # acme's leads
LEAD_ACTIVITIES_PER_LEAD = 5
ACTIVITIES = 200_000
POSTS = 50_000
BENCH_TENANT = "acme"
DEMO = ("acme", "northwind", "initech")

FIRST = "Aarav Ananya Arjun Diya Ishaan Kavya Meera Nikhil Priya Rahul Riya Rohan Saanvi Sanjay Tara Vikram "
FIRST += "Zoë Anna Ben Chloe Daniel Emma Felix Grace Henry Isla Jack Lucy Max Noah Olivia Sophie Tom"
LAST = "Sharma Patel Gupta Iyer Nair Reddy Singh Mehta Rao Das Kapoor Joshi O'Neill Müller Smith Jones Brown "
LAST += "Taylor Wilson Evans Walker Wright Clarke Hughes Green Hall Wood Harris Lewis Martin"
COMPANIES = "Apex Bright Cedar Delta Ember Fable Granite Harbor Indigo Juniper Kite Lumen Maple Nova Orchid"
FIRST_NAMES, LAST_NAMES, COMPANY_WORDS = FIRST.split(), LAST.split(), COMPANIES.split()
SOURCES = ("website_form", "facebook_lead_ad", "google_lead_form", "manual", "import", "other")
STATUSES = ("new", "new", "contacted", "contacted", "qualified", "disqualified", "converted")
LEAD_ACTIVITY_TYPES = ("note", "call", "email_sent", "email_received", "meeting", "status_change")
ACTIVITY_TYPES = (
    "blog_post",
    "social_post",
    "content_brief",
    "keyword_cluster",
    "monthly_report",
    "backlinks",
)
PLATFORMS = ("linkedin", "x", "facebook", "instagram")


_TO_CROCKFORD = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", b"0123456789ABCDEFGHJKMNPQRSTVWXYZ")


def fast_ulid(at: float, rng: random.Random) -> str:
    """The same ULID as ``portal.ids.new_ulid(at)`` (48 bits of milliseconds, 80 random bits), about 10× faster.

    Base32 of the 128 bits shifted into 25 bytes, translated to Crockford's alphabet: the loop of
    new_ulid costs more than everything else in a row, and this script makes seven million of them.
    """
    value = (int(at * 1000) << 80) | rng.getrandbits(80)
    return base64.b32encode((value << 70).to_bytes(25, "big"))[:26].translate(_TO_CROCKFORD).decode()


def fast_uuid(rng: random.Random) -> uuid.UUID:
    """A version-4 UUID from the generator's random stream (no system call per id)."""
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _copy(cursor: psycopg.Cursor, table: str, columns: tuple[str, ...], rows) -> int:
    """COPY rows (an iterable of tuples) into table; returns how many."""
    count = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


class TenantData:
    """Generates one tenant's rows; ids are kept where children need them."""

    def __init__(
        self, tenant_id: uuid.UUID, tenant_ref: str, users: list[uuid.UUID], now: dt.datetime, seed: int
    ):
        self.tenant_id = tenant_id
        self.tenant_ref = tenant_ref
        self.users = users
        self.now = now
        self.rng = random.Random(seed)
        self.lead_ids: list[tuple[uuid.UUID, dt.datetime]] = []
        self.run_ids: list[tuple[uuid.UUID, dt.datetime]] = []
        self.activity_ids: list[tuple[uuid.UUID, str, dt.datetime]] = []

    def _when(self, days: int = 365) -> dt.datetime:
        return self.now - dt.timedelta(seconds=self.rng.randrange(days * 86400))

    def leads(self, count: int, serial: int):
        """Lead rows, newest about now; search_text and phone_digits as the portal writes them."""
        rng = self.rng
        for i in range(count):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            company = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_WORDS)} Ltd"
            email = f"{first.lower()}.{last.lower()}{serial + i}@example.test".replace("'", "").replace(
                "ü", "u"
            )
            email = email.replace("ë", "e")
            phone = f"+91 98{rng.randrange(10**7, 10**8)}"
            created = self._when()
            status = rng.choice(STATUSES)
            assigned = rng.choice(self.users) if status != "new" or rng.random() < 0.5 else None
            score = rng.randrange(101)
            band = "hot" if score >= 70 else "warm" if score >= 40 else "cold"
            lead_id = fast_uuid(rng)
            self.lead_ids.append((lead_id, created))
            yield (
                self.tenant_id,
                lead_id,
                fast_ulid(created.timestamp(), rng),
                rng.choice(SOURCES),
                first,
                last,
                email,
                phone,
                phone_digits(phone),
                company,
                lead_search_text(first, last, email, company, phone),
                status,
                score,
                band,
                assigned,
                created if assigned else None,
                created,
                created,
            )

    LEAD_COLUMNS = (
        "tenant_id",
        "id",
        "ref_id",
        "source",
        "first_name",
        "last_name",
        "email",
        "phone",
        "phone_digits",
        "company",
        "search_text",
        "status",
        "score_total",
        "score_band",
        "assigned_to",
        "assigned_on",
        "last_activity_on",
        "created_on",
    )

    def lead_activities(self, per_lead: int):
        """per_lead timeline entries for every lead generated."""
        rng = self.rng
        for lead_id, created in self.lead_ids:
            for j in range(per_lead):
                when = created + dt.timedelta(hours=j * 7 + rng.randrange(6))
                kind = rng.choice(LEAD_ACTIVITY_TYPES)
                actor = rng.choice(self.users)
                yield (
                    self.tenant_id,
                    fast_uuid(rng),
                    fast_ulid(when.timestamp(), rng),
                    lead_id,
                    kind,
                    f"{kind.replace('_', ' ').capitalize()} #{j + 1}",
                    "human",
                    str(actor),
                    when,
                )

    LEAD_ACTIVITY_COLUMNS = (
        "tenant_id",
        "id",
        "ref_id",
        "lead_id",
        "type",
        "description",
        "actor_type",
        "actor_id",
        "created_on",
    )

    def activities(self, count: int):
        """Finished agent activities (their runs, LLM and tool calls follow)."""
        rng = self.rng
        for i in range(count):
            when = self._when()
            activity_id = fast_uuid(rng)
            kind = ACTIVITY_TYPES[i % len(ACTIVITY_TYPES)]
            self.activity_ids.append((activity_id, kind, when))
            yield (
                self.tenant_id,
                activity_id,
                fast_ulid(when.timestamp(), rng),
                f"{kind.replace('_', ' ').capitalize()} {i + 1}",
                kind,
                "agent",
                "done",
                when,
                when + dt.timedelta(minutes=rng.randrange(5, 90)),
                when,
            )

    ACTIVITY_COLUMNS = (
        "tenant_id",
        "id",
        "ref_id",
        "title",
        "type",
        "executor",
        "status",
        "due_on",
        "completed_on",
        "created_on",
    )

    def runs(self):
        """One succeeded run per activity."""
        rng = self.rng
        for activity_id, _, when in self.activity_ids:
            run_id = fast_uuid(rng)
            self.run_ids.append((run_id, when))
            yield (
                self.tenant_id,
                run_id,
                fast_ulid(when.timestamp(), rng),
                activity_id,
                "succeeded",
                when,
                when + dt.timedelta(minutes=3),
                2,
                1,
                when,
            )

    RUN_COLUMNS = (
        "tenant_id",
        "id",
        "ref_id",
        "activity_id",
        "status",
        "started_on",
        "finished_on",
        "credits_reserved",
        "credits_consumed",
        "created_on",
    )

    def _per_run(self, values):
        """One row per run: its keys and the run, ``values(rng)``, and the run's time as created_on."""
        rng = self.rng
        for run_id, when in self.run_ids:
            yield (
                self.tenant_id,
                fast_uuid(rng),
                fast_ulid(when.timestamp(), rng),
                run_id,
                *values(rng),
                when,
            )

    # The columns every call per run starts with; created_on ends them.
    CALL_KEYS = ("tenant_id", "id", "ref_id", "activity_run_id")

    def llm_calls(self):
        """One LLM call per run."""
        return self._per_run(
            lambda rng: (
                "anthropic",
                "claude-sonnet",
                rng.randrange(500, 8000),
                rng.randrange(200, 4000),
                "0.0123",
                rng.randrange(800, 30000),
            )
        )

    LLM_COLUMNS = (
        *CALL_KEYS,
        "provider",
        "model",
        "prompt_tokens",
        "completion_tokens",
        "cost_usd",
        "latency_ms",
        "created_on",
    )

    def tool_calls(self):
        """One tool call per run."""
        return self._per_run(
            lambda rng: (
                "web_search",
                "succeeded",
                rng.randrange(50, 5000),
                "Searched the web for the brief's keywords",
            )
        )

    TOOL_COLUMNS = (*CALL_KEYS, "tool_name", "status", "duration_ms", "summary", "created_on")


def _article(title: str, rng: random.Random) -> str:
    """A few kilobytes of Markdown."""
    paragraphs = [
        " ".join(rng.choice(FIRST_NAMES + COMPANY_WORDS).lower() for _ in range(60)).capitalize() + "."
        for _ in range(8)
    ]
    return f"# {title}\n\n" + "\n\n".join(f"## Part {i + 1}\n\n{p}" for i, p in enumerate(paragraphs)) + "\n"


def posts(data: TenantData, count: int, documents_left: list[int], out_docs: list, out_objects: list):
    """(blog rows, social rows) for count posts; documents and objects for as many as documents_left allows."""
    rng = data.rng
    blog, social = [], []
    for i in range(count):
        when = data._when(180)
        ref = fast_ulid(when.timestamp(), rng)
        title = f"{rng.choice(COMPANY_WORDS)} guide {i + 1}"
        content_ref = None
        if documents_left[0] > 0:
            documents_left[0] -= 1
            object_id = ObjectId()
            body = _article(title, rng).encode()
            key = f"{data.tenant_ref}/activity-outputs/{ref}/{ref}.md"
            out_docs.append(
                {
                    "_id": object_id,
                    "refId": ref,
                    "tenantId": data.tenant_ref,
                    "createdOn": when,
                    "type": "blog_post" if i % 2 == 0 else "social_post",
                    "format": "markdown",
                    "s3Key": key,
                    "contentType": "text/markdown; charset=utf-8",
                    "bytes": len(body),
                    "sha256": hashlib.sha256(body).hexdigest(),
                }
            )
            out_objects.append((key, body))
            content_ref = str(object_id)
        status = ("client_review", "client_approved", "published", "dm_review")[i % 4]
        if i % 2 == 0:
            blog.append(
                (
                    data.tenant_id,
                    fast_uuid(rng),
                    ref,
                    title,
                    f"guide-{ref.lower()}",
                    status,
                    content_ref,
                    900,
                    when,
                )
            )
        else:
            status = status if status != "client_approved" else "scheduled"
            social.append(
                (data.tenant_id, fast_uuid(rng), ref, rng.choice(PLATFORMS), title, status, content_ref, when)
            )
    return blog, social


BLOG_COLUMNS = (
    "tenant_id",
    "id",
    "ref_id",
    "title",
    "slug",
    "status",
    "content_ref",
    "word_count",
    "created_on",
)
SOCIAL_COLUMNS = ("tenant_id", "id", "ref_id", "platform", "caption", "status", "content_ref", "created_on")


def _seed_demo(urls: tuple[str, str]) -> None:
    """Migrate the fresh bench database and write the three demo tenants (the ones people sign in to)."""
    from demo import seed_demo

    app = create_app(common.app_config(urls))
    with app.app_context():
        flask_migrate.upgrade()
        seed_demo(app.extensions["db"].new_session, app.extensions["stores"], common.PASSWORD)


def _set_tenant(cursor: psycopg.Cursor, tenant_id: uuid.UUID) -> None:
    cursor.execute("SELECT set_config('app.tenant_id', %s, true)", (str(tenant_id),))


COPIED_TABLES = (
    "users",
    "leads",
    "lead_activities",
    "activities",
    "activity_runs",
    "llm_calls",
    "tool_calls",
    "blog_posts",
    "social_posts",
)


@contextmanager
def copying(conn: psycopg.Connection, tenant_id: uuid.UUID) -> Iterator[psycopg.Cursor]:
    """A transaction for one tenant's COPY: the tenant set, and FORCE row security lifted until its end.

    PostgreSQL refuses COPY FROM into a table whose row security applies to the writer, and FORCE makes
    it apply to the owner. NO FORCE … FORCE inside the one transaction (as docs/TENANCY.md describes for
    data migrations) never shows another session a table without FORCE; the rows carry their tenant_id
    explicitly.
    """
    with conn.transaction(), conn.cursor() as cursor:
        _set_tenant(cursor, tenant_id)
        for table in COPIED_TABLES:
            cursor.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        yield cursor
        for table in COPIED_TABLES:
            cursor.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")


# The tables whose secondary indexes are rebuilt after the load (primary keys and unique constraints stay).
BULK_TABLES = (
    "leads",
    "lead_activities",
    "activities",
    "activity_runs",
    "llm_calls",
    "tool_calls",
    "portal.lead_search_terms",
)


def _backfill_terms_sql() -> str:
    """Migration 0008's backfill statement: the same terms its trigger writes, for every lead at once."""
    path = common.ROOT / "migrations" / "versions" / "0008_search_terms_newest.py"
    spec = importlib.util.spec_from_file_location("migration_0008", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.BACKFILL_TERMS


@contextmanager
def bulk_loading(conn: psycopg.Connection) -> Iterator[None]:
    """Drop the big tables' secondary indexes and disable the search-terms trigger while the body loads;
    then fill the search terms in one statement and rebuild the indexes (as the cluster's superuser, so
    row security does not apply to the backfill)."""
    with superuser(conn) as admin:
        definitions = admin.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            (list(BULK_TABLES),),
        ).fetchall()
        for name, _ in definitions:
            admin.execute(f"DROP INDEX {name}")
        admin.execute("ALTER TABLE leads DISABLE TRIGGER lead_search_terms")
    yield
    with superuser(conn) as admin:
        admin.execute("SET maintenance_work_mem = '1GB'")
        admin.execute("SET work_mem = '512MB'")
        started = time.perf_counter()
        admin.execute(_backfill_terms_sql())
        admin.execute("ALTER TABLE leads ENABLE TRIGGER lead_search_terms")
        print(f"  search terms filled in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        for _, definition in definitions:
            admin.execute(definition)
        print(f"  {len(definitions)} indexes rebuilt in {time.perf_counter() - started:.1f} s", flush=True)


def _demo_tenants(conn: psycopg.Connection) -> list[tuple[uuid.UUID, str, str, list[uuid.UUID], str]]:
    """(id, ref_id, slug, sales people's ids, password hash) of the demo tenants."""
    found = []
    with superuser(conn) as admin:  # the owner may not list tenants across the walls
        rows = admin.execute(
            "SELECT id, ref_id, slug FROM tenants WHERE slug = ANY(%s)", (list(DEMO),)
        ).fetchall()
    for tenant_id, ref, slug in sorted(rows, key=lambda row: DEMO.index(row[2])):
        with conn.transaction(), conn.cursor() as cursor:
            _set_tenant(cursor, tenant_id)
            users = cursor.execute(
                "SELECT id FROM users WHERE is_active AND role IN ('sales_rep', 'sales_manager')"
            ).fetchall()
            password_hash = cursor.execute(
                "SELECT password_hash FROM users WHERE email = %s", (f"owner@{slug}.test",)
            ).fetchone()[0]
            found.append((tenant_id, ref, slug, [u[0] for u in users], password_hash))
    return found


def superuser(conn: psycopg.Connection) -> psycopg.Connection:
    """A connection as the cluster's superuser to the same database (to count and size across tenants)."""
    info = conn.info
    return psycopg.connect(
        host=info.host, port=info.port, dbname=info.dbname, user="postgres", autocommit=True
    )


def _new_tenant(
    cursor: psycopg.Cursor, tenant_id: uuid.UUID, number: int, password_hash: str, now: dt.datetime
):
    """Insert a generated tenant and its six users; returns (ref_id, user ids)."""
    ref = new_ulid()
    slug = f"bench{number:02d}"
    cursor.execute(
        "INSERT INTO tenants (id, ref_id, name, slug, status, contract_accepted_on, onboarding_completed_on) "
        "VALUES (%s, %s, %s, %s, 'active', %s, %s)",
        (tenant_id, ref, f"Bench Tenant {number:02d}", slug, now, now),
    )
    roles = ["owner", "sales_manager", "sales_rep", "sales_rep", "sales_rep", "sales_rep"]
    users = [uuid.uuid4() for _ in roles]
    _copy(
        cursor,
        "users",
        ("tenant_id", "id", "ref_id", "full_name", "email", "role", "password_hash"),
        (
            (
                tenant_id,
                uid,
                new_ulid(),
                f"{role.replace('_', ' ').title()} {i}",
                f"{role}{i}@{slug}.test",
                role,
                password_hash,
            )
            for i, (uid, role) in enumerate(zip(users, roles, strict=True))
        ),
    )
    return ref, users


class ContentWriter:
    """Writes each tenant's documents and objects to the configured stores, before its rows commit.

    (As the demo seed does: a failure of the stores rolls the tenant's rows back with it.)
    """

    def __init__(self, config: dict) -> None:
        self.app = create_app(config)
        self.stores = self.app.extensions["stores"]
        self.config = config
        self.documents = self.objects = 0
        self.seconds = 0.0

    def write(self, documents: list, objects: list) -> None:
        """Write and forget the documents and objects collected so far."""
        started = time.perf_counter()
        with self.app.app_context():
            for start in range(0, len(documents), 1000):
                self.stores.documents["activity_outputs"].insert_many(documents[start : start + 1000])
            for key, body in objects:
                self.stores.blobs.put(key, body, "text/markdown; charset=utf-8")
        self.documents += len(documents)
        self.objects += len(objects)
        documents.clear()
        objects.clear()
        self.seconds += time.perf_counter() - started

    def where(self) -> str:
        """What went where."""
        config = self.config
        docs = (
            "MongoDB" if config["MONGODB_URI"] else f"the embedded store in {config['DOCUMENT_STORE_PATH']}"
        )
        objects = f"S3 bucket {config['S3_BUCKET']}" if config["S3_BUCKET"] else config["OBJECT_STORE_PATH"]
        return f"{self.documents} documents in {docs}, {self.objects} objects in {objects}"


def generate(scale: float, embedded_documents: int, database: str = common.DATABASE) -> None:
    """Build the bench database at scale and print what it holds, how long it took and its size."""
    started = time.perf_counter()
    urls = common.start_cluster(database)
    localpg.create_database(database, common.CLUSTER)
    _seed_demo(urls)
    print(
        f"bench cluster {common.CLUSTER} port {localpg.port(common.CLUSTER)}; demo seeded in "
        f"{time.perf_counter() - started:.1f} s"
    )
    config = common.app_config(urls)
    doc_budget = (
        round(POSTS * scale) if config["MONGODB_URI"] else min(embedded_documents, round(POSTS * scale))
    )
    documents_left = [doc_budget]
    content = ContentWriter(config)
    now = dt.datetime.now(dt.UTC)
    totals = dict.fromkeys(
        ("tenants", "leads", "lead_activities", "activities", "runs", "llm", "tools", "posts"), 0
    )
    loaded = time.perf_counter()
    with psycopg.connect(common.psycopg_url(urls[1])) as conn:
        demo = _demo_tenants(conn)
        password_hash = demo[0][4]
        tenants = [(t_id, ref, slug, users) for t_id, ref, slug, users, _ in demo]
        for number in range(len(demo) + 1, TENANTS + 1):
            tenant_id = uuid.uuid4()
            with copying(conn, tenant_id) as cursor:
                ref, users = _new_tenant(cursor, tenant_id, number, password_hash, now)
            tenants.append((tenant_id, ref, f"bench{number:02d}", users[1:]))  # leads go to sales people
            totals["tenants"] += 1
        with bulk_loading(conn):
            _load_tenants(conn, tenants, scale, now, totals, content, documents_left)
        with conn.cursor() as cursor:
            conn.autocommit = True
            cursor.execute("ANALYZE")
    load_seconds = time.perf_counter() - loaded - content.seconds
    report(urls, totals, scale, load_seconds, content.seconds, content.where(), doc_budget, started)


def _load_tenants(conn, tenants, scale, now, totals, content, documents_left) -> None:
    """COPY each tenant's rows in its own transaction, printing how long each took."""
    per_other = round((LEADS - BIGGEST) * scale) // (TENANTS - 1)
    documents: list = []
    objects: list = []
    for index, (tenant_id, ref, slug, users) in enumerate(tenants):
        tenant_started = time.perf_counter()
        data = TenantData(tenant_id, ref, users, now, seed=index)
        lead_count = round(BIGGEST * scale) if slug == BENCH_TENANT else per_other
        with copying(conn, tenant_id) as cursor:
            if slug == BENCH_TENANT:
                lead_count -= cursor.execute("SELECT count(*) FROM leads").fetchone()[0]
            totals["leads"] += _copy(
                cursor, "leads", TenantData.LEAD_COLUMNS, data.leads(max(lead_count, 0), index * 10**7)
            )
            totals["lead_activities"] += _copy(
                cursor,
                "lead_activities",
                TenantData.LEAD_ACTIVITY_COLUMNS,
                data.lead_activities(LEAD_ACTIVITIES_PER_LEAD),
            )
            per_tenant = round(ACTIVITIES * scale / TENANTS)
            totals["activities"] += _copy(
                cursor, "activities", TenantData.ACTIVITY_COLUMNS, data.activities(per_tenant)
            )
            totals["runs"] += _copy(cursor, "activity_runs", TenantData.RUN_COLUMNS, data.runs())
            totals["llm"] += _copy(cursor, "llm_calls", TenantData.LLM_COLUMNS, data.llm_calls())
            totals["tools"] += _copy(cursor, "tool_calls", TenantData.TOOL_COLUMNS, data.tool_calls())
            # The benchmark's tenant gets its posts first, so the documents a reduced run can afford are its own.
            blog, social = posts(data, round(POSTS * scale / TENANTS), documents_left, documents, objects)
            totals["posts"] += _copy(cursor, "blog_posts", BLOG_COLUMNS, blog)
            totals["posts"] += _copy(cursor, "social_posts", SOCIAL_COLUMNS, social)
            content.write(documents, objects)
        print(f"  {slug}: {lead_count} leads … in {time.perf_counter() - tenant_started:.1f} s", flush=True)


def report(urls, totals, scale, load_seconds, content_seconds, where, doc_budget, started) -> None:
    """Print the counts, the times and the database size."""
    with psycopg.connect(common.psycopg_url(urls[1])) as owner, superuser(owner) as conn:
        size = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
        counts = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("tenants", *COPIED_TABLES)
        }
        terms = conn.execute("SELECT to_regclass('portal.lead_search_terms')").fetchone()[0]
        if terms:
            counts["portal.lead_search_terms"] = conn.execute(
                "SELECT count(*) FROM portal.lead_search_terms"
            ).fetchone()[0]
    print(f"\nscale {scale}: generated {totals}")
    print("rows in the database (all tenants, as the superuser sees them):")
    for table, count in counts.items():
        print(f"  {table:28} {count:>12,}")
    full = round(POSTS * scale)
    if doc_budget < full:
        print(
            f"content: {where} — REDUCED: {doc_budget} of {full} posts have a document "
            "(no MONGODB_URI: the embedded store answers every query but a look-up by id, such as a post's "
            "versions, by reading the whole collection)"
        )
    else:
        print(f"content: {where}")
    print(
        f"COPY load {load_seconds:.1f} s, content stores {content_seconds:.1f} s, "
        f"total {time.perf_counter() - started:.1f} s; database size {size}"
    )


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size (e.g. 0.01)")
    parser.add_argument(
        "--embedded-documents",
        type=int,
        default=300,
        help="documents written to the embedded store when MONGODB_URI is not set",
    )
    parser.add_argument("--database", default=common.DATABASE, help="database in the bench cluster (rebuilt)")
    args = parser.parse_args()
    generate(args.scale, args.embedded_documents, args.database)


if __name__ == "__main__":
    main()
