"""action.yml, read as GitHub reads it, and its steps run as a runner runs them: bash, the step's env, the
action's folder in GITHUB_ACTION_PATH, the list's repository as the working directory.

Only the `actions/setup-python` step is left out (it runs on GitHub alone); a fresh virtual environment
first on PATH stands in for it, and the install step really installs the package into it (20-60 s).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.ci.support import IGNORE, break_catalogue, user_repository
from tests.conftest import REPO

ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
STEPS = ACTION["runs"]["steps"]
# steps that need GitHub itself, and why leaving them out changes nothing the test checks
GITHUB_ONLY = {"Set up Python": "actions/setup-python runs on GitHub only; the test's virtual environment stands in"}
ANNOTATION = re.compile(r"^::error ([^:]*)::(.*)$", re.M)  # a workflow command: ::error k=v,…::message
EXPRESSION = re.compile(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}")


def test_the_action_is_composite_with_documented_inputs():
    assert ACTION["runs"]["using"] == "composite"
    assert sorted(ACTION["inputs"]) == ["catalogue", "python-version", "readme"]
    for name, spec in ACTION["inputs"].items():
        assert spec["description"] and spec["required"] is False and "default" in spec, name
    assert {step["name"] for step in STEPS if "run" not in step} == set(GITHUB_ONLY)


def test_inputs_reach_the_scripts_through_env_only():
    """A path spliced into a script by ${{ }} could run as a command; through env it stays a value."""
    for step in STEPS:
        if "run" in step:
            assert step["shell"] == "bash", step["name"]
            assert "${{" not in step["run"], f"{step['name']}: an expression inside the script"


def test_every_check_reports_on_the_pull_requests_lines():
    checks = [step["run"] for step in STEPS if "syndata-export" in step.get("run", "")]
    assert len(checks) == 2 and all("--error-format github" in run for run in checks), checks


# ---------------------------------------------------------------- running the steps


def step_env(step: dict, inputs: dict[str, str]) -> dict[str, str]:
    values = {name: spec["default"] for name, spec in ACTION["inputs"].items()} | inputs
    env = {}
    for name, value in step.get("env", {}).items():
        expanded = EXPRESSION.sub(lambda m: values[m.group(1)], str(value))
        assert "${{" not in expanded, f"{step['name']}: {name} uses a context the test does not know"
        env[name] = expanded
    return env


def run_step(step: dict, cwd: Path, base: dict[str, str], inputs: dict[str, str]) -> subprocess.CompletedProcess:
    """As a runner runs a composite action's `shell: bash` step."""
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=cwd,
        env=base | {"GITHUB_WORKSPACE": str(cwd)} | step_env(step, inputs),
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def runner(tmp_path_factory) -> dict[str, str]:
    """The environment after the steps before the checks: Python set up (a stand-in), the package installed."""
    root = tmp_path_factory.mktemp("action")
    action = root / "action"
    shutil.copytree(REPO, action, symlinks=True, ignore=IGNORE)
    subprocess.run([sys.executable, "-m", "venv", str(root / "venv")], check=True)
    path = f"{root / 'venv' / 'bin'}{os.pathsep}{os.environ['PATH']}"
    base = {k: v for k, v in os.environ.items() if not k.startswith("VIRTUAL_ENV")}
    base |= {"PATH": path, "GITHUB_ACTION_PATH": str(action)}
    install = next(step for step in STEPS if step["name"] == "Install syndata-export")
    done = run_step(install, root, base, {})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert (root / "venv" / "bin" / "syndata-export").is_file(), "the install step installed no syndata-export"
    return base


def run_checks(runner, cwd: Path, **inputs: str) -> list[subprocess.CompletedProcess]:
    """The check steps in order, stopping at the first that fails (a composite action's default)."""
    runs = []
    for step in STEPS[STEPS.index(next(s for s in STEPS if s["name"] == "Install syndata-export")) + 1 :]:
        runs.append(run_step(step, cwd, runner, inputs))
        if runs[-1].returncode:
            break
    return runs


@pytest.mark.installs
def test_the_checks_pass_on_a_list_in_step(runner, tmp_path):
    runs = run_checks(runner, user_repository(tmp_path / "list"))
    assert [run.returncode for run in runs] == [0, 0], [run.stdout + run.stderr for run in runs]


@pytest.mark.installs
def test_the_inputs_name_the_files(runner, tmp_path):
    repo = user_repository(tmp_path / "list")
    (repo / "lists").mkdir()
    (repo / "catalogue.yaml").rename(repo / "lists" / "papers.yaml")
    (repo / "README.md").rename(repo / "lists" / "PAPERS.md")
    runs = run_checks(runner, repo, catalogue="lists/papers.yaml", readme="lists/PAPERS.md")
    assert [run.returncode for run in runs] == [0, 0], [run.stdout + run.stderr for run in runs]
    (repo / "lists" / "PAPERS.md").write_text("# Not the list\n", encoding="utf-8")
    runs = run_checks(runner, repo, catalogue="lists/papers.yaml", readme="lists/PAPERS.md")
    assert [run.returncode for run in runs] == [0, 1], [run.stdout + run.stderr for run in runs]
    assert (repo / "lists" / "PAPERS.md").read_text(encoding="utf-8") == "# Not the list\n", "a check never writes"


@pytest.mark.installs
def test_a_broken_catalogue_is_annotated_on_its_line(runner, tmp_path):
    repo = user_repository(tmp_path / "list")
    _, line, col = break_catalogue(repo).split(":")
    runs = run_checks(runner, repo)
    assert [run.returncode for run in runs] == [1], "the README step does not run after a failed check"
    printed = runs[0].stdout + runs[0].stderr
    annotations = [
        dict(p.split("=", 1) for p in m[0].split(",")) | {"message": m[1]} for m in ANNOTATION.findall(printed)
    ]
    assert any(
        (a.get("file"), a.get("line"), a.get("col")) == ("catalogue.yaml", line, col) and "2024-13-45" in a["message"]
        for a in annotations
    ), printed
