"""The demo data generator, on a scratch database of its own: every table filled, every status shown, the
contract gate in each state, refusal and reset, leads spread over the reps, and real contract PDFs."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from itertools import pairwise

import flask_migrate
import pytest
from bson import ObjectId
from flask import Flask
from sqlalchemy import text

from demo import DEMO_SLUGS, DemoAlreadySeeded, build_tenant, is_seeded, seed_demo
from demo.profiles import INITECH
from portal import create_app, localpg
from portal.db import Base
from portal.leads.search import fold, lead_search_text, phone_digits
from portal.models.ads import (
    CAMPAIGN_STATUSES,
    CLASSIFICATION_STATUSES,
    KEYWORD_STATUSES,
    RECOMMENDATION_KINDS,
    RECOMMENDATION_STATUSES,
    TERM_LABELS,
)
from portal.models.agents import SESSION_STATUSES
from portal.models.billing import BILLING_KINDS, BILLING_STATUSES
from portal.models.channels import CHANNEL_TYPES
from portal.models.content import (
    BACKLINK_STATUSES,
    BLOG_POST_STATUSES,
    REQUEST_STATUSES,
    SOCIAL_PLATFORMS,
    SOCIAL_POST_STATUSES,
)
from portal.models.execution import ACTIVITY_STATUSES, ACTIVITY_TYPES, RUN_STATUSES
from portal.models.leads import LEAD_ACTIVITY_TYPES, LEAD_SOURCES, LEAD_STATUSES
from portal.models.planning import (
    DELIVERABLE_STATUSES,
    DELIVERABLE_TYPES,
    GOAL_STATUSES,
    METRIC_TYPES,
    PERIOD_STATUSES,
    STRATEGY_STATUSES,
)
from portal.models.tenancy import CONTRACT_STATUSES, ONBOARDING_STATUSES
from tests.conftest import TEST_CLUSTER, app_config

PASSWORD = "demo-password"
# One clock for both seeds, so a reset that crosses midnight still has the same rows to count.
NOW = dt.datetime.now(dt.UTC)
PLATFORM_TABLES = [table.name for table in Base.metadata.sorted_tables if table.schema is None]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Iterator[tuple[Flask, object]]:
    """A migrated scratch database and stores in a temporary folder, seeded once: (app, summary)."""
    localpg.start(TEST_CLUSTER, fast=True)
    name = f"portal_seed_{os.getpid()}"
    localpg.create_database(name, TEST_CLUSTER)
    try:
        app = create_app(app_config(localpg.urls(TEST_CLUSTER, name), str(tmp_path_factory.mktemp("seed"))))
        with app.app_context():
            flask_migrate.upgrade()
        summary = seed_demo(app.extensions["db"].new_session, app.extensions["stores"], PASSWORD, now=NOW)
        yield app, summary
        app.extensions["db"].engine.dispose()
    finally:
        localpg.drop_database(name, TEST_CLUSTER)


def tenant_id(app: Flask, slug: str):
    """A demo tenant's id, found through its owner (the sign-in look-up needs no tenant)."""
    with app.extensions["db"].new_session(None) as session:
        return session.execute(
            text("SELECT tenant_id FROM auth_lookup(:e)"), {"e": f"owner@{slug}.test"}
        ).scalar()


def query(app: Flask, slug: str, sql: str, **params) -> list:
    """Rows of a query run with the demo tenant set (Row Level Security shows only its rows)."""
    with app.extensions["db"].new_session(tenant_id(app, slug)) as session:
        return session.execute(text(sql), params).all()


def test_seeding_is_fast_and_lists_the_logins(seeded):
    _, summary = seeded
    # About 8 s here; the budget is 15 s, and the bound leaves room for a busy CI machine. A flush per row
    # (or a SELECT per row) would take minutes.
    assert summary.seconds < 30
    assert len(summary.logins) == 24
    assert {login.email for login in summary.logins if not login.active} == {
        f"rep3@{slug}.test" for slug in DEMO_SLUGS
    }
    printed = str(summary)
    assert "owner@acme.test" in printed and PASSWORD in printed and "lead_activities" in printed


@pytest.mark.parametrize("table", PLATFORM_TABLES)
def test_every_table_has_rows_for_acme(seeded, table):
    app, _ = seeded
    assert len(PLATFORM_TABLES) == 31
    assert query(app, "acme", f"SELECT count(*) FROM {table}")[0][0] > 0


@pytest.mark.parametrize(
    ("table", "column", "values"),
    [
        ("blog_posts", "status", BLOG_POST_STATUSES),
        ("social_posts", "status", SOCIAL_POST_STATUSES),
        ("social_posts", "platform", SOCIAL_PLATFORMS),
        ("strategies", "status", STRATEGY_STATUSES),
        ("leads", "status", LEAD_STATUSES),
        ("leads", "source", LEAD_SOURCES),
        ("lead_activities", "type", LEAD_ACTIVITY_TYPES),
        ("ad_campaigns", "status", CAMPAIGN_STATUSES),
        ("ad_keywords", "status", KEYWORD_STATUSES),
        ("ad_optimization_recommendations", "status", RECOMMENDATION_STATUSES),
        ("ad_optimization_recommendations", "kind", RECOMMENDATION_KINDS),
        ("search_term_classifications", "status", CLASSIFICATION_STATUSES),
        ("search_term_classifications", "ai_classification", TERM_LABELS),
        ("blog_requests", "status", REQUEST_STATUSES),
        ("social_media_requests", "status", REQUEST_STATUSES),
        ("activities", "status", ACTIVITY_STATUSES),
        ("activities", "type", ACTIVITY_TYPES),
        ("activity_runs", "status", RUN_STATUSES),
        ("sessions", "status", SESSION_STATUSES),
        ("deliverables", "type", DELIVERABLE_TYPES),
        ("deliverables", "status", DELIVERABLE_STATUSES),
        ("deliverable_periods", "status", PERIOD_STATUSES),
        ("goals", "status", GOAL_STATUSES),
        ("goals", "metric_type", METRIC_TYPES),
        ("backlinks", "status", BACKLINK_STATUSES),
        ("channels", "type", CHANNEL_TYPES),
        ("contracts", "status", CONTRACT_STATUSES),
        ("onboarding_runs", "status", ONBOARDING_STATUSES),
        ("billing_events", "kind", BILLING_KINDS),
        ("billing_events", "status", BILLING_STATUSES),
    ],
)
def test_every_value_appears_somewhere(seeded, table, column, values):
    app, _ = seeded
    seen = {
        row[0] for slug in DEMO_SLUGS for row in query(app, slug, f"SELECT DISTINCT {column} FROM {table}")
    }
    assert set(values) <= seen, f"{table}.{column} lacks {sorted(set(values) - seen)}"


def test_approval_queues_exist_for_both_active_tenants(seeded):
    app, _ = seeded
    for slug in ("acme", "northwind"):
        strategies = {row[0] for row in query(app, slug, "SELECT status FROM strategies")}
        assert {"approved", "pending_review"} <= strategies
        assert query(app, slug, "SELECT count(*) FROM blog_posts WHERE status = 'client_review'")[0][0] >= 1
        long_x = "SELECT count(*) FROM social_posts WHERE platform = 'x' AND length(caption) > 280"
        assert query(app, slug, long_x)[0][0] >= 1


def test_the_contract_gate_in_each_state(seeded):
    app, _ = seeded
    live = (
        "SELECT c.status, c.accepted_on, c.accepted_by, c.accepted_ip, c.accepted_user_agent, "
        "c.accepted_name, c.consent_text, c.accepted_sha256 = c.pdf_sha256, t.contract_accepted_on, "
        "t.onboarding_completed_on, t.status FROM contracts c, tenants t "
        "WHERE c.status IN ('sent', 'accepted')"
    )
    for slug in ("acme", "northwind"):
        [row] = query(app, slug, live)
        assert row[0] == "accepted" and all(row[1:8]) and row[7] is True
        assert row[8] == row[1] and row[9] is not None and row[10] == "active"
    [initech] = query(app, "initech", live)
    assert initech[0] == "sent" and initech[1] is None
    assert initech[8] is None and initech[9] is None and initech[10] == "onboarding"
    run = "SELECT status, context_file_id FROM onboarding_runs"
    assert [(status, bool(ref)) for status, ref in query(app, "initech", run)] == [("in_progress", True)]
    assert [r[0] for r in query(app, "acme", "SELECT status FROM contracts ORDER BY template_version")] == [
        "superseded",
        "accepted",
    ]


def test_stored_contract_pdfs_match_their_checksums(seeded, tmp_path):
    app, _ = seeded
    blobs = app.extensions["stores"].blobs
    for slug in DEMO_SLUGS:
        for key, digest in query(app, slug, "SELECT pdf_s3_key, pdf_sha256 FROM contracts"):
            body = blobs.get(key).body
            assert body.startswith(b"%PDF-")
            assert hashlib.sha256(body).hexdigest() == digest
    if shutil.which("pdftotext"):  # poppler, when installed, must read the text back
        path = tmp_path / "contract.pdf"
        path.write_bytes(body)
        words = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Growth Services Agreement" in words and "Governing law" in words


def test_leads_are_spread_over_the_active_reps(seeded):
    app, _ = seeded
    for slug in ("acme", "northwind"):
        per_rep = query(
            app,
            slug,
            "SELECT u.is_active, count(l.id), count(l.id) FILTER (WHERE l.status IN ('new', 'contacted', "
            "'qualified')) FROM users u LEFT JOIN leads l ON l.assigned_to = u.id "
            "WHERE u.role = 'sales_rep' GROUP BY u.id, u.is_active",
        )
        assert all(total >= 3 for active, total, _ in per_rep if active)
        assert all(still_open == 0 for active, _, still_open in per_rep if not active)
        assert query(app, slug, "SELECT count(*) FROM leads WHERE assigned_to IS NULL")[0][0] > 0
        overdue = (
            "SELECT count(*) FROM leads l, tenants t WHERE l.status = 'new' AND l.first_contacted_on IS NULL "
            "AND l.assigned_on < now() - make_interval(hours => t.first_contact_sla_hours)"
        )
        assert query(app, slug, overdue)[0][0] >= 2


def test_leads_are_internally_consistent(seeded):
    app, _ = seeded
    for slug in DEMO_SLUGS:
        leads = query(
            app,
            slug,
            "SELECT first_name, last_name, email, company, phone, search_text, phone_digits, score_total, "
            "score_band, status, last_activity_on, (SELECT max(created_on) FROM lead_activities a "
            "WHERE a.lead_id = l.id), (SELECT a.metadata ->> 'toStatus' FROM lead_activities a "
            "WHERE a.lead_id = l.id AND a.type = 'status_change' ORDER BY a.created_on DESC LIMIT 1) "
            "FROM leads l",
        )
        for (
            first,
            last,
            email,
            company,
            phone,
            search,
            digits,
            score,
            band,
            status,
            last_activity,
            latest,
            to,
        ) in leads:
            assert search == lead_search_text(first, last, email, company, phone)
            assert digits == phone_digits(phone)
            assert band == ("hot" if score >= 70 else "warm" if score >= 40 else "cold")
            assert last_activity == latest
            assert (to or "new") == status


def test_credit_use_this_month_shows_the_warning_for_northwind_only(seeded):
    app, _ = seeded
    used = (
        "SELECT -sum(credits)::float / max(t.monthly_credit_allocation) FROM billing_events, tenants t "
        "WHERE kind IN ('credit_consumed', 'credit_released') AND occurred_on >= date_trunc('month', "
        "now() AT TIME ZONE t.timezone) AT TIME ZONE t.timezone"
    )
    assert 0.5 <= query(app, "acme", used)[0][0] < 0.8
    assert 0.8 <= query(app, "northwind", used)[0][0] <= 1.0
    ledger = (
        "SELECT credits, credit_balance_after FROM billing_events WHERE credits <> 0 ORDER BY occurred_on"
    )
    for slug in ("acme", "northwind"):
        rows = query(app, slug, ledger)
        assert all(after >= 0 for _, after in rows)
        assert all(after == before + credits for (_, before), (credits, after) in pairwise(rows))


def test_references_resolve_except_the_documented_ones(seeded):
    app, _ = seeded
    documents = app.extensions["stores"].documents
    acme_ref = query(app, "acme", "SELECT ref_id FROM tenants")[0][0]
    stored = {doc["_id"] for doc in documents["activity_outputs"].find({"tenantId": acme_ref}, {"_id": 1})}
    refs = [
        ObjectId(r[0])
        for r in query(app, "acme", "SELECT output_ref FROM activities WHERE output_ref IS NOT NULL")
    ]
    assert len(refs) > 100 and len([ref for ref in refs if ref not in stored]) == 1
    posts = query(app, "acme", "SELECT content_ref FROM blog_posts")
    assert all(ObjectId(ref) in stored for (ref,) in posts)
    northwind = "SELECT content_ref FROM strategies ORDER BY version"
    missing = [
        ref
        for (ref,) in query(app, "northwind", northwind)
        if not documents["strategies_content"].find_one({"_id": ObjectId(ref)})
    ]
    assert len(missing) == 1


def test_running_again_refuses_and_reset_writes_the_same_data(seeded):
    app, summary = seeded
    factory, stores = app.extensions["db"].new_session, app.extensions["stores"]
    assert is_seeded(factory)
    with pytest.raises(DemoAlreadySeeded, match="reset"):
        seed_demo(factory, stores, PASSWORD, now=NOW)
    again = seed_demo(factory, stores, PASSWORD, reset=True, now=NOW)
    assert again.reset and again.rows == summary.rows and again.documents == summary.documents


def test_the_same_seed_gives_the_same_ids_on_another_day():
    first = build_tenant(INITECH, seed=1, now=NOW, password_hash="x")
    later = build_tenant(INITECH, seed=1, now=NOW + dt.timedelta(days=1), password_hash="x")
    assert first.tenant_ref == later.tenant_ref
    assert [row.ref_id for row in first.rows] == [row.ref_id for row in later.rows]
    assert [key for key, _, _ in first.objects] == [key for key, _, _ in later.objects]


def test_search_text_is_folded():
    assert fold("  Zoë   O'Néill ") == "zoe o'neill"
    assert phone_digits("+44 7700 900123") == "447700900123" and phone_digits("n/a") is None
    assert lead_search_text("Siobhán", "Lefèvre", "s.l@x.example", None, "+91 98450 21734") == (
        "siobhan lefevre s.l@x.example 919845021734"
    )


@pytest.mark.parametrize("hour", [1, 12, 22])
def test_nothing_in_the_demo_was_created_or_changed_in_the_future(hour):
    """Rows made or changed "later today" in the tenant's zone would read "in 3 h" on the pages."""
    from demo.profiles import PROFILES

    now = dt.datetime.combine(NOW.date(), dt.time(hour, 50), tzinfo=dt.UTC)
    for profile in PROFILES:
        built = build_tenant(profile, seed=1, now=now, password_hash="x")
        late = [
            f"{type(row).__name__}.{column}={getattr(row, column)}"
            for row in built.rows
            for column in ("created_on", "updated_on")
            if getattr(row, column, None) is not None and getattr(row, column) > now
        ]
        assert late == [], f"{profile.slug} at {now:%H:%M} UTC: {late[:5]} ({len(late)} in all)"
