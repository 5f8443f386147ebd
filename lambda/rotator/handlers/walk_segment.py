"""The pass's worker (``pass``): one invocation walks one Scan segment of the copy
from the position it is given, page by page, until the segment ends or less than
``rotator.passes.HAND_OVER_SECONDS`` of its time is left; then it hands the position
and the counts on (WalkSegments' child invokes it again until ``done``).

Each page is read with a consistent Scan, so an item this pass wrote is read as
written: every item is counted (``rotator.masking.item_size``), its key attributes
checked against the copy's key schema (``key_problem``), and masked by the rules
(``Masker``); what changed is written back with BatchWriteItem, carrying the pass's mark,
so a page read again (a retried invocation, a re-run rotation) masks nothing twice.
Throttling (a throttled request, or BatchWriteItem's unprocessed items) is waited out
with a growing pause within the invocation, and handed on if time runs short: it is
never a failure. Any other error fails the invocation, which WalkSegment's Retry runs
again from the position it was given.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from botocore.exceptions import ClientError

from rotator import clock
from rotator.aws import aws_call, client, error_code
from rotator.environment import environ
from rotator.errors import InvalidInput, PassRefused, TransformFailed
from rotator.handlers import workflow_step
from rotator.handlers.mask_key import read_mask_key
from rotator.logcontext import get_logger
from rotator.masking import (
    MARKER_ATTRIBUTE,
    Masker,
    item_size,
    key_conflicts,
    key_problem,
    marker_value,
)
from rotator.passes import (
    HAND_OVER_SECONDS,
    Counts,
    Position,
    transform_payload,
    transformed_items,
)
from rotator.settings import MaskSettings

logger = get_logger(__name__)

# BatchWriteItem's limit of requests per call.
_BATCH = 25
# The pauses while throttled: doubling from the first to the last.
_FIRST_PAUSE, _LAST_PAUSE = 0.05, 20.0
_THROTTLED = frozenset(
    {"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"}
)

T = TypeVar("T")


class _OutOfTime(Exception):
    """Less than HAND_OVER_SECONDS left: hand the position on."""


def _remaining(context: Any) -> float:
    """Seconds left of this invocation (no context, as in a direct call: no limit)."""
    if context is None or not hasattr(context, "get_remaining_time_in_millis"):
        return float("inf")
    return float(context.get_remaining_time_in_millis()) / 1000


@workflow_step
def handler(event: Any, context: Any) -> dict[str, Any]:
    """Lambda's entry point."""
    settings = MaskSettings.from_env(environ())
    try:
        position = Position.from_event(event)
    except ValueError as err:
        raise InvalidInput(f"walk-segment input: {err}") from None
    name = position.table
    with aws_call(f"DynamoDB DescribeTable {name}"):
        table = client("dynamodb").describe_table(TableName=name)["Table"]
    declared = {
        str(a["AttributeName"]): str(a["AttributeType"]) for a in table["AttributeDefinitions"]
    }
    key_types = {
        str(k["AttributeName"]): declared[str(k["AttributeName"])] for k in table["KeySchema"]
    }
    conflicts = key_conflicts(settings.rules, key_types)
    if conflicts:
        raise PassRefused(f"copy {name}: {'; '.join(conflicts)}. Nothing was written")
    transform = settings.transform_function
    masker = Masker(
        settings.rules,
        read_mask_key(settings),
        marker_value(str(table["TableId"]), settings.rules, has_transform=transform is not None),
    )

    def time_left() -> None:
        if _remaining(context) < HAND_OVER_SECONDS:
            raise _OutOfTime

    start_key, counts = position.start_key, position.counts
    request: dict[str, Any] = {
        "TableName": name,
        "Segment": position.segment,
        "TotalSegments": position.total_segments,
        "ConsistentRead": True,
    }
    done = False
    try:
        while True:
            time_left()
            if start_key is not None:
                request["ExclusiveStartKey"] = start_key
            page = _throttled(
                functools.partial(client("dynamodb").scan, **request),
                f"DynamoDB Scan {name}",
                time_left,
            )
            found, writes, untransformed = Counts(), [], []
            for item in page.get("Items", []):
                problem = key_problem(item, key_types)
                marked = masker.marked(item)  # written by this pass before a retry
                found = found.plus(Counts(1, item_size(item), int(marked), int(bool(problem))))
                if problem is not None or marked:
                    continue
                masked = masker.mask(item)
                if transform is None:
                    if masked is not None:
                        writes.append(masked)
                else:
                    untransformed.append((item, masked))
            if untransformed and transform is not None:
                writes += _transformed(transform, position, untransformed, list(key_types), masker)
            _write(name, writes, time_left)
            counts = counts.plus(found).plus(Counts(masked=len(writes)))
            start_key = page.get("LastEvaluatedKey")
            if start_key is None:
                done = True
                break
    except _OutOfTime:
        pass  # the page in hand is read again by the next invocation
    result = Position(
        table=name,
        segment=position.segment,
        total_segments=position.total_segments,
        execution=position.execution,
        start_key=start_key,
        counts=counts,
        invocations=position.invocations + 1,
        done=done,
    )
    logger.info(
        f"segment {position.segment}/{position.total_segments} of {name}: "
        f"{'done' if done else 'handed on'}, {counts.items} items so far",
        extra={
            "action": "segment_walked",
            "table": name,
            "segment": position.segment,
            **counts.to_dict(),
        },
    )
    return result.to_event()


def _transformed(
    function: str,
    position: Position,
    items: Sequence[tuple[dict[str, Any], dict[str, Any] | None]],
    key_names: Sequence[str],
    masker: Masker,
) -> list[dict[str, Any]]:
    """The items to write once ``function`` (pass.transform_function_arn) has had the
    page's unmarked items as the rules left them: what it returned, or else the rules'
    result, each with the mark, and only where something changed."""
    sent = [_unmarked(masked) if masked is not None else original for original, masked in items]
    payload = transform_payload(position.table, position.segment, sent)
    with aws_call(f"Lambda Invoke {function}"):
        answer = client("lambda").invoke(
            FunctionName=function, Payload=json.dumps(payload).encode()
        )
    body = answer["Payload"].read()
    if answer.get("FunctionError"):
        raise TransformFailed(
            f"the transform {function} failed on segment {position.segment} of "
            f"{position.table}: {body.decode(errors='replace')[:500]}"
        )
    try:
        returned = transformed_items(json.loads(body or b"null"), sent, key_names)
    except ValueError as err:
        raise TransformFailed(f"the transform {function}: {err}") from None
    writes = []
    for (original, _), rules_result, answer_item in zip(items, sent, returned, strict=True):
        final = answer_item if answer_item is not None else rules_result
        if final != original:
            writes.append(masker.with_mark(final))
    return writes


def _unmarked(item: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in item.items() if name != MARKER_ATTRIBUTE}


def _throttled(call: Callable[[], T], description: str, time_left: Callable[[], None]) -> T:
    """``call``, its throttling waited out with a growing pause while time is left."""
    pause = _FIRST_PAUSE
    while True:
        with aws_call(description):
            try:
                return call()
            except ClientError as err:
                if error_code(err) not in _THROTTLED:
                    raise
        time_left()
        clock.sleep(pause)
        pause = min(pause * 2, _LAST_PAUSE)


def _write(name: str, items: Sequence[dict[str, Any]], time_left: Callable[[], None]) -> None:
    """BatchWriteItem of ``items``, 25 a call, until none is left unprocessed."""
    for start in range(0, len(items), _BATCH):
        requests: list[Any] = [
            {"PutRequest": {"Item": item}} for item in items[start : start + _BATCH]
        ]
        pause = _FIRST_PAUSE
        while requests:
            answer = _throttled(
                functools.partial(
                    client("dynamodb").batch_write_item, RequestItems={name: requests}
                ),
                f"DynamoDB BatchWriteItem {name}",
                time_left,
            )
            requests = list(answer.get("UnprocessedItems", {}).get(name, []))
            if requests:
                time_left()
                clock.sleep(pause)
                pause = min(pause * 2, _LAST_PAUSE)
