"""Every reference resolves, as terraform validate would check with providers installed."""

from __future__ import annotations

from pathlib import Path

from tests.terraform.editing import append, at, replace_line
from tools.tfcheck import references
from tools.tfcheck.config import load_module, module_directories
from tools.tfcheck.findings import Finding
from tools.tfcheck.schema import Schemas


def _check(root: Path, schemas: Schemas) -> list[Finding]:
    modules = [load_module(d) for d in module_directories(root)]
    return references.check_modules(modules, schemas)


def _line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def _break(path: Path, old: str, new: str) -> int:
    line = _line_of(path, old)
    replace_line(path, line, old, new)
    return line


def test_the_fixture_module_passes(fixture_copy: Path, schemas: Schemas) -> None:
    assert _check(fixture_copy, schemas) == []


def test_an_undeclared_variable_is_reported(fixture_copy: Path, schemas: Schemas) -> None:
    main = fixture_copy / "main.tf"
    line = _break(
        main, "retention_in_days = var.log_retention_days", "retention_in_days = var.log_retention"
    )
    (finding,) = at(_check(fixture_copy, schemas), main, line)
    assert 'Reference to undeclared input variable "log_retention"' in finding.message
    assert 'Did you mean "log_retention_days"?' in finding.message


def test_an_undeclared_local_is_reported(fixture_copy: Path, schemas: Schemas) -> None:
    main = fixture_copy / "main.tf"
    line = _break(main, "values   = [local.account_id]", "values   = [local.account]")
    (finding,) = at(_check(fixture_copy, schemas), main, line)
    assert 'Reference to undeclared local value "account"' in finding.message


def test_an_undeclared_resource_is_reported(fixture_copy: Path, schemas: Schemas) -> None:
    main = fixture_copy / "main.tf"
    line = _break(
        main, "target_arn = aws_sns_topic.this.arn", "target_arn = aws_sns_topic.alerts.arn"
    )
    (finding,) = at(_check(fixture_copy, schemas), main, line)
    assert 'Reference to undeclared resource "aws_sns_topic.alerts"' in finding.message


def test_an_undeclared_data_source_is_reported(fixture_copy: Path, schemas: Schemas) -> None:
    main = fixture_copy / "main.tf"
    line = _break(
        main, "data.archive_file.code.output_path", "data.archive_file.lambda.output_path"
    )
    (finding,) = at(_check(fixture_copy, schemas), main, line)
    assert 'Reference to undeclared data source "data.archive_file.lambda"' in finding.message


def test_an_attribute_the_resource_does_not_have_is_reported(
    fixture_copy: Path, schemas: Schemas
) -> None:
    outputs = fixture_copy / "outputs.tf"
    line = _break(
        outputs, "aws_sfn_state_machine.this.arn", "aws_sfn_state_machine.this.state_machine_arn"
    )
    (finding,) = at(_check(fixture_copy, schemas), outputs, line)
    assert 'aws_sfn_state_machine.this has no attribute "state_machine_arn"' in finding.message


def test_a_missing_module_output_is_reported(fixture_copy: Path, schemas: Schemas) -> None:
    example = fixture_copy / "examples" / "basic" / "main.tf"
    line = _break(example, "module.fixture.state_machine_arn", "module.fixture.machine_arn")
    (finding,) = at(_check(fixture_copy, schemas), example, line)
    assert 'module "fixture" has no output "machine_arn"' in finding.message


def test_a_reference_inside_a_heredoc_is_checked_on_its_line(
    fixture_copy: Path, schemas: Schemas
) -> None:
    outputs = fixture_copy / "outputs.tf"
    line = _break(
        outputs,
        "${data.aws_iam_policy_document.assume.json}",
        "${data.aws_iam_policy_document.trust.json}",
    )
    (finding,) = at(_check(fixture_copy, schemas), outputs, line)
    assert "data.aws_iam_policy_document.trust" in finding.message


def test_each_outside_for_each_is_reported(fixture_copy: Path, schemas: Schemas) -> None:
    main = fixture_copy / "main.tf"
    line = _break(
        main,
        'name               = "${var.name}-fn"',
        'name               = "${var.name}-${each.key}"',
    )
    (finding,) = at(_check(fixture_copy, schemas), main, line)
    assert '"each" is only available in blocks that set for_each' in finding.message


def test_a_resource_with_for_each_needs_an_instance_key(
    fixture_copy: Path, schemas: Schemas
) -> None:
    main = fixture_copy / "main.tf"
    line = _break(main, 'aws_lambda_function.this["start"].arn', "aws_lambda_function.this.arn")
    (finding,) = at(_check(fixture_copy, schemas), main, line)
    assert "Missing resource instance key" in finding.message


def test_an_unused_variable_is_reported(fixture_copy: Path, schemas: Schemas) -> None:
    variables = fixture_copy / "variables.tf"
    append(
        variables,
        '\nvariable "unused" {\n  description = "Nothing reads this."\n  type        = string\n  default     = ""\n}\n',
    )
    (finding,) = at(
        _check(fixture_copy, schemas), variables, _line_of(variables, 'variable "unused"')
    )
    assert finding.check == "unused"


def test_a_misspelt_attribute_of_an_object_variable_is_reported(
    fixture_copy: Path, schemas: Schemas
) -> None:
    main = fixture_copy / "main.tf"
    line = _break(main, "var.settings.memory_size", "var.settings.memroy_size")
    (finding,) = at(_check(fixture_copy, schemas), main, line)
    assert 'variable "settings" is an object with no attribute "memroy_size"' in finding.message
    assert 'Did you mean "memory_size"?' in finding.message
