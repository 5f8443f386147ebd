"""Fixtures for the validation tooling tests: copies of the real module and of a small
fixture module, which tests break on purpose, and helpers to edit them by line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tools.fakeprovider.build import PinSet, setup
from tools.tfcheck.config import copy_tree, module_directories

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURE_MODULE = Path(__file__).resolve().parent / "fixtures" / "module"


@pytest.fixture(scope="session")
def pin_sets() -> dict[str, PinSet]:
    """The fake providers' pin sets: ``newest`` and ``floor`` (the lower bounds)."""
    return setup()


def _copy(source: Path, destination: Path) -> Path:
    copy_tree(source, module_directories(source), destination)
    # The module packages lambda/ with archive_file; keep it so the copy is complete.
    for extra in ("lambda", "src"):
        if (source / extra).is_dir():
            shutil.copytree(
                source / extra,
                destination / extra,
                ignore=shutil.ignore_patterns("__pycache__"),
                dirs_exist_ok=True,
            )
    return destination


@pytest.fixture
def module_copy(tmp_path: Path) -> Path:
    """A copy of this repository's module and examples, safe to break."""
    return _copy(REPO_ROOT, tmp_path / "module")


@pytest.fixture
def fixture_copy(tmp_path: Path) -> Path:
    """A copy of tests/terraform/fixtures/module (small, stable, known to be clean)."""
    return _copy(FIXTURE_MODULE, tmp_path / "fixture")
