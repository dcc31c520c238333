"""CSL items → BibTeX (natbib) or BibLaTeX (biber) text; pure, the dialects are tables below.

Every entry carries exactly one arXiv representation that LaTeX prints (``eprint`` with its
prefix/type and class fields), on preprints and on published versions alike, and never an arXiv
"journal" beside it. A preprint (``@misc`` in both dialects) keeps Zotero's ``number`` (arXiv:ID)
and ``publisher`` (arXiv) too: plainnat, acl_natbib and biblatex's styles leave them out of a
``@misc``, and pandoc reads them, so it cites the ``.bib`` as it cites the CSL-JSON. Titles are
written with braces around exactly the protected parts (the CSL title's ``nocase`` spans), so a
``.bst`` that lower-cases titles prints the same sentence case as the CSL styles, and nothing else
is braced. Text fields are LaTeX-escaped (UTF-8 kept, or with ``ascii`` everything LaTeX-encoded
through pylatexenc); URLs, DOIs and eprints stay verbatim, and a file whose URLs or DOIs hold
LaTeX's specials carries a ``@preamble`` that lets plainnat print them without the url package.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pylatexenc.latexencode import RULE_DICT, UnicodeToLatexConversionRule, UnicodeToLatexEncoder

from syndata_export import casing, csl
from syndata_export.errors import OutputError, UsageError

# ── dialect tables ────────────────────────────────────────────────────────────────────────────

# CSL type → entry type; a type missing here is written as the dialect's fallback
BIBTEX_TYPES = {
    "article-journal": "article",
    "paper-conference": "inproceedings",
    "article": "misc",  # preprints: plainnat and acl_natbib print @misc with eprint as a preprint
    "book": "book",
    "chapter": "incollection",
    "report": "techreport",
    "thesis": "phdthesis",
    "webpage": "misc",
    "dataset": "misc",
    "software": "misc",
    "manuscript": "misc",
}
BIBLATEX_TYPES = {
    "article-journal": "article",
    "paper-conference": "inproceedings",
    "article": "misc",  # as for BibTeX: pandoc reads @online as a web page (full date, no number)
    "book": "book",
    "chapter": "incollection",
    "report": "report",
    "thesis": "thesis",
    "webpage": "online",
    "dataset": "dataset",
    "software": "software",
    "manuscript": "unpublished",
}

# CSL variable → field, for variables that map the same way in every entry type
BIBTEX_FIELDS = {
    "volume": "volume",
    "number": "number",
    "page": "pages",
    "publisher-place": "address",
    "DOI": "doi",
    "URL": "url",
    "note": "note",
    "keyword": "keywords",
}
BIBLATEX_FIELDS = dict(BIBTEX_FIELDS, **{"publisher-place": "location"})

# CSL variable → ({entry type: field}, field for every other type). An issue is a journal's
# `number`; elsewhere `number` means a series number (plainnat warns beside a volume), so a
# proceedings issue (AAAI's 39(23)) goes to `issue`, which plainnat ignores and pandoc reads.
BIBTEX_BY_TYPE = {
    "container-title": (
        {"article": "journal", "inproceedings": "booktitle", "incollection": "booktitle"},
        "howpublished",
    ),
    "publisher": ({"techreport": "institution", "phdthesis": "school"}, "publisher"),
    "issue": ({"article": "number"}, "issue"),
}
BIBLATEX_BY_TYPE = {
    "container-title": (
        {"article": "journaltitle", "inproceedings": "booktitle", "incollection": "booktitle"},
        "howpublished",
    ),
    "publisher": ({"report": "institution", "thesis": "institution"}, "publisher"),
    "issue": ({"article": "number"}, "issue"),
}

# the arXiv representation: field → template over the item's ``custom`` (a missing value drops the field)
BIBTEX_EPRINT = {"eprint": "{arxiv}", "archivePrefix": "arXiv", "primaryClass": "{arxiv_class}"}
BIBLATEX_EPRINT = {"eprint": "{arxiv}", "eprinttype": "arxiv", "eprintclass": "{arxiv_class}"}

# the order fields are written in; a field not listed here is never written
BIBTEX_ORDER = (
    "author", "editor", "title", "journal", "booktitle", "howpublished", "year", "volume", "number", "issue", "pages",
    "publisher", "institution", "school", "address", "doi", "eprint", "archivePrefix", "primaryClass", "url",
    "note", "keywords",
)  # fmt: skip
BIBLATEX_ORDER = (
    "ids", "author", "editor", "title", "journaltitle", "booktitle", "howpublished", "date", "volume", "number",
    "issue", "pages", "publisher", "institution", "location", "doi", "eprint", "eprinttype", "eprintclass", "url",
    "note", "keywords",
)  # fmt: skip

# CSL variables that may only repeat the arXiv ID ("arXiv preprint arXiv:…", Zotero's arXiv:ID and
# arXiv): dropped beside the eprint, where LaTeX would print them too, but kept where no style prints
# them, in a @misc (a preprint): pandoc reads them, and cites the .bib as it cites the CSL-JSON
ARXIV_ECHOES = ("number", "publisher", "container-title")
UNPRINTED_ECHOES = {"misc": ("number", "publisher")}
VERBATIM = frozenset({"url", "doi", "eprint"})  # identifiers: never LaTeX-escaped

# LaTeX's special characters as text commands; braces become \textbrace…, because BibTeX counts
# ``\{`` as an opening brace and an escaped lone brace would unbalance the field
SPECIALS = {
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\textbraceleft",
    "}": r"\textbraceright",
    "~": r"\textasciitilde",
    "^": r"\textasciicircum",
    "\\": r"\textbackslash",
}
# where pylatexenc's table does not suit us, tried before it: 2.10 writes Hungarian ű with an acute
# accent and ŉ as an undefined \nument; and biber decodes its \'\i (accent on dotless i) to
# ı + a combining accent, which pdflatex cannot typeset, where \'i gives í in every engine; biber
# decodes \textquoteleft to ‘ and then leaves ‘ out of initials, and the braces around it with them
# (see _BRACED_COMMAND), where it keeps LaTeX's own ` as it is
LATEX_FIXES = {
    "Ű": r"\H{U}", "ű": r"\H{u}", "ŉ": "'n", "ì": r"\`i", "í": r"\'i", "î": r"\^i", "ï": r"\"i", "‘": "`",
}  # fmt: skip
# characters that would break a verbatim field, percent-encoded (the same URL)
VERBATIM_UNSAFE = str.maketrans({"{": "%7B", "}": "%7D", "\\": "%5C"})
# Without the url package plainnat prints URLs with \texttt{#1} and DOIs with "doi: #1", where these
# are LaTeX syntax ("Missing $", a runaway argument). A file whose URLs or DOIs hold one defines both
# first (plainnat only \providecommand's them), reading the argument with the specials as plain
# characters; with the url package (hyperref loads it) the preamble does nothing.
VERBATIM_SPECIALS = frozenset("%#&$_^~")
PLAINNAT_VERBATIM = (
    r"\expandafter\ifx\csname urlstyle\endcsname\relax"
    r" \providecommand\syndataverbatim{\begingroup"
    + "".join(rf"\catcode`\{c}=12" for c in sorted(VERBATIM_SPECIALS))
    + r" \syndataverbatimtext}"
    r" \providecommand\syndataverbatimtext[1]{\texttt{#1}\endgroup}"
    r" \providecommand\url{\syndataverbatim} \providecommand\doi{doi: \syndataverbatim}"
    r" \fi"
)
# biber makes a name's initials from the first character of each word once it has dropped letter-named
# commands (keeping their argument) and leading braces, and writes that character to the .bbl as it
# is: `{\textbraceleft}x` leaves a lone `}`, and LaTeX stops ("Extra }"). Written `\textbraceleft{}x`
# the command goes whole and the initial is `x`; `\_` has such a command too. `& % # $` have none that
# biber leaves alone: their initial is a backslash, harmless unless a style prints initials. A ` (‘
# under --ascii) goes unbraced too, as it would be the initial with the brace after it; two in a row
# are kept apart, or LaTeX would print the “ ligature.
_BRACED_COMMAND = re.compile(r"\{(\\[A-Za-z]+)\}")
BIBER_NAME_FIXES = {r"{\_}": r"\textunderscore{}", "{`}": "`"}
_BACKTICKS = re.compile(r"(?<=`)(?=`)")


@dataclass(frozen=True)
class Dialect:
    """Everything that differs between BibTeX and BibLaTeX, as data."""

    types: dict[str, str]
    fallback_type: str
    fields: dict[str, str]
    by_type: dict[str, tuple[dict[str, str], str]]
    eprint: dict[str, str]
    date_field: str
    order: tuple[str, ...]
    names_for_biber: bool  # name parts written so that biber's initials are plain characters
    verbatim_preamble: str  # the @preamble a file gets when a URL or DOI holds VERBATIM_SPECIALS
    aliases_in_ids: bool  # a paper's former keys as biblatex's ``ids`` field; else each gets a copy of the entry


DIALECTS = {
    "bibtex": Dialect(
        BIBTEX_TYPES,
        "misc",
        BIBTEX_FIELDS,
        BIBTEX_BY_TYPE,
        BIBTEX_EPRINT,
        "year",
        BIBTEX_ORDER,
        names_for_biber=False,
        verbatim_preamble=PLAINNAT_VERBATIM,
        aliases_in_ids=False,  # BibTeX has no aliases: \cite{old} finds only an entry of that key
    ),
    "biblatex": Dialect(  # biblatex loads the url package itself
        BIBLATEX_TYPES,
        "misc",
        BIBLATEX_FIELDS,
        BIBLATEX_BY_TYPE,
        BIBLATEX_EPRINT,
        "date",
        BIBLATEX_ORDER,
        names_for_biber=True,
        verbatim_preamble="",
        aliases_in_ids=True,
    ),
}

HEADER = "% Written by syndata-export from the catalogue; edit the catalogue, not this file.\n"

_NOCASE = re.compile(r'<span class="nocase">(.*?)</span>', re.DOTALL)
_KEY = re.compile(r"""[^\s,{}()"#%'=~\\]+""")  # what BibTeX and biber accept as a citation key
_DASH = re.compile(r"\s*(?:--|–|-)\s*")  # any page-range dash, written as BibTeX's en dash "--"
_AND = re.compile(r"(?:^|\s)(?:and|others)(?:\s|$)", re.IGNORECASE)  # words BibTeX reads as name syntax
# a hyphen at a word's edge is a separator to BibTeX: "x-" prints "x", and a lone "-" is an empty name
_EDGE_HYPHEN = re.compile(r"(?:^|\s)-|-(?:\s|$)")


# ── escaping ──────────────────────────────────────────────────────────────────────────────────

_SPECIALS_ENCODER = UnicodeToLatexEncoder(
    conversion_rules=[UnicodeToLatexConversionRule(RULE_DICT, {ord(k): v for k, v in SPECIALS.items()})],
    replacement_latex_protection="braces-all",  # {\&}, {\'e}: BibTeX's "special character" form
    unknown_char_policy="keep",
    unknown_char_warning=False,
)
_ASCII_ENCODER = UnicodeToLatexEncoder(
    conversion_rules=[UnicodeToLatexConversionRule(RULE_DICT, {ord(k): v for k, v in LATEX_FIXES.items()}), "defaults"],
    non_ascii_only=True,
    replacement_latex_protection="braces-all",
    unknown_char_policy="fail",
    unknown_char_warning=False,
)


_SPECIAL = re.compile("[" + re.escape("".join(SPECIALS)) + "]")


@lru_cache(maxsize=2)
def escaper(ascii: bool) -> Callable[[str], str]:
    """Text → LaTeX: the special characters always, every non-ASCII character too when ``ascii``."""

    @lru_cache(maxsize=65536)  # names and venues repeat across a catalogue; pylatexenc goes char by char
    def escape(text: str) -> str:
        if not _SPECIAL.search(text) and (not ascii or text.isascii()):
            return unicodedata.normalize("NFC", text)  # what pylatexenc would return for it
        latex = _SPECIALS_ENCODER.unicode_to_latex(text)
        return _ASCII_ENCODER.unicode_to_latex(latex) if ascii else latex

    return escape


@lru_cache(maxsize=4)
def name_escaper(ascii: bool, for_biber: bool) -> Callable[[str], str]:
    """Name text → LaTeX: as :func:`escaper`, with "=" braced (biber reads ``given=`` as its extended
    name format and ``useprefix=true`` as an option, and once looped forever on one), and for biber
    the specials as commands its initials skip (see ``_BRACED_COMMAND``)."""
    escape = escaper(ascii)

    @lru_cache(maxsize=65536)
    def escape_name(text: str) -> str:
        latex = "{=}".join(escape(piece) for piece in text.split("="))
        if for_biber:
            for braced, unbraced in BIBER_NAME_FIXES.items():
                latex = latex.replace(braced, unbraced)
            latex = _BACKTICKS.sub(r"\\relax{}", _BRACED_COMMAND.sub(r"\1{}", latex))
        return latex

    return escape_name


def verbatim(value: str) -> str:
    """URLs, DOIs, eprints as given; only what would unbalance a BibTeX field is percent-encoded."""
    return value.translate(VERBATIM_UNSAFE)


# ── items → fields ────────────────────────────────────────────────────────────────────────────


def title_pieces(item: dict[str, Any]) -> tuple[str, list[str]]:
    """The title to write and its protected parts, read from the CSL title's nocase spans.

    The title as published is taken from ``custom.title_as_published`` when the hub carries it,
    else the CSL title (sentence case) stands in: the braces make both print the same once a
    ``.bst`` lower-cases them.
    """
    csl_title = item.get("title", "")
    protected = _NOCASE.findall(csl_title)
    plain = _NOCASE.sub(r"\1", csl_title)
    published = csl.custom(item).get("title_as_published")
    if published and casing.sentence_case(published, protected) == plain:
        return published, protected
    return plain, protected


def bib_title(item: dict[str, Any], escape: Callable[[str], str]) -> str:
    title, protected = title_pieces(item)
    return casing.braced_title(_squash(title), protected, wrap=escape)


def bib_name(name: dict[str, Any], escape: Callable[[str], str]) -> str:
    """A CSL name as ``von Last, Jr, First``; literal names (organisations) braced whole."""
    if name.get("literal"):
        return "{" + escape(_squash(name["literal"])) + "}"
    family = tuple(str(name[p]) for p in ("dropping-particle", "non-dropping-particle", "family") if name.get(p))
    return _person(family, str(name.get("given", "")), str(name.get("suffix", "")), escape)


@lru_cache(maxsize=65536)  # a catalogue names the same people again and again
def _person(family_parts: tuple[str, ...], given: str, suffix: str, escape: Callable[[str], str]) -> str:
    family = " ".join(_squash(p) for p in family_parts)
    given, suffix = _squash(given), _squash(suffix)
    if not given and not suffix:
        return "{" + escape(family) + "}"  # no comma to split on: keep "Del Corro" one family name
    parts = [family, suffix, given] if suffix else [family, given]
    return ", ".join(_name_part(p, escape) for p in parts)


def _name_part(part: str, escape: Callable[[str], str]) -> str:
    """Brace a part that BibTeX would otherwise read as name syntax (a comma, "and", "others", edge hyphens)."""
    text = escape(part)
    return "{" + text + "}" if "," in part or _AND.search(part) or _EDGE_HYPHEN.search(text) else text


def bib_date(item: dict[str, Any], dialect: Dialect) -> str:
    parts = ((item.get("issued") or {}).get("date-parts") or [[]])[0]
    if not parts:
        return ""
    if dialect.date_field == "year":
        return str(parts[0])
    return "-".join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:3])])


def entry_fields(item: dict[str, Any], dialect: Dialect, ascii: bool = False) -> tuple[str, dict[str, str]]:
    """One CSL item → (entry type, field → value already escaped), in the dialect's field order."""
    escape = escaper(ascii)
    custom = csl.custom(item)
    arxiv = custom.get("arxiv")
    entry_type = dialect.types.get(item.get("type", ""), dialect.fallback_type)
    fields: dict[str, str] = {}
    escape_name = name_escaper(ascii, dialect.names_for_biber)
    for role in ("author", "editor"):
        if item.get(role):
            fields[role] = " and ".join(bib_name(n, escape_name) for n in item[role])
    if fields.get("author") and custom.get("authors_incomplete"):
        fields["author"] += " and others"  # BibTeX's own "et al.": the list known so far is incomplete
    fields["title"] = bib_title(item, escape)
    fields[dialect.date_field] = bib_date(item, dialect)
    text: dict[str, str] = {}
    for variable in (*dialect.by_type, *dialect.fields):  # an issue wins over a (report) number
        value = item.get(variable)
        echo = variable in ARXIV_ECHOES and variable not in UNPRINTED_ECHOES.get(entry_type, ())
        if value in (None, "") or (arxiv and echo and str(value).lower().startswith("arxiv")):
            continue  # one arXiv representation that LaTeX prints
        field = _field(variable, entry_type, dialect)
        if field and field not in text:
            text[field] = str(value)
    if "pages" in text:
        text["pages"] = _DASH.sub("--", text["pages"])
    for field, value in text.items():
        fields[field] = verbatim(value) if field in VERBATIM else escape(_squash(value))
    if dialect.aliases_in_ids and custom.get("aliases"):
        fields["ids"] = ",".join(custom["aliases"])
    if arxiv:
        values = _Missing(custom)
        for field, template in dialect.eprint.items():
            value = template.format_map(values)
            if value:
                fields[field] = verbatim(value)
    return entry_type, {f: fields[f] for f in dialect.order if fields.get(f)}


def _field(variable: str, entry_type: str, dialect: Dialect) -> str | None:
    """The field a CSL variable goes to in this entry type, or None when the dialect has none."""
    if variable in dialect.by_type:
        special, default = dialect.by_type[variable]
        return special.get(entry_type, default)
    return dialect.fields.get(variable)


class _Missing(dict):
    """``str.format_map`` source where an absent key is empty, so the field is dropped."""

    def __missing__(self, key: str) -> str:
        return ""


def _squash(text: str) -> str:
    """Runs of whitespace (newlines from YAML folding) as one space: BibTeX does the same."""
    return " ".join(str(text).split())


# ── text ──────────────────────────────────────────────────────────────────────────────────────


def write_entry(key: str, entry_type: str, fields: dict[str, str]) -> str:
    """One entry, one field per line, in the order ``fields`` has."""
    lines = [f"@{entry_type}{{{key},"]
    lines += [f"  {name} = {{{value}}}," for name, value in fields.items()]
    return "\n".join(lines) + "\n}\n"


def _former(alias: str, key: str, entry_type: str, fields: dict[str, str]) -> str:
    """A copy of the entry under a former key, so ``\\cite{alias}`` still compiles with BibTeX."""
    return f"% {alias}: the former key of {key}\n" + write_entry(alias, entry_type, fields)


def to_bib(items: list[dict[str, Any]], dialect: str = "bibtex", ascii: bool = False) -> str:
    """CSL items → one ``.bib`` text, entries in item order; the same items give the same bytes."""
    if dialect not in DIALECTS:
        raise UsageError(f"unknown BibTeX dialect {dialect!r}", "known: " + ", ".join(sorted(DIALECTS)))
    tables = DIALECTS[dialect]
    entries, identifiers = [], ""
    for item in items:
        if not _KEY.fullmatch(str(item.get("id", ""))):
            raise OutputError(f"{item.get('id')!r} cannot be a BibTeX key", "keys are letters, digits and _.:+/-")
        try:
            entry_type, fields = entry_fields(item, tables, ascii)
        except ValueError as exc:  # pylatexenc: a character with no LaTeX form
            raise OutputError(
                f"{item.get('id')}: {exc}", "drop --ascii and use the UTF-8 file with biber or a Unicode engine"
            ) from None
        entries.append(write_entry(item["id"], entry_type, fields))
        if not tables.aliases_in_ids:
            entries += [_former(alias, item["id"], entry_type, fields) for alias in csl.custom(item).get("aliases", ())]
        identifiers += fields.get("url", "") + fields.get("doi", "")
    preamble = tables.verbatim_preamble if VERBATIM_SPECIALS.intersection(identifiers) else ""
    return HEADER + "\n" + (f"@preamble{{{{{preamble}}}}}\n\n" if preamble else "") + "\n".join(entries)
