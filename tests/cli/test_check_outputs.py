"""--check on every command that writes a file: the file the catalogue generates passes (exit 0),
a hand edit or a missing file fails (exit 1) with a unified diff and the line of the first
difference, and nothing is ever written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli

CAT = ("--catalogue", str(REPO / "catalogue.yaml"))
# each writer as a user types it; render is the default command, named by its options alone
WRITERS = {
    "list": ("list",),
    "bibtex": ("bibtex",),
    "csl-json": ("csl-json",),
    "render": ("--style", "acl"),
}


def untouched(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in ``folder``: its bytes and its modification time, to the nanosecond."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def readme(tmp_path_factory) -> Path:
    """A README.md as `list -o` writes it, in a folder of its own."""
    path = tmp_path_factory.mktemp("generated") / "README.md"
    assert run_cli("list", *CAT, "-o", str(path)).returncode == 0
    return path


def test_the_generated_readme_passes_and_stays_as_it_is(readme):
    before = untouched(readme.parent)
    result = run_cli("list", *CAT, "--check", "-o", str(readme))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert untouched(readme.parent) == before


def test_a_readme_edited_by_hand_fails_with_a_diff_and_is_not_rewritten(tmp_path, readme):
    lines = readme.read_text().splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("### Survey Papers"))
    lines[number - 1] = "### Surveys\n"
    edited = tmp_path / "README.md"
    edited.write_text("".join(lines))
    before = untouched(tmp_path)
    result = run_cli("list", *CAT, "--check", "-o", "README.md", cwd=tmp_path)
    assert result.returncode == 1
    diff = result.stdout.splitlines()
    assert diff[:2] == ["--- README.md (on disk)", "+++ README.md (from the catalogue)"]
    assert [line for line in diff if line[:1] in "+-" and line[:3] not in ("---", "+++")] == [
        "-### Surveys",
        "+### Survey Papers",
    ]
    message = f"README.md:{number}:11: differs from what the catalogue generates "
    assert result.stderr == message + "(run the command without --check to write it)\n"
    assert untouched(tmp_path) == before, "--check never writes, nor leaves a temporary file"


def test_a_missing_file_fails_and_is_not_created(tmp_path):
    result = run_cli("list", *CAT, "--check", "-o", "README.md", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("--- README.md (missing)\n+++ README.md (from the catalogue)\n@@ -0,0 +1,")
    assert result.stderr.startswith("README.md: missing: the catalogue generates it")
    assert list(tmp_path.iterdir()) == []


def test_a_file_cut_short_of_its_last_newline_is_a_difference_diff_can_show(tmp_path, readme):
    cut = tmp_path / "README.md"
    cut.write_bytes(readme.read_bytes().rstrip(b"\n"))
    result = run_cli("list", *CAT, "--check", "-o", str(cut))
    assert result.returncode == 1
    assert "\\ No newline at end of file\n" in result.stdout


@pytest.mark.parametrize("writer", WRITERS)
def test_every_writer_checks_what_it_would_write(tmp_path, writer):
    out = tmp_path / "out"
    assert run_cli(*WRITERS[writer], *CAT, "-o", str(out)).returncode == 0
    before = untouched(tmp_path)
    assert run_cli(*WRITERS[writer], *CAT, "--check", "-o", str(out)).returncode == 0
    out.write_bytes(out.read_bytes() + b"a line of our own\n")
    edited = untouched(tmp_path)
    result = run_cli(*WRITERS[writer], *CAT, "--check", "-o", str(out), "--error-format", "github")
    assert result.returncode == 1
    assert "\n-a line of our own\n" in result.stdout
    last = len(out.read_text().splitlines())
    annotation = f"::error file={str(out).replace(':', '%3A')},line={last},col=1,title=syndata-export::differs"
    assert result.stdout.splitlines()[-1].startswith(annotation)
    assert untouched(tmp_path) == edited and edited != before


@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("output", [None, "-"])
def test_check_without_a_file_is_a_usage_error(writer, output):
    result = run_cli(*WRITERS[writer], *CAT, "--check", *(("-o", output) if output else ()))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines()[-1].endswith("error: --check compares with a file: name it with -o FILE")


def test_gitlab_takes_stdout_for_its_report_and_the_diff_goes_to_stderr(tmp_path):
    result = run_cli("list", *CAT, "--check", "-o", "README.md", "--error-format", "gitlab", cwd=tmp_path)
    assert result.returncode == 1
    (issue,) = json.loads(result.stdout)
    assert issue["location"] == {"path": "README.md", "lines": {"begin": 1}}
    assert issue["check_name"] == "syndata-export/out-of-date"
    assert result.stderr.startswith("--- README.md (missing)\n")
    again = run_cli("list", *CAT, "--check", "-o", "README.md", "--error-format", "gitlab", cwd=tmp_path)
    assert json.loads(again.stdout) == [issue], "the same drift, the same fingerprint"


def test_a_folder_cannot_be_checked(tmp_path):
    result = run_cli("bibtex", *CAT, "--check", "-o", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr == f"syndata-export: error: cannot check {tmp_path}: it is a folder (name a file in it)\n"


def test_an_invalid_catalogue_is_annotated_under_check_too(tmp_path):
    (tmp_path / "cat.yaml").write_text("sections: [Only]\npapers:\n  - key: a\n")
    (tmp_path / "refs.bib").write_text("")
    before = untouched(tmp_path)
    result = run_cli(
        "bibtex", "--catalogue", "cat.yaml", "--check", "-o", "refs.bib", "--error-format", "github", cwd=tmp_path
    )
    assert result.returncode == 1
    assert result.stdout.startswith("::error file=cat.yaml,line=3,")
    assert untouched(tmp_path) == before
