"""The provider schemas read from the cdktf jsii assemblies say what the registry says."""

from __future__ import annotations

from typing import Any

from tools.fakeprovider.build import PinSet


def _aws(pin_sets: dict[str, PinSet]) -> dict[str, Any]:
    return pin_sets["newest"].schema("hashicorp/aws")


def test_schemas_record_the_provider_versions_they_reflect(pin_sets: dict[str, PinSet]) -> None:
    assert pin_sets["newest"].versions == {"hashicorp/aws": "6.25.0", "hashicorp/archive": "2.7.1"}
    assert _aws(pin_sets)["provider_version"] == "6.25.0"


def test_floor_schemas_reflect_the_lower_bounds_of_versions_tf(
    pin_sets: dict[str, PinSet],
) -> None:
    assert pin_sets["floor"].versions == {"hashicorp/aws": "5.43.0", "hashicorp/archive": "2.5.0"}
    assert pin_sets["floor"].schema("hashicorp/aws")["provider_version"] == "5.43.0"


def test_required_arguments_are_marked_required(pin_sets: dict[str, PinSet]) -> None:
    function = _aws(pin_sets)["resource_schemas"]["aws_lambda_function"]["block"]
    required = {name for name, spec in function["attributes"].items() if spec.get("required")}
    assert required == {"function_name", "role"}
    assert function["attributes"]["memory_size"] == {
        "type": "number",
        "optional": True,
        "computed": True,
    }


def test_nested_blocks_and_map_arguments_are_told_apart(pin_sets: dict[str, PinSet]) -> None:
    function = _aws(pin_sets)["resource_schemas"]["aws_lambda_function"]["block"]
    assert function["block_types"]["environment"]["nesting_mode"] == "list"
    assert function["block_types"]["environment"]["max_items"] == 1
    assert function["attributes"]["tags"]["type"] == ["map", "string"]
    assert "environment" not in function["attributes"]


def test_computed_attributes_keep_their_terraform_names(pin_sets: dict[str, PinSet]) -> None:
    archive = pin_sets["newest"].schema("hashicorp/archive")["data_source_schemas"]["archive_file"]
    block = archive["block"]
    assert block["attributes"]["output_base64sha256"] == {"type": "string", "computed": True}
    assert block["attributes"]["output_path"].get("required")
    assert "source" in block["block_types"]


def test_nested_block_schemas_have_their_own_required_arguments(
    pin_sets: dict[str, PinSet],
) -> None:
    document = _aws(pin_sets)["data_source_schemas"]["aws_iam_policy_document"]["block"]
    statement = document["block_types"]["statement"]["block"]
    principals = statement["block_types"]["principals"]["block"]
    required = {n for n, a in principals["attributes"].items() if a.get("required")}
    assert required == {"type", "identifiers"}


def test_unknown_types_have_no_schema(pin_sets: dict[str, PinSet]) -> None:
    assert "aws_lambda_functions" not in _aws(pin_sets)["resource_schemas"]
    assert "aws_lambda_function" in _aws(pin_sets)["resource_schemas"]
