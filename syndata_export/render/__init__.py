"""Formatted bibliographies: CSL items + a style → one pass through an engine → grouped text.

The whole bibliography goes through the engine at once, so sorting and year suffixes (2024a,
2024b) are global; only then are entries grouped under their sections, in catalogue order, each
section keeping the style's order. Engines and formats are plain registries; an engine takes the
resolved style (``styles.resolve``: parsed once per run) and imports its heavy libraries only
when it runs. What an engine cannot do as asked it says in an :class:`EngineWarning`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType

from syndata_export import csl, styles
from syndata_export.errors import SyndataError, UsageError
from syndata_export.render import html, inline, markdown, text

DEFAULT_STYLE = "apa"
DEFAULT_ENGINE = "pandoc"
DEFAULT_FORMAT = "markdown"

# the links a paper carries after its reference, in this order, as the original list has them
LINKS = ("Paper", "arXiv", "Project", "Code")
# from this many papers the pandoc engine hands the list to ``render.long``, which may cut it into
# exact parts; below it one pass is as fast as any cut, and nothing of render.long is even imported
LONG_LIST = 300


@dataclass(frozen=True)
class Entry:
    """One formatted reference: the paper's citation key and its text in the chosen format."""

    key: str
    text: str


@dataclass(frozen=True)
class Row:
    """An entry as a page shows it: the reference, the paper's (label, url) links, and its title
    as CSL-JSON has it (markup and all), which names the links on an HTML page."""

    entry: Entry
    links: tuple[tuple[str, str], ...]
    title: str = ""
    aliases: tuple[str, ...] = ()  # the paper's former keys: a page keeps an anchor for each


class EngineWarning(UserWarning):
    """An engine could not do what was asked and says what it did instead (the CLI prints each one)."""


EngineFn = Callable[[list[dict], styles.Style], list[tuple[str, inline.Inlines]]]


def _pandoc(items: list[dict], style: styles.Style) -> list[tuple[str, inline.Inlines]]:
    """Pandoc in one pass; a long list through ``render.long``, which may cut it into exact parts (same output).

    Either way pandoc reads the style as ``pandoc.sortable`` gives it, so it sorts as it prints.
    """
    from syndata_export.render import pandoc

    with pandoc.sortable(style) as sortable:
        if len(items) < LONG_LIST:
            return pandoc.bibliography(items, sortable.path)
        from syndata_export.render import long

        return long.bibliography(items, sortable)


def _citeproc_py(items: list[dict], style: styles.Style) -> list[tuple[str, inline.Inlines]]:
    from syndata_export.render import citeproc

    return citeproc.bibliography(items, style.path)


ENGINES: dict[str, EngineFn] = {"pandoc": _pandoc, "citeproc-py": _citeproc_py}
FORMATS: dict[str, ModuleType] = {"markdown": markdown, "html": html, "text": text}


def get_engine(name: str) -> EngineFn:
    if name not in ENGINES:
        raise UsageError(f"unknown engine {name!r}", "engines are: " + ", ".join(ENGINES))
    return ENGINES[name]


def get_format(name: str) -> ModuleType:
    if name not in FORMATS:
        raise UsageError(f"unknown format {name!r}", "formats are: " + ", ".join(FORMATS))
    return FORMATS[name]


def bibliography(
    csl_items: list[dict],
    style: styles.Style | str = DEFAULT_STYLE,
    engine: str = DEFAULT_ENGINE,
    fmt: str = DEFAULT_FORMAT,
) -> list[Entry]:
    """Every item formatted in one pass, in the style's order.

    ``style`` is resolved once by the caller (``styles.resolve``); a name or .csl path is resolved here.
    """
    run, writer = get_engine(engine), get_format(fmt)
    style = styles.resolve(style) if isinstance(style, str) else style
    formatted = run([csl.with_et_al(item) for item in csl_items], style) if csl_items else []
    _check_complete(csl_items, formatted, engine)
    return [Entry(key, writer.inline(nodes)) for key, nodes in formatted]


def render(
    csl_items: list[dict],
    section_order: Sequence[str],
    style: styles.Style | str = DEFAULT_STYLE,
    engine: str = DEFAULT_ENGINE,
    fmt: str = DEFAULT_FORMAT,
    standalone: bool = False,
    title: str = "",
    description: str = "",
) -> str:
    """The bibliography as a document: a heading per section (catalogue order), one item per paper.

    ``standalone`` heads it with ``title``; the HTML page adds ``description`` and a table of contents.
    """
    entries = bibliography(csl_items, style, engine, fmt)
    by_key = {item["id"]: item for item in csl_items}
    sections = group(entries, by_key, section_order)
    page = {"description": description} if fmt == "html" else {}
    return get_format(fmt).document(sections, title=title, standalone=standalone, **page)


def group(
    entries: list[Entry], by_key: dict[str, dict], section_order: Sequence[str], arxiv: bool = False
) -> list[tuple[str, list[Row]]]:
    """Entries under their sections: sections in ``section_order`` (unknown ones after), empty ones
    left out; each with its :func:`links`."""
    rows: dict[str, list[Row]] = {name: [] for name in section_order}
    for entry in entries:
        item = by_key[entry.key]
        section = csl.custom(item).get("section", "")
        aliases = tuple(csl.custom(item).get("aliases", ()))
        rows.setdefault(section, []).append(Row(entry, links(item, arxiv), item.get("title", ""), aliases))
    return [(name, section_rows) for name, section_rows in rows.items() if section_rows]


def links(item: dict, arxiv: bool = False) -> tuple[tuple[str, str], ...]:
    """[Paper], then [Project] and [Code]: the one rule for every output that links a paper.

    [Paper] is the version cited: its own page, else its DOI, else its preprint (a published
    paper is never linked to its preprint under the published paper's reference). With ``arxiv``
    (the paper list's look) an [arXiv] link to the preprint follows when that is another page.
    """
    custom = csl.custom(item)
    preprint = custom.get("arxiv_url", "")
    doi = f"https://doi.org/{item['DOI']}" if item.get("DOI") else ""
    paper = item.get("URL") or doi or preprint
    found = {"Paper": paper, "arXiv": preprint if arxiv and preprint != paper else ""}
    found |= {"Project": custom.get("project", ""), "Code": custom.get("code", "")}
    return tuple((label, found[label]) for label in LINKS if found[label])


def _check_complete(items: list[dict], formatted: list[tuple[str, inline.Inlines]], engine: str) -> None:
    """An engine that silently drops or invents entries would lose papers; say so instead."""
    wanted = [item["id"] for item in items]
    got = [key for key, _ in formatted]
    if sorted(wanted) != sorted(got):
        missing = sorted(set(wanted) - set(got))
        extra = sorted(set(got) - set(wanted))
        raise SyndataError(
            f"{engine} returned {len(got)} entries for {len(wanted)} papers",
            f"missing: {', '.join(missing[:5]) or '-'}; unexpected: {', '.join(extra[:5]) or '-'}",
        )
