"""Each check fails on a broken copy of this repository's module, at the broken line.

The breakages are found in whatever the module looks like today (the first resource
with a schema, the first ``var.`` reference, the first Task state...), so these tests
keep proving the checks are not vacuous as the module changes.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.terraform.editing import append, at, delete_lines, replace_line
from tools.tfcheck import asl, checkov_check, loader_check, references, schema_check
from tools.tfcheck.config import Module, load_module, module_directories
from tools.tfcheck.findings import Finding
from tools.tfcheck.hcl import Attribute, Block
from tools.tfcheck.schema import Schemas


def _modules(root: Path) -> list[Module]:
    return [load_module(d) for d in module_directories(root)]


def _schema_findings(root: Path, schemas: Schemas) -> list[Finding]:
    return schema_check.check_modules(_modules(root), schemas)


def _resources_with_schema(root: Path, schemas: Schemas) -> list[tuple[Block, Attribute, bool]]:
    """(resource block, single-line argument, whether it is required), in file order."""
    found = []
    for (type_name, _), block in sorted(
        load_module(root).resources.items(), key=lambda item: (item[1].file, item[1].line)
    ):
        schema = schemas.resource(type_name)
        if schema is None:
            continue
        for name, attr in block.attributes.items():
            if name in schema.attributes and attr.end_line == attr.line:
                found.append((block, attr, schema.attributes[name].required))
    assert found, "the module has no resource with a known schema"
    return found


def test_a_misspelt_argument_fails_the_schema_check(module_copy: Path, schemas: Schemas) -> None:
    block, attr, _ = _resources_with_schema(module_copy, schemas)[0]
    path = Path(attr.file)
    misspelt = attr.name[:-1]
    replace_line(path, attr.line, f"{attr.name} ", f"{misspelt} ")
    (finding,) = at(_schema_findings(module_copy, schemas), path, attr.line)
    assert f'Unsupported argument "{misspelt}". Did you mean "{attr.name}"?' in finding.message
    assert block.address in finding.message


def test_a_missing_required_argument_fails_the_schema_check(
    module_copy: Path, schemas: Schemas
) -> None:
    block, attr, _ = next(r for r in _resources_with_schema(module_copy, schemas) if r[2])
    path = Path(attr.file)
    before = at(_schema_findings(module_copy, schemas), path, block.line)
    delete_lines(path, attr.line, attr.line)
    after = at(_schema_findings(module_copy, schemas), path, block.line)
    new = [f for f in after if f not in before]
    assert len(new) == 1
    assert (
        f'Missing required argument "{attr.name}" (in resource {block.address})' in new[0].message
    )


def test_a_dangling_reference_fails_the_reference_check(
    module_copy: Path, schemas: Schemas
) -> None:
    module = load_module(module_copy)
    traversal = next(
        t
        for block in module.resources.values()
        for attr in block.attributes.values()
        for t in attr.traversals()
        if t.root == "var"
    )
    path, name = Path(traversal.file), traversal.steps[0]
    replace_line(path, traversal.line, f"var.{name}", f"var.{name}_undeclared")
    findings = references.check_modules(_modules(module_copy), schemas)
    (finding,) = at(findings, path, traversal.line)
    assert f'Reference to undeclared input variable "{name}_undeclared"' in finding.message


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


def test_an_invalid_variable_block_fails_terraforms_loader(module_copy: Path) -> None:
    path = module_copy / "variables.tf"
    append(path, '\nvariable "broken" {\n  tpye = string\n}\n')
    line = len(path.read_text().splitlines()) - 1
    findings = loader_check.check_loader(module_copy, module_directories(module_copy))
    (finding,) = at(findings, path, line)
    assert 'An argument named "tpye" is not expected here' in finding.message


def test_a_failing_checkov_check_fails_the_checkov_check(module_copy: Path) -> None:
    path = module_copy / "main.tf"
    append(path, '\nresource "aws_sns_topic" "unencrypted" {\n  name = "unencrypted"\n}\n')
    line = len(path.read_text().splitlines()) - 2
    findings = checkov_check.check_checkov(module_copy, module_directories(module_copy))
    assert any("CKV_AWS_26 failed" in f.message for f in at(findings, path, line))


def test_an_argument_only_the_newest_provider_has_fails_the_schema_check(
    module_copy: Path, schemas: Schemas, floor_schemas: Schemas
) -> None:
    """Found in the module as it is: the first resource whose newest schema has an
    argument that the floor (the lower bound in versions.tf) does not."""
    candidates = [
        (block, name)
        for block, _, _ in _resources_with_schema(module_copy, schemas)
        for name in sorted(schemas.resource(block.labels[0]).attributes)  # type: ignore[union-attr]
        if name not in floor_schemas.resource(block.labels[0]).readable  # type: ignore[union-attr]
        and name not in block.attributes
    ]
    assert candidates, "no resource of the module has an argument newer than the floor"
    block, name = candidates[0]
    path = Path(block.file)
    replace_line(path, block.line, "{", f"{{\n  {name} = null")
    modules = _modules(module_copy)
    assert at(schema_check.check_modules(modules, schemas), path, block.line + 1) == []
    (finding,) = at(
        schema_check.check_modules(modules, schemas, floor_schemas), path, block.line + 1
    )
    assert f'Unsupported argument "{name}"' in finding.message
    assert "(hashicorp/aws 5.32.0, the lower bound; 6.25.0 accepts this" in finding.message


def test_a_lower_bound_other_than_the_floor_pin_fails_the_schema_check(
    module_copy: Path, floor_schemas: Schemas
) -> None:
    assert schema_check.check_lower_bounds(load_module(module_copy), floor_schemas) == []
    declared, _ = schema_check.required_providers(load_module(module_copy))
    aws = declared["aws"]
    assert aws.version is not None
    replace_line(Path(aws.file), aws.line, aws.version, ">= 5.0")
    (finding,) = schema_check.check_lower_bounds(load_module(module_copy), floor_schemas)
    assert (Path(finding.file), finding.line) == (Path(aws.file), aws.line)
    assert "The lower bound of hashicorp/aws is 5.0" in finding.message
