"""A paper's former keys (``aliases:``): validated as keys, and never a name another paper has."""

from __future__ import annotations

import pytest

from tests.catalogue.test_validate import VALID, problems

WU = "  - key: wu2024unigen\n"

CASES = [
    pytest.param(
        "    aliases: [wu2024Unified]\n",
        [],
        id="a_former_key_passes",
    ),
    pytest.param(
        "    aliases: [tan2024large]\n",
        ["cat.yaml:21:15: wu2024unigen: duplicate alias 'tan2024large' (already the key of the paper at line 8)"],
        id="alias_is_another_papers_key",
    ),
    pytest.param(
        "    aliases: [TAN2024LARGE]\n",
        [
            "cat.yaml:21:15: wu2024unigen: alias 'TAN2024LARGE' differs only in case from 'tan2024large'"
            " (the key of the paper at line 8: BibTeX and biber take them for one key)"
        ],
        id="alias_is_another_papers_key_in_another_case",
    ),
    pytest.param(
        "    aliases: [wu2024unigen]\n",
        ["cat.yaml:21:15: wu2024unigen: alias 'wu2024unigen' names this paper already (list each former key once)"],
        id="alias_is_the_papers_own_key",
    ),
    pytest.param(
        "    aliases: [wu2024, Wu2024]\n",
        ["cat.yaml:21:23: wu2024unigen: alias 'Wu2024' names this paper already (list each former key once)"],
        id="alias_listed_twice",
    ),
    pytest.param(
        "    aliases: [wu 2024]\n",
        ["cat.yaml:21:14: wu2024unigen: aliases: 'wu 2024' is not a valid citation key"],
        id="alias_not_a_key",
    ),
    pytest.param(
        "    aliases: wu2024\n",
        ["cat.yaml:21:14: wu2024unigen: aliases: must be a list of the paper's former keys (e.g. aliases: ["],
        id="aliases_not_a_list",
    ),
]


@pytest.mark.parametrize(("line", "expected"), CASES)
def test_aliases_are_checked(line, expected):
    found = problems(VALID.replace(WU, WU + line, 1))
    assert len(found) == len(expected), "\n".join(found)
    for problem, want in zip(found, expected, strict=True):
        assert problem.startswith(want), problem


def test_a_key_may_not_be_another_papers_alias():
    text = VALID.replace("  - key: tan2024large\n", "  - key: tan2024large\n    aliases: [wu2024unigen]\n", 1)
    assert problems(text) == [
        "cat.yaml:21:10: wu2024unigen: duplicate key 'wu2024unigen' (already the alias of the paper at line 8)"
    ]
