"""``check --since REV``: the keys of the catalogue at a git revision, checked against a real repository."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_cli

HEAD = "sections: [Only]\npapers:\n"
PAPER = """\
  - key: {key}
    section: Only
    type: article
    title: {title}
    authors: ["Tan, Zhen"]
    date: 2024
    arxiv: "{arxiv}"
"""
TAN = {"key": "tan2024large", "title": "Large language models for annotation", "arxiv": "2402.13446"}
WU = {"key": "wu2024unigen", "title": "UniGen", "arxiv": "2406.18966"}
NEW = {"key": "new2025paper", "title": "A new paper", "arxiv": "2501.00001"}


def catalogue(*papers: dict, aliases: dict | None = None) -> str:
    text = HEAD
    for paper in papers:
        text += PAPER.format(**paper)
        if aliases and paper["key"] in aliases:
            text += f"    aliases: [{aliases[paper['key']]}]\n"
    return text


def git(repo: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t"}
    env |= {"GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin", "HOME": str(repo)}
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def commit(repo: Path, text: str, path: str = "catalogue.yaml") -> None:
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "edit")


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "list"
    root.mkdir()
    git(root, "init", "-q")
    commit(root, "# before the list had a catalogue\n", "README.md")
    commit(root, catalogue(TAN, WU))
    return root


def check(repo: Path, rev: str = "HEAD", cwd: Path | None = None) -> tuple[int, str]:
    result = run_cli("check", "--since", rev, cwd=cwd or repo)
    assert result.stdout == ""
    return result.returncode, result.stderr


def test_keys_kept_pass_and_are_counted(repo):
    (repo / "catalogue.yaml").write_text(catalogue(TAN, WU, NEW))
    assert check(repo) == (0, "catalogue.yaml: 3 papers in 1 section; 2 keys of HEAD kept, no problems\n")


def test_a_renamed_key_is_an_error_on_the_papers_key_line_with_the_alias_to_declare(repo):
    (repo / "catalogue.yaml").write_text(catalogue(TAN, {**WU, "key": "wu2024datagen"}))
    code, said = check(repo)
    assert code == 1
    assert said.splitlines() == [
        "catalogue.yaml:10:10: wu2024datagen: this paper was 'wu2024unigen' at HEAD; that key is gone"
        " (put the key back, or keep the old one working: aliases: [wu2024unigen])",
        "syndata-export: 1 problem in the catalogue; nothing written",
    ]


def test_a_declared_alias_keeps_the_old_key(repo):
    (repo / "catalogue.yaml").write_text(
        catalogue(TAN, {**WU, "key": "wu2024datagen"}, aliases={"wu2024datagen": "wu2024unigen"})
    )
    assert check(repo)[0] == 0
    commit(repo, (repo / "catalogue.yaml").read_text())
    (repo / "catalogue.yaml").write_text(catalogue(TAN, {**WU, "key": "wu2024datagen"}))
    code, said = check(repo)  # the alias is published now: dropping it breaks the old key again
    assert code == 1 and "this paper was 'wu2024unigen' at HEAD" in said


def test_a_key_that_changed_case_is_named_as_such(repo):
    (repo / "catalogue.yaml").write_text(catalogue(TAN, {**WU, "key": "Wu2024unigen"}))
    code, said = check(repo)
    assert code == 1
    assert "(biber compares keys with their case: put 'wu2024unigen' back as it was)" in said


def test_a_key_given_to_another_paper_is_an_error_naming_the_paper_it_was(repo):
    (repo / "catalogue.yaml").write_text(catalogue(TAN, {**WU, "title": "Something else", "arxiv": "2501.00001"}))
    code, said = check(repo)
    assert code == 1
    assert said.splitlines()[0] == (
        "catalogue.yaml:10:10: wu2024unigen: key 'wu2024unigen' named another paper at HEAD"
        " (HEAD:catalogue.yaml:10: 'UniGen') (a key never changes meaning: give this paper a key of its own)"
    )


def test_a_paper_removed_with_its_key_names_the_line_at_the_revision(repo):
    (repo / "catalogue.yaml").write_text(catalogue(WU))
    code, said = check(repo)
    assert code == 1
    assert said.splitlines()[0] == (
        "catalogue.yaml: tan2024large: key 'tan2024large' of HEAD is gone with its paper"
        " (HEAD:catalogue.yaml:3: 'Large language models for annotation') (published keys stay: put the paper back)"
    )


def test_a_paper_renamed_and_retitled_is_still_found_by_its_arxiv_id(repo):
    (repo / "catalogue.yaml").write_text(catalogue(TAN, {**WU, "key": "huang2025datagen", "title": "DataGen"}))
    code, said = check(repo)
    assert code == 1 and said.startswith("catalogue.yaml:10:10: huang2025datagen: this paper was 'wu2024unigen'")


def test_the_catalogue_absent_at_the_revision_is_nothing_to_compare(repo):
    code, said = check(repo, "HEAD~1")
    assert (code, said) == (
        0,
        "catalogue.yaml: 2 papers in 1 section; no catalogue at HEAD~1, no keys to compare, no problems\n",
    )


def test_the_all_zero_id_of_a_new_branch_is_nothing_to_compare(repo):
    assert check(repo, "0" * 40)[0] == 0


def test_the_catalogue_in_a_subfolder_is_looked_up_at_its_own_path(repo):
    commit(repo, catalogue(TAN), "list/catalogue.yaml")
    (repo / "list" / "catalogue.yaml").write_text(catalogue(WU))
    code, said = check(repo, cwd=repo / "list")
    assert code == 1 and "(HEAD:list/catalogue.yaml:3: 'Large language models for annotation')" in said


@pytest.mark.parametrize(
    ("rev", "expected"),
    [
        pytest.param(
            "nosuchbranch",
            "error: --since nosuchbranch: unknown revision (it is not in this clone) (check its spelling)\n",
            id="unknown_revision",
        ),
        pytest.param("HEAD~5", "unknown revision", id="before_the_first_commit"),
        pytest.param(
            "--all",
            "error: --since '--all' is not a git revision (e.g. --since HEAD~1 or --since origin/main)\n",
            id="an_option_is_no_revision",
        ),
    ],
)
def test_a_revision_that_is_not_there_is_a_usage_error(repo, rev, expected):
    result = run_cli("check", f"--since={rev}", cwd=repo)
    assert result.returncode == 2 and expected in result.stderr


def test_outside_a_git_repository_it_says_so(tmp_path):
    (tmp_path / "catalogue.yaml").write_text(catalogue(TAN))
    code, said = check(tmp_path)
    assert code == 2
    assert said == (
        f"syndata-export: error: --since: {tmp_path} is not in a git repository"
        " (run it in a clone of the list, or leave out --since)\n"
    )


def test_a_shallow_clone_checks_what_it_holds_and_says_how_to_fetch_the_rest(repo, tmp_path):
    commit(repo, catalogue(TAN, WU, NEW))
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    assert check(clone) == (0, "catalogue.yaml: 3 papers in 1 section; 3 keys of HEAD kept, no problems\n")
    code, said = check(clone, "HEAD~1")
    assert code == 2
    assert said == (
        "syndata-export: error: --since HEAD~1: unknown revision (this shallow clone does not hold it)"
        " (fetch more history: git fetch --deepen=50 (or --unshallow))\n"
    )


def test_an_unreadable_catalogue_at_the_revision_is_named_by_revision(repo):
    commit(repo, "papers: [\n")
    (repo / "catalogue.yaml").write_text(catalogue(TAN))
    code, said = check(repo)
    assert code == 1 and said.startswith("HEAD:catalogue.yaml:2:1: YAML syntax error")
