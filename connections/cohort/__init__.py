"""Cohort paperwork: one delivery of the program (a cohort file, its roster and attendance record) turned
into attendance and sign-in sheets, a session calendar, certificates and a summary — written only under
dist/cohorts/<cohort id>/. See docs/cohorts.md."""
