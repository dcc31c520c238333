"""What the hook and action tests share: this repository as a hook source, a user's repository, a broken catalogue."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.conftest import REPO, run_cli

IGNORE = shutil.ignore_patterns(
    ".git", "__pycache__", "*.egg-info", ".venv", ".*_cache", ".hypothesis", "build", "tmp", "tests-artifacts"
)
GIT = ("git", "-c", "user.name=syndata tests", "-c", "user.email=tests@localhost", "-c", "commit.gpgsign=false")
# the mistake a contributor makes: a date that is not on the calendar, in the first paper
GOOD_DATE, BAD_DATE = "date: 2024-02-21", "date: 2024-13-45"


def git(*args: str, cwd: Path) -> str:
    return subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def committed_copy(dest: Path) -> str:
    """The working tree as one commit of a new repository (what a clone at a tag gives a user, plus
    what is not committed yet, so the tests judge the files on disk); returns the commit's sha."""
    shutil.copytree(REPO, dest, symlinks=True, ignore=IGNORE)
    git("init", "-q", cwd=dest)
    git("add", "-A", cwd=dest)
    git("commit", "-q", "-m", "syndata-export as a hook source", cwd=dest)
    return git("rev-parse", "HEAD", cwd=dest)


def user_repository(dest: Path) -> Path:
    """A list's repository: our catalogue and the README it generates, committed."""
    dest.mkdir()
    shutil.copyfile(REPO / "catalogue.yaml", dest / "catalogue.yaml")
    listed = run_cli("list", "-o", "README.md", cwd=dest)
    assert listed.returncode == 0, listed.stderr
    git("init", "-q", cwd=dest)
    git("add", "-A", cwd=dest)
    git("commit", "-q", "-m", "the list", cwd=dest)
    return dest


def break_catalogue(repo: Path) -> str:
    """Writes the bad date into the catalogue; returns where `check` must point: ``catalogue.yaml:LINE:COL``."""
    path = repo / "catalogue.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines) if line.strip() == GOOD_DATE)
    lines[n] = lines[n].replace(GOOD_DATE, BAD_DATE)
    path.write_text("".join(lines), encoding="utf-8")
    return f"catalogue.yaml:{n + 1}:{lines[n].index(BAD_DATE) + len('date: ') + 1}"
