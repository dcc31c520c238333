"""Every example in README.md and docs/*.md runs and prints what the page shows.

The format is described in docs/development.md ("Examples that run"): ```console blocks are
terminal sessions (``$ `` commands, then what they print, stdout and stderr together), a ```sh
block marked ``<!-- example: script -->`` runs whole and its ```output block follows, a block
marked ``<!-- example: file NAME -->`` is written to NAME first, ```python blocks run quietly, and
``...`` elides lines or text. One test per block, named ``page:line``; each runs with bash in a
fresh copy of the repository, this Python's ``bin`` first on PATH.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import IN_CI, REPO
from tests.docs.test_pages import PAGES

BIN = Path(sys.executable).parent
# info strings a page may use; only console, python and marked sh blocks run
LANGUAGES = {"console", "python", "sh", "output", "yaml", "latex", "markdown", "text"}
OPTIONAL_TOOLS = ("pdflatex", "bibtex", "biber", "curl")  # skip without them, outside CI
TOOL_CALL = re.compile(r"(?:^|[|;&(]|\$\()\s*(" + "|".join(OPTIONAL_TOOLS) + r")\b", re.M)
MARKER = re.compile(r"<!-- example: (script|file \S+) -->")
DEMO_PORT = "8085"
SECRETS = ("RWKEY0000000000000000000", "ROKEY0000000000000000000")  # the emulator's keys: never printed
IGNORE = shutil.ignore_patterns(".git", "__pycache__", "*.egg-info", ".venv", ".*_cache", ".hypothesis", "build")
STATUS = "\x1e"  # separates one command's output from the next in a console block's run


@dataclass(frozen=True)
class Block:
    """A fenced block of a page: where it starts, its info string, its text, the marker above it."""

    page: Path
    line: int  # of the opening fence, 1-based
    lang: str
    text: str
    marker: str = ""

    @property
    def id(self) -> str:
        return f"{self.page.relative_to(REPO)}:{self.line}"


def blocks(page: Path) -> list[Block]:
    """The page's fenced blocks. Our pages open fences at column 0 with ``` only, so a scan of a
    dozen lines reads them; a Markdown parser would add a dependency for nothing more."""
    found, lines = [], page.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("```"):
            start, lang = i, lines[i][3:].strip()
            end = next((j for j in range(i + 1, len(lines)) if lines[j] == "```"), None)
            assert end is not None, f"{page.name}:{i + 1}: unclosed fence"
            above = next((lines[j] for j in range(start - 1, -1, -1) if lines[j].strip()), "")
            marker = MARKER.fullmatch(above.strip())
            text = "\n".join(lines[start + 1 : end]) + "\n"
            found.append(Block(page, start + 1, lang, text, marker.group(1) if marker else ""))
            i = end
        i += 1
    return found


ALL = [block for page in PAGES for block in blocks(page)]


def examples() -> list[tuple[Block, Block | None]]:
    """(the block that runs, the block with its expected output or None)."""
    runs = []
    for n, block in enumerate(ALL):
        if block.lang == "console" or block.lang == "python":
            runs.append((block, None))
        elif block.marker == "script":
            following = ALL[n + 1] if n + 1 < len(ALL) else None
            assert following and following.page == block.page and following.lang == "output", (
                f"{block.id}: a script example is followed by its ```output block"
            )
            runs.append((block, following))
    return runs


EXAMPLES = examples()


# ---------------------------------------------------------------- matching


def normalised(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def pattern(expected: list[str]) -> re.Pattern[str]:
    """``...`` as a line: any lines; ``...`` in a line: any text; everything else literally."""
    parts = []
    for line in expected:
        if line == "...":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append(".*?".join(re.escape(piece) for piece in line.split("...")) + r"\n")
    return re.compile("".join(parts))


def assert_prints(actual: str, expected: str, where: str) -> None:
    got, want = normalised(actual), normalised(expected)
    if not pattern(want).fullmatch("".join(line + "\n" for line in got)):
        diff = "\n".join(difflib.unified_diff(want, got, "the page", "the run", lineterm="", n=2))
        pytest.fail(f"{where} prints something else than the page shows:\n{diff}", pytrace=False)


# ---------------------------------------------------------------- running


def console_steps(block: Block) -> list[tuple[str, str]]:
    """(command, expected output) pairs of a console block."""
    steps: list[tuple[str, list[str]]] = []
    continued = False
    for line in block.text.splitlines():
        if continued:
            steps[-1] = (steps[-1][0] + "\n" + line, steps[-1][1])
        elif line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            assert steps, f"{block.id}: output before the first command"
            steps[-1][1].append(line)
        continued = line.endswith("\\") and not steps[-1][1]
    return [(command, "\n".join(output)) for command, output in steps]


def free_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return str(sock.getsockname()[1])


def need_tools(commands: str) -> None:
    """Skip (outside CI) or fail (under CI) when the commands call a tool that is not installed."""
    missing = sorted({tool for tool in TOOL_CALL.findall(commands) if shutil.which(tool) is None})
    if missing:
        if IN_CI:
            pytest.fail(f"{', '.join(missing)} not installed (CI runs every example)")
        pytest.skip(f"{', '.join(missing)} not installed")


def checkout(tmp: Path, page: Path) -> Path:
    """A fresh copy of the repository, a repository root as a clone is, with the page's files in it."""
    copy = tmp / "repo"
    shutil.copytree(REPO, copy, symlinks=True, ignore=IGNORE)
    (copy / ".git").mkdir()  # catalogue discovery stops at the repository root
    for block in blocks(page):
        if block.marker.startswith("file "):
            (copy / block.marker.split(" ", 1)[1]).write_text(block.text, encoding="utf-8")
    return copy


def run(argv: list[str], cwd: Path, timeout: float = 300) -> tuple[int, str]:
    """Run ``argv`` with stdout and stderr in one stream, as a terminal shows them; anything it
    left in the background (the Zotero emulator) is stopped afterwards."""
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}", PYTHONUNBUFFERED="1", COLUMNS="80")
    env.update(PYTHONIOENCODING="utf-8", LC_ALL="C.UTF-8", TMPDIR=str(cwd.parent))  # mktemp stays in the test's folder
    for variable in ("ZOTERO_API_KEY", "ZOTERO_API_URL"):  # the pages set what they use
        env.pop(variable, None)
    log = cwd.parent / "output.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            status = proc.wait(timeout=timeout)
        finally:
            with contextlib.suppress(ProcessLookupError):  # nothing left running
                os.killpg(proc.pid, signal.SIGTERM)
    return status, log.read_bytes().decode("utf-8", errors="replace")


def run_console(block: Block, cwd: Path) -> None:
    steps = console_steps(block)
    script = "".join(f'{command}\n__s=$?; printf "{STATUS}%d{STATUS}" "$__s"; (exit "$__s")\n' for command, _ in steps)
    _, output = run(["bash", "-c", script], cwd)
    pieces = output.split(STATUS)
    assert len(pieces) == 2 * len(steps) + 1, f"{block.id}: the session ended early:\n{output[-3000:]}"
    for n, (command, expected) in enumerate(steps):
        printed, status = pieces[2 * n], int(pieces[2 * n + 1])
        check_secrets(printed, block)
        assert_prints(printed, expected, f"{block.id}: `{command}`")
        shown = n + 1 < len(steps) and steps[n + 1][0].strip() == "echo $?"
        assert status == 0 or shown, f"{block.id}: `{command}` exits {status}; show it with `$ echo $?`"


def check_secrets(output: str, block: Block) -> None:
    assert not any(secret in output for secret in SECRETS), f"{block.id}: an API key was printed"


@pytest.mark.parametrize(("block", "expected"), EXAMPLES, ids=[block.id for block, _ in EXAMPLES])
def test_example_prints_what_the_page_shows(block, expected, tmp_path):
    need_tools("\n".join(command for command, _ in console_steps(block)) if block.lang == "console" else block.text)
    cwd = checkout(tmp_path, block.page)
    if block.lang == "console":
        run_console(block, cwd)
    elif block.lang == "python":
        (tmp_path / "example.py").write_text(block.text, encoding="utf-8")
        status, output = run([sys.executable, str(tmp_path / "example.py")], cwd)
        assert (status, output) == (0, ""), f"{block.id}: a Python example runs quietly:\n{output[-3000:]}"
    else:
        port = free_port()
        script = block.text.replace(DEMO_PORT, port)
        status, output = run(["bash", "-euo", "pipefail", "-c", script], cwd)
        assert status == 0, f"{block.id}: the script exits {status}:\n{output[-3000:]}"
        check_secrets(output, block)
        assert_prints(output, expected.text.replace(DEMO_PORT, port), block.id)


# ---------------------------------------------------------------- the pages themselves


def test_every_block_is_either_run_or_plainly_not_an_example():
    for block in ALL:
        assert block.lang in LANGUAGES, f"{block.id}: fence ```{block.lang}; use one of {sorted(LANGUAGES)}"
        if block.lang not in ("console", "output"):
            assert not re.search(r"^\$ ", block.text, re.M), f"{block.id}: a terminal session is a ```console block"


def test_the_readme_runs_one_example_per_command():
    from syndata_export.cli import COMMANDS, DEFAULT_COMMAND

    ran = "".join(block.text for block, _ in EXAMPLES if block.page.name == "README.md")
    for name in COMMANDS:
        usage = r"syndata-export --" if name == DEFAULT_COMMAND else rf"syndata-export {name}\b"
        assert re.search(usage, ran), f"README.md runs no example of `{name}`"
