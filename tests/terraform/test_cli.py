"""``python -m tools.tfcheck validate`` prints file:line findings and fails on any."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.terraform.editing import replace_line
from tools.tfcheck import cli


def test_validate_passes_on_a_clean_module(
    fixture_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["validate", "--root", str(fixture_copy), "--only", "bounds,fmt"]) == 0
    assert "validate: bounds, fmt: no findings" in capsys.readouterr().err


def test_validate_fails_and_prints_file_and_line(
    fixture_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    replace_line(fixture_copy / "outputs.tf", 3, "  value       =", "  value =")
    assert cli.main(["validate", "--root", str(fixture_copy), "--skip", "asl,checkov"]) == 1
    assert "outputs.tf:3: [fmt] not in canonical format" in capsys.readouterr().out


def test_an_unknown_check_name_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["validate", "--only", "bounds,schema"])
    assert "unknown check(s) ['schema']" in capsys.readouterr().err
