"""Refuse a built site whose pages would load anything from another host.

Why: participants' safety and Northern connectivity both need a site that calls no other host.
Material's privacy plugin would try to download such assets at build time (there may be no network)
and misses URLs built in scripts, so instead every page's resources are checked after the build, and
the browser tests confirm it with the real request log.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from ..errors import UserError

# Attributes that make a browser fetch something when the page loads (links the reader clicks are fine).
FETCHING = {("script", "src"), ("link", "href"), ("img", "src"), ("img", "srcset"), ("source", "src"),
            ("source", "srcset"), ("iframe", "src"), ("audio", "src"), ("video", "src"), ("video", "poster"),
            ("embed", "src"), ("object", "data"), ("track", "src"), ("input", "src")}
REMOTE_RE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)
CSS_URL_RE = re.compile(r"url\(\s*['\"]?([^'\")]+)", re.I)
CSS_IMPORT_RE = re.compile(r"@import\s+(?:url\()?\s*['\"]?([^'\");]+)", re.I)


class _Resources(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.remote: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        rels = dict(attrs).get("rel") or ""
        for name, value in attrs:
            if value is None or (tag, name) not in FETCHING:
                continue
            if tag == "link" and not {"stylesheet", "preload", "prefetch", "preconnect", "dns-prefetch",
                                      "modulepreload", "icon", "manifest"} & set(rels.split()):
                continue
            for url in value.split(",") if name == "srcset" else [value]:
                if REMOTE_RE.match(url.strip()):
                    self.remote.append(url.strip().split()[0])
        style = dict(attrs).get("style")
        if style:
            self.remote += [u for u in CSS_URL_RE.findall(style) if REMOTE_RE.match(u)]

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.remote += [u for u in CSS_URL_RE.findall(data) + CSS_IMPORT_RE.findall(data) if REMOTE_RE.match(u)]


def remote_resources(site: Path) -> dict[str, list[str]]:
    """Page or stylesheet (relative path) → URLs on other hosts it would load."""
    found: dict[str, list[str]] = {}
    for page in sorted(site.rglob("*.html")):
        parser = _Resources()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        if parser.remote:
            found[page.relative_to(site).as_posix()] = parser.remote
    for css in sorted(site.rglob("*.css")):
        text = css.read_text(encoding="utf-8", errors="replace")
        urls = [u for u in CSS_URL_RE.findall(text) + CSS_IMPORT_RE.findall(text) if REMOTE_RE.match(u)]
        if urls:
            found[css.relative_to(site).as_posix()] = urls
    return found


def check_offline(site: Path, variant_id: str) -> None:
    found = remote_resources(site)
    if found:
        lines = [f"  {page}: {', '.join(sorted(set(urls)))}" for page, urls in found.items()]
        raise UserError(f"mkdocs.yml:0: the {variant_id} site would load files from other hosts, which the site must "
                        "never do (offline use, participants' privacy). Remove them from mkdocs.yml or "
                        "templates/site/, or copy the files into templates/site/assets/:\n" + "\n".join(lines))
