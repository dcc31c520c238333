"""The catalogue as it was at a git revision: its text asked of ``git``, bounded in time; the one git caller.

``check --since REV`` compares keys with the catalogue at REV. The file is looked up at the same
path in the repository that holds it (the folder of the catalogue, symlinks resolved), with
plumbing commands only (rev-parse, ls-tree, cat-file): they read objects, never the work tree,
so nothing in it (hooks, filters, fsmonitor) runs.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from syndata_export.catalogue.model import Catalogue
from syndata_export.catalogue.reader import MAX_BYTES, parse
from syndata_export.errors import SyndataError, UsageError

TIMEOUT = 30  # seconds for one git command; each reads a few objects


def at(path: str | os.PathLike[str], rev: str) -> Catalogue | None:
    """The catalogue at ``path`` as committed at ``rev`` (named ``REV:path`` in messages), or None
    when the file was not in that commit (the first commits, before the list had a catalogue) or
    ``rev`` is git's all-zero id (what CI names as the commit before a new branch's first push)."""
    if not rev or rev.startswith("-"):
        raise UsageError(f"--since {rev!r} is not a git revision", "e.g. --since HEAD~1 or --since origin/main")
    if set(rev) == {"0"} and len(rev) in (40, 64):  # the "no commit" id: a CI push that made a new branch
        return None
    real = Path(os.path.realpath(path))
    folder = real.parent
    shallow = _git(folder, "rev-parse", "--is-shallow-repository").strip() == "true"
    commit = _git(folder, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}", missing=True)
    if not commit:
        hint = "fetch more history: git fetch --deepen=50 (or --unshallow)" if shallow else "check its spelling"
        why = "this shallow clone does not hold it" if shallow else "it is not in this clone"
        raise UsageError(f"--since {rev}: unknown revision ({why})", hint)
    listed = _git(folder, "ls-tree", "-l", "-z", commit.strip(), "--", real.name)
    if not listed:
        return None
    meta, name = listed.rstrip("\0").split("\t", 1)
    _, kind, blob, size = meta.split()
    if kind != "blob":
        return None
    if int(size) > MAX_BYTES:
        raise SyndataError(f"{rev}:{name}: {int(size) >> 20} MiB, over the {MAX_BYTES >> 20} MiB limit of a catalogue")
    prefix = _git(folder, "rev-parse", "--show-prefix").strip()
    return parse(_git_bytes(folder, "cat-file", "blob", blob), f"{rev}:{prefix}{name}")


def _git(folder: Path, *args: str, missing: bool = False) -> str:
    """git's output as text; with ``missing``, "" where git says the object does not exist (exit 1)."""
    return _git_bytes(folder, *args, missing=missing).decode("utf-8", "surrogateescape")


def _git_bytes(folder: Path, *args: str, missing: bool = False) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            timeout=TIMEOUT,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"},
        )
    except FileNotFoundError:
        raise SyndataError("--since needs git, and git is not installed", "install git, or leave out --since") from None
    except subprocess.TimeoutExpired:
        raise SyndataError(f"git {args[0]} took over {TIMEOUT} s", "is the repository on a slow disk?") from None
    if done.returncode == 1 and missing:
        return b""
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        if any("not a git repository" in line for line in said):
            raise UsageError(
                f"--since: {folder} is not in a git repository", "run it in a clone of the list, or leave out --since"
            )
        raise SyndataError(f"git {args[0]} failed: {said[-1] if said else f'exit {done.returncode}'}")
    return done.stdout
