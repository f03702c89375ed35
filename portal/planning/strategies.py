"""Strategy versions: the list, the decision (approve or reject) and the diff between versions.

A decision is one transaction with a conditional UPDATE … WHERE status = 'pending_review', so two owners
deciding at once end with one decision; the other is told who decided and when, and nothing is recorded
for them. Approving archives the previously approved version first: the partial unique index allows one
approved strategy per tenant, and it is not deferrable.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal import audit
from portal.db import get_session
from portal.formatting import localtime
from portal.models import Goal, Strategy, User
from portal.planning.paging import Page, as_int, keyset
from portal.stores import StoreUnavailable, get_stores
from portal.stores.documents import STRATEGIES_CONTENT
from portal.stores.refs import resolve
from portal.tenancy import current_tenant

DECISIONS = {"approve": ("approved", "strategy.approved"), "reject": ("rejected", "strategy.rejected")}


class DecisionRefused(Exception):
    """A decision the rules refuse; the message says why (and who decided, when already decided)."""


def list_strategies(cursor: str | None) -> Page:
    """The tenant's strategy versions, newest first, 25 a page."""
    statement = select(Strategy).where(Strategy.tenant_id == current_tenant.id)
    return keyset(
        statement,
        Strategy.version,
        Strategy.ref_id,
        cursor,
        as_int,
        descending=True,
        key_of=lambda s: s.version,
        ref_of=lambda s: s.ref_id,
    )


def approved_strategy() -> Strategy | None:
    """The strategy in force (at most one is approved)."""
    return (
        get_session()
        .scalars(
            select(Strategy).where(Strategy.tenant_id == current_tenant.id, Strategy.status == "approved")
        )
        .first()
    )


def goals_of(strategy: Strategy) -> list[Goal]:
    """The live goals of a strategy (a strategy has a handful), with their deliverables."""
    return list(
        get_session()
        .scalars(
            select(Goal)
            .where(Goal.strategy_id == strategy.id, Goal.deleted_on.is_(None))
            .options(joinedload(Goal.deliverables))
            .order_by(Goal.created_on, Goal.id)
        )
        .unique()
    )


def previous_version(strategy: Strategy) -> Strategy | None:
    """The version just before this one, if any."""
    return (
        get_session()
        .scalars(
            select(Strategy)
            .where(Strategy.tenant_id == strategy.tenant_id, Strategy.version < strategy.version)
            .order_by(Strategy.version.desc())
            .limit(1)
        )
        .first()
    )


def decided_by(strategy: Strategy) -> str:
    """Who decided the strategy and when, in words, from the audit trail (or the row's columns)."""
    for event in reversed(audit.history(strategy)):
        if event.action in ("strategy.approved", "strategy.rejected"):
            who = event.actor.full_name if event.actor is not None else "the agency"
            verb = "approved" if event.action == "strategy.approved" else "rejected"
            return f"{who} {verb} it on {localtime(event.created_on)}"
    if strategy.status == "approved" and strategy.approved_on:
        return f"it was approved on {localtime(strategy.approved_on)}"
    if strategy.status == "rejected" and strategy.rejected_on:
        return f"it was rejected on {localtime(strategy.rejected_on)}"
    return f"it is {strategy.status.replace('_', ' ')}"


def decide(strategy: Strategy, decision: str, note: str | None, actor: User) -> Strategy:
    """Approve or reject a strategy waiting for review, in one transaction with its audit event.

    Raises DecisionRefused (and records nothing) when it is no longer pending review, or when another
    version was approved at the same moment.
    """
    status, action = DECISIONS[decision]
    note = (note or "").strip() or None
    if decision == "reject" and not note:
        raise DecisionRefused("Say why you reject the strategy: the agency rewrites it from your note.")
    session = get_session()
    now = dt.datetime.now(dt.UTC)
    values: dict = {"status": status, "updated_by": actor.id, "updated_on": now}
    if decision == "approve":
        values |= {"approved_by": actor.id, "approved_on": now}
        # Archive the version in force first: the unique index allows one approved strategy at a time.
        session.execute(
            update(Strategy)
            .where(
                Strategy.tenant_id == strategy.tenant_id,
                Strategy.status == "approved",
                Strategy.id != strategy.id,
            )
            .values(status="archived", updated_by=actor.id, updated_on=now)
            .execution_options(synchronize_session=False)
        )
    else:
        values |= {"rejected_by": actor.id, "rejected_on": now, "rejection_note": note}
    try:
        won = session.execute(
            update(Strategy)
            .where(
                Strategy.tenant_id == strategy.tenant_id,
                Strategy.id == strategy.id,
                Strategy.status == "pending_review",
            )
            .values(**values)
            .returning(Strategy.id)
            .execution_options(synchronize_session=False)
        ).first()
    except IntegrityError as error:  # another version was approved in the same instant
        session.rollback()
        raise DecisionRefused(
            "Another version of the strategy was approved at the same moment; reload to see it."
        ) from error
    if won is None:
        session.rollback()
        session.refresh(strategy)
        raise DecisionRefused(f"This strategy is no longer waiting for a decision: {decided_by(strategy)}.")
    audit.record(action, strategy, note=note, version=strategy.version)
    session.commit()
    session.refresh(strategy)
    return strategy


@dataclass(frozen=True)
class DiffLine:
    """One line of a text diff: kind is "add", "del", "same" or "hunk"."""

    kind: str
    text: str
    old_number: int | None = None
    new_number: int | None = None


@dataclass(frozen=True)
class StrategyDiff:
    """The diff of a version against the previous one; lines is None when a body could not be read."""

    older: Strategy | None
    newer: Strategy
    lines: list[DiffLine] | None
    problem: str | None = None
    added: int = 0
    removed: int = 0


def _body(strategy: Strategy) -> tuple[str | None, str | None]:
    """(text, None) of a strategy's Markdown body, or (None, why not)."""
    if not strategy.content_ref:
        return None, f"Version {strategy.version} has no text yet."
    try:
        resolution = resolve(get_stores(), STRATEGIES_CONTENT, strategy.content_ref, current_tenant.ref_id)
    except StoreUnavailable:
        resolution = None
    if resolution is None or resolution.state == "unavailable":
        return None, "The strategy texts can't be loaded right now. Please try again in a moment."
    if resolution.state != "found":
        return None, f"The text of version {strategy.version} is missing."
    text = resolution.text
    if text is None and resolution.document is not None:  # rendered from the cache: the body is in the doc
        text = resolution.document.get("body")
    if not isinstance(text, str):
        return None, f"The text of version {strategy.version} can't be compared."
    return text, None


def diff(strategy: Strategy, context: int = 3) -> StrategyDiff:
    """A line diff of the strategy's body against the previous version's (grouped hunks with context)."""
    older = previous_version(strategy)
    if older is None:
        return StrategyDiff(None, strategy, None, "This is the first version: there is nothing to compare.")
    old_text, problem = _body(older)
    new_text, problem_new = _body(strategy)
    if problem or problem_new:
        return StrategyDiff(older, strategy, None, problem or problem_new)
    old_lines, new_lines = old_text.splitlines(), new_text.splitlines()
    lines: list[DiffLine] = []
    added = removed = 0
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        first, last = group[0], group[-1]
        lines.append(DiffLine("hunk", f"Lines {first[1] + 1}–{last[2]} → {first[3] + 1}–{last[4]}"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [DiffLine("same", old_lines[i], i + 1, j1 + (i - i1) + 1) for i in range(i1, i2)]
                continue
            if tag in ("replace", "delete"):
                lines += [DiffLine("del", old_lines[i], i + 1, None) for i in range(i1, i2)]
                removed += i2 - i1
            if tag in ("replace", "insert"):
                lines += [DiffLine("add", new_lines[j], None, j + 1) for j in range(j1, j2)]
                added += j2 - j1
    return StrategyDiff(older, strategy, lines, None, added, removed)
