"""Hostile content: every trick that once ran script or called another host is refused with `path:line`
by `check` and by `site` (nothing written), and even with `check` bypassed the built site runs no script
and requests nothing from another host in a real Chromium.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from connections.errors import UserError
from connections.references import local_files, parse
from connections.sanitize import sanitize
from connections.site.markdown import LinkMapper
from tests.conftest import FIXTURES, REPO, Result, copy_project, run_cli

HOSTILE = FIXTURES / "hostile"
W2 = "content/en/week-2.md"
REMOTE = ("remote or external resource '{}' is not allowed; the site and PDFs must work offline and fetch "
          "nothing. Copy the file into the project and link to it by path")
STYLE = ("a style attribute is not allowed in content (it can make the site fetch a file or another host); "
         "remove style=\"…\" — the look of the site and PDFs lives in templates/")
JS = "'javascript:' URL is not allowed in content: it runs script when clicked or loaded; remove it"
SVG_FIX = "remove it, or save the drawing again as plain SVG (e.g. Inkscape: Save As → Plain SVG / Optimized SVG)"

# fixture -> the exact error lines `check` and `site` print
CASES: dict[str, list[str]] = {
    "multiline-onerror.md": [f"{W2}:63: inline event handler 'onerror=' is not allowed in content; remove it"],
    "multiline-javascript-href.md": [f"{W2}:63: {JS}"],
    "entity-javascript-link.md": [f"{W2}:63: {JS}"],
    "attr-list-handler.md": [f"{W2}:64: inline event handler 'onclick=' is not allowed in content; remove it"],
    "css-escape-style.md": [f"{W2}:63: {STYLE}", f"{W2}:63: " + REMOTE.format("https://example.org/x.png")],
    "image-set-style.md": [f"{W2}:63: {STYLE}", f"{W2}:63: " + REMOTE.format("https://example.org/x.png")],
    "reference-style-remote.md": [f"{W2}:65: " + REMOTE.format("https://example.org/lake.png")],
    "svg-remote-image.md": [
        "content/en/remote-image.svg:2: 'https://example.org/x.png' in href= is not a reference inside the drawing "
        f"(#id): the SVG would load another file or host; {SVG_FIX}"],
    "svg-file-url.md": [
        "content/en/file-url.svg:3: 'file:///etc/passwd' in xlink:href= is not a reference inside the drawing "
        f"(#id): the SVG would load another file or host; {SVG_FIX}"],
    "svg-entity.md": [
        "content/en/entity.svg:2: a DOCTYPE is not allowed in an SVG (its entities can read other files or hosts); "
        + SVG_FIX],
    "svg-script-link.md": [
        f"content/en/script.svg:2: event handler 'onclick=' is not allowed in an SVG (it runs script); {SVG_FIX}",
        "content/en/script.svg:3: <script> is not allowed in an SVG (it can run script or load another document); "
        + SVG_FIX],
}


def _project(dest: Path, fixture: str) -> Path:
    """The bundled templates and catalogs with the minimal content, week 2 of English replaced by ``fixture``
    and the drawings next to it (only the fixture's own SVG is linked)."""
    project = copy_project(dest)
    shutil.rmtree(project / "content")
    shutil.copytree(FIXTURES / "minimal" / "content", project / "content")
    shutil.copy(HOSTILE / fixture, project / W2)
    for svg in HOSTILE.glob("*.svg"):
        if svg.name in (HOSTILE / fixture).read_text(encoding="utf-8"):
            shutil.copy(svg, project / "content" / "en" / svg.name)
    return project


def run_in_process(*args: str | Path, project: Path) -> Result:
    """`build.py --project PROJECT ARGS` run in this process: the same `main`, exit code, stdout and stderr, without
    starting a Python and importing the toolkit again for each of the 22 refusals below (the real command line
    runs in the other tests of this file)."""
    from connections.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--project", str(project), *(str(a) for a in args)])
    return Result(code, out.getvalue(), err.getvalue())


def error_lines(stderr: str, command: str) -> list[str]:
    return [line for line in stderr.splitlines() if line and not line.startswith((f"{command}: ", "The content"))]


def test_every_fixture_has_a_case() -> None:
    assert sorted(p.name for p in HOSTILE.glob("*.md")) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_refuses_with_path_and_line(tmp_path: Path, name: str) -> None:
    project = _project(tmp_path / "p", name)
    result = run_in_process("check", project=project)
    assert result.code == 1, result.out
    assert "Traceback" not in result.err
    assert error_lines(result.err, "check") == CASES[name]


@pytest.mark.parametrize("name", sorted(CASES))
def test_site_refuses_and_writes_nothing(tmp_path: Path, name: str) -> None:
    project = _project(tmp_path / "p", name)
    out = tmp_path / "dist"
    result = run_in_process("site", "--variant", "en", "--out", out, project=project)
    assert result.code == 1, result.out
    assert "Traceback" not in result.err
    assert error_lines(result.err, "site") == CASES[name]
    assert not (out / "site").exists()


def test_an_unsafe_svg_lying_in_content_is_reported(tmp_path: Path) -> None:
    project = _project(tmp_path / "p", "multiline-onerror.md")
    shutil.copy(FIXTURES / "minimal" / "content" / "en" / "week-2.md", project / W2)
    shutil.copy(HOSTILE / "entity.svg", project / "content" / "en" / "unused.svg")
    result = run_cli("check", project=project)
    assert result.code == 1
    assert error_lines(result.err, "check") == [
        "content/en/unused.svg:2: a DOCTYPE is not allowed in an SVG (its entities can read other files or hosts); "
        + SVG_FIX]


def test_the_site_never_copies_an_unsafe_svg(tmp_path: Path) -> None:
    """Even when asked directly (check bypassed), the site's file copier refuses the drawing."""
    root = tmp_path / "p"
    (root / "content" / "en").mkdir(parents=True)
    shutil.copy(HOSTILE / "script.svg", root / "content" / "en" / "drawing.svg")
    mapper = LinkMapper(root)
    assert mapper.target("drawing.svg", root / "content" / "en" / "week-2.md") == "files/content/en/drawing.svg"
    with pytest.raises(UserError) as err:
        mapper.copy_files(tmp_path / "docs")
    assert str(err.value).splitlines()[0] == (
        f"content/en/drawing.svg:2: event handler 'onclick=' is not allowed in an SVG (it runs script); {SVG_FIX}")
    assert not (tmp_path / "docs").exists()


def test_reference_style_images_are_local_files(tmp_path: Path) -> None:
    """An image given as ``[lake]: images/lake.png`` is an input of what shows it, like an inline one."""
    root = tmp_path / "p"
    (root / "content" / "en" / "images").mkdir(parents=True)
    for name in ("lake.png", "tree.png", "raw.png"):
        (root / "content" / "en" / "images" / name).write_bytes(b"\x89PNG")
    md = root / "content" / "en" / "week-1.md"
    md.write_text("---\nweek: 1\n---\n\n![A lake][lake] and ![A tree](images/tree.png)\n\n"
                  "<img alt=\"raw\"\n src=\"images/raw.png\">\n\n[lake]: images/lake.png\n", encoding="utf-8")
    assert local_files(md, root) == sorted((root / "content" / "en" / "images" / n).resolve()
                                           for n in ("lake.png", "raw.png", "tree.png"))
    refs = {(r.url, r.line) for r in parse(md.read_text(encoding="utf-8")).references}
    assert ("images/lake.png", 10) in refs and ("images/raw.png", 7) in refs and ("images/tree.png", 5) in refs


def test_sanitizer_keeps_formatting_and_drops_every_trick() -> None:
    hostile = (HOSTILE / "multiline-onerror.md").read_text(encoding="utf-8")
    assert "onerror" in hostile
    out = sanitize(
        '<h2 id="x" class="c" onclick="a()">T</h2><img src="#l" alt="A"\nonerror="alert(1)">'
        '<a href=\n"javascript:alert(1)">j</a><a href="JaVa\tscript:alert(1)">k</a><a href="week-2.html#x">ok</a>'
        '<span style="background:u\\72l(https://e.org/x)">s</span><img src="//e.org/x" alt="n">'
        '<img src="\\\\e.org/x" alt="b"><img src="data:image/svg+xml,<svg onload=alert(1)>" alt="d">'
        '<table><tr><td style="text-align: right;">1</td></tr></table><script>alert(1)</script>'
        '<svg><image href="https://e.org/x"/></svg><iframe src="https://e.org"></iframe>'
        '<details class="note"><summary>S</summary><p lang="fr">x</p></details><a href="tel:+1">t</a>')
    assert out == (
        '<h2 id="x" class="c">T</h2><img src="#l" alt="A"><a>j</a><a>k</a><a href="week-2.html#x">ok</a>'
        '<span>s</span><img alt="n"><img alt="b"><img alt="d">'
        '<table><tbody><tr><td style="text-align:right">1</td></tr></tbody></table>'
        '<details class="note"><summary>S</summary><p lang="fr">x</p></details><a href="tel:+1">t</a>')


# ---- the poisoned site in Chromium ------------------------------------------------------------------------
POISON = """<img src="#lake" alt="A calm lake"
onerror="alert('img')">

<a href=
"javascript:alert('href')">Breathe</a> and [again](&#106;avascript:alert('entity'))

Breathe slowly.
{: onclick="alert('attr')" onmouseover="alert('hover')" }

<span style="background:u\\72l(https://example.org/escape.png)">Escape</span>
<div style='background-image: image-set("https://example.org/set.png" 1x)'>Set</div>
<p style="background: url(file:///etc/passwd)">File</p>

![A calm lake][lake] <img src="//example.org/net.png" alt="net"> ![x](data:image/svg+xml,%3Csvg%20onload%3Dalert(1)%3E)

<svg width="4" height="4" onload="alert('svg')"><image href="https://example.org/svg.png"/></svg>
<iframe src="https://example.org/frame"></iframe><script>alert('script')</script>
<object data="https://example.org/object"></object><link rel="stylesheet" href="https://example.org/x.css">
<style>@import url(https://example.org/import.css); body { background: url(https://example.org/bg.png) }</style>
<meta http-equiv="refresh" content="0;url=https://example.org/"><base href="https://example.org/">
<form action="https://example.org/form"><button formaction="https://example.org/b">Go</button></form>
<video poster="https://example.org/poster.png"></video><audio src="https://example.org/a.mp3" autoplay></audio>

[lake]: https://example.org/lake.png
"""

BYPASS = """
import sys
import connections.rules as rules
import connections.validate as validate
validate.scan_markdown = lambda *args, **kwargs: None  # what a file that bypassed check would give
rules.RULES = tuple(r for r in rules.RULES if r.name != "svg")
from connections.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _build_bypassing_check(project: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-c", BYPASS, "--project", str(project), *args, "--jobs", "1"]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=REPO)


def _poisoned(dest: Path) -> Path:
    project = _project(dest, "multiline-onerror.md")
    week = (FIXTURES / "minimal" / "content" / "en" / "week-2.md").read_text(encoding="utf-8")
    week = week.replace("Section text.", POISON, 1)
    week = week.replace("title: Week 2", "title: \"Week 2 <img src=x onerror=alert('title')>\"")
    week = week.replace("  - Objective 2", "  - \"<img src=x onerror=alert('objective')>\"")
    week = week.replace("## Grounding {#grounding}", "## <img src=x onerror=alert('heading')> Grounding {#grounding}")
    (project / W2).write_text(week, encoding="utf-8")
    program = project / "content" / "en" / "program.md"
    program.write_text(program.read_text(encoding="utf-8").replace(
        "subtitle: A program", "subtitle: 'A program\"><script>alert(1)</script><img src=x onerror=alert(2)>'"),
        encoding="utf-8")
    return project


def test_check_names_every_trick_of_the_poisoned_page(tmp_path: Path) -> None:
    project = _poisoned(tmp_path / "p")
    result = run_cli("check", project=project)
    assert result.code == 1
    lines = error_lines(result.err, "check")
    for needle in ("'onerror='", JS, "'onclick='", "'onmouseover='", STYLE, "<svg>", "<iframe>", "<script>",
                   "<object>", "<link>", "<style>", "<meta>", "<base>", "<form>", "<video>", "<audio>",
                   REMOTE.format("https://example.org/lake.png"), REMOTE.format("file:///etc/passwd"),
                   REMOTE.format("//example.org/net.png"), "'data:' URL"):
        assert any(needle in line for line in lines), needle
    assert [line for line in lines if not line.startswith(f"{W2}:")] == [
        "content/en/program.md:3: <script> is not allowed in content; remove it (the site and PDFs run no code "
        "from content)",
        "content/en/program.md:3: image without alt text; describe it between the brackets for people who cannot "
        "see it, e.g. ![Chairs set in a circle](room.png)",
        "content/en/program.md:3: inline event handler 'onerror=' is not allowed in content; remove it",
        "content/en/program.md:3: link or image 'x' points at a file that does not exist"]
    assert f"{W2}:3: inline event handler 'onerror=' is not allowed in content; remove it" in lines  # the title


@pytest.fixture(scope="module")
def poisoned_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, int]]:
    root = _poisoned(tmp_path_factory.mktemp("poisoned") / "p")
    result = _build_bypassing_check(root, "site", "--variant", "en")
    assert result.returncode == 0, result.stderr + result.stdout
    site = root / "dist" / "site"
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield site, server.server_address[1]
    server.shutdown()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def chromium() -> Iterator:
    """One headless Chromium for the module (a launch costs a second of CPU); each test opens its own context."""
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


@pytest.mark.browser
@pytest.mark.parametrize("how", ["http", "file"])
def test_poisoned_site_runs_no_script_and_calls_no_other_host(poisoned_site: tuple[Path, int], chromium,
                                                              how: str) -> None:
    from playwright.sync_api import Error as PlaywrightError

    site, port = poisoned_site
    base = site.as_uri() if how == "file" else f"http://127.0.0.1:{port}"
    # Every kind of page (the poisoned title is in every page's navigation): all but the other weeks' pages,
    # which are the same templates as week 2's with clean content. The 404 page only over http (a server's page:
    # its links start at the root).
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                   if not re.search(r"-[013-9]$", p.stem) and (how == "http" or p.name != "404.html"))
    assert "en/week-2.html" in pages
    html = (site / "en" / "week-2.html").read_text(encoding="utf-8")
    assert "Breathe slowly." in html and "Escape" in html  # the text stays, the tricks go
    dialogs: list[str] = []
    remote: list[str] = []
    requests: list[str] = []
    interrupted: list[str] = []

    def route(r) -> None:
        parts = urlsplit(r.request.url)
        in_site = parts.scheme == "file" and Path(unquote(parts.path)).resolve().is_relative_to(site.resolve())
        served = parts.hostname == "127.0.0.1" and parts.port == port
        if in_site or served or parts.scheme in {"data", "blob", "about"}:
            r.continue_()
        else:
            remote.append(r.request.url)
            r.abort()

    context = chromium.new_context(service_workers="block")
    try:
        context.on("request", lambda r: requests.append(r.url))
        context.route("**/*", route)
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for name in pages:
            try:
                page.goto(f"{base}/{name}")  # waits for the load event: every request of the page is made
                page.wait_for_timeout(50)  # a moment for a refresh or a timer to fire: nothing to wait for if safe
            except PlaywrightError as exc:  # a refresh or a script sent the page elsewhere
                interrupted.append(f"{name}: {exc.message.splitlines()[0]}")
        # What a reader would do on the poisoned page: point at and click what the content put there.
        page.goto(f"{base}/en/week-2.html")
        page.wait_for_timeout(200)
        assert page.url.endswith("/en/week-2.html")
        content = page.locator("article")
        hrefs = [a.get_attribute("href") or "" for a in content.locator("a").all()]
        assert hrefs and not [h for h in hrefs if h.strip().lower().startswith(("javascript", "data", "//"))]
        shown = content.locator("p, h2, span, div, img").filter(visible=True).all()
        assert len(shown) > 20, len(shown)
        for el in shown:
            # a real click moves the mouse onto the element first: mouseover, mouseenter and mousemove fire on it
            # as a hover's would, then mousedown, mouseup and click (a separate hover cost as much again)
            el.click(timeout=2000, no_wait_after=True)
        page.wait_for_timeout(200)
        assert page.url.endswith("/en/week-2.html")
    finally:
        context.close()
    assert len(requests) > len(pages)
    assert dialogs == []
    assert remote == []
    assert interrupted == []


def test_a_handout_never_reads_an_unsafe_svg(tmp_path: Path) -> None:
    """With check bypassed, the PDF's file fetcher still refuses the drawing and the handout is not written."""
    project = _project(tmp_path / "p", "svg-remote-image.md")
    week = (FIXTURES / "minimal" / "content" / "en" / "week-2.md").read_text(encoding="utf-8")
    marker = "## Handout {#handout}\n\nSection text."
    assert marker in week
    week = week.replace(marker, "## Handout {#handout}\n\n![A calm lake](remote-image.svg)")
    (project / W2).write_text(week, encoding="utf-8")
    out = tmp_path / "dist"
    result = _build_bypassing_check(project, "handouts", "--variant", "en", "--paper", "letter", "--out", str(out))
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr + result.stdout
    assert ("content/en/remote-image.svg:2: 'https://example.org/x.png' in href= is not a reference inside the "
            "drawing (#id)") in result.stdout  # the build summary, under "FAILED handout:en:2:letter"
    assert not (out / "handouts" / "en" / "week-2-letter.pdf").exists()
    assert (out / "handouts" / "en" / "week-1-letter.pdf").exists()


def test_an_image_without_alt_text_is_reported_by_check_even_in_raw_html(tmp_path: Path) -> None:
    project = _project(tmp_path / "p", "multiline-onerror.md")
    lines = (FIXTURES / "minimal" / "content" / "en" / "week-2.md").read_text(encoding="utf-8").splitlines(True)
    lines[59] = '![](#lake)\n\n<img\n  src="#tree">\n'
    (project / W2).write_text("".join(lines), encoding="utf-8")
    result = run_cli("check", project=project)
    assert result.code == 1
    message = ("image without alt text; describe it between the brackets for people who cannot see it, e.g. "
               "![Chairs set in a circle](room.png)")
    assert error_lines(result.err, "check") == [f"{W2}:60: {message}", f"{W2}:62: {message}"]


def test_a_nul_byte_or_a_very_long_name_in_a_link_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    project = _project(tmp_path / "p", "multiline-onerror.md")
    lines = (FIXTURES / "minimal" / "content" / "en" / "week-2.md").read_text(encoding="utf-8").splitlines(True)
    lines[59] = f"See [a](a%00b.png) and [long]({'y' * 300}.png).\n"
    (project / W2).write_text("".join(lines), encoding="utf-8")
    result = run_cli("check", project=project)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert error_lines(result.err, "check") == [
        f"{W2}:60: link or image 'a%00b.png' holds a NUL character (\\0), which no file name can hold; link to a "
        "file of the project by its real name",
        f"{W2}:60: link or image '{'y' * 300}.png' has a name part of 304 bytes; file systems allow at most 255; link "
        "to a file of the project by its real name"]


def _png(rgb: tuple[int, int, int]) -> bytes:
    """A 1×1 PNG of one colour."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = zlib.compress(b"\x00" + bytes(rgb))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


def test_an_image_in_raw_html_is_copied_into_the_site_and_shown(tmp_path: Path) -> None:
    project = _project(tmp_path / "p", "multiline-onerror.md")
    lines = (FIXTURES / "minimal" / "content" / "en" / "week-2.md").read_text(encoding="utf-8").splitlines(True)
    lines[59] = '<img alt="A calm lake"\n     src="images/lake.png">\n'
    (project / W2).write_text("".join(lines), encoding="utf-8")
    (project / "content" / "en" / "images").mkdir()
    (project / "content" / "en" / "images" / "lake.png").write_bytes(_png((0, 90, 160)))
    result = run_cli("site", "--variant", "en", project=project)
    assert result.code == 0, result.err + result.out
    site = project / "dist" / "site" / "en"
    assert '<img alt="A calm lake" src="files/content/en/images/lake.png"' in (site / "week-2.html").read_text(
        encoding="utf-8")
    assert (site / "files" / "content" / "en" / "images" / "lake.png").read_bytes() == _png((0, 90, 160))
