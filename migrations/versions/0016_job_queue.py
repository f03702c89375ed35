"""The job queue: procrastinate's tables and functions in their own schema, and the tenants a job may serve.

procrastinate (pinned in requirements.txt) keeps its jobs in PostgreSQL; its schema SQL is applied here,
as the owner, inside the schema ``procrastinate`` (its SQL names nothing by schema, so the search path
places it, and the worker's connections search that schema). Its tables carry no tenant data: a job's
arguments are ids only, and the job reads its tenant's rows through RLS like a request.

A periodic job runs once per tenant, so the worker must learn the tenants' ids without a tenant set:
``job_tenants()`` is a SECURITY DEFINER function owned by ``portal_auth`` (as ``auth_lookup`` is, see 0002)
that returns only ids and statuses.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-08 10:00:00
"""

from alembic import op
from procrastinate.schema import SchemaManager

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    """Create the queue's schema, let the app role use it, and add job_tenants()."""
    op.execute("CREATE SCHEMA procrastinate")
    op.execute("SELECT set_config('search_path', 'procrastinate', true)")
    # psycopg parses no placeholders in a statement without parameters: procrastinate's SQL is run as shipped.
    op.get_bind().connection.driver_connection.execute(SchemaManager.get_schema())
    op.execute("SELECT set_config('search_path', '\"$user\", public', true)")
    # Its functions and triggers then find their tables whoever calls them (a DELETE by the owner too).
    op.execute(
        """
        DO $$
        DECLARE f regprocedure;
        BEGIN
          FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
                   WHERE p.pronamespace = 'procrastinate'::regnamespace LOOP
            EXECUTE format('ALTER FUNCTION %s SET search_path = procrastinate, pg_catalog', f);
          END LOOP;
        END
        $$
        """
    )
    op.execute("GRANT USAGE ON SCHEMA procrastinate TO portal_app")
    op.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA procrastinate TO portal_app")
    op.execute("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA procrastinate TO portal_app")

    op.execute("GRANT SELECT (id, status) ON tenants TO portal_auth")
    op.execute("CREATE POLICY job_tenants ON tenants FOR SELECT TO portal_auth USING (true)")
    op.execute(
        """
        CREATE FUNCTION public.job_tenants()
        RETURNS TABLE (tenant_id uuid, status text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
        AS $$ SELECT t.id, t.status FROM public.tenants t ORDER BY t.id $$
        """
    )
    op.execute("REVOKE ALL ON FUNCTION public.job_tenants() FROM PUBLIC")
    op.execute("GRANT EXECUTE ON FUNCTION public.job_tenants() TO portal_app")
    # The hand-over as in 0002: membership only for that moment (a member would read every tenant).
    op.execute("GRANT portal_auth TO CURRENT_USER")
    op.execute("GRANT CREATE ON SCHEMA public TO portal_auth")
    op.execute("ALTER FUNCTION public.job_tenants() OWNER TO portal_auth")
    op.execute("REVOKE CREATE ON SCHEMA public FROM portal_auth")
    op.execute("REVOKE portal_auth FROM CURRENT_USER")


def downgrade():
    """Drop the queue (with any jobs in it) and job_tenants()."""
    op.execute("DROP FUNCTION IF EXISTS public.job_tenants()")
    op.execute("DROP POLICY IF EXISTS job_tenants ON tenants")
    op.execute("REVOKE SELECT (id, status) ON tenants FROM portal_auth")
    op.execute("DROP SCHEMA procrastinate CASCADE")
