"""What the tests that talk to S3 share: an environment in which boto3 only ever talks to moto, a free
loopback port, and moto's S3 server on a fixed port that can be stopped and started again."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager

import boto3
import pytest
from moto.server import ThreadedMotoServer

REGION = "us-east-1"


@contextmanager
def fake_aws() -> Iterator[None]:
    """Fake credentials and no shared configuration, so boto3 never looks beyond the test run; moto's
    server logs every request through werkzeug, which is quietened."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
        }.items():
            patch.setenv(name, value)
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        yield


def free_port() -> int:
    """A loopback port nobody listens on (at the moment of asking)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class S3Server:
    """moto's S3 on a fixed loopback port, so it can be stopped and started again at the same address
    (moto keeps its objects per process, so a restart finds them all)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self._server: ThreadedMotoServer | None = None

    def start(self) -> None:
        """Serve S3 (a no-op when running)."""
        if self._server is None:
            self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
            self._server.start()

    def stop(self) -> None:
        """Stop answering (a no-op when stopped)."""
        if self._server is not None:
            self._server.stop()
            self._server = None

    def create_bucket(self, bucket: str) -> None:
        """Create a bucket (creating it again is harmless: moto's state is per process)."""
        boto3.client("s3", endpoint_url=self.endpoint, region_name=REGION).create_bucket(Bucket=bucket)


@contextmanager
def moto_with_bucket(bucket: str) -> Iterator[S3Server]:
    """A running moto S3 server with ``bucket``, stopped at the end (a test may stop it before)."""
    server = S3Server()
    server.start()
    server.create_bucket(bucket)
    try:
        yield server
    finally:
        server.stop()
