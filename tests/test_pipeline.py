"""The build pipeline on its own: incremental by content hash, atomic, resumable after a failure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from connections.pipeline import STATE_FILE, Target, run, write_atomic
from tests.pipeline_renderers import Paper, copy_upper

RENDER = copy_upper


def make(tmp_path: Path, n: int = 4) -> tuple[list[Target], Path]:
    src = tmp_path / "src"
    src.mkdir()
    out = tmp_path / "out"
    targets = []
    for i in range(n):
        (src / f"in-{i}.txt").write_text(f"input {i}\n")
        targets.append(Target("doc", f"doc:{i}", out / f"doc-{i}.txt", RENDER, (src / f"in-{i}.txt",)))
    return targets, out


@pytest.mark.parametrize("jobs", [1, 2])
def test_second_build_rebuilds_nothing(tmp_path: Path, jobs: int) -> None:
    targets, out = make(tmp_path)
    first = run(targets, tmp_path, out, quiet=True, jobs=jobs)
    assert len(first.built) == 4 and not first.failed
    assert (out / "doc-2.txt").read_text() == "INPUT 2\n"
    second = run(targets, tmp_path, out, quiet=True, jobs=jobs)
    assert second.built == [] and len(second.up_to_date) == 4


def test_editing_one_input_rebuilds_only_its_output(tmp_path: Path) -> None:
    targets, out = make(tmp_path)
    run(targets, tmp_path, out, quiet=True)
    (tmp_path / "src/in-1.txt").write_text("changed\n")
    report = run(targets, tmp_path, out, quiet=True)
    assert [t.key for t in report.built] == ["doc:1"]
    assert (out / "doc-1.txt").read_text() == "CHANGED\n"


def test_touching_without_changing_bytes_rebuilds_nothing(tmp_path: Path) -> None:
    targets, out = make(tmp_path)
    run(targets, tmp_path, out, quiet=True)
    os.utime(tmp_path / "src/in-0.txt", (1, 1))  # hashes decide, not modification times
    assert run(targets, tmp_path, out, quiet=True).built == []


def test_force_rebuilds_everything(tmp_path: Path) -> None:
    targets, out = make(tmp_path)
    run(targets, tmp_path, out, quiet=True)
    assert len(run(targets, tmp_path, out, quiet=True, force=True).built) == 4


def test_deleted_output_is_rebuilt(tmp_path: Path) -> None:
    targets, out = make(tmp_path)
    run(targets, tmp_path, out, quiet=True)
    (out / "doc-3.txt").unlink()
    assert [t.key for t in run(targets, tmp_path, out, quiet=True).built] == ["doc:3"]


def test_failure_part_way_keeps_earlier_outputs_and_next_build_completes(tmp_path: Path) -> None:
    targets, out = make(tmp_path)
    run(targets, tmp_path, out, quiet=True)
    before = {p.name: p.read_bytes() for p in out.glob("doc-*.txt")}
    for i in range(4):
        (tmp_path / f"src/in-{i}.txt").write_text(f"new {i}\n")
    (tmp_path / "src/in-2.txt").write_text("FAIL here\n")
    report = run(targets, tmp_path, out, quiet=True, jobs=2)
    assert [t.key for t, _ in report.failed] == ["doc:2"]
    assert "in-2.txt:1: this input asks to fail" in report.failed[0][1]
    assert (out / "doc-2.txt").read_bytes() == before["doc-2.txt"]  # the old output is whole
    assert not list(out.glob(".*.tmp"))  # no half-written file left behind
    (tmp_path / "src/in-2.txt").write_text("fixed\n")
    again = run(targets, tmp_path, out, quiet=True)
    assert [t.key for t in again.built] == ["doc:2"]  # the others were recorded as done
    assert (out / "doc-2.txt").read_text() == "FIXED\n"


def test_params_change_rebuilds(tmp_path: Path) -> None:
    targets, out = make(tmp_path, 1)
    run(targets, tmp_path, out, quiet=True)
    t = Target("doc", "doc:0", targets[0].output, RENDER, targets[0].inputs, Paper("a4"))
    assert len(run([t], tmp_path, out, quiet=True).built) == 1


def test_write_atomic_never_leaves_a_partial_file(tmp_path: Path) -> None:
    dest = tmp_path / "a" / "file.pdf"
    write_atomic(dest, b"first")


    with pytest.raises(TypeError):
        write_atomic(dest, object())  # type: ignore[arg-type]
    assert dest.read_bytes() == b"first"
    assert [p.name for p in dest.parent.iterdir()] == ["file.pdf"]


def test_state_file_is_json_in_out_dir(tmp_path: Path) -> None:
    targets, out = make(tmp_path, 1)
    run(targets, tmp_path, out, quiet=True)
    assert (out / STATE_FILE).is_file()
