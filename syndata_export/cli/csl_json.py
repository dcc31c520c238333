"""``csl-json``: the catalogue as CSL-JSON, the hub format every other output is made from."""

from __future__ import annotations

import argparse

from syndata_export.cli import _common

NAME = "csl-json"
ORDER = 20
HELP = "write the catalogue as CSL-JSON (one item per paper)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    _common.add_export(parser)


def run(args: argparse.Namespace) -> int:
    import orjson  # the same bytes as json.dumps(indent=2, sort_keys=True), ten times faster

    options = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE
    _common.export(args, lambda items: orjson.dumps(items, option=options).decode("utf-8"))
    return 0
