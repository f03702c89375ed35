"""A PostgreSQL cluster the project starts itself, in a folder of its own (``var/postgres``).

Used by ``make run`` and the tests when ``DATABASE_URL`` is not set. It runs Debian's server binaries; when
we are root it runs them as the ``postgres`` system user, because initdb refuses root. The cluster listens on
a loopback port chosen at first start and kept in ``var/postgres/port``; local connections are trusted.

Roles: the bootstrap superuser ``postgres``; ``portal_owner`` (owns the tables, runs migrations, may create
the app roles) is created here because roles belong to the cluster. The migrations create ``portal_app``
and ``portal_auth`` themselves when they are missing.

Run ``python -m portal.localpg start|stop|status|url``.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT / "var" / "postgres"
OWNER_ROLE = "portal_owner"
APP_ROLE = "portal_app"
DATABASE = "portal"
PREFERRED_PORT = 54329


def _bin(name: str) -> str:
    """Path of a PostgreSQL server binary (Debian keeps them out of PATH)."""
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    found = candidates[0] if candidates else shutil.which(name)
    if not found:
        raise SystemExit(
            f"PostgreSQL server binary {name!r} not found: install Debian's 'postgresql' package."
        )
    return found


def _as_server_user(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a server command, as the postgres user when we are root (initdb and postgres refuse root)."""
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, check=True, **kwargs)


def _free_port(preferred: int) -> int:
    """The preferred loopback port if it is free, else one the kernel hands out."""
    for port in (preferred, 0):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError("no free loopback port")


def _prepare_dir(data_dir: Path) -> None:
    """Create the data folder, owned by the server user and private to it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        pg = pwd.getpwnam("postgres")
        os.chown(data_dir, pg.pw_uid, pg.pw_gid)
    data_dir.chmod(0o700)


def is_configured(data_dir: Path = DEFAULT_DIR) -> bool:
    """Whether the cluster has been started here at least once (its port is known)."""
    return (data_dir.parent / f"{data_dir.name}.port").exists()


def port(data_dir: Path = DEFAULT_DIR) -> int:
    """The port the cluster was last started on."""
    return int((data_dir.parent / f"{data_dir.name}.port").read_text())


def is_running(data_dir: Path = DEFAULT_DIR) -> bool:
    """Whether the cluster in data_dir is up (pg_ctl status)."""
    if not (data_dir / "PG_VERSION").exists():
        return False
    args = [_bin("pg_ctl"), "status", "-D", str(data_dir)]
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, capture_output=True).returncode == 0


def _psql(sql: str, data_dir: Path, database: str = "postgres") -> str:
    """Run SQL as the bootstrap superuser over loopback and return its output."""
    out = subprocess.run(
        [
            _bin("psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port(data_dir)),
            "-U",
            "postgres",
            "-d",
            database,
            "-qAtc",
            sql,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def start(data_dir: Path = DEFAULT_DIR, fast: bool = False) -> int:
    """Initialise (first time) and start the cluster; create the owner role and database. Returns the port.

    fast turns fsync off, for test clusters whose data does not matter.
    """
    if is_running(data_dir):
        return port(data_dir)
    if not (data_dir / "PG_VERSION").exists():
        _prepare_dir(data_dir)
        _as_server_user(
            [
                _bin("initdb"),
                "-D",
                str(data_dir),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
            ],
            stdout=subprocess.DEVNULL,
        )
    chosen = _free_port(PREFERRED_PORT if not fast else 0)
    (data_dir.parent / f"{data_dir.name}.port").write_text(str(chosen))
    options = (
        f"-p {chosen} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200"
    )
    if fast:
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    log = data_dir / "server.log"
    _as_server_user(
        [_bin("pg_ctl"), "start", "-D", str(data_dir), "-w", "-t", "30", "-l", str(log), "-o", options],
        stdout=subprocess.DEVNULL,
    )
    _bootstrap(data_dir)
    return chosen


def _bootstrap(data_dir: Path) -> None:
    """Create the owner role and the portal database when missing (both cluster-level, so not migrations)."""
    if not _psql(f"SELECT 1 FROM pg_roles WHERE rolname = '{OWNER_ROLE}'", data_dir):
        _psql(f"CREATE ROLE {OWNER_ROLE} LOGIN CREATEROLE NOSUPERUSER", data_dir)
    if not _psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'", data_dir):
        _psql(f"CREATE DATABASE {DATABASE} OWNER {OWNER_ROLE}", data_dir)


def create_database(name: str, data_dir: Path = DEFAULT_DIR) -> None:
    """Create a fresh, empty database owned by the owner role (dropping one of that name first)."""
    _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', data_dir)
    _psql(f'CREATE DATABASE "{name}" OWNER {OWNER_ROLE}', data_dir)


def drop_database(name: str, data_dir: Path = DEFAULT_DIR) -> None:
    """Drop a database made by create_database."""
    _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', data_dir)


def stop(data_dir: Path = DEFAULT_DIR) -> None:
    """Stop the cluster (fast shutdown) if it runs."""
    if is_running(data_dir):
        _as_server_user(
            [_bin("pg_ctl"), "stop", "-D", str(data_dir), "-m", "fast", "-w"], stdout=subprocess.DEVNULL
        )


def urls(data_dir: Path = DEFAULT_DIR, database: str = DATABASE) -> tuple[str, str]:
    """(app URL, owner URL) of a database in the local cluster."""
    p = port(data_dir)
    return (
        f"postgresql+psycopg://{APP_ROLE}@127.0.0.1:{p}/{database}",
        f"postgresql+psycopg://{OWNER_ROLE}@127.0.0.1:{p}/{database}",
    )


def wait_ready(data_dir: Path = DEFAULT_DIR, seconds: float = 10) -> None:
    """Block until the server accepts connections."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            _psql("SELECT 1", data_dir)
            return
        except subprocess.CalledProcessError:
            time.sleep(0.1)
    raise RuntimeError("local PostgreSQL did not become ready")


def main(argv: list[str]) -> int:
    """Command line: start, stop, status, url."""
    command = argv[1] if len(argv) > 1 else "status"
    if command == "start":
        print(f"PostgreSQL running on 127.0.0.1:{start()} (data in {DEFAULT_DIR})")
    elif command == "stop":
        stop()
    elif command == "status":
        print("running" if is_running() else "stopped")
    elif command == "url":
        print(urls()[0])
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
