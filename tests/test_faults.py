"""Faults under moderate load: MongoDB dead, S3 stopped, PostgreSQL stopped, and each brought back (issue 10).

The portal runs in a real HTTP server (werkzeug, threaded) on loopback against a PostgreSQL cluster of this
module's own (``var/postgres-faults-<pid>``, which the test stops and starts; the shared clusters are never
touched), a moto S3 server the test stops and starts, and, for MongoDB, an app pointed at a closed port.
While a fault lasts, a few threads keep requesting pages and every answer's status and time is counted.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import flask_migrate
import pytest
import requests
from werkzeug.serving import make_server

from portal import localpg
from portal.auth.passwords import hash_password
from portal.ids import new_ulid
from portal.models import BlogPost, Tenant, User
from portal.stores import documents
from tests.conftest import app_config, build_app
from tests.s3 import S3Server, fake_aws, free_port, moto_with_bucket

BUCKET = "portal-faults"
EMAIL = "owner@faults.test"
PASSWORD = "faults-secret"
PG_PAGES = ("/", "/leads/", "/team/")  # pages that need PostgreSQL only
REQUEST_TIMEOUT = 15  # the client's own limit: longer than any server-side timeout (3 s connect, 5 s pool)


@pytest.fixture(scope="module")
def aws():
    """Fake credentials and no shared configuration, so boto3 never looks beyond this test."""
    with fake_aws():
        yield


@pytest.fixture(scope="module")
def moto(aws) -> Iterator[S3Server]:
    """The S3 server, with the bucket."""
    with moto_with_bucket(BUCKET) as server:
        yield server


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[dict]:
    """A cluster of this module's own with a migrated database, one tenant, its owner and a blog post."""
    data_dir = localpg.ROOT / "var" / f"postgres-faults-{os.getpid()}"
    localpg.start(data_dir, fast=True)
    try:
        localpg.create_database("portal_faults", data_dir)
        urls = localpg.urls(data_dir, "portal_faults")
        var = str(tmp_path_factory.mktemp("faults"))
        app = build_app(app_config(urls, var))
        with app.app_context():
            flask_migrate.upgrade()
        yield {"dir": data_dir, "urls": urls, "var": var, "port": localpg.port(data_dir)}
    finally:
        localpg.stop(data_dir)
        shutil.rmtree(data_dir, ignore_errors=True)
        (data_dir.parent / f"{data_dir.name}.port").unlink(missing_ok=True)


def _configured(cluster: dict, **overrides) -> dict:
    config = app_config(cluster["urls"], cluster["var"])
    config.update(TESTING=False, **overrides)
    return config


@pytest.fixture(scope="module")
def tenant(cluster, moto) -> dict:
    """An active tenant with its owner and a blog post whose content is a document naming an S3 object."""
    app = build_app(_configured(cluster, S3_BUCKET=BUCKET, S3_ENDPOINT_URL=moto.endpoint))
    tenant_id, tenant_ref, post_ref = uuid.uuid4(), new_ulid(), new_ulid()
    key = f"{tenant_ref}/activity-outputs/{post_ref}/{post_ref}.md"
    stores = app.extensions["stores"]
    with app.app_context():
        stores.blobs.put(key, b"# Faults\n\nThe article body.\n", "text/markdown; charset=utf-8")
        # No sha256: every request fetches the object, so a stopped S3 shows at once (no warm cache).
        document_id = (
            stores.documents[documents.ACTIVITY_OUTPUTS]
            .insert_one({"refId": post_ref, "tenantId": tenant_ref, "format": "markdown", "s3Key": key})
            .inserted_id
        )
        session = app.extensions["db"].new_session(tenant_id)
        now = time.time()
        session.add(
            Tenant(
                id=tenant_id,
                ref_id=tenant_ref,
                name="Faults Ltd",
                slug=f"faults-{os.getpid()}",
                status="active",
                contract_accepted_on=_utc(now),
                onboarding_completed_on=_utc(now),
            )
        )
        session.flush()
        session.add(
            User(
                tenant_id=tenant_id,
                full_name="Fay Ults",
                email=EMAIL,
                role="owner",
                password_hash=hash_password(PASSWORD),
            )
        )
        session.add(
            BlogPost(
                tenant_id=tenant_id,
                ref_id=post_ref,
                title="Faults",
                slug="faults",
                status="client_review",
                content_ref=str(document_id),
            )
        )
        session.commit()
        session.close()
    return {"post": post_ref}


def _utc(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


@contextmanager
def serving(config: dict) -> Iterator[str]:
    """The portal with config in a threaded werkzeug server on a loopback port; yields its base URL."""
    app = build_app(config)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["db"].engine.dispose()


def signed_in(base: str) -> requests.Session:
    """A requests session signed in as the tenant's owner through the login form."""
    client = requests.Session()
    page = client.get(f"{base}/login", timeout=REQUEST_TIMEOUT).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = client.post(
        f"{base}/login",
        data={"email": EMAIL, "password": PASSWORD, "csrf_token": token},
        allow_redirects=False,
        timeout=REQUEST_TIMEOUT,
    )
    assert answer.status_code == 302, answer.status_code
    return client


def timed(client: requests.Session, url: str) -> tuple[int, float]:
    """(status, seconds) of one GET; a request the client gave up on is status 0."""
    started = time.monotonic()
    try:
        status = client.get(url, timeout=REQUEST_TIMEOUT, allow_redirects=False).status_code
    except requests.RequestException:
        status = 0
    return status, time.monotonic() - started


class Load:
    """A few threads requesting the PostgreSQL-only pages until stopped, counting statuses and the slowest."""

    def __init__(self, base: str, threads: int = 4) -> None:
        self.base = base
        self.statuses: Counter[int] = Counter()
        self.slowest = 0.0
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.ready = threading.Semaphore(0)
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(threads)]

    def _run(self, index: int) -> None:
        client = signed_in(self.base)
        self.ready.release()
        while not self.stopping.is_set():
            status, seconds = timed(client, self.base + PG_PAGES[index % len(PG_PAGES)])
            with self.lock:
                self.statuses[status] += 1
                self.slowest = max(self.slowest, seconds)

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        for _ in self.threads:  # every thread signed in before the fault begins
            assert self.ready.acquire(timeout=30), "a load thread could not sign in"
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=REQUEST_TIMEOUT + 5)


def test_a_dead_mongodb_degrades_content_and_leaves_pages_working(cluster, tenant):
    dead = f"mongodb://127.0.0.1:{free_port()}/?connectTimeoutMS=500"
    with serving(_configured(cluster, MONGODB_URI=dead, MONGODB_TIMEOUT_MS=1000)) as base, Load(base) as load:
        client = signed_in(base)
        status, seconds = timed(client, f"{base}/refs/blog_post/{tenant['post']}")
        assert status == 503 and seconds < 3, (status, seconds)
        assert "unavailable" in client.get(f"{base}/refs/blog_post/{tenant['post']}").text.lower()
        for page in PG_PAGES:
            assert timed(client, base + page)[0] == 200, page
    assert set(load.statuses) == {200}, load.statuses
    assert load.slowest < 5, load.slowest


def test_a_stopped_s3_degrades_content_and_it_comes_back(cluster, tenant, moto):
    config = _configured(cluster, S3_BUCKET=BUCKET, S3_ENDPOINT_URL=moto.endpoint)
    fragment = f"/refs/blog_post/{tenant['post']}"
    with serving(config) as base, Load(base) as load:
        client = signed_in(base)
        before = client.get(base + fragment)
        assert before.status_code == 200 and "The article body." in before.text
        moto.stop()
        try:
            status, seconds = timed(client, base + fragment)
            assert status == 503 and seconds < 3, (status, seconds)
            for page in PG_PAGES:
                assert timed(client, base + page)[0] == 200, page
        finally:
            moto.start()
        after = client.get(base + fragment)
        assert after.status_code == 200 and "The article body." in after.text
    assert set(load.statuses) == {200}, load.statuses
    assert load.slowest < 5, load.slowest


def _restart_postgres(cluster: dict) -> None:
    """Start the stopped cluster again on the same port (localpg.start would pick a new one)."""
    options = f"-p {cluster['port']} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off"
    log = Path(cluster["dir"]) / "server.log"
    localpg._as_server_user(
        [
            localpg._bin("pg_ctl"),
            "start",
            "-D",
            str(cluster["dir"]),
            "-w",
            "-t",
            "30",
            "-l",
            str(log),
            "-o",
            options,
        ],
        stdout=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def postgres_outage(cluster, tenant) -> dict:
    """Stop PostgreSQL under load, observe, start it again and observe the recovery; returns what was seen."""
    seen: dict = {}
    with serving(_configured(cluster)) as base, Load(base) as load:
        client = signed_in(base)
        seen["before"] = timed(client, base + "/leads/")
        localpg.stop(cluster["dir"])
        try:
            seen["down"] = {page: timed(client, base + page) for page in PG_PAGES}
            seen["healthz"] = timed(client, base + "/healthz")
            seen["readyz"] = timed(client, base + "/readyz")
        finally:
            _restart_postgres(cluster)
        restarted = time.monotonic()
        while timed(client, base + "/leads/")[0] != 200 and time.monotonic() - restarted < 10:
            time.sleep(0.2)
        seen["recovery_seconds"] = time.monotonic() - restarted
        seen["after"] = {page: timed(client, base + page) for page in PG_PAGES}
    seen["load"], seen["slowest"] = load.statuses, load.slowest
    return seen


def test_pages_answer_503_quickly_while_postgresql_is_down(postgres_outage):
    assert postgres_outage["before"][0] == 200
    for page, (status, seconds) in postgres_outage["down"].items():
        assert status == 503 and seconds < 5, (page, status, seconds)
    assert set(postgres_outage["load"]) <= {200, 503}, postgres_outage["load"]
    assert postgres_outage["healthz"][0] == 200  # the process itself is fine
    assert postgres_outage["readyz"][0] == 503


def test_no_request_hangs_while_postgresql_is_down(postgres_outage):
    assert all(seconds < 5 for _, seconds in postgres_outage["down"].values()), postgres_outage["down"]
    assert 0 not in postgres_outage["load"], postgres_outage["load"]  # no request given up on by the client
    assert postgres_outage["slowest"] < 10, postgres_outage["slowest"]


def test_the_portal_recovers_without_a_restart_when_postgresql_returns(postgres_outage):
    assert postgres_outage["recovery_seconds"] < 10
    assert {page: status for page, (status, _) in postgres_outage["after"].items()} == dict.fromkeys(
        PG_PAGES, 200
    )
    assert postgres_outage["load"][200] > 0
