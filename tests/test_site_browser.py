"""The built site in a real headless Chromium, opened from the folder (file://) and from a local server.

What a facilitator does: switch from French to English on the same week, search in French, leave
quickly, print a session guide; what the program promises: no request to any other host and no
serious accessibility problem. The real content is used when it validates, the test project otherwise.
"""

from __future__ import annotations

import functools
import http.server
import io
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from connections.context import bundle_for
from connections.errors import UserError
from tests.conftest import copy_project, run_build
from tests.test_site import site_project

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL_SCHEMES = {"file", "data", "blob", "about"}
NEUTRAL_PAGE = "<!doctype html><html lang='en'><title>Weather</title><p>Weather forecast</p></html>"

if not Path(CHROMIUM).exists():  # CI installs it (scripts/system-deps.sh test)
    pytest.skip("Debian's chromium is not installed at /usr/bin/chromium", allow_module_level=True)


class Site:
    """The built dist/site/ folder, its bundle and a local HTTP server over it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.dir = root / "dist" / "site"
        self.bundle = bundle_for(root)[0]
        handler = functools.partial(_QuietHandler, directory=str(self.dir))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def base(self, how: str) -> str:
        return self.dir.as_uri() if how == "file" else f"http://127.0.0.1:{self.port}"

    def is_local(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES:
            return True
        return parts.scheme == "http" and parts.hostname == "127.0.0.1" and parts.port == self.port


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    base = tmp_path_factory.mktemp("site-browser")
    root = copy_project(base / "project")
    try:
        bundle_for(root)
    except UserError:  # content being written: use the test project
        shutil.rmtree(root)
        root = site_project(base / "minimal")
    result = run_build("site", project=root)
    assert result.code == 0, result.err + result.out
    s = Site(root)
    yield s
    s.server.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Recorder:
    """Every request of a browser context; anything not local is refused and remembered."""

    def __init__(self, site: Site, context, allow: dict[str, str] | None = None) -> None:
        self.requests: list[str] = []
        self.remote: list[str] = []
        self.errors: list[str] = []
        self.allow = allow or {}
        context.on("request", lambda r: self.requests.append(r.url))
        context.route("**/*", self._route)
        self.site = site

    def _route(self, route) -> None:
        url = route.request.url
        if self.site.is_local(url):
            route.continue_()
            return
        self.remote.append(url)
        if any(url.startswith(a) for a in self.allow):  # the quick exit's neutral site, served here
            route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE)
        else:
            route.abort()


@pytest.fixture
def context(browser) -> Iterator:
    ctx = browser.new_context(service_workers="block", viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


def _fr_week_with(site: Site, word: str) -> set[int]:
    weeks = site.bundle.contents["fr"].weeks
    return {n for n, w in weeks.items() if word in w.path.read_text(encoding="utf-8").lower()}


# ---- language switcher, search, requests ----------------------------------------------------------------
@pytest.mark.parametrize("how", ["file", "http"])
def test_switching_language_keeps_the_same_week(site: Site, context, how: str) -> None:
    rec = Recorder(site, context)
    page = context.new_page()
    page.goto(f"{site.base(how)}/fr/week-3.html")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.hover(".md-select")
    english = site.bundle.variant("en").label
    page.locator(f'a.md-select__link[hreflang="en"]:has-text("{english}")').click()
    page.wait_for_load_state()
    assert page.url.endswith("/en/week-3.html")
    assert page.locator("html").get_attribute("lang") == "en"
    assert site.bundle.contents["en"].weeks[3].title in page.locator("h1").inner_text()
    assert rec.remote == []


@pytest.mark.parametrize("how", ["file", "http"])
def test_french_search_finds_french_week_pages(site: Site, context, how: str) -> None:
    rec = Recorder(site, context)
    page = context.new_page()
    page.goto(f"{site.base(how)}/fr/index.html")
    page.click("input.md-search__input")
    page.wait_for_timeout(300)  # the search worker loads the index
    page.keyboard.type("violence", delay=30)
    results = page.locator(".md-search-result__item > a")
    results.first.wait_for(timeout=10_000)
    hrefs = [a.get_attribute("href") or "" for a in results.all()]
    assert hrefs and all("/fr/" in h for h in hrefs), hrefs
    weeks = {int(m[1]) for h in hrefs if (m := re.search(r"/week-(\d)\.html", h))}
    assert weeks, f"no session guide among {hrefs}"
    assert weeks <= _fr_week_with(site, "violen")  # French stemming: violence, violences, violent…
    titles = page.locator(".md-search-result__item h1").all_inner_texts()
    assert any(t.startswith("Semaine") for t in titles), titles
    assert rec.remote == []


@pytest.mark.parametrize("how", ["file", "http"])
def test_no_request_leaves_the_machine(site: Site, context, how: str) -> None:
    rec = Recorder(site, context)
    page = context.new_page()
    page.on("pageerror", lambda e: rec.errors.append(str(e)))
    visits = [("fr", name) for name in ("index.html", "week-2.html", "schedule.html", "handout-2.html",
                                         "resources.html", "downloads.html", "key-messages.html",
                                         "facilitator-notes.html", "translation-status.html")]
    for variant, name in visits + [("en", "index.html"), ("indigenous", "week-1.html")]:
        page.goto(f"{site.base(how)}/{variant}/{name}")
    page.click("input.md-search__input")
    page.keyboard.type("semaine", delay=20)
    page.wait_for_timeout(800)
    assert len(rec.requests) > len(visits)
    assert rec.remote == [], f"requests to other hosts: {rec.remote}"
    assert [u for u in rec.requests if not site.is_local(u)] == []
    assert rec.errors == []


# ---- quick exit -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("how", ["file", "http"])
def test_quick_exit_leaves_and_back_does_not_return(site: Site, context, how: str) -> None:
    neutral = site.bundle.agency.quick_exit_url
    rec = Recorder(site, context, allow={neutral: NEUTRAL_PAGE})
    page = context.new_page()
    page.goto(f"{site.base(how)}/fr/handout-1.html")
    page.click("[data-cx-quick-exit]")
    page.wait_for_url(neutral + "**")
    assert "Weather forecast" in page.content()
    page.go_back()
    page.wait_for_timeout(300)
    assert not page.url.startswith(site.base(how)), "Back led to the site again"
    assert rec.remote == [neutral]  # only the neutral site, and it was answered here

    page.goto(f"{site.base(how)}/en/handout-2.html")
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(neutral + "**")


# ---- accessibility and print ----------------------------------------------------------------------------
AXE_PAGES = [("fr", p) for p in ("index.html", "week-3.html", "schedule.html", "key-messages.html",
                                 "facilitator-notes.html", "resources.html", "handout-3.html", "downloads.html",
                                 "translation-status.html")] + [("indigenous", "week-1.html")]


def test_no_serious_accessibility_problem_on_any_page_type(site: Site, context) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    Recorder(site, context)
    page = context.new_page()
    problems = []
    for variant, name in AXE_PAGES:
        page.goto(f"{site.base('http')}/{variant}/{name}")
        assert page.locator("html").get_attribute("lang") == site.bundle.variant(variant).lang
        for v in axe.run(page).response["violations"]:
            if v["impact"] in ("serious", "critical"):
                problems.append(f"{variant}/{name}: {v['id']} ({v['impact']}) at "
                                f"{[n['target'] for n in v['nodes']][:3]}")
    # the language menu open, then the search dialog with results
    page.goto(f"{site.base('http')}/en/handout-1.html")
    page.hover(".md-select")
    page.wait_for_timeout(400)  # let the menu finish fading in: axe measures contrast as it is on screen
    states = [axe.run(page)]
    page.click("input.md-search__input")
    page.keyboard.type("week", delay=20)
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    page.wait_for_timeout(400)
    states.append(axe.run(page))
    for state, result in zip(("language menu", "search results"), states, strict=True):
        for v in result.response["violations"]:
            if v["impact"] in ("serious", "critical"):
                problems.append(f"en/handout-1.html with the {state} open: {v['id']} ({v['impact']}) at "
                                f"{[(n['target'], n.get('failureSummary', '')[:200]) for n in v['nodes']][:3]}")
    assert problems == []


def test_printing_a_session_guide_gives_a_clean_page(site: Site, context, tmp_path: Path) -> None:
    from pypdf import PdfReader

    Recorder(site, context)
    page = context.new_page()
    page.goto(f"{site.base('http')}/fr/week-3.html")
    page.emulate_media(media="print")
    shot = tmp_path / "week-3-print.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000
    for selector in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-search", ".md-footer"):
        assert page.locator(selector).first.evaluate("e => getComputedStyle(e).display") == "none", selector
    title = site.bundle.contents["fr"].weeks[3].title
    assert page.locator("h1").is_visible()

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(page.pdf(format="Letter"))).pages)
    flat = re.sub(r"\s+", " ", text)
    assert re.sub(r"\s+", " ", title) in flat
    for chrome in ("Rechercher", "Table des matières", "Téléchargements"):
        assert chrome not in flat, f"'{chrome}' printed"
    page.goto(f"{site.base('http')}/fr/handout-3.html")
    assert page.locator(".cx-quick-exit").evaluate("e => getComputedStyle(e).display") == "none"
