"""'Time ago' has one definition (portal/formatting.py): the filter, the macro, the lead messages and the
browser's updates all word a moment the same way."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import pytest
from flask import g, render_template_string
from sqlalchemy import select

from portal.formatting import RELATIVE_TIME, relative_text
from portal.models import Contract

MINUTE, HOUR, DAY = 60, 3600, 86400
PORTAL_JS = Path(__file__).resolve().parent.parent / "static" / "js" / "portal.js"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "a moment ago"),
        (59, "a moment ago"),
        (-59, "a moment ago"),
        (MINUTE, "1 min ago"),
        (HOUR - 1, "59 min ago"),
        (HOUR, "1 h ago"),
        (DAY - 1, "23 h ago"),
        (DAY, "1 d ago"),
        (7 * DAY - 1, "6 d ago"),
        (7 * DAY, None),
        (-(2 * DAY + HOUR), "in 2 d"),
        (-90, "in 1 min"),
    ],
)
def test_the_thresholds_and_words(seconds, text):
    assert relative_text(seconds) == text


class _Tenant:
    timezone = "Asia/Kolkata"


def test_the_macro_and_the_filter_render_the_same_time(app):
    with app.test_request_context():
        g.tenant = _Tenant()
        moment = dt.datetime.now(dt.UTC) - dt.timedelta(hours=5, minutes=3)
        macro, _, filtered = render_template_string(
            '{% from "macros/ui.html" import relative_time %}{{ relative_time(t) }}|{{ t|ago }}', t=moment
        ).partition("|")
    assert macro == filtered
    assert ">5 h ago</time>" in macro and "data-relative" in macro


def test_a_page_shows_the_sent_time_relative_and_hands_the_browser_the_same_rules(client, tenant_session):
    session = tenant_session("initech")
    contract = session.scalars(select(Contract).where(Contract.status == "sent")).one()
    contract.sent_on = dt.datetime.now(dt.UTC) - dt.timedelta(hours=3, minutes=10)
    session.commit()
    client.login("owner@initech.test")
    page = client.get("/contract/").text
    assert re.search(r"<time datetime=\"[^\"]+\" data-relative title=\"[^\"]+\">3 h ago</time>", page)
    settings = re.search(r'<meta name="relative-time" content="([^"]+)">', page).group(1)
    assert json.loads(html.unescape(settings)) == RELATIVE_TIME


def test_the_browser_script_holds_no_copy_of_the_rules():
    script = PORTAL_JS.read_text()
    numbers = {
        RELATIVE_TIME["now_below"],
        RELATIVE_TIME["limit"],
        *(size for size, _ in RELATIVE_TIME["units"]),
    }
    for number in numbers | {45, 30 * DAY}:  # 45 s and 30 days were the script's own thresholds
        assert not re.search(rf"(?<![\w.]){number}(?![\w.])", script), number
    for words in ("just now", RELATIVE_TIME["now"], " ago", "in "):
        assert f'"{words}' not in script and f'{words}"' not in script, words
    assert 'meta[name="relative-time"]' in script
