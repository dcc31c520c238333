"""``csl-json``: the catalogue as CSL-JSON, the hub format every other output is made from."""

from __future__ import annotations

import argparse

from syndata_export.cli import _common

HELP = "write the catalogue as CSL-JSON (one item per paper)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    _common.add_export(parser)


def run(args: argparse.Namespace) -> int:
    import json

    from syndata_export import csl

    def write(items: list[dict]) -> str:  # as processors read it: an "et al." list ends in csl.ET_AL
        return json.dumps([csl.with_et_al(item) for item in items], indent=2, ensure_ascii=False, sort_keys=True)

    return _common.export(args, lambda items: write(items) + "\n")
