"""`translate export --include-catalog`: the template strings a variant still lacks, as a PO file.

Template strings (buttons, page labels, certificate wording) live in the Babel catalog
locales/<locale>/LC_MESSAGES/messages.po, which every CAT tool opens as it is. This writes only its
untranslated and fuzzy entries next to the XLIFF, so the work is visible and countable; the translation
itself is done in the catalog file (see README, "For translators").
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from ..i18n import catalog_path
from ..validate import Bundle


def export_untranslated(bundle: Bundle, vid: str, out: Path) -> int:
    """Write the untranslated and fuzzy entries of the variant's catalog to ``out``; return how many."""
    variant = bundle.variant(vid)
    po = catalog_path(bundle.project.locales, variant.locale)
    if po is None:
        print(f"{out}: not written: there is no catalog for locale {variant.locale} yet; start one with "
              f"'python -m connections.catalogs init {variant.locale}'")
        return 0
    with po.open("rb") as f:
        catalog = read_po(f, locale=variant.locale)
    todo = Catalog(locale=variant.locale, project=catalog.project, fuzzy=False)
    n = 0
    for msg in catalog:
        if not msg.id or (msg.string and not msg.fuzzy and all(msg.string if isinstance(msg.string, tuple)
                                                              else [msg.string])):
            continue
        todo.add(msg.id, msg.string, locations=msg.locations, flags=msg.flags, auto_comments=msg.auto_comments,
                 user_comments=msg.user_comments, context=msg.context)
        n += 1
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as f:
        write_po(f, todo, width=0)
    rel = po.relative_to(bundle.project.root)
    print(f"{out}: {n} template string{'s' * (n != 1)} still untranslated or fuzzy in {rel}; translate them "
          "in that file (CAT tools open PO as it is), then run 'python build.py check'")
    return n
