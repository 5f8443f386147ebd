"""The pass over every item of a copy (``pass``), decided without AWS calls.

PlanPass chooses the parallel Scan's segments (``segment_count``) and closes the copy
with a resource-based policy (``closing_policy``); each WalkSegments child invokes the
worker with its segment's ``Position`` until it is done, the worker handing the
position on when less than ``HAND_OVER_SECONDS`` of its time is left; CheckPass adds up
the segments' ``Counts`` and judges them (``pass_problems``).

A position is handed on only with the counts of the pages before it: an invocation
that fails is retried from the position it was given, so its pages are read and counted
again, never twice, and what it wrote carries the pass's mark (``rotator.masking``), so
nothing is masked twice.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

GIB = 1024**3
# A segment a quarter of a GiB: a worker gets through one in minutes, and a table of a
# few GiB is walked by several at once.
SEGMENT_BYTES = 256 * 1024**2
MAX_SEGMENTS = 1000
# A worker hands its segment on when less than this is left of its time: a page of
# 1 MB and its writes take seconds, and throttled writes are retried within it.
HAND_OVER_SECONDS = 120
# The Sid of the statement PlanPass closes the copy with, which FinishConfigure removes.
CLOSING_SID = "RotatorPassInProgress"


def segment_count(backup_size_bytes: int | None, asked: int | None) -> int:
    """TotalSegments: as asked (``pass.segments``), or one per ``SEGMENT_BYTES`` of the
    backup's recorded size, at least 1 and at most ``MAX_SEGMENTS``."""
    if asked is not None:
        return asked
    if not backup_size_bytes or backup_size_bytes <= 0:
        return 1
    return max(1, min(MAX_SEGMENTS, math.ceil(backup_size_bytes / SEGMENT_BYTES)))


@dataclass(frozen=True)
class Counts:
    """What a walk found: items and their bytes (DynamoDB's item size), the items
    that carry the pass's mark (written by this invocation or an earlier one), and the
    items without their key attributes as declared."""

    items: int = 0
    bytes: int = 0
    masked: int = 0
    bad_keys: int = 0

    def plus(self, other: Counts) -> Counts:
        return Counts(
            self.items + other.items,
            self.bytes + other.bytes,
            self.masked + other.masked,
            self.bad_keys + other.bad_keys,
        )

    def to_dict(self) -> dict[str, int]:
        return {
            "items": self.items,
            "bytes": self.bytes,
            "masked": self.masked,
            "bad_keys": self.bad_keys,
        }

    @classmethod
    def from_dict(cls, data: Any, what: str) -> Counts:
        names = ("items", "bytes", "masked", "bad_keys")
        if not isinstance(data, Mapping) or not all(
            isinstance(data.get(name), int)
            and not isinstance(data.get(name), bool)
            and data[name] >= 0
            for name in names
        ):
            raise ValueError(
                f"{what} is {json.dumps(data, default=str)[:200]}; expected "
                '{"items", "bytes", "masked", "bad_keys"}, each a whole number at least 0'
            )
        return cls(*(int(data[name]) for name in names))


def total(counts: Iterable[Counts]) -> Counts:
    result = Counts()
    for each in counts:
        result = result.plus(each)
    return result


def encode_key(key: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A LastEvaluatedKey as JSON can carry it: binary values as base64 text."""
    if key is None:
        return None
    encoded: dict[str, Any] = {}
    for name, value in key.items():
        if "B" in value:
            encoded[name] = {"B": base64.b64encode(bytes(value["B"])).decode("ascii")}
        else:
            encoded[name] = dict(value)
    return encoded


def decode_key(key: Any, what: str) -> dict[str, Any] | None:
    """``encode_key``'s JSON back as ExclusiveStartKey; ``ValueError`` if it is not a
    key of S, N and B values."""
    if key is None:
        return None
    expected = f"{what}: expected a DynamoDB key, each attribute one of S, N or B (base64)"
    if not isinstance(key, Mapping) or not key:
        raise ValueError(expected)
    decoded: dict[str, Any] = {}
    for name, value in key.items():
        if not isinstance(value, Mapping) or len(value) != 1:
            raise ValueError(expected)
        ((kind, text),) = value.items()
        if kind not in ("S", "N", "B") or not isinstance(text, str):
            raise ValueError(expected)
        if kind == "B":
            try:
                decoded[name] = {"B": base64.b64decode(text, validate=True)}
            except binascii.Error:
                raise ValueError(expected) from None
        else:
            decoded[name] = {kind: text}
    return decoded


@dataclass(frozen=True)
class Position:
    """A segment's walk as one invocation hands it to the next (the state of a
    WalkSegments child): where the next page starts and what the pages before counted."""

    table: str
    segment: int
    total_segments: int
    execution: str
    start_key: dict[str, Any] | None = None
    counts: Counts = field(default_factory=Counts)
    invocations: int = 0
    done: bool = False

    @classmethod
    def from_event(cls, event: Any) -> Position:
        """The worker's event: WalkSegments' item (table, segment, total_segments,
        execution) or a previous invocation's result; ``ValueError`` says what is wrong."""
        if not isinstance(event, Mapping):
            raise ValueError("the event is not an object; expected a WalkSegments item")
        table, segment, total_segments = (
            event.get("table"),
            event.get("segment"),
            event.get("total_segments"),
        )
        execution = event.get("execution")
        if not isinstance(table, str) or not table:
            raise ValueError(f"table is {table!r}; expected the copy's name")
        if not isinstance(execution, str) or not execution:
            raise ValueError(f"execution is {execution!r}; expected the execution's name")
        if (
            not isinstance(total_segments, int)
            or isinstance(total_segments, bool)
            or not 1 <= total_segments <= MAX_SEGMENTS
        ):
            raise ValueError(
                f"total_segments is {total_segments!r}; expected a whole number from 1 to "
                f"{MAX_SEGMENTS}"
            )
        if (
            not isinstance(segment, int)
            or isinstance(segment, bool)
            or not 0 <= segment < total_segments
        ):
            raise ValueError(
                f"segment is {segment!r}; expected a whole number from 0 to {total_segments - 1}"
            )
        invocations = event.get("invocations", 0)
        if not isinstance(invocations, int) or isinstance(invocations, bool) or invocations < 0:
            raise ValueError(f"invocations is {invocations!r}; expected a whole number")
        counts = Counts.from_dict(event.get("counts", Counts().to_dict()), "counts")
        return cls(
            table=table,
            segment=segment,
            total_segments=total_segments,
            execution=execution,
            start_key=decode_key(event.get("position"), "position"),
            counts=counts,
            invocations=invocations,
            done=False,
        )

    def to_event(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "segment": self.segment,
            "total_segments": self.total_segments,
            "execution": self.execution,
            "position": encode_key(self.start_key),
            "counts": self.counts.to_dict(),
            "invocations": self.invocations,
            "done": self.done,
        }


def segment_counts(results: Any, total_segments: int) -> tuple[Counts, list[int]]:
    """WalkSegments' result (one ``{"segment", "counts"}`` a child) added up, and the
    segments missing from it; ``ValueError`` for an entry that is not a segment's."""
    if not isinstance(results, Sequence) or isinstance(results, str | bytes):
        raise ValueError("segments is not a list; expected WalkSegments' result")
    seen: dict[int, Counts] = {}
    for entry in results:
        segment = entry.get("segment") if isinstance(entry, Mapping) else None
        if not isinstance(segment, int) or isinstance(segment, bool):
            raise ValueError(f"a segment's entry is {entry!r}; expected {{segment, counts}}")
        seen[segment] = Counts.from_dict(entry.get("counts"), f"segment {segment}'s counts")
    missing = [segment for segment in range(total_segments) if segment not in seen]
    return total(seen.values()), missing


def pass_problems(
    counts: Counts,
    *,
    missing_segments: Sequence[int],
    recorded_items: int | None,
    tolerance_percent: float,
    min_items: int,
    backup_size_bytes: int | None,
) -> list[str]:
    """What is wrong with a pass's totals: segments not walked, items without their
    keys, fewer items than ``min_items``, fewer than the count AWS recorded for the
    backup less the tolerance (that count is refreshed about every six hours, so it may
    be behind the table), or none at all from a backup that held data. Empty: the copy
    passes."""
    problems: list[str] = []
    if missing_segments:
        problems.append(
            f"segments {', '.join(map(str, missing_segments[:10]))}"
            f"{' and more' if len(missing_segments) > 10 else ''} were not walked"
        )
    if counts.bad_keys:
        problems.append(
            f"{counts.bad_keys} items lack a key attribute of the table or have it with "
            "another type than the table declares"
        )
    if counts.items < min_items:
        problems.append(f"{counts.items} items, fewer than pass.min_items ({min_items})")
    if recorded_items is not None:
        floor = math.floor(recorded_items * (1 - tolerance_percent / 100))
        if counts.items < floor:
            problems.append(
                f"{counts.items} items, fewer than the {recorded_items} AWS recorded for the "
                f"backup less {tolerance_percent:g}% (at least {floor} expected)"
            )
    if backup_size_bytes and counts.items == 0:
        problems.append(f"no items, from a backup of {backup_size_bytes} bytes")
    return problems


def closing_policy(table_arn: str, role_arns: Sequence[str]) -> str:
    """The resource-based policy that closes the copy during the pass: every action on
    the table and its indexes denied to every principal but ``role_arns``. (AWS lets the
    account's root principal delete a table's policy whatever it says.)"""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": CLOSING_SID,
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "dynamodb:*",
                    "Resource": [table_arn, f"{table_arn}/*"],
                    "Condition": {"ArnNotEquals": {"aws:PrincipalArn": list(role_arns)}},
                }
            ],
        },
        separators=(",", ":"),
    )


def is_closing_policy(policy: str | None) -> bool:
    """Whether ``policy`` (GetResourcePolicy's text) is the one PlanPass puts: a copy
    gets no other from its restore, and any other is left alone."""
    if not policy:
        return False
    try:
        statements = json.loads(policy).get("Statement", [])
    except (ValueError, AttributeError):
        return False
    if isinstance(statements, Mapping):
        statements = [statements]
    return (
        isinstance(statements, list)
        and len(statements) == 1
        and isinstance(statements[0], Mapping)
        and statements[0].get("Sid") == CLOSING_SID
    )


# -- a custom transform (pass.transform_function_arn) ----------------------------------

TRANSFORM_PAYLOAD_VERSION = "1"


def to_wire(item: Mapping[str, Any]) -> dict[str, Any]:
    """An item as JSON can carry it: binary as base64 text, as DynamoDB's own JSON does."""
    return {name: _value_to_wire(value) for name, value in item.items()}


def _base64(data: bytes) -> str:
    return base64.b64encode(bytes(data)).decode("ascii")


def _value_to_wire(value: Mapping[str, Any]) -> dict[str, Any]:
    ((kind, inner),) = value.items()
    if kind == "B":
        return {"B": _base64(inner)}
    if kind == "BS":
        return {"BS": [_base64(each) for each in inner]}
    if kind == "M":
        return {"M": to_wire(inner)}
    if kind == "L":
        return {"L": [_value_to_wire(each) for each in inner]}
    return {kind: inner}


def from_wire(item: Any, what: str) -> dict[str, Any]:
    """``to_wire``'s JSON back as an item of the low-level client; ``ValueError`` says
    what is not an item."""
    if not isinstance(item, Mapping) or not all(isinstance(name, str) for name in item):
        raise ValueError(f"{what} is not an item (an object of attribute values)")
    return {
        name: _value_from_wire(value, f"{what}, attribute {name!r}") for name, value in item.items()
    }


_SCALARS = {"S": str, "N": str, "BOOL": bool, "NULL": bool}


def _value_from_wire(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, Mapping) or len(value) != 1:
        raise ValueError(
            f"{what} is not an attribute value (one of S, N, B, SS, NS, BS, M, L, BOOL, NULL)"
        )
    ((kind, inner),) = value.items()
    try:
        if kind in _SCALARS and isinstance(inner, _SCALARS[kind]):
            return {kind: inner}
        if kind == "B" and isinstance(inner, str):
            return {"B": base64.b64decode(inner, validate=True)}
        if (
            kind in ("SS", "NS")
            and isinstance(inner, list)
            and all(isinstance(x, str) for x in inner)
        ):
            return {kind: list(inner)}
        if kind == "BS" and isinstance(inner, list) and all(isinstance(x, str) for x in inner):
            return {"BS": [base64.b64decode(x, validate=True) for x in inner]}
        if kind == "M" and isinstance(inner, Mapping):
            return {"M": from_wire(inner, what)}
        if kind == "L" and isinstance(inner, list):
            return {"L": [_value_from_wire(x, f"{what}[{i}]") for i, x in enumerate(inner)]}
    except binascii.Error:
        pass
    raise ValueError(
        f"{what} is not an attribute value (one of S, N, B, SS, NS, BS, M, L, BOOL, NULL)"
    )


def transform_payload(
    table: str, segment: int, items: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """What the transform function is invoked with: a page's items not yet passed, as
    the rules left them."""
    return {
        "version": TRANSFORM_PAYLOAD_VERSION,
        "table_name": table,
        "segment": segment,
        "items": [to_wire(item) for item in items],
    }


def transformed_items(
    answer: Any, sent: Sequence[Mapping[str, Any]], key_names: Sequence[str]
) -> list[dict[str, Any] | None]:
    """The transform's answer, one entry a sent item, in order: the item to write, or
    ``None`` to leave it as the rules left it. ``ValueError`` for an answer that is not
    that, or an item whose key attributes differ from the one sent (a key cannot be
    rewritten in place)."""
    items = answer.get("items") if isinstance(answer, Mapping) else None
    if not isinstance(items, list) or len(items) != len(sent):
        raise ValueError(
            f"the transform answered {json.dumps(answer, default=str)[:200]}; expected "
            f'{{"items": [...]}} with one entry for each of the {len(sent)} items sent '
            "(an item, or null to leave it)"
        )
    result: list[dict[str, Any] | None] = []
    for index, (entry, original) in enumerate(zip(items, sent, strict=True)):
        if entry is None:
            result.append(None)
            continue
        item = from_wire(entry, f"item {index} of the transform's answer")
        changed = [name for name in key_names if item.get(name) != original.get(name)]
        if changed:
            raise ValueError(
                f"item {index} of the transform's answer changes key attribute "
                f"{', '.join(changed)}; a key cannot be rewritten in place (return the "
                "item with its key as sent)"
            )
        result.append(item)
    return result
