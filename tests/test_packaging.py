"""`pip install .` gives the whole toolkit: every subpackage and data file in the wheel, a `connections`
command, and `python -m connections`."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = tmp_path_factory.mktemp("src")
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w",
                        str(out), str(REPO)], capture_output=True, text=True, timeout=300, cwd=build)
    assert r.returncode == 0, r.stderr
    (whl,) = out.glob("*.whl")
    return whl


def test_the_wheel_holds_every_module_and_data_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    package = REPO / "connections"
    wanted = {p.relative_to(REPO).as_posix() for p in package.rglob("*")
              if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    assert wanted - names == set()
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "connections = connections.cli:entry" in zipfile.ZipFile(wheel).read(entry).decode()


def test_python_m_connections_runs_from_the_wheel_alone(wheel: Path, tmp_path: Path) -> None:
    """Unpacked somewhere else, with no project source on the path, the command checks a project."""
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    project = tmp_path / "project"
    from tests.conftest import copy_project

    copy_project(project)
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}
    r = subprocess.run([sys.executable, "-m", "connections", "check"], cwd=project, capture_output=True, text=True,
                       env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "check: all content and configuration are valid" in r.stdout
    r = subprocess.run([sys.executable, "-m", "connections", "--help"], cwd=project, capture_output=True, text=True,
                       env=env, timeout=60)
    assert r.returncode == 0 and "translate" in r.stdout and "catalogs" in r.stdout
