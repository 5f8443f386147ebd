"""A hook of examples/complete (the module's ``hooks`` input): refuses a copy that
holds no item, so the SSM parameter never moves to an empty table.

The rotator invokes it with payload version 1 (the module's README, Hooks) once the
copy is ready and before the parameter moves; raising fails the rotation there. Its
role may only read the rotator's copies (dynamodb:Scan) and their key through
DynamoDB. Standard library and boto3 only (the Lambda runtime's).
"""

from __future__ import annotations

from typing import Any

import boto3

dynamodb = boto3.client("dynamodb")


class EmptyCopy(Exception):
    """The copy holds no item."""


class UnknownPayload(Exception):
    """A payload version this hook was not written for."""


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if event.get("version") != "1":
        raise UnknownPayload(f"payload version {event.get('version')!r}; this hook reads version 1")
    table = event["table_name"]
    # One item is enough. Scan promises the end of the table only where a page has no
    # LastEvaluatedKey, so an empty page that has one is followed.
    request: dict[str, Any] = {"TableName": table, "Limit": 1, "ConsistentRead": True}
    while True:
        page = dynamodb.scan(**request)
        if page["Items"]:
            return {"table_name": table, "has_items": True}
        if "LastEvaluatedKey" not in page:
            raise EmptyCopy(
                f"{table} holds no item (restored from {event['recovery_point_arn']}); "
                "the parameter was left unchanged"
            )
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
