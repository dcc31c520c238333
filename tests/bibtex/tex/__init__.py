"""LaTeX documents and the toolchain runner for the BibTeX tests."""
