"""Walking ``app.url_map``: a URL for every route, with ids taken from the tables the parameters name.

A parameter ``<ulid:blog_post_ref>`` takes a ``ref_id`` of ``BlogPost``; ``<objectid:…>`` takes a document
id. A new route whose parameter names no model fails the walk loudly, so nobody forgets it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.routing import Rule

from portal.db import Base

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
BAD_IDS = ("not-a-ulid", "1' OR '1'='1", "0" * 26, "A" * 3000, "../../etc/passwd", "%00")
# The demo user (the part before @) who holds each role, in every demo tenant.
ROLE_USERS = {
    "owner": "owner",
    "admin": "admin",
    "marketer": "marketer",
    "sales_manager": "manager",
    "sales_rep": "rep1",
    "viewer": "viewer",
}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


MODELS = {_snake(mapper.class_.__name__): mapper.class_ for mapper in Base.registry.mappers}


@dataclass(frozen=True)
class Route:
    """One route and method of the app."""

    rule: Rule
    method: str

    @property
    def endpoint(self) -> str:
        """The Flask endpoint name."""
        return self.rule.endpoint

    @property
    def id_arguments(self) -> list[str]:
        """The route's id parameters."""
        return [name for name in self.rule.arguments if name.endswith("_ref")]

    def __str__(self) -> str:
        return f"{self.method} {self.rule.rule}"


def routes(app: Flask) -> Iterator[Route]:
    """Every (rule, method) of the app except static files."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield Route(rule, method)


def model_for(argument: str):
    """The model a ``*_ref`` parameter names (``blog_post_ref`` → BlogPost)."""
    name = argument.removesuffix("_ref")
    if name not in MODELS:
        raise AssertionError(f"URL parameter {argument!r} names no model; call it <model>_ref")
    return MODELS[name]


def ref_of(session: Session, argument: str) -> str:
    """A real ref_id, of the session's tenant, for the parameter."""
    model = model_for(argument)
    ref = session.scalars(
        select(model.ref_id).order_by(model.created_on.desc(), model.ref_id).limit(1)
    ).first()
    assert ref, f"the demo data has no {model.__name__} for this tenant"
    return ref


def build(app: Flask, route: Route, value_for: Callable[[str], str]) -> str:
    """The route's URL with each parameter filled by value_for(name)."""
    values = {name: value_for(name) for name in route.rule.arguments}
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        return adapter.build(route.endpoint, values, method=route.method, force_external=False)


def path_with(route: Route, value_for: Callable[[str], str]) -> str:
    """The URL built by hand (no converter checks), for ids the converters would refuse."""
    path = route.rule.rule
    for name in route.rule.arguments:
        path = re.sub(rf"<(?:[^:>]+:)?{name}>", value_for(name), path)
    return path
