"""The citeproc-py engine: in-process CSL, with the gaps we can close closed around it.

citeproc-py 0.11 lower-cases item ids, has no Markdown writer, assigns no year suffixes, links
nothing, capitalises "arXiv" at the start of a sentence, initialises "Wei-ge" as "W.-. ge ." and
prints the "others" that ends an incomplete author list as a name. So: items go in under ids of
our own and come back under their keys; its HTML is read into inline nodes like pandoc's (each
format is written once, in ``render``); year suffixes are computed here over the whole
bibliography; URLs become links (and the title links to the DOI/URL when the entry prints
neither, as pandoc does); words with inner capitals are protected from case changes; initials
and a final "others" are rendered as pandoc renders them (:func:`_names_as_pandoc`). What a
style asks for that citeproc-py cannot do, and each entry that falls under a difference that
remains, is reported as an ``EngineWarning`` (the output differs from pandoc's there);
``tests/goldens/render/citeproc-py-known-differences.json`` keeps the differences on record.
"""

from __future__ import annotations

import html
import re
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from string import ascii_lowercase

from syndata_export import csl, styles
from syndata_export.errors import SyndataError
from syndata_export.render import EngineWarning, inline
from syndata_export.styles import StyleError

CSL = "{http://purl.org/net/xbiblio/csl}"

# CSL-JSON fields that are identifiers: never wrapped in markup
IDENTIFIERS = {"id", "type", "DOI", "URL", "ISBN", "ISSN", "PMID", "PMCID", "citation-key"}
# (element, attribute) a style may use → what citeproc-py does instead
UNSUPPORTED = {
    ("bibliography", "subsequent-author-substitute"): "repeated author lists are printed in full",
    ("bibliography", "second-field-align"): "the citation number is not set in a margin column",
    ("*", "display"): "display (block, indent, margins) is ignored",
    ("if", "disambiguate"): "disambiguate conditions never hold",
    ("else-if", "disambiguate"): "disambiguate conditions never hold",
}
_NOCASE = '<span class="nocase">{}</span>'
_INNER_CAPS = re.compile(r"(?<![\w<])(\w*[a-z]\w*[A-Z]\w*)")  # arXiv, iOS, eBay (not ALLCAPS, not Title)
_URL = re.compile(r"https?://[^\s<>\"]+")
_TRAILING = ".,;:)]"
_HYPHENATED_PART = re.compile(r"-(\w+)")
_PATCHED = threading.Lock()  # one bibliography at a time patches citeproc-py's Name


def bibliography(items: list[dict], style: Path) -> list[tuple[str, inline.Inlines]]:
    """(key, reference) for every item, one pass, in the style's order."""
    try:
        return _bibliography(items, style)
    except (RecursionError, IndexError) as exc:
        raise _style_failure(style, exc) from None


def _style_failure(style: Path, exc: Exception) -> Exception:
    """citeproc-py's RecursionError (a macro cycle) and IndexError (a missing macro) as the error
    ``styles.resolve`` gives for the same style; an IndexError that is not about macros is a bug."""
    import xml.etree.ElementTree as ET

    try:
        problem, hint = styles.macro_problem(ET.parse(style).getroot())
    except (OSError, ET.ParseError):  # gone or changed since citeproc-py read it
        problem = hint = ""
    if problem:
        return StyleError(f"{style}: {problem}", hint)
    if isinstance(exc, RecursionError):
        return StyleError(f"citeproc-py cannot format with {style}: it nests too deep", "try --engine pandoc")
    return exc


def _bibliography(items: list[dict], style: Path) -> list[tuple[str, inline.Inlines]]:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    ids = {f"item{n:07d}": item["id"] for n, item in enumerate(items)}  # citeproc-py lower-cases ids
    data = [prepare(item, own_id) for own_id, item in zip(ids, items, strict=True)]
    with warnings.catch_warnings():  # its own warnings are about fields and schema details we handle
        warnings.simplefilter("ignore")
        try:
            csl_style = CitationStylesStyle(str(style), validate=False)
        except Exception as exc:  # lxml and citeproc-py raise many kinds; all mean an unusable style
            raise SyndataError(f"citeproc-py cannot read the style {style}", str(exc).splitlines()[0]) from None
        source = CiteProcJSON(data)
        with _names_as_pandoc():
            # sorted and compared as plain text: with the HTML writer, citeproc-py's sort keys hold
            # markup, and "<i>Title" sorts before "Title"
            bib = CitationStylesBibliography(csl_style, source, formatter.plain)
            citations = {own_id: Citation([CitationItem(own_id)]) for own_id in ids}
            for citation in citations.values():
                bib.register(citation)
            bib.sort()
            unlike_pandoc = sorted_unlike_pandoc(bib, csl_style.root.bibliography.layout)
            if _wants_year_suffix(csl_style.root):
                assign_year_suffixes(bib, csl_style.root, source, citations)
            bib.formatter = csl_style.root.formatter = formatter.html
            # one item at a time: citeproc-py drops an entry that renders empty, which would shift the rest
            rendered = {item.key: "".join(map(str, csl_style.render_bibliography([item]))) for item in bib.items}
    report_unsupported(csl_style.root)
    if unlike_pandoc:
        warnings.warn(
            f"citeproc-py may sort {', '.join(sorted(ids[own_id] for own_id in unlike_pandoc))} differently from "
            "pandoc: it compares sort keys character by character, pandoc word by word",
            EngineWarning,
            stacklevel=2,
        )
    by_id = dict(zip(ids, items, strict=True))
    return [(ids[own_id], inline.entry_inlines(link(rendered[own_id], by_id[own_id]))) for own_id in bib.keys]


def prepare(item: dict, own_id: str) -> dict:
    """The item as citeproc-py wants it: our id, only CSL variables, inner-capital words protected."""
    from citeproc import VARIABLES

    known = set(VARIABLES) | {"type"}
    out: dict = {"id": own_id}
    for name, value in item.items():
        if name == "id" or name.replace("-", "_") not in known:
            continue
        if isinstance(value, str) and name not in IDENTIFIERS and "<span" not in value:
            value = _INNER_CAPS.sub(lambda m: _NOCASE.format(m.group(1)), value)
        out[name] = value
    return out


def report_unsupported(root) -> None:
    """One warning per feature the style uses that citeproc-py ignores."""
    seen: set[str] = set()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.replace(CSL, "")
        for (wanted, attribute), consequence in UNSUPPORTED.items():
            if wanted in (tag, "*") and attribute in element.attrib and attribute not in seen:
                seen.add(attribute)
                warnings.warn(
                    f"citeproc-py ignores {attribute}=… in this style: {consequence}", EngineWarning, stacklevel=3
                )


@contextmanager
def _names_as_pandoc() -> Iterator[None]:
    """citeproc-py's names, while one bibliography renders, as pandoc renders them.

    Initials: a hyphenated part in lower case has no initial ("Wei-ge" → "W.", not "W.-. ge .";
    "Jean-Pierre" → "J.-P." as before). A final literal "others" (an incomplete author list,
    ``csl.ET_AL``) in a list shorter than the style's et-al-min prints the style's "et al." after
    the names before it, as pandoc's citeproc does; sort keys keep it as a name, as pandoc's do.
    citeproc-py offers no hook for either, so its ``Name`` methods are wrapped for the duration
    (one bibliography at a time) and restored after.
    """
    from citeproc import model

    initialize, process = model.Name.initialize, model.Name.process

    def initials(self, given, mark, context):
        return initialize(self, _HYPHENATED_PART.sub(_drop_lower_case, given), mark, context)

    def names(self, item, variable, context=None, sort_options=None, **kwargs):
        if sort_options is None:
            sort_options = _et_al_before_others(self, item.reference.get(variable) or [], context)
        return process(self, item, variable, context, sort_options, **kwargs)

    with _PATCHED:
        model.Name.initialize, model.Name.process = initials, names
        try:
            yield
        finally:
            model.Name.initialize, model.Name.process = initialize, process


def _drop_lower_case(part: re.Match) -> str:
    return "" if part.group(1)[:1].islower() else part.group(0)


def _et_al_before_others(name_element, names: list, context) -> dict | None:
    """Options that cut a list ending in "others" before it, where pandoc does; None elsewhere."""
    if len(names) < 2 or names[-1].get("literal") != csl.ET_AL["literal"]:
        return None
    et_al_min = name_element.get_option("et-al-min", context)
    if not 0 < len(names) < et_al_min:
        return None
    return {"et-al-min": len(names), "et-al-use-first": len(names) - 1, "et-al-use-last": "false"}


def sorted_unlike_pandoc(bib, layout) -> set[str]:
    """Ids of neighbouring entries that pandoc would put the other way round (none: the same order).

    citeproc-py compares sort keys character by character, punctuation and spaces included, and
    a name variable as all its names joined into one string; pandoc compares the words of each key
    ("Chan, C.-M." as chan c m). They disagree where those marks decide: "Tran, Vinh;Kazemi" and
    "Tran, Vinh Q.;…" (the space sorts before the ";"), "Chan, C., Xue" and "Chan, C.-M., Xue".
    Neighbours suffice: a list in order for every neighbouring pair is in order throughout.
    """
    sort = layout.getparent().find("cs:sort", layout.nsmap)
    if sort is None:
        return set()
    keys = sort.findall("cs:key", sort.nsmap)
    descending = [key.get("sort", "ascending").lower() == "descending" for key in keys]
    rows = list(zip(*(key.sort_keys(bib.items, layout) for key in keys), strict=True)) if keys else []
    return {
        item.key
        for n in range(len(rows) - 1)
        if _compare_as_pandoc(rows[n + 1], rows[n], descending) < 0
        for item in bib.items[n : n + 2]
    }


def _compare_as_pandoc(left: tuple, right: tuple, descending: list[bool]) -> int:
    """-1, 0 or 1, key by key: words of each key, an absent key last (as both engines put it)."""
    for a, b, desc in zip(left, right, descending, strict=True):
        if a is None or b is None:
            if (a is None) != (b is None):
                return 1 if a is None else -1
            continue
        a, b = _words(a), _words(b)
        if a != b:
            return (-1 if a < b else 1) * (-1 if desc else 1)
    return 0


def _words(key: object) -> tuple:
    text = str(key).casefold()
    return (int(text),) if text.isdigit() else tuple(re.findall(r"\w+", text))


def _wants_year_suffix(root) -> bool:
    citation = root.find(f"{CSL}citation")
    return citation is not None and citation.get("disambiguate-add-year-suffix") == "true"


def assign_year_suffixes(bib, root, source, citations: dict) -> None:
    """2024a, 2024b: entries that would cite alike get letters in bibliography order (CSL §4.11).

    citeproc-py does not disambiguate. Two entries cite alike when their rendered citations are
    equal and, where the style adds names or given names to tell cites apart, those are equal
    too; this is what is left for the year suffix after the style's other methods.
    """
    citation = root.find(f"{CSL}citation")
    add_names = citation.get("disambiguate-add-names") == "true"
    add_given = citation.get("disambiguate-add-givenname") == "true"
    rule = citation.get("givenname-disambiguation-rule") or "by-cite"
    groups: dict[tuple, list[str]] = {}
    for own_id in bib.keys:
        cite = str(bib.cite(citations[own_id], lambda _item: None))
        groups.setdefault((cite, *_name_key(source[own_id], add_names, add_given, rule)), []).append(own_id)
    explicit = root.find(f".//{CSL}text[@variable='year-suffix']") is not None
    for members in groups.values():
        if len(members) < 2:
            continue
        for n, own_id in enumerate(members):
            _set_suffix(source[own_id], _letters(n), explicit)


def _name_key(reference, add_names: bool, add_given: bool, rule: str) -> tuple:
    """What the style's other disambiguation methods can tell apart (the givenname rule decides whose given names)."""
    if not (add_names or add_given):
        return ()
    initials, primary_only = "initials" in rule, rule.startswith("primary-name")
    names = reference.get("author") or reference.get("editor") or []
    key = []
    for n, name in enumerate(names if add_names else names[:1]):
        given = str(name.get("given") or "") if add_given and (n == 0 or not primary_only) else ""
        if initials:
            given = "".join(part[:1] for part in re.split(r"[\s.-]+", given) if part)
        key.append((str(name.get("family") or name.get("literal") or ""), given))
    return tuple(key)


def _letters(n: int) -> str:
    """0 → a, 25 → z, 26 → aa: as CSL processors count."""
    out = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        out = ascii_lowercase[rest] + out
    return out


class _SuffixedYear(int):
    """A year that prints with its suffix, for styles that leave year-suffix implicit."""

    suffix = ""

    def __new__(cls, year: int, suffix: str) -> _SuffixedYear:
        value = super().__new__(cls, year)
        value.suffix = suffix
        return value

    def __str__(self) -> str:
        return f"{int(self)}{self.suffix}"

    def __abs__(self) -> _SuffixedYear:
        return self


def _set_suffix(reference, suffix: str, explicit: bool) -> None:
    if explicit:
        reference["year_suffix"] = suffix
        return
    issued = reference.get("issued")
    if issued is not None and "year" in issued:
        issued["year"] = _SuffixedYear(int(issued["year"]), suffix)


def link(entry_html: str, item: dict) -> str:
    """URLs printed as text become links; an entry with none links its title to the DOI or URL."""
    linked = _URL.sub(_anchor, entry_html)
    if linked != entry_html:
        return linked
    target = f"https://doi.org/{item['DOI']}" if item.get("DOI") else item.get("URL")
    title = html.escape(inline.plain(inline.entry_inlines(item.get("title", ""))), quote=False)
    if target and title and title in linked:
        return linked.replace(title, f'<a href="{html.escape(target)}">{title}</a>', 1)
    return linked


def _anchor(match: re.Match) -> str:
    text = match.group(0)
    kept = text.rstrip(_TRAILING)
    tail = text[len(kept) :]
    return f'<a href="{html.escape(html.unescape(kept))}">{kept}</a>{tail}'
