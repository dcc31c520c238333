"""Citation shapes: one free-text citation ↔ catalogue fields, in the GB/T 7714 and ACL shapes; pure.

Awesome lists are written by pasting citations from Google Scholar (GB/T 7714: "Tan Z, Beigi A,
Wang S, et al. Title[J]. arXiv preprint arXiv:2402.13446, 2024.") or from the ACL Anthology
("Guanting Dong, …, and Jingren Zhou. 2024. Title. In Proceedings of …, pages 177–198, Place.
Publisher."). ``parse`` reads both into catalogue fields; ``format_gbt`` writes a CSL item in the
GB/T shape, which ``parse`` reads back field for field. No library reads these shapes (they are
formatted output, not a data format), so they are read here with a few anchored patterns. The
text is Markdown: written with the renderer's escaper, read with its escapes undone, so a title's
own ``[J]`` (written ``\\[J\\]``) is never taken for the type mark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from syndata_export.csl import custom
from syndata_export.render.markdown import escape

# GB/T 7714 document-type codes ↔ CSL types; "article" (a preprint) is written [J] as Scholar does
GBT_CODES = {
    "article-journal": "J",
    "paper-conference": "C",
    "book": "M",
    "chapter": "M",
    "report": "R",
    "thesis": "D",
    "webpage": "EB/OL",
    "dataset": "DS",
    "software": "CP",
    "manuscript": "Z",
    "article": "J",
}
GBT_TYPES = {"J": "article-journal", "C": "paper-conference", "M": "book", "R": "report", "D": "thesis"}
GBT_TYPES |= {"EB/OL": "webpage", "DS": "dataset", "CP": "software", "Z": "manuscript"}
UNKNOWN_PLACE, UNKNOWN_PUBLISHER = "[S.l.]", "[s.n.]"  # GB/T 7714's markers for a missing place/publisher
MAX_AUTHORS = 3  # GB/T 7714 lists three authors, then "et al."
MAX_CITATION = 5000  # characters: an ACL citation of 200 authors; longer text is not one citation
PARTICLES = {"van", "von", "de", "del", "der", "den", "da", "di", "du", "la", "le", "dos", "das", "ter"}
ARXIV_ID = r"(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)"

_TYPE_MARK = re.compile(r"(?<!\\)\[(" + "|".join(re.escape(c) for c in GBT_TYPES) + r")\]")
_GBT_HEAD = re.compile(r"^(?P<authors>.+?)\.\s+(?P<rest>.+)$")
_ACL_HEAD = re.compile(r"^(?P<authors>.+?)\.\s+(?P<year>\d{4})[a-z]?\.\s+(?P<rest>.+)$")
_PREPRINT = re.compile(r"^\s*\.?\s*arXiv preprint arXiv:" + ARXIV_ID + r"\s*,\s*(?P<year>\d{4})[a-z]?\.?\s*$")
# every part has a bounded length, so each try at a year costs little however long the text is
_TAIL = re.compile(
    r"(?:^|[\s,.])(?P<year>\d{4})[a-z]?"
    r"(?:, ?(?P<volume>[^\s(:,.]{1,20}(?:\.[^\s(:,.]{1,20}){0,3})?(?:\((?P<issue>[^)]{1,20})\))?)?"
    r"(?:: ?(?P<pages>[A-Za-z]?\d{1,9}(?: ?[-–]{1,2} ?[A-Za-z]?\d{1,9})?))?"
    r"\.?(?: ?DOI: ?(?P<doi>10\.\S{1,300}?))?\.? ?$"
)
_ACL_ARXIV = re.compile(r"^(?:arXiv preprint|Preprint),?\s*arXiv:" + ARXIV_ID + r"\.?$")  # 2015 and 2023+ .bst
_ACL_JOURNAL = re.compile(
    r"^\*?(?P<container>.+?)\*?"
    r"(?:, (?P<volume>[^\s(:,]{1,20})(?:\((?P<issue>[^)]{1,20})\))?(?::(?P<pages>[^.]{1,40}))?)?\.?$"
)
_ET_AL = re.compile(r",?\s*(?:et al\.?|and others)\s*$", re.IGNORECASE)
_INITIAL = re.compile(r"^[A-Z]$")
_LINKED = re.compile(r"(?<!\\)\[([^\[\]]+)\]\([^()\s]*\)")
_NOCASE = re.compile(r"</?span[^>]*>")
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


class CitationError(ValueError):
    """The text is not a citation in a shape we read; ``hint`` says what was expected."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


@dataclass
class Cited:
    """What one citation says, as catalogue fields (``fields``) plus whether the authors were cut."""

    fields: dict[str, Any] = field(default_factory=dict)
    authors_incomplete: bool = False


# ---------------------------------------------------------------- reading


def parse(text: str) -> Cited:
    """Citation text (Markdown escapes allowed) → catalogue fields; CitationError when it is not one."""
    text = _LINKED.sub(r"\1", " ".join(text.split()))  # a linked title keeps its words
    if len(text) > MAX_CITATION:
        raise CitationError(f"{len(text):,} characters, too long for one citation", "one paper per list item")
    if mark := _TYPE_MARK.search(text):
        return _parse_gbt(text, mark)
    if head := _ACL_HEAD.match(text):
        return _parse_acl(head)
    if not re.search(r"\b(1[89]|20)\d{2}\b", text):
        raise CitationError(
            "no year in this item", "end a GB/T citation with ', YEAR.'; ACL puts '. YEAR. ' after the authors"
        )
    raise CitationError(
        "not a citation shape I can read",
        "use GB/T 7714 ('Tan Z, Li D. Title[J]. arXiv preprint arXiv:ID, 2024.') or ACL ('A. B. 2024. Title. In …')",
    )


def _parse_gbt(text: str, mark: re.Match[str]) -> Cited:
    head = _GBT_HEAD.match(text)
    if not head or mark.start() <= head.start("rest"):
        raise CitationError("no title before the type mark", "write 'Authors. Title[J]. …'")
    cited = Cited()
    authors, cited.authors_incomplete = _split_authors(head.group("authors"), acl=False)
    title = _unescape(text[head.start("rest") : mark.start()]).strip()
    if not title:
        raise CitationError("no title before the type mark", "write 'Authors. Title[J]. …'")
    code, after = mark.group(1), text[mark.end() :]
    fields: dict[str, Any] = {"type": GBT_TYPES[code], "title": title, "authors": authors}
    if code == "J" and (preprint := _PREPRINT.match(after)):
        fields.update(type="article", date=int(preprint.group("year")), arxiv=preprint.group(1))
        cited.fields = fields
        return cited
    tail = _TAIL.search(after)
    if not tail:
        raise CitationError("no year in this item", "end a GB/T citation with ', YEAR.' (or 'YEAR: pages.')")
    fields["date"] = int(tail.group("year"))
    for name in ("volume", "issue", "pages", "doi"):
        if tail.group(name):
            fields[name] = _unescape(tail.group(name).strip())
    _gbt_source(fields, _unescape(after[: tail.start() + 1]).strip(" ,"), code)
    cited.fields = _ordered(fields)
    return cited


def _gbt_source(fields: dict[str, Any], source: str, code: str) -> None:
    """``//Container. Place: Publisher`` for [C]; ``. Journal`` for [J]; ``. Place: Publisher`` else."""
    source = source.lstrip("./ ").rstrip(" ,")
    if source.endswith("."):
        source = source[:-1]
    if not source:
        return
    if code in ("C", "J") and ". " not in source:
        fields["container"] = source
        return
    container, _, imprint = source.rpartition(". ") if ". " in source else ("", "", source)
    if container:
        fields["container"] = container
    place, sep, publisher = imprint.partition(": ")
    if not sep:
        place, publisher = "", imprint
    if place and place != UNKNOWN_PLACE:
        fields["place"] = place
    if publisher and publisher != UNKNOWN_PUBLISHER:
        fields["publisher"] = publisher


def _parse_acl(head: re.Match[str]) -> Cited:
    cited = Cited()
    authors, cited.authors_incomplete = _split_authors(head.group("authors"), acl=True)
    rest = head.group("rest")
    fields: dict[str, Any] = {"type": "article", "title": "", "authors": authors, "date": int(head.group("year"))}
    proceedings = re.search(r"(?<=[.?!])\s+In\s+", rest)
    if proceedings:
        title, venue = rest[: proceedings.start()], _plain(rest[proceedings.end() :])
        volume = re.search(r", volume (\w+)(?=,|\.|$)", venue)
        if volume:
            fields["volume"], venue = volume.group(1), venue[: volume.start()] + venue[volume.end() :]
        fields["type"] = "paper-conference"
        fields.update(_proceedings(venue) or {"container": venue.rstrip(".")})
    else:
        title, venue = _split_title(rest)
        venue = _plain(venue)
        if arxiv := _ACL_ARXIV.match(venue):
            fields["arxiv"] = arxiv.group(1)
        elif venue and (match := _ACL_JOURNAL.match(venue)):
            fields["type"] = "article-journal"
            fields.update({k: v.strip() for k, v in match.groupdict().items() if v})
    fields["title"] = _unescape(title.strip().rstrip("."))
    if not fields["title"]:
        raise CitationError("no title after the year", "write 'Authors. YEAR. Title. In …'")
    cited.fields = _ordered({k: _unescape(v) if isinstance(v, str) else v for k, v in fields.items()})
    return cited


def _proceedings(venue: str) -> dict[str, str] | None:
    """``Container, pages P, Place. Publisher.`` → its parts (pages and place may be missing); None
    without a publisher. The container ends at the first ", " after its last full stop: a place
    holds no full stop. Read by splitting, in one pass: a pattern would try every comma."""
    body, stop, publisher = (venue[:-1] if venue.endswith(".") else venue).rpartition(".")
    if not (stop and body and publisher[:1].isspace() and publisher.strip()):
        return None
    cut = body.find(", ", body.rfind(".") + 1 or 1)
    parts = {"container": body if cut == -1 else body[:cut], "publisher": publisher}
    rest = "" if cut == -1 else body[cut + 2 :]
    if rest.startswith("pages "):
        parts["pages"], _, rest = rest[len("pages ") :].partition(", ")
    parts["place"] = rest
    return {name: value.strip(" *") for name, value in parts.items() if value.strip(" *")}


def _split_title(rest: str) -> tuple[str, str]:
    """ACL puts the title first, ended by its own stop (or ? or !), then the venue: its last sentence."""
    cuts = list(re.finditer(r"(?<=[.?!])\s+(?=\S)", rest))
    return (rest[: cuts[-1].start()], rest[cuts[-1].end() :]) if cuts else (rest, "")


def _split_authors(text: str, acl: bool) -> tuple[list[Any], bool]:
    """An author block → catalogue names ("Family, Given"), and whether it ended in "et al."."""
    text = _unescape(text).strip()
    incomplete = bool(_ET_AL.search(text))
    text = _ET_AL.sub("", text)
    parts = re.split(r",\s*and\s+|\s+and\s+|,\s*", text) if acl else text.split(",")
    names = [_acl_name(p) if acl else _gbt_name(p) for p in (p.strip() for p in parts) if p]
    if not names:
        raise CitationError("no authors", "start the item with its authors")
    return names, incomplete


def _gbt_name(text: str) -> Any:
    """ "Seddik M E A" → "Seddik, M. E. A."; "Del Corro L" → "Del Corro, L."; no initials → a literal."""
    words = text.split()
    cut = len(words)
    while cut > 1 and _INITIAL.match(words[cut - 1]):
        cut -= 1
    if cut == len(words):
        return {"literal": text}
    return f"{' '.join(words[:cut])}, {' '.join(w + '.' for w in words[cut:])}"


def _acl_name(text: str) -> Any:
    """ "Guanting Dong" → "Dong, Guanting"; lower-case particles stay with the family name."""
    words = text.split()
    if len(words) == 1:
        return {"literal": text}
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in PARTICLES:
        start -= 1
    return f"{' '.join(words[start:])}, {' '.join(words[:start])}"


def _plain(text: str) -> str:
    """Without Markdown emphasis: CSL styles put venues in ``*italics*``."""
    return re.sub(r"(?<!\\)[*_]{1,2}(?=\S)|(?<=\S)(?<!\\)[*_]{1,2}", "", text)


def _unescape(text: str) -> str:
    return _MD_ESCAPE.sub(r"\1", text)


_ORDER = ("type", "title", "authors", "date", "container", "volume", "issue", "pages", "publisher", "place")


def _ordered(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: fields[k] for k in sorted(fields, key=lambda k: _ORDER.index(k) if k in _ORDER else len(_ORDER))}


# ---------------------------------------------------------------- writing


def initials(given: str) -> list[str]:
    """ "Mohamed El Amine" → [M, E, A]; "Suei-Wen" → [S, W]; "Chi-min" → [C] (Scholar's rule)."""
    parts = re.split(r"\s+|\.|-(?=[A-Z])", given)
    return [p[0].upper() for p in parts if p and p[0].isalpha()]


def gbt_name(name: dict[str, str]) -> str:
    """A CSL name the GB/T way: family name, then initials without stops."""
    if "literal" in name:
        return escape(name["literal"])
    family = " ".join(p for p in (name.get("non-dropping-particle"), name.get("family")) if p)
    return escape(" ".join([family, *initials(name.get("given", ""))]))


def plain_title(csl_title: str) -> str:
    """A CSL title without its ``nocase`` spans: the sentence-case text a reader sees."""
    return _NOCASE.sub("", csl_title)


def format_gbt(item: dict[str, Any]) -> str:
    """A CSL item as a GB/T 7714 citation (Google Scholar's shape for preprints), Markdown-escaped.

    Preprints: ``Title[J]. arXiv preprint arXiv:ID, YEAR.``; proceedings: ``Title[C]//Container.
    Place: Publisher, YEAR, Volume(Issue): pages. DOI:….``; journals: ``Title[J]. Journal, YEAR,
    Volume(Issue): pages. DOI:….`` (GB/T 7714-2015 gives a journal no publisher).
    """
    names = [gbt_name(n) for n in item.get("author", [])]
    cut = len(names) > MAX_AUTHORS or custom(item).get("authors_incomplete", False)
    authors = ", ".join(names[:MAX_AUTHORS] if len(names) > MAX_AUTHORS else names) + (", et al" if cut else "")
    year = escape(str(item.get("issued", {}).get("date-parts", [[""]])[0][0]))
    title = escape(plain_title(item.get("title", "")))
    code = GBT_CODES.get(item.get("type", ""), "Z")
    arxiv = escape(custom(item).get("arxiv", ""))
    if item.get("type") == "article" and arxiv:
        return f"{authors}. {title}[J]. arXiv preprint arXiv:{arxiv}, {year}."
    container = escape(item.get("container-title", ""))
    place, publisher = escape(item.get("publisher-place", "")), escape(item.get("publisher", ""))
    imprint = f"{place or UNKNOWN_PLACE}: {publisher or UNKNOWN_PUBLISHER}" if place or publisher else ""
    volume = escape(item.get("volume", "")) + (f"({escape(item['issue'])})" if item.get("issue") else "")
    tail = year + (f", {volume}" if volume else "") + (f": {escape(item['page'])}" if item.get("page") else "")
    if code == "C":
        source = f"//{container}. {imprint}, " if imprint else f"//{container}. "
    elif code == "J" and container:
        source = f". {container}, "
    else:
        source = f". {imprint}, " if imprint else ". "
    doi = f" DOI:{escape(item['DOI'])}." if item.get("DOI") else ""
    return f"{authors}. {title}[{code}]{source}{tail}.{doi}"
