"""House rules the code can be checked for: no private attribute or module of a library is used anywhere,
only ``portal.hot`` knows about PostgreSQL's plan caches, and downloads name their
files through one helper.

A library's private names (a leading underscore) change without notice in any minor release; reading or
writing one can break start-up or, worse, quietly change behaviour. Our own modules' private names are
ours to use. The check reads the source with ``ast``: an attribute ``x._name`` is refused when ``x`` is
a name imported from a library or one of the names library objects go by here (``g``, ``session``,
``cursor``, …); so are ``getattr``/``setattr``/``hasattr``/``delattr`` with such a name, and imports of
a library's private modules or names.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("portal", "demo", "bench", "tests", "scripts", "migrations")
OURS = {*FOLDERS, "app", "wsgi", "gunicorn"}
# What library objects are called in this code base: Flask's globals, SQLAlchemy's and psycopg's objects.
LIBRARY_OBJECTS = {
    "app",
    "conn",
    "connection",
    "context",
    "current_app",
    "current_user",
    "cursor",
    "dbapi_connection",
    "engine",
    "g",
    "login_manager",
    "request",
    "response",
    "session",
}
REFLECTION = {"getattr", "setattr", "hasattr", "delattr"}


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _library(module: str | None) -> bool:
    return module is not None and module.split(".")[0] not in OURS


def _object_name(node: ast.AST) -> str | None:
    return node.id if isinstance(node, ast.Name) else None


def private_uses(source: str) -> list[tuple[int, str]]:
    """(line, what) for every use of a library's private attribute, module or name in Python source."""
    tree = ast.parse(source)
    # Names bound by importing a library (``import psycopg``, ``from flask import g``) are library objects.
    suspects = set(LIBRARY_OBJECTS)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _library(alias.name):
                    suspects.add(alias.asname or alias.name.split(".")[0])
                    if any(_private(part) for part in alias.name.split(".")):
                        found.append((node.lineno, f"import {alias.name}"))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and _library(node.module):
            if any(_private(part) for part in node.module.split(".")):
                found.append((node.lineno, f"from {node.module} import …"))
            for alias in node.names:
                suspects.add(alias.asname or alias.name)
                if _private(alias.name):
                    found.append((node.lineno, f"from {node.module} import {alias.name}"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            owner = _object_name(node.value)
            if owner in suspects:
                found.append((node.lineno, f"{owner}.{node.attr}"))
        elif (
            isinstance(node, ast.Call)
            and _object_name(node.func) in REFLECTION
            and len(node.args) >= 2
            and _object_name(node.args[0]) in suspects
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and _private(node.args[1].value)
        ):
            found.append((node.lineno, f"{node.func.id}({node.args[0].id}, {node.args[1].value!r})"))
    return sorted(found)


def test_no_private_attribute_or_module_of_a_library_is_used():
    files = [path for folder in FOLDERS for path in sorted((ROOT / folder).rglob("*.py"))]
    files += sorted(ROOT.glob("*.py"))
    assert len(files) > 50  # the folders were found
    uses = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in files
        for line, what in private_uses(path.read_text(encoding="utf-8"))
    ]
    assert uses == []


def test_the_check_sees_each_kind_of_private_use():
    # The shapes of the uses this rule removed, written out so that the check is shown to catch them.
    source = "\n".join(
        [
            "import psycopg",
            "import psycopg" + "._queries",
            "from flask import g",
            "from sqlalchemy.orm import " + "_private_name",
            "psycopg._queries.LIMIT = 1",
            "g._login_user = None",
            "value = cursor._encoding",
            "context._started = 0",
            "getattr(g, " + repr("_login_user") + ")",
            "self._ours = 1",
            "from portal.db import " + "_read_only",
            "g.__class__",
        ]
    )
    assert [line for line, _ in private_uses(source)] == [2, 4, 5, 6, 7, 8, 9]


# Words only portal/hot/ may write: the prepare policy, the plan cache settings and the compiled statements.
PLAN_CACHE_WORDS = ("prepare=", "force_generic_plan", "plan_cache", "plan cache", "FixedStatement")


def plan_cache_mentions(source: str) -> list[tuple[int, str]]:
    """(line, word) for every word of PLAN_CACHE_WORDS in source."""
    return [
        (number, word)
        for number, line in enumerate(source.splitlines(), 1)
        for word in PLAN_CACHE_WORDS
        if word.lower() in line.lower()
    ]


def test_only_the_hot_package_knows_about_plan_caches():
    hot = ROOT / "portal" / "hot"
    files = [path for path in sorted((ROOT / "portal").rglob("*.py")) if hot not in path.parents]
    mentions = [
        f"{path.relative_to(ROOT)}:{line}: {word}"
        for path in files
        for line, word in plan_cache_mentions(path.read_text(encoding="utf-8"))
    ]
    assert mentions == []
    assert plan_cache_mentions((hot / "policy.py").read_text(encoding="utf-8"))  # the check reads the package


def test_the_plan_cache_check_sees_each_word():
    source = (
        "a = s.execution_options(prepare=True)\nb = 1\n# plan_cache_mode=force_generic_plan\nFixedStatement\n"
    )
    assert [line for line, _ in plan_cache_mentions(source)] == [1, 3, 3, 4]


def test_downloads_name_their_files_through_one_helper():
    """A file name put into Content-Disposition by hand breaks on a quote or a non-Latin character; every
    download goes through ``stores.blobs.content_disposition`` (RFC 6266), the one place that encodes it."""
    helper = ROOT / "portal" / "stores" / "blobs.py"
    by_hand = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "portal").rglob("*.py"))
        if path != helper
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "Content-Disposition" in line and "content_disposition(" not in line
    ]
    assert by_hand == []
