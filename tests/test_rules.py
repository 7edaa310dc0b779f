"""One set of rules for `check` and every build: what `check` refuses, no build prints.

Each case breaks a small project in one way, then asserts that `check` reports it with `path:line` and that
every build the rule concerns stops with the same line, before writing anything.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from connections.cli import main
from connections.errors import Problems
from connections.outputs import KINDS
from connections.rules import ALL, RULES, Rule, register, run_rules
from tests.conftest import REPO, run_build


@pytest.fixture
def small(small_project: Path) -> Path:
    return small_project


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def violence_on_discreet_handout(p: Path) -> str:
    text = (p / "content/en/week-2.md").read_text(encoding="utf-8")
    new = re.sub(r"(\{#handout-discreet\}\n\n)", r"\1Leaving violence behind takes time.\n\n", text, count=1)
    (p / "content/en/week-2.md").write_text(new, encoding="utf-8")
    line = new[: new.index("Leaving violence")].count("\n") + 1
    return f"content/en/week-2.md:{line}: the discreet handout (section 'handout-discreet') has the word 'violence'"


def image_without_alt(p: Path) -> str:
    (p / "content/en/room.png").write_bytes((REPO / "docs/images/handout.png").read_bytes())
    text = (p / "content/en/week-3.md").read_text(encoding="utf-8")
    new = re.sub(r"(\{#handout\}\n\n)", r"\1![](room.png)\n\n", text, count=1)
    (p / "content/en/week-3.md").write_text(new, encoding="utf-8")
    line = new[: new.index("![](room.png)")].count("\n") + 1
    return f"content/en/week-3.md:{line}: image without alt text"


def bad_start_time(p: Path) -> str:
    edit(p / "mkdocs.yml", 'start_time: "18:00"', 'start_time: "25:99"')
    line = (p / "mkdocs.yml").read_text(encoding="utf-8").split("\n").index(
        next(x for x in (p / "mkdocs.yml").read_text(encoding="utf-8").split("\n") if "25:99" in x)) + 1
    return f"mkdocs.yml:{line}: start_time '25:99' is not a clock time"


def svg_with_a_remote_image(p: Path) -> str:
    (p / "content/en/map.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" '
                                          'xmlns:xlink="http://www.w3.org/1999/xlink">\n'
                                          '<image xlink:href="https://example.org/x.png"/>\n</svg>\n',
                                          encoding="utf-8")
    return "content/en/map.svg:2:"


def roster_stray_quote(p: Path) -> str:
    edit(p / "cohorts/sample/roster.csv", "P02,Bea,Sample", 'P02,"Bea,Sample')
    return "cohorts/sample/roster.csv"


def violence_on_feedback_form(p: Path) -> str:
    path = p / "templates/delivery/participant.txt"
    edit(path, "I felt welcome today.", "I felt safe from violence today.")
    line = next(n for n, x in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "from violence" in x)
    return f"templates/delivery/participant.txt:{line}: 'q1' prints the word 'violence' on a participant's form"


def face_number_out_of_scale(p: Path) -> str:
    edit(p / "cohorts/sample/feedback.csv", "1,,3,3,3,", "1,,7,3,3,")
    return "cohorts/sample/feedback.csv:2: row 2, column 'q2': expected 1, 2 or 3"


# rule name -> (how to break a project, the output kinds whose builds must stop)
CASES: dict[str, tuple[Callable[[Path], str], list[str]]] = {
    "discreet": (violence_on_discreet_handout, ["handouts", "manual", "site"]),
    "alt-text": (image_without_alt, ["site", "handouts", "manual"]),  # a loading rule (validate.load_bundle)
    "svg": (svg_with_a_remote_image, ["site", "handouts", "calendar"]),
    "site-settings": (bad_start_time, ["site"]),
    "cohorts": (roster_stray_quote, ["attendance", "certificates", "calendar", "runsheets", "report"]),
    "forms-discreet": (violence_on_feedback_form, ["runsheets", "forms"]),
    "delivery-records": (face_number_out_of_scale, ["report"]),
}


def test_every_rule_has_a_case_here() -> None:
    """A new rule in the registry gets its case in this file (catalogs and the warning-only rules have their own
    test files)."""
    assert {r.name for r in RULES} - set(CASES) <= {"catalogs", "parity", "glossary", "typography", "reading-level"}


def build_args(kind: str, project: Path) -> list[str]:
    args = [kind]
    if any(k.name == kind and k.cohort for k in KINDS):
        args.append(str(project / "cohorts/sample/cohort.yml"))
    return args


@pytest.mark.parametrize("rule", sorted(CASES))
def test_what_check_refuses_stops_every_build_it_concerns(rule: str, small: Path, capsys) -> None:  # noqa: ANN001
    breaker, kinds = CASES[rule]
    expected = breaker(small)
    assert main(["--project", str(small), "check"]) == 1
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
    for kind in [*kinds, "all"]:
        out = small / f"dist-{kind}"
        code = main(["--project", str(small), *build_args(kind, small), "--out", str(out), "--quiet"])
        err = capsys.readouterr().err
        assert code == 1, f"{kind} built despite: {expected}"
        assert expected in err, f"{kind}: {err}"
        assert "Nothing was written" in err
        assert not [f for f in out.rglob("*") if f.is_file() and not f.name.startswith(".")], kind


def test_discreet_handout_with_violence_is_never_printed(small: Path) -> None:
    """Regression (issue 11): `handouts --discreet` printed a word `check` refused, with exit 0."""
    expected = violence_on_discreet_handout(small)
    result = run_build("handouts", "--discreet", "--variant", "en", "--paper", "letter", project=small)
    assert result.code == 1 and expected in result.err and "Traceback" not in result.err
    assert not (small / "dist" / "handouts").exists()


def test_a_rule_stops_only_the_builds_it_concerns(small: Path, capsys, monkeypatch) -> None:  # noqa: ANN001
    def complain(bundle, problems: Problems) -> None:  # noqa: ANN001
        problems.add(bundle.project.root / "agency.yml", 3, "the test rule says no")

    monkeypatch.setattr("connections.rules.RULES", RULES)
    register(Rule("test-calendar-only", complain, frozenset({"calendar"}), "a rule for this test"))
    sample = str(small / "cohorts/sample/cohort.yml")
    assert main(["--project", str(small), "calendar", sample, "--out", str(small / "d1"), "--quiet"]) == 1
    assert "agency.yml:3: the test rule says no" in capsys.readouterr().err
    assert main(["--project", str(small), "check"]) == 1
    assert "agency.yml:3: the test rule says no" in capsys.readouterr().err
    # attendance is not concerned: it builds
    assert main(["--project", str(small), "attendance", sample, "--paper", "letter", "--out", str(small / "d2"),
                 "--quiet"]) == 0
    assert (small / "d2/cohorts").is_dir()


def test_check_and_builds_run_the_same_registry(small: Path) -> None:
    """`check` runs every rule; a build of all kinds runs every rule too (none is left to check alone)."""
    from connections.checks import collect

    bundle, _ = collect(small)
    seen: list[str] = []
    for rule in RULES:
        assert rule.blocks is ALL or rule.blocks <= {k.name for k in KINDS}, rule.name
    all_kinds = [k.name for k in KINDS]
    problems = Problems(small)
    run_rules(bundle, problems, all_kinds)
    seen = [r.name for r in RULES if r.concerns(all_kinds)]
    assert seen == [r.name for r in RULES]
