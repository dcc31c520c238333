"""``add``, ``complete`` and ``published``: the three commands' work, from catalogue text to catalogue text.

Each takes the catalogue as text and a :class:`~syndata_export.sources.match.Lookup`, and returns an
:class:`Outcome`: the text to write (None: nothing to write) and a line per paper to report. The
text has passed validation as ``check`` does (an "et al." flag aside, which only ``complete``
removes) and differs from the old one only by what was added; the CLI writes it, or not.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from syndata_export import catalogue, identity, validate
from syndata_export.errors import SyndataError, UsageError, close_matches
from syndata_export.sources import NotFound, SourceError, match, records
from syndata_export.sources.found import Found
from syndata_export.sources.match import Lookup

TOLERATE = (validate.AUTHORS_INCOMPLETE,)  # an import's "et al." lists: `check` reports them, commands still run
NEW = (
    "# The paper list, begun by `syndata-export add`.\n"
    "# Keys are pinned: never change a key once it has been written, people cite it.\n"
    "sections: []\npapers: []\n"
)
Progress = Callable[[int, int, str], None]  # (done, total, what is being asked about)


class Identifier(Protocol):
    """An identifier as :func:`syndata_export.sources.ids.parse` reads one."""

    kind: str  # "arxiv", "doi" or "anthology"
    value: str


@dataclass
class Outcome:
    """What a command did: the catalogue to write (None: nothing), what to report, what failed."""

    text: str | None
    report: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _quiet(done: int, total: int, label: str) -> None:
    return None


# ---------------------------------------------------------------- add


def add(
    text: str | None,
    idents: Sequence[Identifier],
    section: str,
    look: Lookup,
    *,
    partial: bool = False,
    name: str = catalogue.NAME,
    progress: Progress = _quiet,
) -> Outcome:
    """The papers ``idents`` name, as new records of ``section`` appended to the catalogue ``text``
    (None: a new catalogue). A paper already there is reported, not added. When any identifier
    fails, nothing is written unless ``partial``."""
    before = _checked(text, name) if text is not None else None
    existing = before.records if before else []
    section, new_sections = _section(section, before.sections if before else [])
    index = {ident: record.key for record in existing for ident in identity.identities(record.fields)}
    taken = {record.key.casefold() for record in existing}
    out = Outcome(None)
    batch = _arxiv_batch([_arxiv_of(i) for i in idents], look)
    new: list[dict[str, Any]] = []
    for done, ident in enumerate(idents, 1):
        label = _label(ident)
        progress(done, len(idents), label)
        try:
            found = _fetch(ident, batch, look)
        except SourceError as exc:
            out.failed.append(f"{label}: {exc}")
            continue
        fields = records.with_arxiv_links(found.fields)
        there = next((index[i] for i in sorted(identity.identities(fields)) if i in index), None)
        if there is not None:
            out.report.append(f"{label}: already in the catalogue as {there}; not added")
            continue
        published = match.named_by(found, fields, look).published
        if published and _same_version(published, fields):
            published = None  # the record is that version already (a proceedings paper's DOI or Anthology id)
        record = records.new_record(found, section, taken, published)
        index.update(dict.fromkeys(identity.identities(record), record["key"]))
        new.append(record)
        out.report.append(
            f"{label}: {record['key']} ({section})" + (", with its published version" if published else "")
        )
    if new and (partial or not out.failed):
        from syndata_export.catalogue import writer  # ruamel.yaml, only when something is written

        out.text = _validated(writer.append(text or NEW, new, new_sections), before, name)
    return out


def _section(wanted: str, sections: list[str]) -> tuple[str, list[str]]:
    """The section as the catalogue spells it, or a new one; a near miss of a listed one is a usage error."""
    listed = {s.casefold(): s for s in sections}
    if wanted.casefold() in listed:
        return listed[wanted.casefold()], []
    close = close_matches(wanted, sections)
    if close:
        raise UsageError(
            f"no section {wanted!r} in the catalogue (did you mean {close[0]!r}?)", "sections: " + ", ".join(sections)
        )
    return wanted, [wanted]


def _label(ident: Identifier) -> str:
    return {"arxiv": "arXiv:", "doi": "doi:", "anthology": "ACL Anthology "}.get(ident.kind, "") + ident.value


def _arxiv_of(ident: Identifier) -> str | None:
    """The arXiv id an identifier names: its own, or the one in arXiv's DOI ``10.48550/arXiv.ID``."""
    if ident.kind == "arxiv":
        return identity.arxiv(ident.value)
    found = identity.identity("doi", ident.value) if ident.kind == "doi" else None
    return found[1] if found and found[0] == "arxiv" else None


def _arxiv_batch(ids: list[str | None], look: Lookup) -> dict[str, Found] | SourceError:
    """One arXiv query for every arXiv id (arXiv asks for batches), by normalised id; or its error."""
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    try:
        answer = look.arxiv(wanted)
    except SourceError as exc:
        return exc
    return {identity.arxiv(str(f.fields.get("arxiv") or k)): f for k, f in answer.items()}


def _fetch(ident: Identifier, batch: dict[str, Found] | SourceError, look: Lookup) -> Found:
    arxiv = _arxiv_of(ident)
    if arxiv is not None:
        if isinstance(batch, SourceError):
            raise batch
        if arxiv not in batch:
            raise NotFound(f"arxiv: no paper {arxiv}")
        return batch[arxiv]
    if ident.kind == "doi":
        return look.doi(ident.value)
    return look.anthology(ident.value)


# ---------------------------------------------------------------- complete


def complete(text: str, look: Lookup, *, name: str = catalogue.NAME, progress: Progress = _quiet) -> Outcome:
    """Every record's missing fields and the rest of its "et al." list, from its arXiv id, else its
    DOI, else its Anthology id, else a title search that passes :func:`match.agrees`."""
    from syndata_export.catalogue import writer

    before = _checked(text, name)
    out = Outcome(None)
    arxiv_ids = [r.fields.get("arxiv") for r in before.records]
    batch = _arxiv_batch([identity.arxiv(a) if isinstance(a, str) else None for a in arxiv_ids], look)
    if isinstance(batch, SourceError):
        raise batch
    changes = {}
    for i, record in enumerate(before.records, 1):
        progress(i, len(before.records), record.key)
        found = _source_of(record.fields, batch, look, out)
        if found is None:
            continue
        done = records.complete(record.fields, found)
        out.report += [f"{record.key}: {found.source} differs: {d}" for d in done.differences]
        if done:
            changes[record.key] = writer.Change(done.fields, {}, done.authors, ("authors_incomplete",) * done.whole)
            out.report.append(f"{record.key}: {_completed(done)} (from {found.source})")
    if changes:
        out.text = _validated(writer.amend(text, changes), before, name)
    return out


def _source_of(fields: dict[str, Any], batch: dict[str, Found], look: Lookup, out: Outcome) -> Found | None:
    key = fields.get("key")
    arxiv, doi, anthology = fields.get("arxiv"), fields.get("doi"), fields.get("acl_anthology")
    try:
        if isinstance(arxiv, str) and identity.arxiv(arxiv) in batch:
            return batch[identity.arxiv(arxiv)]
        if isinstance(doi, str) and (identity.identity("doi", doi) or ("",))[0] == "doi":  # not arXiv's own
            return look.doi(doi)
        if isinstance(anthology, str):
            return look.anthology(anthology)
    except NotFound as exc:
        out.report.append(f"{key}: not found: {exc}")
        return None
    if isinstance(arxiv, str):
        out.report.append(f"{key}: arxiv: no paper {identity.arxiv(arxiv)}")
        return None
    return _by_title(fields, look, out)


def _by_title(fields: dict[str, Any], look: Lookup, out: Outcome) -> Found | None:
    """The one search hit that is this paper by :func:`match.agrees`; none, or several papers, is reported."""
    hits: list[tuple[Found, str]] = []
    near: list[tuple[Found, str]] = []
    for found in look.search(str(fields.get("title", ""))):
        ok, evidence = match.agrees(fields, found.fields)
        (hits if ok else near).append((found, evidence))
    if hits:  # what passes the guard is this paper, in each index that has it: the first source asked wins
        found, evidence = hits[0]
        out.report.append(f"{fields.get('key')}: found by title on {found.source}: {evidence}")
        return found
    why = "no identifier, and no title search hit passes the guard"
    shown = [f"{f.source} {f.fields.get('title')!r}: {e}" for f, e in near]
    out.report.append(f"{fields.get('key')}: {why}; left as it is" + "".join(f"\n  {s}" for s in shown))
    return None


def _completed(done: records.Completion) -> str:
    parts = [f"added {', '.join(done.fields)}"] if done.fields else []
    if done.authors:
        parts.append(f"{len(done.authors)} more authors")
    if done.whole:
        parts.append("author list complete")
    return "; ".join(parts)


# ---------------------------------------------------------------- published


def published(
    text: str, look: Lookup, *, name: str = catalogue.NAME, progress: Progress = _quiet
) -> tuple[Outcome, list[match.Proposal]]:
    """A ``published:`` block proposed for each preprint without one (:func:`match.propose`); the
    text with every proposal that can be applied, and the proposals with their evidence."""
    from syndata_export.catalogue import writer

    before = _checked(text, name)
    out, proposals = Outcome(None), []
    preprints = [r for r in before.records if r.fields.get("type") == "article" and "published" not in r.fields]
    look.arxiv(sorted({str(r.fields["arxiv"]) for r in preprints if r.fields.get("arxiv")}))  # one query warms all
    for done, record in enumerate(preprints, 1):
        progress(done, len(preprints), record.key)
        proposal = match.propose(record.fields, look)
        proposals.append(proposal)
        if proposal.published:
            out.report.append(f"{record.key}: published version found by {proposal.via}")
            out.report += [f"  {e}" for e in proposal.evidence]
        out.report += [f"{record.key}: not applied: {r}" for r in proposal.rejected]
    changes = {p.key: writer.Change(published=records.written(p.published)) for p in proposals if p.published}
    if changes:
        out.text = _validated(writer.amend(text, changes), before, name)
    return out, proposals


# ---------------------------------------------------------------- validation before a write


def _checked(text: str, name: str) -> catalogue.Catalogue:
    return catalogue.checked(catalogue.parse(text, name), TOLERATE)


def _validated(text: str, before: catalogue.Catalogue | None, name: str) -> str:
    """``text`` if it passes validation (flags aside) and keeps every old record's key, in order; else an error."""
    after = catalogue.parse(text, name)
    problems = [str(p) for p in validate.validate(after) if p.code not in TOLERATE]
    old = [r.key for r in before.records] if before else []
    if [r.key for r in after.records[: len(old)]] != old:
        problems.append("the records' keys or order would change")
    if problems:
        raise SyndataError(
            "the result would not pass check; nothing written:\n  " + "\n  ".join(problems),
            "the sources gave something the catalogue cannot hold; add this paper by hand",
        )
    return text


def _same_version(published: dict[str, Any], fields: dict[str, Any]) -> bool:
    """Both name the same version: they share a DOI, Anthology or OpenReview id."""
    return any(
        published.get(name) and str(published[name]).lower() == str(fields.get(name) or "").lower()
        for name in match.VERSION_IDS
    )
