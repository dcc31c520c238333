"""The ACL reference through our render path, and every place citeproc-py still differs, on record.

pandoc must print ../shared/reference/acl-reference.txt entry for entry, in the .bst's order.
citeproc-py is held to a list: tests/goldens/render/citeproc-py-known-differences.json records,
for the reference set (against the .bst's text in ACL, against pandoc in APA) and for the
catalogue in APA and ACL (published and preprint versions, against pandoc), each entry where
citeproc-py's text differs, and the order where it differs, each with a reason written by a
person. A fix removes records, a regression adds
them; both fail this test until the file is regenerated (REGENERATE_GOLDENS=1) and reviewed.
A record without a reason fails too.
"""

from __future__ import annotations

import json

import pytest

from syndata_export import render
from tests.conftest import need_shared
from tests.golden import GOLDENS, REGENERATE, check_golden
from tests.render_support import emphasis_text, items, read_reference_txt

KNOWN = "render/citeproc-py-known-differences.json"
CATALOGUE_CASES = [(style, prefer) for style in ("apa", "acl") for prefer in ("published", "preprint")]


def entries(data: list[dict], style: str, engine: str) -> dict[str, str]:
    return {e.key: emphasis_text(e.text) for e in render.bibliography(data, style, engine, "html")}


def reference_items() -> list[dict]:
    return json.loads(need_shared("reference", "acl-reference.json").read_text(encoding="utf-8"))


def expected_reference() -> dict[str, str]:
    return read_reference_txt(need_shared("reference", "acl-reference.txt").read_text(encoding="utf-8"))


def test_pandoc_prints_the_acl_reference_entry_for_entry():
    expected = expected_reference()
    got = entries(reference_items(), "acl", "pandoc")
    assert list(got) == list(expected), "order as acl_natbib.bst sorts"
    for key, text in expected.items():
        assert got[key] == text, key


def differences(case: str, expected: dict[str, str], got: dict[str, str]) -> list[dict]:
    """Records for every differing entry, plus one for the order (the smallest window that differs)."""
    found = [
        {"case": case, "key": key, "expected": text, "citeproc-py": got.get(key, "")}
        for key, text in expected.items()
        if got.get(key) != text
    ]
    want, have = list(expected), list(got)
    if want != have:
        start = next(i for i, (a, b) in enumerate(zip(want, have, strict=True)) if a != b)
        end = len(want) - next(i for i, (a, b) in enumerate(zip(want[::-1], have[::-1], strict=True)) if a != b)
        found.append({"case": case, "key": "(order)", "expected": want[start:end], "citeproc-py": have[start:end]})
    return found


def current_differences() -> list[dict]:
    reference = reference_items()
    records = differences("acl-reference", expected_reference(), entries(reference, "acl", "citeproc-py"))
    records += differences(
        "acl-reference/apa", entries(reference, "apa", "pandoc"), entries(reference, "apa", "citeproc-py")
    )
    for style, prefer in CATALOGUE_CASES:
        data = items(prefer)
        case = f"catalogue/{style}/{prefer}"
        records += differences(case, entries(data, style, "pandoc"), entries(data, style, "citeproc-py"))
    return records


def with_reasons(records: list[dict]) -> list[dict]:
    """Carry over the reasons people wrote in the recorded file (only on regeneration does this matter)."""
    path = GOLDENS / KNOWN
    old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
    reasons = {(r["case"], r["key"]): r.get("why", "") for r in old}
    return [dict(r, why=reasons.get((r["case"], r["key"]), "")) for r in records]


def test_citeproc_py_differs_only_as_recorded():
    records = with_reasons(current_differences())
    check_golden(KNOWN, json.dumps(records, indent=2, ensure_ascii=False) + "\n")
    if not REGENERATE:
        missing = [f"{r['case']} {r['key']}" for r in records if not r["why"].strip()]
        assert not missing, f"give a reason for each known difference: {missing}"


@pytest.mark.parametrize("key", ["dong2023abilities", "dong2024self-preprint", "seddik2024bad-preprint"])
def test_citeproc_py_gets_year_suffixes_from_us(key):
    # citeproc-py assigns none itself; these three are 2024a/2024b in acl_natbib.bst's output.
    got = entries(reference_items(), "acl", "citeproc-py")
    assert got[key] == expected_reference()[key]
