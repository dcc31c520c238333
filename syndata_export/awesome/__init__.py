"""The awesome-list README: import one into the catalogue (append-only), write one from it.

Import is a pipeline of pure steps: :mod:`.read` (Markdown → items, with lines) → :mod:`.papers`
(items → catalogue fields, by :mod:`.shapes`) → :mod:`.merge` (new, already present, listed
twice) → :mod:`syndata_export.catalogue.writer` (appended). :mod:`.write` goes the other way,
CSL items → README. The CLI only parses options and prints what these return.
"""

from __future__ import annotations

import bisect
import codecs
from dataclasses import dataclass
from pathlib import Path

from syndata_export import catalogue, validate
from syndata_export.awesome import merge, papers, read
from syndata_export.awesome.write import write_list
from syndata_export.errors import Problem, SyndataError

__all__ = ["TOLERATE", "ImportResult", "import_readme", "write_list"]

TOLERATE = (validate.AUTHORS_INCOMPLETE,)  # imported "et al." lists are flagged, and `check` reports them


@dataclass
class ImportResult:
    """What an import adds, and everything to report; ``text`` is the catalogue to write."""

    items: int  # list items in the README
    skipped: int  # items that could not be read
    plan: merge.Plan  # new records (keyed), matches, new sections, differences
    problems: list[Problem]  # repairs, unreadable items, papers listed twice, differences: by line
    text: str | None  # the catalogue with the new papers; None when nothing is new


def import_readme(
    readme: str, into: str | bytes | None = None, name: str = "README.md", into_name: str = catalogue.NAME
) -> ImportResult:
    """The papers of the README text ``readme`` added to the catalogue text ``into`` (None: a new
    catalogue), which must be valid but for "et al." flags; its records are never changed.

    Raises :class:`~syndata_export.errors.CatalogueError` for an invalid ``into`` and
    :class:`~syndata_export.errors.SyndataError` for a README without list items.
    """
    doc = read.read(readme, name)
    found, problems = papers.papers(doc, name)
    if not doc.items:
        raise SyndataError(f"{name}: no list items found", "a paper list has `- citation` items under headings")
    existing = catalogue.checked(catalogue.parse(into, into_name), TOLERATE) if into is not None else None
    records, sections = (existing.records, existing.sections) if existing else ([], [])
    old = into.decode("utf-8-sig") if isinstance(into, bytes) else into
    bom = "\ufeff" if isinstance(into, bytes) and into.startswith(codecs.BOM_UTF8) else ""

    def merged(found: list[papers.Paper]) -> tuple[merge.Plan, str | None]:
        plan = merge.plan(records, sections, found, name)
        if not plan.new:
            return plan, None
        from syndata_export.catalogue import writer  # ruamel.yaml, only when something is written

        meta = {"title": doc.title, "description": doc.description, "source": Path(name).name}
        return plan, writer.append(old, plan.new, plan.new_sections, **meta)

    plan, text = merged(found)
    refused = _refused(text, plan, records, name, into_name) if text is not None else []
    if refused:  # validation's word on each new paper: the ones it refuses are skipped, the rest imported
        plan, text = merged([paper for paper in found if paper.line not in {p.line for p in refused}])
        if text is not None and _refused(text, plan, records, name, into_name, last=True):
            raise SyndataError("a paper validation refused is still in the merged catalogue", _BUG)
    report = doc.problems + problems + refused + plan.problems + [d.problem(name) for d in plan.differences]
    skipped = len(doc.items) - len(found) + len(refused)
    return ImportResult(len(doc.items), skipped, plan, sorted(report, key=_place), None if text is None else bom + text)


def _place(problem: Problem) -> tuple[int, int]:
    return problem.line, problem.col


def _refused(
    text: str, plan: merge.Plan, before: list[catalogue.Record], name: str, into_name: str, last: bool = False
) -> list[Problem]:
    """What validation (as `check`, but for "et al." flags) refuses in the new records, each at its
    paper's README line (a problem belongs to the record it is written in). Anything else wrong
    with the merged catalogue (a new section's name, say) must go with those papers: if there are
    none, or this is the ``last`` try, it is a bug in import, raised; so is an old record changed."""
    merged = catalogue.parse(text, into_name)
    readme_lines = dict(zip((fields["key"] for fields in plan.new), plan.new_lines, strict=True))
    starts = [record.line for record in merged.records]
    problems = [p for p in validate.validate(merged) if p.code not in TOLERATE]
    owners = [
        merged.records[bisect.bisect_right(starts, p.line) - 1].key if p.line >= starts[0] else "" for p in problems
    ]
    refused = [
        Problem(name, readme_lines[key], 1, key, f"{p.message}; item skipped", p.hint)
        for p, key in zip(problems, owners, strict=True)
        if key in readme_lines
    ]
    stray = [str(p) for p, key in zip(problems, owners, strict=True) if key not in readme_lines]
    stray += [
        f"record {r.key} would change" for r, m in zip(before, merged.records, strict=False) if r.fields != m.fields
    ]
    if stray and (last or not refused):
        raise SyndataError("the merged catalogue would not pass check; nothing written:\n  " + "\n  ".join(stray), _BUG)
    return refused


_BUG = "this is a bug in import; please report it with the README"
