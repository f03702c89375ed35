"""The demo rows of one tenant, with the MongoDB documents and S3 objects they refer to.

``TenantSeed(profile, …).build()`` fills ``rows`` (ORM objects with explicit ids, so foreign keys are wired
without flushing), ``documents`` (collection → documents) and ``objects`` ((key, bytes, content type)); the
package's ``seed_demo`` writes them in one transaction per tenant. Dates are relative to ``now``; everything
else comes from seeded generators (``ids.Mint``), so two runs produce the same rows, ids and files.

Conventions the other parts of the portal can rely on:
- The credit ledger debits credits when a run starts (``credit_consumed``, negative) and gives them back
  when it fails (``credit_released``, positive); unused credits expire at the month's end (an
  ``adjustment``), then the month's ``credit_allocation`` arrives. ``credit_balance_after`` is the running
  balance, i.e. what new work can still spend. A month's use is -(consumed + released) in that month.
- Money amounts are positive for what the tenant is charged or pays and negative for money returned
  (refunds); they are in the tenant's currency.
- Agents act with ``*_by`` NULL; lead activities name them in ``actor_id`` (e.g. ``lead-scorer``).

Deliberately broken references (the portal must show "content unavailable", never an error page):
- Acme: the first Google Business Profile post activity (the oldest month) has an ``output_ref`` naming an
  ``activity_outputs`` document that does not exist.
- Acme: the oldest published blog post's ``activity_outputs`` document exists, but its S3 object does not.
- Acme: the first failed tool call's ``log_ref`` names a ``tool_call_logs`` document that does not exist.
- Northwind: the archived strategy (version 1) has a ``content_ref`` with no ``strategies_content`` document.
- Northwind: the first LinkedIn post with an image has an ``image_s3_key`` whose object was never stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from portal.leads.search import fold, lead_search_text, phone_digits
from portal.models import (
    Activity,
    ActivityRun,
    ActivityTemplate,
    AdCampaign,
    AdKeyword,
    AdOptimizationRecommendation,
    AgentConfig,
    AgentSession,
    Backlink,
    BillingEvent,
    BlogPost,
    BlogRequest,
    Channel,
    ChannelScore,
    Contract,
    Deliverable,
    DeliverablePeriod,
    Goal,
    Lead,
    LeadActivity,
    LeadImport,
    LlmCall,
    OnboardingRun,
    RecurringTaskTemplate,
    SearchTermClassification,
    SearchTermReport,
    SocialMediaRequest,
    SocialPost,
    Strategy,
    Tenant,
    ToolCall,
    User,
)
from portal.pdf import Block, render
from portal.seed import content
from portal.seed.ids import Mint
from portal.seed.images import social_card
from portal.seed.profiles import DeliverableSpec, GoalSpec, Profile, Topic
from portal.seed.scenario import (
    AGENT_FOR,
    AGENT_MODELS,
    ARCHIVED_DELIVERABLES,
    ATTEMPTS,
    BLOCKED_NOTES,
    BROKEN,
    CAMPAIGN_DATES,
    CARRIED_CREDITS,
    CONTACT_NOTES,
    CREDITS,
    CURRENT_PLANS,
    CURRENT_STATUSES,
    HUMAN_TASKS,
    MONEY_EXTRAS,
    ONBOARDING_RUNS,
    PARENT_KIND,
    PLAN_FOR_STATUS,
    PLATFORM_NAMES,
    PRICES,
    RECOMMENDATIONS,
    RECURRING_TITLES,
    REJECTED_POST_NOTES,
    REJECTED_SOCIAL_NOTES,
    REJECTION_NOTES,
    REWRITE_NOTES,
    RUN_ERRORS,
    SCORE_SIGNALS,
    STATUS_WEIGHTS,
    STRATEGIES,
    TENANT_BLOG_REQUESTS,
    TENANT_SOCIAL_REQUESTS,
    TERM_TRAFFIC,
    TOOLS_FOR,
    TOP_UP_TITLES,
    TOPUP_MONTH,
    USER_AGENT,
    VOID_INVOICES,
)

RULES_ACTOR = "assignment-rules"  # the actor_id of assignments made by the tenant's rules


def money(value: float | Decimal | int) -> Decimal:
    """A Decimal rounded to cents (numeric(12,2))."""
    return Decimal(str(value)).quantize(Decimal("0.01"))


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after day's month."""
    year, month = divmod(day.month - 1 + months, 12)
    return dt.date(day.year + year, month + 1, 1)


@dataclass
class Work:
    """An activity and what the content, ads and billing sections need to know about it."""

    activity: Activity
    month: int
    when: dt.datetime
    outputs: list[str] = field(default_factory=list)  # ObjectId hex per successful run, oldest first
    texts: list[str] = field(default_factory=list)  # the text of each of those outputs
    topic: Topic | None = None
    deliverable: Deliverable | None = None
    theme: str = ""
    platform: str = ""
    post_status: str | None = None
    long_caption: bool = False
    parent: Work | None = None


@dataclass
class CreditMove:
    """A debit or credit of the ledger caused by an agent run."""

    when: dt.datetime
    credits: int
    kind: str
    run: ActivityRun
    title: str


class TenantSeed:
    """Builds one tenant's demo data in memory; nothing touches a database or a store here."""

    def __init__(self, profile: Profile, *, seed: int, now: dt.datetime, password_hash: str) -> None:
        """Prepare the builder: the tenant's id and ref_id, its clock and empty collections."""
        self.p = profile
        self.seed = seed
        self.now = now.astimezone(dt.UTC)
        self.tz = ZoneInfo(profile.timezone)
        self.today = self.now.astimezone(self.tz).date()
        self.password_hash = password_hash
        self.rows: list[Any] = []
        self.documents: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.objects: list[tuple[str, bytes, str]] = []
        self.broken = set(BROKEN.get(profile.slug, ()))
        self._mints: dict[str, Mint] = {}
        mint = self.mint("tenant")
        self.tenant_id = mint.uuid()
        self.tenant_ref = mint.ulid()
        self.users: dict[str, User] = {}
        self.channels: dict[str, Channel] = {}
        self.goals: list[Goal] = []
        self.deliverables: list[tuple[Any, Deliverable]] = []
        self.periods: dict[tuple[str, int], DeliverablePeriod] = {}
        self.work: dict[str, list[Work]] = defaultdict(list)
        self.sessions: dict[tuple[str, Any, str], AgentSession] = {}
        self.session_runs: dict[tuple[str, Any, str], list[ActivityRun]] = defaultdict(list)
        self.credit_moves: list[CreditMove] = []
        self.campaigns: dict[str, AdCampaign] = {}
        self.strategy: Strategy | None = None
        self.word_counts: dict[str, int | None] = {}

    # -- helpers ---------------------------------------------------------------------------------------

    def mint(self, section: str) -> Mint:
        """The section's seeded identifiers and random numbers (one Mint per section)."""
        if section not in self._mints:
            self._mints[section] = Mint(f"{self.seed}/{self.p.slug}/{section}")
        return self._mints[section]

    def new(self, mint: Mint, model: type, /, **values: Any) -> Any:
        """A tenant-owned row with explicit id, ref_id and tenant_id, queued for insertion."""
        row = model(id=mint.uuid(), ref_id=mint.ulid(), tenant_id=self.tenant_id, **values)
        self.rows.append(row)
        return row

    def month(self, offset: int) -> dt.date:
        """The first day of the month ``offset`` months from this one (tenant's calendar)."""
        return add_months(self.today, offset)

    def at(self, day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
        """A moment on day in the tenant's time zone."""
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.tz)

    def on(self, month: int, day: int, hour: int = 10) -> dt.datetime:
        """Day ``day`` (1-based) of month ``month`` at hour, never later than a minute ago."""
        return min(self.at(self.month(month) + dt.timedelta(days=day - 1), hour), self.ago(minutes=1))

    def ago(self, **delta: float) -> dt.datetime:
        """now minus a timedelta."""
        return self.now - dt.timedelta(**delta)

    def window(self, month: int) -> tuple[dt.datetime, dt.datetime]:
        """The month's span in the tenant's zone, cut at a few minutes ago for the current month."""
        start = self.at(self.month(month), 0, 0)
        end = min(self.at(self.month(month + 1), 0, 0), self.ago(minutes=5))
        return start, max(end, start + dt.timedelta(minutes=1))

    def within(self, month: int, fraction: float) -> dt.datetime:
        """The moment at fraction (0–1) of the month's window."""
        start, end = self.window(month)
        return start + (end - start) * fraction

    def month_of(self, moment: dt.datetime) -> int:
        """The month offset (0 = this month) of a moment, in the tenant's calendar."""
        local = moment.astimezone(self.tz).date()
        return (local.year - self.today.year) * 12 + local.month - self.today.month

    def user(self, key: str) -> User:
        """A demo user by key (owner, admin, marketer, …)."""
        return self.users[key]

    # -- agent runs, their calls and outputs -------------------------------------------------------------

    def output(
        self,
        mint: Mint,
        activity: Activity,
        run: ActivityRun,
        text: str,
        when: dt.datetime,
        *,
        fmt: str = "markdown",
    ) -> str:
        """Store an activity output (document + object) and return its ObjectId as 24 hex digits."""
        object_id, ref = mint.object_id(), mint.ulid()
        if activity.type == "gbp_post" and "output_doc" in self.broken:
            self.broken.discard("output_doc")
            return str(object_id)  # deliberately missing: no document, no object
        markdown = fmt == "markdown"
        key = f"{self.tenant_ref}/activity-outputs/{activity.ref_id}/{ref}.{'md' if markdown else 'json'}"
        body = text.encode()
        content_type = "text/markdown; charset=utf-8" if markdown else "application/json"
        words = content.word_count(text) if markdown else None
        self.word_counts[str(object_id)] = words
        checks = []
        if markdown:
            checks.append({"rule": "has_title", "passed": text.startswith("# "), "detail": "one H1 heading"})
        if activity.type == "blog_post":
            checks.append(
                {"rule": "min_word_count", "passed": words >= 600, "detail": f"{words} words, minimum 600"}
            )
        if activity.type == "social_post":
            made = json.loads(text)
            limit = made["characterLimit"]
            length = len(made["caption"])
            checks.append(
                {"rule": "character_limit", "passed": length <= limit, "detail": f"{length}/{limit}"}
            )
        self.documents["activity_outputs"].append(
            {
                "_id": object_id,
                "refId": ref,
                "tenantId": self.tenant_ref,
                "createdBy": None,
                "createdOn": when,
                "activityId": activity.ref_id,
                "activityRunId": run.ref_id,
                "type": activity.type,
                "format": fmt,
                "s3Key": key,
                "contentType": content_type,
                "bytes": len(body),
                "sha256": hashlib.sha256(body).hexdigest(),
                "metadata": {
                    "wordCount": words,
                    "charCounts": {"total": len(text), "lines": text.count("\n") + 1},
                    "validationResults": checks,
                },
            }
        )
        if activity.type == "blog_post" and "output_object" in self.broken:
            self.broken.discard("output_object")  # deliberately missing: the document names no object
        else:
            self.objects.append((key, body, content_type))
        return str(object_id)

    def agent_session(self, agent: str, goal_id: Any, start: dt.datetime) -> tuple[AgentSession, tuple]:
        """The agent's working session for this goal and month (created on first use)."""
        key = (agent, goal_id, start.astimezone(self.tz).strftime("%Y-%m"))
        session = self.sessions.get(key)
        if session is None:
            session = self.new(
                self.mint("sessions"),
                AgentSession,
                goal_id=goal_id,
                agent_name=agent,
                status="ended",
                started_on=start,
                created_on=start,
            )
            self.sessions[key] = session
        session.started_on = min(session.started_on, start)
        session.created_on = session.started_on
        return session, key

    def perform(
        self,
        work: Work,
        plan: str,
        make: Callable[[int], tuple[str, str]] | None,
        *,
        gap: dt.timedelta | None = None,
    ) -> None:
        """Add the runs of an agent activity per ``plan`` (see ATTEMPTS), ending at ``work.when``.

        ``make(version)`` returns (format, text) of the output a successful attempt produces; ``gap`` is the
        time between attempts (hours for a retry, days for a rewrite after the client's review).
        """
        activity = work.activity
        mint = self.mint("runs")
        rng = mint.rng
        agent = AGENT_FOR[activity.type]
        credits = CREDITS[activity.type]
        statuses = ATTEMPTS[plan]
        gap = gap or dt.timedelta(hours=rng.randint(1, 5))
        spans = []
        end = work.when
        for _ in statuses:
            start = end - dt.timedelta(minutes=rng.randint(3, 25))
            spans.append((start, end))
            end = start - gap
        spans.reverse()
        version = 0
        for attempt, (status, (start, end)) in enumerate(zip(statuses, spans, strict=True), start=1):
            started = status != "queued"
            session, key = self.agent_session(agent, activity.goal_id, start) if started else (None, None)
            run = self.new(
                mint,
                ActivityRun,
                activity_id=activity.id,
                session_id=session.id if session else None,
                attempt=attempt,
                status=status,
                started_on=start if started else None,
                finished_on=end if status in ("succeeded", "failed") else None,
                error=rng.choice(RUN_ERRORS) if status == "failed" else None,
                credits_reserved=credits if started else 0,
                credits_consumed=credits if status == "succeeded" else 0,
                created_on=start,
            )
            if not started:
                continue
            self.session_runs[key].append(run)
            self.credit_moves.append(CreditMove(start, -credits, "credit_consumed", run, activity.title))
            if status == "failed":
                self.credit_moves.append(CreditMove(end, credits, "credit_released", run, activity.title))
            self.calls(run, activity.type, agent, start, end if status != "running" else start, status)
            if status == "succeeded" and make is not None:
                fmt, text = make(version)
                version += 1
                work.outputs.append(self.output(mint, activity, run, text, end, fmt=fmt))
                work.texts.append(text)
        if work.outputs:
            activity.output_ref = work.outputs[-1]

    def calls(
        self, run: ActivityRun, kind: str, agent: str, start: dt.datetime, end: dt.datetime, status: str
    ) -> None:
        """The model and tool calls of a run (a failed run's last tool call fails)."""
        mint = self.mint("calls")
        rng = mint.rng
        _, provider, model = AGENT_MODELS[agent]
        price_in, price_out = PRICES[model]
        span = max((end - start).total_seconds(), 60)
        for number in range(rng.randint(3, 5) if kind in ("blog_post", "strategy") else rng.randint(1, 3)):
            prompt = rng.randint(1800, 14000)
            completion = (
                rng.randint(2500, 5200) if kind in ("blog_post", "strategy") else rng.randint(250, 1800)
            )
            cost = (price_in * prompt + price_out * completion) / 1_000_000
            self.new(
                mint,
                LlmCall,
                activity_run_id=run.id,
                provider=provider,
                model=model,
                prompt_tokens=prompt,
                completion_tokens=completion,
                cost_usd=cost.quantize(Decimal("0.000001")),
                latency_ms=rng.randint(600, 1500) + completion * rng.randint(8, 20),
                created_on=start + dt.timedelta(seconds=span * (number + 1) / 7),
            )
        tools = TOOLS_FOR[kind]
        chosen = [tools[i % len(tools)] for i in range(rng.randint(1, len(tools) + 1))]
        if kind == "blog_post" and status == "succeeded" and rng.random() < 0.3:
            chosen.append("wordpress_publish")
        for number, tool in enumerate(chosen):
            failed = status == "failed" and number == len(chosen) - 1
            call = self.new(
                mint,
                ToolCall,
                activity_run_id=run.id,
                tool_name=tool,
                status="failed" if failed else "succeeded",
                duration_ms=rng.randint(120, 9000),
                summary=_tool_summary(tool, failed),
                created_on=start + dt.timedelta(seconds=span * (number + 1) / (len(chosen) + 2)),
            )
            log_id = mint.object_id()
            call.log_ref = str(log_id)
            if failed and "tool_log" in self.broken:
                self.broken.discard("tool_log")  # deliberately missing: no tool_call_logs document
                continue
            request, response = _tool_payloads(tool, self.p, rng, failed)
            self.documents["tool_call_logs"].append(
                {
                    "_id": log_id,
                    "refId": mint.ulid(),
                    "tenantId": self.tenant_ref,
                    "createdBy": None,
                    "createdOn": call.created_on,
                    "toolCallId": call.ref_id,
                    "activityRunId": run.ref_id,
                    "toolName": tool,
                    "request": request,
                    "response": response,
                }
            )

    def finish_sessions(self) -> None:
        """Settle each agent session's status from its runs: this month's are active, older ones ended."""
        this_month = self.today.strftime("%Y-%m")
        for key, session in self.sessions.items():
            runs = self.session_runs[key]
            last = max((run.finished_on or run.started_on) for run in runs)
            session.updated_on = last
            if key[2] == this_month:
                session.status = "active"
                session.expires_on = last + dt.timedelta(days=7)
            elif max(runs, key=lambda run: run.started_on).status == "failed":  # gave up after a failure
                session.status = "expired"
                session.expires_on = last + dt.timedelta(days=1)
            else:
                session.ended_on = last

    # -- tenant, people, contract, onboarding -------------------------------------------------------------

    def tenant_and_users(self) -> None:
        """The tenant and its eight users (one sales rep deactivated)."""
        p = self.p
        mint = self.mint("users")
        if p.months_active:
            created = self.at(self.month(-p.months_active) + dt.timedelta(days=2), 10)
        else:
            created = self.ago(days=9)
        self.created = created
        self.tenant = Tenant(
            id=self.tenant_id,
            ref_id=self.tenant_ref,
            name=p.name,
            slug=p.slug,
            status=p.status,
            plan=p.plan,
            timezone=p.timezone,
            currency=p.currency,
            brand_color=p.brand_color,
            monthly_credit_allocation=p.monthly_credits,
            lead_assignment_mode=p.assignment_mode,
            first_contact_sla_hours=p.sla_hours,
            created_on=created,
        )
        self.rows.append(self.tenant)
        for number, person in enumerate(p.people):
            joined = created + dt.timedelta(hours=number * 5)
            user = self.new(
                mint,
                User,
                full_name=person.full_name,
                email=f"{person.key}@{p.email_domain}",
                role=person.role,
                password_hash=self.password_hash,
                is_active=person.active,
                session_version=1 if person.active else 2,
                last_login_on=self.ago(hours=mint.rng.randint(1, 200)) if person.key != "viewer" else None,
                phone=person.phone,
                created_by=self.users["owner"].id if self.users else None,
                created_on=joined,
            )
            if not person.active:  # deactivated by the admin; the version bump ends their sessions
                user.last_login_on = joined + dt.timedelta(days=20)
                left = max(joined + dt.timedelta(days=20), self.ago(days=40))
                user.updated_on = self.deactivated_on = min(left, self.ago(days=2))
                user.updated_by = self.users["admin"].id
            self.users[person.key] = user

    def contracts(self) -> None:
        """Every version of the contract with its PDF; accepted ones carry the acceptance evidence."""
        p = self.p
        mint = self.mint("contracts")
        rng = mint.rng
        owner = self.user("owner")
        contract_ref = mint.ulid()  # one contract, several template versions
        history = p.contract_history
        previous: Contract | None = None
        for version, status in enumerate(history, start=1):
            if version == 1:
                sent = self.created + dt.timedelta(hours=3)
            elif status == "sent":
                sent = self.ago(days=2, hours=3)
            else:
                sent = self.on(-2, 4)
            title = f"{p.name} – Growth Services Agreement"
            blocks = [Block(kind, text) for kind, text in content.contract_blocks(p, version, sent.date())]
            pdf = render(
                blocks,
                title=f"{title} (v{version})",
                author=content.AGENCY,
                created=sent,
                footer=f"{title} v{version}",
            )
            key = f"{self.tenant_ref}/contracts/{contract_ref}/v{version}.pdf"
            self.objects.append((key, pdf, "application/pdf"))
            digest = hashlib.sha256(pdf).hexdigest()
            row = self.new(
                mint,
                Contract,
                contract_ref_id=contract_ref,
                template_version=version,
                title=title,
                status=status,
                pdf_s3_key=key,
                pdf_sha256=digest,
                sent_on=sent,
                created_on=sent,
            )
            if previous is not None and previous.status == "superseded":
                previous.superseded_on = previous.updated_on = sent
            if status in ("accepted", "superseded"):
                accepted = sent + dt.timedelta(hours=rng.randint(5, 40))
                row.accepted_by = row.updated_by = owner.id
                row.accepted_on = row.updated_on = accepted
                row.accepted_ip = rng.choice(("203.0.113.24", "198.51.100.7", "192.0.2.61"))
                row.accepted_user_agent = USER_AGENT
                row.accepted_name = owner.full_name
                row.accepted_sha256 = digest
                row.consent_text = (
                    f"I, {owner.full_name}, have read the {title} (version {version}) and accept it on "
                    f"behalf of {p.legal_name}."
                )
                self.tenant.contract_accepted_on = accepted
            elif status == "declined":
                row.declined_by = row.updated_by = owner.id
                row.declined_on = row.updated_on = sent + dt.timedelta(days=1)
                row.declined_reason = "Payment terms: we need 30 days, not 14. Please send a revised version."
            previous = row

    def onboarding(self) -> None:
        """The onboarding runs (see ONBOARDING_RUNS): wizard answers, research and the client context file."""
        p = self.p
        mint = self.mint("onboarding")
        owner = self.user("owner")
        if p.status == "onboarding":
            self.onboarding_run(mint, "in_progress", self.ago(days=2), None, inputs={}, step="channels")
            return
        started = self.created + dt.timedelta(days=3)
        self.tenant.onboarding_completed_on = started + dt.timedelta(days=4)  # the wizard's launch
        for status, note in ONBOARDING_RUNS[p.slug]:
            if status == "awaiting_review":  # a refresh of the context file, waiting for the tenant
                started, completed = self.ago(days=10), self.ago(days=3)
            else:
                completed = started + dt.timedelta(days=4 if status == "revision_requested" else 1)
            run = self.onboarding_run(
                mint, status, started, completed, inputs=self.wizard_inputs(), step=None
            )
            if note:
                run.reviewed_by = run.updated_by = owner.id
                run.reviewed_on = run.updated_on = completed + dt.timedelta(days=1)
                run.review_notes = note
                started = run.reviewed_on + dt.timedelta(hours=3)

    def onboarding_run(
        self,
        mint: Mint,
        status: str,
        started: dt.datetime,
        completed: dt.datetime | None,
        *,
        inputs: dict,
        step: str | None,
    ) -> OnboardingRun:
        """One onboarding run with its research document, website text and context file document."""
        p = self.p
        run = self.new(
            mint,
            OnboardingRun,
            status=status,
            inputs=inputs,
            current_step=step,
            started_on=started,
            completed_on=completed,
            created_by=self.user("owner").id,
            created_on=started,
        )
        skill_id, research_id = mint.object_id(), mint.object_id()
        run.context_file_id, run.research_id = str(skill_id), str(research_id)
        text_key = f"{self.tenant_ref}/onboarding/{run.ref_id}/website.txt"
        self.objects.append((text_key, content.website_text(p).encode(), "text/plain; charset=utf-8"))
        researched = started + dt.timedelta(hours=6)
        self.documents["onboarding_research"].append(
            {
                "_id": research_id,
                "refId": mint.ulid(),
                "tenantId": self.tenant_ref,
                "createdBy": None,
                "createdOn": researched,
                "runId": run.ref_id,
                "summary": (
                    f"{p.name} ({p.area}, {p.city}) sells "
                    f"{', '.join(s.name.lower() for s in p.services[:4])}. Main competitors: "
                    f"{', '.join(p.competitors[:3])}. The site has {len(p.services) + 6} pages."
                ),
                "websiteTextS3Key": text_key,
                "sources": [p.website, *(f"{p.website}/{content.slugify(s.name)}" for s in p.services)],
            }
        )
        self.documents["skills"].append(
            {
                "_id": skill_id,
                "refId": mint.ulid(),
                "tenantId": self.tenant_ref,
                "createdBy": None,
                "createdOn": researched + dt.timedelta(hours=2),
                "name": "client-context",
                "description": f"Client context file for {p.name}: business, services, audience, voice.",
                "body": content.context_file(p),
                "onboardingRunId": run.ref_id,
            }
        )
        # The researcher's run that wrote the context file: the tenant reviews its output.
        written = researched + dt.timedelta(hours=2)
        work = Work(
            self.new(
                self.mint("activities"),
                Activity,
                title=f"Client context file for {p.name}",
                type="context_file",
                executor="agent",
                status="awaiting_approval" if status == "awaiting_review" else "done",
                due_on=started + dt.timedelta(days=2),
                completed_on=None if status == "awaiting_review" else written,
                created_on=started,
            ),
            self.month_of(written),
            written,
        )
        self.perform(work, "ok", lambda _version: ("markdown", content.context_file(p)))
        return run

    def wizard_inputs(self) -> dict[str, Any]:
        """The onboarding wizard's saved answers (every step of the wizard in docs/PLATFORM.md)."""
        p = self.p
        goal = {g.metric_type: g.baseline for g in p.goals}
        return {
            "channels": [kind for kind, _, _, status in p.channels if status != "disconnected"],
            "brandVoice": p.brand_voice,
            "brandAssets": {
                "colors": [p.brand_color, p.accent_color, "#111827"],
                "fonts": ["Inter", "Merriweather"],
            },
            "documents": [
                {"name": "Price list.pdf", "pages": 2},
                {"name": "Brand guidelines.pdf", "pages": 14},
            ],
            "baseline": {
                "website": {
                    "monthlyVisitors": goal.get("GA_SESSIONS", 6200),
                    "organicClicks": goal.get("GSC_CLICKS", 1900),
                    "averagePosition": 18.4,
                    "topKeywords": [t.keyword for t in p.topics[:3]],
                },
                "paid": {
                    "googleAds": {
                        "monthlySpend": 60000 if p.currency == "INR" else 1800,
                        "costPerLead": 1450 if p.currency == "INR" else 42,
                        "conversions": 62,
                    }
                },
                "social": {
                    "instagram": {"followers": 4200, "engagementRate": 2.1},
                    "linkedin": {"followers": 860, "engagementRate": 3.4},
                },
                "monthlyLeads": goal.get("QUALIFIED_LEADS", 30),
            },
            "budget": {
                "monthly": int(p.subscription_fee * 3),
                "currency": p.currency,
                "flexibility": "moderate",
                "horizonMonths": 6,
            },
        }

    # -- channels, agents and templates --------------------------------------------------------------------

    def channels_and_scores(self) -> None:
        """The tenant's channels and, for connected ones, a daily score over the last 60 days."""
        mint = self.mint("channels")
        rng = mint.rng
        for kind, name, url, status in self.p.channels:
            connected = self.created + dt.timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 8))
            channel = self.new(
                mint,
                Channel,
                type=kind,
                name=name,
                url=url,
                status=status,
                connected_on=connected if status != "disconnected" else None,
                created_by=self.user("admin").id,
                created_on=connected - dt.timedelta(hours=1),
            )
            if status == "error":
                channel.updated_on = self.ago(days=3)
            self.channels[kind] = channel
            if status != "connected":
                continue
            score = rng.randint(42, 78)
            previous = None
            for days_back in range(59, -1, -1):
                score = max(0, min(100, score + rng.choice((-3, -2, -1, 0, 0, 1, 1, 2, 3, 4))))
                self.new(
                    mint,
                    ChannelScore,
                    channel_id=channel.id,
                    scored_on=self.today - dt.timedelta(days=days_back),
                    score=score,
                    delta=None if previous is None else score - previous,
                    metrics=_channel_metrics(kind, score, rng),
                    created_on=self.at(self.today - dt.timedelta(days=days_back), 6, 15),
                )
                previous = score

    def agent_settings(self) -> None:
        """Agent configs, activity templates and recurring task templates (some derived from others)."""
        mint = self.mint("agents")
        admin = self.user("admin")
        for agent, (adapter, _, model) in AGENT_MODELS.items():
            tools = sorted(
                {tool for kind, name in AGENT_FOR.items() if name == agent for tool in TOOLS_FOR[kind]}
            )
            self.new(
                mint,
                AgentConfig,
                agent_name=agent,
                adapter=adapter,
                model=model,
                # A tenant still onboarding has no leads worth enriching yet.
                enabled=agent != "enrichment-agent" or self.p.status != "onboarding",
                settings={"temperature": 0.4, "maxOutputTokens": 6000, "reviewGate": "dm", "tools": tools},
                created_on=self.created,
            )
        # A retired configuration, kept soft-deleted for the audit trail.
        self.new(
            mint,
            AgentConfig,
            agent_name="blog-writer",
            adapter="openai-agents",
            model="gpt-4.1",
            enabled=False,
            settings={"temperature": 0.7},
            created_on=self.created,
            deleted_on=self.created + dt.timedelta(days=20),
            deleted_by=admin.id,
        )
        if self.p.status == "onboarding":
            return
        steps = {
            "blog_post": [
                "Research the keyword",
                "Write the outline",
                "Draft the article",
                "Check facts and links",
                "Send for review",
            ],
            "social_post": ["Pick the theme", "Write the caption", "Generate the image", "Send for review"],
            "monthly_report": ["Pull GA4 and Search Console", "Pull ad platforms", "Write the summary"],
            "search_term_review": ["Sync the search terms", "Label each term", "Queue for human review"],
            "backlinks": [
                "Find prospects",
                "Qualify by rating and relevance",
                "Send outreach",
                "Verify the link",
            ],
        }
        base = {}
        for kind, items in steps.items():
            base[kind] = self.new(
                mint,
                ActivityTemplate,
                name=f"{kind.replace('_', ' ').capitalize()} (standard)",
                type=kind,
                description="The agency's standard recipe.",
                steps=[{"key": content.slugify(s), "title": s} for s in items],
                created_on=self.created,
            )
        derived = steps["blog_post"] + ["Add the FAQ schema block"]
        self.new(
            mint,
            ActivityTemplate,
            source_template_id=base["blog_post"].id,
            name=f"Blog post ({self.p.industry}, with FAQ schema)",
            type="blog_post",
            description=f"The standard recipe plus an FAQ block, for {self.p.name}.",
            steps=[{"key": content.slugify(s), "title": s} for s in derived],
            created_by=self.user("marketer").id,
            created_on=self.created + dt.timedelta(days=20),
        )
        weekly = self.new(
            mint,
            RecurringTaskTemplate,
            name="Weekly search-term review",
            activity_type="search_term_review",
            schedule="FREQ=WEEKLY;BYDAY=MO;BYHOUR=7",
            variables={"lookbackDays": 7, "minImpressions": 10},
            created_on=self.created,
        )
        for name, kind, rule, variables, enabled, source in (
            (
                "Fortnightly ad optimisation",
                "ad_optimization",
                "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
                {"maxChanges": 5},
                True,
                None,
            ),
            (
                "Monthly performance report",
                "monthly_report",
                "FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=8",
                {},
                True,
                None,
            ),
            (
                "Daily backlink check",
                "backlink_research",
                "FREQ=DAILY;BYHOUR=6",
                {"checkIndexed": True},
                True,
                None,
            ),
            (
                "Google Business Profile post",
                "gbp_post",
                "FREQ=WEEKLY;BYDAY=TH",
                {"withPhoto": True},
                False,
                None,
            ),
            (
                "Search-term review (top campaign)",
                "search_term_review",
                "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=7",
                {"lookbackDays": 3, "campaigns": 1},
                True,
                weekly.id,
            ),
        ):
            self.new(
                mint,
                RecurringTaskTemplate,
                source_template_id=source,
                name=name,
                activity_type=kind,
                schedule=rule,
                variables=variables,
                enabled=enabled,
                created_on=self.created + dt.timedelta(days=1 if source is None else 30),
            )

    # -- strategy, goals, deliverables, months and their activities ----------------------------------------

    def planning(self) -> None:
        """Strategy versions with their Markdown, the approved one's goals, deliverables and periods."""
        p = self.p
        mint = self.mint("planning")
        owner = self.user("owner")
        versions = STRATEGIES[p.slug]
        approved_start = next(start for _, _, status, start, _, _ in versions if status == "approved")
        approved_specs = [
            _DeliverableView(d.title, d.monthly_volume, CREDITS[d.type]) for d in p.deliverables
        ]
        archived_specs = [
            _DeliverableView(title, volume, CREDITS[kind])
            for kind, title, volume, *_ in ARCHIVED_DELIVERABLES[p.slug]
        ]
        replaced_on = None
        for version, title, status, start, created, decided in versions:
            created_on = (
                self.on(*created) if created else self.ago(days=6 if status == "pending_review" else 1)
            )
            period_start = self.month(start)
            period_end = add_months(period_start, 6) - dt.timedelta(days=1)
            row = self.new(
                mint,
                Strategy,
                version=version,
                title=title,
                summary=f"Six months from {period_start:%B %Y}: {title.lower()}.",
                status=status,
                period_start=period_start,
                period_end=period_end,
                created_on=created_on,
            )
            decided_on = self.on(*decided) if decided else None
            if status in ("approved", "archived"):
                row.approved_by = row.updated_by = owner.id
                row.approved_on = row.updated_on = decided_on
            if status == "approved":
                self.strategy = row
                replaced_on = decided_on
            elif status == "rejected":
                row.rejected_by = row.updated_by = owner.id
                row.rejected_on = row.updated_on = decided_on
                row.rejection_note = REJECTION_NOTES[p.slug]
            views = archived_specs if status == "archived" else approved_specs
            body = content.strategy_body(p, title, period_start, period_end, p.goals, views)
            object_id = mint.object_id()
            row.content_ref = str(object_id)
            if status == "archived" and "strategy_content" in self.broken:
                self.broken.discard("strategy_content")  # deliberately missing document
            else:
                self.documents["strategies_content"].append(
                    {
                        "_id": object_id,
                        "refId": mint.ulid(),
                        "tenantId": self.tenant_ref,
                        "createdBy": None,
                        "createdOn": created_on,
                        "strategyId": row.ref_id,
                        "body": body,
                    }
                )
            # The strategy writer's run that produced this version (the draft is still being written).
            work = Work(
                self.new(
                    mint,
                    Activity,
                    title=f"Strategy v{version}: {title}",
                    type="strategy",
                    executor="agent",
                    status="in_progress" if status == "draft" else "done",
                    due_on=created_on + dt.timedelta(days=2),
                    completed_on=None if status == "draft" else created_on,
                    created_on=created_on - dt.timedelta(hours=3),
                ),
                self.month_of(created_on),
                created_on,
            )
            self.perform(work, "running" if status == "draft" else "ok", lambda _v, b=body: ("markdown", b))
        for strategy in self.rows:
            if isinstance(strategy, Strategy) and strategy.status == "archived":
                strategy.updated_on = replaced_on
        self.goals_and_deliverables(mint, approved_start)

    def goals_and_deliverables(self, mint: Mint, start: int) -> None:
        """Goals and deliverables of the approved strategy (six months each) and of the archived one (its
        months until it was replaced), every month with its period and activities."""
        p = self.p
        strategy = self.strategy
        archived = next(r for r in self.rows if isinstance(r, Strategy) and r.status == "archived")
        old_goals = [
            self.goal(mint, archived, p.goals[0], "achieved", p.goals[0].target + 40),
            self.goal(mint, archived, p.goals[2], "missed", round(p.goals[2].target * 0.7)),
        ]
        for spec in p.goals:
            goal = self.goal(mint, strategy, spec, spec.status, spec.current)
            if spec.status == "archived":
                goal.updated_on = self.on(-2, 10)
                goal.updated_by = self.user("marketer").id
            self.goals.append(goal)
        old = [
            (spec, self.deliverable(mint, archived, old_goals[spec.goal], spec))
            for spec in (DeliverableSpec(*values) for values in ARCHIVED_DELIVERABLES[p.slug])
        ]
        self.deliverables = [
            (spec, self.deliverable(mint, strategy, self.goals[spec.goal], spec)) for spec in p.deliverables
        ]
        for spec, deliverable in old:
            for month in range(self.month_of(self.at(archived.period_start)), start):
                self.deliverable_month(spec, deliverable, month)
        for spec, deliverable in self.deliverables:
            for offset in range(6):
                self.deliverable_month(spec, deliverable, start + offset)
        self.my_tasks()

    def goal(self, mint: Mint, strategy: Strategy, spec: GoalSpec, status: str, current: int) -> Goal:
        """A goal of a strategy, due at the strategy's end."""
        return self.new(
            mint,
            Goal,
            strategy_id=strategy.id,
            title=spec.title,
            metric=spec.metric,
            metric_type=spec.metric_type,
            target_value=spec.target_value,
            target_numeric_value=Decimal(spec.target),
            baseline_value=Decimal(
                spec.baseline if strategy is self.strategy else round(spec.baseline * 0.8)
            ),
            current_value=Decimal(current),
            unit=spec.unit,
            due_date=strategy.period_end,
            status=status,
            created_on=strategy.approved_on,
        )

    def deliverable(self, mint: Mint, strategy: Strategy, goal: Goal, spec: DeliverableSpec) -> Deliverable:
        """A deliverable of a strategy towards a goal."""
        return self.new(
            mint,
            Deliverable,
            goal_id=goal.id,
            strategy_id=strategy.id,
            title=spec.title,
            type=spec.type,
            monthly_volume=spec.monthly_volume,
            credits_per_unit=CREDITS[spec.type],
            status=spec.status,
            created_on=strategy.approved_on,
        )

    def deliverable_month(self, spec: Any, deliverable: Deliverable, month: int) -> None:
        """One deliverable's period for a month and the activities that fill it."""
        mint = self.mint("activities")
        rng = mint.rng
        first = self.month(month)
        period = self.new(
            mint,
            DeliverablePeriod,
            deliverable_id=deliverable.id,
            period_start=first,
            period_end=add_months(first, 1) - dt.timedelta(days=1),
            target_count=spec.monthly_volume,
            delivered_count=0,
            status="upcoming" if month > 0 else "in_progress",
            created_on=deliverable.created_on,
        )
        self.periods[(spec.type, month)] = period
        if month > 1:
            return
        volume = spec.monthly_volume
        if month < 0:
            missed = rng.random() < 0.15 or (spec.type == "backlinks" and month == -2)
            plans = [("done", "retry" if rng.random() < 0.15 else "ok", None) for _ in range(volume)]
            if missed:
                plans[-1] = ("failed", "fail", None) if rng.random() < 0.6 else ("cancelled", None, None)
        elif month == 0:
            plans = _current_plans(self.p.slug, spec.type, volume)
        else:
            plans = [("pending", None, None)] * volume
        days = (period.period_end - first).days + 1
        for index, (status, plan, post_status) in enumerate(plans):
            due = self.at(first + dt.timedelta(days=int(days * (index + 1) / (volume + 1))), 17)
            if month < 0:
                when = self.within(month, (index + 0.2 + rng.random() * 0.6) / volume)
            elif status in ("in_progress", "queued") and plan in ("running", "queued", "rewrite_running"):
                when = self.within(0, rng.uniform(0.93, 0.99))
            else:
                when = self.within(0, rng.uniform(0.1, 0.9) * (index + 1) / volume)
            work = self.new_work(spec.type, month, index, status, when, due, period, deliverable)
            parent = work.parent
            if parent is not None and spec.type == "content_brief" and status == "done":
                # A brief is written before its article: halfway between the month's start and the article.
                start = self.window(month)[0]
                work.when = work.activity.completed_on = start + (max(parent.when, start) - start) / 2
                work.activity.updated_on = work.when
                work.activity.created_on = min(work.activity.created_on, work.when - dt.timedelta(hours=2))
            work.post_status = post_status
            # X refuses posts over 280 characters, so only drafts under review may be too long.
            work.long_caption = work.platform == "x" and post_status in ("dm_review", "client_review")
            if plan:
                gap = dt.timedelta(days=rng.randint(2, 4)) if plan.startswith("rewrite") else None
                self.perform(work, plan, self.maker(work), gap=gap)
            if status == "done":
                period.delivered_count += 1
        if month < 0:
            period.status = "delivered" if period.delivered_count >= volume else "missed"
            period.updated_on = self.at(period.period_end + dt.timedelta(days=1), 6)

    def new_work(
        self,
        kind: str,
        month: int,
        index: int,
        status: str,
        when: dt.datetime,
        due: dt.datetime,
        period: DeliverablePeriod,
        deliverable: Deliverable,
    ) -> Work:
        """An agent activity of a deliverable's month, with its topic or theme and its parent if any."""
        p = self.p
        rng = self.mint("activities").rng
        position = (month + 6) * 8 + index
        topic = p.topics[position % len(p.topics)] if p.topics else None
        parent = None
        parent_kind = PARENT_KIND.get(kind)
        siblings = [w for w in self.work.get(parent_kind, ()) if w.month == month]
        if siblings:
            parent = siblings[min(index, len(siblings) - 1)] if kind == "content_brief" else siblings[0]
            topic = parent.topic if kind == "content_brief" else topic
        theme = ""
        platform = ""
        if kind == "social_post":
            platform = _platforms(p.slug, month)[index % 8]
            theme = p.social_themes[position % len(p.social_themes)]
        elif kind == "gbp_post":
            theme = p.gbp_themes[position % len(p.gbp_themes)]
        title = _activity_title(kind, topic, theme, platform, self.month(month))
        activity = self.new(
            self.mint("activities"),
            Activity,
            deliverable_period_id=period.id,
            goal_id=deliverable.goal_id,
            parent_activity_id=parent.activity.id if parent else None,
            title=title,
            type=kind,
            executor="agent",
            status=status,
            due_on=due,
            completed_on=when if status == "done" else None,
            blocked_note=BLOCKED_NOTES.get(kind) if status == "blocked" else None,
            created_on=min(self.at(self.month(month), 8) - dt.timedelta(days=3), when - dt.timedelta(hours=2))
            if month <= 0
            else self.ago(days=rng.randint(1, 4)),
        )
        if status in ("done", "failed", "cancelled", "awaiting_approval"):
            activity.updated_on = when
        work = Work(
            activity, month, when, topic=topic, deliverable=deliverable, theme=theme, platform=platform
        )
        self.work[kind].append(work)
        return work

    def maker(self, work: Work) -> Callable[[int], tuple[str, str]]:
        """The function producing the activity's output text for each successful attempt."""
        p = self.p
        kind = work.activity.type
        rng = self.mint("texts").rng
        first = self.month(work.month)

        def make(version: int) -> tuple[str, str]:
            if kind == "blog_post":
                note = REWRITE_NOTES[p.slug] if version else None
                return "markdown", content.blog_article(p, work.topic, rng, rewrite_note=note)
            if kind == "content_brief":
                return "markdown", content.content_brief(p, work.topic, rng)
            if kind == "social_post":
                caption = content.social_caption(p, work.theme, work.platform, rng, long=work.long_caption)
                return "json", json.dumps(
                    {
                        "platform": work.platform,
                        "caption": caption,
                        "hashtags": content.hashtags(p, rng),
                        "cta": "Book now" if p.industry == "dental" else "Talk to us",
                        "altText": f"{p.name}: {work.theme}",
                        "characterLimit": 280 if work.platform == "x" else 2200,
                        "withinLimit": len(caption) <= (280 if work.platform == "x" else 2200),
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            if kind == "gbp_post":
                return "markdown", content.short_post(p, work.theme, rng)
            if kind == "monthly_report":
                return "markdown", content.monthly_report(p, add_months(first, -1), p.goals, rng)
            if kind == "email_newsletter":
                return "markdown", content.newsletter(p, first, rng.sample(p.topics, 2), rng)
            if kind == "landing_page":
                return "markdown", content.landing_page(p, rng.choice(p.services).name, rng)
            if kind == "keyword_cluster":
                payload = content.keyword_cluster(p, rng)
            elif kind == "social_calendar":
                payload = content.social_calendar(p, first, rng)
            elif kind in ("google_ads_copy", "meta_ads_copy"):
                platform = "google_ads" if kind == "google_ads_copy" else "meta_ads"
                names = [c.name for c in p.campaigns if c.platform == platform] or [p.name]
                payload = content.ads_copy(p, rng.choice(names), platform, rng)
            else:  # backlinks and backlink research
                payload = content.backlink_prospects(p, rng)
            return "json", json.dumps(payload, ensure_ascii=False, indent=2)

        return make

    def my_tasks(self) -> None:
        """Human activities assigned to tenant users ("My tasks"), in this month's periods."""
        mint = self.mint("tasks")
        for key, kind, title, status, due_days, note in HUMAN_TASKS[self.p.slug]:
            period = self.periods.get((kind, 0))
            goal_id = next((d.goal_id for spec, d in self.deliverables if spec.type == kind), None)
            created = self.within(0, 0.3)
            task = self.new(
                mint,
                Activity,
                deliverable_period_id=period.id if period else None,
                goal_id=goal_id,
                assignee_user_id=self.user(key).id,
                title=title,
                type=kind,
                executor="human",
                status=status,
                due_on=self.at(self.today + dt.timedelta(days=due_days), 18),
                completed_on=self.within(0, 0.6) if status == "done" else None,
                blocked_note=note,
                created_by=self.user("marketer").id,
                created_on=created,
            )
            self.work[f"task:{kind}"].append(Work(task, 0, created))

    # -- blog, social and backlinks --------------------------------------------------------------------------

    def blog(self) -> None:
        """Blog requests and posts: one per blog activity, plus the tenant's own requests in every status."""
        p = self.p
        mint = self.mint("blog")
        rng = mint.rng
        channel = self.channels.get("wordpress") or self.channels.get("blog")
        deliverable = next(d for spec, d in self.deliverables if spec.type == "blog_post")
        for work in self.work["blog_post"]:
            status = work.post_status or (
                "published" if work.activity.status == "done" and work.month < 0 else None
            )
            if status is None or not work.outputs:
                continue
            request = self.blog_request(
                mint,
                work.topic,
                "completed" if status == "published" else "in_progress",
                None,
                work.deliverable,
                work.activity,
                channel,
                work.activity.created_on,
            )
            self.blog_post(mint, work, request, channel, status)
        goal = deliverable.goal_id
        for status, key, title, keyword, brief in TENANT_BLOG_REQUESTS[p.slug]:
            topic = Topic(title, keyword, title.lower())
            asked = self.ago(days=rng.randint(2, 20), hours=rng.randint(0, 12))
            activity = None
            if status in ("approved", "in_progress"):
                work = Work(
                    self.new(
                        self.mint("activities"),
                        Activity,
                        goal_id=goal,
                        title=f"Blog post: {title}",
                        type="blog_post",
                        executor="agent",
                        status="pending" if status == "approved" else "awaiting_approval",
                        due_on=self.at(self.today + dt.timedelta(days=10), 17),
                        created_on=asked + dt.timedelta(days=1),
                    ),
                    0,
                    self.ago(hours=rng.randint(2, 20)),
                    topic=topic,
                )
                if status == "in_progress":
                    self.perform(work, "ok", self.maker(work))
                activity = work.activity
            request = self.blog_request(
                mint, topic, status, self.user(key), deliverable, activity, channel, asked
            )
            request.brief = brief
            if status == "in_progress":
                self.blog_post(mint, work, request, channel, "dm_review")

    def blog_request(
        self,
        mint: Mint,
        topic: Topic,
        status: str,
        requester: User | None,
        deliverable: Deliverable,
        activity: Activity | None,
        channel: Channel | None,
        asked: dt.datetime,
    ) -> BlogRequest:
        """A blog request (the agency's when requester is None)."""
        rng = mint.rng
        return self.new(
            mint,
            BlogRequest,
            deliverable_id=deliverable.id,
            activity_id=activity.id if activity else None,
            target_channel_id=channel.id if channel else None,
            topic=topic.title,
            keywords=[topic.keyword, topic.thing],
            brief=f"Answer what people ask before choosing {topic.thing}; include prices and an FAQ.",
            target_audience=self.p.audience,
            tone=self.p.brand_voice["tone"],
            target_word_count=rng.choice((600, 700, 800)),
            due_on=(asked + dt.timedelta(days=14)).date(),
            status=status,
            requested_by=requester.id if requester else None,
            created_by=requester.id if requester else None,
            created_on=asked,
            updated_on=asked + dt.timedelta(days=1) if status != "submitted" else None,
        )

    def blog_post(
        self, mint: Mint, work: Work, request: BlogRequest, channel: Channel | None, status: str
    ) -> None:
        """A blog post in ``status``, with the review trail that status implies."""
        p = self.p
        rng = mint.rng
        topic = work.topic
        slug = content.slugify(topic.title)
        written = work.when
        post = self.new(
            mint,
            BlogPost,
            blog_request_id=request.id,
            channel_id=channel.id if channel else None,
            title=topic.title,
            slug=slug,
            target_keyword=topic.keyword,
            meta_title=f"{topic.title} | {p.name}"[:70],
            meta_description=f"{topic.title}: costs, process and how to decide. {p.name}, {p.city}."[:160],
            word_count=self.word_counts.get(work.outputs[-1]),
            status=status,
            content_ref=work.outputs[-1],
            version=len(work.outputs),
            created_on=written,
        )
        if status == "dm_review":
            return
        post.dm_approved_on = min(written + dt.timedelta(hours=rng.randint(3, 20)), self.ago(minutes=30))
        post.updated_on = post.dm_approved_on
        approver = self.user(rng.choice(("marketer", "owner")))
        if status in ("client_approved", "published"):
            post.client_approved_by = post.updated_by = approver.id
            post.client_approved_on = post.updated_on = min(
                post.dm_approved_on + dt.timedelta(hours=rng.randint(2, 30)), self.ago(minutes=20)
            )
        if status == "client_approved":
            post.scheduled_on = self.at(self.today + dt.timedelta(days=rng.randint(2, 6)), 9, 30)
        elif status == "published":
            post.published_on = post.updated_on = min(
                post.client_approved_on + dt.timedelta(hours=rng.randint(4, 40)), self.ago(minutes=10)
            )
            post.published_url = f"{p.website}/blog/{slug}"
            post.scheduled_on = post.published_on
        elif status == "rejected":
            post.client_rejection_note = REJECTED_POST_NOTES[p.slug]
            post.updated_by = approver.id

    def social(self) -> None:
        """Social requests (the agency's monthly batch and the tenant's own) and the posts per platform."""
        p = self.p
        mint = self.mint("social")
        rng = mint.rng
        deliverable = next(d for spec, d in self.deliverables if spec.type == "social_post")
        months = sorted({w.month for w in self.work["social_post"] if w.month <= 0})
        for month in months:
            works = [w for w in self.work["social_post"] if w.month == month]
            calendar = next((w for w in self.work.get("social_calendar", ()) if w.month == month), None)
            request = self.new(
                mint,
                SocialMediaRequest,
                deliverable_id=works[0].deliverable.id,
                activity_id=calendar.activity.id if calendar else None,
                platforms=sorted({w.platform for w in works}),
                brief=f"{self.month(month):%B %Y} posts: " + "; ".join(sorted({w.theme for w in works})),
                due_on=add_months(self.month(month), 1) - dt.timedelta(days=1),
                status="completed" if month < 0 else "in_progress",
                created_on=self.at(self.month(month), 8) - dt.timedelta(days=4),
            )
            for work in works:
                status = work.post_status or (
                    "published" if work.activity.status == "done" and month < 0 else None
                )
                if status and work.outputs:
                    self.social_post(mint, work, request, status)
        for status, key, platforms, brief in TENANT_SOCIAL_REQUESTS[p.slug]:
            asked = self.ago(days=rng.randint(1, 15), hours=rng.randint(0, 10))
            self.new(
                mint,
                SocialMediaRequest,
                deliverable_id=deliverable.id,
                platforms=list(platforms),
                brief=brief,
                due_on=(asked + dt.timedelta(days=10)).date(),
                status=status,
                requested_by=self.user(key).id,
                created_by=self.user(key).id,
                created_on=asked,
                updated_on=asked + dt.timedelta(days=1) if status != "submitted" else None,
            )

    def social_post(self, mint: Mint, work: Work, request: SocialMediaRequest, status: str) -> None:
        """A social post in ``status``; posts past design carry an image (a small PNG)."""
        p = self.p
        rng = mint.rng
        made = json.loads(work.texts[-1])
        channel = self.channels.get(work.platform)
        post = self.new(
            mint,
            SocialPost,
            social_media_request_id=request.id,
            channel_id=channel.id if channel else None,
            platform=work.platform,
            caption=made["caption"],
            hashtags=made["hashtags"],
            cta=made["cta"],
            status=status,
            content_ref=work.outputs[-1],
            version=len(work.outputs),
            created_on=work.when,
        )
        designed = status in ("client_review", "client_approved", "scheduled", "published")
        if designed and work.platform != "x":
            post.image_s3_key = f"{self.tenant_ref}/social-images/{post.ref_id}.png"
            if work.platform == "linkedin" and "social_image" in self.broken:
                self.broken.discard("social_image")  # deliberately missing object
            else:
                image = social_card(p.brand_color, p.accent_color, variant=len(self.objects))
                self.objects.append((post.image_s3_key, image, "image/png"))
        if status in ("dm_review", "dm_approved", "design_pending", "client_review"):
            return
        approver = self.user(rng.choice(("marketer", "owner")))
        decided = min(work.when + dt.timedelta(hours=rng.randint(4, 30)), self.ago(minutes=15))
        post.updated_on = decided
        post.updated_by = approver.id
        if status == "rejected":
            post.client_rejection_note = REJECTED_SOCIAL_NOTES[p.slug]
            return
        post.client_approved_by, post.client_approved_on = approver.id, decided
        if status == "scheduled":
            post.scheduled_on = self.at(self.today + dt.timedelta(days=rng.randint(1, 5)), 18, 30)
        elif status == "published":
            post.scheduled_on = post.published_on = min(
                decided + dt.timedelta(hours=rng.randint(5, 48)), self.ago(minutes=5)
            )
            post.post_url = _post_url(work.platform, post.ref_id)

    def backlinks(self) -> None:
        """Backlinks won by outreach (one per backlinks activity) and directory listings the tenant does."""
        p = self.p
        mint = self.mint("backlinks")
        rng = mint.rng
        deliverable = next(d for spec, d in self.deliverables if spec.type == "backlinks")
        outcome = {"done": "published", "failed": "lost", "cancelled": "lost"}
        current = {
            "done": "agreed",
            "in_progress": "outreach_sent",
            "queued": "prospecting",
            "pending": "prospecting",
        }
        for number, work in enumerate(w for w in self.work["backlinks"] if w.month <= 0):
            status = (outcome if work.month < 0 else current).get(work.activity.status, "prospecting")
            domain, rating = p.outreach_sites[number % len(p.outreach_sites)]
            topic = p.topics[number % len(p.topics)]
            live = status == "published"
            self.new(
                mint,
                Backlink,
                activity_id=work.activity.id,
                deliverable_id=work.deliverable.id,
                source_type="competitor_gap" if number % 4 == 3 else "outreach",
                source_domain=domain,
                source_url=f"https://{domain}/{content.slugify(topic.thing)}-guide" if live else None,
                target_url=f"{p.website}/blog/{content.slugify(topic.title)}",
                anchor_text=topic.keyword if number % 3 else p.name,
                domain_rating=rating,
                link_type=("dofollow", "dofollow", "nofollow", "dofollow", "ugc", "sponsored")[number % 6],
                relevance_score=rng.randint(5, 10),
                status=status,
                is_live=live,
                is_indexed=live and rng.random() < 0.8,
                published_on=work.when if live else None,
                last_checked_on=self.ago(hours=rng.randint(2, 20)) if live else None,
                created_on=work.activity.created_on,
            )
        task = next(iter(self.work.get("task:backlinks", ())), None)
        statuses = ("in_progress", "completed", "completed", "opportunity", "opportunity")
        for directory, status in zip(p.directories, statuses, strict=False):
            done = {"completed": len(directory.steps), "in_progress": 2}.get(status, 0)
            found = self.ago(days=rng.randint(20, 80))
            completed = found + dt.timedelta(days=rng.randint(3, 12)) if status == "completed" else None
            self.new(
                mint,
                Backlink,
                activity_id=task.activity.id if status == "in_progress" and task else None,
                deliverable_id=deliverable.id,
                source_type="directory_opportunity",
                source_domain=directory.domain,
                source_url=f"https://{directory.domain}/",
                target_url=p.website,
                anchor_text=p.name,
                domain_rating=directory.rating,
                link_type="nofollow",
                relevance_score=rng.randint(7, 10),
                status=status,
                steps=[{"title": step, "done": n < done} for n, step in enumerate(directory.steps)],
                is_live=status == "completed",
                is_indexed=status == "completed",
                completed_on=completed,
                published_on=completed,
                last_checked_on=self.ago(hours=rng.randint(2, 20)) if completed else None,
                created_on=found,
                updated_on=completed or (self.ago(days=2) if status == "in_progress" else None),
            )

    # -- paid media ----------------------------------------------------------------------------------------

    def ads(self) -> None:
        """Campaigns in every status, keywords, 30 days of search terms, their labels and recommendations."""
        p = self.p
        mint = self.mint("ads")
        rng = mint.rng
        channel_of = {
            "google_ads": self.channels.get("google_ads"),
            "meta_ads": self.channels.get("meta_ads"),
            "linkedin_ads": self.channels.get("linkedin"),
        }
        cpc = {"INR": (32, 58), "GBP": (3.5, 7.5), "USD": (4, 9)}[p.currency]
        for spec in p.campaigns:
            start, end, share = CAMPAIGN_DATES[spec.status]
            launched = share[1] > 0
            spent = money(spec.budget * rng.uniform(*share)) if launched else money(0)
            clicks = 0 if spec.zero_clicks or not launched else int(spent / Decimal(str(rng.uniform(*cpc))))
            campaign = self.new(
                mint,
                AdCampaign,
                channel_id=channel_of[spec.platform].id if channel_of[spec.platform] else None,
                name=spec.name,
                platform=spec.platform,
                goal=spec.goal,
                status=spec.status,
                budget=money(spec.budget),
                spent=money(1840 * 28 / 1000) if spec.zero_clicks else spent,
                currency=p.currency,
                start_date=self.month(start) + dt.timedelta(days=4),
                end_date=self.month(end) + dt.timedelta(days=20) if end is not None else None,
                external_campaign_id=str(rng.randint(10**9, 10**10 - 1)) if launched else None,
                impressions=1840 if spec.zero_clicks else clicks * rng.randint(14, 40),
                clicks=clicks,
                conversions=int(clicks * rng.uniform(0.04, 0.12)),
                created_by=self.user("marketer").id if spec.status == "draft" else None,
                created_on=self.at(self.month(min(start, 0)), 11) - dt.timedelta(days=12),
            )
            if spec.status in ("client_approved", "active", "paused", "completed", "archived"):
                campaign.client_decided_by = self.user("owner").id
                campaign.client_decided_on = campaign.created_on + dt.timedelta(days=5)
                campaign.client_decision_note = (
                    "Approved."
                    if spec.status != "client_approved"
                    else ("Approved. Please start on the 1st and keep the daily cap.")
                )
            elif (
                spec.status == "dm_review" and spec.platform == "meta_ads"
            ):  # changes requested by the tenant
                campaign.client_decided_by = self.user("marketer").id
                campaign.client_decided_on = self.ago(days=2)
                campaign.client_decision_note = (
                    "Please mention fixed fees in the headline and drop the stock photo."
                )
            self.campaigns[spec.key] = campaign
            self.keywords(mint, spec, campaign)
        goal = next(
            (g.id for g in self.goals if g.metric_type in ("GOOGLE_ADS_CONVERSIONS", "GA_CONVERSIONS")), None
        )
        reviews = self.recurring("search_term_review", goal, weekday=0, every_weeks=1)
        optimisations = self.recurring("ad_optimization", goal, weekday=2, every_weeks=2)
        for spec in p.campaigns:
            if spec.terms and spec.status == "active":
                self.search_terms(mint, spec, self.campaigns[spec.key], reviews)
        self.recommendations(mint, optimisations)

    def keywords(self, mint: Mint, spec: Any, campaign: AdCampaign) -> None:
        """A campaign's keywords (with metrics once it ran) and its negative keywords.

        The keywords split the campaign's own figures: their shares add up to 70–90 % (the rest came from
        close variants no keyword lists), so no keyword sum exceeds the campaign's total or its budget.
        """
        rng = mint.rng
        ran = campaign.clicks > 0
        state = {"active": "active", "paused": "paused", "archived": "removed"}.get(
            spec.status, "pending_push"
        )
        weights = [rng.uniform(0.4, 1.6) for _ in spec.keywords]
        covered = rng.uniform(0.7, 0.9) if ran else 0
        for (text, match, bid), weight in zip(spec.keywords, weights, strict=True):
            share = Decimal(str(round(covered * weight / sum(weights), 6)))
            clicks = int(campaign.clicks * share)
            self.new(
                mint,
                AdKeyword,
                channel_id=campaign.channel_id,
                ad_campaign_id=campaign.id,
                text=text,
                kind="positive",
                match_type=match,
                source="manual",
                status=state,
                max_cpc=Decimal(bid),
                impressions=int(campaign.impressions * share),
                clicks=clicks,
                conversions=min(clicks, int(campaign.conversions * share)),
                cost=(campaign.spent * share).quantize(Decimal("0.01"), rounding=ROUND_DOWN),
                quality_score=rng.randint(4, 9) if ran else None,
                created_on=campaign.created_on,
            )
        for text in spec.negatives:
            self.new(
                mint,
                AdKeyword,
                channel_id=campaign.channel_id,
                ad_campaign_id=campaign.id,
                text=text,
                kind="negative",
                match_type="phrase",
                source="manual",
                status="active" if state != "removed" else "removed",
                created_on=campaign.created_on,
            )

    def recurring(self, kind: str, goal_id: Any, *, weekday: int, every_weeks: int) -> list[Work]:
        """An agent activity on a weekly rhythm over the last six months; the latest awaits review."""
        mint = self.mint(f"recurring-{kind}")
        day = self.month(-5)
        day += dt.timedelta(days=(weekday - day.weekday()) % 7)
        works = []
        while day <= self.today:
            when = min(self.at(day, 7, 30), self.ago(minutes=40))
            works.append(
                Work(
                    self.new(
                        mint,
                        Activity,
                        goal_id=goal_id,
                        title=f"{RECURRING_TITLES[kind]} – week of {day:%d %b %Y}",
                        type=kind,
                        executor="agent",
                        status="done",
                        due_on=self.at(day, 12),
                        completed_on=when,
                        created_on=self.at(day, 7),
                    ),
                    self.month_of(when),
                    when,
                )
            )
            day += dt.timedelta(weeks=every_weeks)
        works[-1].activity.status = "awaiting_approval"
        works[-1].activity.completed_on = None
        terms = [t for c in self.p.campaigns for t in c.terms]
        for work in works:
            if kind == "search_term_review":
                text = json.dumps(content.search_term_review(terms, mint.rng), ensure_ascii=False, indent=2)
            else:
                text = json.dumps(content.ad_optimization([{"note": "see recommendations"}]), indent=2)
            self.perform(work, "retry" if mint.rng.random() < 0.08 else "ok", lambda _v, t=text: ("json", t))
        return works

    def search_terms(self, mint: Mint, spec: Any, campaign: AdCampaign, reviews: list[Work]) -> None:
        """30 days of search-term rows for a campaign and a label per term (pending, reviewed, pushed…).

        The rows are scaled to at most half of the campaign's own totals: the month's searches are part
        of what the campaign counted since it started.
        """
        rng = mint.rng
        latest = {}
        cpc = float(spec.keywords[0][2]) * 0.7
        rows = []
        for days_back in range(30, 0, -1):
            day = self.today - dt.timedelta(days=days_back)
            for term, label, _ in spec.terms:
                if days_back > 1 and rng.random() < 0.3:
                    continue
                impressions = rng.randint(*TERM_TRAFFIC[label])
                clicks = min(impressions, int(impressions * rng.uniform(0.02, 0.12)))
                cost = Decimal(str(clicks * cpc * rng.uniform(0.7, 1.3)))
                conversions = int(clicks * rng.uniform(0.05, 0.2)) if label == "add_as_keyword" else 0
                rows.append((day, term, impressions, clicks, cost, conversions))
        totals = [sum(row[i] for row in rows) for i in range(2, 6)]
        wholes = (campaign.impressions, campaign.clicks, campaign.spent, campaign.conversions)
        scale = min([Decimal(1)] + [Decimal(w) / 2 / t for w, t in zip(wholes, totals, strict=True) if t])
        for day, term, impressions, clicks, cost, conversions in rows:
            clicks = int(clicks * scale)
            latest[term] = self.new(
                mint,
                SearchTermReport,
                channel_id=campaign.channel_id,
                ad_campaign_id=campaign.id,
                search_term=term,
                match_type=rng.choice(("phrase", "broad", "exact")),
                sync_date=day,
                impressions=int(impressions * scale),
                clicks=clicks,
                cost=(cost * scale).quantize(Decimal("0.01"), rounding=ROUND_DOWN),
                conversions=min(clicks, int(conversions * scale)),
                created_on=self.at(day + dt.timedelta(days=1), 6, 10),
            )
        existing = {text for text, _, _ in spec.keywords}
        reviewer = self.user("marketer")
        for number, (term, label, rationale) in enumerate(spec.terms):
            report = latest[term]
            row = self.new(
                mint,
                SearchTermClassification,
                search_term_report_id=report.id,
                ai_classification=label,
                ai_rationale=rationale,
                confidence=Decimal(str(round(rng.uniform(0.55, 0.97), 3))),
                status="pending",
                created_on=report.created_on + dt.timedelta(hours=1),
            )
            if number < 2:  # the newest labels wait for a person
                row.activity_id = reviews[-1].activity.id
                continue
            row.activity_id = reviews[-2 - number % 3].activity.id
            decision = "add_as_negative" if (number == 3 and label == "watch") else label
            row.decision = decision
            row.reviewed_by = row.updated_by = reviewer.id
            row.reviewed_on = row.updated_on = min(
                row.created_on + dt.timedelta(hours=5), self.ago(minutes=30)
            )
            if decision in ("watch", "irrelevant"):
                row.status = "skipped"
                continue
            pushed = number % 3 != 0
            row.status = "pushed" if pushed else "reviewed"
            row.pushed_on = row.reviewed_on + dt.timedelta(minutes=20) if pushed else None
            if term not in existing:
                self.new(
                    mint,
                    AdKeyword,
                    channel_id=campaign.channel_id,
                    ad_campaign_id=campaign.id,
                    text=term,
                    kind="positive" if decision == "add_as_keyword" else "negative",
                    match_type="exact" if decision == "add_as_keyword" else "phrase",
                    source="search_term_classification",
                    status="active" if pushed else "pending_push",
                    max_cpc=Decimal(str(round(cpc, 2))) if decision == "add_as_keyword" else None,
                    created_by=reviewer.id,
                    created_on=row.reviewed_on,
                )

    def recommendations(self, mint: Mint, optimisations: list[Work]) -> None:
        """One recommendation of every kind, waiting for the tenant, approved, rejected or applied."""
        rng = mint.rng
        for number, (kind, status, key, title, rationale, impact, payload, note) in enumerate(
            RECOMMENDATIONS[self.p.slug]
        ):
            campaign = self.campaigns[key]
            source = optimisations[-1] if status == "client_review" else optimisations[-2 - number % 3]
            payload = {
                k: (self.campaigns[v[1:]].ref_id if isinstance(v, str) and v.startswith("@") else v)
                for k, v in payload.items()
            }
            row = self.new(
                mint,
                AdOptimizationRecommendation,
                channel_id=campaign.channel_id,
                ad_campaign_id=campaign.id,
                activity_id=source.activity.id,
                kind=kind,
                title=title,
                rationale=rationale,
                expected_impact=impact,
                payload=payload,
                status=status,
                created_on=source.when + dt.timedelta(minutes=5),
            )
            if status == "client_review":
                continue
            row.reviewed_by = row.updated_by = self.user(rng.choice(("owner", "marketer"))).id
            row.reviewed_on = row.updated_on = min(
                row.created_on + dt.timedelta(hours=rng.randint(3, 40)), self.ago(minutes=10)
            )
            row.review_note = note
            if status == "applied":
                row.applied_on = row.updated_on = row.reviewed_on + dt.timedelta(minutes=15)

    # -- leads -----------------------------------------------------------------------------------------------

    def leads(self) -> None:
        """Leads from every source and in every status, each with a consistent timeline."""
        p = self.p
        mint = self.mint("leads")
        rng = mint.rng
        reps = [self.user("rep1"), self.user("rep2")]
        special = {
            "sla": {"acme": 4, "northwind": 3}.get(p.slug, 1),
            "pool": 6,
            "orphan": 3 if p.months_active else 0,
        }
        kinds = ["sla"] * special["sla"] + ["pool"] * special["pool"] + ["orphan"] * special["orphan"]
        max_days = 150 if p.months_active else 8  # a new tenant: since its site was connected
        for number in range(p.lead_count):
            kind = kinds[number] if number < len(kinds) else "regular"
            if kind == "sla":
                age = p.sla_hours + rng.uniform(3, 60)
            elif kind == "pool":
                age = rng.uniform(0.3, 60 if number % 2 else 8)
            elif kind == "orphan":
                age = (self.now - self.deactivated_on).total_seconds() / 3600 + rng.uniform(72, 400)
            else:
                age = 0.3 + (rng.random() ** 1.7) * max_days * 24
            self.lead(mint, kind, self.now - dt.timedelta(hours=age), reps, number)

    def lead(self, mint: Mint, kind: str, created: dt.datetime, reps: list[User], number: int) -> None:
        """One lead and its timeline (score, enrichment, assignment, contact, status changes, notes)."""
        p = self.p
        rng = mint.rng
        age_days = (self.now - created).total_seconds() / 86400
        service = rng.choice(
            [s for s in p.services if s.b2b] if rng.random() < 0.12 else [s for s in p.services if not s.b2b]
        )
        if kind in ("sla", "pool"):
            status = "new"
        elif kind == "orphan":
            status = "contacted"
        else:
            weights = STATUS_WEIGHTS[0 if age_days < 1 else 1 if age_days < 7 else 2]
            status = rng.choices(("new", "contacted", "qualified", "disqualified", "converted"), weights)[0]
            if status == "new" and age_days * 24 > p.sla_hours * 0.8:
                status = "contacted"  # only the deliberate cases below wait past the first-contact deadline
        low, high = {"converted": (60, 98), "qualified": (50, 95), "contacted": (28, 85), "new": (8, 95)}.get(
            status, (3, 42)
        )
        score = rng.randint(low, high)
        band = _band(score)
        source = self.lead_source(rng)
        first, last = rng.choice(p.first_names), rng.choice(p.last_names)
        company = rng.choice(p.companies) if service.b2b or rng.random() < 0.08 else None
        domain = f"{content.slugify(company)}.example" if company else rng.choice(p.mail_domains)
        handle = fold(f"{first}.{last}").replace(" ", "").replace("'", "")
        email = f"{handle}{rng.randint(1, 99) if rng.random() < 0.4 else ''}@{domain}"
        phone = None if source == "website_form" and rng.random() < 0.2 else _phone(p.country, rng)
        if source == "other" and rng.random() < 0.5:
            email = None  # a phone call from the Google Business Profile: no e-mail
        # Owners: the pool is unassigned, an inactive rep's closed leads stay theirs, the rest are shared.
        assignee = None
        if kind == "orphan":
            assignee = self.user("rep3")
        elif kind == "sla" or (
            kind != "pool" and not (status == "new" and age_days < 1 and rng.random() < 0.5)
        ):
            if (
                status in ("converted", "disqualified")
                and created < self.deactivated_on - dt.timedelta(days=20)
                and rng.random() < 0.3
            ):
                assignee = self.user("rep3")
            else:
                assignee = reps[number % 2] if rng.random() < 0.85 else self.user("manager")
        reason = rng.choice(p.disqualification_reasons) if status == "disqualified" else None
        campaign = self.source_campaign(source, service, created)
        row = self.new(
            mint,
            Lead,
            source=source,
            source_channel_id=self.source_channel(source),
            source_campaign_id=campaign.id if campaign else None,
            first_name=first,
            last_name=last,
            email=email,
            phone=phone,
            phone_digits=phone_digits(phone),
            company=company,
            job_title=rng.choice(p.job_titles) if company else None,
            message=rng.choice(service.messages),
            search_text=lead_search_text(first, last, email, company, phone),
            status=status,
            disqualification_reason=reason,
            score_total=score,
            score_band=band,
            estimated_value=_estimate(service, p.currency, rng),
            enrichment_data={},
            created_by=self.user("manager").id
            if source == "manual"
            else self.user("admin").id
            if source == "import"
            else None,
            created_on=created,
        )
        self.lead_origin(row, source, service, campaign, rng)
        events = self.lead_events(row, kind, status, score, assignee, reason, company, rng)
        for when, kind_, text, actor_type, actor, meta in events:
            self.new(
                mint,
                LeadActivity,
                lead_id=row.id,
                type=kind_,
                description=text,
                actor_type=actor_type,
                actor_id=actor.ref_id if isinstance(actor, User) else actor,
                metadata_=meta,
                created_by=actor.id if isinstance(actor, User) else None,
                created_on=when,
            )
            if kind_ == "assignment":
                row.assigned_to, row.assigned_on = self.users_by_ref[meta["toUser"]].id, when
            if kind_ in ("call", "email_sent") and actor_type == "human" and row.first_contacted_on is None:
                row.first_contacted_on = when
            if kind_ == "enrichment":
                row.enrichment_data = _enrichment(p, company, row, when, rng)
        row.last_activity_on = events[-1][0]
        if len(events) > 2:
            row.updated_on = events[-1][0]
        if reason and reason.startswith("Spam") and number % 2:
            row.deleted_on = events[-1][0] + dt.timedelta(hours=1)  # spam is soft-deleted after review
            row.deleted_by = self.user("manager").id

    def lead_import(self) -> None:
        """The finished CSV import the leads from an import came from (one per tenant, so imports have rows)."""
        imported = [row for row in self.rows if isinstance(row, Lead) and row.source == "import"]
        first = min((row.created_on for row in imported), default=self.ago(days=2))
        started = first - dt.timedelta(minutes=3)
        self.new(
            self.mint("lead_imports"),
            LeadImport,
            filename=f"{self.p.slug}-contacts.csv",
            status="done",
            header=["First name", "Last name", "Email", "Phone", "Company"],
            mapping={"first_name": 0, "last_name": 1, "email": 2, "phone": 3, "company": 4},
            total_rows=len(imported),
            processed_rows=len(imported),
            created_count=len(imported),
            created_by=self.user("admin").id,
            created_on=started,
            finished_on=started + dt.timedelta(minutes=1),
        )

    def lead_events(
        self,
        lead: Lead,
        kind: str,
        status: str,
        score: int,
        assignee: User | None,
        reason: str | None,
        company: str | None,
        rng: Any,
    ) -> list[tuple]:
        """The lead's timeline as (when, type, description, actor type, actor, metadata), oldest first."""
        p = self.p
        notes = CONTACT_NOTES[p.industry]
        steps: list[tuple] = []

        def step(
            hours: float, type_: str, text_: str | None, actor: Any, metadata: dict | None = None
        ) -> None:
            actor_type = "human" if isinstance(actor, User) else "system" if actor == RULES_ACTOR else "agent"
            steps.append((hours, type_, text_, actor_type, actor, metadata or {}))

        # A lead that went well was often scored lower at first and raised after the meeting.
        raised = status in ("qualified", "converted") and rng.random() < 0.3
        first_score = max(score - 12, 0) if raised else score
        signals = rng.sample(SCORE_SIGNALS, 3)
        step(
            0.01,
            "score_updated",
            f"Scored {first_score}/100 ({_band(first_score)})",
            "lead-scorer",
            {"fromScore": None, "toScore": first_score, "band": _band(first_score), "signals": signals},
        )
        if rng.random() < 0.6:
            fields = ["location", "emailDeliverable"] + (["company", "linkedinUrl"] if company else [])
            step(0.03, "enrichment", "Enriched from public sources", "enrichment-agent", {"fields": fields})
        at = 0.05
        if assignee is not None:
            automatic = p.assignment_mode in ("round_robin", "capacity")
            if automatic and kind != "orphan" and rng.random() < 0.12:
                at, rule, actor = rng.uniform(0.2, 2), "claim", assignee  # the rep took it from the pool
            elif automatic:
                at, rule, actor = 0.02, p.assignment_mode, RULES_ACTOR
            else:
                at, rule, actor = rng.uniform(0.2, 3), "manual", self.user("manager")
            step(
                at,
                "assignment",
                f"Assigned to {assignee.full_name}",
                actor,
                {"fromUser": None, "toUser": assignee.ref_id, "rule": rule},
            )
        caller = assignee
        if kind == "orphan":  # the rep left; the admin moved the lead, and the new owner called
            at = (self.deactivated_on - lead.created_on).total_seconds() / 3600
            caller = self.user("rep1")
            step(
                at,
                "assignment",
                f"Reassigned to {caller.full_name}: {assignee.full_name} was deactivated",
                self.user("admin"),
                {"fromUser": assignee.ref_id, "toUser": caller.ref_id, "rule": "manual"},
            )
        late = rng.random() < 0.15
        contact = at + p.sla_hours * (rng.uniform(1.2, 3) if late else rng.uniform(0.05, 0.8))
        if status == "disqualified" and rng.random() < 0.4:
            contact = None  # spam and duplicates are closed without a call
        contacted = status != "new" and contact is not None
        if contacted:
            how = rng.choice(("call", "call", "email_sent"))
            step(
                contact,
                how,
                notes[how],
                caller,
                {"durationSeconds": rng.randint(60, 600)} if how == "call" else {},
            )
            step(
                contact + 0.02,
                "status_change",
                "Marked as contacted",
                caller,
                {"fromStatus": "new", "toStatus": "contacted"},
            )
            if rng.random() < 0.4:
                step(
                    contact + rng.uniform(2, 30),
                    "email_received",
                    "Replied with documents and questions",
                    caller,
                )
        later = (contact or at) + rng.uniform(24, 160)
        if status in ("qualified", "converted"):
            step(later, "meeting", notes["meeting"], caller, {"minutes": 30})
            step(
                later + 0.1,
                "status_change",
                "Marked as qualified",
                caller,
                {"fromStatus": "contacted", "toStatus": "qualified"},
            )
            if raised:
                step(
                    later + 0.2,
                    "score_updated",
                    "Score raised after the meeting",
                    "lead-scorer",
                    {"fromScore": first_score, "toScore": score, "band": _band(score)},
                )
            later += rng.uniform(48, 300)
        if status == "converted":
            step(later, "note", notes["won"], caller)
            step(
                later + 0.05,
                "status_change",
                "Marked as converted",
                caller,
                {"fromStatus": "qualified", "toStatus": "converted"},
            )
        if status == "disqualified":
            step(
                later if contacted else at + rng.uniform(0.5, 6),
                "status_change",
                reason,
                caller or self.user("manager"),
                {
                    "fromStatus": "contacted" if contacted else "new",
                    "toStatus": "disqualified",
                    "reason": reason,
                },
            )
        if status in ("contacted", "qualified") and rng.random() < 0.35:
            step(
                max(h for h, *_ in steps) + rng.uniform(4, 48),
                "note",
                "Asked to call back after payday",
                caller,
            )
        steps.sort(key=lambda entry: entry[0])
        # Squeeze the timeline into the lead's life so far; a reassignment on a known day keeps real hours.
        available = (self.now - lead.created_on).total_seconds() / 3600 * 0.95
        last = steps[-1][0]
        scale = 1 if kind == "orphan" or last <= available else available / last
        return [(lead.created_on + dt.timedelta(hours=hours * scale), *rest) for hours, *rest in steps]

    def lead_source(self, rng: Any) -> str:
        """A lead source; tenants without ad accounts get no ad-form leads."""
        options = ["website_form", "website_form", "manual", "import", "other"]
        if self.channels.get("google_ads") and self.channels["google_ads"].status == "connected":
            options += ["google_lead_form", "google_lead_form"]
        if self.channels.get("meta_ads"):
            options += ["facebook_lead_ad", "facebook_lead_ad"]
        return rng.choice(options)

    def source_channel(self, source: str) -> Any:
        """The channel a lead came through."""
        kind = {
            "website_form": "website",
            "google_lead_form": "google_ads",
            "facebook_lead_ad": "meta_ads",
            "other": "google_business_profile",
        }.get(source)
        channel = self.channels.get(kind) if kind else None
        return channel.id if channel else None

    def source_campaign(self, source: str, service: Any, created: dt.datetime) -> AdCampaign | None:
        """The campaign behind an ad-form lead (one that was running on the lead's day)."""
        platform = {"google_lead_form": "google_ads", "facebook_lead_ad": "meta_ads"}.get(source)
        if not platform:
            return None
        running = [
            self.campaigns[spec.key]
            for spec in self.p.campaigns
            if spec.platform == platform
            and spec.key in self.campaigns
            and self.campaigns[spec.key].clicks > 0
        ]
        fits = [
            c
            for c in running
            if c.start_date <= created.date() and (c.end_date is None or c.end_date >= created.date())
        ]
        return (fits or running or [None])[0]

    def lead_origin(
        self, lead: Lead, source: str, service: Any, campaign: AdCampaign | None, rng: Any
    ) -> None:
        """UTM fields and the landing page of a lead."""
        page = f"{self.p.website}/{content.slugify(service.name)}"
        if source == "website_form":
            lead.source_url = page
            if rng.random() < 0.6:
                lead.utm_source, lead.utm_medium = rng.choice(
                    (("google", "organic"), ("blog", "referral"), ("bing", "organic"))
                )
        elif campaign is not None:
            lead.utm_source = "google" if source == "google_lead_form" else "facebook"
            lead.utm_medium = "cpc" if source == "google_lead_form" else "paid_social"
            lead.utm_campaign = content.slugify(campaign.name)
            query = (
                f"utm_source={lead.utm_source}&utm_medium={lead.utm_medium}&utm_campaign={lead.utm_campaign}"
            )
            lead.source_url = f"{page}?{query}"

    # -- credits and billing ---------------------------------------------------------------------------

    def top_up_usage(self) -> None:
        """Add daily backlink checks, and in busy months daily prospect searches (recurring agent work, each
        at most once a day), until each month's credit use reaches its target.

        Targets, as shares of the allocation: this month the profile's (Acme 60 %, Northwind 85 %: past the
        80 % warning); 110 % in the month of the top-up (which ledger() places before the balance runs
        out); 50–75 % otherwise. Months already above target are left as they are.
        """
        p = self.p
        mint = self.mint("top-up")
        rng = mint.rng
        used = defaultdict(int)
        for move in self.credit_moves:
            used[self.month_of(move.when)] -= move.credits
        goal = next((g.id for g in self.goals if g.metric_type in ("BACKLINKS", "KEYWORD_RANKINGS")), None)
        for month in range(-5, 1):
            if month == 0:
                share = p.usage_target
            elif month == TOPUP_MONTH:
                share = 1.1
            else:
                share = rng.uniform(0.5, 0.75)
            missing = round(p.monthly_credits * share) - used[month]
            start, end = self.window(month)
            days = max((end - start).days, 1)
            # one run of each kind a day at most: runs of a kind are a day or more apart
            for number in range(min(max(missing, 0), days * len(TOP_UP_TITLES))):
                kind, day = divmod(number, days)
                when = start + (end - start) * ((day + 0.3 + 0.4 * kind) / days)
                work = Work(
                    self.new(
                        mint,
                        Activity,
                        goal_id=goal,
                        title=f"{TOP_UP_TITLES[kind]} – {when.astimezone(self.tz):%d %b}",
                        type="backlink_research",
                        executor="agent",
                        status="done",
                        due_on=when + dt.timedelta(hours=4),
                        completed_on=when,
                        created_on=when - dt.timedelta(hours=1),
                    ),
                    month,
                    when,
                )
                self.perform(
                    work, "ok", lambda _v: ("json", json.dumps(content.backlink_prospects(p, rng), indent=2))
                )

    def billing(self) -> None:
        """Six months of invoices, payments and the credit ledger, with a consistent running balance."""
        p = self.p
        mint = self.mint("billing")
        rng = mint.rng
        events: list[dict[str, Any]] = []

        def add(kind: str, when: dt.datetime | None, **fields: Any) -> dict[str, Any]:
            events.append({"kind": kind, "occurred_on": when, **fields})
            return events[-1]

        gross = 1 + p.tax_rate
        for month in range(-5, 1):
            start = self.month(month)
            period = {"period_start": start, "period_end": add_months(start, 1) - dt.timedelta(days=1)}
            label = f"{start:%B %Y}"
            billed = self.at(start, 6)
            add(
                "credit_allocation",
                self.at(start, 0, 1),
                credits=p.monthly_credits,
                description=f"{label} allocation ({p.plan} plan)",
                **period,
            )
            add(
                "subscription_charge",
                billed,
                amount=money(p.subscription_fee),
                status="pending" if month == 0 else "paid",
                description=f"{p.plan.capitalize()} plan, {label}",
                **period,
            )
            if VOID_INVOICES.get(p.slug, (None,))[0] == month:
                add(
                    "invoice",
                    billed,
                    amount=money(p.subscription_fee * gross),
                    status="void",
                    description=VOID_INVOICES[p.slug][1],
                    **period,
                )
            status = (
                "pending" if month == 0 else "overdue" if (month == -1 and p.slug == "northwind") else "paid"
            )
            invoice = add(
                "invoice",
                billed + dt.timedelta(minutes=1),
                amount=money(p.subscription_fee * gross),
                status=status,
                description=f"Subscription {label} ({p.tax_label} included)",
                **period,
            )
            if status == "paid":
                add(
                    "payment",
                    billed + dt.timedelta(days=rng.randint(2, 9)),
                    amount=invoice["amount"],
                    pays=invoice,
                    external_ref=_payment_ref(p.currency, rng),
                )
            if month == TOPUP_MONTH:  # placed in time by ledger(), just before the credits would run out
                credits, price = p.topup
                add(
                    "credit_topup",
                    None,
                    credits=credits,
                    amount=money(price),
                    description=f"Top-up: {credits} credits",
                )
                invoice = add(
                    "invoice",
                    None,
                    amount=money(price * gross),
                    status="paid",
                    description=f"Credit top-up ({credits} credits, {p.tax_label} included)",
                )
                add(
                    "payment",
                    None,
                    amount=invoice["amount"],
                    pays=invoice,
                    external_ref=_payment_ref(p.currency, rng),
                )
        refund, bonus = MONEY_EXTRAS[p.slug]
        add(
            "refund",
            self.on(-3, 18),
            amount=money(-refund[0]),
            description=refund[1],
            external_ref=_payment_ref(p.currency, rng).replace("pay_", "rfnd_").replace("pi_3", "re_3"),
        )
        add("adjustment", self.on(-1, 12), credits=bonus[0], description=bonus[1])
        window_start = self.at(self.month(-5), 0, 0)
        for move in self.credit_moves:
            if move.when >= window_start:
                verb = "Run" if move.kind == "credit_consumed" else "Released after a failed run"
                add(
                    move.kind,
                    move.when,
                    credits=move.credits,
                    description=f"{verb}: {move.title}",
                    external_ref=move.run.ref_id,
                )
        self.ledger(mint, events)

    def ledger(self, mint: Mint, events: list[dict[str, Any]]) -> None:
        """Order the events, place the top-up before the balance runs low, number the invoices in order
        (INV-YYYY-MM-XXXX, XXXX counting the tenant's invoices) and write the running credit balance."""
        p = self.p
        pending_topup = [e for e in events if e["occurred_on"] is None]
        timed = sorted((e for e in events if e["occurred_on"] is not None), key=lambda e: e["occurred_on"])
        balance = CARRIED_CREDITS
        ordered = []
        for event in timed:
            if event["kind"] == "credit_allocation" and balance > 0:  # unused credits expire first
                expired = event["occurred_on"] - dt.timedelta(seconds=30)
                ordered.append(
                    {
                        "kind": "adjustment",
                        "credits": -balance,
                        "occurred_on": expired,
                        "description": "Unused credits expired at the end of the month",
                    }
                )
                balance = 0
            credits = event.get("credits") or 0
            low = balance + credits < p.monthly_credits * 0.1
            if pending_topup and low and self.month_of(event["occurred_on"]) == TOPUP_MONTH:
                for offset, extra in enumerate(pending_topup):
                    extra["occurred_on"] = event["occurred_on"] - dt.timedelta(minutes=3 - offset)
                    ordered.append(extra)
                    balance += extra.get("credits") or 0
                pending_topup = []
            balance += credits
            ordered.append(event)
        running = CARRIED_CREDITS
        sequence = p.months_active - 5  # the invoices before the six months shown
        for event in ordered:
            if event["kind"] == "invoice":
                event["invoice_number"] = (
                    f"INV-{event['occurred_on'].astimezone(self.tz):%Y-%m}-{sequence:04d}"
                )
                sequence += 1
            if "pays" in event:
                event["description"] = f"Payment for {event.pop('pays')['invoice_number']}"
            running += event.get("credits") or 0
            self.new(
                mint,
                BillingEvent,
                kind=event["kind"],
                amount=event.get("amount", money(0)),  # a credit movement moves no money
                currency=p.currency,
                credits=event.get("credits"),
                credit_balance_after=running if event.get("credits") is not None else None,
                invoice_number=event.get("invoice_number"),
                status=event.get("status", "paid"),
                description=event.get("description"),
                period_start=event.get("period_start"),
                period_end=event.get("period_end"),
                external_ref=event.get("external_ref"),
                occurred_on=event["occurred_on"],
                created_on=event["occurred_on"],
            )

    # -- all of it ---------------------------------------------------------------------------------------

    def build(self) -> TenantSeed:
        """Build every row, document and object of the tenant (a subset for a tenant still onboarding)."""
        self.tenant_and_users()
        self.users_by_ref = {user.ref_id: user for user in self.users.values()}
        self.contracts()
        self.onboarding()
        self.channels_and_scores()
        self.agent_settings()
        if self.p.status == "active":
            self.planning()
            self.ads()
            self.blog()
            self.social()
            self.backlinks()
            self.top_up_usage()
            self.billing()
        self.leads()
        self.lead_import()
        self.finish_sessions()
        return self


def _tool_summary(tool: str, failed: bool) -> str:
    """One line on what a tool call did."""
    if failed:
        return (
            f"{tool} failed: {'HTTP 502 from upstream' if tool.endswith('_api') else 'timed out after 30 s'}"
        )
    return {
        "serp_lookup": "Fetched the top 10 organic results",
        "web_search": "Searched the web for recent sources",
        "fetch_url": "Fetched and cleaned a competitor page",
        "image_generate": "Generated a 1080×1080 image",
        "keyword_planner": "Pulled volumes for 24 keywords",
        "google_ads_api": "Queried the Google Ads API",
        "meta_graph_api": "Read ad set insights from Meta",
        "ga4_report": "Ran a GA4 report for the last 28 days",
        "gsc_query": "Queried Search Console performance",
        "backlink_index": "Looked up referring domains",
        "send_email": "Sent an outreach e-mail",
        "gbp_api": "Posted an update to Google Business Profile",
        "mailchimp_api": "Created a Mailchimp campaign draft",
        "wordpress_publish": "Sent the article to WordPress (a draft until the client approves)",
    }.get(tool, f"Called {tool}")


def _tool_payloads(tool: str, profile: Profile, rng: Any, failed: bool) -> tuple[dict, dict]:
    """Realistic request and response payloads of a tool call (what tool_call_logs keeps in full)."""
    topic = rng.choice(profile.topics) if profile.topics else Topic(profile.name, profile.name, profile.name)
    request: dict[str, Any] = {"tool": tool}
    if tool in ("serp_lookup", "keyword_planner", "web_search"):
        request["arguments"] = {"query": topic.keyword, "location": profile.city, "language": "en"}
        response: dict[str, Any] = {
            "results": [
                {"position": n, "url": f"https://{site}/", "title": f"{topic.thing.capitalize()} – {site}"}
                for n, (site, _) in enumerate(profile.outreach_sites[:3] or (("example.com", 0),), start=1)
            ]
        }
    elif tool == "fetch_url":
        request["arguments"] = {"url": f"{profile.website}/{content.slugify(topic.title)}", "timeout": 20}
        response = {
            "status": 200,
            "contentType": "text/html; charset=utf-8",
            "bytes": rng.randint(18000, 90000),
        }
    elif tool == "google_ads_api":
        request["arguments"] = {
            "customerId": "4128832190",
            "query": "SELECT search_term_view.search_term, metrics.clicks, metrics.cost_micros "
            "FROM search_term_view WHERE segments.date DURING LAST_7_DAYS",
        }
        response = {"rowCount": rng.randint(40, 400), "nextPageToken": None}
    else:
        request["arguments"] = {"tenant": profile.slug}
        response = {"ok": True, "id": f"{tool}-{rng.randint(10000, 99999)}"}
    if failed:
        response = {"error": {"code": 502, "message": "Bad Gateway", "retryable": True}}
    return request, response


def _channel_metrics(kind: str, score: int, rng: Any) -> dict[str, Any]:
    """The day's raw numbers behind a channel's score."""
    if kind in ("website", "google_analytics"):
        return {"sessions": 180 + score * rng.randint(3, 6), "bounceRate": round(rng.uniform(0.35, 0.6), 2)}
    if kind == "google_search_console":
        clicks = 40 + score * rng.randint(1, 3)
        return {
            "clicks": clicks,
            "impressions": clicks * rng.randint(25, 40),
            "position": round(rng.uniform(8, 22), 1),
        }
    if kind in ("google_ads", "meta_ads"):
        return {"conversions": rng.randint(1, 9), "costPerConversion": round(rng.uniform(9, 60), 2)}
    if kind == "google_business_profile":
        return {"views": 90 + score * 4, "calls": rng.randint(2, 14), "directionRequests": rng.randint(1, 10)}
    if kind == "email":
        return {"openRate": round(rng.uniform(0.28, 0.46), 2), "clickRate": round(rng.uniform(0.02, 0.07), 3)}
    return {"followers": 800 + score * 40, "engagementRate": round(rng.uniform(0.8, 4.5), 2)}


@dataclass(frozen=True)
class _DeliverableView:
    """What the strategy's Markdown shows of a deliverable."""

    title: str
    monthly_volume: int
    credits_per_unit: int


def _current_plans(slug: str, kind: str, volume: int) -> list[tuple[str, str | None, str | None]]:
    """This month's units of a deliverable: (activity status, run plan, post status)."""
    if (slug, kind) in CURRENT_PLANS:
        plans = list(CURRENT_PLANS[(slug, kind)])
        return (plans + [("pending", None, None)] * volume)[:volume]
    statuses = CURRENT_STATUSES.get((slug, kind)) or CURRENT_STATUSES.get(kind) or ("pending",)
    statuses = (list(statuses) * volume)[:volume]
    return [(status, PLAN_FOR_STATUS.get(status), None) for status in statuses]


def _platforms(slug: str, month: int) -> list[str]:
    """The platform of each social post of a month (this month's order puts a long X post up for review)."""
    if month == 0:
        return {
            "acme": ["instagram", "facebook", "x", "instagram", "linkedin", "facebook", "x", "instagram"],
            "northwind": ["linkedin", "x", "x", "linkedin", "facebook", "instagram", "linkedin", "x"],
        }[slug]
    cycle = (
        ["instagram", "facebook", "linkedin", "x"]
        if slug == "acme"
        else ["linkedin", "x", "facebook", "instagram"]
    )
    return [cycle[(month + n) % 4] for n in range(8)]


def _activity_title(kind: str, topic: Topic | None, theme: str, platform: str, month: dt.date) -> str:
    """The title of a deliverable's activity."""
    if kind == "blog_post":
        return f"Blog post: {topic.title}"
    if kind == "content_brief":
        return f"Content brief: {topic.title}"
    if kind == "social_post":
        return f"{PLATFORM_NAMES[platform]} post: {theme}"
    if kind == "gbp_post":
        return f"Google Business Profile post: {theme}"
    previous = add_months(month, -1)
    return {
        "keyword_cluster": f"Keyword clusters for {month:%B %Y}",
        "social_calendar": f"Social calendar for {month:%B %Y}",
        "monthly_report": f"Performance report for {previous:%B %Y}",
        "email_newsletter": f"Client newsletter – {month:%B %Y}",
        "landing_page": f"Practice-area landing page – {month:%B %Y}",
        "google_ads_copy": f"Google Ads copy refresh – {month:%B %Y}",
        "meta_ads_copy": f"Meta lead ad copy – {month:%B %Y}",
        "backlinks": f"Backlink outreach – {month:%B %Y}",
    }[kind]


def _post_url(platform: str, ref: str) -> str:
    """A plausible public URL of a published social post."""
    code = ref[-11:].lower()
    return {
        "instagram": f"https://www.instagram.com/p/{code}/",
        "facebook": f"https://www.facebook.com/permalink.php?story_fbid={int(code, 36) % 10**15}",
        "linkedin": f"https://www.linkedin.com/feed/update/urn:li:activity:{int(code, 36) % 10**19}",
        "x": f"https://x.com/i/status/{int(code, 36) % 10**19}",
    }[platform]


def _phone(country: str, rng: Any) -> str:
    """A phone number in the country's usual format (fictional ranges for the UK and the US)."""
    if country == "IN":
        return f"+91 {rng.choice('6789')}{rng.randint(1000, 9999)} {rng.randint(10000, 99999)}"
    if country == "GB":
        return f"+44 7700 900{rng.randint(0, 999):03d}"
    return f"+1 ({rng.choice(('312', '773', '872'))}) 555-01{rng.randint(0, 99):02d}"


def _estimate(service: Any, currency: str, rng: Any) -> Decimal:
    """A lead's estimated value, rounded the way a salesperson would."""
    step = 500 if currency == "INR" else 50
    return money(round(rng.randint(service.low, service.high) / step) * step)


def _enrichment(
    profile: Profile, company: str | None, lead: Lead, when: dt.datetime, rng: Any
) -> dict[str, Any]:
    """What the enrichment agent found about a lead."""
    data: dict[str, Any] = {
        "source": "enrichment-agent",
        "enrichedOn": when.isoformat(),
        "location": {"city": profile.city, "country": profile.country},
        "emailDeliverable": lead.email is not None and rng.random() < 0.92,
        "phoneType": "mobile" if lead.phone else None,
    }
    if company:
        data["company"] = {
            "name": company,
            "domain": f"{content.slugify(company)}.example",
            "employees": rng.choice(("11-50", "51-200", "201-500")),
        }
        data["linkedinUrl"] = (
            f"https://www.linkedin.com/in/{content.slugify(f'{lead.first_name} {lead.last_name}')}"
        )
    return data


def _payment_ref(currency: str, rng: Any) -> str:
    """A payment provider's reference (Razorpay for INR, Stripe otherwise)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789"
    token = "".join(rng.choice(alphabet) for _ in range(14))
    return f"pay_{token}" if currency == "INR" else f"pi_3{token}"


def _band(score: int) -> str:
    """The score band: hot 70–100, warm 40–69, cold 0–39."""
    return "hot" if score >= 70 else "warm" if score >= 40 else "cold"
