"""catalogue.find: --catalogue, else the nearest catalogue.yaml up to the repository root, else the installed copy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from syndata_export import catalogue
from tests.conftest import REPO, run_cli

TEXT = (REPO / "catalogue.yaml").read_text(encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A checkout: .git at the top, the catalogue there, a subfolder to work in."""
    (tmp_path / "checkout" / ".git").mkdir(parents=True)
    (tmp_path / "checkout" / "docs" / "deep").mkdir(parents=True)
    (tmp_path / "checkout" / "catalogue.yaml").write_text(TEXT.replace("key: tan2024large", "key: tan2024mine"))
    return tmp_path / "checkout"


def test_explicit_path_wins(repo):
    assert catalogue.find("elsewhere.yaml", start=repo) == Path("elsewhere.yaml")


def test_the_current_folder_first(repo):
    assert catalogue.find(start=repo) == Path("catalogue.yaml")


def test_the_nearest_parent_up_to_the_repository_root(repo):
    assert catalogue.find(start=repo / "docs" / "deep") == Path("../../catalogue.yaml")
    (repo / "docs" / "catalogue.yaml").write_text(TEXT)
    assert catalogue.find(start=repo / "docs" / "deep") == Path("../catalogue.yaml"), "nearest first"


def test_never_above_the_repository_root(tmp_path, repo):
    (repo / "catalogue.yaml").unlink()
    (tmp_path / "catalogue.yaml").write_text(TEXT)  # beside the checkout, not in it
    assert catalogue.find(start=repo / "docs") == catalogue.INSTALLED


def test_outside_a_repository_only_the_current_folder(tmp_path):
    (tmp_path / "catalogue.yaml").write_text(TEXT)
    (tmp_path / "sub").mkdir()
    assert catalogue.find(start=tmp_path / "sub") == catalogue.INSTALLED
    assert catalogue.find(start=tmp_path) == Path("catalogue.yaml")


def test_a_command_in_a_subfolder_reads_the_checkouts_catalogue(repo):
    result = run_cli("csl-json", cwd=repo / "docs" / "deep")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["id"] == "tan2024mine"
    assert result.stderr == "", "no note when the checkout's catalogue is used"


def test_the_installed_copy_is_announced_on_stderr(tmp_path):
    result = run_cli("csl-json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["id"] == "tan2024large"
    assert "using the copy installed with the package" in result.stderr
    assert "syndata_export/data/catalogue.yaml)" in result.stderr.replace("\\", "/"), "names the file"


def test_problems_name_the_file_as_found(repo):
    (repo / "catalogue.yaml").write_text(TEXT.replace("date: 2024-08-29", "date: 2024-08-32"))
    result = run_cli("check", cwd=repo / "docs")
    assert result.returncode == 1
    assert result.stderr.startswith("../catalogue.yaml:"), result.stderr
