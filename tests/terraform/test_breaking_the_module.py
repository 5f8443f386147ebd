"""Each check fails on a broken copy of this repository's module, at the broken line.

The breakages are found in whatever the module looks like today (the first resource
with a schema, the first ``var.`` reference, the first Task state...), so these tests
keep proving the checks are not vacuous as the module changes. Schemas, references and
blocks are Terraform's own ``validate`` on the fake providers (``make tftest``); the
rest are tools/tfcheck's checks (``make validate``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.terraform.editing import append, at, delete_lines, replace_line
from tools.fakeprovider.build import PinSet
from tools.fakeprovider.cli import run_validate
from tools.tfcheck import asl, bounds, checkov_check
from tools.tfcheck.config import load_module, module_directories
from tools.tfcheck.findings import Finding
from tools.tfcheck.hcl import Attribute, Block


def _validate(root: Path, pins: tuple[str, ...] = ("newest",)) -> list[Finding]:
    """``terraform validate`` of the module alone: each breakage is in its own files, where
    validating the examples, which call it, would find the same finding again."""
    return run_validate(root, pins, test=False, log=lambda _: None, only_root=True)


def _aws(pin_sets: dict[str, PinSet], name: str = "newest") -> dict[str, Any]:
    resources: dict[str, Any] = pin_sets[name].schema("hashicorp/aws")["resource_schemas"]
    return resources


def _resources_with_schema(
    root: Path, pin_sets: dict[str, PinSet]
) -> list[tuple[Block, Attribute, bool]]:
    """(resource block, single-line argument, whether it is required), in file order."""
    schemas = _aws(pin_sets)
    found = []
    for (type_name, _), block in sorted(
        load_module(root).resources.items(), key=lambda item: (item[1].file, item[1].line)
    ):
        attributes = schemas.get(type_name, {}).get("block", {}).get("attributes", {})
        for name, attr in block.attributes.items():
            if name in attributes and attr.end_line == attr.line:
                found.append((block, attr, bool(attributes[name].get("required"))))
    assert found, "the module has no resource with a known schema"
    return found


def test_a_misspelt_argument_fails_terraform_validate(
    module_copy: Path, pin_sets: dict[str, PinSet]
) -> None:
    _, attr, _ = _resources_with_schema(module_copy, pin_sets)[0]
    path, misspelt = Path(attr.file), attr.name[:-1]
    replace_line(path, attr.line, f"{attr.name} ", f"{misspelt} ")
    (finding,) = at(_validate(module_copy), path, attr.line, "fakeprovider")
    assert "terraform validate: Error: Unsupported argument." in finding.message
    assert f'"{misspelt}" is not expected here. Did you mean "{attr.name}"?' in finding.message


def test_a_missing_required_argument_fails_terraform_validate(
    module_copy: Path, pin_sets: dict[str, PinSet]
) -> None:
    block, attr, _ = next(r for r in _resources_with_schema(module_copy, pin_sets) if r[2])
    path = Path(attr.file)
    delete_lines(path, attr.line, attr.line)
    (finding,) = at(_validate(module_copy), path, block.line, "fakeprovider")
    assert "Missing required argument" in finding.message
    assert f'The argument "{attr.name}" is required' in finding.message


def test_a_dangling_reference_fails_terraform_validate(module_copy: Path) -> None:
    module = load_module(module_copy)
    attr, name = next(
        (attr, match.group(1))
        for block in module.resources.values()
        for attr in block.attributes.values()
        if attr.end_line == attr.line and (match := re.search(r"\bvar\.(\w+)", attr.source))
    )
    path = Path(attr.file)
    replace_line(path, attr.line, f"var.{name}", f"var.{name}_undeclared")
    (finding,) = at(_validate(module_copy), path, attr.line, "fakeprovider")
    assert "Reference to undeclared input variable." in finding.message
    assert f'"{name}_undeclared" has not been declared' in finding.message


def test_an_invalid_state_fails_the_asl_check(module_copy: Path) -> None:
    template = module_copy / "statemachine.json.tpl"
    lines = template.read_text().splitlines()
    type_line = next(i for i, line in enumerate(lines, 1) if '"Type": "Task"' in line)
    state_line = max(
        i
        for i, line in enumerate(lines[: type_line - 1], 1)
        if re.match(r'^\s*"[^"]+":\s*\{\s*$', line)
        and line.startswith("    ")
        and not line.startswith("      ")
    )
    replace_line(template, type_line, '"Task"', '"Tusk"')
    findings = asl.check_template(template, dict(list(asl.CASES.items())[:1]))
    (finding,) = at(findings, template, state_line)
    assert "asl-validator" in finding.message


def test_an_invalid_variable_block_fails_terraform(module_copy: Path) -> None:
    path = module_copy / "variables.tf"
    append(path, '\nvariable "broken" {\n  tpye = string\n}\n')
    line = len(path.read_text().splitlines()) - 1
    (finding,) = at(_validate(module_copy), path, line, "fakeprovider")
    assert 'An argument named "tpye" is not expected here' in finding.message


def test_a_failing_checkov_check_fails_the_checkov_check(module_copy: Path) -> None:
    path = module_copy / "main.tf"
    append(path, '\nresource "aws_sns_topic" "unencrypted" {\n  name = "unencrypted"\n}\n')
    line = len(path.read_text().splitlines()) - 2
    findings = checkov_check.check_checkov(module_copy, module_directories(module_copy))
    assert any("CKV_AWS_26 failed" in f.message for f in at(findings, path, line))


def test_an_argument_only_the_newest_provider_has_fails_on_the_floor_pins(
    module_copy: Path, pin_sets: dict[str, PinSet]
) -> None:
    """Found in the module as it is: the first resource whose newest schema has an
    argument that the floor (the lower bound in versions.tf) does not."""
    newest, floor = _aws(pin_sets), _aws(pin_sets, "floor")
    candidates = [
        (block, name)
        for block, _, _ in _resources_with_schema(module_copy, pin_sets)
        for name in sorted(newest[block.labels[0]]["block"]["attributes"])
        if name not in floor[block.labels[0]]["block"]["attributes"]
        and name not in block.attributes
    ]
    assert candidates, "no resource of the module has an argument newer than the floor"
    block, name = candidates[0]
    path = Path(block.file)
    replace_line(path, block.line, "{", f"{{\n  {name} = null")
    (finding,) = at(_validate(module_copy, ("newest", "floor")), path, block.line + 1)
    assert f'An argument named "{name}" is not expected here' in finding.message
    floor_versions = pin_sets["floor"].describe()
    assert finding.message.endswith(
        f"(floor: {floor_versions}; the newest pins accept this: "
        "raise the lower bound in required_providers)"
    )


def test_a_lower_bound_other_than_the_floor_pin_fails_the_bounds_check(module_copy: Path) -> None:
    floor = bounds.floor_pins()
    assert bounds.check_lower_bounds(load_module(module_copy), floor) == []
    versions = module_copy / "versions.tf"
    line = next(
        n
        for n, text in enumerate(versions.read_text().splitlines(), 1)
        if f'version = ">= {floor["aws"].version}"' in text
    )
    replace_line(versions, line, f">= {floor['aws'].version}", ">= 5.0")
    (finding,) = bounds.check_lower_bounds(load_module(module_copy), floor)
    assert (Path(finding.file), finding.line) == (versions, line)
    assert "The lower bound of hashicorp/aws is 5.0" in finding.message
