"""`make run`'s processes side by side: the mail sink, one worker and Flask's server, stopped together.

Ctrl-C (or any one of them ending) stops all three. Run from the project folder with PORTAL_ENV=local:
``.venv/bin/python scripts/run_local.py [port]``.
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import time

FLASK = [sys.executable, "-m", "flask", "--app", "app"]


def _interrupt(signum: int, frame: object) -> None:
    # A SIGTERM (a `kill` of the supervisor) stops everything as Ctrl-C does.
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    """Start the three processes, wait until one ends or we are told to stop, then stop the others."""
    port = argv[1] if len(argv) > 1 else "5000"
    commands = {
        "mail sink": [*FLASK, "mail-sink"],
        "worker": [*FLASK, "worker"],
        "web": [*FLASK, "run", "--host", "127.0.0.1", "--port", port],
    }
    for stop in (signal.SIGINT, signal.SIGTERM):  # also when started in the background (SIGINT ignored)
        signal.signal(stop, _interrupt)
    running = {name: subprocess.Popen(command) for name, command in commands.items()}
    ended = None
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C (or SIGTERM) stops them all
        while ended is None:
            time.sleep(0.5)
            ended = next((name for name, process in running.items() if process.poll() is not None), None)
        print(f"\n{ended} stopped (exit {running[ended].returncode}): stopping the others", flush=True)
    for process in running.values():
        if process.poll() is None:
            process.terminate()  # SIGTERM: each stops cleanly (the worker finishes its jobs first)
    deadline = time.monotonic() + 10
    for process in running.values():
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return 0 if ended is None else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
