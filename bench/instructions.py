"""Instructions per request: the one cost figure this shared machine does not blur.

Throughput and even CPU time move by a third with the machine's other tenants; the number of instructions
a request executes does not. One Python runs under valgrind's callgrind (Debian's ``valgrind``, installed
with apt-get when missing) with the portal and the Fortunes app (bench/reference.py) in process on the
bench database, signed in as the load benchmark is, every path warmed up. Callgrind counts only inside
``sys.call_tracing`` (a C function nothing else here calls) and writes its count after each call, so each
measured round — N requests of one path made through it — is counted on its own, start-up and warm-up
excluded. Per path: the median of the rounds ÷ N and their spread; PostgreSQL's work is not in it (it
is another process).

Besides the load benchmark's pages it measures three floors, real routes every page stands on:
``/healthz`` (Flask and our hooks, no user), a content fragment (the sign-in look-up and one statement,
no layout) and ``/account/password`` (a form in the layout: sidebar, counts, banners). The in-process
test client adds the same fixed cost to every figure, Fortunes' too, so the ratios here flatter the
pages a little; the load benchmark's, under gunicorn with PostgreSQL's CPU, are lower.

Run: .venv/bin/python bench/instructions.py [--requests 5] [--rounds 3] [PATH ...]   (~4 min)
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from bench import common, page_costs, reference

FORTUNES = "fortunes"
FLOORS = ("/healthz", "/account/password")


def main() -> None:
    """Command line: measure every path (or the ones given) and print them beside Fortunes."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--requests", type=int, default=5, help="requests per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per path")
    parser.add_argument("--database", default=common.DATABASE)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    urls = common.start_cluster(args.database)
    targets = [FORTUNES, *(args.paths or default_paths(urls))]
    if args.child:
        run_child(urls, targets, args.requests, args.rounds)
        return
    counts = measure(targets, args)
    fortunes = statistics.median(counts[FORTUNES])
    print(f"Instructions per request, in process ({args.rounds} rounds of {args.requests}, median; spread):")
    for target, rounds in counts.items():
        median = statistics.median(rounds)
        print(
            f"  {target:52} {median / 1e6:7.2f} M  ({min(rounds) / 1e6:.2f}–{max(rounds) / 1e6:.2f})"
            f"   Fortunes ÷ page {fortunes / median:5.2f}"
        )


def default_paths(urls: tuple[str, str]) -> list[str]:
    """The floors, then page_costs' paths (the load benchmark's pages among them)."""
    pages = page_costs.default_paths(urls)
    fragment = next((p for p in pages if p.startswith("/refs/")), None)
    floors = [FLOORS[0], *([fragment] if fragment else []), FLOORS[1]]
    return floors + [p for p in pages if p not in floors]


def measure(targets: list[str], args: argparse.Namespace) -> dict[str, list[float]]:
    """Run the child under callgrind; each target's instructions per request, one figure per round."""
    valgrind = common.ensure_debian_tool("valgrind")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind"
        command = [
            valgrind,
            "--tool=callgrind",
            "--cache-sim=no",
            "--collect-atstart=no",
            "--toggle-collect=sys_call_tracing",
            "--dump-after=sys_call_tracing",
            f"--callgrind-out-file={out}",
            "-q",
            sys.executable,
            __file__,
            "--child",
            f"--requests={args.requests}",
            f"--rounds={args.rounds}",
            f"--database={args.database}",
            *targets[1:],
        ]
        # The child configures its apps itself, as page_costs does; one hash seed keeps sets and dicts
        # iterating in the same order in every run.
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
        # One file per measured round, numbered in the order the child made them.
        totals = [_total(Path(f"{out}.{n}")) for n in range(1, len(targets) * args.rounds + 1)]
    return {
        target: [t / args.requests for t in totals[i * args.rounds : (i + 1) * args.rounds]]
        for i, target in enumerate(targets)
    }


def _total(dump: Path) -> int:
    return int(re.search(r"^(?:totals|summary): (\d+)", dump.read_text(), re.MULTILINE).group(1))


def run_child(urls: tuple[str, str], targets: list[str], requests: int, rounds: int) -> None:
    """Inside valgrind: sign in, warm every target up, then each target's rounds through sys.call_tracing."""
    import gc

    config, portal = page_costs.signed_in_client(urls)
    fortunes = reference.make_fortunes(config["DATABASE_URL"]).test_client()

    def get(path: str) -> None:
        if path == FORTUNES:
            response = fortunes.get("/")
        else:
            response = portal.get(path, headers=page_costs.headers_for(path))
        assert response.status_code == 200, f"{path}: {response.status_code}"

    def one_round(path: str) -> None:
        for _ in range(requests):
            get(path)

    for path in targets:
        for _ in range(5):
            get(path)
    gc.freeze()  # as gunicorn.conf.py does in each worker
    for path in targets:
        for _ in range(rounds):
            sys.call_tracing(one_round, (path,))  # counted by callgrind (see the docstring)


if __name__ == "__main__":
    main()
