"""The ``syndata-export`` command: parse options, call the work, print; our errors become exit codes.

:data:`COMMANDS` is the one table of commands, in the order ``--help`` lists them. Each command is
a module with ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``; heavy libraries are
imported inside ``run``, so ``--help`` stays fast. Global options (``--catalogue``) are accepted
before or after the command, and a mistyped command or option gets a "did you mean".
"""

from __future__ import annotations

import argparse
import signal
import sys
from types import ModuleType
from typing import NoReturn

from syndata_export import __version__
from syndata_export.cli import (
    _common,
    add,
    bibtex,
    check,
    complete,
    csl_json,
    import_,
    list_,
    published,
    pull,
    render,
    styles,
    sync,
)
from syndata_export.errors import CatalogueError, SyndataError, close_matches

PROG = "syndata-export"
DEFAULT_COMMAND = "render"

COMMANDS: dict[str, ModuleType] = {
    "render": render,
    "styles": styles,
    "check": check,
    "csl-json": csl_json,
    "bibtex": bibtex,
    "sync": sync,
    "pull": pull,
    "import": import_,
    "add": add,
    "complete": complete,
    "published": published,
    "list": list_,
}


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so that it ends as Ctrl-C ends it: every ``finally``
    runs, temporary files go, and pandoc is killed (``render.pandoc``)."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


class _Parser(argparse.ArgumentParser):
    """argparse with exit code 2 and a suggestion for a mistyped command."""

    def error(self, message: str) -> NoReturn:
        if "invalid choice" in message and "argument COMMAND" in message:
            wrong = message.split("invalid choice: ", 1)[1].split("'")[1]
            message = f"unknown command {wrong!r}{_did_you_mean(wrong, COMMANDS)}; commands are: {', '.join(COMMANDS)}"
        super().error(message)


def build_parser() -> tuple[_Parser, dict[str, _Parser]]:
    """The top-level parser and each command's own, by name."""
    parser = _Parser(
        prog=PROG,
        description="Export the curated paper list (catalogue.yaml) to formatted bibliographies, "
        "CSL-JSON, BibTeX/BibLaTeX and a Zotero group collection.",
        epilog=f"With no command, `{DEFAULT_COMMAND}` runs: `{PROG} --style acl > refs.md`.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _common.add_global(parser, argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands = {}
    for name, module in COMMANDS.items():
        command = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        _common.add_global(command, argparse.SUPPRESS, getattr(module, "CATALOGUE_HELP", _common.CATALOGUE_HELP))
        command.set_defaults(run=module.run)
        commands[name] = command
    parser.set_defaults(catalogue=None)
    return parser, commands


def _with_default_command(argv: list[str]) -> list[str]:
    """``syndata-export --style acl`` means ``syndata-export render --style acl``; global options
    may come first either way (``--catalogue X bibtex``)."""
    i = 0
    while i < len(argv) and argv[i].split("=", 1)[0] in _common.GLOBAL_OPTIONS:
        i += 1 if "=" in argv[i] else 2
    rest = argv[i:]
    if rest and (not rest[0].startswith("-") or rest[0] in ("-h", "--help", "--version")):
        return argv
    return [DEFAULT_COMMAND, *argv]


def _did_you_mean(wrong: str, known) -> str:  # noqa: ANN001 - any iterable of names
    close = close_matches(wrong, known, n=3)
    return f" (did you mean {' or '.join(close)}?)" if close else ""


def parse(argv: list[str]) -> argparse.Namespace:
    """The options of ``argv``; a usage error (exit 2) for anything unknown, with a suggestion."""
    parser, commands = build_parser()
    args, unknown = parser.parse_known_args(_with_default_command(argv))
    if unknown:
        command = commands.get(getattr(args, "command", None) or "", parser)
        wrong = unknown[0]
        options = [o for action in command._actions for o in action.option_strings]
        hint = _did_you_mean(wrong.split("=", 1)[0], options) if wrong.startswith("-") else ""
        command.error(f"unrecognized arguments: {' '.join(unknown)}{hint}")
    if getattr(args, "check", False) and args.output in (None, "-"):
        commands[args.command].error("--check compares with a file: name it with -o FILE")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(list(sys.argv[1:] if argv is None else argv))
    if not getattr(args, "run", None):
        build_parser()[0].print_help(sys.stderr)
        return 2
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        return args.run(args) or 0
    except CatalogueError as exc:
        _common.report(exc.problems, getattr(args, "error_format", "default"))
        print(f"{PROG}: {exc.message}; nothing written", file=sys.stderr)
        return exc.exit_code
    except SyndataError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except Terminated:
        print(f"{PROG}: terminated", file=sys.stderr)
        return 128 + signal.SIGTERM
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `syndata-export … | head`: the reader left, nothing to report
        sys.stderr.close()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
