"""Delivering the program and learning from each group: run sheets, fidelity checklists, feedback forms,
intake and planning forms, and the cohort delivery report — all made from the weeks' structured content."""
