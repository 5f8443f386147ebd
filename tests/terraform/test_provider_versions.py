"""Blocks are checked against the newest and the floor provider pins, and the floor pins
are held to the lower bounds that versions.tf declares."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.terraform.editing import append, at, delete_lines, replace_line
from tools.tfcheck import cli, references, schema_check
from tools.tfcheck.config import load_module, module_directories
from tools.tfcheck.findings import Finding
from tools.tfcheck.schema import Schemas

# An argument of aws_cloudwatch_log_group that hashicorp/aws 6.25.0 has and 5.32.0 has not.
NEWER_ARGUMENT = "deletion_protection_enabled"
FLOOR_NOTE = (
    "(hashicorp/aws 5.32.0, the lower bound; 6.25.0 accepts this: "
    "raise the lower bound in required_providers)"
)


def _check(root: Path, schemas: Schemas, floor: Schemas | None) -> list[Finding]:
    modules = [load_module(d) for d in module_directories(root)]
    return schema_check.check_modules(modules, schemas, floor)


def _line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def _add_newer_argument(root: Path) -> tuple[Path, int]:
    """Set NEWER_ARGUMENT in the fixture's log group; return where it is."""
    main = root / "main.tf"
    line = _line_of(main, "kms_key_id        = var.kms_key_arn")
    replace_line(main, line, "var.kms_key_arn", f"var.kms_key_arn\n  {NEWER_ARGUMENT} = false")
    return main, line + 1


def test_the_fixture_passes_against_both_pins(
    fixture_copy: Path, schemas: Schemas, floor_schemas: Schemas
) -> None:
    assert _check(fixture_copy, schemas, floor_schemas) == []
    assert schema_check.check_lower_bounds(load_module(fixture_copy), floor_schemas) == []


def test_the_newer_argument_is_in_the_newest_schema_only(
    schemas: Schemas, floor_schemas: Schemas
) -> None:
    newest = schemas.resource("aws_cloudwatch_log_group")
    floor = floor_schemas.resource("aws_cloudwatch_log_group")
    assert newest is not None and floor is not None
    assert NEWER_ARGUMENT in newest.attributes
    assert NEWER_ARGUMENT not in floor.readable


def test_an_argument_newer_than_the_lower_bound_is_reported_naming_the_floor_version(
    fixture_copy: Path, schemas: Schemas, floor_schemas: Schemas
) -> None:
    main, line = _add_newer_argument(fixture_copy)
    assert at(_check(fixture_copy, schemas, None), main, line) == []
    (finding,) = at(_check(fixture_copy, schemas, floor_schemas), main, line)
    assert finding.message == (
        f'Unsupported argument "{NEWER_ARGUMENT}". (in resource aws_cloudwatch_log_group.this) '
        + FLOOR_NOTE
    )


def test_validate_prints_the_floor_finding_at_the_arguments_line(
    fixture_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, line = _add_newer_argument(fixture_copy)
    assert cli.main(["validate", "--root", str(fixture_copy), "--only", "schema"]) == 1
    out = capsys.readouterr().out
    assert f'main.tf:{line}: [schema] Unsupported argument "{NEWER_ARGUMENT}".' in out
    assert FLOOR_NOTE in out


def test_a_problem_with_every_version_is_reported_once_naming_both(
    fixture_copy: Path, schemas: Schemas, floor_schemas: Schemas
) -> None:
    main = fixture_copy / "main.tf"
    line = _line_of(main, "memory_size ")
    replace_line(main, line, "memory_size", "memory_sise")
    (finding,) = at(_check(fixture_copy, schemas, floor_schemas), main, line)
    assert finding.message.startswith('Unsupported argument "memory_sise".')
    assert finding.message.endswith("(hashicorp/aws 5.32.0 and 6.25.0)")


def test_reading_an_attribute_newer_than_the_lower_bound_is_reported(
    fixture_copy: Path, schemas: Schemas, floor_schemas: Schemas
) -> None:
    outputs = fixture_copy / "outputs.tf"
    append(
        outputs,
        '\noutput "protected" {\n'
        f'  value = aws_cloudwatch_log_group.this["start"].{NEWER_ARGUMENT}\n'
        "}\n",
    )
    line = _line_of(outputs, f".{NEWER_ARGUMENT}")
    modules = [load_module(d) for d in module_directories(fixture_copy)]
    assert at(references.check_modules(modules, schemas), outputs, line) == []
    (finding,) = at(references.check_modules(modules, schemas, floor_schemas), outputs, line)
    assert f'has no attribute "{NEWER_ARGUMENT}"' in finding.message
    assert finding.message.endswith(FLOOR_NOTE)


# --- versions.tf ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("constraint", "problem"),
    [
        (">= 5.0", 'The lower bound of hashicorp/aws is 5.0 (">= 5.0") but the floor pin'),
        (">= 6.0", 'The lower bound of hashicorp/aws is 6.0 (">= 6.0") but the floor pin'),
        ("> 5.32.0", '"> 5.32.0" excludes 5.32.0'),
        ("< 7.0", "it sets no lower bound"),
        ("~> 5.32", None),
        (">= 5.32, < 7.0", None),
        ("5.32.0", None),
    ],
)
def test_a_lower_bound_other_than_the_floor_pin_is_reported_at_its_line(
    fixture_copy: Path, floor_schemas: Schemas, constraint: str, problem: str | None
) -> None:
    versions = fixture_copy / "versions.tf"
    line = _line_of(versions, 'version = ">= 5.32.0"')
    replace_line(versions, line, ">= 5.32.0", constraint)
    findings = schema_check.check_lower_bounds(load_module(fixture_copy), floor_schemas)
    if problem is None:
        assert findings == []
        return
    (finding,) = findings
    assert (Path(finding.file), finding.line) == (versions, line)
    assert problem in finding.message
    assert "hashicorp/aws 5.32.0 (cdktf-cdktf-provider-aws==19.1.0)" in finding.message


def test_validate_prints_a_wrong_lower_bound_at_versions_tf(
    fixture_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    versions = fixture_copy / "versions.tf"
    line = _line_of(versions, 'version = ">= 2.5.0"')
    replace_line(versions, line, ">= 2.5.0", ">= 2.4")
    assert cli.main(["validate", "--root", str(fixture_copy), "--only", "schema"]) == 1
    assert (
        f'versions.tf:{line}: [schema] The lower bound of hashicorp/archive is 2.4 (">= 2.4") '
        "but the floor pin is hashicorp/archive 2.5.0 (cdktf-cdktf-provider-archive==10.1.0)"
    ) in capsys.readouterr().out


def test_a_provider_without_a_version_constraint_is_reported(
    fixture_copy: Path, floor_schemas: Schemas
) -> None:
    versions = fixture_copy / "versions.tf"
    line = _line_of(versions, 'version = ">= 5.32.0"')
    delete_lines(versions, line, line)
    entry = _line_of(versions, "aws = {")
    (finding,) = schema_check.check_lower_bounds(load_module(fixture_copy), floor_schemas)
    assert (Path(finding.file), finding.line) == (versions, entry)
    assert "no version constraint is given" in finding.message


def test_a_used_provider_missing_from_required_providers_is_reported(
    fixture_copy: Path, floor_schemas: Schemas
) -> None:
    versions = fixture_copy / "versions.tf"
    first = _line_of(versions, "archive = {")
    delete_lines(versions, first, first + 3)
    (finding,) = schema_check.check_lower_bounds(load_module(fixture_copy), floor_schemas)
    assert (Path(finding.file), finding.line) == (
        versions,
        _line_of(versions, "required_providers"),
    )
    assert 'uses the "archive" provider but required_providers does not declare it' in (
        finding.message
    )


@pytest.mark.parametrize(
    ("constraint", "bound"),
    [
        (">= 6.0", "6.0"),
        (">=6.0.0", "6.0.0"),
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
    assert schema_check.lower_bound(constraint)[0] == bound
