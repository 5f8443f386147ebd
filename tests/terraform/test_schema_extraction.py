"""The provider schemas read from the cdktf jsii assemblies say what the registry says."""

from __future__ import annotations

from tools.tfcheck.schema import Schemas


def test_schemas_record_the_provider_versions_they_reflect(schemas: Schemas) -> None:
    assert schemas.providers["aws"].provider_version == "6.25.0"
    assert schemas.providers["aws"].source_package == "cdktf-cdktf-provider-aws==21.22.1"
    assert schemas.providers["archive"].provider_version == "2.7.1"
    assert not schemas.floor


def test_floor_schemas_reflect_the_lower_bounds_of_versions_tf(floor_schemas: Schemas) -> None:
    assert floor_schemas.floor
    aws, archive = floor_schemas.providers["aws"], floor_schemas.providers["archive"]
    assert (aws.provider_version, aws.source_package) == (
        "5.32.0",
        "cdktf-cdktf-provider-aws==19.1.0",
    )
    assert (archive.provider_version, archive.source_package) == (
        "2.5.0",
        "cdktf-cdktf-provider-archive==10.1.0",
    )


def test_required_arguments_are_marked_required(schemas: Schemas) -> None:
    function = schemas.resource("aws_lambda_function")
    assert function is not None
    required = {name for name, spec in function.attributes.items() if spec.required}
    assert required == {"function_name", "role"}


def test_nested_blocks_and_map_arguments_are_told_apart(schemas: Schemas) -> None:
    function = schemas.resource("aws_lambda_function")
    assert function is not None
    assert "environment" in function.blocks
    assert "tags" in function.attributes
    assert "environment" not in function.attributes


def test_computed_attributes_keep_their_terraform_names(schemas: Schemas) -> None:
    archive = schemas.data_source("archive_file")
    assert archive is not None
    assert "output_base64sha256" in archive.computed
    assert "output_path" in archive.attributes
    assert "source" in archive.blocks


def test_nested_block_schemas_have_their_own_required_arguments(schemas: Schemas) -> None:
    document = schemas.data_source("aws_iam_policy_document")
    assert document is not None
    aws = schemas.providers["aws"]
    statement = aws.struct(document.blocks["statement"].struct)
    principals = aws.struct(statement.blocks["principals"].struct)
    assert {n for n, a in principals.attributes.items() if a.required} == {"type", "identifiers"}


def test_unknown_types_have_no_schema(schemas: Schemas) -> None:
    assert schemas.resource("aws_lambda_functions") is None
    assert schemas.resource("google_storage_bucket") is None
