"""The `forms` output kind: the intake conversation guide (facilitator) and the planning worksheet
(the participant's own), per variant and paper, not per cohort.

Output paths: ``forms/<variant>/intake-guide-<paper>.pdf`` and ``forms/<variant>/my-plan-<paper>.pdf``;
with --large-print, under ``forms/<variant>/large-print/``. The worksheet's file name, title and words are
neutral, like a discreet handout: it may be kept where someone else could find it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..context import Options, bundle_for, selected_variants
from ..discreet import mentions_sensitive
from ..files import write_atomic
from ..pdf import common
from ..pdf.engine import render_pdf
from ..pipeline import Target
from ..validate import Bundle
from .render import participant_texts, stylesheets, with_faces

FORMS = ("intake-guide", "my-plan")
HELP_LINE_FORMS = ("my-plan",)  # forms that print the help lines


@dataclass(frozen=True)
class FormParams:
    variant: str
    form: str
    paper: str
    large_print: bool = False


def form_path(out: Path, variant: str, form: str, paper: str, large_print: bool) -> Path:
    folder = out / "forms" / variant / ("large-print" if large_print else "")
    return folder / f"{form}-{paper}.pdf"


def collect(bundle: Bundle, opts: Options) -> list[Target]:
    project = bundle.project
    delivery = common.files_under(project.templates / "delivery")
    settings = common.agency_settings(project)
    targets = []
    for vid in selected_variants(bundle, opts):
        variant = bundle.contents[vid].variant
        for form in FORMS:
            lines = form in HELP_LINE_FORMS  # the others take agency.yml's settings but its help lines
            files = (variant.directory / "variant.yml", *common.shared_inputs(project, bundle.agency, lines),
                     *delivery)
            for paper in opts.papers:
                targets.append(Target(
                    kind="forms", key=f"form:{vid}:{form}:{paper}{':large' if opts.large_print else ''}",
                    output=form_path(opts.out, vid, form, paper, opts.large_print), render=render_form,
                    inputs=files, params=FormParams(vid, form, paper, opts.large_print),
                    settings=() if lines else settings))
    return targets


def render_form(target: Target, root: Path) -> None:
    """Renderer: one form PDF."""
    bundle, _ = bundle_for(root)
    p: FormParams = target.params
    project, agency = bundle.project, bundle.agency
    variant = bundle.variant(p.variant)
    env = with_faces(common.environment(project, variant))
    t = participant_texts(env)
    name = agency.name if agency else ""
    if p.form == "my-plan":
        local, national = common.help_lines(agency, variant, discreet=True)
        # The worksheet keeps only lines whose names are neutral in every language (a name may say "crisis").
        local = [hl for hl in local if not mentions_sensitive(hl.name)]
        national = [hl for hl in national if not mentions_sensitive(hl.name)]
        title, template, author, footer = str(t.plan_title), "delivery/plan.html", "", str(t.plan_title)
        if mentions_sensitive(name):
            name = ""
    else:
        local, national = [], []
        title = str(env.get_template("delivery/texts.txt").module.intake_title)
        template, author, footer = "delivery/intake.html", name, f"{title} · {name}"
    html = env.get_template(template).render(
        doc_title=title, lang=variant.lang, large_print=p.large_print, paper=p.paper, author=author, footer=footer,
        agency=name, t=t, local_lines=local, national_lines=national)
    data = render_pdf(html, base=project.templates / "delivery", root=project.root,
                      stylesheets=stylesheets(project, p.large_print), title=title, lang=variant.lang,
                      source_date=variant.content_date.isoformat(), sources=[project.agency_yml])
    write_atomic(target.output, data)
