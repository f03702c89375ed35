"""E-mail: the outbox (``outbox.queue_email``, the one way to send a message), its sending by the worker
(``sender``), and for local runs an SMTP sink (``sink``) whose messages /dev/mail shows (``devmail``)."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from portal.mail import devmail, sink


@click.command("mail-sink")
@with_appcontext
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=None, help="Default: SMTP_PORT (1025 for a local run).")
def mail_sink_command(host: str, port: int | None) -> None:
    """Run the local SMTP sink until stopped: it keeps every message for /dev/mail and relays nothing."""
    config = current_app.config
    folder = Path(config["MAIL_SINK_PATH"])
    controller = sink.start(folder, host, port or config["SMTP_PORT"])
    click.echo(f"Mail sink on {host}:{port or config['SMTP_PORT']}, keeping messages in {folder}")
    try:
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how the sink is meant to stop
            while True:
                time.sleep(3600)
    finally:
        controller.stop()


def init_app(app: Flask) -> None:
    """Add the sink's command; a local run also gets /dev/mail (no other run has that page)."""
    app.cli.add_command(mail_sink_command)
    if app.config["PORTAL_ENV"] == "local":
        app.register_blueprint(devmail.bp)
