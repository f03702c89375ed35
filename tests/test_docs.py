"""The documentation a clone carries is whole: nothing sends a reader outside the repository, every link in
README.md and docs/ opens a file that exists, and the role matrix in docs/ARCHITECTURE.md is the code's."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from portal.tenancy import PERMISSIONS, ROLE_LABELS

ROOT = Path(__file__).resolve().parent.parent
DOC_NAMES = "DESIGN|SCHEMA|PLATFORM|TENANCY"
# The steering folder beside the clone, or one of its documents named without our docs/ folder.
OUTSIDE = re.compile(rf"\.\./shared\b|\bshared/(?:{DOC_NAMES})\.md|(?<![\w/.-])(?:{DOC_NAMES})\.md")
DOCS_PATH = re.compile(r"\bdocs/[\w./-]+\.md\b")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _tracked_texts() -> list[tuple[str, str]]:
    """Every tracked file that reads as UTF-8 text, with its path."""
    names = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, text=True
    ).stdout.split("\0")
    texts = []
    for name in filter(None, names):
        path = ROOT / name
        if not path.is_file():
            continue  # deleted in the work tree, not yet committed
        try:
            texts.append((name, path.read_text(encoding="utf-8")))
        except UnicodeDecodeError:
            continue  # images, fonts, vendored binaries
    return texts


def test_nothing_outside_docs_points_outside_the_repository():
    texts = _tracked_texts()
    assert len(texts) > 100
    offenders = [
        f"{name}:{text.count(chr(10), 0, match.start()) + 1}: {match.group(0)}"
        for name, text in texts
        if not name.startswith("docs/")
        for match in OUTSIDE.finditer(text)
    ]
    assert offenders == []


def test_every_docs_path_named_anywhere_exists():
    missing = {
        f"{name}: {match.group(0)}"
        for name, text in _tracked_texts()
        for match in DOCS_PATH.finditer(text)
        if not (ROOT / match.group(0)).is_file()
    }
    assert missing == set()


def test_every_relative_link_in_the_readme_and_docs_opens_a_file_of_the_repository():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    checked, broken = 0, []
    for page in pages:
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue  # a web address or an anchor on the same page
            resolved = (page.parent / target.split("#")[0]).resolve()
            checked += 1
            if not resolved.is_file() or not resolved.is_relative_to(ROOT):
                broken.append(f"{page.relative_to(ROOT)}: {target}")
    assert broken == []
    assert checked >= 10


def test_the_role_matrix_in_the_architecture_is_the_codes():
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    header = "| permission | " + " | ".join(ROLE_LABELS.values()) + " |"
    assert header in text
    shown = {}
    for line in text.splitlines():
        row = re.match(r"\| `([\w.]+)` [^|]*\|(.*)\|$", line)
        if row:
            marks = [cell.strip() for cell in row.group(2).split("|")]
            shown[row.group(1)] = {role for role, mark in zip(ROLE_LABELS, marks, strict=True) if mark == "✓"}
    assert shown == {name: set(roles) for name, (_, roles) in PERMISSIONS.items()}
