"""Benchmark: a 100,000-row CSV import, uploaded through the pages and run by the worker's job.

In a database of its own (created in the bench cluster, migrated, seeded with the demo tenants, dropped at
the end), it signs in as acme's sales manager, uploads a generated CSV of ``--rows`` leads, maps it and
presses run (the page answers at once: the job is queued), then runs the worker until the queue is empty.
It prints the rows, the seconds to upload, to check every row and to save all leads (from the job's own
log lines), and the total from the run to the import's end. Exits non-zero if the import did not finish
with every row saved, or if check + save took ``--target`` seconds or more.
Run: .venv/bin/python bench/import_bench.py [--rows 100000] [--target 20]
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from sqlalchemy import select

from bench import common, generate
from bench.leads_bench import sign_in
from portal import create_app, localpg
from portal.models import LeadImport

FIGURES = re.compile(r"(\d+) (?:rows checked|leads saved) in ([\d.]+) s")


class Figures(logging.Handler):
    """Keeps the seconds the import job logs for its two phases."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.seconds: dict[str, float] = {}

    def emit(self, record: logging.LogRecord) -> None:
        """Read 'N rows checked in S s' / 'N leads saved in S s'."""
        message = record.getMessage()
        found = FIGURES.search(message)
        if found:
            self.seconds["checked" if "checked" in message else "saved"] = float(found.group(2))


def csv_file(rows: int) -> bytes:
    """A CSV of distinct leads with names, e-mail, phone, company, title and a deal value."""
    lines = ["First name,Last name,Email,Phone,Company,Job title,Deal value\n"]
    for n in range(rows):
        lines.append(
            f"Asha{n},Sharma{n % 977},asha{n}@bench-import.example,+44 7700 {n % 1_000_000:06d},"
            f"Company {n % 5000},Head of growth,{n % 9000}.50\n"
        )
    return "".join(lines).encode()


def main() -> int:
    """Generate, import, print; drop the database."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--target", type=float, default=20.0)
    args = parser.parse_args()
    logging.disable(logging.NOTSET)
    figures = Figures()
    job_log = logging.getLogger("portal.leads.import")
    job_log.addHandler(figures)
    job_log.setLevel(logging.INFO)

    name = f"portal_import_bench_{os.getpid()}"
    urls = common.start_cluster(name)
    localpg.create_database(name, common.CLUSTER)
    app = None
    try:
        generate._seed_demo(urls)
        app = create_app(common.app_config(urls))
        client = sign_in(app, "manager@acme.test")
        page = client.get("/leads/import").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        headers = {"X-CSRFToken": token}

        started = time.monotonic()
        uploaded = client.post(
            "/leads/import",
            data={"file": (io.BytesIO(csv_file(args.rows)), "bench.csv")},
            headers=headers,
        )
        assert uploaded.status_code == 302, uploaded.status_code
        upload_seconds = time.monotonic() - started
        ref = uploaded.headers["Location"].rsplit("/", 1)[1]
        mapping = {"first_name": 0, "last_name": 1, "email": 2, "phone": 3, "company": 4, "job_title": 5}
        mapping["estimated_value"] = 6
        mapped = client.post(
            f"/leads/imports/{ref}/mapping",
            data={f"map_{field}": str(index) for field, index in mapping.items()},
            headers=headers,
        )
        assert mapped.status_code == 302, mapped.status_code

        started = time.monotonic()
        answer = client.post(f"/leads/imports/{ref}/run", headers={**headers, "HX-Request": "true"})
        answer_seconds = time.monotonic() - started
        app.extensions["jobs"].run_worker(wait=False, concurrency=1)
        total = time.monotonic() - started

        with app.extensions["db"].engine.connect() as connection:
            tenant_id = connection.exec_driver_sql(
                "SELECT tenant_id FROM auth_lookup('owner@acme.test')"
            ).scalar()
        with app.extensions["db"].new_session(tenant_id) as session:
            done = session.scalars(select(LeadImport).where(LeadImport.ref_id == ref)).one()
            status, created = done.status, done.created_count

        checked, saved = figures.seconds.get("checked", 0.0), figures.seconds.get("saved", 0.0)
        print(f"rows:                         {args.rows:,}")
        print(f"upload (size, UTF-8, rows):   {upload_seconds:.2f} s")
        print(f"run page answered in:         {answer_seconds * 1000:.0f} ms (status {answer.status_code})")
        print(f"rows checked in:              {checked:.2f} s")
        print(f"leads saved in:               {saved:.2f} s")
        print(f"run to end of import (total): {total:.2f} s  [target < {args.target:.0f} s]")
        print(f"import: {status}, {created:,} leads created")
        if status != "done" or created != args.rows:
            print("FAIL: the import did not save every row")
            return 1
        if checked + saved >= args.target:
            print(f"FAIL: check + save took {checked + saved:.1f} s (target < {args.target:.0f} s)")
            return 1
        return 0
    finally:
        if app is not None:
            app.extensions["db"].engine.dispose()
        localpg.drop_database(name, common.CLUSTER)


if __name__ == "__main__":
    sys.exit(main())
