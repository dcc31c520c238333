"""pull: members' edits and new papers in Zotero proposed as catalogue changes, applied, then synced
back with no write and no conflict (CLI, emulator over real HTTP)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from syndata_export import catalogue
from tests.zotero.sync_helpers import CATALOGUE, COLLECTION, by_citation_key, cli, live_items, pull


@pytest.fixture
def synced(zotero_server, tmp_path):
    """The shipped catalogue (a copy) synced into the empty group."""
    path = tmp_path / "catalogue.yaml"
    shutil.copyfile(CATALOGUE, path)
    code, _, err = cli(zotero_server, catalogue_path=path)
    assert code == 0, err
    return zotero_server, path


def _item(server, key: str) -> dict:
    (data,) = by_citation_key(server)[key]
    return data


def _section(server, name: str) -> str:
    return next(c["key"] for c in server.collections() if c["name"] == name and c.get("parentCollection"))


def _root(server) -> str:
    return next(c["key"] for c in server.collections() if c["name"] == COLLECTION and not c.get("parentCollection"))


def test_after_a_sync_pull_proposes_nothing_in_three_requests(synced):
    server, path = synced
    before = path.read_bytes()
    server.clear_log()
    code, out, err = pull(server, "--json", catalogue_path=path)
    assert code == 0, err
    report = json.loads(out)
    assert (report["edits"], report["new"], report["notes"], report["diff"]) == ([], [], [], "")
    assert len(server.requests) == 3  # key check, collections, one page of 14 items
    assert server.writes == 0 and path.read_bytes() == before


def test_a_members_edit_is_proposed_at_its_catalogue_path_applied_and_the_next_sync_writes_nothing(synced):
    server, path = synced
    item = _item(server, "tan2024large")
    server.edit_item(item["key"], {"pages": "930-958", "title": item["title"] + " of methods"})
    code, out, err = pull(server, catalogue_path=path)
    assert code == 0, err
    assert "-      pages: 930-957\n+      pages: 930-958\n" in out
    assert "published.pages: '930-957' → '930-958'" in err and "published.title" in err
    assert path.read_bytes() == CATALOGUE.read_bytes()  # no --apply, no write

    code, out, err = pull(server, "--apply", catalogue_path=path)
    assert code == 0, err
    record = next(r for r in catalogue.read(path).records if r.key == "tan2024large").fields
    assert record["published"]["pages"] == "930-958"
    assert "written to the catalogue (1 paper); 1 item marked" in err
    server.clear_log()
    code, out, err = cli(server, "--json", catalogue_path=path)
    assert code == 0, err
    assert server.writes == 0
    assert json.loads(out)["summary"]["conflict"] == 0


def test_accept_takes_only_the_papers_named(synced):
    server, path = synced
    for key in ("tan2024large", "dong2024self"):
        server.edit_item(_item(server, key)["key"], {"volume": "7"})
    code, out, err = pull(server, "--apply", "--accept", "dong2024self", "--json", catalogue_path=path)
    assert code == 0, err
    assert sorted({e["paper"] for e in json.loads(out)["edits"]}) == ["dong2024self", "tan2024large"]
    fields = {r.key: r.fields for r in catalogue.read(path).records}
    assert fields["dong2024self"]["published"]["volume"] == "7" and "volume" not in fields["tan2024large"]["published"]
    server.clear_log()
    code, out, err = cli(server, "--json", catalogue_path=path)
    conflicts = [a["paper"] for a in json.loads(out)["actions"] if a["action"] == "conflict"]
    assert conflicts == ["tan2024large"] and server.writes == 0


MEMBERS_PAPER = {
    "itemType": "journalArticle",
    "title": "Synthetic Data at Scale",
    "creators": [{"creatorType": "author", "firstName": "Ada", "lastName": "Lovelace"}],
    "date": "2025-03",
    "publicationTitle": "Journal of Data",
    "DOI": "10.1234/jd.2025.1",
    "extra": "Citation Key: lovelace2025data\nOriginal Date: 2024",
}


def test_a_members_paper_in_a_section_is_proposed_applied_and_then_managed_not_duplicated(synced):
    server, path = synced
    item = server.add_item({**MEMBERS_PAPER, "collections": [_section(server, "Research Papers")]})
    server.add_item({"itemType": "note", "note": "a note is no paper", "collections": [_root(server)]})
    code, out, err = pull(server, "--json", catalogue_path=path)
    assert code == 0, err
    (new,) = json.loads(out)["new"]
    assert (new["key"], new["section"], new["item"]) == ("lovelace2025data", "Research Papers", item)
    assert new["fields"]["container"] == "Journal of Data" and new["fields"]["date"] == "2025-03"
    assert "extra: Original Date: 2024" in err  # not modelled: listed

    code, out, err = pull(server, "--apply", catalogue_path=path)
    assert code == 0, err
    assert [r.key for r in catalogue.read(path).records][-1] == "lovelace2025data"
    code, out, err = cli(server, "--json", catalogue_path=path)
    assert code == 0, err
    rows = [a for a in json.loads(out)["actions"] if a["paper"] == "lovelace2025data"]
    assert [(r["action"], r["item"]) for r in rows] == [("update", item)]
    assert len(by_citation_key(server)["lovelace2025data"]) == 1
    assert "Original Date: 2024" in server.get_item(item)["extra"]  # the member's line kept
    server.clear_log()
    code, out, err = cli(server, catalogue_path=path)
    assert code == 0 and server.writes == 0


def test_a_paper_in_the_top_collection_needs_a_section(synced):
    server, path = synced
    data = {**MEMBERS_PAPER, "extra": "", "collections": [_root(server)]}
    item = server.add_item(data)
    code, out, err = pull(server, "--json", catalogue_path=path)
    assert code == 0, err
    report = json.loads(out)
    assert report["new"] == [] and [n["kind"] for n in report["notes"]] == ["needs-section"]
    assert "--section NAME" in err
    code, out, err = pull(server, "--section", "Analysis Papers", "--json", catalogue_path=path)
    (new,) = json.loads(out)["new"]
    assert (new["key"], new["section"], new["item"]) == ("lovelace2025synthetic", "Analysis Papers", item)


def test_a_paper_already_in_the_catalogue_is_reported_not_added(synced):
    server, path = synced
    server.add_item(
        {
            "itemType": "preprint",
            "title": "Someone's copy",
            "archiveID": "arXiv:2402.13446",
            "creators": [{"creatorType": "author", "name": "Tan"}],
            "date": "2024",
            "collections": [_section(server, "Survey Papers")],
        }
    )
    code, out, err = pull(server, "--json", catalogue_path=path)
    assert code == 0, err
    report = json.loads(out)
    assert report["new"] == [] and [(n["kind"], n["paper"]) for n in report["notes"]] == [
        ("same-paper", "tan2024large")
    ]


def test_an_item_that_cannot_be_mapped_is_named_and_nothing_is_written(synced):
    server, path = synced
    good = server.add_item({**MEMBERS_PAPER, "collections": [_section(server, "Research Papers")]})
    bad = server.add_item(
        {**MEMBERS_PAPER, "title": "Other", "DOI": "10.1/x", "extra": "", "date": "", "collections": [_root(server)]}
    )
    code, out, err = pull(server, "--apply", "--section", "Survey Papers", "--json", catalogue_path=path)
    assert code == 1
    report = json.loads(out)
    assert [n["item"] for n in report["new"]] == [good]  # the rest still proposed
    assert f"item {bad}: date is missing" in err
    assert report["applied"] is False and path.read_bytes() == CATALOGUE.read_bytes()


@pytest.mark.parametrize(
    ("args", "key", "message", "exit_code"),
    [
        pytest.param(("--collection", "Nope"), None, "no collection 'Nope'", 1, id="unknown_collection"),
        pytest.param(("--library", "groups/999"), None, "cannot read groups/999", 1, id="unknown_library"),
        pytest.param((), "NOKEY0000000000000000000", "the Zotero API key was refused", 1, id="key_refused"),
        pytest.param(("--section", "Surveys"), None, "is not a section of the catalogue", 2, id="unknown_section"),
    ],
)
def test_bad_input_is_a_clear_message_and_the_catalogue_stays(synced, args, key, message, exit_code):
    server, path = synced
    code, out, err = pull(server, *args, key=key, catalogue_path=path)  # a repeated option: the last one counts
    assert code == exit_code and message in err
    assert path.read_bytes() == CATALOGUE.read_bytes()


def test_a_read_only_key_is_enough_and_leaves_the_markers(synced):
    server, path = synced
    server.edit_item(_item(server, "tan2024large")["key"], {"pages": "1-2"})
    server.clear_log()
    code, out, err = pull(server, "--apply", "--json", key=server.read_only_key, catalogue_path=path)
    assert code == 0, err
    assert server.writes == 0
    assert set(json.loads(out)["markers"].values()) == {"not marked: the key cannot write"}
    assert "pages: 1-2" in Path(path).read_text(encoding="utf-8")


def test_faults_are_waited_out_and_a_library_changing_mid_read_is_read_again(synced):
    server, path = synced
    for n in range(95):
        server.add_item({"itemType": "book", "title": f"A member's book {n}"})
    server.fail_next(429, method="GET", path=r"/items$", retry_after=1)
    server.fail_next(503, method="GET", path=r"/collections$", retry_after=1)
    server.before(3, lambda: server.add_item({"itemType": "book", "title": "one more"}))  # the 429, page 1, page 2
    server.clear_log()
    code, out, err = pull(server, "--json", catalogue_path=path)
    assert code == 0, err
    assert json.loads(out)["new"] == [] and "pull: waiting 1 s" in err
    assert server.count("GET", r"/items$", status=200) == 4  # two pages, torn; two again
    assert server.writes == 0
    assert len(live_items(server)) == 14 + 96


EVERY_TYPE = [  # one member item of each type the sync maps, with Zotero's own field names and date forms
    {"itemType": "journalArticle", "title": "Journal paper", "publicationTitle": "J. Synth.", "volume": "3",
     "issue": "2", "pages": "1-9", "date": "March 5, 2024", "DOI": "10.5555/t.1"},
    {"itemType": "conferencePaper", "title": "Conference paper", "proceedingsTitle": "Proc. Synth.",
     "date": "2024-06", "DOI": "10.5555/t.2", "place": "Vienna, Austria"},
    {"itemType": "preprint", "title": "A preprint", "repository": "arXiv", "archiveID": "arXiv:2501.01111",
     "date": "2025-01-02", "url": "https://arxiv.org/abs/2501.01111"},
    {"itemType": "book", "title": "A book", "publisher": "Press", "date": "2023", "url": "https://example.org/b"},
    {"itemType": "bookSection", "title": "A chapter", "bookTitle": "Collected", "pages": "10-20",
     "date": "21 February 2022", "url": "https://example.org/c"},
    {"itemType": "thesis", "title": "A thesis", "university": "Uni", "thesisType": "PhD thesis",
     "date": "2021-09-30", "url": "https://example.org/t"},
    {"itemType": "report", "title": "A report", "institution": "Lab", "reportNumber": "TR-7", "date": "Feb 2020",
     "url": "https://example.org/r"},
    {"itemType": "webpage", "title": "A web page", "websiteTitle": "Blog", "date": "2024-02-21T10:00:00Z",
     "url": "https://example.org/w"},
]  # fmt: skip
CREATORS = [
    {"creatorType": "author", "firstName": "Ada", "lastName": "Lovelace"},
    {"creatorType": "author", "name": "The Synthetic Data Consortium"},
    {"creatorType": "contributor", "firstName": "Grace", "lastName": "Hopper"},
]


def test_members_papers_of_every_type_creator_and_date_form_become_records_that_pass_check(synced):
    server, path = synced
    section = _section(server, "Research Papers")
    for data in EVERY_TYPE:
        server.add_item({**data, "creators": CREATORS, "collections": [section]})
    code, out, err = pull(server, "--apply", "--json", catalogue_path=path)
    assert code == 0, err
    report = json.loads(out)
    assert len(report["new"]) == 8
    assert "contributor: Hopper, Grace" in err, "a creator the catalogue does not model is listed"
    records = {r.fields["title"]: r.fields for r in catalogue.read(path).records}
    assert records["Journal paper"]["date"] == "2024-03-05" or str(records["Journal paper"]["date"]) == "2024-03-05"
    assert records["A preprint"]["arxiv"] == "2501.01111" and records["A preprint"]["type"] == "article"
    assert records["A thesis"]["type"] == "thesis" and records["A web page"]["type"] == "webpage"
    assert records["A report"]["authors"] == ["Lovelace, Ada", {"literal": "The Synthetic Data Consortium"}]
    assert str(records["A report"]["date"]) == "2020-02"
    code, _, err = cli(server, catalogue_path=path)  # the sync takes them over: no second copy
    assert code == 0, err
    assert len(live_items(server)) == 14 + 8


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--collection", "No Such Collection"), "No Such Collection"),
        (("--library", "groups/999"), "groups/999"),
    ],
)
def test_an_unknown_collection_or_library_is_a_clear_error_and_the_catalogue_untouched(synced, args, says):
    server, path = synced
    before = path.read_bytes()
    code, out, err = pull(server, *args, catalogue_path=path)  # given last, an option overrides the helper's
    assert code == 1 and says in err and "Traceback" not in err, err
    assert path.read_bytes() == before
