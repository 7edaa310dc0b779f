"""Incremental, atomic full builds on a small project: what is rebuilt after an edit, and after a failure."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from connections.cli import main
from tests.conftest import FULL_SMALL_ARGS, REPO, BuiltSmall, Result
from tests.fixtures.pdf.pdf_project import pdf_text

ARGS = FULL_SMALL_ARGS


def state(project: Path) -> dict[str, str]:
    return json.loads((project / "dist" / ".build-state.json").read_text())


def digests(folder: Path) -> dict[str, str]:
    """The outputs' bytes (not the build's own state, lock, staging or caches: its dot-folders and files)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)}


def build(capsys: pytest.CaptureFixture[str], project: Path, *args: str | Path) -> Result:
    """``build.py --project project *args`` run in this process: what a build decides and prints is the same, without
    a new interpreter loading the toolkit each time (the Ctrl-C and no-import tests start real processes)."""
    capsys.readouterr()
    code = main(["--project", str(project), *map(str, args)])
    out, err = capsys.readouterr()
    return Result(code, out, err)


def built_keys(project: Path, before: dict[str, str]) -> list[str]:
    """Targets whose recorded fingerprint changed since ``before``."""
    after = state(project)
    return sorted(k for k in after if before.get(k) != after[k])


@pytest.fixture(scope="module")
def small(built_small: BuiltSmall, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled templates, fonts, catalogs and sample cohort with the small fixture content, built."""
    return built_small.copy(tmp_path_factory.mktemp("incremental") / "project")


def test_edit_rebuilds_exactly_its_dependants(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = state(small)
    assert "Built 0," in build(capsys, small, *ARGS).out  # a second build rebuilds nothing

    week3 = small / "content/fr/week-3.md"
    week3.write_text(week3.read_text(encoding="utf-8").replace("Texte de la section.", "Texte modifié.", 1),
                     encoding="utf-8")
    result = build(capsys, small, *ARGS)
    assert result.code == 0, result.err
    assert built_keys(small, before) == ["handout:fr:3:letter", "handout:fr:3:letter:discreet",
                                         "handout:fr:3:letter:large", "manual:fr:letter", "manual:fr:letter:large",
                                         "site:fr"]  # the default build makes every print variation
    assert "Built 6, up to date" in result.out

    # --force rebuilds everything the command makes, up to date or not (a narrow command: it costs seconds)
    result = build(capsys, small, "handouts", "--variant", "fr", "--paper", "letter", "--quiet", "--force")
    assert result.code == 0, result.err
    assert f"Built {len(small_weeks(small))}, up to date 0, failed 0" in result.out


def small_weeks(project: Path) -> list[Path]:
    return sorted((project / "content/fr").glob("week-*.md"))


def test_noop_rebuild_does_not_import_weasyprint(small: Path) -> None:
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from connections.cli import main; "
            "rc = main(['--project', sys.argv[2], 'all', '--paper', 'letter', '--quiet']); "
            "print('weasyprint' in sys.modules, rc)")
    out = subprocess.run([sys.executable, "-c", code, str(REPO), str(small)], capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "False 0", out.stderr


def test_failure_part_way_keeps_earlier_outputs_and_next_build_completes(small: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    dist = small / "dist"
    build(capsys, small, *ARGS)
    before_files = digests(dist)
    # Week 4's handout gets an image that is not an image: WeasyPrint cannot draw it, so that document fails.
    week4 = small / "content/en/week-4.md"
    original = week4.read_text(encoding="utf-8")
    broken = original.replace("## Handout {#handout}\n\nSection text.",
                              "## Handout {#handout}\n\n![A calm lake](../../agency.yml)", 1)
    assert broken != original
    week4.write_text(broken, encoding="utf-8")
    result = build(capsys, small, *ARGS)
    assert result.code == 1
    failed = sorted(line.split()[1].rstrip(":") for line in result.out.splitlines() if line.startswith("FAILED "))
    # the documents that print week 4's handout (regular and large print)
    assert failed == ["handout:en:4:letter", "handout:en:4:letter:large", "manual:en:letter", "manual:en:letter:large"]
    assert "agency.yml" in result.out and "Traceback" not in result.err + result.out
    # The English site shows the image as a link and is rebuilt; every other output, the failed ones included,
    # is exactly as before: nothing half-written.
    unchanged = {k: v for k, v in digests(dist).items() if not k.startswith("site/en/")}
    assert unchanged == {k: v for k, v in before_files.items() if not k.startswith("site/en/")}
    assert not set(failed) & set(state(small))  # failed outputs are rebuilt next time

    week4.write_text(original, encoding="utf-8")
    during = state(small)
    result = build(capsys, small, *ARGS)
    assert result.code == 0, result.out + result.err
    # The failed documents (with the discreet and large-print handouts of week 4 and the large-print manual: their
    # week file changed back), and both sites again (the French site shows notes on changed English).
    # The sample group's run sheets, checklists, feedback forms and report print week 4's agenda and key
    # messages, not its handout: they are not made again.
    assert built_keys(small, during) == [
        "handout:en:4:letter", "handout:en:4:letter:discreet", "handout:en:4:letter:large", "manual:en:letter",
        "manual:en:letter:large", "site:en", "site:fr"]
    assert digests(dist) == before_files  # same inputs, byte-identical outputs


def test_ctrl_c_stops_cleanly_and_the_next_build_finishes(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import signal
    import time

    dist = small / "dist"
    # Python ignores Ctrl-C in a child whose parent ignores it (as test runners may): restore it first.
    # One variant and paper: six handouts over the workers, enough to stop it part-way; fewer to make again after.
    code = ("import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
            "sys.path.insert(0, sys.argv[1]); from connections.cli import main; "
            "sys.exit(main(['--project', sys.argv[2], 'handouts', '--variant', 'en', '--paper', 'letter', "
            "'--quiet', '--force']))")
    proc = subprocess.Popen([sys.executable, "-c", code, str(REPO), str(small)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    state_file = dist / ".build-state.json"
    deadline = time.monotonic() + 60
    # The build first forgets the handouts it is about to rebuild (one write), then records each one done:
    # stop it when the first is recorded, the others still to come.
    forgotten = False
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            handouts = [k for k in json.loads(state_file.read_text(encoding="utf-8"))
                        if k.startswith("handout:en:") and k.endswith(":letter")]  # standard: handout:en:1:letter
        except ValueError:
            continue
        if not handouts:
            forgotten = True
        elif forgotten:
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "Stopped. Outputs finished before the stop are whole" in err
    assert "Traceback" not in err
    assert not list(dist.rglob("*.tmp"))  # no half-written file
    for pdf in dist.rglob("*.pdf"):
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"), pdf
    result = build(capsys, small, *ARGS)
    assert result.code == 0, result.err
    assert "failed 0" in result.out
    assert "Built 0," in build(capsys, small, *ARGS).out


def test_a_help_line_edit_rebuilds_only_what_prints_help_lines(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An agency updating one help line's number: the run sheets and the planning worksheet print it and are
    made again; attendance, certificates, calendar, checklists, feedback forms and the intake guide are not."""
    cohort = small / "cohorts/sample/cohort.yml"
    agency = small / "agency.yml"
    text = agency.read_text(encoding="utf-8")
    assert "number: 555-010-0122" in text
    agency.write_text(text.replace("number: 555-010-0122", "number: 555-010-0177", 1), encoding="utf-8")
    runs = {cmd: build(capsys, small, cmd, cohort, "--paper", "letter", "--quiet")
            for cmd in ("runsheets", "attendance")}
    runs |= {cmd: build(capsys, small, cmd, cohort, "--quiet") for cmd in ("certificates", "calendar")}
    runs["forms"] = build(capsys, small, "forms", "--variant", "en", "--paper", "letter", "--quiet")
    assert all(r.code == 0 for r in runs.values()), {c: r.err for c, r in runs.items()}
    assert "Built 1, up to date 4" in runs["runsheets"].out  # the run sheet, not the checklist or feedback form
    assert "Built 1, up to date 1" in runs["forms"].out  # "My plan", not the intake guide
    for cmd in ("attendance", "certificates", "calendar"):
        assert "Built 0," in runs[cmd].out, (cmd, runs[cmd].out)
    sheet = small / "dist/cohorts/sample-2027-spring/runsheets-letter.pdf"
    assert "555-010-0177" in pdf_text(sheet)
    # Any other agency setting still rebuilds what shows the agency: the certificates print its name.
    agency.write_text(agency.read_text(encoding="utf-8").replace(
        "name: Riverside Family Resource Centre (sample)", "name: Riverside Family Centre", 1), encoding="utf-8")
    result = build(capsys, small, "certificates", cohort, "--quiet")
    assert result.code == 0 and "Built 0," not in result.out, result.out
    agency.write_text(text, encoding="utf-8")
