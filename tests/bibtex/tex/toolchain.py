"""Real TeX for the BibTeX tests: compile a document citing a .bib, and read what the tools said.

Two toolchains, one per dialect: pdflatex + bibtex + natbib (plainnat), and pdflatex + biber +
biblatex (authoryear). Missing tools skip the test outside CI and fail it under CI.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import IN_CI

HERE = Path(__file__).parent
TOOLS = {"bibtex": ("pdflatex", "bibtex"), "biblatex": ("pdflatex", "biber")}
DOCUMENTS = {"bibtex": HERE / "natbib.tex", "biblatex": HERE / "biblatex.tex"}
NATBIB_WITHOUT_URL = HERE / "natbib-nourl.tex"  # plainnat's own \url and \doi fallbacks
# what the bibliography tools count as warnings and errors, in their .blg
BLG_PROBLEM = {
    "bibtex": re.compile(r"^(Warning--.*|.*error message.*|I couldn't open .*|.*---line \d+ of file.*)$", re.M),
    "biber": re.compile(r"^.*\] (?:WARN|ERROR) - .*$", re.M),
}
# what LaTeX says when a citation or the bibliography did not resolve
LOG_UNRESOLVED = re.compile(
    r"^.*(?:Citation [`'].*' (?:on page \d+ )?undefined|There were undefined (?:references|citations)"
    r"|Empty bibliography|could not be found in the database|Please \(re\)run Biber|Please rerun LaTeX).*$",
    re.M,
)
LOG_WARNING = re.compile(r"^(?:LaTeX|Package \w+) Warning:.*$", re.M)


def need_tools(dialect: str) -> None:
    """Skip (outside CI) or fail (under CI) when this dialect's toolchain is not installed."""
    missing = [tool for tool in TOOLS[dialect] if shutil.which(tool) is None]
    if missing:
        message = f"{' and '.join(missing)} not installed"
        if IN_CI:
            pytest.fail(message + " (CI must run the real TeX tests)")
        pytest.skip(message)


@dataclass
class Build:
    """A finished compile: the texts the tools left behind, and how long each step took."""

    dir: Path
    bbl: str
    blg: str
    log: str
    seconds: dict[str, float]

    def blg_problems(self, tool: str) -> list[str]:
        return BLG_PROBLEM[tool].findall(self.blg)

    def unresolved(self) -> list[str]:
        return LOG_UNRESOLVED.findall(self.log)

    def latex_warnings(self) -> list[str]:
        return LOG_WARNING.findall(self.log)

    def pdf_text(self) -> str:
        """What the PDF shows, as one string without spaces (see :func:`pdf_text`)."""
        return pdf_text((self.dir / "doc.pdf").read_bytes())


def _run(command: list[str], cwd: Path, seconds: dict[str, float], step: str) -> subprocess.CompletedProcess:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, errors="replace", timeout=180)
    seconds[step] = seconds.get(step, 0.0) + time.perf_counter() - start
    return done


def compile_bib(tmp: Path, bib: str, keys: list[str], dialect: str, document: Path | None = None) -> Build:
    """Write syndata.bib and a document citing ``keys`` (the dialect's own, or ``document``), run the
    whole toolchain, return its traces."""
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "syndata.bib").write_text(bib, encoding="utf-8")
    textual, parenthetical = ("citet", "citep") if dialect == "bibtex" else ("textcite", "parencite")
    half = len(keys) // 2
    cites = " and ".join(
        f"\\{cmd}{{{','.join(ks)}}}" for cmd, ks in ((textual, keys[:half]), (parenthetical, keys[half:])) if ks
    )
    (tmp / "doc.tex").write_text(
        (document or DOCUMENTS[dialect]).read_text().replace("%CITATIONS%", cites), encoding="utf-8"
    )
    tool = TOOLS[dialect][1]
    latex = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"]
    draft = [*latex[:-1], "-draftmode", "doc.tex"]  # no PDF: only the .aux matters on early passes
    seconds: dict[str, float] = {}
    first = _run(draft, tmp, seconds, "pdflatex")
    assert first.returncode == 0, first.stdout[-3000:]
    bib_run = _run([tool, "doc"], tmp, seconds, tool)
    blg = (tmp / "doc.blg").read_text(encoding="utf-8", errors="replace")
    assert bib_run.returncode == 0, f"{tool} failed:\n{bib_run.stdout[-3000:]}\n{blg[-3000:]}"
    # one pass reads the .bbl and writes the labels to the .aux, the next one uses them (natbib and
    # biblatex alike: a single pass leaves "There were undefined references")
    for command in (draft, latex):
        again = _run(command, tmp, seconds, "pdflatex")
        assert again.returncode == 0, again.stdout[-3000:]
    return Build(
        tmp,
        (tmp / "doc.bbl").read_text(encoding="utf-8", errors="replace"),
        blg,
        (tmp / "doc.log").read_text(encoding="utf-8", errors="replace"),
        seconds,
    )


def bibtex_only(tmp: Path, bib: str) -> tuple[int, str]:
    """Only BibTeX over a .bib (every entry, plainnat): its exit code and .blg; no LaTeX needed."""
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "syndata.bib").write_text(bib, encoding="utf-8")
    (tmp / "doc.aux").write_text("\\citation{*}\n\\bibstyle{plainnat}\n\\bibdata{syndata}\n", encoding="utf-8")
    done = subprocess.run(["bibtex", "doc"], cwd=tmp, capture_output=True, text=True, errors="replace", timeout=60)
    return done.returncode, (tmp / "doc.blg").read_text(encoding="utf-8", errors="replace")


# ── the PDF as text ──────────────────────────────────────────────────────────────────────────

_PDF_STRING = re.compile(rb"\(((?:[^()\\]|\\.)*)\)", re.S)  # pdfTeX escapes every parenthesis in a string
_STRING = rb"\((?:[^()\\]|\\.)*\)"
_SHOW_TEXT = re.compile(
    rb"\[(?:" + _STRING + rb"|[^\]()])*\]\s*TJ|" + _STRING + rb"\s*Tj", re.S
)  # TJ: strings and kerns
_PDF_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)
# T1 (Cork) font codes that are not the Latin-1 character of the same number: ligatures and quotes
_T1 = {
    0x27: "’",
    0x60: "‘",
    0x10: "“",
    0x11: "”",
    0x15: "–",
    0x16: "—",
    0x1B: "ff",
    0x1C: "fi",
    0x1D: "fl",
    0x1E: "ffi",
    0x1F: "ffl",
}


def pdf_text(pdf: bytes) -> str:
    """The text of an uncompressed pdfTeX PDF (the test documents set ``\\pdfcompresslevel=0``) in
    T1-encoded fonts, with every space and line break dropped: TeX draws spaces as moves, not
    characters, so a test compares text without spaces."""
    assert b"/FlateDecode" not in pdf, "the document must set \\pdfcompresslevel=0 and \\pdfobjcompresslevel=0"
    codes = bytearray()
    for shown in _SHOW_TEXT.findall(pdf):
        for raw in _PDF_STRING.findall(shown):
            codes += _PDF_ESCAPE.sub(_unescape, raw)
    return "".join(_T1.get(code, chr(code)) for code in codes)


def _unescape(match: re.Match[bytes]) -> bytes:
    escaped = match.group(1)
    return bytes([int(escaped, 8)]) if escaped[:1].isdigit() else escaped
