"""``import``: read a Markdown paper list (an awesome-list README) into the catalogue, append-only."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from syndata_export.cli import _common
from syndata_export.errors import SyndataError

HELP = "add the papers of a Markdown paper list (README) to the catalogue; never changes existing records"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("readme", metavar="README.md", help="the Markdown paper list to read")
    parser.add_argument(
        "--into",
        metavar="PATH",
        default="catalogue.yaml",
        help="the catalogue to add to; created when missing (default: ./catalogue.yaml)",
    )
    parser.add_argument("--dry-run", action="store_true", help="report what would be added; write nothing")


def run(args: argparse.Namespace) -> int:
    from syndata_export import catalogue, listing, merge, validate

    name = args.readme
    doc = listing.read(_read_text(name), name)
    papers, problems = listing.to_papers(doc, name)
    if not doc.items:
        raise SyndataError(f"{name}: no list items found", "a paper list has `- citation` items under headings")
    into = Path(args.into)
    old_text = None
    records, sections = [], []
    if into.exists():
        existing = catalogue.load(into, tolerate=(validate.AUTHORS_INCOMPLETE,))
        records, sections = existing.records, existing.sections
        old_text = into.read_bytes().decode("utf-8-sig")
    result = merge.plan(records, sections, papers, name)
    report = doc.problems + problems + result.duplicates + [d.problem(name) for d in result.differences]
    for line in sorted(report, key=lambda p: (p.line, p.col)):
        print(line, file=sys.stderr)
    verb = "would add" if args.dry_run else "added"
    for line, fields in zip(result.new_lines, result.new, strict=True):
        print(f"{name}:{line}: {verb} {fields['key']} ({fields['section']})", file=sys.stderr)
    if result.new:
        new_text = merge.apply(old_text, result, doc.title, doc.description, Path(name).name)
        _check_result(new_text, records, into)
        if not args.dry_run:
            _common.emit(new_text, str(into))
    skipped = len(doc.items) - len(papers)
    incomplete = sum(1 for f in result.new if f.get("authors_incomplete"))
    print(
        f"{name}: {len(doc.items)} items, {len(result.new)} new, {len(result.matched)} already in {into}, "
        f"{len(result.differences)} differences reported, {skipped} skipped"
        + (f", {incomplete} with 'et al.' author lists (authors_incomplete: true)" if incomplete else "")
        + ("; nothing written (--dry-run)" if args.dry_run else f"; wrote {into}" if result.new else "; unchanged"),
        file=sys.stderr,
    )
    return 1 if skipped else 0


def _read_text(path: str) -> str:
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise SyndataError(f"cannot read {path}: no such file", "give the path of the Markdown list") from None
    except IsADirectoryError:
        raise SyndataError(f"cannot read {path}: it is a directory", "give the path of the Markdown list") from None
    except OSError as exc:
        raise SyndataError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SyndataError(f"{path}:{line}: invalid UTF-8 (byte 0x{raw[exc.start]:02x})", "save it as UTF-8") from None


def _check_result(text: str, before: list, into: Path) -> None:
    """The merged catalogue must pass `check` (but for "et al." flags) and keep every old record as it was."""
    from syndata_export import catalogue, validate

    merged = catalogue.parse(text, str(into))
    problems = [p for p in validate.validate(merged) if p.code != validate.AUTHORS_INCOMPLETE]
    changed = [r.key for r, m in zip(before, merged.records, strict=False) if r.fields != m.fields]
    if problems or changed:
        detail = [str(p) for p in problems] + [f"record {k} would change" for k in changed]
        raise SyndataError(
            "the merged catalogue would not pass check; nothing written:\n  " + "\n  ".join(detail),
            "this is a bug in import; please report it with the README",
        )
