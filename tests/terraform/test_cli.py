"""``python -m tools.tfcheck validate`` prints file:line findings and fails on any."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.terraform.editing import replace_line
from tools.tfcheck import cli


def test_validate_passes_on_a_clean_module(
    fixture_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["validate", "--root", str(fixture_copy), "--only", "schema,references"]) == 0
    assert "no findings" in capsys.readouterr().err


def test_validate_fails_and_prints_file_and_line(
    fixture_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    replace_line(fixture_copy / "outputs.tf", 3, ".arn", ".arm")
    assert cli.main(["validate", "--root", str(fixture_copy), "--only", "schema,references"]) == 1
    assert (
        'outputs.tf:3: [reference] Unsupported attribute: aws_sfn_state_machine.this has no attribute "arm"'
        in capsys.readouterr().out
    )


def test_an_unknown_check_name_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["validate", "--only", "schema,spelling"])
    assert "unknown check(s) ['spelling']" in capsys.readouterr().err
