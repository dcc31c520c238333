"""--error-format: GitHub's workflow commands escaped as GitHub reads them, GitLab's Code Quality
report by shape, with fingerprints that stay put; both from ``check`` on a real catalogue too."""

from __future__ import annotations

import json
import re
import urllib.parse

from syndata_export.cli import _report
from syndata_export.errors import Problem
from tests.conftest import run_cli

TRICKY = Problem("dir,a:b/cat.yaml", 12, 5, "key:1,2", "50% off\r\nnext line: a, b", "hint: 100%")

INVALID = """\
sections: [Only]
papers:
  - key: paper1
    section: Only
    type: article
    title: Paper 1
    authors: ["Tan, Zhen"]
    date: 2024
    arxiv: "2402.00001"
    venue: x
  - key: paper2
    section: Nowhere
    type: article
    title: Paper 2
    authors: ["Tan, Zhen"]
    date: 2024
    arxiv: "2402.00002"
"""


def unescape(text: str) -> str:
    """As the runner reads a value back: every escape is a %XX of the character."""
    return urllib.parse.unquote(text)


def test_github_escapes_the_message_and_the_properties_as_its_runner_reads_them():
    (line,) = _report.github([TRICKY]).splitlines()
    command = re.fullmatch(r"::error (?P<properties>[^:]*)::(?P<message>[^\r\n]*)", line)
    assert command, line
    message = command["message"]
    assert message == "50%25 off%0D%0Anext line: a, b (hint: 100%25)"
    assert unescape(message) == "50% off\r\nnext line: a, b (hint: 100%)"
    pairs = [pair.split("=", 1) for pair in command["properties"].split(",")]
    assert {name: unescape(value) for name, value in pairs} == {
        "file": "dir,a:b/cat.yaml",
        "line": "12",
        "col": "5",
        "title": "syndata-export: key:1,2",
    }


def test_github_annotates_the_file_alone_when_a_problem_has_no_line():
    problem = Problem("README.md", 0, 0, "", "missing: the catalogue generates it")
    expected = "::error file=README.md,title=syndata-export::missing: the catalogue generates it\n"
    assert _report.github([problem]) == expected, "a message keeps its ':', only properties escape it"


def test_gitlab_is_a_code_quality_report_with_one_issue_per_problem():
    problems = [TRICKY, Problem("README.md", 0, 0, "", "missing", code="out-of-date")]
    issues = json.loads(_report.gitlab(problems))
    fields = {"description", "check_name", "fingerprint", "severity", "location"}
    assert [set(issue) for issue in issues] == [fields, fields]
    assert issues[0]["description"] == "key:1,2: 50% off\r\nnext line: a, b (hint: 100%)"
    assert issues[0]["location"] == {"path": "dir,a:b/cat.yaml", "lines": {"begin": 12}}
    assert issues[1]["location"] == {"path": "README.md", "lines": {"begin": 1}}, "GitLab needs a line: the first"
    assert [i["check_name"] for i in issues] == ["syndata-export/catalogue", "syndata-export/out-of-date"]
    assert {i["severity"] for i in issues} == {"major"}
    assert all(re.fullmatch(r"[0-9a-f]{64}", i["fingerprint"]) for i in issues)


def test_gitlab_fingerprints_ignore_the_line_and_tell_repeats_apart():
    moved = Problem(TRICKY.path, 40, 1, TRICKY.label, TRICKY.message, TRICKY.hint)
    once, after_a_move = json.loads(_report.gitlab([TRICKY])), json.loads(_report.gitlab([moved]))
    assert once[0]["fingerprint"] == after_a_move[0]["fingerprint"]
    twice = json.loads(_report.gitlab([TRICKY, moved]))
    assert twice[0]["fingerprint"] == once[0]["fingerprint"] != twice[1]["fingerprint"]


def test_gitlab_with_no_problems_is_an_empty_report():
    assert json.loads(_report.gitlab([])) == []


def test_check_annotates_each_problem_on_its_line_for_github(tmp_path):
    (tmp_path / "cat.yaml").write_text(INVALID)
    result = run_cli("check", "--catalogue", "cat.yaml", "--error-format", "github", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and all(line.startswith("::error file=cat.yaml,") for line in lines), lines
    assert lines[0].startswith("::error file=cat.yaml,line=10,col=5,title=syndata-export%3A paper1::unknown field")
    assert lines[1].startswith("::error file=cat.yaml,line=12,col=14,title=syndata-export%3A paper2::")
    assert result.stderr == "syndata-export: 2 problems in the catalogue; nothing written\n"


def test_check_writes_a_gitlab_report_whose_fingerprints_are_stable_across_runs(tmp_path):
    (tmp_path / "cat.yaml").write_text(INVALID)
    runs = [run_cli("check", "--catalogue", "cat.yaml", "--error-format", "gitlab", cwd=tmp_path) for _ in range(2)]
    assert [r.returncode for r in runs] == [1, 1]
    first, second = (json.loads(r.stdout) for r in runs)
    assert first == second
    where = [(i["location"]["path"], i["location"]["lines"]["begin"]) for i in first]
    assert where == [("cat.yaml", 10), ("cat.yaml", 12)]
    assert first[0]["description"].startswith("paper1: unknown field 'venue'")
    assert len({i["fingerprint"] for i in first}) == 2


def test_a_valid_catalogue_gives_an_empty_gitlab_report_and_no_github_annotation(tmp_path):
    (tmp_path / "cat.yaml").write_text(INVALID.split("    venue: x\n")[0] + "\n")
    gitlab = run_cli("check", "--catalogue", "cat.yaml", "--error-format", "gitlab", cwd=tmp_path)
    github = run_cli("check", "--catalogue", "cat.yaml", "--error-format", "github", cwd=tmp_path)
    assert (gitlab.returncode, json.loads(gitlab.stdout)) == (0, [])
    assert (github.returncode, github.stdout) == (0, "")
    assert github.stderr == "cat.yaml: 1 paper in 1 section, no problems\n"


def test_the_default_format_is_unchanged(tmp_path):
    (tmp_path / "cat.yaml").write_text(INVALID)
    result = run_cli("check", "--catalogue", "cat.yaml", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines()[0].startswith("cat.yaml:10:5: paper1: unknown field 'venue' in a paper")
