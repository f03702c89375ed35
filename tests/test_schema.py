"""The tenant wall in the schema and in PostgreSQL, read from the database catalogue itself."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

SEED_TABLES = 31


@pytest.fixture(scope="module")
def catalogue(app, database_urls):
    """A connection as the owner, to read the catalogue (no tenant data is read)."""
    engine = create_engine(database_urls[1])
    with engine.connect() as connection:
        yield connection
    engine.dispose()


def test_31_tables_30_forced_with_tenant_first_in_the_key(catalogue):
    tables = catalogue.execute(
        text(
            """
            SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
                   (SELECT a.attname FROM pg_attribute a
                     WHERE a.attrelid = c.oid AND a.attnum = (SELECT conkey[1] FROM pg_constraint
                                                              WHERE conrelid = c.oid AND contype = 'p')) AS first_key
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'alembic_version'
            """
        )
    ).all()
    assert len(tables) == SEED_TABLES
    tenant_owned = [t for t in tables if t.relname != "tenants"]
    assert len(tenant_owned) == 30
    assert all(t.relrowsecurity and t.relforcerowsecurity for t in tenant_owned)
    assert all(t.first_key == "tenant_id" for t in tenant_owned)
    tenants = next(t for t in tables if t.relname == "tenants")
    assert tenants.relrowsecurity and tenants.relforcerowsecurity


def test_every_table_with_tenant_id_is_forced_and_has_the_policy(catalogue):
    """Guard for new tables (autogenerate adds no RLS): any schema, any table with a tenant_id."""
    unguarded = (
        catalogue.execute(
            text(
                """
            SELECT n.nspname || '.' || c.relname
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
            WHERE c.relkind = 'r' AND n.nspname IN ('public', 'portal')
              AND NOT (c.relrowsecurity AND c.relforcerowsecurity
                       AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid
                                   AND p.polname = 'tenant_isolation'
                                   AND pg_get_expr(p.polqual, p.polrelid) LIKE '%tenant_id = (NULLIF(current_setting(''app.tenant_id''%'
                                   AND pg_get_expr(p.polwithcheck, p.polrelid) LIKE '%tenant_id = (NULLIF(current_setting(''app.tenant_id''%'))
            """
            )
        )
        .scalars()
        .all()
    )
    assert unguarded == []


def test_every_foreign_key_to_a_tenant_table_includes_tenant_id(catalogue):
    keys = catalogue.execute(
        text(
            """
            SELECT con.conname,
                   (SELECT array_agg(a.attname ORDER BY k.i) FROM unnest(con.conkey) WITH ORDINALITY k(n, i)
                      JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n) AS columns,
                   (SELECT array_agg(a.attname ORDER BY k.i) FROM unnest(con.confkey) WITH ORDINALITY k(n, i)
                      JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n) AS referenced,
                   con.confrelid::regclass::text AS target
            FROM pg_constraint con
            JOIN pg_namespace n ON n.oid = (SELECT relnamespace FROM pg_class WHERE oid = con.conrelid)
            WHERE con.contype = 'f' AND n.nspname IN ('public', 'portal')
            """
        )
    ).all()
    to_tenant_tables = [k for k in keys if k.target != "tenants"]
    assert len(to_tenant_tables) > 60
    bad = [
        k.conname for k in to_tenant_tables if k.columns[0] != "tenant_id" or k.referenced[0] != "tenant_id"
    ]
    assert bad == []


def test_every_primary_and_unique_key_of_a_tenant_table_includes_tenant_id(catalogue):
    """What Citus needs to distribute by tenant_id (the global sign-in index on users.email aside)."""
    keys = catalogue.execute(
        text(
            """
            SELECT i.indexrelid::regclass::text AS name,
                   (SELECT array_agg(a.attname) FROM pg_attribute a
                     WHERE a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)) AS columns
            FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE i.indisunique AND n.nspname IN ('public', 'portal')
              AND c.relname NOT IN ('tenants', 'alembic_version')
            """
        )
    ).all()
    assert [k.name for k in keys if "tenant_id" not in k.columns] == ["ux_users_email"]


def test_the_app_role_owns_nothing_and_cannot_bypass_rls(catalogue, database_urls):
    role = catalogue.execute(
        text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'portal_app'")
    ).one()
    assert (role.rolsuper, role.rolbypassrls) == (False, False)
    owned = catalogue.execute(
        text(
            "SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = 'portal_app')"
        )
    ).scalar()
    assert owned == 0
    assert database_urls[0].split("//")[1].startswith("portal_app@")


def test_sign_in_lookup_is_the_only_security_definer_function(catalogue):
    functions = catalogue.execute(
        text(
            """
            SELECT p.proname, pg_get_userbyid(p.proowner) AS owner,
                   has_function_privilege('public', p.oid, 'EXECUTE') AS public_can_run
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE p.prosecdef AND n.nspname IN ('public', 'portal')
            """
        )
    ).all()
    assert sorted((f.proname, f.owner, f.public_can_run) for f in functions) == [
        ("auth_lookup", "portal_auth", False),
        ("invitation_tenant", "portal_auth", False),
        ("job_tenants", "portal_auth", False),
        ("lead_form_tenant", "portal_auth", False),
        ("password_reset_tenant", "portal_auth", False),
    ]
