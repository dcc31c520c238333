"""The house ACL style against acl_natbib.bst, and every place citeproc-py still differs, on record.

``styles/acl.csl`` must be valid CSL 1.0.2 and, through our render path with pandoc, print
../shared/reference/acl-reference.txt (the real .bbl of acl-reference.json, LaTeX removed,
\\emph{} as *…*) entry for entry, in the .bst's order.

citeproc-py is held to a list: tests/goldens/render/citeproc-py-known-differences.json records,
for the reference set (against the .bst's text in ACL, against pandoc in APA) and for the
catalogue in APA and ACL (published and preprint versions, against pandoc), each entry where
citeproc-py's text differs, and the order where it differs, each with a reason written by a
person. A fix removes records, a regression adds them; both fail here until the file is
regenerated (REGENERATE_GOLDENS=1, which rewrites the cases a test checks) and reviewed. A
record without a reason fails too, and so does one whose entries citeproc-py renders without a
warning naming them. The catalogue's cases need nothing beside the repository.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import warnings

import pytest

from syndata_export import render
from tests.conftest import REPO, need_shared
from tests.golden import GOLDENS, REGENERATE
from tests.render.support import emphasis_text, items, read_reference_txt

KNOWN = GOLDENS / "render" / "citeproc-py-known-differences.json"
REFERENCE_CASES = ("acl-reference", "acl-reference/apa")
CATALOGUE_CASES = {
    f"catalogue/{style}/{prefer}": (style, prefer) for style in ("apa", "acl") for prefer in ("published", "preprint")
}


def entries(data: list[dict], style: str, engine: str, warned: list[str] | None = None) -> dict[str, str]:
    """Key → text; the engine's warnings are added to ``warned``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", render.EngineWarning)
        found = {e.key: emphasis_text(e.text) for e in render.bibliography(data, style, engine, "html")}
    if warned is not None:
        warned += [str(w.message) for w in caught if w.category is render.EngineWarning]
    return found


def reference_items() -> list[dict]:
    return json.loads(need_shared("reference", "acl-reference.json").read_text(encoding="utf-8"))


def expected_reference() -> dict[str, str]:
    return read_reference_txt(need_shared("reference", "acl-reference.txt").read_text(encoding="utf-8"))


def test_style_validates_against_csl_1_0_2_schema():
    schema = need_shared("schemas", "csl-style", "csl.rnc")
    jing = shutil.which("jing")
    if jing is None:
        if os.environ.get("CI"):
            pytest.fail("jing is not on PATH under CI")
        pytest.skip("jing is not on PATH (outside CI)")
    style = REPO / "styles" / "acl.csl"
    proc = subprocess.run([jing, "-c", str(schema), str(style)], capture_output=True, text=True, check=False)
    errors = [
        line for line in (proc.stdout + proc.stderr).splitlines() if line.strip() and not line.startswith("[warning]")
    ]
    assert proc.returncode == 0 and not errors, "\n".join(errors)


def test_pandoc_prints_the_acl_reference_entry_for_entry():
    expected = expected_reference()
    got = entries(reference_items(), "acl", "pandoc")
    # sorted as the bst: authors name by name, then year, then title; this order also fixes
    # which entry gets 2024a and which 2024b
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


def check_recorded(records: list[dict], cases: list[str], warned: list[str]) -> None:
    """``records`` are exactly what the file records for ``cases``, each with a reason written by a
    person and each entry named in one of citeproc-py's ``warned`` warnings."""
    recorded = json.loads(KNOWN.read_text(encoding="utf-8"))
    reasons = {(r["case"], r["key"]): r.get("why", "") for r in recorded}
    records = [dict(r, why=reasons.get((r["case"], r["key"]), "")) for r in records]
    if REGENERATE:  # these cases replaced, the others kept; in the file's order of cases
        order = [*REFERENCE_CASES, *CATALOGUE_CASES]
        kept = [r for r in recorded if r["case"] not in cases]
        merged = sorted(kept + records, key=lambda r: order.index(r["case"]))
        KNOWN.write_text(json.dumps(merged, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return
    assert records == [r for r in recorded if r["case"] in cases], f"regenerate {KNOWN.name} and review the diff"
    missing = [f"{r['case']} {r['key']}" for r in records if not r["why"].strip()]
    assert not missing, f"give a reason for each known difference: {missing}"
    keys = {key for r in records for key in (r["citeproc-py"] if r["key"] == "(order)" else [r["key"]])}
    unwarned = sorted(key for key in keys if not any(key in message for message in warned))
    assert not unwarned, f"citeproc-py renders these known differences without a warning: {unwarned}"


def test_citeproc_py_differs_on_the_catalogue_only_as_recorded():
    records, warned = [], []
    for case, (style, prefer) in CATALOGUE_CASES.items():
        data = items(prefer)
        records += differences(case, entries(data, style, "pandoc"), entries(data, style, "citeproc-py", warned))
    check_recorded(records, list(CATALOGUE_CASES), warned)


def test_citeproc_py_differs_on_the_acl_reference_only_as_recorded():
    reference, warned = reference_items(), []
    records = differences("acl-reference", expected_reference(), entries(reference, "acl", "citeproc-py", warned))
    records += differences(
        "acl-reference/apa", entries(reference, "apa", "pandoc"), entries(reference, "apa", "citeproc-py", warned)
    )
    check_recorded(records, list(REFERENCE_CASES), warned)
