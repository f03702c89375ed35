"""Leads: the list and its search, who sees what, a lead's page, status moves, the timeline and assignment."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from portal.models import AdCampaign, Channel, Lead, LeadActivity, Notification, Tenant
from tests.conftest import signed_in, tenant_of, text_of, user_of
from tests.factories import make_lead, make_tenant, make_user, session_of
from tests.queries import count_statements


def _lead(session, **where) -> Lead:
    statement = select(Lead).where(Lead.deleted_on.is_(None))
    for name, value in where.items():
        statement = statement.where(getattr(Lead, name) == value)
    return session.scalars(statement.order_by(Lead.created_on.desc()).limit(1)).one()


def _add(session, count: int, **values) -> list[Lead]:
    """count leads of the session's tenant ("Test<n> Person" of Probe Ltd unless values say otherwise)."""
    tenant = tenant_of(session)
    numbered = [
        {"first_name": f"Test{number}", "last_name": "Person", "email": f"test{number}.person@example.test"}
        for number in range(count)
    ]
    return [make_lead(tenant, **({"company": "Probe Ltd"} | names | values)) for names in numbered]


# -- the list -------------------------------------------------------------------------------------------------


def test_the_list_shows_leads_newest_first_with_a_cursor_to_the_next_page(app, client):
    tenant = make_tenant(app)
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    # made oldest last, so the list's order is its own and not the order of writing
    leads = [make_lead(tenant, created_on=start + dt.timedelta(minutes=n)) for n in reversed(range(30))]
    newest_first = [lead.ref_id for lead in sorted(leads, key=lambda lead: lead.created_on, reverse=True)]
    client.login(make_user(tenant, "sales_manager").email)
    page = client.get("/leads/")
    assert page.status_code == 200
    assert "Older →" in text_of(page)
    cursor = re.search(r'href="([^"]*cursor=[^"]+)"', page.get_data(as_text=True)).group(1)
    second = client.get(cursor.replace("&amp;", "&"))
    assert second.status_code == 200
    assert "Older →" not in text_of(second)
    first_refs = re.findall(r'<td><a href="/leads/([0-9A-Z]{26})"', page.get_data(as_text=True))
    second_refs = re.findall(r'<td><a href="/leads/([0-9A-Z]{26})"', second.get_data(as_text=True))
    assert (first_refs, second_refs) == (newest_first[:25], newest_first[25:])


def test_search_finds_a_middle_word_a_phone_and_an_email(client, tenant_session):
    session = tenant_session("acme")
    _add(session, 1, first_name="Zoë", last_name="Quixotic-Smythe", email="zq@probe.example")
    client.login("manager@acme.test")
    for query in ("quixotic", "QUIXO", "smythe", "zoe quix", "probe.example", "zq@probe"):
        assert "Zoë Quixotic-Smythe" in text_of(client.get("/leads/", query_string={"q": query})), query
    assert "Zoë Quixotic-Smythe" not in text_of(client.get("/leads/", query_string={"q": "quixotics"}))


def _walk(client, url: str) -> list[str]:
    """The lead refs of every page of a list, following its "Older" links."""
    refs = []
    while url:
        page = client.get(url).get_data(as_text=True)
        refs += re.findall(r'<td><a href="/leads/([0-9A-Z]{26})"', page)
        found = re.search(r'href="([^"]*cursor=[^"]+)"', page)
        url = found.group(1).replace("&amp;", "&") if found else None
    return refs


def test_a_search_pages_through_its_matches_in_created_order_each_once(client, tenant_session):
    session = tenant_session("acme")
    leads = _add(session, 30, last_name="Pagerprobe")  # the test's one transaction: equal created_on
    twice = _add(session, 1, first_name="Pagerprobes", last_name="Pagerprobe")[0]
    moved = leads[3]
    moved.created_on = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)  # the newest now: its terms must follow
    gone = leads[4]
    gone.deleted_on = dt.datetime.now(dt.UTC)
    session.commit()
    live = [lead for lead in [*leads, twice] if lead is not gone]
    newest_first = [
        lead.ref_id for lead in sorted(live, key=lambda lead: (lead.created_on, lead.id), reverse=True)
    ]
    client.login("manager@acme.test")

    assert _walk(client, "/leads/?q=pagerprob") == newest_first
    assert newest_first[0] == moved.ref_id
    assert _walk(client, "/leads/?q=pagerprob&dir=asc") == newest_first[::-1]
    # a second word narrows the first word's matches
    assert _walk(client, "/leads/?q=pagerprobe+pagerprobes") == [twice.ref_id]


def test_filters_narrow_and_garbage_is_ignored_with_a_notice(app, client):
    tenant = make_tenant(app)
    for status in ("new", "contacted", "qualified", "disqualified", "converted"):
        make_lead(tenant, first_name=status.title(), last_name="Statusprobe", status=status)
    client.login(make_user(tenant, "sales_manager").email)
    page = client.get("/leads/?status=bogus&band=tepid&from=yesterday&sort=name&cursor=%%%")
    assert page.status_code == 200
    text = text_of(page)
    assert "Ignored the unknown status “bogus”" in text
    assert "Ignored the unknown score band “tepid”" in text
    assert "Ignored the from date “yesterday”" in text
    rows = text_of(client.get("/leads/?status=converted")).split("Statusprobe")
    assert len(rows) == 2 and rows[0].endswith("Converted ")  # the converted lead, and no other


def test_htmx_gets_only_the_table(client):
    client.login("manager@acme.test")
    fragment = client.get("/leads/?status=new", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<table" in fragment and "<html" not in fragment and 'class="toolbar"' not in fragment


def test_statement_count_of_list_and_detail_does_not_grow_with_data(app, client, tenant_session):
    session = tenant_session("acme")
    rep = user_of(session, "rep1@acme.test")
    client.login("manager@acme.test")
    engine = app.extensions["db"].engine
    lead = _lead(session)

    def counts() -> tuple[int, int, int]:
        with count_statements(engine) as listed:
            assert client.get("/leads/").status_code == 200
        with count_statements(engine) as searched:
            assert client.get("/leads/?q=test&assignee=unassigned").status_code == 200
        with count_statements(engine) as detail:
            assert client.get(f"/leads/{lead.ref_id}").status_code == 200
        return len(listed), len(searched), len(detail)

    before = counts()
    _add(session, 400)
    _add(session, 100, assigned_to=rep.id)
    for number in range(300):
        session.add(
            LeadActivity(tenant_id=rep.tenant_id, lead_id=lead.id, type="note", description=f"n{number}")
        )
    session.commit()
    assert counts() == before


# -- who sees what --------------------------------------------------------------------------------------------


def test_a_rep_sees_their_own_and_the_pool_and_gets_404_for_another_reps_lead(client, tenant_session):
    session = tenant_session("acme")
    rep1, rep2 = user_of(session, "rep1@acme.test"), user_of(session, "rep2@acme.test")
    own = _add(session, 1, first_name="Ownlead", assigned_to=rep1.id)[0]
    pool = _add(session, 1, first_name="Poollead")[0]
    other = _add(session, 1, first_name="Otherlead", assigned_to=rep2.id)[0]
    client.login("rep1@acme.test")
    listed = text_of(client.get("/leads/?q=person"))
    assert "Ownlead" in listed and "Poollead" in listed and "Otherlead" not in listed
    assert client.get(f"/leads/{own.ref_id}").status_code == 200
    assert client.get(f"/leads/{pool.ref_id}").status_code == 200
    assert client.get(f"/leads/{other.ref_id}").status_code == 404
    assert (
        client.post(
            f"/leads/{other.ref_id}/activities", data={"type": "note", "description": "x"}
        ).status_code
        == 404
    )
    assert client.get("/leads/export.csv").status_code == 403
    assert client.get("/leads/report").status_code == 403


def test_viewers_and_marketers_have_no_leads_area(app):
    for email in ("viewer@acme.test", "marketer@acme.test"):
        client = signed_in(app, email)
        assert client.get("/leads/").status_code == 403
        assert 'href="/leads/"' not in client.get("/").get_data(as_text=True)


def test_the_sidebar_counts_new_leads_for_the_rep_and_the_unassigned_for_managers(app, client):
    tenant = make_tenant(app)
    rep, other_rep = make_user(tenant, "sales_rep"), make_user(tenant, "sales_rep")
    for _ in range(3):
        make_lead(tenant, assigned_to=rep.id)  # new and the rep's: 3 waiting for the rep
    make_lead(tenant, assigned_to=rep.id, status="contacted")
    make_lead(tenant, assigned_to=other_rep.id)
    for _ in range(2):
        make_lead(tenant)  # the unassigned pool: 2 waiting for a manager
    make_lead(tenant, deleted_on=dt.datetime.now(dt.UTC))
    client.login(rep.email)
    assert "Leads ( 3 waiting for you)" in text_of(client.get("/leads/"))
    client.post("/logout")
    client.login(make_user(tenant, "sales_manager").email)
    assert "Leads ( 2 waiting for you)" in text_of(client.get("/leads/"))


def test_a_pool_of_a_hundred_or_more_shows_as_99_plus_and_the_rep_keeps_an_exact_count(app, client):
    tenant = make_tenant(app)
    rep = make_user(tenant, "sales_rep")
    for _ in range(100):
        make_lead(tenant)
    for _ in range(2):
        make_lead(tenant, assigned_to=rep.id)
    client.login(make_user(tenant, "sales_manager").email)
    assert "Leads ( 99+ waiting for you)" in text_of(client.get("/leads/"))
    client.post("/logout")
    client.login(rep.email)
    assert "Leads ( 2 waiting for you)" in text_of(client.get("/leads/"))


# -- a lead's page and its timeline ---------------------------------------------------------------------------


def test_detail_shows_contact_source_and_timeline(app, client):
    tenant = make_tenant(app)
    manager, rep = make_user(tenant, "sales_manager"), make_user(tenant, "sales_rep")
    lead = make_lead(tenant, email="ada@engines.example", assigned_to=rep.id)
    session = session_of(tenant)
    session.add(
        LeadActivity(
            tenant_id=tenant.id,
            lead_id=lead.id,
            type="assignment",
            actor_type="human",
            actor_id=manager.ref_id,
            metadata_={"fromUser": None, "toUser": rep.ref_id, "rule": "manual"},
        )
    )
    session.commit()
    client.login(manager.email)
    text = text_of(client.get(f"/leads/{lead.ref_id}"))
    assert "ada@engines.example" in text and "Timeline" in text
    assert f"{manager.full_name} changed the assignee" in text


def test_status_moves_one_step_with_a_timeline_entry_and_first_contact(client, tenant_session):
    session = tenant_session("acme")
    lead = _add(session, 1)[0]
    client.login("manager@acme.test")
    response = client.post(
        f"/leads/{lead.ref_id}/status", data={"status": "contacted", "version": lead.version}
    )
    assert response.status_code == 302
    session.expire_all()
    moved = session.get(Lead, (lead.tenant_id, lead.id))
    assert moved.status == "contacted" and moved.first_contacted_on is not None and moved.version == 2
    entry = session.scalars(select(LeadActivity).where(LeadActivity.lead_id == lead.id)).one()
    assert entry.type == "status_change"
    assert entry.metadata_ == {"fromStatus": "new", "toStatus": "contacted"}
    manager = user_of(session, "manager@acme.test")
    assert f"{manager.full_name} changed the status" in text_of(client.get(f"/leads/{lead.ref_id}"))
    # a skip is refused, and so is a disqualification without a reason; nothing is recorded
    skip = client.post(f"/leads/{lead.ref_id}/status", data={"status": "converted", "version": 2})
    assert skip.status_code == 400 and "cannot move to converted" in text_of(skip)
    no_reason = client.post(f"/leads/{lead.ref_id}/status", data={"status": "disqualified", "version": 2})
    assert no_reason.status_code == 400 and "Say why" in text_of(no_reason)
    unknown = client.post(f"/leads/{lead.ref_id}/status", data={"status": "won", "version": 2})
    assert unknown.status_code == 400
    assert session.scalar(select(func.count()).where(LeadActivity.lead_id == lead.id)) == 1
    # the same click again (a double submit, or a stale page) changes nothing and says who moved it
    again = client.post(f"/leads/{lead.ref_id}/status", data={"status": "contacted", "version": 1})
    assert again.status_code == 409
    assert "changed this lead" in text_of(again)
    assert session.scalar(select(func.count()).where(LeadActivity.lead_id == lead.id)) == 1
    done = client.post(
        f"/leads/{lead.ref_id}/status", data={"status": "disqualified", "version": 2, "reason": "No budget"}
    )
    assert done.status_code == 302
    session.expire_all()
    assert session.get(Lead, (lead.tenant_id, lead.id)).disqualification_reason == "No budget"


def test_a_call_sets_first_contact_and_a_note_does_not(client, tenant_session):
    session = tenant_session("acme")
    lead = _add(session, 1)[0]
    client.login("manager@acme.test")
    assert (
        client.post(
            f"/leads/{lead.ref_id}/activities", data={"type": "note", "description": "Hi"}
        ).status_code
        == 302
    )
    session.expire_all()
    after_note = session.get(Lead, (lead.tenant_id, lead.id))
    assert after_note.first_contacted_on is None and after_note.last_activity_on is not None
    empty = client.post(f"/leads/{lead.ref_id}/activities", data={"type": "call", "description": ""})
    assert empty.status_code == 400 and "Write what happened." in text_of(empty)
    client.post(f"/leads/{lead.ref_id}/activities", data={"type": "call", "description": "Called, keen"})
    session.expire_all()
    assert session.get(Lead, (lead.tenant_id, lead.id)).first_contacted_on is not None
    assert "Called, keen" in text_of(client.get(f"/leads/{lead.ref_id}"))


# -- assignment -----------------------------------------------------------------------------------------------


def test_a_manager_assigns_with_a_trail_and_the_rep_is_told(client, tenant_session):
    session = tenant_session("acme")
    manager, rep = user_of(session, "manager@acme.test"), user_of(session, "rep2@acme.test")
    lead = _add(session, 1)[0]
    client.login("manager@acme.test")
    response = client.post(
        f"/leads/{lead.ref_id}/assign", data={"rep": rep.ref_id, "version": 1, "reason": "Knows the area"}
    )
    assert response.status_code == 302
    entry = session.scalars(select(LeadActivity).where(LeadActivity.lead_id == lead.id)).one()
    assert entry.type == "assignment" and entry.actor_type == "human" and entry.actor_id == manager.ref_id
    assert entry.metadata_ == {
        "fromUser": None,
        "toUser": rep.ref_id,
        "rule": "manual",
        "reason": "Knows the area",
    }
    told = session.scalars(
        select(Notification).where(Notification.user_id == rep.id).order_by(Notification.created_on.desc())
    ).first()
    assert told.kind == "lead_assigned" and lead.ref_id in told.url


def test_assigning_to_a_deactivated_or_foreign_user_is_refused(app, client):
    tenant = make_tenant(app)
    lead = make_lead(tenant)
    deactivated = make_user(tenant, "sales_rep", is_active=False)
    foreign = make_user(make_tenant(app), "sales_rep")
    viewer = make_user(tenant, "viewer")
    client.login(make_user(tenant, "sales_manager").email)
    for user in (deactivated, foreign, viewer):
        response = client.post(f"/leads/{lead.ref_id}/assign", data={"rep": user.ref_id, "version": 1})
        assert response.status_code == 400, user.email
        assert "Choose an active sales rep of your team." in text_of(response)
    session = session_of(tenant)
    assert session.get(Lead, (tenant.id, lead.id), populate_existing=True).assigned_to is None
    assert session.scalar(select(func.count()).where(LeadActivity.lead_id == lead.id)) == 0


def test_a_rep_claims_releases_and_hands_over(client, tenant_session):
    session = tenant_session("acme")
    rep2 = user_of(session, "rep2@acme.test")
    lead = _add(session, 1)[0]
    client.login("rep1@acme.test")
    assert client.post(f"/leads/{lead.ref_id}/claim", data={"version": 1}).status_code == 302
    no_reason = client.post(f"/leads/{lead.ref_id}/hand-over", data={"version": 2, "rep": rep2.ref_id})
    assert no_reason.status_code == 400 and "Say why" in text_of(no_reason)
    handed = client.post(
        f"/leads/{lead.ref_id}/hand-over", data={"version": 2, "rep": rep2.ref_id, "reason": "On leave"}
    )
    assert handed.status_code == 302
    # now rep2's: rep1 no longer sees it
    assert client.get(f"/leads/{lead.ref_id}").status_code == 404
    rules = session.scalars(
        select(LeadActivity.metadata_["rule"].astext)
        .where(LeadActivity.lead_id == lead.id)
        .order_by(LeadActivity.created_on)
    ).all()
    assert rules == ["claim", "hand_over"]
    client.post("/logout")
    client.login("rep2@acme.test")
    assert client.post(f"/leads/{lead.ref_id}/release", data={"version": 3}).status_code == 302
    session.expire_all()
    assert session.get(Lead, (lead.tenant_id, lead.id)).assigned_to is None


def test_the_loser_of_a_claim_is_told_who_took_it(client, tenant_session):
    session = tenant_session("acme")
    lead = _add(session, 1)[0]
    client.login("rep2@acme.test")
    assert client.post(f"/leads/{lead.ref_id}/claim", data={"version": 1}).status_code == 302
    client.post("/logout")
    client.login("rep1@acme.test")
    lost = client.post(f"/leads/{lead.ref_id}/claim", data={"version": 1}, follow_redirects=True)
    rep2 = user_of(session, "rep2@acme.test")
    assert f"Taken by {rep2.full_name} a moment ago." in text_of(lost)
    assert session.scalar(select(func.count()).where(LeadActivity.lead_id == lead.id)) == 1


def test_managers_cannot_claim_and_reps_cannot_assign(client, tenant_session):
    session = tenant_session("acme")
    lead = _add(session, 1)[0]
    client.login("manager@acme.test")
    refused = client.post(f"/leads/{lead.ref_id}/claim", data={"version": 1})
    assert refused.status_code == 400 and "Only sales reps claim" in text_of(refused)
    client.post("/logout")
    client.login("rep1@acme.test")
    rep2 = user_of(session, "rep2@acme.test")
    assert (
        client.post(f"/leads/{lead.ref_id}/assign", data={"version": 1, "rep": rep2.ref_id}).status_code
        == 403
    )


def test_bulk_assign_moves_the_ticked_leads_and_skips_the_changed_ones(client, tenant_session):
    session = tenant_session("acme")
    rep = user_of(session, "rep1@acme.test")
    leads = _add(session, 3)
    client.login("manager@acme.test")
    picked = [f"{lead.ref_id}:1" for lead in leads[:2]] + [f"{leads[2].ref_id}:7"]
    response = client.post(
        "/leads/bulk-assign",
        data={"rep": rep.ref_id, "lead": picked, "next": "/leads/"},
        follow_redirects=True,
    )
    text = text_of(response)
    assert "2 leads assigned." in text and "Changed by someone else" in text
    session.expire_all()
    owners = [session.get(Lead, (lead.tenant_id, lead.id)).assigned_to for lead in leads]
    assert owners == [rep.id, rep.id, None]
    assert (
        session.scalar(select(func.count()).where(LeadActivity.lead_id.in_([lead.id for lead in leads]))) == 2
    )


def test_the_assignment_rule_is_a_setting_for_managers(app, client):
    tenant = make_tenant(app, lead_assignment_mode="manual")
    client.login(make_user(tenant, "sales_manager").email)
    assert client.post("/leads/settings", data={"mode": "capacity"}).status_code == 302
    session = session_of(tenant)
    session.expire_all()
    assert tenant.lead_assignment_mode == "capacity"
    bad = client.post("/leads/settings", data={"mode": "lottery"})
    assert bad.status_code == 400
    session.expire_all()
    assert tenant.lead_assignment_mode == "capacity"


def test_add_lead_warns_of_a_duplicate_and_adds_when_confirmed(client, tenant_session):
    session = tenant_session("acme")
    existing = make_lead(tenant_of(session), email="already.here@example.test")
    client.login("manager@acme.test")
    data = {"first_name": "Dupe", "last_name": "Check", "email": existing.email.upper()}
    warned = client.post("/leads/new", data=data)
    assert warned.status_code == 400 and "This may be a lead you have already." in text_of(warned)
    assert client.post("/leads/new", data={**data, "confirm_duplicate": "y"}).status_code == 302
    added = _lead(session, first_name="Dupe")
    assert added.email == existing.email and added.source == "manual"
    invalid = client.post("/leads/new", data={"first_name": "No", "email": "not-an-email", "phone": "12"})
    assert invalid.status_code == 400
    assert "Enter a valid e-mail address." in text_of(invalid) and "6 to 15 digits" in text_of(invalid)
    assert 'value="not-an-email"' in invalid.get_data(as_text=True)


def test_a_rep_adding_a_lead_keeps_it(client, tenant_session):
    session = tenant_session("acme")
    client.login("rep2@acme.test")
    assert client.post("/leads/new", data={"company": "Repco", "phone": "+44 7700 900999"}).status_code == 302
    lead = _lead(session, company="Repco")
    assert lead.assigned_to == user_of(session, "rep2@acme.test").id and lead.phone_digits == "447700900999"


def test_report_lists_reps_and_the_overdue_queue(app, client):
    tenant = make_tenant(app, first_contact_sla_hours=24)
    rep = make_user(tenant, "sales_rep", full_name="Rita Repwell")
    two_days_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    make_lead(tenant, first_name="Overdue", last_name="Olsen", assigned_to=rep.id, created_on=two_days_ago)
    make_lead(tenant, first_name="Fresh", last_name="Fields", assigned_to=rep.id)
    client.login(make_user(tenant, "sales_manager").email)
    page = client.get("/leads/report?from=2020-01-01&to=nonsense")
    assert page.status_code == 200
    text = text_of(page)
    assert "Ignored the to date “nonsense”" in text and "Median to first contact" in text
    assert "Rita Repwell" in text
    queue = text.split("Waiting for a first contact past 24 h", 1)[1]
    assert "Overdue Olsen" in queue and "Fresh Fields" not in queue


def test_every_filter_and_order_pages_through_exactly_its_leads(client, tenant_session):
    """The list's statement is built once per shape of filters and order, its values bound at each run:
    each filter must still narrow to its own leads, and each order page through them once, in order."""
    session = tenant_session("acme")
    tenant_id = user_of(session, "owner@acme.test").tenant_id
    rep = user_of(session, "rep1@acme.test")
    _add(session, 30, last_name="Orderprobe", assigned_to=rep.id)
    session.commit()
    leads = session.scalars(select(Lead).where(Lead.deleted_on.is_(None))).all()
    assert len(leads) > 60
    channel = session.get(
        Channel, (tenant_id, next(lead.source_channel_id for lead in leads if lead.source_channel_id))
    )
    campaign = session.get(
        AdCampaign, (tenant_id, next(lead.source_campaign_id for lead in leads if lead.source_campaign_id))
    )
    zone = ZoneInfo(session.get(Tenant, tenant_id).timezone)  # dates are the tenant's days

    def day_of(lead):
        return lead.created_on.astimezone(zone).date()

    day = sorted(day_of(lead) for lead in leads)[len(leads) // 2]
    cases = {
        "status=new": lambda lead: lead.status == "new",
        "status=open": lambda lead: lead.status in ("new", "contacted", "qualified"),
        "band=hot": lambda lead: lead.score_band == "hot",
        "source=manual": lambda lead: lead.source == "manual",
        f"assignee={rep.ref_id}": lambda lead: lead.assigned_to == rep.id,
        "assignee=unassigned": lambda lead: lead.assigned_to is None,
        f"channel={channel.ref_id}": lambda lead: lead.source_channel_id == channel.id,
        f"campaign={campaign.ref_id}": lambda lead: lead.source_campaign_id == campaign.id,
        f"from={day}": lambda lead: day_of(lead) >= day,
        f"to={day}": lambda lead: day_of(lead) <= day,
        "q=orderprobe&status=new": lambda lead: lead.last_name == "Orderprobe" and lead.status == "new",
    }
    client.login("manager@acme.test")
    for query, wanted in cases.items():
        walked = _walk(client, f"/leads/?{query}")
        assert sorted(walked) == sorted(lead.ref_id for lead in leads if wanted(lead)), query
    keys = {
        "score": lambda lead: lead.score_total,
        "value": lambda lead: lead.estimated_value if lead.estimated_value is not None else -1,
        "activity": lambda lead: lead.last_activity_on or lead.created_on,
        "created": lambda lead: lead.created_on,
    }
    by_ref = {lead.ref_id: lead for lead in leads}
    for sort, key in keys.items():
        for direction in ("desc", "asc"):
            walked = _walk(client, f"/leads/?sort={sort}&dir={direction}")
            assert sorted(walked) == sorted(by_ref), (sort, direction)  # every lead, each once
            values = [key(by_ref[ref]) for ref in walked]
            assert values == sorted(values, reverse=direction == "desc"), (sort, direction)
