"""Problems where people look: ``file:line:col: message``, GitHub's annotations, GitLab's Code Quality report.

One :class:`~syndata_export.errors.Problem` list in, text out; the CLI chooses the stream. GitHub
reads workflow commands from a step's output and shows each on the pull request's line; GitLab reads
a Code Quality report (a JSON artifact) and shows it in the merge request. Both follow the published
formats: GitHub's "workflow commands" (``::error file=…,line=…,col=…,title=…::message``, with its
escapes) and GitLab's Code Quality subset of the Code Climate issue.
"""

from __future__ import annotations

import hashlib
import json

from syndata_export.errors import Problem

FORMATS = ("default", "github", "gitlab")
CHECK_NAME = "syndata-export/catalogue"  # GitLab's rule name for a problem that has no code of its own


def github(problems: list[Problem]) -> str:
    """One ``::error`` workflow command per problem; a problem without a line annotates its file."""
    lines = []
    for p in problems:
        where = {"file": p.path}
        if p.line:
            where |= {"line": str(p.line), "col": str(p.col)}
        where["title"] = f"syndata-export: {p.label}" if p.label else "syndata-export"  # the paper's key
        properties = ",".join(f"{name}={_escape(value, ':,')}" for name, value in where.items())
        lines.append(f"::error {properties}::{_escape(_message(p, label=False))}\n")
    return "".join(lines)


def gitlab(problems: list[Problem]) -> str:
    """The Code Quality report: a JSON array, one issue per problem, ``[]`` when there are none.

    A fingerprint leaves the line out, so an issue keeps its identity when lines above it move;
    GitLab shows one issue per fingerprint, so a repeat of the same problem has its ordinal in it.
    """
    issues: list[dict] = []
    seen: dict[str, int] = {}
    for p in problems:
        check = f"syndata-export/{p.code}" if p.code else CHECK_NAME
        identity = "\0".join((p.path, check, p.label, p.message, p.hint))
        seen[identity] = seen.get(identity, 0) + 1
        fingerprint = hashlib.sha256(f"{identity}\0{seen[identity]}".encode()).hexdigest()
        issues.append(
            {
                "description": _message(p),
                "check_name": check,
                "fingerprint": fingerprint,
                "severity": "major",
                "location": {"path": p.path, "lines": {"begin": max(p.line, 1)}},
            }
        )
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


def _message(p: Problem, label: bool = True) -> str:
    """What is wrong and the hint; the label (a paper's key) first unless a title carries it."""
    prefix = f"{p.label}: " if p.label and label else ""
    hint = f" ({p.hint})" if p.hint else ""
    return f"{prefix}{p.message}{hint}"


FORMATTERS = {"github": github, "gitlab": gitlab}  # "default" is Problem's own str, on stderr


def _escape(text: str, also: str = "") -> str:
    """GitHub's escapes: ``%``, CR and LF in a message; ``:`` and ``,`` too in a property."""
    table = {"%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"}
    return "".join(table[c] if c in "%\r\n" + also else c for c in text)
