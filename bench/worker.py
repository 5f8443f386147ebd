"""CPU time of the pass's worker per item: ``rotator.handlers.walk_segment.handler``
itself, run in this process against a DynamoDB (and the SSM parameter holding the mask
key) answered from memory, so that every request goes through boto3 as in Lambda (the
parameters checked, the request serialized and signed, the answer parsed) but nothing
goes over a network.

The engine alone (``bench.masking``) is a small part of what a worker does with an item:
botocore parsing the Scan page and serializing the BatchWriteItem requests costs more.
This measures all of it, in CPU time (``time.process_time``), so a busy machine slows it
little. The items are ``bench.masking``'s (about 1 KB, every one changed by the five
rules), ``PAGE_ITEMS`` to a Scan page (about 1 MB, DynamoDB's page size).

Run from the repository root as ``PYTHONPATH=lambda:. python -m bench.worker``.
"""

from __future__ import annotations

import base64
import json
import logging
import time
from collections.abc import Iterator
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse, HTTPHeaders

from bench.masking import RULE_SPECS, SECRET, item
from rotator import aws
from rotator.environment import given
from rotator.handlers import walk_segment
from rotator.masking import item_size

TABLE = "Customers-bench"
KEY_PARAMETER = "/bench/mask-key"
PAGE_ITEMS = 1000  # about 1 MB of bench.masking's items: one Scan page
PAGES = 10  # a segment of this many pages each invocation
ENVIRONMENT = {
    "PASS_MASK": json.dumps(RULE_SPECS),
    "PASS_SECRET_PARAMETER": KEY_PARAMETER,
    "PASS_SECRET_ARN": "",
}


def _wire(value: object) -> str:
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


class _Body:
    """What botocore reads an answer's body from."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._data


class InMemoryAws:
    """Answers the worker's requests (``before-send``, so botocore sends nothing): the
    table's description, ``pages`` Scan pages of ``PAGE_ITEMS`` items each (made once,
    as JSON), every BatchWriteItem accepted, and the mask key."""

    def __init__(self, pages: int) -> None:
        self.pages = pages
        items = [item(number) for number in range(PAGE_ITEMS)]
        self.item_bytes = sum(map(item_size, items)) / len(items)
        self._page = {"Items": items, "Count": len(items), "ScannedCount": len(items)}
        self._answers = {
            "DescribeTable": self._encode(
                {
                    "Table": {
                        "TableName": TABLE,
                        "TableId": "bench-table-id",
                        "TableArn": f"arn:aws:dynamodb:us-east-1:123456789012:table/{TABLE}",
                        "KeySchema": [{"AttributeName": "customer_id", "KeyType": "HASH"}],
                        "AttributeDefinitions": [
                            {"AttributeName": "customer_id", "AttributeType": "S"}
                        ],
                    }
                }
            ),
            "BatchWriteItem": self._encode({"UnprocessedItems": {}}),
            "GetParameter": self._encode(
                {"Parameter": {"Name": KEY_PARAMETER, "Value": SECRET.decode(), "Version": 1}}
            ),
        }
        self._pages = [
            self._encode({**self._page, "LastEvaluatedKey": {"customer_id": {"S": f"p{n}"}}})
            for n in range(pages - 1)
        ] + [self._encode(self._page)]
        self.scans = 0
        self.writes = 0

    @staticmethod
    def _encode(answer: dict[str, Any]) -> bytes:
        return json.dumps(answer, default=_wire).encode()

    def answer(self, request: Any, event_name: str, **_: Any) -> AWSResponse:
        operation = event_name.rsplit(".", 1)[-1]
        if operation == "Scan":
            start = json.loads(request.body).get("ExclusiveStartKey")
            number = 0 if start is None else int(start["customer_id"]["S"][1:]) + 1
            body = self._pages[number]
            self.scans += 1
        else:
            body = self._answers[operation]
            self.writes += operation == "BatchWriteItem"
        return AWSResponse(request.url, 200, HTTPHeaders(), _Body(body))


class _Context:
    """Lambda's context as the worker reads it: plenty of time left."""

    def get_remaining_time_in_millis(self) -> int:
        return 900_000


def cpu_per_item(seconds: float = 2.0, pages: int = PAGES) -> dict[str, float]:
    """CPU microseconds per item of the worker's invocations (each walks ``pages``
    pages), run until ``seconds`` of CPU time are spent; the items' mean size."""
    aws_answers = InMemoryAws(pages)
    session = boto3.Session(
        aws_access_key_id="bench", aws_secret_access_key="bench", region_name="us-east-1"
    )
    # a before-send handler's answer is the response (the stubs type handlers as None)
    session.events.register("before-send", aws_answers.answer)  # type: ignore[arg-type]
    default, boto3.DEFAULT_SESSION = boto3.DEFAULT_SESSION, session
    logging.getLogger("rotator").setLevel(logging.WARNING)  # a line per invocation
    event = {"table": TABLE, "segment": 0, "total_segments": 1, "execution": "bench"}
    try:
        with given(ENVIRONMENT):
            walk_segment.handler(event, _Context())  # warm up: clients, imports
            done = 0
            started = time.process_time()
            elapsed = 0.0
            while elapsed < seconds:
                result = walk_segment.handler(event, _Context())
                if not result["done"] or result["counts"]["masked"] != pages * PAGE_ITEMS:
                    raise AssertionError(f"the worker did not walk and mask every item: {result}")
                done += pages * PAGE_ITEMS
                elapsed = time.process_time() - started
    finally:
        boto3.DEFAULT_SESSION = default
        for key in [key for key in aws._clients if key[1] == id(session)]:
            del aws._clients[key]
    return {
        "cpu_us_per_item": round(elapsed / done * 1e6, 1),
        "items": done,
        "item_bytes": aws_answers.item_bytes,
        "page_items": PAGE_ITEMS,
    }


if __name__ == "__main__":
    print(cpu_per_item())
