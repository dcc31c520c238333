"""The tree keeps its shape: I/O libraries imported only at the edges, no import cycles, ruff clean."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "syndata_export"

# library → the only modules that may import it (DESIGN.md: I/O stays at the edges)
EDGES = {
    "yaml": {"syndata_export.catalogue.reader"},
    "ruamel": {"syndata_export.catalogue.writer"},
    "markdown_it": {"syndata_export.awesome.read"},
    "subprocess": {"syndata_export.render.pandoc", "syndata_export.catalogue.history"},
    "pypandoc": {"syndata_export.render.pandoc"},
    "pyzotero": {"syndata_export.zotero.client"},
    "hishel": {"syndata_export.sources.http"},  # the sources' one cache
    "citeproc": {"syndata_export.render.citeproc"},
    "multiprocessing": set(),
    "orjson": set(),  # one JSON library: the standard one
    "yaml_rs": set(),  # one YAML reader: PyYAML
}
# outputs never import each other, and the hub never imports an output
OUTPUTS = ("syndata_export.render", "syndata_export.bibtex", "syndata_export.zotero", "syndata_export.awesome")
# but for these: the paper list is a page of references, written with the renderer's Markdown
BUILT_ON = {("syndata_export.awesome", "syndata_export.render")}


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


MODULES = {module_name(p): imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


@pytest.mark.parametrize("library", sorted(EDGES))
def test_io_libraries_only_at_the_edges(library):
    users = {m for m, deps in MODULES.items() if any(d == library or d.startswith(library + ".") for d in deps)}
    assert users <= EDGES[library], f"{library} imported outside its edge: {sorted(users - EDGES[library])}"


def test_outputs_do_not_import_each_other():
    for module, deps in MODULES.items():
        own = next((o for o in OUTPUTS if module == o or module.startswith(o + ".")), None)
        for dep in deps:
            other = next((o for o in OUTPUTS if dep == o or dep.startswith(o + ".")), None)
            if other and own and other != own and (own, other) not in BUILT_ON:
                pytest.fail(f"{module} (an output) imports {dep} (another output)")
        if module in ("syndata_export.csl", "syndata_export.casing", "syndata_export.catalogue"):
            assert not any(d.startswith(OUTPUTS) for d in deps), f"the hub {module} imports an output"


def test_no_import_cycles():
    graph = {m: {d for d in deps if d in MODULES and d != m} for m, deps in MODULES.items()}
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for dep in graph[node]:
            if state.get(dep) == 1 and not _parent_package(dep, node):
                pytest.fail("import cycle: " + " -> ".join(stack[stack.index(dep) :] + [dep]))
            if dep not in state:
                visit(dep, stack + [dep])
        state[node] = 2

    for module in graph:
        if module not in state:
            visit(module, [module])


def _parent_package(dep: str, node: str) -> bool:
    """A submodule importing its own package's __init__ (for shared names) is not a cycle of ours."""
    return node.startswith(dep + ".")


def test_ruff_is_clean():
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    check = subprocess.run([ruff, "check", "--quiet", "."], cwd=REPO, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    fmt = subprocess.run([ruff, "format", "--check", "--quiet", "."], cwd=REPO, capture_output=True, text=True)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_mypy_is_clean():
    """The package type-checks with the settings in pyproject.toml (mypy is in the test extra)."""
    check = subprocess.run([sys.executable, "-m", "mypy"], cwd=REPO, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout[-4000:] + check.stderr


def test_every_data_file_of_the_package_is_installed():
    """A file the code reads beside its modules (the Lua filter, the styles) must be in package-data."""
    import fnmatch
    import re

    # the one line of [tool.setuptools.package-data] (tomllib would need Python 3.11)
    line = re.search(r"^syndata_export = \[(.*)\]$", (REPO / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    patterns = re.findall(r'"([^"]+)"', line.group(1))
    assert "data/catalogue.yaml" in patterns
    data = [
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    ]
    assert "render/long/bibliographies.lua" in data
    missing = [f for f in data if not any(fnmatch.fnmatch(f, pattern) for pattern in patterns)]
    assert missing == [], f"not installed with the package: {missing}"
