"""Connections toolkit: build the Connections program's site, PDFs and cohort paperwork."""

__version__ = "0.1.0"
