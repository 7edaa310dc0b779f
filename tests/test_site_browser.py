"""The built site in a real headless Chromium, opened from the folder (file://) and from a local server.

What a facilitator does: switch from French to English on the same week, search in French, leave
quickly, print a session guide; what the program promises: no request to any other host and no
serious accessibility problem. The real content is used when it validates, the test project otherwise.
"""

from __future__ import annotations

import functools
import http.server
import io
import json
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from connections.context import bundle_for
from connections.errors import UserError
from tests.conftest import copy_project
from tests.test_site import site_project

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL_SCHEMES = {"file", "data", "blob", "about", "chrome", "chrome-extension"}  # the last two: the PDF viewer
NEUTRAL_PAGE = "<!doctype html><html lang='en'><title>Weather</title><p>Weather forecast</p></html>"

if not Path(CHROMIUM).exists():  # CI installs it (scripts/system-deps.sh test)
    pytest.skip("Debian's chromium is not installed at /usr/bin/chromium", allow_module_level=True)


class Site:
    """The built dist/site/ folder, its bundle and a local HTTP server over dist/ (the site links to the printed
    handouts beside it, dist/handouts/)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.dir = root / "dist" / "site"
        self.bundle = bundle_for(root)[0]
        handler = functools.partial(_QuietHandler, directory=str(self.dir.parent))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def base(self, how: str) -> str:
        return self.dir.as_uri() if how == "file" else f"http://127.0.0.1:{self.port}/site"

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
    _build_site(root)
    _build_printed_handouts(root, "en", 1)  # the PDFs the tests open: one week's, every kind and paper
    s = Site(root)
    yield s
    s.server.shutdown()


def _build_site(root: Path) -> None:
    """`build.py site` (every variant), run in this process: the same command, rules and pipeline, without a second
    Python importing mkdocs (the command line itself is tested in test_site.py and test_cli.py). One job: the
    variants one after the other here, rather than in two workers that each import mkdocs again."""
    import contextlib

    from connections.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--project", str(root), "site", "--jobs", "1", "--quiet"])
    assert code == 0, err.getvalue() + out.getvalue()


def _build_printed_handouts(root: Path, variant: str, week: int) -> None:
    """Render one week's handouts as the default build makes them (standard, discreet, large print; both papers),
    not all of them: the browser tests open only these."""
    from connections.context import Options
    from connections.pdf.handouts import collect
    from connections.pipeline import run

    bundle = bundle_for(root)[0]
    targets = [t for t in collect(bundle, Options(out=root / "dist", variants=(variant,), print_set=True))
               if t.params.week == week]
    report = run(targets, bundle.project.root, root / "dist", quiet=True)
    assert not report.failed and len(targets) == 6, report.failed


@pytest.fixture(scope="module")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Recorder:
    """Every request of a browser context; anything not local is refused and remembered. With ``watch_only``, it is
    only remembered: no request waits for Python to let it through (the shared pages, which open many pages;
    test_no_request_leaves_the_machine refuses)."""

    def __init__(self, site: Site, context, allow: dict[str, str] | None = None, watch_only: bool = False) -> None:
        self.requests: list[str] = []
        self.remote: list[str] = []
        self.errors: list[str] = []
        self.allow = allow or {}
        self.site = site
        context.on("request", self._seen if watch_only else lambda r: self.requests.append(r.url))
        if not watch_only:
            context.route("**/*", self._route)

    def _seen(self, request) -> None:
        self.requests.append(request.url)
        if not self.site.is_local(request.url):
            self.remote.append(request.url)

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


def _settled(page) -> None:
    """Wait until no CSS transition or animation is under way (a menu fading in, the search sliding open): what axe
    and the checks of sizes measure is then what a reader sees once the screen is still. Endless animations are not
    waited for."""
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running'"
                           " || a.effect.getComputedTiming().endTime === Infinity)", timeout=5_000)


def _search_done(page) -> None:
    """Wait until the search shows its answer to what was typed: "No matching documents", "1 matching document" or
    "N matching documents", in the page's language (Material's own words, from the page's configuration)."""
    page.wait_for_function("""() => {
        const t = JSON.parse(document.getElementById('__config').textContent).translations;
        const meta = document.querySelector('.md-search-result__meta');
        const m = meta ? meta.textContent.trim() : '';
        const [before, after] = t['search.result.other'].split('#');
        return m === t['search.result.none'] || m === t['search.result.one']
            || (/\\d/.test(m) && m.startsWith(before) && m.endsWith(after));
    }""", timeout=10_000)


def _fr_week_with(site: Site, word: str) -> set[int]:
    weeks = site.bundle.contents["fr"].weeks
    return {n for n, w in weeks.items() if word in w.path.read_text(encoding="utf-8").lower()}


# ---- language switcher, search, requests ----------------------------------------------------------------
@pytest.mark.parametrize("how", ["file", "http"])
def test_switching_language_keeps_the_same_week(site: Site, shared, how: str) -> None:
    page, _ = shared  # its recorder checks that nothing left the machine
    page.goto(f"{site.base(how)}/fr/week-3.html")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.hover(".md-select")
    english = site.bundle.variant("en").label
    page.locator(f'a.md-select__link[hreflang="en"]:has-text("{english}")').click()
    page.wait_for_load_state()
    assert page.url.endswith("/en/week-3.html")
    assert page.locator("html").get_attribute("lang") == "en"
    assert site.bundle.contents["en"].weeks[3].title in page.locator("h1").inner_text()


@pytest.mark.parametrize("how", ["file", "http"])
def test_no_request_leaves_the_machine(site: Site, context, how: str) -> None:
    rec = Recorder(site, context)
    page = context.new_page()
    page.on("pageerror", lambda e: rec.errors.append(str(e)))
    visits = [("fr", name) for name in ("index.html", "week-2.html", "schedule.html", "handout-2.html",
                                         "resources.html", "downloads.html", "key-messages.html",
                                         "facilitator-notes.html", "translation-status.html", "session-2.html",
                                         "notes-2.html")]
    for variant, name in visits + [("en", "index.html"), ("indigenous", "week-1.html")]:
        page.goto(f"{site.base(how)}/{variant}/{name}")
    page.click("input.md-search__input")
    page.keyboard.type("semaine", delay=20)
    _search_done(page)  # the search has run: every file it reads was asked for
    assert len(rec.requests) > len(visits)
    assert rec.remote == [], f"requests to other hosts: {rec.remote}"
    assert [u for u in rec.requests if not site.is_local(u)] == []
    assert rec.errors == []


# ---- quick exit -----------------------------------------------------------------------------------------
def test_quick_exit_leaves_and_back_does_not_return(site: Site, context) -> None:
    neutral = site.bundle.agency.quick_exit_url
    rec = Recorder(site, context, allow={neutral: NEUTRAL_PAGE})
    page = context.new_page()
    for how in ("file", "http"):  # the button, then Back, from the folder; the Shift key over http
        page.goto(f"{site.base(how)}/fr/handout-1.html")
        if how == "file":
            page.click("[data-cx-quick-exit]")
        else:
            for _ in range(3):
                page.keyboard.press("Shift")
        page.wait_for_url(neutral + "**")
        assert "Weather forecast" in page.content()
        page.go_back()
        page.wait_for_timeout(300)
        assert not page.url.startswith(site.base(how)), f"Back led to the site again ({how})"
    assert set(rec.remote) == {neutral}  # only the neutral site, and it was answered here


# ---- accessibility and print ----------------------------------------------------------------------------
AXE_PAGES = [("fr", p) for p in ("index.html", "week-3.html", "schedule.html", "key-messages.html",
                                 "facilitator-notes.html", "resources.html", "handout-3.html", "downloads.html",
                                 "translation-status.html", "session-3.html", "notes-3.html")]  # each page type once


def test_no_serious_accessibility_problem_on_any_page_type(site: Site, shared) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page, _ = shared
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
    _settled(page)  # the menu has finished fading in: axe measures contrast as it is on screen
    states = [axe.run(page)]
    page.click("input.md-search__input")
    page.keyboard.type("week", delay=20)
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    _settled(page)
    states.append(axe.run(page))
    for state, result in zip(("language menu", "search results"), states, strict=True):
        for v in result.response["violations"]:
            if v["impact"] in ("serious", "critical"):
                problems.append(f"en/handout-1.html with the {state} open: {v['id']} ({v['impact']}) at "
                                f"{[(n['target'], n.get('failureSummary', '')[:200]) for n in v['nodes']][:3]}")
    assert problems == []


# ---- preparing and running a session (issue 14) ---------------------------------------------------------
# One browser context and page for the checks below (reused: the site is built once per module).
@pytest.fixture(scope="module")
def shared(site: Site, browser) -> Iterator:
    ctx = browser.new_context(service_workers="block", viewport={"width": 1280, "height": 900})
    rec = Recorder(site, ctx, watch_only=True)
    page = ctx.new_page()
    page.on("pageerror", lambda e: rec.errors.append(str(e)))
    yield page, rec
    assert rec.remote == [], f"requests to other hosts: {rec.remote}"
    assert rec.errors == []
    ctx.close()


@pytest.fixture(scope="module")
def phone(site: Site, browser) -> Iterator:
    ctx = browser.new_context(service_workers="block", viewport={"width": 390, "height": 844}, is_mobile=True,
                              has_touch=True)
    rec = Recorder(site, ctx, watch_only=True)
    page = ctx.new_page()
    yield page, rec
    assert rec.remote == [], f"requests to other hosts: {rec.remote}"
    ctx.close()


def _norm(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def _clock(site: Site, variant: str, hour: int, minute: int) -> str:
    import datetime as dt

    from babel.dates import format_time

    return _norm(format_time(dt.time(hour, minute), "short", locale=site.bundle.variant(variant).locale))


def _default_build_outputs(site: Site) -> set[Path]:
    """Every file `python build.py` (the default build, `all`) makes: the targets of every output kind in a full
    build, with the options the command line gives `all`, without rendering them."""
    from connections.cli import build_parser, options_from
    from connections.outputs import KINDS

    opts = options_from(build_parser().parse_args(["all"]), site.root,
                        cohort=site.root / "cohorts" / "sample" / "cohort.yml")
    assert opts.print_set  # the default build makes the print set: standard, discreet, large print
    return {t.output.resolve() for k in KINDS if k.in_all for t in k.collect(site.bundle, opts)}


PDF_LINK = re.compile(r'<a href="([^"]+\.pdf)"(?: type="application/pdf")?(?: data-cx-pdf="(\w+)")?')


def test_every_printed_handout_link_is_a_file_the_default_build_makes(site: Site, shared) -> None:
    from urllib.parse import unquote, urljoin

    outputs = _default_build_outputs(site)
    handouts = {p for p in outputs if (site.root / "dist" / "handouts").resolve() in p.parents}
    assert len(handouts) == sum(len(c.weeks) for c in site.bundle.contents.values()) * 3 * 2  # 3 kinds, 2 papers
    found: set[Path] = set()
    not_made = []
    for html_file in sorted(site.dir.glob("*/*.html")):
        name = html_file.relative_to(site.dir).as_posix()
        links = PDF_LINK.findall(html_file.read_text(encoding="utf-8"))
        if re.search(r"/(week|handout|notes)-\d\.html$", "/" + name):  # the week's printed handouts, every kind
            assert sorted({k for _, k in links}) == ["discreet", "large", "standard"], (name, links)
            assert len(links) == 6, (name, links)  # three kinds, two papers
        for href, _ in links:
            target = (html_file.parent / unquote(href)).resolve()
            found.add(target)
            if target not in outputs:
                not_made.append(f"{name}: {href}")
    assert not_made == [], "links to files the default build does not make"
    assert handouts <= found  # every printed handout is one click away
    # in the browser: each link of a handout page opens its PDF, from the folder and over http (dist/ served)
    page, _ = shared
    for how in ("file", "http"):
        page.goto(f"{site.base(how)}/en/handout-1.html")
        hrefs = page.locator("a[data-cx-pdf]").evaluate_all("as => as.map(a => a.href)")
        assert len(hrefs) == 6, hrefs
        for url in hrefs:
            if how == "file":
                path = Path(unquote(urlsplit(url).path)).resolve()
                assert path in handouts and path.read_bytes()[:5] == b"%PDF-", url
            else:
                response = page.request.get(url)
                assert response.status == 200 and response.body()[:5] == b"%PDF-", url
    # and a click opens it in the browser's PDF viewer, from the folder
    page.goto(f"{site.base('file')}/en/handout-1.html")
    link = page.locator('a[data-cx-pdf="discreet"]').first
    expected = urljoin(page.url, link.get_attribute("href") or "")
    with page.expect_response(lambda r: r.url.endswith(".pdf")) as opened:
        link.click()
    assert opened.value.status == 200 and opened.value.url == expected


def test_the_discreet_handout_has_its_own_page(site: Site, shared) -> None:
    page, _ = shared
    week = site.bundle.contents["fr"].weeks[2]
    page.goto(f"{site.base('file')}/fr/week-2.html")
    page.locator(".cx-glance a[href='notes-2.html']").click()
    page.wait_for_load_state()
    assert page.url.endswith("/fr/notes-2.html")
    text = _norm(page.locator("article").inner_text())
    first = _norm(re.sub(r"[*_#>\[\]]", "", week.sections["handout-discreet"].body.strip().splitlines()[0]))
    assert first[:40] in text
    assert page.locator("[data-cx-quick-exit]").count() == 1  # a participant page


@pytest.mark.parametrize("how", ["file", "http"])
def test_start_time_picker_moves_every_clock_time_and_prints_them(site: Site, shared, how: str) -> None:
    from pypdf import PdfReader

    page, _ = shared
    page.goto(f"{site.base(how)}/fr/schedule.html")
    page.evaluate("localStorage.clear()")
    page.reload()
    default = _clock(site, "fr", 18, 0)
    assert _norm(page.locator(".cx-clock").first.inner_text()).startswith(default)
    page.fill("#cx-start-time", "09:30")
    page.locator("#cx-start-time").dispatch_event("change")
    clocks = [_norm(t) for t in page.locator(".cx-clock").all_inner_texts()]
    assert clocks and all(default not in c for c in clocks[:1])
    nine_thirty = _clock(site, "fr", 9, 30)
    starts = [_norm(t) for t in page.locator("table tbody tr:first-child .cx-clock").all_inner_texts()]
    assert starts and all(s.startswith(nine_thirty) for s in starts), starts  # every week's first part
    # another page of the site follows, in this browser
    page.goto(f"{site.base(how)}/fr/week-3.html")
    assert _norm(page.locator(".cx-glance .cx-clock").inner_text()).startswith(nine_thirty)
    assert _norm(page.locator("article table .cx-clock").first.inner_text()).startswith(nine_thirty)
    if how == "http":  # printing does not depend on where the page came from
        page.emulate_media(media="print")
        text = _norm(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(page.pdf(format="Letter"))).pages))
        page.emulate_media(media="screen")
        assert nine_thirty in text and _clock(site, "fr", 18, 10) not in text
    page.evaluate("localStorage.clear()")


def test_session_view_follows_the_clock_and_stays_calm_after_the_planned_end(site: Site, browser) -> None:
    import datetime as dt

    ctx = browser.new_context(service_workers="block", viewport={"width": 1024, "height": 768})
    rec = Recorder(site, ctx)
    page = ctx.new_page()
    page.on("pageerror", lambda e: rec.errors.append(str(e)))
    page.clock.install(time=dt.datetime(2026, 11, 25, 18, 58, 30))
    page.goto(f"{site.base('file')}/en/session-2.html")
    week = site.bundle.contents["en"].weeks[2]
    builtin = {"break": "Break", "reunion": "Reunion with the children"}
    parts = [builtin.get(a.section) or week.sections[a.section].heading for a in week.agenda]
    assert set(builtin) & {a.section for a in week.agenda}, "the week has a break or a reunion: parts with no link"
    page.click("[data-cx-start-now]")  # the session starts now (the clock's 18:58)
    first = _norm(page.locator(".cx-session__agenda .cx-clock").first.inner_text())
    assert first.startswith(_clock(site, "en", 18, 58))
    assert _norm(page.locator("[data-cx-left]").inner_text()) == f"{week.agenda[0].minutes} min left"
    for i, row in enumerate(week.agenda):  # half a minute into each part
        current = page.locator(".cx-session__item--current")
        assert current.count() == 1 and _norm(current.locator("[data-cx-name]").inner_text()) == _norm(parts[i])
        assert _norm(page.locator("[data-cx-current]").inner_text()) == _norm(parts[i])
        following = parts[i + 1] if i + 1 < len(parts) else "Last part"
        assert _norm(page.locator("[data-cx-next]").inner_text()) == _norm(following), f"next after {parts[i]}"
        page.clock.run_for(row.minutes * 60 * 1000)
    # past the planned end: a calm note, the whole agenda still there, nothing said about a next part
    assert _norm(page.locator("[data-cx-current]").inner_text()) == "The planned time is over"
    assert _norm(page.locator("[data-cx-left]").inner_text()) == ""
    assert not page.locator("[data-cx-next-line]").is_visible()
    assert page.locator(".cx-session__item--current").count() == 0
    assert page.locator(".cx-session__item--done").count() == len(parts)
    assert all(_norm(t) for t in page.locator(".cx-session__agenda li").all_inner_texts())
    assert page.locator(".cx-session__agenda").is_visible()
    # the French session view says it in French (the start time is kept in this browser)
    page.goto(f"{site.base('file')}/fr/session-2.html")
    assert _norm(page.locator("[data-cx-current]").inner_text()) == "Le temps prévu est écoulé"
    assert page.locator("html").get_attribute("lang") == "fr"
    # key messages and materials are on the page; nothing left the machine
    page.goto(f"{site.base('file')}/en/session-2.html")
    for k in week.key_messages:
        assert _norm(k)[:30] in _norm(page.locator(".cx-session__messages").inner_text())
    assert page.locator(".cx-checklist input[type=checkbox]").count() == len(week.materials)
    assert rec.remote == [] and rec.errors == []
    ctx.close()


SEARCHES = [("mère", "mere"), ("sécurité", "securite"), ("activité", "activite"), ("écoute", "ecoute"),
            ("violence", "violences")]


@pytest.mark.parametrize("how", ["file", "http"])
def test_french_search_starts_when_opened_and_forgives_accents_and_plurals(site: Site, shared, how: str) -> None:
    page, _ = shared
    page.goto(f"{site.base(how)}/fr/index.html")
    # A page opened to be read builds no search index: no search worker over http, not even its hidden frame from
    # the folder (file://), until the reader opens the search (templates/site/assets/search-on-demand.js).
    page.wait_for_timeout(300)
    started = "() => document.querySelectorAll('iframe').length" if how == "file" else None

    def search_running() -> bool:
        return bool(page.evaluate(started)) if started else bool(page.workers)

    assert not search_running(), "the search started before it was opened"
    page.click("input.md-search__input")

    def pages_for(query: str) -> tuple[int, set[str]]:
        """How many pages the search reports, and the pages of the results it shows first."""
        page.fill("input.md-search__input", "")
        page.keyboard.type(query, delay=10)
        page.wait_for_function("() => !document.querySelector('.md-search-result__meta').textContent"
                               ".includes('…') && document.querySelector('.md-search-result__list').children.length",
                               timeout=10_000)
        page.wait_for_timeout(300)
        meta = page.locator(".md-search-result__meta").inner_text()
        count = int(next(iter(re.findall(r"\d+", meta)), "1"))
        hrefs = page.locator(".md-search-result__item > a").evaluate_all("as => as.map(a => a.href)")
        return count, {urlsplit(h).path.rsplit("/", 1)[-1] for h in hrefs}

    index = json.loads((site.dir / "fr" / "search" / "search_index.json").read_text(encoding="utf-8"))

    def pages_holding(word: str) -> set[str]:
        """The pages whose text holds the word itself (as the reader typed it with accents, singular)."""
        pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.I)
        return {d["location"].split("#")[0] for d in index["docs"] if pattern.search(d["title"] + " " + d["text"])}

    for accented, plain in SEARCHES if how == "file" else SEARCHES[-1:]:  # every pair once, one over http too
        n_found, found = pages_for(accented)
        assert search_running()
        assert found, f"'{accented}' found nothing"
        if accented == "violence":  # French pages only, session guides among them, French stemming
            hrefs = page.locator(".md-search-result__item > a").evaluate_all("as => as.map(a => a.href)")
            assert all("/fr/" in h for h in hrefs), hrefs
            weeks = {int(m[1]) for h in hrefs if (m := re.search(r"/week-(\d)\.html", h))}
            assert weeks and weeks <= _fr_week_with(site, "violen"), hrefs  # violence, violences, violent…
            titles = page.locator(".md-search-result__item h1").all_inner_texts()
            assert any(t.startswith("Semaine") for t in titles), titles
        n_plain, shown = pages_for(plain)
        holding = pages_holding(accented)
        assert shown and n_plain >= len(holding), (f"'{plain}' finds {n_plain} pages, but '{accented}' itself is on "
                                                   f"{len(holding)}")


def _switcher_targets(site: Site) -> list[tuple[str, str]]:
    """(page, switcher link target relative to dist/site/) for every page of every variant."""
    out = []
    for html_file in sorted(site.dir.glob("*/*.html")):
        text = html_file.read_text(encoding="utf-8")
        for href in re.findall(r'<a href="([^"]+)" hreflang="[^"]+" lang="[^"]+" class="md-select__link"', text):
            target = (html_file.parent / href).resolve()
            out.append((html_file.relative_to(site.dir).as_posix(), target.relative_to(site.dir.resolve()).as_posix()))
    return out


def test_every_language_switcher_link_resolves(site: Site, shared) -> None:
    import urllib.request

    links = _switcher_targets(site)
    pages = {p for p, _ in links}
    assert len(pages) >= 30 and len(links) == len(pages) * len(site.bundle.variants)
    missing = [(p, t) for p, t in links if not (site.dir / t).is_file()]
    assert missing == []
    for target in sorted({t for _, t in links}):  # over http, every distinct target answers
        with urllib.request.urlopen(f"{site.base('http')}/{target}") as response:
            assert response.status == 200
    # a page with no counterpart leads to the other version's home
    assert ("fr/translation-status.html", "en/index.html") in links
    assert ("en/week-3.html", "fr/week-3.html") in links
    page, _ = shared
    for how in ("file", "http"):
        page.goto(f"{site.base(how)}/fr/translation-status.html")
        page.hover(".md-select")
        page.locator('a.md-select__link[hreflang="en"]').first.click()
        page.wait_for_load_state()
        assert page.url.endswith("/en/index.html") and page.locator("h1").count() == 1


# ---- phone, keyboard, print --------------------------------------------------------------------------------
PAGE_TYPES = ["index.html", "week-2.html", "session-2.html", "schedule.html", "handout-2.html", "notes-2.html",
              "resources.html", "downloads.html", "key-messages.html", "facilitator-notes.html",
              "translation-status.html", "404.html"]


def test_phone_width_has_no_sideways_scroll_and_keeps_names_whole(site: Site, phone) -> None:
    page, _ = phone
    wide, cut = [], []
    for variant in (v.id for v in site.bundle.variants):  # every page type of every version
        for name in PAGE_TYPES:
            if not (site.dir / variant / name).is_file():  # the source has no translation status
                continue
            page.goto(f"{site.base('file')}/{variant}/{name}")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                wide.append((variant, name, width))
            # the site's name in the header is whole (on two lines if need be), not "Connections · Fran…"
            title = page.locator(".md-header__topic:first-child .md-ellipsis")
            if not title.evaluate("e => e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight"):
                cut.append((variant, name, _norm(title.inner_text())))
    assert wide == []
    assert cut == [], "the site's name is cut in the phone header"
    label = site.bundle.variant("indigenous").label
    assert label in _norm(page.locator(".md-header__topic:first-child").inner_text())
    # a tablet held upright: the quick exit in the header beside the longest name, the language menu closed
    page.set_viewport_size({"width": 740, "height": 1000})
    try:
        page.goto(f"{site.base('file')}/indigenous/handout-2.html")
        assert page.evaluate("document.documentElement.scrollWidth") <= 740
        assert page.locator(".md-header__topic:first-child .md-ellipsis").evaluate(
            "e => e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight")
    finally:
        page.set_viewport_size({"width": 390, "height": 844})
    # the language menu, open: every name whole and on screen
    page.goto(f"{site.base('file')}/en/handout-2.html")
    page.locator(".md-select button").click()
    _settled(page)
    for link in page.locator(".md-select__link").all():
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, link.inner_text()
        assert link.evaluate("e => e.scrollWidth <= e.clientWidth"), f"cut: {link.inner_text()}"
    assert "Indigenous communities" in " ".join(page.locator(".md-select__link").all_inner_texts())
    # the open side menu shows the Indigenous site's name whole
    page.goto(f"{site.base('file')}/indigenous/index.html")
    page.click(".md-header label[for=__drawer]")
    _settled(page)
    title = page.locator(".md-sidebar--primary .md-nav__title").first
    label = site.bundle.variant("indigenous").label
    assert label in title.inner_text() and title.evaluate("e => e.scrollWidth <= e.clientWidth"), "name cut"
    # no empty dark footer bar
    assert page.locator(".md-footer-meta").evaluate(
        "e => getComputedStyle(e).display === 'none' || e.innerText.trim() !== ''")


def test_phone_keyboard_focus_stays_on_screen_and_visible(site: Site, phone) -> None:
    page, _ = phone
    page.goto(f"{site.base('file')}/fr/week-2.html")
    off, invisible = [], []
    for _ in range(60):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => {
            const e = document.activeElement;
            if (!e || e === document.body) return null;
            const r = e.getBoundingClientRect(), s = getComputedStyle(e);
            const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'
                         || s.textDecorationLine.includes('underline') || e.matches('input');
            return {what: e.outerHTML.slice(0, 80), x: r.x, w: r.width, h: r.height, ring,
                    drawer: !!e.closest('.md-sidebar--primary')};
        }""")
        if info is None:
            continue
        if info["drawer"] or info["x"] + info["w"] <= 0 or info["x"] >= 390 or info["h"] == 0:
            off.append(info["what"])
        if not info["ring"]:
            invisible.append(info["what"])
    assert off == [], f"focus went off-screen: {off[:5]}"
    assert invisible == [], f"focus not shown: {invisible[:5]}"


def test_focus_shows_on_language_items_and_empty_search_results(site: Site, shared) -> None:
    page, _ = shared
    page.goto(f"{site.base('file')}/en/week-1.html")
    outline = "e => getComputedStyle(e).outlineStyle !== 'none' && parseFloat(getComputedStyle(e).outlineWidth) > 0"
    page.locator(".md-select button").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('md-select__link')")
    assert page.locator(".md-select__link:focus").evaluate(outline)
    # Tab from the search field (nothing found) closes the search: focus goes on to a visible, outlined stop,
    # not to the hidden results area
    page.click("input.md-search__input")
    page.keyboard.type("zzzqqq", delay=10)
    _search_done(page)
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert "md-search__scrollwrap" not in (focused.get_attribute("class") or "")
    assert focused.is_visible() and focused.evaluate(outline)


def test_numbers_hours_and_times_never_break(site: Site, phone) -> None:
    page, _ = phone
    for name in ("resources.html", "handout-2.html", "week-2.html", "schedule.html"):
        page.goto(f"{site.base('file')}/fr/{name}")
        broken = page.locator("a[href^='tel:'], .cx-clock").evaluate_all(
            "es => es.filter(e => e.getClientRects().length > 1).map(e => e.textContent)")
        assert broken == [], (name, broken)
        cells = [c for c in page.locator("td").all_inner_texts() if re.search(r"\d h\b|\bh \d", c)]
        assert cells == [], f"{name}: an hour may break"


def test_404_page_works_from_the_folder_and_chooser_asks_no_favicon(site: Site, shared) -> None:
    page, rec = shared
    page.goto(f"{site.base('file')}/fr/404.html")
    assert page.locator(".md-header").evaluate("e => getComputedStyle(e).position") in ("sticky", "fixed")
    assert page.locator(".md-header .md-logo").bounding_box()["height"] < 80
    before = len(rec.requests)
    page.goto(f"{site.base('http')}/index.html")
    page.wait_for_timeout(300)
    assert not [u for u in rec.requests[before:] if u.endswith("favicon.ico")]


def test_printing_gives_clean_pages_headings_with_their_text_and_a_two_page_handout(site: Site, shared) -> None:
    from pypdf import PdfReader

    page, _ = shared
    page.goto(f"{site.base('http')}/fr/week-3.html")
    # headings, and the lines that introduce a list ("Questions de discussion :")
    headings = {_norm(h) for h in page.locator("article h2, article h3, article p:has(+ ul), article p:has(+ ol)")
                .all_inner_texts()}
    page.emulate_media(media="print")
    try:
        for selector in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-search", ".md-footer"):
            assert page.locator(selector).first.evaluate("e => getComputedStyle(e).display") == "none", selector
        assert page.locator("h1").is_visible()
        pages = PdfReader(io.BytesIO(page.pdf(format="Letter"))).pages
        flat = _norm(" ".join(p.extract_text() for p in pages))
        assert _norm(site.bundle.contents["fr"].weeks[3].title) in flat
        for chrome in ("Rechercher", "Table des matières", "Téléchargements"):
            assert chrome not in flat, f"'{chrome}' printed"
        for i, p in enumerate(pages[:-1]):
            lines = [_norm(x) for x in (p.extract_text() or "").splitlines() if _norm(x)]
            assert lines and lines[-1] not in headings, f"page {i + 1} ends with the heading '{lines[-1]}'"
        # a handout: no quick exit on paper, two sheets at most, none of them only the help-line table
        page.goto(f"{site.base('http')}/en/handout-2.html")
        assert page.locator(".cx-quick-exit").evaluate("e => getComputedStyle(e).display") == "none"
        cells = {_norm(t) for t in page.locator("#help ~ table td, #help ~ table th").all_inner_texts() if _norm(t)}
        pdf = PdfReader(io.BytesIO(page.pdf(format="Letter"))).pages
        assert len(pdf) <= 2, f"the handout prints on {len(pdf)} pages"
        for i, p in enumerate(pdf):
            lines = [_norm(x) for x in (p.extract_text() or "").splitlines() if _norm(x)]
            assert any(not any(line in c or c in line for c in cells) for line in lines), \
                f"page {i + 1} holds only the help-line table"
    finally:
        page.emulate_media(media="screen")


FACILITATOR_WORDS = re.compile(r"mkdocs|\.ya?ml\b|build\.py|python |agency\.yml|--diff|dist/")


def test_pages_speak_to_facilitators_and_participant_pages_explain_safety(site: Site, shared) -> None:
    import html as html_lib

    found = []
    for html_file in sorted(site.dir.glob("*/*.html")):
        article = re.search(r"<article[^>]*>(.*)</article>", html_file.read_text(encoding="utf-8"), re.S)
        text = html_lib.unescape(re.sub(r"<[^>]+>", " ", article[1])) if article else ""
        found += [f"{html_file.relative_to(site.dir)}: {m[0]}" for m in FACILITATOR_WORDS.finditer(text)]
    assert found == []
    page, _ = shared
    page.goto(f"{site.base('file')}/fr/handout-1.html")
    note = page.locator(".cx-safety")
    assert note.is_visible() and "historique" in note.inner_text() and "Maj" in note.inner_text()
    page.goto(f"{site.base('file')}/fr/week-1.html")
    assert page.locator(".cx-safety").count() == 0
