"""What `import` and `list` share: a catalogue that may still carry imported "et al." author lists.

Every command refuses an invalid catalogue; these two accept one whose only problems are author
lists marked ``authors_incomplete`` (what `import` itself writes for "et al."), since listing such
a paper prints "et al." again and importing beside it changes nothing of it.
"""

from __future__ import annotations

from pathlib import Path

from syndata_export.catalogue import Catalogue
from syndata_export.errors import CatalogueError, Problem


def only_incomplete(problems: list[Problem]) -> list[Problem]:
    """The problems that are not an ``authors_incomplete`` flag."""
    from syndata_export.validate import AUTHORS_INCOMPLETE

    return [p for p in problems if p.code != AUTHORS_INCOMPLETE]


def load(path: str | Path) -> Catalogue:
    from syndata_export import catalogue, validate

    cat = catalogue.read(path)
    problems = only_incomplete(validate.validate(cat))
    if problems:
        raise CatalogueError(problems)
    return cat
