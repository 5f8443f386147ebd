"""Resource, data and module blocks are checked against the real argument schemas."""

from __future__ import annotations

from pathlib import Path

from tests.terraform.editing import append, at, replace_line
from tools.tfcheck import schema_check
from tools.tfcheck.config import load_module, module_directories
from tools.tfcheck.findings import Finding
from tools.tfcheck.schema import Schemas


def _check(root: Path, schemas: Schemas) -> list[Finding]:
    modules = [load_module(d) for d in module_directories(root)]
    return schema_check.check_modules(modules, schemas)


def _line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def test_the_fixture_module_passes(fixture_copy: Path, schemas: Schemas) -> None:
    assert _check(fixture_copy, schemas) == []


def test_a_misspelt_argument_is_reported_at_its_line_with_the_right_name(
    fixture_copy: Path, schemas: Schemas
) -> None:
    main = fixture_copy / "main.tf"
    line = _line_of(main, "memory_size ")
    replace_line(main, line, "memory_size", "memory_sise")
    (finding,) = at(_check(fixture_copy, schemas), main, line)
    assert 'Unsupported argument "memory_sise". Did you mean "memory_size"?' in finding.message
    assert "aws_lambda_function.this" in finding.message


def test_a_missing_required_argument_is_reported_at_the_block(
    fixture_copy: Path, schemas: Schemas
) -> None:
    main = fixture_copy / "main.tf"
    line = _line_of(main, "assume_role_policy =")
    replace_line(main, line, "assume_role_policy", "# assume_role_policy")
    block_line = _line_of(main, 'resource "aws_iam_role" "this"')
    (finding,) = at(_check(fixture_copy, schemas), main, block_line)
    assert 'Missing required argument "assume_role_policy"' in finding.message


def test_a_missing_required_argument_in_a_nested_block_is_reported(
    fixture_copy: Path, schemas: Schemas
) -> None:
    main = fixture_copy / "main.tf"
    line = _line_of(main, 'type        = "Service"')
    replace_line(main, line, "type ", "# type ")
    principals = _line_of(main, "principals {")
    (finding,) = at(_check(fixture_copy, schemas), main, principals)
    assert 'Missing required argument "type"' in finding.message
    assert "statement.principals" in finding.message


def test_a_block_written_as_an_argument_is_reported(fixture_copy: Path, schemas: Schemas) -> None:
    main = fixture_copy / "main.tf"
    line = _line_of(main, "tracing_config {")
    replace_line(main, line, "tracing_config {", "tracing_config = {")
    (finding,) = at(_check(fixture_copy, schemas), main, line)
    assert '"tracing_config" is a nested block, not an argument' in finding.message


def test_an_argument_written_as_a_block_is_reported(fixture_copy: Path, schemas: Schemas) -> None:
    topic = fixture_copy / "main.tf"
    line = _line_of(topic, "kms_master_key_id = var.kms_key_arn")
    replace_line(topic, line, "kms_master_key_id = var.kms_key_arn", "tags { Name = var.name }")
    (finding,) = at(_check(fixture_copy, schemas), topic, line)
    assert '"tags" is an argument, not a block' in finding.message


def test_setting_a_read_only_attribute_is_reported(fixture_copy: Path, schemas: Schemas) -> None:
    main = fixture_copy / "main.tf"
    line = _line_of(main, 'runtime                        = "python3.12"')
    replace_line(main, line, "runtime ", "arn     ")
    findings = at(_check(fixture_copy, schemas), main, line)
    assert any('"arn" is read-only' in f.message for f in findings)


def test_an_unknown_block_in_a_dynamic_block_is_reported(
    fixture_copy: Path, schemas: Schemas
) -> None:
    main = fixture_copy / "main.tf"
    line = _line_of(main, 'dynamic "vpc_config"')
    replace_line(main, line, "vpc_config", "vpc_configuration")
    (finding,) = at(_check(fixture_copy, schemas), main, line)
    assert 'Unsupported block type "vpc_configuration". Did you mean "vpc_config"?' in (
        finding.message
    )


def test_an_unknown_resource_type_is_reported(fixture_copy: Path, schemas: Schemas) -> None:
    main = fixture_copy / "main.tf"
    append(main, '\nresource "aws_sns_topics" "extra" {\n  name = "x"\n}\n')
    line = _line_of(main, 'resource "aws_sns_topics"')
    (finding,) = at(_check(fixture_copy, schemas), main, line)
    assert 'Invalid resource type "aws_sns_topics"' in finding.message
    assert 'Did you mean "aws_sns_topic"?' in finding.message


def test_a_resource_of_an_unpinned_provider_is_reported(
    fixture_copy: Path, schemas: Schemas
) -> None:
    main = fixture_copy / "main.tf"
    append(main, '\nresource "random_id" "extra" {\n  byte_length = 4\n}\n')
    line = _line_of(main, 'resource "random_id"')
    (finding,) = at(_check(fixture_copy, schemas), main, line)
    assert "not one of the pinned providers" in finding.message


def test_a_module_call_with_an_unknown_input_is_reported(
    fixture_copy: Path, schemas: Schemas
) -> None:
    example = fixture_copy / "examples" / "basic" / "main.tf"
    line = _line_of(example, "tags        =")
    replace_line(example, line, "tags ", "tagz ")
    (finding,) = at(_check(fixture_copy, schemas), example, line)
    assert 'Unsupported argument "tagz" in module "fixture"' in finding.message
    assert 'Did you mean "tags"?' in finding.message


def test_a_module_call_without_a_required_input_is_reported(
    fixture_copy: Path, schemas: Schemas
) -> None:
    example = fixture_copy / "examples" / "basic" / "main.tf"
    replace_line(example, _line_of(example, "kms_key_arn ="), "kms_key_arn", "# kms_key_arn")
    (finding,) = at(_check(fixture_copy, schemas), example, _line_of(example, 'module "fixture"'))
    assert 'Missing required argument "kms_key_arn" in module "fixture"' in finding.message
