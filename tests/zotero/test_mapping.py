"""The CSL → Zotero mapping against Zotero's schema (v41): every mapped catalogue item uses only fields
and creator types valid for its type (checked against the emulator's record of the schema, so it
runs anywhere), and the mapping tables agree with the official schema's CSL mappings
(../shared/schemas/zotero-schema.json)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syndata_export.zotero import mapping
from tests.conftest import need_shared
from tests.zotero.emulator.schema import SCHEMA
from tests.zotero.sync_helpers import COLLECTION, csl_items

ITEM_PROPS = {"itemType", "creators", "tags", "extra"}


@pytest.fixture(scope="module")
def schema():
    raw = json.loads(need_shared("schemas", "zotero-schema.json").read_text(encoding="utf-8"))
    types = {t["itemType"]: t for t in raw["itemTypes"]}
    return raw, types


@pytest.mark.parametrize("schema_version", [None, SCHEMA.version], ids=["key-in-extra", "native-key"])
@pytest.mark.parametrize("prefer", [pytest.param("published", id="published"), pytest.param("preprint", id="preprint")])
def test_every_mapped_catalogue_item_is_valid_for_its_zotero_type(prefer, schema_version):
    for item in csl_items(prefer=prefer):
        data = mapping.to_zotero(item, COLLECTION, schema_version)
        item_type = data["itemType"]
        assert SCHEMA.csl_types[item_type] == item["type"], item["id"]
        fields = set(SCHEMA.fields[item_type])
        assert set(data) - ITEM_PROPS <= fields, (item["id"], set(data) - ITEM_PROPS - fields)
        assert "extra" in fields
        for creator in data["creators"]:
            assert creator["creatorType"] in SCHEMA.creator_types[item_type]
            assert set(creator) in ({"creatorType", "firstName", "lastName"}, {"creatorType", "name"})
            assert all(str(v).strip() for v in creator.values())
        assert all(isinstance(v, str) and v == v.strip() and v for k, v in data.items() if k not in ITEM_PROPS)
        key_line = f"Citation Key: {item['citation-key']}"
        if schema_version is None:
            assert data["extra"].splitlines()[0] == key_line and "citationKey" not in data
        else:
            assert data["citationKey"] == item["citation-key"] and key_line not in data["extra"]
        assert data["tags"][0] == {"tag": item["custom"]["section"], "type": 1}


def test_the_mapping_tables_follow_the_schemas_csl_mappings(schema):
    raw, types = schema
    text = raw["csl"]["fields"]["text"]
    for csl_type, item_type in mapping.ITEM_TYPES.items():
        assert raw["csl"]["types"][csl_type][0] == item_type
        own = {f["field"]: f.get("baseField", f["field"]) for f in types[item_type]["fields"]}
        for variable, field in mapping.FIELDS[item_type].items():
            assert field in own, (item_type, field)
            candidates = [f for base in text[variable] for f, b in own.items() if base in (f, b)]
            assert candidates[0] == field, (item_type, variable, candidates)
    names = {csl_name: zotero for zotero, csl_name in raw["csl"]["names"].items()}
    for csl_name, creator_type in mapping.CREATOR_TYPES.items():
        assert names[csl_name] == creator_type or raw["csl"]["names"][creator_type] == csl_name


_line = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), max_size=30)


@given(
    title=_line, extra=st.lists(_line, max_size=4), key=st.from_regex(r"[a-z]{3,8}20[0-9]{2}[a-z]{2,6}", fullmatch=True)
)
def test_the_ownership_hash_ignores_what_members_may_change_and_sees_the_rest(title, extra, key):
    data = {
        "itemType": "preprint",
        "title": title or "t",
        "creators": [{"creatorType": "author", "name": "A"}],
        "extra": "\n".join([f"Citation Key: {key}", *(e for e in extra if not e.startswith("syndata"))]),
        "tags": [{"tag": "Survey Papers", "type": 1}],
    }
    marked = mapping.with_marker(data, COLLECTION)
    stamp = mapping.marker(marked, COLLECTION)
    assert stamp == mapping.content_hash(mapping.content(marked))
    assert mapping.marker(marked, "Another collection") is None
    # collections, relations, manual tags, and Zotero 8 moving the key into its own field: not edits
    migrated = dict(marked, extra=marked["extra"].replace(f"Citation Key: {key}", "").strip("\n"), citationKey=key)
    free = dict(migrated, collections=["ABCD2345"], tags=[*data["tags"], {"tag": "to-read"}], relations={})
    assert mapping.content_hash(mapping.content(free)) == stamp
    # a changed title, creator or automatic tag is an edit
    for edited in (
        dict(marked, title=marked["title"] + "x"),
        dict(marked, creators=[{"creatorType": "author", "name": "B"}]),
        dict(marked, tags=[]),
    ):
        assert mapping.content_hash(mapping.content(edited)) != stamp
