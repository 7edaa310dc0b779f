#!/usr/bin/env python3
"""Benchmarks for the full build against bare WeasyPrint and bare mkdocs on the same inputs.

Not a timed test: run it by hand (`make bench` or `.venv/bin/python bench/run.py`) and read the table.
It works on a temporary copy of the project, so your dist/ is untouched.

(a) full build (--force) wall time, against the floor: bare WeasyPrint rendering the very same HTML
    documents split across the same number of processes, plus a bare `mkdocs build` of the very
    same generated pages and configs, one after the other;
(b) a no-op rebuild; (c) the rebuild after editing one French week; (d) the rebuild after an agency
    edits one help line's number in agency.yml (only what shows help lines is rebuilt); (e) peak memory
    of the build's process tree (all workers together).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

TARGETS = {"full build / floor": 1.15, "no-op rebuild (s)": 0.5, "one French week / full": 0.25,
           "peak memory (MB)": 500}
HELP_LINE = ("number: 555-010-0122", "number: 555-010-0124")  # agency.yml: the community health centre's line


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(stat[1]), []).append(int(d.name))
            rss[int(d.name)] = int(stat[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack += children.get(p, [])
    return total / 1e6


def timed_build(project: Path, out: Path, *args: str, env: dict | None = None) -> tuple[float, float, str]:
    """Wall time, peak memory and closing summary (what was built) of one `python build.py` run."""
    cmd = [sys.executable, str(REPO / "build.py"), "--project", str(project), *args, "--out", str(out), "--quiet"]
    if not args:
        cmd = [sys.executable, str(REPO / "build.py"), "--project", str(project), "all", "--out", str(out), "--quiet"]
    peak = 0.0
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_mb(proc.pid))
            time.sleep(0.05)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    th.join()
    if proc.returncode:
        sys.exit(f"build failed:\n{stdout.decode()}\n{stderr.decode()}")
    built = [line.strip() for line in stdout.decode().splitlines() if line.strip().startswith("built:")]
    return seconds, peak, built[0].removeprefix("built: ") if built else "nothing"


_css_cache: dict = {}


def _bare_pdf(item: tuple[str, str]) -> None:
    """Plain WeasyPrint usage, as its documentation shows it: HTML(string, base_url).write_pdf(stylesheets)."""
    import weasyprint

    html_path, meta_path = item
    meta = json.loads(Path(meta_path).read_text())
    page = weasyprint.HTML(string=Path(html_path).read_text(), base_url=Path(meta["base"]).as_uri() + "/")
    if meta.get("written", True):
        page.write_pdf(stylesheets=meta["stylesheets"], pdf_variant="pdf/ua-1")
    else:  # the build only laid it out, to count its pages
        page.render(stylesheets=meta["stylesheets"], pdf_variant="pdf/ua-1")


def weasyprint_floor(dump: Path, jobs: int) -> float:
    items = [(str(h), str(h.with_suffix(".json"))) for h in sorted(dump.glob("*.html"))]
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(_bare_pdf, items, chunksize=1))
    return time.perf_counter() - start


def mkdocs_floor(staging: Path) -> float:
    """Plain `mkdocs build` of the pages and configs the toolkit generated (kept in dist/.staging/)."""
    configs = sorted(staging.glob("site-*/mkdocs.yml"))
    start = time.perf_counter()
    for cfg in configs:
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(cfg), "-d",
                        str(cfg.parent / "bare-site")], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    from conftest import copy_project

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="connections-bench-") as tmp:
        tmp_path = Path(tmp)
        project = copy_project(tmp_path / "project")
        out = tmp_path / "dist"
        dump = tmp_path / "dump"
        timed_build(project, out, env={"CONNECTIONS_BENCH_DUMP": str(dump)})  # warm-up, and records the inputs
        shutil.rmtree(out)
        full, peak, _ = timed_build(project, out, "all", "--force")
        n_pdfs = len(list(dump.glob("*.html")))
        wp = weasyprint_floor(dump, args.jobs)
        mk = mkdocs_floor(out / ".staging")
        floor = wp + mk
        noop, _, _ = timed_build(project, out, "all")
        fr = project / "content/fr/week-3.md"
        fr.write_text(fr.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
        one, _, _ = timed_build(project, out, "all")
        agency = project / "agency.yml"
        text = agency.read_text(encoding="utf-8")
        if text.count(HELP_LINE[0]) != 1:
            sys.exit(f"bench: agency.yml no longer has one '{HELP_LINE[0]}' line; update HELP_LINE in bench/run.py")
        agency.write_text(text.replace(*HELP_LINE), encoding="utf-8")
        line, _, rebuilt = timed_build(project, out, "all")
    rows = [
        ("full build (s)", f"{full:.2f}", f"{n_pdfs} PDFs and the sites, {args.jobs} workers"),
        ("floor: bare WeasyPrint (s)", f"{wp:.2f}", f"same {n_pdfs} HTML documents, {args.jobs} processes"),
        ("floor: bare mkdocs build (s)", f"{mk:.2f}", "same generated pages and configs"),
        ("full build / floor", f"{full / floor:.2f}", f"target ≤ {TARGETS['full build / floor']}"),
        ("no-op rebuild (s)", f"{noop:.2f}", f"target ≤ {TARGETS['no-op rebuild (s)']}"),
        ("one French week / full", f"{one / full:.2f}", f"{one:.2f} s; target ≤ {TARGETS['one French week / full']}"),
        ("one help line / full", f"{line / full:.2f}", f"{line:.2f} s; rebuilt: {rebuilt}"),
        ("peak memory (MB)", f"{peak:.0f}", f"whole process tree; target ≤ {TARGETS['peak memory (MB)']}"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>8}  notes")
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>8}  {note}")


if __name__ == "__main__":
    main()
