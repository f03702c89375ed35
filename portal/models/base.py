"""The platform's base fields and our tenant wall in the schema, shared by every tenant-owned model.

Every tenant table has the primary key ``(tenant_id, id)``, ``ref_id`` unique per tenant, and composite
foreign keys ``(tenant_id, x_id) → x(tenant_id, id)``, so a row can never point into another tenant.
Relationships name only the non-tenant column as ``foreign()`` so SQLAlchemy keeps ``tenant_id`` in every
join but never writes it; ``tenant_id`` comes from the transaction's tenant (a server default).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar

from sqlalchemy import (
    CheckConstraint,
    ForeignKeyConstraint,
    PrimaryKeyConstraint,
    String,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from portal.db import Base
from portal.ids import new_ulid

# The user columns the mixins below add: each gets its composite foreign key to users automatically.
USER_COLUMNS = ("created_by", "updated_by", "deleted_by", "reviewed_by")

# Written exactly as PostgreSQL reflects it, so Alembic's autogenerate sees no change.
CURRENT_TENANT = text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid")


def check_in(column: str, values: tuple[str, ...], name: str | None = None) -> CheckConstraint:
    """CHECK that a text column holds one of the listed values (status columns and other enums)."""
    listed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({listed})", name=name or column)


def check_range(column: str, low: int, high: int) -> CheckConstraint:
    """CHECK that a number lies in [low, high] (NULL passes, as CHECK does)."""
    return CheckConstraint(f"{column} BETWEEN {low} AND {high}", name=f"{column}_range")


def parent(child: str, column: str, target: str, **kwargs: Any):
    """A many-to-one relationship within the tenant: joins on tenant_id too, writes only ``column``."""
    kwargs.setdefault("lazy", "raise_on_sql")
    if child == target:  # a self-reference marks the parent row's columns remote()
        join = f"and_({child}.tenant_id == remote({target}.tenant_id), foreign({child}.{column}) == remote({target}.id))"
    else:
        join = f"and_({child}.tenant_id == {target}.tenant_id, foreign({child}.{column}) == {target}.id)"
    return relationship(target, primaryjoin=join, **kwargs)


def children(owner: str, target: str, column: str, **kwargs: Any):
    """The one-to-many side of ``parent``: read-only, loaded explicitly (selectinload) or not at all."""
    kwargs.setdefault("lazy", "raise_on_sql")
    return relationship(
        target,
        primaryjoin=f"and_({owner}.tenant_id == {target}.tenant_id, {owner}.id == foreign({target}.{column}))",
        viewonly=True,
        **kwargs,
    )


class TenantOwned(Base):
    """Abstract base of the 30 tenant-owned tables: base fields plus the composite keys.

    Subclasses list their foreign keys in ``__parents__`` (column → table, optional ``ondelete``) and any
    other constraints or indexes in ``__extra_args__``; the ``*_by`` user columns get theirs automatically.
    """

    __abstract__ = True
    __parents__: ClassVar[dict[str, str | tuple[str, str]]] = {}
    __extra_args__: ClassVar[tuple[Any, ...]] = ()
    __mapper_args__ = {"allow_partial_pks": False}

    tenant_id: Mapped[uuid.UUID] = mapped_column(server_default=CURRENT_TENANT, sort_order=-3)
    id: Mapped[uuid.UUID] = mapped_column(
        default=uuid.uuid4, server_default=func.gen_random_uuid(), sort_order=-2
    )
    ref_id: Mapped[str] = mapped_column(String(26), default=new_ulid, sort_order=-1)
    created_by: Mapped[uuid.UUID | None] = mapped_column(sort_order=90)
    created_on: Mapped[dt.datetime] = mapped_column(server_default=func.now(), sort_order=91)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        """PK (tenant_id, id), unique (tenant_id, ref_id), and composite FKs for parents and ``*_by``."""
        args: list[Any] = [
            PrimaryKeyConstraint("tenant_id", "id"),
            UniqueConstraint("tenant_id", "ref_id"),
            ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),
        ]
        parents = dict(cls.__parents__)
        for column in USER_COLUMNS:
            if hasattr(cls, column):
                parents.setdefault(column, "users")
        for column, target in parents.items():
            table, ondelete = target if isinstance(target, tuple) else (target, None)
            args.append(
                ForeignKeyConstraint(
                    ["tenant_id", column],
                    [f"{table}.tenant_id", f"{table}.id"],
                    ondelete=ondelete,
                )
            )
        return (*args, *cls.__extra_args__)


class Updated:
    """``updated_by`` / ``updated_on`` for rows that change."""

    updated_by: Mapped[uuid.UUID | None] = mapped_column(sort_order=92)
    updated_on: Mapped[dt.datetime | None] = mapped_column(onupdate=func.now(), sort_order=93)


class SoftDeleted:
    """``deleted_by`` / ``deleted_on``: lists filter ``deleted_on IS NULL``."""

    deleted_by: Mapped[uuid.UUID | None] = mapped_column(sort_order=94)
    deleted_on: Mapped[dt.datetime | None] = mapped_column(sort_order=95)


class Reviewed:
    """``reviewed_by`` / ``reviewed_on`` and the ``reviewer``: the person who decided on the row, and when."""

    reviewed_by: Mapped[uuid.UUID | None] = mapped_column()
    reviewed_on: Mapped[dt.datetime | None] = mapped_column()

    @declared_attr
    def reviewer(cls):
        """The user who reviewed the row (None until someone did)."""
        return parent(cls.__name__, "reviewed_by", "User")
