"""The module is validated against the newest and the floor provider pins, and the floor
pins are held to the lower bounds that versions.tf declares."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.terraform.editing import append, at, delete_lines, replace_line
from tools.fakeprovider.build import PinSet
from tools.fakeprovider.cli import run_validate
from tools.tfcheck import bounds, cli
from tools.tfcheck.config import load_module

# An argument of aws_cloudwatch_log_group that hashicorp/aws 6.25.0 has and 5.43.0 has not.
NEWER_ARGUMENT = "deletion_protection_enabled"
RAISE = "the newest pins accept this: raise the lower bound in required_providers"


def _line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def test_the_newer_argument_is_in_the_newest_schema_only(pin_sets: dict[str, PinSet]) -> None:
    def attributes(name: str) -> set[str]:
        schema = pin_sets[name].schema("hashicorp/aws")
        return set(schema["resource_schemas"]["aws_cloudwatch_log_group"]["block"]["attributes"])

    assert NEWER_ARGUMENT in attributes("newest")
    assert NEWER_ARGUMENT not in attributes("floor")


def test_findings_name_the_pin_sets_they_hold_for(
    fixture_copy: Path, pin_sets: dict[str, PinSet]
) -> None:
    main = fixture_copy / "main.tf"
    newer = _line_of(main, "kms_key_id        = var.kms_key_arn")
    replace_line(main, newer, "var.kms_key_arn", f"var.kms_key_arn\n  {NEWER_ARGUMENT} = false")
    # In a resource that does not depend on the log group: Terraform skips those that do.
    misspelt = _line_of(main, 'name               = "${var.name}-fn"')
    replace_line(main, misspelt, "name ", "nmae ")
    findings = run_validate(fixture_copy, test=False, log=lambda _: None)
    newest, floor = pin_sets["newest"].describe(), pin_sets["floor"].describe()

    (argument,) = at(findings, main, newer + 1)
    assert f'"{NEWER_ARGUMENT}" is not expected here' in argument.message
    assert argument.message.endswith(f"(floor: {floor}; {RAISE})")
    (both,) = at(findings, main, misspelt)
    assert '"nmae" is not expected here. Did you mean "name"?' in both.message
    assert both.message.endswith(f"(newest: {newest}; floor: {floor})")


def test_reading_an_attribute_newer_than_the_lower_bound_fails_on_the_floor_pins(
    fixture_copy: Path, pin_sets: dict[str, PinSet]
) -> None:
    outputs = fixture_copy / "outputs.tf"
    value = f'aws_cloudwatch_log_group.this["start"].{NEWER_ARGUMENT}'
    append(outputs, f'\noutput "p" {{\n  value = {value}\n}}\n')
    findings = run_validate(fixture_copy, test=False, log=lambda _: None)
    (finding,) = at(findings, outputs, _line_of(outputs, value))
    assert "Unsupported attribute" in finding.message
    assert finding.message.endswith(f"(floor: {pin_sets['floor'].describe()}; {RAISE})")


# --- versions.tf ------------------------------------------------------------------------


def test_the_fixture_declares_the_floor_pins_as_its_lower_bounds(fixture_copy: Path) -> None:
    assert bounds.check_lower_bounds(load_module(fixture_copy), bounds.floor_pins()) == []


@pytest.mark.parametrize(
    ("constraint", "problem"),
    [
        (">= 5.0", 'The lower bound of hashicorp/aws is 5.0 (">= 5.0") but the floor pin'),
        (">= 6.0", 'The lower bound of hashicorp/aws is 6.0 (">= 6.0") but the floor pin'),
        ("> 5.43.0", '"> 5.43.0" excludes 5.43.0'),
        ("< 7.0", "it sets no lower bound"),
        ("~> 5.43", None),
        (">= 5.43, < 7.0", None),
        ("5.43.0", None),
    ],
)
def test_a_lower_bound_other_than_the_floor_pin_is_reported_at_its_line(
    fixture_copy: Path, constraint: str, problem: str | None
) -> None:
    versions = fixture_copy / "versions.tf"
    line = _line_of(versions, 'version = ">= 5.43.0"')
    replace_line(versions, line, ">= 5.43.0", constraint)
    findings = bounds.check_lower_bounds(load_module(fixture_copy), bounds.floor_pins())
    if problem is None:
        assert findings == []
        return
    (finding,) = findings
    assert (Path(finding.file), finding.line) == (versions, line)
    assert problem in finding.message
    assert "hashicorp/aws 5.43.0 (cdktf-cdktf-provider-aws==19.12.0)" in finding.message


def test_validate_prints_a_wrong_lower_bound_at_versions_tf(
    fixture_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    versions = fixture_copy / "versions.tf"
    line = _line_of(versions, 'version = ">= 2.5.0"')
    replace_line(versions, line, ">= 2.5.0", ">= 2.4")
    assert cli.main(["validate", "--root", str(fixture_copy), "--only", "bounds"]) == 1
    assert (
        f'versions.tf:{line}: [bounds] The lower bound of hashicorp/archive is 2.4 (">= 2.4") '
        "but the floor pin is hashicorp/archive 2.5.0 (cdktf-cdktf-provider-archive==10.1.0)"
    ) in capsys.readouterr().out


def test_a_provider_without_a_version_constraint_is_reported(fixture_copy: Path) -> None:
    versions = fixture_copy / "versions.tf"
    line = _line_of(versions, 'version = ">= 5.43.0"')
    delete_lines(versions, line, line)
    entry = _line_of(versions, "aws = {")
    (finding,) = bounds.check_lower_bounds(load_module(fixture_copy), bounds.floor_pins())
    assert (Path(finding.file), finding.line) == (versions, entry)
    assert "no version constraint is given" in finding.message


def test_a_provider_missing_from_required_providers_is_reported(fixture_copy: Path) -> None:
    versions = fixture_copy / "versions.tf"
    first = _line_of(versions, "archive = {")
    delete_lines(versions, first, first + 3)
    (finding,) = bounds.check_lower_bounds(load_module(fixture_copy), bounds.floor_pins())
    assert (Path(finding.file), finding.line) == (
        versions,
        _line_of(versions, "required_providers"),
    )
    assert 'required_providers does not declare "archive"' in finding.message


@pytest.mark.parametrize(
    ("constraint", "bound"),
    [
        (">= 5.43", "5.43"),
        (">=5.43.0", "5.43.0"),
        ("~> 2.5", "2.5"),
        (">= 5.0, >= 6.2, < 7", "6.2"),
        ("= 6.1.0", "6.1.0"),
        ("v6.3.0", "6.3.0"),
        ("!= 6.1.0, < 7", None),
    ],
)
def test_lower_bound_reads_terraform_version_constraints(
    constraint: str, bound: str | None
) -> None:
    assert bounds.lower_bound(constraint)[0] == bound
