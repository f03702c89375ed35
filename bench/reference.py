"""The two reference servers the load benchmark measures next to the portal, in the same gunicorn config.

- ``hello``: a minimal Flask app returning a fixed string (the ceiling of Flask + gunicorn here).
- ``fortunes``: the TechEmpower "Fortunes" test in Flask + SQLAlchemy on the same PostgreSQL: every
  request reads the ``fortune`` table, adds "Additional fortune added at request time.", sorts by the
  message and renders an HTML table through a Jinja template with autoescaping (one message holds a
  ``<script>`` tag that must come out escaped). The template is loaded by name and so compiled once, as
  in TechEmpower's Flask implementation (``render_template("fortunes.html", …)``); until the sixth
  session it was rendered with ``render_template_string``, which compiles it at every request (1.0 ms
  of the 1.7 ms a request cost) and made every page's ratio to Fortunes look about twice as good.

Served by ``bench/load.py`` as ``bench.reference:hello`` and ``bench.reference:fortunes``; the database
URL comes from ``DATABASE_URL`` (the portal's app role, which may read the table).
"""

from __future__ import annotations

import os

from flask import Flask, render_template
from jinja2 import DictLoader
from sqlalchemy import Integer, Text, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

# TechEmpower's twelve fortunes (the set the benchmark specifies).
FORTUNES = (
    "fortune: No such file or directory",
    "A computer scientist is someone who fixes things that aren't broken.",
    "After enough decimal places, nobody gives a damn.",
    "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1",
    "A computer program does what you tell it to do, not what you want it to do.",
    "Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen",
    "Any program that runs right is obsolete.",
    "A list is only as strong as its weakest link. — Donald Knuth",
    "Feature: A bug with seniority.",
    "Computers make very fast, very accurate mistakes.",
    '<script>alert("This should not be displayed in a browser alert box.");</script>',
    "フレームワークのベンチマーク",
)
CREATE_SQL = "CREATE TABLE IF NOT EXISTS fortune (id integer PRIMARY KEY, message text NOT NULL)"

TEMPLATE = """<!DOCTYPE html>
<html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>
{% for fortune in fortunes %}<tr><td>{{ fortune.id }}</td><td>{{ fortune.message }}</td></tr>
{% endfor %}</table></body></html>"""


class Base(DeclarativeBase):
    """The reference app's own metadata (not the portal's)."""


class Fortune(Base):
    """A row of the fortune table."""

    __tablename__ = "fortune"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message: Mapped[str] = mapped_column(Text)


def install(connection) -> None:
    """Create and fill the fortune table (psycopg connection as the owner) and let the app role read it."""
    connection.execute(CREATE_SQL)
    connection.execute("DELETE FROM fortune")
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO fortune (id, message) VALUES (%s, %s)",
            [(i + 1, message) for i, message in enumerate(FORTUNES)],
        )
    connection.execute("GRANT SELECT ON fortune TO portal_app")


def make_hello() -> Flask:
    """The minimal app."""
    app = Flask("hello")

    @app.get("/")
    def index():
        return "Hello, World!", 200, {"Content-Type": "text/plain"}

    return app


def make_fortunes(database_url: str) -> Flask:
    """The Fortunes app on database_url (a pool per worker, like the portal's)."""
    app = Flask("fortunes")
    app.jinja_loader = DictLoader({"fortunes.html": TEMPLATE})
    engine = app.extensions["fortunes_engine"] = create_engine(database_url, pool_size=10, pool_pre_ping=True)

    @app.get("/")
    def index():
        with Session(engine) as session:
            fortunes = list(session.scalars(select(Fortune)))
        fortunes.append(Fortune(id=0, message="Additional fortune added at request time."))
        fortunes.sort(key=lambda fortune: fortune.message)
        return render_template("fortunes.html", fortunes=fortunes)

    return app


hello = make_hello()
# Built lazily by gunicorn (the module is imported in each worker); absent outside a benchmark run.
fortunes = make_fortunes(os.environ["DATABASE_URL"]) if os.environ.get("DATABASE_URL") else None
