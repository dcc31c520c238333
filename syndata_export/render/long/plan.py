"""Can a long list be rendered in parts and still print exactly what one whole pass prints? Pure.

A CSL processor relates references to each other in a few ways only; everything else in an entry
depends on the reference alone. The planner reads the parsed style (``Style.root``) and says
whether each of those ways is absent or confined to references that a key tells apart. The
conditions, with the CSL 1.0.2 specification sections they come from (and how pandoc's citeproc,
the reference, does it):

1. **Numbering** ("Appendix IV - Variables", number variables ``citation-number`` and
   ``first-reference-note-number``): numbers count the whole list; a part would restart them.
   Any mention of either variable → one pass.
2. **Reference grouping** ("Bibliography-specific Options", ``subsequent-author-substitute``):
   an entry prints "———" when the entry before it has the same names, across any cut → one pass.
3. **Sorting** ("Sorting"): each reference's sort keys are computed from that reference alone
   (before disambiguation), and ties keep the input order, so a part keeps the relative order it
   has in the whole. The global order comes from one cheap pass with :func:`ordering_style`,
   over items cut down to :func:`ordering_variables` (a variable the style never names cannot
   change a sort key).
4. **Disambiguation** ("Citation-specific Options › Disambiguation"; the ``disambiguate``
   condition of "Choose"): it changes only *ambiguous cites*, cites whose printed names and dates
   are identical, and each method acts inside one set of ambiguous cites: names added to
   et-al lists (``disambiguate-add-names``), year suffixes lettered in bibliography order
   (``disambiguate-add-year-suffix``), the ``disambiguate="true"`` branch. Cites print the same
   names only if their first names print the same; a first name always prints its family name
   (or literal, or lone given name), so such references share a word of it: ``cut.name_keys``
   gives those words, and references sharing one form a group that no cut splits.
5. **Given names** (``disambiguate-add-givenname`` with ``givenname-disambiguation-rule``):
   ``by-cite`` (the default) expands names only inside a set of ambiguous cites, as in 4.
   ``primary-name`` and ``primary-name-with-initials`` disambiguate *names* across the whole
   document, but only first names, and a hint changes a name only where it is first in its list:
   whether "J. Smith" needs its initial depends on every first name with family Smith, i.e. on
   references that share the key "smith" with it. ``all-names`` and ``all-names-with-initials``
   relate every name of every cite (one shared co-author joins two lists) → one pass.

When disambiguation is off and the ``disambiguate`` condition unused, any cut is exact. Styles of
class "note" → one pass (positions and note numbers are document-wide). A reference with no
name at all (its cite would print a substitute) → one pass (``cut.groups`` says so).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass

CSL = "{http://purl.org/net/xbiblio/csl}"

# number variables that count the whole document (condition 1)
GLOBAL_NUMBERS = ("citation-number", "first-reference-note-number")
# given-name rules whose reach is the whole document (condition 5)
DOCUMENT_WIDE_RULES = ("all-names", "all-names-with-initials")
KEYED_RULES = ("by-cite", "primary-name", "primary-name-with-initials")
DISAMBIGUATION_OPTIONS = ("disambiguate-add-names", "disambiguate-add-givenname", "disambiguate-add-year-suffix")
# attributes whose values name variables (CSL 1.0.2: <text>, <number>, <date>, <names>, <label>,
# <key> and the <if> conditions)
VARIABLE_ATTRIBUTES = ("variable", "is-numeric", "is-uncertain-date")
# what a processor reads without the style naming it: the item's identity and type, its language
# (case transforms), and pandoc's note field ("var: value" lines hold further variables)
READ_ALWAYS = frozenset({"id", "citation-key", "type", "language", "note"})
# what a named variable may be read from as well: its short form (form="short"), Zotero/CSL
# aliases of it, and the page range behind page-first
ALSO_READ = {
    "title": ("title-short", "shortTitle"),
    "container-title": ("container-title-short", "journalAbbreviation"),
    "page-first": ("page",),
}


@dataclass(frozen=True)
class Plan:
    """What the planner decided: parts or one pass, whether parts must keep name groups whole, and why."""

    in_parts: bool
    keyed: bool
    reason: str
    heavy: bool = False  # names or given names are added: the processor's cost grows steeply with a part's size


def plan(root: ET.Element) -> Plan:
    """Decide from a parsed CSL style whether rendering in parts is exact (see the module docstring)."""
    if root.get("class") == "note":
        return Plan(False, False, "note style: positions and note numbers span the document")
    mentioned = {word for el in root.iter() for value in el.attrib.values() for word in value.split()}
    for var in GLOBAL_NUMBERS:
        if var in mentioned:
            return Plan(False, False, f"uses {var}, which numbers the whole list (CSL 1.0.2, Appendix IV)")
    bibliography = root.find(f"{CSL}bibliography")
    if bibliography is None:
        return Plan(False, False, "no <bibliography>")
    if bibliography.get("subsequent-author-substitute") is not None:
        return Plan(False, False, "subsequent-author-substitute relates neighbouring entries (Reference Grouping)")
    citation = root.find(f"{CSL}citation")
    if citation is None:
        return Plan(False, False, "no <citation>")
    options = {name for name in DISAMBIGUATION_OPTIONS if citation.get(name) == "true"}
    condition = any(el.get("disambiguate") == "true" for el in root.iter() if el.tag in (f"{CSL}if", f"{CSL}else-if"))
    if not options and not condition:
        return Plan(True, False, "no disambiguation: every entry depends on its own reference only")
    if "disambiguate-add-givenname" in options:
        rule = citation.get("givenname-disambiguation-rule", "by-cite")
        if rule in DOCUMENT_WIDE_RULES:
            return Plan(False, False, f"givenname-disambiguation-rule {rule} relates every name of every cite")
        if rule not in KEYED_RULES:
            return Plan(False, False, f"unknown givenname-disambiguation-rule {rule!r}")
    if not _reaches_names(citation.find(f"{CSL}layout"), _macros(root)):
        return Plan(False, False, "the citation prints no names, so ambiguous cites need not share one")
    used = ", ".join(sorted(options) + (["disambiguate condition"] if condition else []))
    heavy = bool(options & {"disambiguate-add-names", "disambiguate-add-givenname"})
    return Plan(True, True, f"disambiguation ({used}) stays among references whose first names share a word", heavy)


def ordering_style(root: ET.Element) -> bytes:
    """A copy of the style that sorts as the original does and prints next to nothing.

    Sorting needs the <sort> keys, the macros they call, the locale and the name options
    inherited from <style> and <bibliography> (CSL 1.0.2, "Inheritable Name Options"); it needs
    no disambiguation, no citation layout and no entry text.
    """
    root = _copy(root)
    citation = root.find(f"{CSL}citation")
    if citation is not None:
        for name in list(citation.attrib):
            if name.startswith("disambiguate-") or name == "givenname-disambiguation-rule":
                del citation.attrib[name]
        _replace_children(citation, _layout(""))
    bibliography = root.find(f"{CSL}bibliography")
    if bibliography is not None:
        bibliography.attrib.pop("subsequent-author-substitute", None)
        sort = bibliography.find(f"{CSL}sort")
        _replace_children(bibliography, *([sort] if sort is not None else []), _layout("."))
    try:  # pandoc reads prefixed names too, but the default namespace keeps the copy readable
        return ET.tostring(root, encoding="utf-8", xml_declaration=True, default_namespace=CSL[1:-1])
    except ValueError:
        return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def ordering_variables(root: ET.Element) -> frozenset[str]:
    """Every item variable that the sort of ``root`` can read: the ordering pass needs no other.

    The variables named by the <sort> keys and by the macros they call (transitively), with the
    short forms and aliases a processor reads in their place, and what it reads unasked.
    """
    sort = root.find(f"{CSL}bibliography/{CSL}sort")
    named = {
        word
        for el in _reachable(sort, _macros(root))
        for attribute in VARIABLE_ATTRIBUTES
        for word in (el.get(attribute) or "").split()
    }
    also = {alias for name in named for alias in ALSO_READ.get(name, ())}
    return frozenset(named | {f"{name}-short" for name in named} | also | READ_ALWAYS)


def _macros(root: ET.Element) -> dict[str, ET.Element]:
    return {m.get("name", ""): m for m in root.findall(f"{CSL}macro")}


def _reaches_names(element: ET.Element | None, macros: dict[str, ET.Element]) -> bool:
    """Whether a <names> element is reachable from ``element`` (a layout), following macros."""
    return any(el.tag == f"{CSL}names" for el in _reachable(element, macros))


def _reachable(element: ET.Element | None, macros: dict[str, ET.Element]) -> Iterator[ET.Element]:
    """``element``, everything inside it, and inside every macro it calls, transitively; each macro once."""
    seen: set[str] = set()
    stack = [element] if element is not None else []
    while stack:
        for child in stack.pop().iter():
            yield child
            name = child.get("macro")
            if name and name not in seen and name in macros:
                seen.add(name)
                stack.append(macros[name])


def _copy(root: ET.Element) -> ET.Element:
    return ET.fromstring(ET.tostring(root))


def _layout(value: str) -> ET.Element:
    layout = ET.Element(f"{CSL}layout")
    ET.SubElement(layout, f"{CSL}text", value=value)
    return layout


def _replace_children(parent: ET.Element, *children: ET.Element) -> None:
    for child in list(parent):
        parent.remove(child)
    parent.extend(children)
