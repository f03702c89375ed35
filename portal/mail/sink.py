"""The local SMTP sink (aiosmtpd): accepts every message and keeps it as a .eml file, for /dev/mail.

``make run`` starts it (``flask --app app mail-sink``) on 127.0.0.1:1025, where a local run's SMTP
settings point, so a person trying the demo can read the e-mails the portal sends (a reset link, an
invitation) without a mail server. It relays nothing. The tests start it on a free port.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
import socket
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

# Names the sink gives its files; /dev/mail opens no other file.
FILE_NAME = re.compile(r"^[0-9]{8}T[0-9]{12}-[0-9a-f]{32}\.eml$")


class KeepMessages:
    """aiosmtpd handler: write each message's bytes to a new file in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Keep the message; answer 250 (the portal then marks it sent)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex}.eml"
        (self.folder / name).write_bytes(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def start(folder: Path, host: str = "127.0.0.1", port: int = 1025, handler: Any = None) -> Controller:
    """Start a sink in a background thread (``handler`` replaces the keeping one); ``.stop()`` ends it."""
    controller = Controller(handler or KeepMessages(folder), hostname=host, port=port)
    controller.start()
    return controller


@dataclass(frozen=True)
class KeptMessage:
    """A message the sink kept: its file name, headers, plain-text and HTML parts."""

    name: str
    subject: str
    sender: str
    to: str
    date: str
    text: str
    html: str | None

    @classmethod
    def read(cls, path: Path) -> KeptMessage:
        """Parse a kept .eml file."""
        message: EmailMessage = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        text = message.get_body(("plain",))
        html = message.get_body(("html",))
        return cls(
            name=path.name,
            subject=str(message["Subject"] or ""),
            sender=str(message["From"] or ""),
            to=str(message["To"] or ""),
            date=str(message["Date"] or ""),
            text=text.get_content() if text else "",
            html=html.get_content() if html else None,
        )


def kept(folder: Path) -> list[KeptMessage]:
    """Every message in the folder, newest first."""
    if not folder.is_dir():
        return []
    paths = sorted((p for p in folder.iterdir() if FILE_NAME.match(p.name)), reverse=True)
    return [KeptMessage.read(path) for path in paths]
