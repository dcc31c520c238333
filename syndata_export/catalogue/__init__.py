"""The catalogue: find it, load it (read, then validate), and nothing else gets a catalogue another way.

``load(path)`` is the one door every command uses: it returns a valid :class:`Catalogue` or
raises one :class:`~syndata_export.errors.CatalogueError` that carries every problem at once.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path

from syndata_export import validate
from syndata_export.catalogue.model import Catalogue, Record
from syndata_export.catalogue.reader import parse, read
from syndata_export.errors import CatalogueError
from syndata_export.installed import data_file

__all__ = ["INSTALLED", "NAME", "Catalogue", "Record", "checked", "find", "load", "parse", "read"]

NAME = "catalogue.yaml"
INSTALLED = data_file(NAME)  # the copy installed with the package


def find(explicit: str | os.PathLike[str] | None = None, start: Path | None = None) -> Path:
    """The catalogue to use, as git finds its repository: ``explicit`` (``--catalogue``), else
    catalogue.yaml in ``start`` (the current folder) or the nearest parent up to the repository
    root, else :data:`INSTALLED`. A found file is named relative to ``start``, so messages read
    ``catalogue.yaml:12:3`` or ``../catalogue.yaml:12:3``."""
    if explicit:
        return Path(explicit)
    here = (start or Path.cwd()).absolute()
    for folder in _search_folders(here):
        candidate = folder / NAME
        if candidate.is_file():
            return Path(os.path.relpath(candidate, here))
    return INSTALLED


def _search_folders(start: Path) -> list[Path]:
    """``start`` and its parents up to the repository root (a folder holding ``.git``); outside a
    repository, ``start`` alone: a catalogue.yaml in some parent folder is nobody's intent."""
    folders = [start, *start.parents]
    for depth, folder in enumerate(folders):
        if (folder / ".git").exists():
            return folders[: depth + 1]
    return folders[:1]


def load(path: str | os.PathLike[str], tolerate: Collection[str] = ()) -> Catalogue:
    """Read and validate the catalogue at ``path``; problems whose code is in ``tolerate`` pass."""
    return checked(read(path), tolerate)


def checked(catalogue: Catalogue, tolerate: Collection[str] = ()) -> Catalogue:
    """``catalogue`` if it is valid (but for the ``tolerate`` codes), else CatalogueError with every problem."""
    problems = [problem for problem in validate.validate(catalogue) if problem.code not in tolerate]
    if problems:
        raise CatalogueError(problems)
    return catalogue
