"""sources.ids: an identifier as people paste it → which kind it is and its bare value; pure.

arXiv ids (``2406.18966``, ``arXiv:2406.18966v2``, abs/pdf links, old ``hep-th/9901001``), DOIs
(bare, ``doi:``, doi.org links) and ACL Anthology ids and links. An arXiv id loses its version:
the catalogue cites a paper, not one version of it. Whether a value is well formed is decided by
:mod:`syndata_export.identifiers`, the one place for those rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote

from syndata_export import identifiers
from syndata_export.errors import UsageError
from syndata_export.textcheck import shown

Kind = Literal["arxiv", "doi", "anthology"]

FORMS = (
    "an arXiv id (2406.18966, arXiv:2406.18966v2, hep-th/9901001, https://arxiv.org/abs/2406.18966), "
    "a DOI (10.18653/v1/2024.acl-long.12, doi:10.…, https://doi.org/10.…) "
    "or an ACL Anthology id (2024.acl-long.12, P19-1001, https://aclanthology.org/2024.acl-long.12/)"
)
_ARXIV_LINK = re.compile(r"(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/(.+?)(?:\.pdf)?/?", re.I)
_ARXIV_PREFIX = re.compile(r"arxiv:\s*", re.I)
_DOI_LINK = re.compile(r"(?:https?://)?(?:dx\.)?doi\.org/(.+)|doi:\s*(.+)", re.I)
_ANTHOLOGY_LINK = re.compile(
    r"(?:https?://)?(?:www\.)?(?:aclanthology\.org|aclweb\.org/anthology)/(.+?)(?:/|\.pdf|\.bib)?", re.I
)
_VERSION = re.compile(r"v\d+\Z")


@dataclass(frozen=True)
class Identifier:
    kind: Kind
    value: str


def parse(text: str) -> Identifier:
    """The identifier in ``text``; a UsageError listing the accepted forms when it is none of them."""
    value = text.strip()
    if link := _ARXIV_LINK.fullmatch(value):
        return _arxiv(link.group(1), text)
    if link := _DOI_LINK.fullmatch(value):
        return _doi(unquote(link.group(1) or link.group(2)), text)
    if link := _ANTHOLOGY_LINK.fullmatch(value):
        return _anthology(link.group(1), text)
    if _ARXIV_PREFIX.match(value):
        return _arxiv(_ARXIV_PREFIX.sub("", value, count=1), text)
    if value.startswith("10."):
        return _doi(value, text)
    if identifiers.ANTHOLOGY.fullmatch(value):
        return Identifier("anthology", value)
    return _arxiv(value, text)


def _arxiv(value: str, text: str) -> Identifier:
    if identifiers.arxiv(value) is not None:
        raise _unknown(text)
    return Identifier("arxiv", _VERSION.sub("", value))


def _doi(value: str, text: str) -> Identifier:
    if identifiers.doi(value) is not None:
        raise _unknown(text)
    return Identifier("doi", value)


def _anthology(value: str, text: str) -> Identifier:
    if not identifiers.ANTHOLOGY.fullmatch(value):
        raise _unknown(text)
    return Identifier("anthology", value)


def _unknown(text: str) -> UsageError:
    return UsageError(f"{shown(text)} is not an identifier this command knows", f"give {FORMS}")
