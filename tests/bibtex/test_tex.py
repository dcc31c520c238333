"""Real TeX: the .bib compiles clean with pdflatex + BibTeX + natbib and pdflatex + biber + biblatex.

Skipped without the tools outside CI, failed under CI (see tests/bibtex/tex/toolchain.py).
"""

from __future__ import annotations

import json
import re
import string
import unicodedata

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pybtex.database import parse_string

from syndata_export import bibtex, catalogue, csl
from tests.bibtex.tex.decode import latex_to_text
from tests.bibtex.tex.toolchain import NATBIB_WITHOUT_URL, bibtex_only, compile_bib, need_tools
from tests.conftest import need_shared

CATALOGUE = catalogue.read(catalogue.find(None))
TOOL = {"bibtex": "bibtex", "biblatex": "biber"}
COMBOS = [
    pytest.param(d, p, a, id=f"{d}-{p}-{'ascii' if a else 'utf8'}")
    for d in ("bibtex", "biblatex")
    for p in ("published", "preprint")
    for a in (False, True)
]


def bbl_keys(bbl: str, dialect: str) -> list[str]:
    pattern = r"\\bibitem\[(?:[^\[\]]|\{[^{}]*\})*\]\{([^}]+)\}" if dialect == "bibtex" else r"\\entry\{([^}]+)\}"
    return re.findall(pattern, bbl)


@pytest.mark.parametrize(("dialect", "prefer", "ascii"), COMBOS)
def test_catalogue_compiles_clean(tmp_path, dialect, prefer, ascii):
    need_tools(dialect)
    items = csl.to_csl(CATALOGUE, prefer)
    keys = [item["id"] for item in items]
    build = compile_bib(tmp_path, bibtex.to_bib(items, dialect, ascii), keys, dialect)
    assert build.blg_problems(TOOL[dialect]) == []
    assert build.unresolved() == []
    assert sorted(bbl_keys(build.bbl, dialect)) == sorted(keys)
    # arXiv printed once: biblatex prints the eprint, plainnat none, and neither prints a preprint's
    # number (arXiv:ID) or publisher (arXiv), which are in the .bib for pandoc
    with_arxiv = sum(1 for item in items if item["custom"].get("arxiv"))
    assert build.pdf_text().count("arXiv:") == (with_arxiv if dialect == "biblatex" else 0)
    if dialect == "bibtex":  # natbib prints "?" for a key the .aux has no \bibcite for
        aux = (build.dir / "doc.aux").read_text(encoding="utf-8")
        assert sorted(re.findall(r"\\bibcite\{([^}]+)\}", aux)) == sorted(keys)


SPECIAL = {
    "id": "special",
    "type": "paper-conference",
    "title": 'AT&T at 50% for $5: #1 a_b {x} ~y^2 back\\slash Über <span class="nocase">GPT-4</span> “quoted” – Łódź',
    "author": [
        {"family": "O'Neil-Ça", "given": "Zoë"},
        {"literal": "Team & Partners, Inc."},
        {"family": "Cruz", "given": "Juan", "non-dropping-particle": "de la"},
        {"family": "Smith and Sons", "given": "Bob"},
    ],
    "issued": {"date-parts": [[2024, 3]]},
    "container-title": "Proc. of R&D #3",
    "URL": "https://example.org/a_b%20c#frag~x",
    "DOI": "10.1000/a_b#c%d",
    "custom": {"arxiv": "2401.00001", "arxiv_class": "cs.CL"},
}


@pytest.mark.parametrize(
    ("dialect", "ascii"),
    [pytest.param(d, a, id=f"{d}-{'ascii' if a else 'utf8'}") for d in ("bibtex", "biblatex") for a in (False, True)],
)
def test_special_characters_compile_clean(tmp_path, dialect, ascii):
    need_tools(dialect)
    build = compile_bib(tmp_path, bibtex.to_bib([SPECIAL], dialect, ascii), ["special"], dialect)
    assert build.blg_problems(TOOL[dialect]) == []
    assert build.unresolved() == []
    assert r"{\textbraceleft}x{\textbraceright}" in build.bbl and r"{\&}" in build.bbl
    assert "https://example.org/a_b%20c#frag~x" in build.bbl and "10.1000/a_b#c%d" in build.bbl


# ── LaTeX's special characters where the tools read names and identifiers ─────────────────────

SPECIALS = "&%$#_{}~^\\"
# each special starts a family name, a given name, a given name's second word and a hyphenated part:
# biber takes initials from those places (one paper each: biblatex prints every author of one)
SPECIAL_NAMES = [{"family": f"{c}Fam", "given": f"{c}Giv {c}Wor-{c}Hyp"} for c in SPECIALS]
# an "=" after a name part's name is biber's extended name format: it hung on the first of these
# and took the last for a name-list option; the second is the other way to a lone brace in biber's
# initials: under --ascii ‘ was \textquoteleft, which biber decodes and then leaves out
OTHER_NAMES = [
    {"family": "Smith given=Jo", "given": "Ann"},
    {"family": "‘Quo", "given": "Ann"},
    {"literal": "useprefix=true"},
]
HOSTILE_DOI = "10.1000/a_b#c%d}e&f$g^h~i"
HOSTILE_URL = "https://example.org/a_b%20c?q=&y=$#frag~x"  # a valid URL: biber escapes a "^" as %5E


def _hostile_items() -> list[dict]:
    names = SPECIAL_NAMES + OTHER_NAMES
    return [
        {
            "id": f"hostile{n}",
            "type": "article-journal",
            "title": "Title",
            "container-title": "Journal",
            "author": [name],
            "issued": {"date-parts": [[2024]]},
            "DOI": HOSTILE_DOI,
            "URL": HOSTILE_URL,
        }
        for n, name in enumerate(names)
    ]


@pytest.mark.parametrize(
    ("dialect", "document", "ascii"),
    [
        pytest.param(d, doc, a, id=f"{d}{'-without-url' if doc else ''}-{'ascii' if a else 'utf8'}")
        for d, doc in (("bibtex", None), ("bibtex", NATBIB_WITHOUT_URL), ("biblatex", None))
        for a in (False, True)
    ],
)
def test_names_and_identifiers_made_of_specials_print_as_given(tmp_path, dialect, document, ascii):
    """Every special at the start of a name word, "=" in names, and a DOI and URL full of specials
    (plainnat without the url package included): no error, no warning, printed as given."""
    need_tools(dialect)
    items = _hostile_items()
    keys = [item["id"] for item in items]
    build = compile_bib(tmp_path, bibtex.to_bib(items, dialect, ascii), keys, dialect, document)
    assert build.blg_problems(TOOL[dialect]) == [] and build.unresolved() == []
    assert build.latex_warnings() == []
    assert sorted(bbl_keys(build.bbl, dialect)) == sorted(keys)
    shown = build.pdf_text()
    for name in SPECIAL_NAMES + OTHER_NAMES:
        for part in (name.get("family"), name.get("given"), name.get("literal")):
            if part:
                assert "".join(part.split()) in shown, part
    # braces cannot stand alone in a .bib field: a DOI's "}" is percent-encoded, the same identifier
    assert shown.count(HOSTILE_DOI.replace("}", "%7D")) == len(items)
    assert shown.count(HOSTILE_URL) == len(items)


def test_biber_initials_skip_the_specials_it_can(tmp_path):
    """biber makes initials from a name word's first character once it has dropped letter-named
    commands and braces, and writes it to the .bbl as it is: a lone brace there stops LaTeX. The
    specials with a text command biber leaves alone start no initial; for & % # $ LaTeX has none,
    and biber's initial is a backslash (known: shown only by styles that print initials)."""
    need_tools("biblatex")
    items = _hostile_items()[: len(SPECIALS)]
    build = compile_bib(tmp_path, bibtex.to_bib(items, "biblatex"), [i["id"] for i in items], "biblatex")
    initials = _initials(build.bbl)
    for item, special in zip(items, SPECIALS, strict=True):
        initial = initials[item["id"]]
        if special in "&%$#":
            assert initial == ("\\", "\\ \\-\\"), special
        else:
            assert initial == ("F", "G W-H"), special


def _initials(bbl: str) -> dict[str, tuple[str, str]]:
    """key → (family initials, given initials) of its one author, biblatex's delimiters written plainly."""
    plain = bbl.replace("\\bibinitperiod", "").replace("\\bibinitdelim ", " ").replace("\\bibinithyphendelim ", "-")
    entry = r"\\entry\{(\w+)\}.*?familyi=\{(.*?)\},\s*given=.*?\s*giveni=\{(.*?)\},"
    return {key: (family, given) for key, family, given in re.findall(entry, plain, re.S)}


# Latin-1 and Latin Extended-A letters, less those pdflatex's inputenc has no glyph for (Ħ, Ŀ, ĸ, Ŧ, ſ…):
# with --ascii pylatexenc only approximates them (Ħ as a macron H), so UTF-8 with biber is their home
_NO_PDFLATEX_GLYPH = "ĦħĿŀĸŉŦŧſ"
LATIN = "".join(
    chr(c)
    for c in range(0xC0, 0x180)
    if unicodedata.category(chr(c)) in ("Lu", "Ll") and chr(c) not in _NO_PDFLATEX_GLYPH
)


@pytest.mark.parametrize(
    ("dialect", "ascii"),
    [pytest.param(d, a, id=f"{d}-{'ascii' if a else 'utf8'}") for d in ("bibtex", "biblatex") for a in (False, True)],
)
def test_latin_letters_compile_clean(tmp_path, dialect, ascii):
    need_tools(dialect)
    words = [LATIN[i : i + 8] for i in range(0, len(LATIN), 8)]  # name-sized words: BibTeX wraps lines at spaces
    item = {
        "id": "latin",
        "type": "article",
        "title": " ".join(words),
        "author": [{"family": family, "given": given} for family, given in zip(words[::2], words[1::2], strict=False)],
        "issued": {"date-parts": [[2024]]},
    }
    build = compile_bib(tmp_path, bibtex.to_bib([item], dialect, ascii), ["latin"], dialect)
    assert build.blg_problems(TOOL[dialect]) == [] and build.unresolved() == []


def test_natbib_labels_and_titles_match_acl_natbib_reference(tmp_path):
    """All 26 versions cited together: plainnat's labels and lower-cased titles equal acl_natbib's."""
    need_tools("bibtex")
    reference_bbl = need_shared("reference", "acl-reference.bbl").read_text(encoding="utf-8")
    reference_items = json.loads(need_shared("reference", "acl-reference.json").read_text(encoding="utf-8"))
    published = [i for i in csl.to_csl(CATALOGUE, "published") if i["custom"]["version"] == "published"]
    preprints = [dict(i, id=f"{i['id']}-preprint") for i in csl.to_csl(CATALOGUE, "preprint")]
    items = published + preprints
    build = compile_bib(tmp_path, bibtex.to_bib(items, "bibtex"), [i["id"] for i in items], "bibtex")
    assert build.blg_problems("bibtex") == [] and build.unresolved() == []
    assert _labels(build.bbl) == _labels(reference_bbl)
    ours = _flat(build.bbl)
    for item in reference_items:
        assert _flat(item["title"]) in ours, item["id"]


def _labels(bbl: str) -> dict[str, str]:
    """key → natbib label (short authors, year with a/b, long authors), whitespace-normalised."""
    labels = {}
    for start in (m.end() for m in re.finditer(r"\\bibitem\[", bbl)):
        depth, at = 0, start
        while depth or bbl[at] != "]":  # the label's own ] is the first one outside braces
            depth += {"{": 1, "}": -1}.get(bbl[at], 0)
            at += 1
        label = bbl[start:at]
        key = re.match(r"\]\{([^}]+)\}", bbl[at:]).group(1)
        label = label[1:-1] if label.startswith("{") and label.endswith("}") else label
        labels[key] = " ".join(label.split())
    return labels


def _flat(text: str) -> str:
    return " ".join(re.sub(r'[{}]|<span class="nocase">|</span>', "", text).split()).lower()


@pytest.mark.parametrize(
    ("name", "printed"),
    [
        ({"family": "Doe", "given": "-"}, "{-} Doe"),  # once "has a comma at the end", an error
        ({"family": "Doe", "given": "x-"}, "{x-} Doe"),  # the hyphen was dropped
        ({"family": "-Foo", "given": "Bar"}, "Bar {-Foo}"),
        ({"family": "Doe", "given": "a - b"}, "{a - b} Doe"),
        ({"family": "Ann-Marie", "given": "Jean-Pierre"}, "Jean-Pierre Ann-Marie"),  # inner hyphens stay bare
    ],
)
def test_names_with_edge_hyphens_print_whole(tmp_path, name, printed):
    """BibTeX reads a hyphen at a word's edge as a separator: such a part is braced so it prints as written."""
    need_tools("bibtex")
    item = {"id": "p", "type": "article", "title": "T", "issued": {"date-parts": [[2024]]}, "author": [name]}
    code, blg = bibtex_only(tmp_path, bibtex.to_bib([item]))
    assert code == 0 and "Warning--" not in blg and "error message" not in blg, blg
    assert f"\n{printed}.\n" in (tmp_path / "doc.bbl").read_text(encoding="utf-8")


# ── property: whatever the text, BibTeX reads the file and pybtex reads it back ────────────────

_LIGATURES = ("--", "``", "''", "?`", "!`", ",,", "<<", ">>")  # LaTeX typesets these as dashes and quotes
_SPECIALS = string.ascii_letters + string.digits + " &%$#_{}~^\\.,:;!?()[]'\"-/+=@<>|"


def _papers(ascii: bool) -> st.SearchStrategy:
    """Titles and names from LaTeX's special characters and letters: Latin (ASCII mode), any script (UTF-8)."""
    letters = st.sampled_from(LATIN) if ascii else st.characters(categories=("Lu", "Ll", "Nd", "Pd", "Pi", "Pf", "Zs"))
    text = st.text(st.one_of(st.sampled_from(_SPECIALS), letters), min_size=1, max_size=40).filter(
        lambda s: s.strip() and not any(lig in s for lig in _LIGATURES)
    )
    name = st.one_of(st.fixed_dictionaries({"family": text, "given": text}), st.fixed_dictionaries({"literal": text}))
    paper = st.fixed_dictionaries({"title": text, "author": st.lists(name, min_size=1, max_size=4)})
    return st.tuples(st.just(ascii), st.lists(paper, min_size=1, max_size=12))


# each example runs BibTeX once over up to 12 entries; shrinking would rerun it thousands of times, so a
# failure is reported as found (the example is printed) rather than shrunk
@settings(
    max_examples=30,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(case=st.booleans().flatmap(_papers))
def test_any_text_is_read_by_bibtex_and_pybtex(tmp_path_factory, case):
    ascii, papers = case
    need_tools("bibtex")
    items = [
        {"id": f"p{n}", "type": "article", "issued": {"date-parts": [[2024]]}, **paper}
        for n, paper in enumerate(papers)
    ]
    text = bibtex.to_bib(items, "bibtex", ascii)
    code, blg = bibtex_only(tmp_path_factory.mktemp("prop"), text)
    assert code == 0 and "Warning--" not in blg and "error message" not in blg, blg
    parsed = parse_string(text, "bibtex")
    for item in items:
        entry = parsed.entries[item["id"]]
        assert latex_to_text(entry.fields["title"]) == _nfc(item["title"])
        assert [_person(p) for p in entry.persons["author"]] == [_csl_name(n) for n in item["author"]]


def _person(person) -> str:
    family = " ".join(person.prelast_names + person.last_names)
    given = " ".join(person.first_names + person.middle_names)
    return latex_to_text(f"{family}|{given}")


def _csl_name(name: dict) -> str:
    return _nfc(name.get("literal", name.get("family", ""))) + "|" + _nfc(name.get("given", ""))


def _nfc(text: str) -> str:
    """The text as written out: whitespace runs as one space, canonically composed (NFC, as pylatexenc does)."""
    return " ".join(unicodedata.normalize("NFC", text).split())
