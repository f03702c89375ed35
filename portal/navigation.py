"""The portal's areas in the sidebar, filtered by the role matrix and by what exists in this build, with
counts of what waits for the user, and the banners shown across every page.

Areas register what they add:
- ``register_count(endpoint, fn, values=None, figure=None)`` for the number beside their entry: fn returns a scalar
  ``select(func.count())…`` (``capped_count(rows)`` when the rows can grow without bound) or None to show
  nothing, naming the tenant and the user only through ``tenancy.TENANT_ID`` / ``tenancy.USER_ID`` (it is
  called once per role) and any other value through a ``bindparam`` that ``values()`` gives at each page;
  all counts run as ONE statement (a key that is no area's, such as the bell's or the credit banner's
  figures, is a number for the layout: ``layout_counts()``); figure names the number as a figure of
  ``macros/ui.html`` (a name, or a function of the role giving one), so every page showing it agrees;
- ``register_banner(fn)`` for a banner (or None).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, g, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import CompoundSelect, Select, func, select
from werkzeug.local import LocalProxy

from portal.hot import sidebar
from portal.tenancy import can, identity_params

# (label, endpoint, permission, URL prefix that marks it active, icon of macros/ui.html)
AREAS = (
    ("Dashboard", "dashboard.index", "dashboard.view", "/", "dashboard"),
    ("Approvals", "approvals.index", "dashboard.view", "/approvals", "inbox"),
    ("Contract", "contracts.current", "contract.view", "/contract", "contract"),
    ("Onboarding", "onboarding.index", "onboarding.edit", "/onboarding", "onboarding"),
    ("Strategy", "planning.strategies", "planning.view", "/strategy", "strategy"),
    ("Deliverables", "planning.this_month", "planning.view", "/deliverables", "planning"),
    ("My tasks", "planning.my_tasks", "tasks.work", "/tasks", "activity"),
    ("Content", "content.index", "content.view", "/content", "content"),
    ("Leads", "leads.index", "leads.view", "/leads", "leads"),
    ("Campaigns", "campaigns.index", "campaigns.view", "/campaigns", "campaigns"),
    ("Channels", "channels.index", "campaigns.view", "/channels", "chart"),
    ("Billing", "billing.index", "billing.view", "/billing", "billing"),
    ("Team", "team.index", "team.manage", "/team", "team"),
)
# Rendered sidebars kept per app (see sidebar_html); past this many the oldest half is dropped.
SIDEBAR_CACHE_SIZE = 512


@dataclass(frozen=True)
class Banner:
    """A message across the top of every page (e.g. credits nearly used up)."""

    tone: str  # "warning", "danger" or "info"
    text: str
    url: str | None = None
    action: str | None = None


# Counts that could grow without bound stop at this (the sidebar and the bell show "99+" from it on).
COUNT_CAP = 100

_COUNTS: dict[str, Callable[[], Select | None]] = {}
_VALUES: dict[str, Callable[[], dict[str, Any]]] = {}
_FIGURES: dict[str, str | Callable[[], str | None]] = {}
_BANNERS: list[Callable[[], Banner | None]] = []


def capped_count(rows: Select | CompoundSelect) -> Select:
    """A count of ``rows`` that stops at COUNT_CAP, for register_count: the sidebar and the bell show "99+"
    from there on, and the count runs on every page, so a backlog of thousands is not counted each time."""
    return select(func.count()).select_from(rows.limit(COUNT_CAP).subquery())


def register_count(
    endpoint: str,
    count: Callable[[], Select | None],
    values: Callable[[], dict[str, Any]] | None = None,
    figure: str | Callable[[], str | None] | None = None,
) -> None:
    """Show the number count() selects beside the area whose entry point is endpoint (if the user may open
    it). A key that is no area's endpoint (e.g. "bell") is counted on every signed-in page, as counts[key].
    count() may depend on the role (``can``) but must name the tenant and user as TENANT_ID / USER_ID;
    values() gives the page's values of its other parameters (e.g. this month's bounds); figure is the
    number's figure name (or a function of the role giving it), which other pages showing it share."""
    _COUNTS[endpoint] = count
    if values is not None:
        _VALUES[endpoint] = values
    if figure is not None:
        _FIGURES[endpoint] = figure


def register_banner(banner: Callable[[], Banner | None]) -> None:
    """Show banner() across the top of every signed-in page when it returns a Banner."""
    if banner not in _BANNERS:
        _BANNERS.append(banner)


@dataclass(frozen=True)
class NavItem:
    """One entry of the sidebar."""

    label: str
    url: str
    active: bool
    count: int | None = None
    icon: str = "dot"
    figure: str | None = None  # the count's figure name (macros/ui.html figure), if it has one

    @property
    def count_text(self) -> str:
        """The count as the sidebar shows it ("99+" from COUNT_CAP on)."""
        return count_text(self.count)


def count_text(count: int | None) -> str:
    """A capped count as every page shows it: the number, or "99+" from COUNT_CAP on."""
    return "99+" if (count or 0) >= COUNT_CAP else str(count or 0)


def _visible_areas() -> list[tuple[str, str, str, str, str]]:
    return [area for area in AREAS if area[1] in current_app.view_functions and can(area[2])]


def figure_name(key: str) -> str | None:
    """The figure name of the count registered under key, for the signed-in user's role (or None)."""
    figure = _FIGURES.get(key)
    return figure() if callable(figure) else figure


def _areas_with_urls() -> list[tuple[str, str, str, str, str, str | None]]:
    # (label, endpoint, url, prefix, icon, figure) of the role's areas, worked out once per role and app:
    # which areas a role sees, where they are and what their counts are called never change while it runs.
    cache = current_app.extensions.setdefault("navigation_areas", {})
    key = (current_user.role, request.script_root)
    if key not in cache:
        cache[key] = [
            (label, endpoint, url_for(endpoint), prefix, icon, figure_name(endpoint))
            for label, endpoint, _, prefix, icon in _visible_areas()
        ]
    return cache[key]


def nav_items(counts: dict[str, int]) -> list[NavItem]:
    """The areas the signed-in user may open, with the one being viewed marked active."""
    path = request.path
    return [
        NavItem(
            label,
            url,
            path == "/" if prefix == "/" else path.startswith(prefix),
            counts.get(endpoint),
            icon,
            figure,
        )
        for label, endpoint, url, prefix, icon, figure in _areas_with_urls()
    ]


def sidebar_html(items: list[NavItem]) -> Markup:
    """The sidebar's list of areas (templates/_sidebar_nav.html), rendered once per distinct set of items.

    Every signed-in page shows it and it only changes with the role, the area being viewed and the counts,
    so each worker renders each combination once instead of at every page."""
    cache = current_app.extensions.setdefault("navigation_sidebars", {})
    key = tuple(items)
    html = cache.get(key)
    if html is None:
        if len(cache) >= SIDEBAR_CACHE_SIZE:
            for old in list(cache)[: SIDEBAR_CACHE_SIZE // 2]:
                cache.pop(old, None)  # another thread may have dropped it already
        template = current_app.jinja_env.get_template("_sidebar_nav.html")
        html = cache[key] = Markup(template.render(nav_items=items))  # noqa: S704 (autoescaped template)
    return html


def counts() -> dict[str, int]:
    """Every registered count the user may see, in one statement: the visible areas' and the other keys
    (such as the bell's), which are not areas of the sidebar."""
    keys, statement = sidebar.counts_statement(current_user.role, _role_counts)
    if statement is None:
        return {}
    values = identity_params()
    for key in keys:
        if key in _VALUES:
            values.update(_VALUES[key]())
    row = statement.run(values).one()
    return dict(zip(keys, row, strict=True))


def layout_counts() -> dict[str, int]:
    """The request's counts (see counts), worked out once and shared by the sidebar and the banners."""
    return _kept("nav_counts", counts)


def _role_counts() -> dict[str, Select]:
    """The role's counts to show (the visible areas' and the keys that are no area's), key → SELECT."""
    area_endpoints = {area[1] for area in AREAS}
    keys = [area[1] for area in _visible_areas()] + [k for k in _COUNTS if k not in area_endpoints]
    selects = {key: _COUNTS[key]() for key in keys if key in _COUNTS}
    return {key: count for key, count in selects.items() if count is not None}


def banners() -> list[Banner]:
    """The banners for the signed-in user's page."""
    if not current_user.is_authenticated:
        return []
    return [b for b in (make() for make in _BANNERS) if b is not None]


def _context() -> dict:
    if g.get("without_database") or not current_user.is_authenticated:
        return {
            "sidebar_nav": "",
            "counts": {},
            "banners": [],
            "tenant_name": None,
            "brand_css_url": None,
            "can": can,
        }
    tenant = g.get("tenant")
    # The sidebar's counts and the banners are worked out when the layout first uses them: an htmx
    # fragment (lazy content, a table refresh) renders no layout and so runs neither statement.
    return {
        "sidebar_nav": _once("sidebar_nav", lambda: sidebar_html(nav_items(layout_counts()))),
        "counts": LocalProxy(layout_counts),
        "banners": _once("nav_banners", banners),
        "tenant_name": tenant.name if tenant is not None else None,
        "brand_css_url": url_for("dashboard.brand_css", v=tenant.brand_color.lstrip("#")) if tenant else None,
        "can": can,
    }


def _once(name: str, make: Callable[[], Any]) -> LocalProxy:
    """A stand-in for make()'s value, computed at its first use in the request (see _kept)."""
    return LocalProxy(lambda: _kept(name, make))


def _kept(name: str, make: Callable[[], Any]) -> Any:
    """make()'s value, made once per request and kept on g under name."""
    if name not in g:
        setattr(g, name, make())
    return getattr(g, name)


def init_app(app: Flask) -> None:
    """Make sidebar_nav, counts, banners, tenant_name, brand_css_url and can() available to every template."""
    app.context_processor(_context)
