"""CSL-JSON: valid against the official schema, shaped as Zotero exports preprints, deterministic."""

from __future__ import annotations

import json

import jsonschema
import pytest

from syndata_export import catalogue, csl
from tests.conftest import REPO, need_shared

CATALOGUE = catalogue.read(REPO / "catalogue.yaml")


@pytest.fixture(scope="module")
def schema():
    return json.loads(need_shared("schemas", "csl-data.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("prefer", csl.PREFER)
def test_catalogue_csl_json_is_schema_valid(schema, prefer):
    items = csl.to_csl(CATALOGUE, prefer)
    assert len(items) == 14
    jsonschema.validate(items, schema)


def test_schema_rejects_what_it_should(schema):
    """Guard against a schema check that cannot fail."""
    item = csl.to_csl(CATALOGUE)[0]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([dict(item, type="preprint")], schema)


def test_preprints_look_like_zotero_exports():
    item = {i["id"]: i for i in csl.to_csl(CATALOGUE, "preprint")}["mitra2024agentinstruct"]
    assert item["type"] == "article"
    assert item["number"] == "arXiv:2407.03502"
    assert item["publisher"] == "arXiv"
    assert item["DOI"] == "10.48550/arXiv.2407.03502"
    assert item["URL"] == "https://arxiv.org/abs/2407.03502"
    assert "genre" not in item
    assert item["issued"] == {"date-parts": [[2024, 7, 3]]}
    assert item["title"] == '<span class="nocase">AgentInstruct</span>: Toward generative teaching with agentic flows'
    assert item["custom"]["section"] == "Research Papers"


def test_published_versions_carry_their_own_venue():
    item = {i["id"]: i for i in csl.to_csl(CATALOGUE)}["tan2024large"]
    assert item["type"] == "paper-conference"
    assert item["container-title"].startswith("Proceedings of the 2024 Conference on Empirical Methods")
    assert item["publisher-place"] == "Miami, Florida, USA"
    assert item["URL"] == "https://aclanthology.org/2024.emnlp-main.54/"
    assert item["custom"] == {
        "acl_anthology": "2024.emnlp-main.54",
        "arxiv": "2402.13446",
        "arxiv_class": "cs.CL",
        "arxiv_url": "https://arxiv.org/abs/2402.13446",
        "project": "https://github.com/Zhen-Tan-dmml/LLM4Annotation",
        "section": "Survey Papers",
        "title_as_published": "Large Language Models for Data Annotation and Synthesis: A Survey",
        "version": "published",
    }
    assert "number" not in item and item["DOI"] == "10.18653/v1/2024.emnlp-main.54"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("Tan, Zhen", {"family": "Tan", "given": "Zhen"}, id="family_given"),
        pytest.param("Del Corro, Luciano", {"family": "Del Corro", "given": "Luciano"}, id="two_word_family"),
        pytest.param("King, Jr., Martin", {"family": "King", "suffix": "Jr.", "given": "Martin"}, id="suffix"),
        pytest.param("OpenAI", {"literal": "OpenAI"}, id="organisation"),
        pytest.param({"literal": "The ACME Consortium"}, {"literal": "The ACME Consortium"}, id="mapping"),
    ],
)
def test_parse_name(name, expected):
    assert csl.parse_name(name) == expected


def test_sections_filter_and_order():
    items = csl.to_csl(CATALOGUE, sections=["Analysis Papers", "Survey Papers"])
    assert [i["id"] for i in items][:2] == ["tan2024large", "gan2024theoretical"], "catalogue order kept"
    assert {i["custom"]["section"] for i in items} == {"Analysis Papers", "Survey Papers"}


def test_a_section_name_matches_in_either_unicode_form(tmp_path):
    """A terminal may send 'Études' decomposed (E + U+0301); the file holds it composed."""
    text = (REPO / "catalogue.yaml").read_text(encoding="utf-8").replace("Survey Papers", "Études")
    path = tmp_path / "catalogue.yaml"
    path.write_text(text, encoding="utf-8")
    decomposed = "E\u0301tudes"
    items = csl.to_csl(catalogue.read(path), sections=[decomposed])
    assert [i["id"] for i in items] == ["tan2024large"]
    assert items[0]["custom"]["section"] == "Études", "the name is written as the catalogue has it"
