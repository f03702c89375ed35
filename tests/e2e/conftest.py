"""The real-browser harness: Debian's chromium driven by Playwright against the portal served over HTTP.

The portal runs in a thread on a loopback port, on a database of its own (browser flows commit real
changes, so they cannot share the rolled-back demo of the other tests), with its objects in S3 served by
moto (so a test can stop the object store and watch the page say "unavailable"). Every page opened
records CSP violations (``window.__cspViolations``), console errors and dialogs, so any test can assert
that none happened. Screenshots go to ``screenshots/`` at the repository root.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import flask_migrate
import pytest
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from portal import localpg
from tests.conftest import PASSWORD, TEST_CLUSTER, app_config, build_app
from tests.s3 import S3Server, fake_aws, moto_with_bucket

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "screenshots"
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
BUCKET = "portal-e2e"
CHROMIUM = "/usr/bin/chromium"

# Recorded before any page script runs; the portal's CSP forbids inline scripts, but an init script is
# injected by the browser itself, not by the page, so the policy stays exactly as the portal sends it.
RECORD_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  const what = [location.pathname, e.violatedDirective, e.blockedURI || '', e.sample || '',
                e.sourceFile + ':' + e.lineNumber, String(e.target && e.target.outerHTML || '').slice(0, 200)];
  window.__cspViolations.push(what.join(' | '));
  if (window.__reportCsp) window.__reportCsp(what.join(' | '));
});
"""


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict:
    """Debian's chromium, never a downloaded browser."""
    return {
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict, base_url: str) -> dict:
    """Every context starts at 1280 px wide on the live server."""
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "base_url": base_url}


@pytest.fixture(scope="session", autouse=True)
def _aws_environment() -> Iterator[None]:
    """Fake credentials and no shared config, so boto3 only ever talks to moto."""
    with fake_aws():
        yield


@pytest.fixture(scope="session")
def object_store(_aws_environment) -> Iterator[S3Server]:
    """The S3 the e2e portal uses, with its bucket."""
    with moto_with_bucket(BUCKET) as store:
        yield store


@pytest.fixture(scope="session")
def e2e_app(object_store: S3Server, tmp_path_factory):
    """The portal on its own migrated database with the demo seeded (objects in S3), dropped at the end."""
    from demo import seed_demo

    localpg.start(TEST_CLUSTER, fast=True)
    name = f"portal_e2e_{os.getpid()}"
    localpg.create_database(name, TEST_CLUSTER)
    config = app_config(localpg.urls(TEST_CLUSTER, name), str(tmp_path_factory.mktemp("e2e-var")))
    config.update(S3_BUCKET=BUCKET, S3_ENDPOINT_URL=object_store.endpoint, TESTING=False)
    app = build_app(config)
    with app.app_context():
        flask_migrate.upgrade()
        seed_demo(app.extensions["db"].new_session, app.extensions["stores"], PASSWORD)
    yield app
    app.extensions["db"].engine.dispose()
    localpg.drop_database(name, TEST_CLUSTER)


@pytest.fixture
def tenant_db(e2e_app):
    """``tenant_db(slug)``: a session on the e2e database with that demo tenant set (RLS), closed after;
    for finding the rows a flow works on, and for planting rows (it commits)."""
    from sqlalchemy import text

    opened = []

    def open_for(slug: str):
        database = e2e_app.extensions["db"]
        with database.engine.connect() as connection:
            tenant_id = connection.execute(
                text("SELECT tenant_id FROM auth_lookup(:e)"), {"e": f"owner@{slug}.test"}
            ).scalar_one()
        session = database.new_session(tenant_id)
        opened.append(session)
        return session

    yield open_for
    for session in opened:
        session.close()


@pytest.fixture(scope="session")
def base_url(e2e_app) -> Iterator[str]:
    """The portal served over HTTP on a free loopback port (pytest-base-url's fixture, overridden)."""
    server = make_server("127.0.0.1", 0, e2e_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@dataclass
class Watch:
    """What went wrong in the page while a test drove it."""

    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    confirms: list[str] = field(default_factory=list)
    # Set by a flow that clicks a button with data-confirm: its confirm() is accepted and noted in
    # ``confirms``; any other dialog (an alert from injected script) lands in ``dialogs`` and fails.
    accept_confirms: bool = False
    page_errors: list[str] = field(default_factory=list)


def watched_page(context) -> Page:
    """A new page of the context that records CSP violations, console errors, uncaught errors and
    dialogs (dismissed) in ``page.watch``."""
    watch = Watch()
    # Reported through a binding as well, so violations of pages navigated away from are kept.
    context.expose_binding("__reportCsp", lambda _source, what: watch.csp_violations.append(what))
    context.add_init_script(RECORD_CSP)
    page = context.new_page()
    page.on(
        "console",
        lambda m: m.type == "error" and watch.console_errors.append(f"{page.url}: {m.text} {m.location}"),
    )
    page.on("pageerror", lambda e: watch.page_errors.append(str(e)))

    def on_dialog(dialog) -> None:
        if watch.accept_confirms and dialog.type == "confirm":
            watch.confirms.append(dialog.message)
            dialog.accept()
        else:
            watch.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

    page.on("dialog", on_dialog)
    page.watch = watch  # type: ignore[attr-defined]
    return page


@pytest.fixture
def page(context) -> Page:
    """The test's watched page (pytest-playwright's fixture, overridden)."""
    return watched_page(context)


@pytest.fixture
def second_page(new_context) -> Page:
    """A watched page in a browser context of its own (another person at another computer)."""
    return watched_page(new_context())


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the real form, as a person would, and wait for the dashboard."""
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/login"))


def sign_out(page: Page) -> None:
    """Sign out with the sidebar's button."""
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login"))


def settle(page: Page) -> None:
    """Wait until the page has loaded and no htmx request is in flight (lazy fragments are in)."""
    page.wait_for_load_state("load")
    # Polled from here: wait_for_function evaluates a string in the page, which the CSP (rightly) forbids.
    busy = page.locator(".htmx-request, .content-loading")
    for _ in range(100):
        if busy.count() == 0:
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(150)  # chart drawing


def shoot(page: Page, name: str, width: int = 1280) -> Path:
    """A full-page screenshot at the given width in screenshots/ (the viewport is put back after)."""
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}-{width}.png"
    settle(page)
    previous = page.viewport_size
    if previous and previous["width"] != width:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(500)  # the sidebar's slide into a drawer, and charts redrawn to the width
    page.screenshot(path=str(path), full_page=True)
    if previous and previous["width"] != width:
        page.set_viewport_size(previous)
    return path


FORM_ERROR_STATUS = re.compile(r"Failed to load resource: the server responded with a status of 40[01] ")


def csp_violations(page: Page) -> list[str]:
    """The CSP violations the page reported since it loaded."""
    return page.evaluate("window.__cspViolations || []")


def assert_clean(page: Page) -> None:
    """No CSP violation, console error, uncaught error or dialog on the page so far."""
    assert csp_violations(page) == [], page.url
    watch: Watch = page.watch  # type: ignore[attr-defined]
    assert watch.csp_violations == [], "\n".join(watch.csp_violations)
    errors = [e for e in watch.console_errors if not FORM_ERROR_STATUS.search(e)]
    assert errors == [], "\n".join(errors)
    assert watch.page_errors == [], page.url
    assert watch.dialogs == [], page.url
