"""The hot statements and the only code that knows about PostgreSQL's plan caches.

Services write plain SQLAlchemy 2 ``select()``s: SQLAlchemy's compiled cache already amortises them. The
few statements the benchmarks (docs/BENCHMARKS.md) prove hot live here: the sidebar's counts
(``sidebar``), the dashboard's union (``dashboard``), the lead list filters' options and a lead's
timeline (``leads``). The rules:

- **Placeholders**: the engine writes ``$1, $2…`` (``policy.PARAMSTYLE``) and its cursors are psycopg's
  raw cursors, so psycopg sends the SQL as it is, whatever its length, without rewriting it.
- **Prepare policy**: a statement runs prepared only when marked with ``policy.prepared(statement)``, and
  then always on its generic plan (``policy.SERVER_SETTINGS``). Mark look-ups by key or by parent and
  every page's fixed few, whose best plan does not depend on their values; never a list whose filters or
  search words change the best plan.
- **Constants a partial index names** must be in the SQL, not parameters, or a generic plan cannot use
  that index (``FixedStatement`` writes every bound constant into its SQL).
- **FixedStatement** (``fixed``): a SELECT every page runs with only its parameters changing, compiled
  to SQL once and run prepared on the request's connection, rows as plain tuples.
- **Per shape**: a statement with a few shapes is built once per shape (``functools.cache``), its values
  bound at each run: ``tenancy.TENANT_ID``/``USER_ID``, ``bindparam("name")``. Never put
  ``current_tenant.id`` or another request's value into a cached statement.
- A hot statement's fixed parts (aliases above all: ``aliased()`` per request re-adapts every column)
  are built at import, not per request.
- Reads end with COMMIT (``portal.db``): psycopg forgets a connection's prepared statements on ROLLBACK.

Whether a change here saves anything is measured with ``bench/instructions.py``, before and after.
"""
