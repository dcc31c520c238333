"""The ``syndata-export`` command: parse options, call the work, print; our errors become exit codes.

Each subcommand lives in its own module in this package and is found by name, so adding a
command is adding a file: the module defines ``NAME``, ``ORDER`` (its place in ``--help``),
``HELP`` and ``add_arguments(parser)`` / ``run(args) -> int``. Heavy libraries are imported
inside ``run``, so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from types import ModuleType

from syndata_export import __version__
from syndata_export.errors import CatalogueError, SyndataError

DEFAULT_COMMAND = "render"
PROG = "syndata-export"


def commands() -> dict[str, ModuleType]:
    """Command name → module, in the order ``--help`` lists them."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "NAME"):
            found.append(module)
    return {m.NAME: m for m in sorted(found, key=lambda m: (m.ORDER, m.NAME))}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Export the curated paper list (catalogue.yaml) to formatted bibliographies, "
        "CSL-JSON, BibTeX/BibLaTeX and a Zotero group collection.",
        epilog=f"With no command, `{DEFAULT_COMMAND}` runs: `{PROG} --style acl > refs.md`.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in commands().items():
        command = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def _with_default_command(argv: list[str], names: set[str]) -> list[str]:
    """``syndata-export --style acl`` means ``syndata-export render --style acl``."""
    if DEFAULT_COMMAND not in names:
        return argv
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        return [DEFAULT_COMMAND, *argv]
    return argv


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    names = set(parser._subparsers._group_actions[0].choices) if parser._subparsers else set()
    args = parser.parse_args(_with_default_command(list(sys.argv[1:] if argv is None else argv), names))
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return args.run(args) or 0
    except CatalogueError as exc:
        print(str(exc), file=sys.stderr)
        print(f"{PROG}: {exc.message}; nothing written", file=sys.stderr)
        return exc.exit_code
    except SyndataError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `syndata-export … | head`: the reader left, nothing to report
        sys.stderr.close()
        return 0
