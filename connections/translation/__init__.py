"""Translator tooling: per-section status against the source, diffs, marking done, parity, glossary, typography.

tracking.py hashes source sections and says which are current; store.py keeps the source texts by
hash for diffs; frontmatter.py rewrites the ``translated_from:`` block; commands.py is `status` and
`mark-current`; parity.py, glossary.py and typography.py add warnings to `check`.

For CAT tools (`build.py translate`, xliff_cli.py): segments.py and units.py cut a module into units,
xliff_format.py / xliff_export.py / xliff_import.py exchange them as XLIFF 1.2 (translate-toolkit),
frontvalues.py writes translated front-matter values, tbx.py exports the glossary, catalog_export.py the
untranslated template strings, and report.py is `status --html`.
"""
