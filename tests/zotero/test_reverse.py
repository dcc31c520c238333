"""Zotero item data back to catalogue fields: the shipped catalogue round-trips through the sync's
mapping for both versions; hand-made items of every type the mapping has, creators of every kind,
Extra lines and dates in Zotero's forms map as the catalogue writes them; what cannot be mapped
says which item and field."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syndata_export import catalogue, csl
from syndata_export.errors import UsageError
from syndata_export.zotero import mapping, reverse
from tests.zotero.emulator.schema import SCHEMA, validate_item
from tests.zotero.sync_helpers import CATALOGUE, COLLECTION

INHERITED = ("type", "title", "authors", "date")  # what a published block takes from the preprint


def served(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` as the server stores and returns it: every field of the type, ``""`` when empty."""
    return dict(validate_item(SCHEMA, data, None, put=False), key="ABCD2345", version=3)


def at(record: dict[str, Any], path: str) -> Any:
    """The value the sync writes for the field at ``path`` (a published block inherits INHERITED)."""
    if path.startswith("published."):
        name = path.removeprefix("published.")
        value = record["published"].get(name)
        return record.get(name) if value is None and name in INHERITED else value
    return record.get(path)


def shipped() -> list[catalogue.Record]:
    return catalogue.load(CATALOGUE).records


# -- the shipped catalogue -------------------------------------------------------------------------


@pytest.mark.parametrize("schema_version", [None, SCHEMA.version], ids=["key-in-extra", "native-key"])
@pytest.mark.parametrize("prefer", ["published", "preprint"])
def test_every_shipped_paper_reads_back_as_the_version_the_sync_wrote(prefer, schema_version):
    cat = catalogue.load(CATALOGUE)
    records = cat.records
    assert len(records) == 14
    for record in records:
        item = csl.record_to_csl(record, tuple(cat.protected_terms), prefer)
        fields, unmodelled = reverse.to_record(served(mapping.to_zotero(item, COLLECTION, schema_version)))
        paths = reverse.catalogue_paths(record.fields, prefer)
        assert unmodelled == [], record.key
        assert set(fields) <= set(paths), record.key
        for name, value in fields.items():
            own = at(record.fields, paths[name])
            if name == "title":  # the sync writes sentence case, which has no way back
                assert value == mapping.MARKUP.sub("", item["title"]) and value.casefold() == own.casefold()
            elif name == "tags":  # the sync's first tag is the section
                assert value == list(dict.fromkeys([record.fields["section"], *(own or [])])), record.key
            elif name == "url" and own is None:  # made from the arXiv, Anthology or OpenReview ID
                assert value == item["URL"], record.key
            elif name == "pages":
                assert value == csl.pages(own), record.key
            else:
                assert value == (own if isinstance(own, list) else str(own)), (record.key, name)
        written = {name for name, path in paths.items() if at(record.fields, path) not in (None, "", [])}
        not_written = {"arxiv_class"} | (
            {"acl_anthology", "openreview"} if "published." not in paths["type"] else set()
        )
        assert written - not_written <= set(fields), (record.key, written - set(fields))


def test_where_each_field_of_the_written_version_lives():
    tan = next(r for r in shipped() if r.key == "tan2024large").fields
    published = reverse.catalogue_paths(tan, "published")
    assert published["title"] == "published.title" and published["doi"] == "published.doi"
    assert published["acl_anthology"] == "published.acl_anthology"
    assert {published[name] for name in ("key", "arxiv", "arxiv_class", "tags")} == {
        "key",
        "arxiv",
        "arxiv_class",
        "tags",
    }
    preprint = reverse.catalogue_paths(tan, "preprint")
    assert all(path == name for name, path in preprint.items())
    without_block = {k: v for k, v in tan.items() if k != "published"}
    assert reverse.catalogue_paths(without_block, "published") == preprint
    with pytest.raises(UsageError, match="unknown --prefer value 'newest'"):
        reverse.catalogue_paths(tan, "newest")


# -- hand-made items of every type -------------------------------------------------------------------

# a value for each catalogue field, as a member would type it
VALUES = {
    "title": "A study of <i>things</i>",
    "container": "Journal of Things",
    "volume": "12",
    "issue": "3",
    "pages": "101-120",
    "publisher": "Thing Press",
    "place": "Vienna, Austria",
    "doi": "10.1234/things.2024.1",
    "url": "https://example.org/things",
}


@pytest.mark.parametrize("item_type", list(mapping.ITEM_TYPES.values()))
def test_a_hand_made_item_of_every_type_maps_each_field_the_type_has(item_type):
    own = reverse._FIELDS[item_type]
    others = [t for t in SCHEMA.creator_types[item_type] if t != "author"]
    data = {
        "itemType": item_type,
        **{field: VALUES[name] for field, name in own.items()},
        "abstractNote": "We study things.",
        "date": "February 21, 2024",
        "creators": [
            {"creatorType": "author", "firstName": "Ada", "lastName": "Lovelace"},
            {"creatorType": "author", "name": "The Things Consortium"},
            {"creatorType": others[0], "firstName": "Jane", "lastName": "Smith"},
        ],
        "extra": "Citation Key: lovelace2024study\nRead for the reading group.",
        "tags": [{"tag": "things"}, {"tag": "Survey Papers", "type": 1}],
    }
    fields, unmodelled = reverse.to_record(served(data))
    assert fields == {
        "type": reverse.TYPES[item_type],
        **{name: VALUES[name] for name in own.values()},
        "title": "A study of things",
        "authors": ["Lovelace, Ada", {"literal": "The Things Consortium"}],
        "date": "2024-02-21",
        "key": "lovelace2024study",
        "note": "Read for the reading group.",
        "tags": ["things", "Survey Papers"],
    }
    assert unmodelled == [
        "title: A study of <i>things</i>",
        f"{others[0]}: Smith, Jane",
        "abstractNote: We study things.",
    ]


def test_fields_a_type_lacks_come_back_from_the_extra_lines_the_sync_writes_for_them():
    item = {
        "type": "article",
        "citation-key": "k2024",
        "title": "T",
        "container-title": "Workshop on Things",
        "volume": "2",
        "page": "1-9",
        "issued": {"date-parts": [[2024]]},
    }
    data = served(mapping.to_zotero(item, COLLECTION))
    assert "container-title: Workshop on Things" in data["extra"]
    fields, unmodelled = reverse.to_record(data)
    assert fields == {
        "type": "article",
        "title": "T",
        "date": "2024",
        "container": "Workshop on Things",
        "volume": "2",
        "pages": "1-9",
        "key": "k2024",
    }
    assert unmodelled == []


@pytest.mark.parametrize(
    "extra, fields, unmodelled",
    [
        pytest.param("Citation Key: a2024b", {"key": "a2024b"}, [], id="citation_key_line"),
        pytest.param("arXiv: 2402.13446", {"arxiv": "2402.13446"}, [], id="arxiv_line_as_the_sync_writes_it"),
        pytest.param("arXiv:2402.13446 [cs.CL]", {"arxiv": "2402.13446", "arxiv_class": "cs.CL"}, [], id="arxiv_class"),
        pytest.param("Publication Title: J. Things", {"container": "J. Things"}, [], id="zotero_field_name_label"),
        pytest.param("DOI: 10.1/x\nDOI: 10.2/y", {"doi": "10.1/x"}, [], id="first_field_line_wins"),
        pytest.param("ISBN: 978-3-16-148410-0", {}, ["extra: ISBN: 978-3-16-148410-0"], id="field_the_catalogue_lacks"),
        pytest.param(
            "tex.howpublished: online\nSee also X.",
            {"note": "tex.howpublished: online\nSee also X."},
            [],
            id="free_text_is_the_note",
        ),
        pytest.param(f"{mapping.MARKER_PREFIX} 0123456789abcdef Papers", {}, [], id="the_sync_marker"),
    ],
)
def test_extra_lines_are_read_as_zotero_reads_them(extra, fields, unmodelled):
    got, listed = reverse.to_record(served({"itemType": "journalArticle", "extra": extra}))
    assert got == {"type": "article-journal", **fields} and listed == unmodelled


def test_the_native_citation_key_wins_over_an_extra_line_and_the_archive_id_over_the_url():
    data = {
        "itemType": "preprint",
        "citationKey": "native2024",
        "archiveID": "arXiv:2401.00001",
        "repository": "arXiv",
        "url": "https://arxiv.org/abs/2402.13446",
        "extra": "Citation Key: extra2024",
    }
    fields, unmodelled = reverse.to_record(served(data))
    assert fields == {"type": "article", "key": "native2024", "arxiv": "2401.00001", "url": data["url"]}
    assert unmodelled == []


def test_a_preprint_of_another_repository_keeps_it():
    data = {
        "itemType": "preprint",
        "repository": "SSRN",
        "archiveID": "SSRN 4711",
        "url": "https://arxiv.org/pdf/2402.13446v2",
    }
    fields, unmodelled = reverse.to_record(served(data))
    assert fields == {"type": "article", "publisher": "SSRN", "url": data["url"], "arxiv": "2402.13446v2"}
    assert unmodelled == ["archiveID: SSRN 4711"]


# -- creators ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "creator, name",
    [
        pytest.param({"firstName": "Ada", "lastName": "Lovelace"}, "Lovelace, Ada", id="two_fields"),
        pytest.param({"name": "OpenAI"}, {"literal": "OpenAI"}, id="single_field"),
        pytest.param({"name": "Google, Inc."}, {"literal": "Google, Inc."}, id="single_field_with_a_comma"),
        pytest.param({"firstName": "", "lastName": "Plato"}, {"literal": "Plato"}, id="family_name_only"),
        pytest.param({"firstName": "Martin Luther, Jr.", "lastName": "King"}, "King, Jr., Martin Luther", id="suffix"),
        pytest.param({"firstName": "Jan", "lastName": "van der Berg"}, "van der Berg, Jan", id="particle"),
        pytest.param(
            {"firstName": "B", "lastName": "Smith, A"}, {"family": "Smith, A", "given": "B"}, id="comma_in_family"
        ),
        pytest.param({"firstName": "a,b", "lastName": "C"}, {"family": "C", "given": "a,b"}, id="comma_in_given"),
    ],
)
def test_an_author_of_every_form(creator, name):
    fields, _ = reverse.to_record({"itemType": "book", "creators": [{"creatorType": "author", **creator}]})
    assert fields["authors"] == [name]


def test_creators_other_than_authors_are_listed_with_their_role():
    creators = [
        {"creatorType": "editor", "firstName": "J.", "lastName": "Smith"},
        {"creatorType": "seriesEditor", "name": "Board of Things"},
        {"creatorType": "bookAuthor", "firstName": "B", "lastName": "Smith, A"},
        {"creatorType": "translator", "firstName": "", "lastName": "Nobody"},
        {"creatorType": "author", "firstName": "", "lastName": ""},  # the template's empty creator
    ]
    fields, unmodelled = reverse.to_record({"itemType": "bookSection", "creators": creators})
    assert "authors" not in fields
    assert unmodelled == [
        "editor: Smith, J.",
        "seriesEditor: Board of Things",
        "bookAuthor: Smith, A, B",
        "translator: Nobody",
    ]


# -- dates ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, wanted",
    [
        ("2024-02-21", "2024-02-21"),
        ("2024-02", "2024-02"),
        ("2024", "2024"),
        ("2024/2/3", "2024-02-03"),
        ("2024-02-21T10:00:00Z", "2024-02-21"),
        ("2024-02-21 10:00:00", "2024-02-21"),
        ("February 21, 2024", "2024-02-21"),
        ("21 February 2024", "2024-02-21"),
        ("Feb 2024", "2024-02"),
        ("Sept. 3rd, 2024", "2024-09-03"),
        ("2/21/2024", "2024-02-21"),
        ("21.02.2024", "2024-02-21"),
        ("3/3/2024", "2024-03-03"),
        ("  February   2024 ", "2024-02"),
    ],
)
def test_a_date_in_a_form_zotero_reads(text, wanted):
    fields, _ = reverse.to_record({"itemType": "webpage", "date": text})
    assert fields["date"] == wanted


@pytest.mark.parametrize(
    "text, why",
    [
        pytest.param("2/3/2024", "could be read day-first or month-first", id="day_or_month"),
        pytest.param("Spring 2024", "names no month", id="season"),
        pytest.param("Ju 2024", "names no month", id="two_letters"),
        pytest.param("n.d.", "is not a date the catalogue can hold", id="no_date"),
        pytest.param("2024-13", r"is not a date \(month must be in 1..12\)", id="month_13"),
        pytest.param("2023-02-29", "is not a date", id="no_such_day"),
        pytest.param("24-02-21", "is not a date the catalogue can hold", id="two_digit_year"),
    ],
)
def test_a_date_that_is_not_one_names_the_item_and_the_field(text, why):
    with pytest.raises(reverse.Unmappable, match=why) as caught:
        reverse.to_record({"itemType": "report", "key": "QRST9876", "date": text})
    error = caught.value
    assert (error.key, error.field, error.value) == ("QRST9876", "date", text)
    assert str(error).startswith(f"item QRST9876: date {text!r} ") and "YYYY-MM-DD" in str(error)


@pytest.mark.parametrize("item_type", ["note", "attachment", "blogPost", None])
def test_an_item_type_the_catalogue_has_no_type_for_is_unmappable(item_type):
    with pytest.raises(reverse.Unmappable, match="is not a type the catalogue maps") as caught:
        reverse.to_record({"key": "ABCD2345", "itemType": item_type})
    assert (caught.value.key, caught.value.field) == ("ABCD2345", "itemType")
    assert "journalArticle" in caught.value.hint


# -- wide inputs -----------------------------------------------------------------------------------------

_word = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp", "Zs")), min_size=1, max_size=12
)
_value = st.lists(_word, min_size=1, max_size=4).map(" ".join)


@st.composite
def items(draw: st.DrawFn) -> dict[str, Any]:
    item_type = draw(st.sampled_from(sorted(reverse.TYPES)))
    names = [f for f in SCHEMA.fields[item_type] if f not in ("date", "extra", "citationKey", "accessDate")]
    data: dict[str, Any] = {"itemType": item_type}
    data |= {f: draw(_value) for f in draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names)))}
    kinds = st.sampled_from(SCHEMA.creator_types[item_type])
    two = st.fixed_dictionaries({"creatorType": kinds, "firstName": _value, "lastName": _value})
    one = st.fixed_dictionaries({"creatorType": kinds, "name": _value})
    data["creators"] = draw(st.lists(two | one, max_size=4))
    dates = st.dates(min_value=date(1000, 1, 1))
    data["date"] = draw(dates.map(str) | dates.map(lambda d: d.strftime("%B %d, %Y")))
    data["extra"] = "\n".join(draw(st.lists(_value, max_size=3)))
    return data


@given(items())
def test_nothing_in_an_item_is_dropped_silently(data):
    fields, unmodelled = reverse.to_record(served(data))
    assert set(fields) <= set(reverse.catalogue_paths(fields, "published"))
    assert all(not isinstance(v, str) or (v == v.strip() and v) for v in fields.values())
    listed = {line.split(":", 1)[0] for line in unmodelled}
    consumed = {"title", "itemType", "creators", "date", "extra", "archiveID", "url", "DOI"}
    for name, value in data.items():
        mapped = reverse._FIELDS[data["itemType"]].get(name)
        assert name in consumed or name in listed or (mapped and fields.get(mapped) == value.strip()), name
    others = [c["creatorType"] for c in data["creators"] if c["creatorType"] != "author"]
    assert len(fields.get("authors", [])) == len(data["creators"]) - len(others)
    assert [
        role
        for role in (line.split(":", 1)[0] for line in unmodelled)
        if role in SCHEMA.creator_types[data["itemType"]]
    ] == others
    for line in data["extra"].splitlines():
        assert ":" in line or line.strip() in fields["note"]


@given(
    st.lists(
        st.fixed_dictionaries({"firstName": _value, "lastName": _value}) | st.fixed_dictionaries({"name": _value}),
        min_size=1,
        max_size=5,
    )
)
def test_an_author_read_back_is_written_again_as_it_was(creators):
    written = [{"creatorType": "author", **c} for c in creators]
    fields, _ = reverse.to_record({"itemType": "journalArticle", "creators": written})
    item = {"type": "article-journal", "citation-key": "k", "author": [csl.parse_name(a) for a in fields["authors"]]}
    assert mapping.to_zotero(item, COLLECTION)["creators"] == written
