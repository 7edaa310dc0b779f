"""Which outputs each command makes: the list of targets handed to the pipeline."""

from __future__ import annotations

import argparse

from .context import Options
from .pipeline import Target
from .validate import Bundle


def site(bundle: Bundle, opts: Options) -> list[Target]:
    from .site.build import site_targets

    return site_targets(bundle, opts)


def handouts(bundle: Bundle, opts: Options) -> list[Target]:
    from .pdf.handouts import handout_targets

    return handout_targets(bundle, opts)


def manual(bundle: Bundle, opts: Options) -> list[Target]:
    from .pdf.manual import manual_targets

    return manual_targets(bundle, opts)


def attendance(bundle: Bundle, opts: Options, args: argparse.Namespace) -> list[Target]:
    from .cohort.targets import attendance_targets

    return attendance_targets(bundle, opts, args)


def certificates(bundle: Bundle, opts: Options, args: argparse.Namespace) -> list[Target]:
    from .cohort.targets import certificate_targets

    return certificate_targets(bundle, opts, args)


def calendar(bundle: Bundle, opts: Options, args: argparse.Namespace) -> list[Target]:
    from .cohort.targets import calendar_targets

    return calendar_targets(bundle, opts, args)


def sample_cohort(bundle: Bundle, opts: Options) -> list[Target]:
    from .cohort.targets import sample_targets

    return sample_targets(bundle, opts)


# Parts of a full build; each entry is a collector of this module. Later parts of the toolkit add theirs.
EVERYTHING: list[str] = ["sample_cohort", "handouts", "manual", "site"]


def everything(bundle: Bundle, opts: Options) -> list[Target]:
    """Every output of `python build.py`: all variants, both papers, and the bundled sample cohort."""
    out: list[Target] = []
    for name in EVERYTHING:
        out += globals()[name](bundle, opts)
    return out
