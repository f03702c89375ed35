"""/dev/mail: the local sink's messages, readable in the browser (registered only when PORTAL_ENV=local).

A person trying the demo follows a reset link or an invitation from here. The page needs no sign-in (it
serves the local run's own machine only); a message's HTML part is shown in a sandboxed frame whose
policy lets its own style rules apply and nothing else (no scripts, no images, no requests).
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template

from portal.mail.sender import text_as_html
from portal.mail.sink import FILE_NAME, KeptMessage, kept

bp = Blueprint("dev_mail", __name__, url_prefix="/dev/mail")
MESSAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'; "
    "sandbox allow-popups allow-top-navigation-by-user-activation"
)


def _folder() -> Path:
    return Path(current_app.config["MAIL_SINK_PATH"])


def _message(name: str) -> KeptMessage:
    path = _folder() / name
    if not FILE_NAME.match(name) or not path.is_file():
        abort(404)
    return KeptMessage.read(path)


@bp.route("")
def index():
    """The kept messages, newest first."""
    return render_template("dev/mail.html", messages=kept(_folder()), folder=_folder())


@bp.route("/<name>")
def message(name: str):
    """One message: its headers, its plain text, and its HTML part in a frame."""
    kept_message = _message(name)
    text_html = text_as_html(kept_message.text)
    return render_template("dev/message.html", message=kept_message, text_html=text_html)


@bp.route("/<name>/html")
def message_html(name: str):
    """A message's HTML part as the recipient's mail client would get it."""
    html = _message(name).html
    if html is None:
        abort(404)
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = MESSAGE_CSP
    return response
