"""Translator tooling: per-section status against the source, diffs, marking done, parity, glossary, typography.

tracking.py hashes source sections and says which are current; store.py keeps the source texts by
hash for diffs; frontmatter.py rewrites the ``translated_from:`` block; commands.py is `status` and
`mark-current`; parity.py, glossary.py and typography.py add warnings to `check`.
"""
