"""The pages themselves: a short README that works on PyPI too, links that lead somewhere, a true map."""

from __future__ import annotations

import re

import pytest

from tests.conftest import REPO

PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
PACKAGE = REPO / "syndata_export"


def prose(text: str) -> str:
    """The text without fenced blocks and code spans, where a link is only an example."""
    return re.sub(r"^```.*?^```$|`[^`\n]*`", "", text, flags=re.M | re.S)


def test_the_readme_is_a_short_page_for_users():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.encode("utf-8")) <= 12 * 1024, "README.md is at most 12 KB: the rest belongs in docs/"
    assert "../shared" not in readme, "README.md is also the PyPI page: nothing outside the repository"


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(REPO)) for p in PAGES])
def test_links_between_pages_lead_somewhere(page):
    links = re.findall(r"\]\(([^)\s]+)\)", prose(page.read_text(encoding="utf-8")))
    for target in links:
        if re.match(r"[a-z]+:|#", target):
            continue
        path = (page.parent / target.split("#", 1)[0]).resolve()
        assert path.exists(), f"{page.name}: link to {target}, which does not exist"
        assert path.is_relative_to(REPO), f"{page.name}: link to {target}, outside the repository"


def test_the_map_of_the_tree_names_every_module():
    """docs/development.md gives one line per module or subpackage: a new room gets its line."""
    tree = (REPO / "docs" / "development.md").read_text(encoding="utf-8")
    rooms = [p.name for p in PACKAGE.glob("*.py") if not p.name.startswith("__")]
    rooms += [f"{p.name}/" for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()]
    missing = sorted(room for room in rooms if f"`{room}`" not in tree)
    assert not missing, f"docs/development.md does not place {', '.join(missing)} in the tree"
    named = set(re.findall(r"^- `(\w+(?:\.py|/))`", tree, re.M))
    assert not named - set(rooms), f"docs/development.md names rooms that are gone: {sorted(named - set(rooms))}"
