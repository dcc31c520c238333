"""The hooks in .pre-commit-hooks.yaml, run by the real pre-commit in a list's repository that uses this one.

pre-commit clones the hook source at a commit, builds a virtual environment and pip-installs the
package into it (about 20 s, once per session: the environments live in one PRE_COMMIT_HOME).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.ci.support import break_catalogue, committed_copy, user_repository
from tests.conftest import IN_CI, REPO

HOOKS = ("syndata-check", "syndata-list-check")


@pytest.fixture(scope="session")
def hook_source(tmp_path_factory) -> tuple[Path, str, Path]:
    """(this repository as a commit, its sha, the PRE_COMMIT_HOME its environments are built in)."""
    if not IN_CI:  # under CI a missing pre-commit fails the import below instead
        pytest.importorskip(
            "pre_commit", reason="the pre-commit tool is not installed (outside CI; pip install -e '.[test]')"
        )
    import pre_commit  # noqa: F401

    root = tmp_path_factory.mktemp("hooks")
    return root / "source", committed_copy(root / "source"), root / "pre-commit-home"


@pytest.fixture
def repo(hook_source, tmp_path) -> Path:
    source, sha, _ = hook_source
    repo = user_repository(tmp_path / "list")
    config = {"repos": [{"repo": str(source), "rev": sha, "hooks": [{"id": hook} for hook in HOOKS]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    subprocess.run(["git", "add", ".pre-commit-config.yaml"], cwd=repo, check=True)
    return repo


def pre_commit(repo: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never")
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )


def outcome(run: subprocess.CompletedProcess, name: str) -> str:
    """'Passed', 'Failed' or 'Skipped' from the hook's status line (``name.....Passed``)."""
    line = next(line for line in run.stdout.splitlines() if line.startswith(name + "."))
    return line.rsplit(".", 1)[1].removeprefix("(no files to check)")


def test_the_hooks_are_declared_as_documented():
    hooks = {hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert sorted(hooks) == sorted(HOOKS)
    for hook in hooks.values():
        assert (hook["language"], hook["pass_filenames"]) == ("python", False), hook["id"]
    assert hooks["syndata-check"]["entry"] == "syndata-export check"
    assert hooks["syndata-list-check"]["entry"] == "syndata-export list --check -o README.md"


@pytest.mark.installs
def test_the_check_hook_passes_on_a_good_catalogue(repo, hook_source):
    run = pre_commit(repo, hook_source[2], "syndata-check", "--all-files")
    assert run.returncode == 0, run.stdout + run.stderr
    assert outcome(run, "syndata-export check") == "Passed"


@pytest.mark.installs
def test_a_broken_catalogue_fails_the_commit_at_the_line_of_the_mistake(repo, hook_source):
    where = break_catalogue(repo)
    run = pre_commit(repo, hook_source[2], "--all-files")
    assert run.returncode == 1, run.stdout + run.stderr
    assert outcome(run, "syndata-export check") == "Failed"
    assert f"{where}: tan2024large: date: '2024-13-45' is not a date on the calendar" in run.stdout, run.stdout


@pytest.mark.installs
def test_the_check_hook_runs_only_when_the_catalogue_changes(repo, hook_source):
    break_catalogue(repo)
    other = pre_commit(repo, hook_source[2], "syndata-check", "--files", "README.md")
    assert (other.returncode, outcome(other, "syndata-export check")) == (0, "Skipped"), other.stdout
    own = pre_commit(repo, hook_source[2], "syndata-check", "--files", "catalogue.yaml")
    assert (own.returncode, outcome(own, "syndata-export check")) == (1, "Failed"), own.stdout


@pytest.mark.installs
def test_both_hooks_pass_on_a_list_in_step(repo, hook_source):
    run = pre_commit(repo, hook_source[2], "--all-files")
    assert run.returncode == 0, run.stdout + run.stderr
    assert [outcome(run, "syndata-export check"), outcome(run, "syndata-export list --check")] == ["Passed"] * 2


@pytest.mark.installs
def test_an_edited_readme_fails_with_a_diff_and_is_left_alone(repo, hook_source):
    readme = repo / "README.md"
    edited = readme.read_text(encoding="utf-8") + "\nA line written by hand.\n"
    readme.write_text(edited, encoding="utf-8")
    run = pre_commit(repo, hook_source[2], "syndata-list-check", "--files", "README.md")
    assert run.returncode == 1, run.stdout + run.stderr
    assert outcome(run, "syndata-export list --check") == "Failed"
    assert "A line written by hand." in run.stdout, run.stdout
    assert readme.read_text(encoding="utf-8") == edited, "the hook never writes"
