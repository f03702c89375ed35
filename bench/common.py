"""What the benchmark scripts share: their own PostgreSQL cluster, the bench database, the app's settings.

The benchmarks never touch the development cluster (``var/postgres``) or the test cluster: they start
``var/postgres-bench`` (fsync off; its data does not matter) and work in the database ``portal_bench``.
MongoDB and S3 are used when ``MONGODB_URI`` / ``S3_BUCKET`` (and ``S3_ENDPOINT_URL``) are set; otherwise
the embedded document store and a folder under ``var/bench/``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

from portal import localpg

ROOT = Path(__file__).resolve().parent.parent
CLUSTER = ROOT / "var" / "postgres-bench"
DATABASE = "portal_bench"
VAR = ROOT / "var" / "bench"
PASSWORD = "portal-demo"  # noqa: S105 (the demo tenants' published password)
SECRET_KEY = "bench-only-secret-key-" + "x" * 32  # production mode refuses the development key


def start_cluster(database: str = DATABASE) -> tuple[str, str]:
    """Start the bench cluster (first time: initdb) and return (app URL, owner URL) of a bench database."""
    localpg.start(CLUSTER, fast=True)
    return localpg.urls(CLUSTER, database)


def stores_dir(urls: tuple[str, str]) -> Path:
    """The folder of a bench database's embedded documents and objects (one per database)."""
    return VAR / urls[0].rsplit("/", 1)[1]


def app_config(urls: tuple[str, str], env: str = "test") -> dict:
    """Settings of a portal app on the bench database (stores from the environment or var/bench)."""
    app_url, owner_url = urls
    return {
        "PORTAL_ENV": env,
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": app_url,
        "MIGRATION_DATABASE_URL": owner_url,
        "DOCUMENT_STORE_PATH": str(stores_dir(urls) / "documents"),
        "OBJECT_STORE_PATH": str(stores_dir(urls) / "objects"),
        "LOG_LEVEL": "WARNING",
    }


def server_environment(urls: tuple[str, str]) -> dict[str, str]:
    """The environment of a production gunicorn on the bench database (as the README deploys it)."""
    env = dict(os.environ)
    env.update(
        PORTAL_ENV="production",
        SECRET_KEY=SECRET_KEY,
        BASE_URL="http://127.0.0.1",
        DATABASE_URL=urls[0],
        MIGRATION_DATABASE_URL=urls[1],
        DOCUMENT_STORE_PATH=str(stores_dir(urls) / "documents"),
        OBJECT_STORE_PATH=str(stores_dir(urls) / "objects"),
        # The benchmark signs in a few hundred times from one address.
        LOGIN_LIMIT_PER_IP="100000 per minute",
        LOGIN_LIMIT_PER_ACCOUNT="100000 per minute",
    )
    return env


def psycopg_url(url: str) -> str:
    """A SQLAlchemy URL as libpq understands it."""
    return url.replace("postgresql+psycopg://", "postgresql://")


def wait_http(url: str, seconds: float = 30) -> None:
    """Block until url answers (any HTTP status)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (loopback URL we built)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_in(base: str, email: str, password: str = PASSWORD) -> str:
    """Sign in through the login form; return the Cookie header value of the signed-in session.

    The production cookie is Secure, so no client would send it back over plain http: we take it from
    Set-Cookie ourselves (the benchmark runs on loopback, as behind a TLS-terminating proxy).
    """
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    page = opener.open(f"{base}/login", timeout=10).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page
    )
    if not token:
        raise RuntimeError("no CSRF token on the login page")
    cookies = {cookie.name: cookie.value for cookie in jar}
    form = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token.group(1)})
    request = urllib.request.Request(  # noqa: S310 (loopback URL we built)
        f"{base}/login",
        data=form.encode(),
        headers={
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"{base}/login",
        },
    )
    try:
        response = opener.open(request, timeout=10)
        status, headers = response.status, response.headers
    except urllib.error.HTTPError as exc:
        status, headers = exc.code, exc.headers
    if status != 302:
        raise RuntimeError(f"sign-in as {email} answered {status}")
    _merge(cookies, headers)
    # One signed-in page view: the session (a signed cookie) then holds its CSRF secret, so the cookie
    # stays the same for every later request and the page's csrf-token meta works for writes.
    page = urllib.request.Request(f"{base}/", headers={"Cookie": _header(cookies)})  # noqa: S310 (loopback)
    with opener.open(page, timeout=30) as response:
        _merge(cookies, response.headers)
    return _header(cookies)


def _merge(cookies: dict[str, str], headers) -> None:
    for header in headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]


def _header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def rss_kib(pid: int) -> int:
    """Resident memory of a process in KiB (VmRSS of /proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def children(pid: int) -> list[int]:
    """The direct children of a process (gunicorn's workers)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        match = re.search(r"^PPid:\s+(\d+)", text, re.M)
        if match and int(match.group(1)) == pid:
            found.append(int(status.parent.name))
    return sorted(found)


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system) the processes have used so far; processes gone since are skipped."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (after the command name)
    return total / ticks


def postgres_pids() -> list[int]:
    """Every PostgreSQL server process on the machine (the benchmarks' cluster is the only busy one)."""
    found = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() == "postgres":
                found.append(int(comm.parent.name))
        except OSError:
            continue
    return found


def ensure_debian_tool(name: str) -> str:
    """The path of the program name, installed with apt-get (the Debian package of the same name) when
    missing: wrk for the load benchmark, valgrind for instructions.py; never needed by tests or CI."""
    found = shutil.which(name)
    if found:
        return found
    print(f"{name} is missing: installing the Debian package with apt-get")
    subprocess.run(["apt-get", "install", "-y", name], check=True, stdout=subprocess.DEVNULL)
    return shutil.which(name) or sys.exit(f"{name} could not be installed")
