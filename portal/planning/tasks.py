"""My tasks: the human activities assigned to the signed-in user, marked done or blocked with a note.

Each change is one conditional UPDATE (only the assignee, only while the task is open), so a double submit
or a second tab changes nothing twice; the loser is told what happened and nothing is recorded for them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, literal, select, update
from sqlalchemy.orm import joinedload

from portal import audit
from portal.db import get_session
from portal.formatting import localtime
from portal.models import Activity, User
from portal.planning.paging import Page, as_time, keyset
from portal.planning.service import FAR_FUTURE
from portal.tenancy import TENANT_ID, current_tenant

CLOSED = ("done", "cancelled")


class TaskRefused(Exception):
    """A change the rules refuse; the message says why."""


def _mine(user: User):
    return select(Activity).where(
        Activity.tenant_id == current_tenant.id,
        Activity.assignee_user_id == user.id,
        Activity.executor == "human",
    )


def my_tasks(user: User, done: bool, cursor: str | None) -> Page:
    """The user's open tasks by due date (or the finished ones, latest first), 25 a page."""
    statement = _mine(user).options(joinedload(Activity.period), joinedload(Activity.goal))
    if done:
        statement = statement.where(Activity.status.in_(CLOSED))
        when = func.coalesce(Activity.completed_on, Activity.created_on)
        return keyset(
            statement,
            when,
            Activity.ref_id,
            cursor,
            as_time,
            descending=True,
            key_of=lambda a: a.completed_on or a.created_on,
            ref_of=lambda a: a.ref_id,
        )
    statement = statement.where(Activity.status.not_in(CLOSED))
    return keyset(
        statement,
        func.coalesce(Activity.due_on, literal(FAR_FUTURE)),
        Activity.ref_id,
        cursor,
        as_time,
        key_of=lambda a: a.due_on or FAR_FUTURE,
        ref_of=lambda a: a.ref_id,
    )


def open_count(user_id):
    """The number of the user's open tasks (a select for a count)."""
    return select(func.count()).where(
        Activity.tenant_id == TENANT_ID,
        Activity.assignee_user_id == user_id,
        Activity.executor == "human",
        Activity.status.not_in(CLOSED),
    )


def task_of(user: User, activity: Activity) -> Activity:
    """The activity if it is one of the user's tasks, else TaskRefused."""
    if activity.assignee_user_id != user.id or activity.executor != "human":
        raise TaskRefused("This task is not assigned to you.")
    return activity


def _change(activity: Activity, user: User, values: dict, action: str, note: str | None) -> Activity:
    session = get_session()
    now = dt.datetime.now(dt.UTC)
    changed = session.execute(
        update(Activity)
        .where(
            Activity.tenant_id == activity.tenant_id,
            Activity.id == activity.id,
            Activity.assignee_user_id == user.id,
            Activity.executor == "human",
            Activity.status.not_in(CLOSED),
        )
        .values(**values, updated_by=user.id, updated_on=now)
        .returning(Activity.id)
        .execution_options(synchronize_session=False)
    ).first()
    if changed is None:
        session.rollback()
        session.refresh(activity)
        when = f" on {localtime(activity.completed_on)}" if activity.completed_on else ""
        raise TaskRefused(f"“{activity.title}” is already {activity.status}{when}; nothing was changed.")
    audit.record(action, activity, note=note)
    session.commit()
    session.refresh(activity)
    return activity


def mark_done(activity: Activity, user: User) -> Activity:
    """Mark the user's open task done (clearing any blocked note)."""
    task_of(user, activity)
    now = dt.datetime.now(dt.UTC)
    return _change(
        activity, user, {"status": "done", "completed_on": now, "blocked_note": None}, "task.done", None
    )


def mark_blocked(activity: Activity, user: User, note: str) -> Activity:
    """Mark the user's open task blocked, saying why (the agency sees the note)."""
    task_of(user, activity)
    note = note.strip()
    if not note:
        raise TaskRefused("Say what blocks the task, so the agency can help.")
    if activity.status == "blocked" and activity.blocked_note == note:
        return activity  # the same submit twice: nothing new to record
    return _change(activity, user, {"status": "blocked", "blocked_note": note}, "task.blocked", note)
