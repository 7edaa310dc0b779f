"""The facilitator website: one mkdocs-material site per variant, in dist/site/<variant>/.

Per variant: Markdown pages are generated from the content through Jinja2 templates into a staging
folder, with a generated mkdocs.yml that INHERITs the root one; mkdocs builds it in-process in a
worker, the result is checked to load nothing from another host, then swapped into place whole.
"""

from __future__ import annotations

import html
import logging
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from ..context import Options, bundle_for, selected_variants
from ..errors import UserError
from ..logs import Collect
from ..pipeline import Target, replace_dir_atomic, write_atomic
from ..templatecache import COMPILED
from ..validate import Bundle
from .config import search_lang, variant_config, write_config
from .markdown import referenced_files
from .offline import check_offline
from .pages import PageWriter
from .settings import read_settings

SYLLABICS_FONTS = ("NotoSansCanadianAboriginal-Regular.ttf", "NotoSansCanadianAboriginal-Bold.ttf", "OFL.txt")


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def site_inputs(bundle: Bundle, variant_id: str) -> tuple[Path, ...]:
    """Every file whose bytes change this variant's site."""
    project = bundle.project
    variant = bundle.variant(variant_id)
    dirs = [variant.directory]
    if variant.source:
        dirs.append(bundle.variant(variant.source).directory)
    files: set[Path] = set()
    for d in dirs:
        files.update(_files(d))
    for content in (bundle.contents.get(variant_id), bundle.source_of(variant_id)):
        for mod in content.modules() if content else []:
            files |= referenced_files(mod.path.read_text(encoding="utf-8"), mod.path, project.root)
    files.update(v.directory / "variant.yml" for v in bundle.variants)  # labels in the language switcher
    files.update(_files(project.templates / "site"))
    files.update(_files(project.locales))
    files.update(project.fonts / f for f in SYLLABICS_FONTS)
    files.update((project.mkdocs_yml, project.agency_yml))
    return tuple(sorted(files))


@dataclass(frozen=True)
class SiteParams:
    """What decides one variant's site besides its input files."""

    variant: str
    strict: bool = False


@dataclass(frozen=True)
class IndexParams:
    """The language chooser lists every variant."""

    variants: tuple[str, ...]


def collect(bundle: Bundle, opts: Options) -> list[Target]:
    """The `site` output kind."""
    return site_targets(bundle, opts)


def site_targets(bundle: Bundle, opts: Options) -> list[Target]:
    """One target per variant (a whole folder), plus the small language chooser dist/site/index.html."""
    out = opts.out / "site"
    targets = [Target(kind="site", key=f"site:{vid}", output=out / vid, render=render_site,
                      inputs=site_inputs(bundle, vid), params=SiteParams(vid, opts.strict), weight=20, is_dir=True)
               for vid in selected_variants(bundle, opts)]
    targets.append(Target(kind="site", key="site:index", output=out / "index.html", render=render_index,
                          inputs=tuple(sorted(v.directory / "variant.yml" for v in bundle.variants)),
                          params=IndexParams(tuple(v.id for v in bundle.variants))))
    return targets


def build_variant(bundle: Bundle, variant_id: str, staging: Path, *, strict: bool = False) -> Path:
    """Generate the pages and config under ``staging`` and run mkdocs; return the built site folder."""
    settings = read_settings(bundle.project.mkdocs_yml)
    writer = PageWriter(bundle, variant_id, settings, strict=strict)
    docs = staging / "docs"
    nav = writer.write(docs)
    fonts = docs / "assets" / "connections" / "fonts"
    fonts.mkdir(parents=True, exist_ok=True)
    for name in SYLLABICS_FONTS:
        if (bundle.project.fonts / name).is_file():
            shutil.copy2(bundle.project.fonts / name, fonts / name)
    variant = bundle.variant(variant_id)
    program_name = settings.raw.get("site_name") or "Connections"
    name = f"{program_name} · {variant.label}"
    config_file = staging / "mkdocs.yml"
    config = variant_config(bundle, variant, settings, nav=nav, labels=writer.labels, site_name=name,
                            clock=writer.clock_config())
    # the header shows the two parts of the name, on two lines on a phone ("Connections" / "Indigenous communities")
    config["extra"]["connections"]["title"] = {"program": program_name, "variant": variant.label}
    program = bundle.contents[variant_id].program
    if program and program.subtitle:
        config["site_description"] = program.subtitle  # in the variant's language, not mkdocs.yml's
    write_config(config_file, config)
    site = staging / "site"
    if site.exists():
        shutil.rmtree(site)
    COMPILED.use_folder(bundle.project.cache / "jinja")
    run_mkdocs(config_file, strict=strict)
    relative_404(site)
    fold_search(site, bundle.project.templates / "site" / "assets" / "search-fold.js", search_lang(variant))
    check_offline(site, variant_id)
    return site


ROOT_URL_RE = re.compile(r'((?:href|src)=")/(?!/)')


def relative_404(site: Path) -> None:
    """mkdocs writes 404.html with root-relative paths (/assets/…), which fail when the site is opened from a
    folder; the page sits at the site's top, so ./ is the same place over http."""
    page = site / "404.html"
    if page.is_file():
        text = ROOT_URL_RE.sub(r"\1./", page.read_text(encoding="utf-8"))
        text = text.replace('"base": "/"', '"base": "."').replace('"search": "/assets/', '"search": "assets/')
        page.write_text(text, encoding="utf-8")


def fold_search(site: Path, script: Path, lang: str) -> None:
    """Accent- and plural-tolerant search: add the folding step to the language's lunr file, which Material's
    search worker loads (English has none: its words rarely carry accents)."""
    target = site / "assets" / "javascripts" / "lunr" / "min" / f"lunr.{lang}.min.js"
    if lang == "en" or not target.is_file() or not script.is_file():
        return
    code = script.read_text(encoding="utf-8").replace("__LANG__", lang)
    target.write_text(target.read_text(encoding="utf-8") + "\n" + code, encoding="utf-8")


def run_mkdocs(config_file: Path, *, strict: bool = False, site_dir: Path | None = None) -> None:
    """mkdocs build, in this process; configuration errors become UserErrors, warnings fail in strict mode."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    handler = Collect()
    log = logging.getLogger("mkdocs")
    log.addHandler(handler)
    try:
        overrides = {"site_dir": str(site_dir)} if site_dir else {}
        config = load_config(config_file=str(config_file), strict=strict, **overrides)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
        for message in handler.messages:  # not strict: shown, the site is still built
            print(f"site ({config_file.parent.name}): warning: {message}", file=sys.stderr)
    except (ConfigurationError, Abort) as exc:
        detail = "\n".join(handler.messages)
        raise UserError(f"mkdocs.yml:0: the site configuration or pages have problems: {exc}"
                        + (f"\n{detail}" if detail else "")) from None
    finally:
        log.removeHandler(handler)


def render_site(target: Target, root: Path) -> None:
    """Renderer (worker): build one variant's site and swap it into dist/site/<variant>/."""
    bundle, _ = bundle_for(root)
    params: SiteParams = target.params
    variant_id = params.variant
    staging = target.output.parent.parent / ".staging" / f"site-{variant_id}"
    site = build_variant(bundle, variant_id, staging, strict=params.strict)
    replace_dir_atomic(site, target.output)


def render_index(target: Target, root: Path) -> None:
    """Renderer (worker): dist/site/index.html."""
    bundle, _ = bundle_for(root)
    write_atomic(target.output, index_html(bundle).encode("utf-8"))


# Drawn in the page itself: a browser asks for /favicon.ico otherwise (a 404 over http, noise from a folder).
FAVICON = ("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Ccircle cx='8' "
           "cy='8' r='7' fill='%234a2868'/%3E%3C/svg%3E")


def index_html(bundle: Bundle) -> str:
    """A plain page that lists every variant's site, for someone opening dist/site/ from a USB stick."""
    items = "\n".join(
        f'    <li><a href="{html.escape(v.id)}/index.html" hreflang="{html.escape(v.lang)}" '
        f'lang="{html.escape(v.lang)}">{html.escape(v.label)}</a></li>' for v in bundle.variants)
    source = bundle.variants[0]
    return f"""<!doctype html>
<html lang="{html.escape(source.lang)}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width,initial-scale=1">
  <title>Connections</title>
  <link rel="icon" href="{FAVICON}">
  <style>
    body {{ font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem;
           color: #1a1a1a; line-height: 1.5; }}
    a {{ color: #5b2c86; font-size: 1.3rem; }}
    li {{ margin: 0.6rem 0; }}
  </style>
</head>
<body>
  <main>
  <h1>Connections</h1>
  <ul>
{items}
  </ul>
  </main>
</body>
</html>
"""
