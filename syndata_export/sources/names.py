"""A person's name as a service prints it ("Luciano Del Corro") → the catalogue's "Family, Given".

Semantic Scholar and DBLP give display names only. Where the family name starts is not written
in them, so nameparser's knowledge of particles (del, van, de la) and suffixes does the split; a
name the service already wrote as "Family, Given" is kept as it is.
"""

from __future__ import annotations

from nameparser import HumanName


def catalogue_name(display: str) -> str:
    """``"Andrew M. Dai"`` → ``"Dai, Andrew M."``; a single word stays as it is (an organisation)."""
    display = " ".join(display.split())
    if "," in display or " " not in display:
        return display
    name = HumanName(display)
    given = " ".join(part for part in (name.title, name.first, name.middle) if part)
    family = name.last
    if name.suffix:
        family = f"{family}, {name.suffix}"
    return f"{family}, {given}" if family and given else display
