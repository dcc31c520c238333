"""``render`` (the default command): the catalogue as a formatted bibliography, grouped by section."""

from __future__ import annotations

import argparse
import sys
import warnings

from syndata_export.cli import _common

HELP = "format the bibliography (APA, ACL or any CSL style) as Markdown, HTML or text"

# kept here as data so that --help needs no import of the render package
ENGINES = ("pandoc", "citeproc-py")
FORMATS = ("markdown", "html", "text")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--style",
        default="apa",
        metavar="STYLE",
        help="apa (default), acl, a style id of the CSL repository (ieee, nature, …) or a .csl file; "
        "`syndata-export styles TEXT` searches them",
    )
    parser.add_argument("--format", choices=FORMATS, default="markdown", help="output format (default: markdown)")
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default="pandoc",
        help="CSL processor: pandoc (default, the reference) or citeproc-py (in-process)",
    )
    _common.add_prefer(parser)
    _common.add_sections(parser)
    _common.add_allow(parser)
    parser.add_argument(
        "--standalone",
        action="store_true",
        help="a complete document: an HTML page with title and styles, or Markdown/text with the list's title",
    )
    _common.add_output(parser)


def run(args: argparse.Namespace) -> int:
    from syndata_export import csl, render, styles

    style = styles.resolve(args.style)  # once per run; a bad style stops us before the catalogue is read
    cat = _common.load(args)  # pandoc starts only on a valid catalogue
    items = csl.to_csl(cat, args.prefer, args.section)
    sections, title, description = cat.sections, cat.title, cat.description
    del cat  # the items say all the rest; 10,000 papers: 60 MB less beside the pandoc processes
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", render.EngineWarning)
        text = render.render(
            items,
            sections,
            style=style,
            engine=args.engine,
            fmt=args.format,
            standalone=args.standalone,
            title=title,
            description=description,
        )
    _warn(caught, render.EngineWarning)
    return _common.deliver(text, args)


def _warn(caught: list[warnings.WarningMessage], ours: type[Warning]) -> None:
    """Each of our engines' warnings once, as a line of ours; any other as Python shows it."""
    for message in dict.fromkeys(str(w.message) for w in caught if issubclass(w.category, ours)):
        print(f"syndata-export: warning: {message}", file=sys.stderr)
    for w in caught:
        if not issubclass(w.category, ours):
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
