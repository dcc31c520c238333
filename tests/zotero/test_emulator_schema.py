"""The emulator's record of Zotero's item schema (emulator/schema_v41.py) against the official schema.json
(../shared/schemas/zotero-schema.json, version 41), for every item type the record covers."""

from __future__ import annotations

import json

from syndata_export.zotero import mapping
from tests.conftest import need_shared
from tests.zotero.emulator.schema import SCHEMA


def test_the_record_covers_every_type_the_sync_writes_and_the_child_types():
    assert set(SCHEMA.fields) == {*mapping.ITEM_TYPES.values(), "note", "attachment"}
    assert all("citationKey" in SCHEMA.fields[t] for t in mapping.ITEM_TYPES.values())


def test_the_record_agrees_with_the_official_schema_for_every_type_it_covers():
    official = json.loads(need_shared("schemas", "zotero-schema.json").read_text(encoding="utf-8"))
    assert SCHEMA.version == official["version"] == 41
    entries = {entry["itemType"]: entry for entry in official["itemTypes"]}
    csl = official["csl"]
    for item_type, fields in SCHEMA.fields.items():
        entry = entries[item_type]
        assert fields == [f["field"] for f in entry["fields"]], item_type
        assert [SCHEMA.base[(item_type, f["field"])] for f in entry["fields"]] == [
            f.get("baseField", f["field"]) for f in entry["fields"]
        ], item_type
        primary_first = sorted(entry["creatorTypes"], key=lambda c: not c.get("primary"))
        assert SCHEMA.creator_types[item_type] == [c["creatorType"] for c in primary_first], item_type
        assert SCHEMA.csl_types[item_type] == next(t for t, zotero in csl["types"].items() if item_type in zotero)
    # the CSL tables, limited to the fields and creator types of the covered types, in the schema's order
    text = [(v, [b for b in bases if b in SCHEMA.all_fields]) for v, bases in csl["fields"]["text"].items()]
    assert list(SCHEMA.csl_text.items()) == [(v, bases) for v, bases in text if bases]
    assert list(SCHEMA.csl_dates.items()) == [
        (v, f) for v, f in csl["fields"]["date"].items() if f in SCHEMA.all_fields
    ]
    assert SCHEMA.csl_names == {c: csl["names"][c] for c in SCHEMA.all_creator_types}
    labels = official["locales"]["en-US"]
    assert SCHEMA.labels["itemTypes"] == {t: labels["itemTypes"][t] for t in SCHEMA.fields}
    assert SCHEMA.labels["fields"] == {f: labels["fields"][f] for f in SCHEMA.all_fields}
    assert SCHEMA.labels["creatorTypes"] == {c: labels["creatorTypes"][c] for c in SCHEMA.all_creator_types}
