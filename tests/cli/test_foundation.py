"""The console script: exit codes, data on stdout only, atomic -o, bad files handled without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO, run_cli

CATALOGUE = REPO / "catalogue.yaml"


def test_check_passes_on_the_catalogue():
    result = run_cli("check", "--catalogue", str(CATALOGUE))
    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr.strip().endswith("14 papers in 3 sections, no problems")


def test_csl_json_prints_only_data():
    result = run_cli("csl-json", "--catalogue", str(CATALOGUE))
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert len(items) == 14 and result.stdout.endswith("]\n")
    assert result.stdout == json.dumps(items, indent=2, ensure_ascii=False, sort_keys=True) + "\n", "plain JSON layout"
    assert result.stdout == run_cli("csl-json", "--catalogue", str(CATALOGUE)).stdout, "byte-identical reruns"


def test_catalogue_is_found_in_the_working_directory_then_installed(tmp_path):
    assert json.loads(run_cli("csl-json", cwd=tmp_path).stdout)[0]["id"] == "tan2024large", "installed copy"
    (tmp_path / "catalogue.yaml").write_text(CATALOGUE.read_text().replace("key: tan2024large", "key: tan2024x"))
    assert json.loads(run_cli("csl-json", cwd=tmp_path).stdout)[0]["id"] == "tan2024x", "./catalogue.yaml first"


def test_python_dash_m_works():
    result = subprocess.run(
        [sys.executable, "-m", "syndata_export", "check", "--catalogue", str(CATALOGUE)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def bomb() -> bytes:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]" for i in range(8)]
    return ("\n".join(lines) + "\n").encode()


BAD_FILES = [
    pytest.param(None, "no such file", id="missing"),
    pytest.param(b"", "the file is empty", id="empty"),
    pytest.param(b"   \n# only a comment\n", "the file holds no YAML document", id="only_comment"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file", id="binary"),
    pytest.param("title: caf\u00e9\n".encode("latin-1"), "cat.yaml:1:11: invalid UTF-8 (byte 0xe9)", id="latin1"),
    pytest.param(bomb(), "cat.yaml:1:4: YAML anchors and aliases", id="yaml_bomb"),
    pytest.param(b"papers: [\n", "cat.yaml:2:1: YAML syntax error", id="yaml_syntax"),
    pytest.param(b"- just\n- a list\n", "the catalogue must be a mapping", id="not_a_mapping"),
]


@pytest.mark.parametrize(("content", "message"), BAD_FILES)
@pytest.mark.parametrize("command", ["check", "csl-json", "bibtex"])
def test_bad_catalogue_files_are_clear_errors(tmp_path, content, message, command):
    path = tmp_path / "cat.yaml"
    if content is not None:
        path.write_bytes(content)
    out = tmp_path / "out.json"
    out.write_text("keep me")
    args = [command, "--catalogue", "cat.yaml"] + (["-o", str(out)] if command != "check" else [])
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert out.read_text() == "keep me", "-o leaves an existing file untouched"


def test_oversized_file_is_refused(tmp_path):
    path = tmp_path / "big.yaml"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = run_cli("check", "--catalogue", str(path))
    assert result.returncode == 1
    assert "50 MiB, over the 32 MiB limit" in result.stderr


def test_directory_is_refused(tmp_path):
    result = run_cli("check", "--catalogue", str(tmp_path))
    assert result.returncode == 1 and "is a directory" in result.stderr


def test_unreadable_file_is_a_clear_error(monkeypatch, capsys):
    """Root reads any file, so permission denial is simulated in-process."""
    from pathlib import Path

    from syndata_export.cli import main

    def denied(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", denied)
    assert main(["check", "--catalogue", str(CATALOGUE)]) == 1
    assert "permission denied" in capsys.readouterr().err


def test_invalid_catalogue_writes_nothing_and_exits_1(tmp_path):
    broken = tmp_path / "cat.yaml"
    broken.write_text(CATALOGUE.read_text().replace("date: 2024-08-29", "date: 2024-08-32"))
    out = tmp_path / "refs.json"
    result = run_cli("csl-json", "--catalogue", str(broken), "-o", str(out))
    assert result.returncode == 1
    assert f"{broken}:370:11: bansal2024smaller: date: '2024-08-32' is not a date on the calendar" in result.stderr
    assert result.stderr.strip().endswith("1 problem in the catalogue; nothing written")
    assert not out.exists()


def test_output_file_is_written_whole(tmp_path):
    out = tmp_path / "refs.json"
    out.write_text("old")
    result = run_cli("csl-json", "--catalogue", str(CATALOGUE), "-o", str(out))
    assert result.returncode == 0 and result.stdout == ""
    assert len(json.loads(out.read_text())) == 14
    assert [p.name for p in tmp_path.iterdir()] == ["refs.json"], "no temporary file left behind"


def test_output_into_missing_directory_is_a_clear_error(tmp_path):
    result = run_cli("csl-json", "--catalogue", str(CATALOGUE), "-o", str(tmp_path / "no" / "refs.json"))
    assert result.returncode == 1 and "cannot write" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["csl-json", "--prefer", "newest"], id="bad_prefer_choice"),
        pytest.param(["csl-json", "--section", "Nope"], id="unknown_section"),
        pytest.param(["frobnicate"], id="unknown_command"),
    ],
)
def test_usage_errors_exit_2(args):
    result = run_cli(*args, "--catalogue", str(CATALOGUE))
    assert result.returncode == 2, result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr


def test_every_command_has_help_and_is_in_the_readme():
    from syndata_export.cli import COMMANDS

    readme = (REPO / "README.md").read_text()
    for name in COMMANDS:
        result = run_cli(name, "--help")
        assert result.returncode == 0 and "usage: syndata-export" in result.stdout, name
        assert f"syndata-export {name}" in readme or name == "render", f"README has no example of {name}"
