"""Where the files installed with the package live: the catalogue and the house styles.

A wheel installs the top-level ``catalogue.yaml`` and ``styles/`` as ``syndata_export.data``;
an editable install or a source checkout has no such package, and the files sit beside it.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def data_file(*parts: str) -> Path:
    """Path of an installed data file, e.g. ``data_file("styles", "acl.csl")``."""
    try:
        return Path(str(resources.files("syndata_export.data").joinpath("/".join(parts))))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent.joinpath(*parts)
