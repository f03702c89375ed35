"""The content area through the app: requests, the review of posts, previews, the calendar and backlinks."""

from __future__ import annotations

import csv
import datetime as dt
import io
import threading
import uuid
from zoneinfo import ZoneInfo

from flask import g
from flask_login import login_user
from sqlalchemy import delete, func, select, update

from portal.db import set_tenant
from portal.models import (
    AuditEvent,
    Backlink,
    BlogPost,
    BlogRequest,
    SocialMediaRequest,
    SocialPost,
    Tenant,
    User,
)
from tests.conftest import signed_in, tenant_ids, tenant_of, text_of, user_of
from tests.queries import count_statements


def _tomorrow() -> str:
    return (dt.date.today() + dt.timedelta(days=2)).isoformat()


def _post_in_review(session, **values) -> BlogPost:
    """A blog post of the session's tenant in client_review (created in the test's transaction)."""
    tenant = tenant_of(session)
    post = BlogPost(
        tenant_id=tenant.id,
        title=values.pop("title", "Ten things about braces"),
        slug=f"post-{uuid.uuid4().hex[:8]}",
        status=values.pop("status", "client_review"),
        version=values.pop("version", 1),
        **values,
    )
    session.add(post)
    session.commit()
    return post


def _social_in_review(session, **values) -> SocialPost:
    tenant = tenant_of(session)
    post = SocialPost(
        tenant_id=tenant.id,
        platform=values.pop("platform", "x"),
        caption=values.pop("caption", "Smile brighter this summer."),
        status=values.pop("status", "client_review"),
        **values,
    )
    session.add(post)
    session.commit()
    return post


def _decide(client, post, decision: str = "approve", version: str = "1", **data):
    """Post a decision on a blog or social post as the page's form does, following the redirect."""
    kind = "blog" if isinstance(post, BlogPost) else "social"
    return client.post(
        f"/content/{kind}/posts/{post.ref_id}/decision",
        data={"decision": decision, "version": version, **data},
        follow_redirects=True,
    )


def _inside_the_grid(page: str) -> str:
    """The markup of the page's two-column grid (main and side), however deeply its divs nest."""
    start = page.index('<div class="grid-main-side">')
    depth, at = 0, start
    while True:
        opening, closing = page.find("<div", at), page.find("</div>", at)
        if opening != -1 and opening < closing:
            depth, at = depth + 1, opening + 4
        else:
            depth, at = depth - 1, closing + 6
            if depth == 0:
                return page[start:at]


def _decided_once(session, post, status: str) -> None:
    """The post kept the first decision (now ``status``) and recorded it once."""
    session.expire_all()
    assert session.get(type(post), (post.tenant_id, post.id)).status == status
    assert len(_events(session, post)) == 1


def _events(session, row) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent).where(AuditEvent.subject_id == row.id).order_by(AuditEvent.created_on)
        )
    )


# ---------------------------------------------------------------------------------------------- pages


def test_every_content_page_answers_for_the_owner(client, tenant_session):
    client.login("owner@acme.test")
    session = tenant_session("acme")
    post = session.scalars(select(BlogPost).where(BlogPost.version == 2)).first()
    social = session.scalars(select(SocialPost).where(SocialPost.image_s3_key.is_not(None))).first()
    request = session.scalars(select(BlogRequest)).first()
    for url in (
        "/content/",
        "/content/blog/requests",
        "/content/blog/requests/new",
        f"/content/blog/requests/{request.ref_id}",
        "/content/blog/posts",
        f"/content/blog/posts/{post.ref_id}",
        f"/content/blog/posts/{post.ref_id}/compare",
        "/content/social/requests",
        "/content/social/requests/new",
        "/content/social/posts",
        f"/content/social/posts/{social.ref_id}",
        "/content/calendar",
        "/content/backlinks",
        "/approvals",
        "/notifications",
    ):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)


# ---------------------------------------------------------------------------------------------- blog requests


def test_a_marketer_requests_a_blog_post_with_clean_keywords(client, tenant_session):
    client.login("marketer@acme.test")
    typed = {
        "topic": "Invisible aligners for adults",
        "keywords": " aligners ,Aligners, clear   braces,,adult orthodontics ",
        "brief": "Costs and timelines.",
        "target_word_count": "1200",
        "due_on": _tomorrow(),
    }
    response = client.post("/content/blog/requests/new", data=typed)
    assert response.status_code == 302
    session = tenant_session("acme")
    row = session.scalars(
        select(BlogRequest).where(BlogRequest.topic == "Invisible aligners for adults")
    ).one()
    assert row.keywords == ["aligners", "clear braces", "adult orthodontics"]
    assert row.status == "submitted"
    assert row.requested_by == user_of(session, "marketer@acme.test").id
    page = client.get(response.headers["Location"])
    assert "Invisible aligners for adults" in text_of(page) and "clear braces" in text_of(page)


def test_a_request_with_missing_fields_or_a_past_date_re_renders_with_what_was_typed(client, tenant_session):
    client.login("owner@acme.test")
    session = tenant_session("acme")
    before = session.scalar(select(func.count()).select_from(BlogRequest))
    missing = client.post("/content/blog/requests/new", data={"topic": "", "brief": "Keep me"})
    assert missing.status_code == 400
    assert "Say what the post is about." in text_of(missing) and "Choose a due date." in text_of(missing)
    assert "Keep me" in missing.text
    past = client.post(
        "/content/blog/requests/new",
        data={"topic": "Gum care", "due_on": (dt.date.today() - dt.timedelta(days=3)).isoformat()},
    )
    assert past.status_code == 400
    assert "Choose today or a later date." in text_of(past)
    assert 'value="Gum care"' in past.text
    assert session.scalar(select(func.count()).select_from(BlogRequest)) == before


def test_keywords_are_limited_in_number_and_length(client):
    client.login("owner@acme.test")
    eleven = ", ".join(f"keyword {i}" for i in range(11))
    many = client.post(
        "/content/blog/requests/new", data={"topic": "T", "keywords": eleven, "due_on": _tomorrow()}
    )
    assert many.status_code == 400 and "At most 10 keywords" in text_of(many)
    long = client.post(
        "/content/blog/requests/new", data={"topic": "T", "keywords": "x" * 61, "due_on": _tomorrow()}
    )
    assert long.status_code == 400 and "under 61 characters" in text_of(long)


def test_a_submitted_request_is_edited_then_withdrawn_once(client, tenant_session):
    client.login("owner@acme.test")
    session = tenant_session("acme")
    row = session.scalars(select(BlogRequest).where(BlogRequest.status == "submitted")).first()
    edited = client.post(
        f"/content/blog/requests/{row.ref_id}/edit",
        data={
            "topic": "A better topic",
            "keywords": "one, two",
            "due_on": _tomorrow(),
            "version": row.version,
        },
    )
    assert edited.status_code == 302
    first = client.post(f"/content/blog/requests/{row.ref_id}/withdraw")
    second = client.post(f"/content/blog/requests/{row.ref_id}/withdraw", follow_redirects=True)
    assert first.status_code == 302
    assert "withdrawn now, so it can no longer be changed" in text_of(second)
    session.expire_all()
    assert session.get(BlogRequest, (row.tenant_id, row.id)).topic == "A better topic"
    actions = [e.action for e in _events(session, row)]
    assert actions.count("blog_request.withdrawn") == 1 and "blog_request.edited" in actions


def test_a_request_the_agency_picked_up_cannot_be_changed(client, tenant_session):
    client.login("owner@acme.test")
    session = tenant_session("acme")
    row = session.scalars(select(BlogRequest).where(BlogRequest.status == "in_progress")).first()
    response = client.post(
        f"/content/blog/requests/{row.ref_id}/edit",
        data={"topic": "Changed", "due_on": _tomorrow()},
        follow_redirects=True,
    )
    assert "in progress, so it can no longer be changed" in text_of(response)
    session.expire_all()
    assert session.get(BlogRequest, (row.tenant_id, row.id)).topic != "Changed"
    assert "Withdraw" not in text_of(client.get(f"/content/blog/requests/{row.ref_id}"))


def test_request_list_filters_by_status_and_searches(client, tenant_session):
    client.login("viewer@acme.test")
    session = tenant_session("acme")
    withdrawn = session.scalars(select(BlogRequest).where(BlogRequest.status == "withdrawn")).first()
    completed = session.scalars(select(BlogRequest).where(BlogRequest.status == "completed")).first()
    page = text_of(client.get("/content/blog/requests?status=withdrawn"))
    assert withdrawn.topic in page and completed.topic not in page
    search = text_of(client.get("/content/blog/requests", query_string={"q": completed.topic[:25]}))
    assert completed.topic in search
    nothing = text_of(client.get("/content/blog/requests?q=zzzz-no-such-topic"))
    assert "No requests match these filters" in nothing


def test_a_social_request_needs_a_platform_and_keeps_the_brief(client, tenant_session):
    client.login("marketer@acme.test")
    bad = client.post("/content/social/requests/new", data={"brief": "Summer offer", "due_on": _tomorrow()})
    assert bad.status_code == 400 and "Choose at least one platform." in text_of(bad)
    assert "Summer offer" in bad.text
    ok = client.post(
        "/content/social/requests/new",
        data={"brief": "Summer offer", "platforms": ["x", "instagram"], "due_on": _tomorrow()},
    )
    assert ok.status_code == 302
    row = (
        tenant_session("acme")
        .scalars(select(SocialMediaRequest).where(SocialMediaRequest.brief == "Summer offer"))
        .one()
    )
    assert row.platforms == ["x", "instagram"] and row.status == "submitted"


def test_viewers_read_but_cannot_request_or_decide(client, tenant_session):
    client.login("viewer@acme.test")
    post = _post_in_review(tenant_session("acme"))
    assert client.get("/content/blog/requests/new").status_code == 403
    page = client.get(f"/content/blog/posts/{post.ref_id}")
    assert page.status_code == 200 and "Owners, admins and marketers decide on posts" in text_of(page)
    refused = client.post(
        f"/content/blog/posts/{post.ref_id}/decision", data={"decision": "approve", "version": "1"}
    )
    assert refused.status_code == 403


# ---------------------------------------------------------------------------------------------- decisions


def test_approving_a_post_records_who_when_and_which_version(client, tenant_session):
    client.login("marketer@acme.test")
    session = tenant_session("acme")
    post = _post_in_review(session, version=3)
    response = client.post(
        f"/content/blog/posts/{post.ref_id}/decision", data={"decision": "approve", "version": "3"}
    )
    assert response.status_code == 302
    session.expire_all()
    saved = session.get(BlogPost, (post.tenant_id, post.id))
    marketer = user_of(session, "marketer@acme.test")
    assert saved.status == "client_approved" and saved.client_approved_by == marketer.id
    [event] = _events(session, post)
    assert (event.action, event.subject_version, event.actor_id) == (
        "blog_post.client_approved",
        3,
        marketer.id,
    )
    page = text_of(client.get(f"/content/blog/posts/{post.ref_id}"))
    assert "Approved, publishing" in page and "approved version 3" in page


def test_rejecting_needs_a_note_and_keeps_it(client, tenant_session):
    client.login("owner@acme.test")
    session = tenant_session("acme")
    post = _post_in_review(session)
    empty = client.post(
        f"/content/blog/posts/{post.ref_id}/decision",
        data={"decision": "reject", "version": "1", "note": "  "},
    )
    assert empty.status_code == 400 and "Say what should change" in text_of(empty)
    session.expire_all()
    assert session.get(BlogPost, (post.tenant_id, post.id)).status == "client_review"
    assert _events(session, post) == []
    client.post(
        f"/content/blog/posts/{post.ref_id}/decision",
        data={"decision": "reject", "version": "1", "note": "Drop the <b>price</b> table"},
    )
    session.expire_all()
    saved = session.get(BlogPost, (post.tenant_id, post.id))
    assert saved.status == "rejected" and saved.client_rejection_note == "Drop the <b>price</b> table"
    page = client.get(f"/content/blog/posts/{post.ref_id}")
    assert "Drop the &lt;b&gt;price&lt;/b&gt; table" in page.text and "Sent back for a rewrite" in text_of(
        page
    )


def test_a_second_decision_says_who_decided_and_records_nothing(client, tenant_session, app):
    session = tenant_session("acme")
    post = _post_in_review(session)
    client.login("owner@acme.test")
    client.post(f"/content/blog/posts/{post.ref_id}/decision", data={"decision": "approve", "version": "1"})
    marketer = app.test_client()
    marketer.login("marketer@acme.test")
    late = _decide(marketer, post, "reject", note="Too long")
    owner = user_of(session, "owner@acme.test")
    assert f"{owner.full_name} already approved version 1" in text_of(late)
    _decided_once(session, post, "client_approved")


def test_posts_outside_client_review_are_read_only_with_their_explanation(client, tenant_session):
    client.login("owner@acme.test")
    session = tenant_session("acme")
    explanations = {
        "dm_review": "With the agency for review",
        "published": "Published.",
        "client_approved": "Approved, publishing",
    }
    for status, text in explanations.items():
        post = session.scalars(select(BlogPost).where(BlogPost.status == status)).first()
        page = text_of(client.get(f"/content/blog/posts/{post.ref_id}"))
        assert text in page and "Your decision" not in page
        assert "Nothing was changed" in text_of(_decide(client, post, version=str(post.version)))
        session.expire_all()
        assert session.get(BlogPost, (post.tenant_id, post.id)).status == status
    published = session.scalars(select(BlogPost).where(BlogPost.published_url.is_not(None))).first()
    assert published.published_url in client.get(f"/content/blog/posts/{published.ref_id}").text


def test_a_decision_on_an_older_version_is_refused(client, tenant_session):
    client.login("owner@acme.test")
    session = tenant_session("acme")
    post = _post_in_review(session, version=2)
    assert "A newer version (v2) arrived" in text_of(_decide(client, post))
    session.expire_all()
    assert session.get(BlogPost, (post.tenant_id, post.id)).status == "client_review"


def test_concurrent_approve_and_reject_end_with_exactly_one_decision(app):
    """Two real sessions in two threads decide on the same post at once: exactly one decision wins."""
    from portal.content import review, service

    database = app.extensions["db"]
    tenant_id = tenant_ids(app)["acme"]
    setup = database.new_session(tenant_id)
    post = _post_in_review(setup, title="Race condition test post")
    post_key = (post.tenant_id, post.id)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def decide(email: str, decision: str) -> None:
        with app.test_request_context():
            session = database.new_session(tenant_id)
            g.db_session = session
            set_tenant(tenant_id)
            g.tenant = session.get(Tenant, tenant_id)
            user = session.scalars(select(User).where(User.email == email)).one()
            login_user(user)
            row = session.get(BlogPost, post_key)
            barrier.wait()
            try:
                outcomes[decision] = review.decide(row, decision, "Not this one", 1, user)
            except service.ContentRuleError as error:
                outcomes[decision] = f"refused: {error}"
            finally:
                session.close()

    threads = [
        threading.Thread(target=decide, args=("owner@acme.test", "approve")),
        threading.Thread(target=decide, args=("marketer@acme.test", "reject")),
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        setup.expire_all()
        final = setup.get(BlogPost, post_key).status
        events = setup.scalars(select(AuditEvent).where(AuditEvent.subject_id == post.id)).all()
        winners = [d for d, outcome in outcomes.items() if not outcome.startswith("refused")]
        assert len(winners) == 1, outcomes
        assert final == {"approve": "client_approved", "reject": "rejected"}[winners[0]]
        assert len(events) == 1
        loser = next(o for o in outcomes.values() if o.startswith("refused"))
        assert "already" in loser and "Nothing was changed" in loser
    finally:
        setup.rollback()
        setup.execute(delete(AuditEvent).where(AuditEvent.subject_id == post.id))
        setup.execute(delete(BlogPost).where(BlogPost.id == post.id))
        setup.commit()
        setup.close()


# ---------------------------------------------------------------------------------------------- social


def test_social_previews_show_each_platform_limit_and_warn_when_over(client, tenant_session):
    client.login("owner@acme.test")
    post = _social_in_review(tenant_session("acme"), caption="a" * 300, hashtags=["smile"], cta="Book now")
    page = client.get(f"/content/social/posts/{post.ref_id}")
    text = text_of(page)
    for label, limit in (("X", "280"), ("LinkedIn", "3,000"), ("Facebook", "63,206"), ("Instagram", "2,200")):
        assert f"/ {limit}" in text, label
    # caption + blank line + "#smile" + blank line + "Book now" = 300 + 2 + 6 + 2 + 8 = 318
    assert "38 characters over X's limit of 280" in text
    assert "over LinkedIn" not in text


def test_a_social_post_is_approved_once(client, tenant_session):
    client.login("admin@acme.test")
    session = tenant_session("acme")
    post = _social_in_review(session)
    _decide(client, post)
    assert "already approved version 1" in text_of(_decide(client, post))
    _decided_once(session, post, "client_approved")


def test_the_decision_panel_stands_beside_the_post_on_blog_and_social_pages(client, tenant_session):
    client.login("owner@acme.test")
    session = tenant_session("acme")
    for post in (_post_in_review(session), _social_in_review(session)):
        kind = "blog" if isinstance(post, BlogPost) else "social"
        grid = _inside_the_grid(client.get(f"/content/{kind}/posts/{post.ref_id}").text)
        assert 'class="decision"' in grid and "<h2>Details</h2>" in grid, kind


def test_an_unknown_decision_is_refused_with_the_form_and_changes_nothing(client, tenant_session):
    client.login("owner@acme.test")
    session = tenant_session("acme")
    for post in (_post_in_review(session), _social_in_review(session)):
        kind = "blog" if isinstance(post, BlogPost) else "social"
        answer = client.post(
            f"/content/{kind}/posts/{post.ref_id}/decision",
            data={"decision": "publish", "version": "1", "note": "Kept as typed"},
        )
        assert answer.status_code == 400, kind
        assert "That decision was not understood" in text_of(answer) and "Kept as typed" in answer.text
        session.expire_all()
        assert session.get(type(post), (post.tenant_id, post.id)).status == "client_review"
        assert _events(session, post) == []


def test_the_image_is_served_after_the_checks_and_never_from_another_prefix(client, tenant_session):
    northwind = tenant_session("northwind")
    northwind_key = northwind.scalars(
        select(SocialPost.image_s3_key).where(SocialPost.image_s3_key.is_not(None))
    ).first()
    northwind.close()  # one session at a time on the test's connection (their savepoints must not interleave)
    client.login("viewer@acme.test")
    session = tenant_session("acme")
    with_image = session.scalars(select(SocialPost).where(SocialPost.image_s3_key.is_not(None))).first()
    image = client.get(f"/content/social/posts/{with_image.ref_id}/image")
    assert image.status_code == 200 and image.mimetype.startswith("image/") and len(image.data) > 100
    foreign = _social_in_review(session, image_s3_key=northwind_key)
    assert client.get(f"/content/social/posts/{foreign.ref_id}/image").status_code == 404
    sneaky = _social_in_review(session, image_s3_key=f"{tenant_of(session).ref_id}/../x.png")
    assert client.get(f"/content/social/posts/{sneaky.ref_id}/image").status_code == 404


# ---------------------------------------------------------------------------------------------- calendar


def test_calendar_months_follow_the_tenant_timezone(client, tenant_session):
    """Acme is in Asia/Kolkata (UTC+5:30): 23:30 local on 31 January is 18:00 UTC that day, and 00:30 local on
    1 February is 19:00 UTC on 31 January; each belongs to its local month."""
    client.login("owner@acme.test")
    session = tenant_session("acme")
    zone = ZoneInfo(tenant_of(session).timezone)
    assert tenant_of(session).timezone == "Asia/Kolkata"
    late = dt.datetime(2031, 1, 31, 23, 30, tzinfo=zone)
    early = dt.datetime(2031, 2, 1, 0, 30, tzinfo=zone)
    _post_in_review(session, title="Last evening of January", status="published", published_on=late)
    _social_in_review(session, caption="First morning of February", status="scheduled", scheduled_on=early)
    january = text_of(client.get("/content/calendar?month=2031-01"))
    february = text_of(client.get("/content/calendar?month=2031-02"))
    assert "Last evening of January" in january and "First morning of February" not in january
    assert "First morning of February" in february and "Last evening of January" not in february
    assert "Fri 31 Jan" in january and "23:30" in january
    only_blog = text_of(client.get("/content/calendar?month=2031-02&type=blog"))
    assert "First morning of February" not in only_blog


def test_calendar_navigates_by_htmx_and_survives_garbage(client):
    client.login("viewer@acme.test")
    fragment = client.get("/content/calendar?month=2031-03", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and 'id="calendar"' in fragment.text
    assert "month=2031-02" in fragment.text and "month=2031-04" in fragment.text
    garbage = client.get("/content/calendar?month=2031-13x")
    assert garbage.status_code == 200
    assert "That month was not understood" in text_of(garbage)
    assert dt.date.today().strftime("%B %Y") in text_of(garbage) or "2026" in text_of(garbage)


# ---------------------------------------------------------------------------------------------- backlinks


def test_csv_export_of_the_filtered_list_survives_quotes_commas_and_newlines(client, tenant_session):
    client.login("viewer@acme.test")
    session = tenant_session("acme")
    tricky = 'Best "family" dentist, Bengaluru\nsecond line'
    session.add(
        Backlink(
            tenant_id=tenant_of(session).id,
            source_type="outreach",
            source_domain="quotes.example",
            target_url="https://acme.example/a,b",
            anchor_text=tricky,
            status="lost",
            domain_rating=41,
        )
    )
    session.commit()
    response = client.get("/content/backlinks.csv?status=lost")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    lost = session.scalar(select(func.count()).select_from(Backlink).where(Backlink.status == "lost"))
    assert len(rows) == lost and {r["status"] for r in rows} == {"lost"}
    ours = next(r for r in rows if r["source_domain"] == "quotes.example")
    assert ours["anchor_text"] == tricky and ours["target_url"] == "https://acme.example/a,b"
    assert ours["domain_rating"] == "41"


def test_directory_opportunities_are_started_ticked_and_completed(client, tenant_session):
    client.login("marketer@acme.test")
    session = tenant_session("acme")
    link = session.scalars(select(Backlink).where(Backlink.status == "opportunity")).first()
    page = text_of(client.get("/content/backlinks?source_type=directory_opportunity"))
    assert link.source_domain in page and link.steps[0]["title"] in page
    client.post(f"/content/backlinks/{link.ref_id}/steps", data={"step": "0", "done": "1"})
    session.expire_all()
    ticked = session.get(Backlink, (link.tenant_id, link.id))
    assert ticked.steps[0]["done"] is True and ticked.status == "in_progress"
    client.post(f"/content/backlinks/{link.ref_id}/status", data={"status": "completed"})
    again = client.post(
        f"/content/backlinks/{link.ref_id}/status", data={"status": "completed"}, follow_redirects=True
    )
    assert "already completed" in text_of(again)
    session.expire_all()
    done = session.get(Backlink, (link.tenant_id, link.id))
    assert done.status == "completed" and done.completed_on is not None


def test_outreach_links_are_not_the_tenants_to_move(client, tenant_session):
    client.login("owner@acme.test")
    session = tenant_session("acme")
    link = session.scalars(select(Backlink).where(Backlink.source_type == "outreach")).first()
    answer = client.post(
        f"/content/backlinks/{link.ref_id}/status", data={"status": "completed"}, follow_redirects=True
    )
    assert "Only directory opportunities are yours to move" in text_of(answer)
    session.expire_all()
    assert session.get(Backlink, (link.tenant_id, link.id)).status == link.status
    viewer = signed_in(client.application, "viewer@acme.test")
    assert (
        viewer.post(f"/content/backlinks/{link.ref_id}/status", data={"status": "completed"}).status_code
        == 403
    )


def _statements(app, client, url: str):
    """The statements a page runs (after one request, so first-use look-ups are not counted), and the page."""
    client.get(url)
    with count_statements(app.extensions["db"].engine) as ran:
        page = client.get(url)
    return ran, page


def test_backlink_list_statement_count_does_not_grow_with_rows(app, client, tenant_session):
    client.login("owner@acme.test")
    session = tenant_session("acme")
    few, _ = _statements(app, client, "/content/backlinks")
    tenant = tenant_of(session)
    session.add_all(
        Backlink(
            tenant_id=tenant.id,
            source_type="outreach",
            source_domain=f"d{i}.example",
            target_url="/",
            status="agreed",
        )
        for i in range(60)
    )
    session.commit()
    many, _ = _statements(app, client, "/content/backlinks")
    assert len(many) == len(few)


# ---------------------------------------------------------------------------------------------- compare


def test_compare_shows_both_versions_of_a_rewritten_post(client, tenant_session):
    client.login("owner@acme.test")
    post = tenant_session("acme").scalars(select(BlogPost).where(BlogPost.version == 2)).first()
    page = client.get(f"/content/blog/posts/{post.ref_id}/compare")
    text = text_of(page)
    assert "Version 1" in text and "Version 2 (current)" in text
    assert 'class="diff-add"' in page.text and 'class="diff-del"' in page.text
    assert "style=" not in page.text
    assert post.title in text


def test_compare_with_one_version_says_there_is_nothing_to_compare(client, tenant_session):
    client.login("owner@acme.test")
    session = tenant_session("acme")
    post = session.scalars(
        select(BlogPost).where(BlogPost.version == 1, BlogPost.status == "published")
    ).first()
    assert "nothing to compare" in text_of(client.get(f"/content/blog/posts/{post.ref_id}/compare"))


def test_blog_request_list_statement_count_is_constant(app, client, tenant_session):
    client.login("owner@acme.test")
    session = tenant_session("acme")
    few, _ = _statements(app, client, "/content/blog/requests")
    tenant = tenant_of(session)
    owner = user_of(session, "owner@acme.test")
    session.add_all(
        BlogRequest(tenant_id=tenant.id, topic=f"Topic {i}", requested_by=owner.id, status="submitted")
        for i in range(40)
    )
    session.commit()
    many, page = _statements(app, client, "/content/blog/requests")
    assert len(many) == len(few)
    assert "Older" in text_of(page)


def test_content_nav_count_is_posts_waiting(client, tenant_session):
    session = tenant_session("acme")
    waiting = session.scalar(
        select(func.count()).select_from(BlogPost).where(BlogPost.status == "client_review")
    ) + session.scalar(
        select(func.count()).select_from(SocialPost).where(SocialPost.status == "client_review")
    )
    client.login("marketer@acme.test")
    page = client.get("/content/")
    assert f"{waiting} waiting for you" in text_of(page)
    session.execute(update(BlogPost).where(BlogPost.status == "client_review").values(status="dm_review"))
    session.commit()
    page = client.get("/content/")
    assert f"{waiting} waiting for you" not in text_of(page)


def test_compare_says_so_when_the_document_store_is_down(dead_document_store, tenant_session):
    """A dead MongoDB: the comparison shows the unavailable placeholder (200, with a retry), never a 500."""
    post = tenant_session("acme").scalars(select(BlogPost).where(BlogPost.version == 2)).first()
    client = signed_in(dead_document_store, "owner@acme.test")
    response = client.get(f"/content/blog/posts/{post.ref_id}/compare")
    assert response.status_code == 200
    assert "can't be loaded right now" in text_of(response) and "Retry" in text_of(response)


def test_a_submitted_social_request_is_changed_then_withdrawn(client, tenant_session):
    client.login("marketer@acme.test")
    session = tenant_session("acme")
    row = session.scalars(select(SocialMediaRequest).where(SocialMediaRequest.status == "submitted")).first()
    form = client.get(f"/content/social/requests/{row.ref_id}/edit")
    assert form.status_code == 200 and row.brief[:30] in form.text
    changed = client.post(
        f"/content/social/requests/{row.ref_id}/edit",
        data={
            "brief": "Only LinkedIn now",
            "platforms": ["linkedin"],
            "due_on": _tomorrow(),
            "version": row.version,
        },
    )
    assert changed.status_code == 302
    client.post(f"/content/social/requests/{row.ref_id}/withdraw")
    session.expire_all()
    saved = session.get(SocialMediaRequest, (row.tenant_id, row.id))
    assert (saved.brief, saved.platforms, saved.status) == ("Only LinkedIn now", ["linkedin"], "withdrawn")
    late = client.post(
        f"/content/social/requests/{row.ref_id}/edit",
        data={"brief": "Too late", "platforms": ["x"], "due_on": _tomorrow()},
        follow_redirects=True,
    )
    assert "withdrawn, so it can no longer be changed" in text_of(late)
