"""``csl-json``: the catalogue as CSL-JSON, the hub format every other output is made from."""

from __future__ import annotations

import argparse
import json

from syndata_export.cli import _common

NAME = "csl-json"
ORDER = 20
HELP = "write the catalogue as CSL-JSON (one item per paper)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    _common.add_catalogue(parser)
    _common.add_prefer(parser)
    _common.add_sections(parser)
    _common.add_output(parser)


def run(args: argparse.Namespace) -> int:
    from syndata_export import csl

    items = csl.to_csl(_common.load(args), args.prefer, args.section)
    _common.emit(json.dumps(items, indent=2, ensure_ascii=False, sort_keys=True) + "\n", args.output)
    return 0
