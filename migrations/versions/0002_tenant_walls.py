"""Tenant walls in PostgreSQL: the app and auth roles, grants, forced Row Level Security, sign-in look-up.

The app connects as ``portal_app``: it owns nothing and every tenant table is FORCED under one policy,
``tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid`` (``tenants`` compares ``id``).
Sign-in has no tenant yet, so its one look-up by e-mail goes through ``auth_lookup``, a SECURITY DEFINER
function owned by the NOLOGIN role ``portal_auth``, which alone may read a few columns of every user.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

from portal.rls import disable_rls, enable_rls

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TENANT_TABLES = (
    "users",
    "contracts",
    "onboarding_runs",
    "strategies",
    "goals",
    "deliverables",
    "deliverable_periods",
    "activities",
    "activity_runs",
    "sessions",
    "llm_calls",
    "tool_calls",
    "agent_configs",
    "activity_templates",
    "recurring_task_templates",
    "channels",
    "channel_scores",
    "blog_requests",
    "blog_posts",
    "social_media_requests",
    "social_posts",
    "backlinks",
    "leads",
    "lead_activities",
    "ad_campaigns",
    "ad_keywords",
    "search_term_reports",
    "search_term_classifications",
    "ad_optimization_recommendations",
    "billing_events",
    "portal.web_sessions",
)


def upgrade():
    """Create the roles if the cluster lacks them, grant, force RLS, and add the sign-in function."""
    op.execute(
        """
        DO $$
        BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'portal_app') THEN
            CREATE ROLE portal_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
          END IF;
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'portal_auth') THEN
            CREATE ROLE portal_auth NOLOGIN NOSUPERUSER NOBYPASSRLS;
          END IF;
        END
        $$
        """
    )
    op.execute("GRANT USAGE ON SCHEMA public, portal TO portal_app")
    op.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public, portal TO portal_app")
    op.execute(
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public, portal GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO portal_app"
    )

    enable_rls(op, "tenants", column="id")
    for table in TENANT_TABLES:
        enable_rls(op, table)

    op.execute("GRANT USAGE ON SCHEMA public TO portal_auth")
    op.execute(
        "GRANT SELECT (id, tenant_id, email, password_hash, is_active, deleted_on) ON users TO portal_auth"
    )
    op.execute("CREATE POLICY auth_lookup ON users FOR SELECT TO portal_auth USING (true)")
    # The parameter is p_email, not email: a parameter named like the column would match every row.
    op.execute(
        """
        CREATE FUNCTION public.auth_lookup(p_email text)
        RETURNS TABLE (user_id uuid, tenant_id uuid, password_hash text, is_active boolean)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
        AS $$
          SELECT u.id, u.tenant_id, u.password_hash, (u.is_active AND u.deleted_on IS NULL)
          FROM public.users u
          WHERE u.email = lower(btrim(p_email))
        $$
        """
    )
    # Privileges first, while we still own it (after the hand-over our REVOKE would do nothing).
    op.execute("REVOKE ALL ON FUNCTION public.auth_lookup(text) FROM PUBLIC")
    op.execute("GRANT EXECUTE ON FUNCTION public.auth_lookup(text) TO portal_app")
    # Only a member may hand a function to portal_auth; the membership is dropped at once, because any
    # member of portal_auth would read every user through its policy.
    # (A new owner also needs CREATE on the schema for the moment of the hand-over.)
    op.execute("GRANT portal_auth TO CURRENT_USER")
    op.execute("GRANT CREATE ON SCHEMA public TO portal_auth")
    op.execute("ALTER FUNCTION public.auth_lookup(text) OWNER TO portal_auth")
    op.execute("REVOKE CREATE ON SCHEMA public FROM portal_auth")
    op.execute("REVOKE portal_auth FROM CURRENT_USER")


def downgrade():
    """Remove the function, the policies and the grants (the cluster-level roles stay)."""
    op.execute("DROP FUNCTION IF EXISTS public.auth_lookup(text)")
    op.execute("DROP POLICY IF EXISTS auth_lookup ON users")
    op.execute("REVOKE ALL ON users FROM portal_auth")
    op.execute("REVOKE USAGE ON SCHEMA public FROM portal_auth")
    for table in ("tenants", *TENANT_TABLES):
        disable_rls(op, table)
    op.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA public, portal REVOKE ALL ON TABLES FROM portal_app")
    op.execute("REVOKE ALL ON ALL TABLES IN SCHEMA public, portal FROM portal_app")
    op.execute("REVOKE USAGE ON SCHEMA public, portal FROM portal_app")
