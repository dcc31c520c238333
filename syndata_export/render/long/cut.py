"""A long list cut into parts that print what the whole prints, and the parts merged back; pure.

The words, used throughout ``render.long``: a **group** is the items that must stay together
(they share a name key, so their cites may be disambiguated against each other); a **part** is
groups packed together, what pandoc's citeproc renders as one bibliography of its own; each
pandoc process renders several parts (:func:`deal`). Items are referred to by their index in
the list, so every part keeps the list's order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

# the fields of a name that a cite prints in every form, in order of preference
PRINTED_ALWAYS = ("family", "literal", "given")
_WORD = re.compile(r"\w+")


def name_keys(item: dict) -> set[str]:
    """Words of the first name of every name variable: what a cite of this item prints first.

    Case-folded and NFKC-normalised, so text-case transforms cannot hide a match; particles and
    compound family names give several words, which only joins more references (never fewer).
    """
    keys: set[str] = set()
    for value in item.values():
        if not (isinstance(value, list) and value and isinstance(value[0], dict)):
            continue
        first = value[0]
        for field in PRINTED_ALWAYS:
            if isinstance(first.get(field), str) and first[field].strip():
                keys.update(_words(first[field]))
                if field == "family":
                    for particle in ("non-dropping-particle", "dropping-particle"):
                        keys.update(_words(first.get(particle) or ""))
                break
    return keys


def groups(items: Sequence[dict], keyed: bool) -> list[list[int]] | None:
    """Indices of items that must stay together, each group in input order; None: cannot tell.

    Unkeyed plans put every item in a group of its own. Keyed plans join items that share a name
    key (union-find over keys); an item without any name means the list takes one pass (None).
    """
    if not keyed:
        return [[i] for i in range(len(items))]
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, item in enumerate(items):
        keys = name_keys(item)
        if not keys:
            return None
        for key in keys:
            j = owner.setdefault(key, i)
            a, b = find(i), find(j)
            if a != b:
                parent[max(a, b)] = min(a, b)
    out: dict[int, list[int]] = {}
    for i in range(len(items)):
        out.setdefault(find(i), []).append(i)
    return list(out.values())


def parts(groups: Iterable[list[int]], size: int) -> list[list[int]]:
    """Groups packed into parts of about ``size`` items (a larger group stays whole), input order kept.

    Largest groups first, each into the currently smallest part: parts come out even, so
    parallel workers finish together.
    """
    groups = sorted(groups, key=len, reverse=True)
    total = sum(len(g) for g in groups)
    count = max(1, min(len(groups), round(total / size) if size else 1))
    packed: list[list[int]] = [[] for _ in range(count)]
    for group in groups:
        min(packed, key=len).extend(group)
    return [sorted(p) for p in packed if p]


def deal(parts: Sequence[list[int]], processes: int) -> list[list[list[int]]]:
    """Parts dealt among at most ``processes`` pandoc processes, about equal item counts each, largest first."""
    dealt: list[list[list[int]]] = [[] for _ in range(max(1, min(processes, len(parts))))]
    for part in sorted(parts, key=len, reverse=True):
        min(dealt, key=lambda share: sum(map(len, share))).append(part)
    return sorted(dealt, key=lambda share: sum(map(len, share)), reverse=True)


class OrderMismatch(Exception):
    """A part's entries came back in an order the whole list does not have: the plan was wrong."""


def merge(order: Sequence[str], parts: Sequence[Sequence[tuple[str, object]]]) -> list[tuple[str, object]]:
    """Entries of every part, in the global ``order``; each part must already agree with it."""
    position = {key: i for i, key in enumerate(order)}
    found: dict[str, object] = {}
    for part in parts:
        keys = [key for key, _ in part]
        if any(key not in position for key in keys) or [position[k] for k in keys] != sorted(position[k] for k in keys):
            raise OrderMismatch("a part is not in the order of the whole bibliography")
        found.update(part)
    if len(found) != len(order) or set(found) != set(order):
        raise OrderMismatch("the parts do not hold exactly the entries of the whole bibliography")
    return [(key, found[key]) for key in order]


def _words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())
