"""Print what it takes to scale the portal out: Citus distribution of every table, MongoDB shard keys, and
what the app servers must share. Run: ``.venv/bin/python scripts/scale_out.py``.

Every tenant table is distributed by ``tenant_id`` and co-located with ``tenants`` (distributed by its own
``id``), so a tenant's rows, joins and foreign keys stay on one node. That works because every primary
key, unique constraint and foreign key of a tenant table includes ``tenant_id`` (tests check it).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal import models  # noqa: F401  (registers every table)
from portal.db import Base
from portal.stores.documents import COLLECTIONS


def citus_statements() -> list[str]:
    """The Citus commands, parents before children so foreign keys are distributed in order."""
    lines = ["SELECT create_distributed_table('tenants', 'id');"]
    for table in Base.metadata.sorted_tables:
        if table.name == "tenants":
            continue
        lines.append(
            f"SELECT create_distributed_table('{table.fullname}', 'tenant_id', colocate_with => 'tenants');"
        )
    return lines


def mongodb_statements(database: str = "portal") -> list[str]:
    """The MongoDB shard keys: each collection by tenant, then _id."""
    return [f'sh.shardCollection("{database}.{name}", {{ tenantId: 1, _id: 1 }})' for name in COLLECTIONS]


SHARED = """\
What app servers share (nothing lives on an app server's local disk):
- sessions: PostgreSQL (portal.web_sessions), so any server can serve any signed-in user;
- sign-in throttling: RATELIMIT_STORAGE_URI=redis://… (the default memory:// counts per process);
- documents: MONGODB_URI; objects: S3_BUCKET (the local folder store is for a single local run only);
- the rendered-content cache is per process and keyed by (key, version), so servers never disagree;
- SECRET_KEY: the same on every server (it signs the session cookie).
- BASE_URL: the one public address of the portal (links in e-mails start with it), the same everywhere.
Before distributing users, move global e-mail uniqueness to a reference table (e.g. logins(email primary
key, tenant_id, user_id), create_reference_table) read by auth_lookup: Citus cannot enforce the global
unique index ux_users_email on a distributed table."""


def main() -> None:
    """Print the plan."""
    print("-- Citus: run on the coordinator after the schema exists")
    print("\n".join(citus_statements()))
    print("\n// MongoDB: run in mongosh on a sharded cluster")
    print("\n".join(mongodb_statements()))
    print()
    print(SHARED)


if __name__ == "__main__":
    main()
