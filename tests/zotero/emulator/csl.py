"""Item data -> CSL-JSON the way the api.zotero.org server makes it (`format=csljson`).

The server has its own quirks, unlike the desktop client (notes §5): `id` is
"<internal library ID>/<key>", every creator is {family, given} (no `literal`, no particle
parsing), the primary creator type becomes `author`, Extra goes raw to `note`, and both `shortTitle`
and `title-short` are emitted because the schema's table lists both. The type, field and name
tables are the schema's own `csl` section (schema_v41.py).
"""

from __future__ import annotations

import re
from typing import Any

from tests.zotero.emulator.schema import Schema

ISO_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
YEAR_RE = re.compile(r"\b(\d{4})\b")
# `issued` keeps the year as a string (server quirk); other dates are all integers (notes §5).
STRING_YEAR_VARS = ("issued",)


def item_to_csl(schema: Schema, data: dict[str, Any], item_id: str) -> dict[str, Any]:
    """One item's `data` -> one CSL-JSON object."""
    item_type = data["itemType"]
    out: dict[str, Any] = {"id": item_id, "type": schema.csl_types[item_type]}
    for variable, bases in schema.csl_text.items():
        for base in bases:
            name = schema.field_for_base(item_type, base)
            if name and data.get(name):
                out[variable] = data[name]
                break
    primary = schema.primary_creator_type(item_type)
    for creator in data.get("creators", []):
        ctype = creator["creatorType"]
        variable = "author" if ctype == primary else schema.csl_names.get(ctype)
        if not variable:
            continue
        if "name" in creator:
            name = {"family": creator["name"], "given": ""}
        else:
            name = {"family": creator.get("lastName", ""), "given": creator.get("firstName", "")}
        out.setdefault(variable, []).append(name)
    for variable, field_name in schema.csl_dates.items():
        value = data.get(field_name) if field_name in schema.fields[item_type] else None
        if value:
            out[variable] = parse_date(value, string_year=variable in STRING_YEAR_VARS)
    return out


def parse_date(value: str, *, string_year: bool) -> dict[str, Any]:
    """'2024-05-01' -> {"date-parts": [[y, 5, 1]]}; anything without a year -> {"literal": value}."""
    match = ISO_DATE_RE.match(value.strip())
    if match:
        parts = [int(p) for p in match.groups() if p is not None]
        parts = parts[:1] + [p for p in parts[1:] if p]  # a zero month/day means "unknown"
    else:
        year = YEAR_RE.search(value)
        if not year:
            return {"literal": value}
        parts = [int(year.group(1))]
    if string_year:
        return {"date-parts": [[str(parts[0]), *parts[1:]]]}
    return {"date-parts": [parts]}
