"""``bibtex``: the catalogue as a ``.bib`` file for LaTeX (BibTeX/natbib, or BibLaTeX with biber)."""

from __future__ import annotations

import argparse

from syndata_export.cli import _common

HELP = "write the catalogue as a .bib file for BibTeX/natbib (default) or BibLaTeX/biber (--biblatex)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--biblatex",
        action="store_true",
        help="BibLaTeX fields for biber (date, journaltitle, eprinttype; preprints as @misc)",
    )
    parser.add_argument(
        "--ascii",
        action="store_true",
        help="LaTeX-encode every non-ASCII character (for classic BibTeX 0.99); default UTF-8",
    )
    _common.add_export(parser)


def run(args: argparse.Namespace) -> int:
    from syndata_export import bibtex

    dialect = "biblatex" if args.biblatex else "bibtex"
    return _common.export(args, lambda items: bibtex.to_bib(items, dialect, ascii=args.ascii))
