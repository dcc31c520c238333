"""Helpers the render tests share: the catalogue as CSL items, entries as comparable text."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from syndata_export import catalogue, csl
from tests.conftest import REPO

CATALOGUE = REPO / "catalogue.yaml"
STYLES = ("apa", "acl")
ENGINES = ("pandoc", "citeproc-py")
FORMATS = ("markdown", "html", "text")
EXTENSIONS = {"markdown": "md", "html": "html", "text": "txt"}


@lru_cache(maxsize=1)
def load_catalogue() -> catalogue.Catalogue:
    return catalogue.read(str(CATALOGUE))


def items(prefer: str = "published") -> list[dict]:
    return csl.to_csl(load_catalogue(), prefer)


def emphasis_text(entry_html: str) -> str:
    """An HTML reference as the reference files write it: *italics*, no other markup, one line."""
    text = entry_html.replace("<em>", "*").replace("</em>", "*")
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def read_reference_txt(text: str) -> dict[str, str]:
    """acl-reference.txt: key → entry, in the .bbl's order (paragraphs: key line, then the entry)."""
    entries: dict[str, str] = {}
    for para in text.strip().split("\n\n"):
        key, body = para.strip().split("\n", 1)
        entries[key.strip()] = " ".join(body.split())
    return entries
