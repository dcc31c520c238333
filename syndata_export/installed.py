"""Where the files installed with the package live: the catalogue and the house styles.

The top-level ``catalogue.yaml`` and ``styles/`` are linked from ``syndata_export/data``, so a
wheel carries copies of them and an editable install or a checkout reads them in place.
"""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def data_file(*parts: str) -> Path:
    """Path of an installed data file, e.g. ``data_file("styles", "acl.csl")``."""
    return DATA.joinpath(*parts)
