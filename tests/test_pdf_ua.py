"""Every kind of PDF the full build makes is checked by the PDF/UA-1 validator in some test.

The validation itself runs where each kind is already built (test_handouts, test_manual, test_cohort_build,
test_delivery); here, without rendering anything, the full build's outputs are listed and each kind must be
named in UA_VALIDATED, so that a new kind of PDF cannot join the build unvalidated.
"""

from __future__ import annotations

from pathlib import Path

from connections.cli import build_parser, options_from
from connections.context import bundle_for
from connections.outputs import KINDS
from connections.pdf.tables import needs_fix
from tests.fixtures.pdf.pdf_project import UA_VALIDATED, pdf_kind


def test_every_pdf_kind_of_the_full_build_is_validated(small_project: Path) -> None:
    opts = options_from(build_parser().parse_args(["all"]), small_project,
                        cohort=small_project / "cohorts/sample/cohort.yml")
    bundle = bundle_for(small_project)[0]
    outputs = [t.output for k in KINDS if k.in_all for t in k.collect(bundle, opts) if t.output.suffix == ".pdf"]
    made = {pdf_kind(p) for p in outputs}
    assert len(outputs) > 100 and "handouts/<variant>/notes/notes-<n>-<paper>.pdf" in made
    assert made - set(UA_VALIDATED) == set(), "a kind of PDF no test validates: add it to UA_VALIDATED and a test"


def test_table_headers_are_fixed_only_under_a_header_spanning_rows() -> None:
    """WeasyPrint's /Headers are wrong only when a cell spans rows: only those PDFs are opened again."""
    assert needs_fix('<table><tr><th scope="col" rowspan="2">#</th></tr></table>')
    assert needs_fix("<TD ROWSPAN=12>")
    assert not needs_fix('<table><tr><th colspan="3">Week 1</th><td rowspan="1"></td></tr></table>')
    assert not needs_fix("<p>rowspan=2</p>")
