"""Rule `forms-discreet`: the participant's forms (feedback forms, the planning worksheet) carry no word about
violence or abuse and not the program's name, in any language.

Why: a participant may leave a feedback form on the table or take the worksheet home where such a paper
could be unsafe. Every word those forms print comes from templates/delivery/participant.txt, so checking
its strings, translated into each variant's language, checks the forms.
"""

from __future__ import annotations

import re

from ..discreet import fold, list_for
from ..errors import Problems
from ..pdf import common
from ..validate import Bundle

SOURCE = "templates/delivery/participant.txt"
_SET = re.compile(r"\{%\s*set\s+(\w+)\s*=")


def check_forms(bundle: Bundle, problems: Problems) -> None:
    project = bundle.project
    path = project.templates / "delivery" / "participant.txt"
    if not path.is_file() or not (project.templates / "delivery" / "texts.txt").is_file():
        return  # a project without the delivery templates prints no participant forms
    lines = {m[1]: n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             for m in [_SET.search(line)] if m}
    for variant in bundle.variants:
        words = list_for(variant, bundle)
        env = common.environment(project, variant)
        texts = env.get_template("delivery/participant.txt").module
        program = str(getattr(env.get_template("delivery/texts.txt").module, "program_name", ""))
        for name, line in lines.items():
            text = str(getattr(texts, name, ""))
            word = words.find(text) if words else None
            if word:
                problems.add(path, line, f"'{name}' prints the word '{word}' on a participant's form in "
                             f"{variant.id}; these forms may be left behind or taken home where such a word could "
                             "be unsafe. Reword it (check its translation in locales/ too)")
            if program and re.search(rf"(?<!\w){re.escape(fold(program))}(?!\w)", fold(text)):
                problems.add(path, line, f"'{name}' names the program on a participant's form in {variant.id}; "
                             "these forms stay anonymous and neutral. Reword it")


def check_records(bundle: Bundle, problems: Problems) -> None:
    """Rule `delivery-records`: the fidelity and feedback records of every cohorts/*/cohort.yml, read as the
    report reads them (a wrong value: an error by file and row; a part the content no longer has: a warning)."""
    from ..cohort.config import load_cohort
    from ..errors import UserError
    from .records import load_feedback, load_fidelity
    from .render import texts

    folder = bundle.project.root / "cohorts"
    for path in sorted(folder.glob("*/cohort.yml")) if folder.is_dir() else []:
        try:
            cohort = load_cohort(path, bundle.project)
        except UserError:
            continue  # the cohorts rule reports it
        content = bundle.contents.get(cohort.variant.id)
        records = [r for r in (cohort.fidelity, cohort.feedback) if r is not None and r.is_file()]
        if content is None or not records:
            continue
        t = texts(bundle.project, cohort)
        if cohort.fidelity and cohort.fidelity.is_file():
            load_fidelity(cohort.fidelity, cohort, content.weeks, t, problems)
        if cohort.feedback and cohort.feedback.is_file():
            load_feedback(cohort.feedback, cohort, t, problems)
