"""Hook functions of a user's (module input ``hooks``), for tests/workflow/test_hooks.py.

The emulator runs a hook's handler in this process, named by the function's
configuration ("tests.workflow.hook_functions.<name>"), with the event and a context
only, as Lambda does. What each received is in ``Emulator.invocations``.
"""

from __future__ import annotations

from typing import Any

import boto3


class CopyRejected(Exception):
    """What a user's check raises when the copy is not fit for use."""


def count_items(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Checks that the copy holds items, the way a validating hook would: reads the
    table the payload names."""
    response = boto3.client("dynamodb").scan(TableName=event["table_name"], Select="COUNT")
    if response["Count"] == 0:
        raise CopyRejected(f"{event['table_name']} holds no items")
    return {"items": response["Count"]}


def accept(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {"accepted": event["table_name"]}


def reject(event: dict[str, Any], context: Any) -> None:
    raise CopyRejected(f"{event['table_name']} is not fit for staging: masking failed")


# A pass's transform functions (pass.transform_function_arn): called with a page's items.


def shout_city(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Upper-cases address.city where there is one; leaves the other items (null)."""
    answer: list[Any] = []
    for item in event["items"]:
        city = item.get("address", {}).get("M", {}).get("city", {}).get("S")
        if city is None:
            answer.append(None)
            continue
        address = {**item["address"]["M"], "city": {"S": city.upper()}}
        answer.append({**item, "address": {"M": address}})
    return {"items": answer}


def rekey(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """A transform that rewrites the key: refused."""
    return {"items": [{**item, "pk": {"S": item["pk"]["S"] + "-x"}} for item in event["items"]]}
