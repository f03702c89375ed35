"""The demo data is not part of the runtime package: nothing under portal/ imports ``demo``, the production
entry point (wsgi.py) neither loads it nor offers ``seed-demo``, and the development one (app.py, which
``make run`` uses) does."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Enough for create_app outside a local run; nothing connects to the database while the app is built.
PRODUCTION = {
    "PORTAL_ENV": "production",
    "SECRET_KEY": "a-long-random-value-for-this-test-only-0123456789",
    "BASE_URL": "https://portal.example",
    "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none",
}


def _imported_modules(source: str) -> set[str]:
    """The absolute module names a Python source imports."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run a command at the repository's root with only PATH, HOME and ``env`` set."""
    base = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    return subprocess.run(args, cwd=ROOT, env=base | env, capture_output=True, text=True, timeout=120)


def test_no_module_under_portal_imports_demo():
    files = sorted((ROOT / "portal").rglob("*.py"))
    assert len(files) > 50
    offenders = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in files
        for module in _imported_modules(path.read_text(encoding="utf-8"))
        if module.split(".")[0] == "demo"
    ]
    assert offenders == []


def test_the_production_entry_point_cannot_seed_the_demo():
    check = (
        "import sys, wsgi; "
        "print(sorted(wsgi.app.cli.commands)); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'demo'))"
    )
    done = _run(sys.executable, "-c", check, env=PRODUCTION)
    assert done.returncode == 0, done.stderr
    commands, demo_modules = done.stdout.strip().splitlines()[-2:]
    assert "create-tenant" in commands and "seed-demo" not in commands
    assert demo_modules == "[]"


def test_the_development_entry_point_seeds_the_demo():
    flask = str(Path(sys.executable).with_name("flask"))
    done = _run(flask, "--app", "app", "seed-demo", "--help", env=PRODUCTION | {"PORTAL_ENV": "test"})
    assert done.returncode == 0, done.stderr
    assert "--if-empty" in done.stdout and "--reset" in done.stdout
