"""Instructions per request: the one cost figure this shared machine does not blur.

Throughput and even CPU time move by a third with the machine's other tenants; the number of instructions
a request executes does not. Each measurement runs a fresh Python under valgrind's callgrind (Debian's
``valgrind``, installed with apt-get when missing): the portal and the Fortunes app (bench/reference.py)
on the bench database, signed in as the load benchmark is, every path warmed up, then N requests of one
path. One more run makes no measured request; the difference, ÷ N, is what a request of that path
executes, in process, database excluded (PostgreSQL is another process).

Besides the load benchmark's pages it measures three floors, real routes every page stands on:
``/healthz`` (Flask and our hooks, no user), a content fragment (the sign-in look-up and one statement,
no layout) and ``/account/password`` (a form in the layout: sidebar, counts, banners). The in-process
test client adds the same fixed cost to every figure, Fortunes' too, so the ratios here flatter the
pages a little; the load benchmark's, under gunicorn with PostgreSQL's CPU, are lower.

Run: .venv/bin/python bench/instructions.py [--requests 10] [PATH ...]   (~1 min per path, two at once)
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from bench import common, page_costs, reference

FORTUNES = "fortunes"
NOTHING = "-"  # the run that only starts, signs in and warms up
FLOORS = ("/healthz", "/account/password")


def main() -> None:
    """Command line: measure every path (or the ones given) and print them beside Fortunes."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--database", default=common.DATABASE)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    urls = common.start_cluster(args.database)
    paths = args.paths or default_paths(urls)
    if args.child:
        run_child(urls, args.child, paths, args.requests)
        return
    valgrind = ensure_valgrind()
    targets = [NOTHING, FORTUNES, *paths]
    with tempfile.TemporaryDirectory() as folder, ThreadPoolExecutor(max_workers=2) as pool:
        totals = dict(
            zip(targets, pool.map(lambda t: measure(valgrind, folder, t, paths, args), targets), strict=True)
        )
    per_request = {t: (totals[t] - totals[NOTHING]) / args.requests for t in targets[1:]}
    fortunes = per_request[FORTUNES]
    print(f"Instructions per request, in process, {args.requests} requests each (callgrind):")
    for target, count in per_request.items():
        print(f"  {target:52} {count / 1e6:7.2f} M   Fortunes ÷ page {fortunes / count:5.2f}")


def default_paths(urls: tuple[str, str]) -> list[str]:
    """The floors, then page_costs' paths (the load benchmark's pages among them)."""
    pages = page_costs.default_paths(urls)
    fragment = next((p for p in pages if p.startswith("/refs/")), None)
    floors = [FLOORS[0], *([fragment] if fragment else []), FLOORS[1]]
    return floors + [p for p in pages if p not in floors]


def ensure_valgrind() -> str:
    """The valgrind binary, installed with apt-get (Debian package ``valgrind``) when missing."""
    found = shutil.which("valgrind")
    if found:
        return found
    print("valgrind is missing: installing the Debian package with apt-get")
    subprocess.run(["apt-get", "install", "-y", "valgrind"], check=True, stdout=subprocess.DEVNULL)
    return shutil.which("valgrind") or sys.exit("valgrind could not be installed")


def measure(valgrind: str, folder: str, target: str, paths: list[str], args: argparse.Namespace) -> int:
    """The instructions a child run executed in all (start-up included) for target."""
    out = Path(folder) / f"callgrind.{abs(hash(target))}"
    command = [
        valgrind,
        "--tool=callgrind",
        "--cache-sim=no",
        f"--callgrind-out-file={out}",
        "-q",
        sys.executable,
        __file__,
        "--child",
        target,
        "--requests",
        str(args.requests),
        "--database",
        args.database,
        *paths,
    ]
    # The same hash seed in every run, so that start-up executes the same instructions each time.
    env = {**common.server_environment(common.start_cluster(args.database)), "PYTHONHASHSEED": "0"}
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    return int(re.search(r"^(?:totals|summary): (\d+)", out.read_text(), re.MULTILINE).group(1))


def run_child(urls: tuple[str, str], target: str, paths: list[str], requests: int) -> None:
    """Inside valgrind: sign in, warm every path and Fortunes up, then make the measured requests."""
    import gc

    config, portal = page_costs.signed_in_client(urls)
    fortunes = reference.make_fortunes(config["DATABASE_URL"]).test_client()

    def get(path: str) -> None:
        if path == FORTUNES:
            response = fortunes.get("/")
        else:
            response = portal.get(path, headers=page_costs.headers_for(path))
        assert response.status_code == 200, f"{path}: {response.status_code}"

    for path in (FORTUNES, *paths):
        for _ in range(5):
            get(path)
    gc.freeze()  # as gunicorn.conf.py does in each worker
    if target != NOTHING:
        for _ in range(requests):
            get(target)


if __name__ == "__main__":
    main()
