"""The rendered state machine definition is valid ASL for every set of ARNs."""

from __future__ import annotations

import re
from pathlib import Path

from tests.terraform.conftest import FIXTURE_MODULE
from tests.terraform.editing import at, replace_line
from tools.tfcheck import asl

# The first case of the fixture module's functions (its steps.tf), which the tests edit.
FIRST_CASE = dict(list(asl.cases_for(FIXTURE_MODULE).items())[:1])


def _line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def test_the_cases_cover_every_partition_and_qualifier() -> None:
    arns = [
        value for case in asl.CASES.values() for value in case.values() if value.startswith("arn:")
    ]
    assert {arn.split(":")[1] for arn in arns} == {"aws", "aws-cn", "aws-us-gov"}
    qualifiers = {arn.split(":")[7] if arn.count(":") == 7 else "" for arn in arns}
    assert "" in qualifiers  # unqualified
    assert any(q.isdigit() for q in qualifiers)  # versions
    assert any(q and not q.isdigit() and q != "$LATEST" for q in qualifiers)  # aliases
    assert all(set(case) == set(asl.TEMPLATE_VARIABLES) for case in asl.CASES.values())


def test_the_fixture_template_passes_for_every_case(fixture_copy: Path) -> None:
    assert asl.check_template(fixture_copy / "statemachine.json.tpl") == []


def test_an_invalid_state_is_reported_at_the_state(fixture_copy: Path) -> None:
    template = fixture_copy / "statemachine.json.tpl"
    replace_line(template, _line_of(template, '"Type": "Task"'), '"Task"', '"Taks"')
    findings = asl.check_template(template, FIRST_CASE)
    (finding,) = at(findings, template, _line_of(template, '"Start": {'))
    assert "asl-validator" in finding.message and "/States/Start" in finding.message


def test_a_transition_to_a_missing_state_is_reported(fixture_copy: Path) -> None:
    template = fixture_copy / "statemachine.json.tpl"
    replace_line(template, _line_of(template, '"Next": "Publish"'), "Publish", "Publish2")
    findings = asl.check_template(template, FIRST_CASE)
    assert findings and all(f.check == "asl" for f in findings)
    assert any("Publish2" in f.message for f in findings)


def test_an_unknown_template_variable_is_reported_at_its_line(fixture_copy: Path) -> None:
    template = fixture_copy / "statemachine.json.tpl"
    line = _line_of(template, "${publish_function_arn}")
    text = template.read_text().replace("${publish_function_arn}", "${publish_arn}")
    template.write_text(text + "\n")
    (finding,) = at(asl.check_template(template, FIRST_CASE), template, line)
    assert 'template variable "publish_arn" is not one of' in finding.message


def test_a_template_variable_outside_a_string_is_reported(fixture_copy: Path) -> None:
    template = fixture_copy / "statemachine.json.tpl"
    line = _line_of(template, '"Comment": "Fixture workflow"')
    replace_line(template, line, '"Fixture workflow"', "${publish_function_arn}")
    (finding,) = at(asl.check_template(template, FIRST_CASE), template, line)
    assert "not valid JSON" in finding.message


def test_rendering_uses_real_terraform(fixture_copy: Path) -> None:
    render = asl.default_renderer()
    definition = render(fixture_copy / "statemachine.json.tpl", **asl.CASES["aws-us-gov"])
    assert (
        definition["States"]["Start"]["Resource"]
        == asl.CASES["aws-us-gov"]["start_restore_function_arn"]
    )
    assert re.match(r"^arn:aws-us-gov:lambda:", definition["States"]["Publish"]["Resource"])
