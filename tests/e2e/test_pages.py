"""Every main page as each role, in chromium: axe-core finds no serious or critical violation, the CSP
reports nothing, the console stays clean, and htmx loads lazy fragments. Prints a table of the results."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from portal.tenancy import can
from tests.routes import ROLE_USERS

from .conftest import AXE, assert_clean, settle, shoot, sign_in

pytestmark = pytest.mark.browser

# (path, permission needed to open it) — the sidebar's areas and the main lists behind them.
MAIN_PAGES = (
    ("/", "dashboard.view"),
    ("/approvals", "dashboard.view"),
    ("/notifications", "dashboard.view"),
    ("/contract/", "contract.view"),
    ("/strategy", "planning.view"),
    ("/strategy/goals", "planning.view"),
    ("/deliverables", "planning.view"),
    ("/deliverables/activities", "planning.view"),
    ("/tasks", "tasks.work"),
    ("/content/", "content.view"),
    ("/content/blog/posts", "content.view"),
    ("/content/calendar", "content.view"),
    ("/content/backlinks", "content.view"),
    ("/leads/", "leads.view"),
    ("/campaigns/", "campaigns.view"),
    ("/campaigns/recommendations", "campaigns.view"),
    ("/channels/", "campaigns.view"),
    ("/billing/", "billing.view"),
    ("/team/", "team.manage"),
    ("/account/password", "dashboard.view"),
)
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations'],
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


def axe_violations(page: Page) -> list[dict]:
    """axe-core's violations on the page. Its source is evaluated through the DevTools protocol, which the
    page's CSP does not govern, so the portal's policy is left exactly as served."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(RUN_AXE)


@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_every_main_page_is_accessible_and_csp_clean(page: Page, role: str):
    sign_in(page, f"{ROLE_USERS[role]}@acme.test")
    table: list[tuple[str, str, str]] = []
    serious: list[str] = []
    for path, permission in MAIN_PAGES:
        if not can(permission, role):
            continue
        page.goto(path)
        expect(page).to_have_url(re.compile(re.escape(path.rstrip("/")) + "/?(\\?.*)?$"))
        settle(page)
        found = axe_violations(page)
        table.append((role, path, ", ".join(f"{v['id']}({v['impact']})" for v in found) or "none"))
        serious += [
            f"{path}: {v['id']} ({v['impact']}) {v['help']} at {v['nodes']}"
            for v in found
            if v["impact"] in ("serious", "critical")
        ]
        assert_clean(page)
        if role in ("owner", "sales_rep") and path in (
            "/",
            "/approvals",
            "/leads/",
            "/content/",
            "/campaigns/",
        ):
            shoot(page, f"page{path.replace('/', '-').rstrip('-') or '-dashboard'}-{role}", width=360)
    print(f"\naxe-core, {role}:")
    for row in table:
        print(f"  {row[0]:<14} {row[1]:<30} {row[2]}")
    assert len(table) >= 5
    assert serious == [], "\n".join(serious)
