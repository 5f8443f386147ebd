"""The pass's decisions without AWS (rotator.passes): segments, a segment's position
handed from one invocation to the next, the totals and their check, the closing policy."""

from __future__ import annotations

import json
from typing import Any

import pytest

from rotator.passes import (
    CLOSING_SID,
    GIB,
    MAX_SEGMENTS,
    Counts,
    Position,
    closing_policy,
    decode_key,
    encode_key,
    from_wire,
    is_closing_policy,
    pass_problems,
    segment_count,
    segment_counts,
    total,
    transform_payload,
    transformed_items,
)

ITEM = {"table": "Orders-staging-20240827-09-20-00", "segment": 3, "total_segments": 7}
ROLES = ["arn:aws:iam::123456789012:role/rotator-walk-segment"]


@pytest.mark.parametrize(
    ("size", "asked", "segments"),
    [
        (None, None, 1),
        (0, None, 1),
        (1, None, 1),
        (256 * 1024**2, None, 1),
        (256 * 1024**2 + 1, None, 2),
        (GIB, None, 4),
        (100 * GIB, None, 400),
        (250 * GIB, None, MAX_SEGMENTS),
        (5000 * GIB, None, MAX_SEGMENTS),
        (100 * GIB, 7, 7),
        (None, 64, 64),
    ],
)
def test_segments_are_one_per_256_mib_of_the_backup_unless_asked(
    size: int | None, asked: int | None, segments: int
) -> None:
    assert segment_count(size, asked) == segments


def test_counts_add_up() -> None:
    assert total([Counts(1, 10, 1, 0), Counts(2, 20, 0, 1), Counts()]) == Counts(3, 30, 1, 1)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"items": 1, "bytes": 1, "masked": 0},
        {"items": -1, "bytes": 0, "masked": 0, "bad_keys": 0},
        {"items": True, "bytes": 0, "masked": 0, "bad_keys": 0},
        {"items": "1", "bytes": 0, "masked": 0, "bad_keys": 0},
    ],
)
def test_counts_that_are_not_whole_numbers_are_refused(data: Any) -> None:
    with pytest.raises(ValueError, match=r"expected .*each a whole number at least 0"):
        Counts.from_dict(data, "counts")


def test_a_key_with_binary_values_survives_json() -> None:
    key = {"pk": {"B": b"\x00\xffkey"}, "sk": {"N": "12"}, "name": {"S": "x"}}
    assert decode_key(json.loads(json.dumps(encode_key(key))), "position") == key
    assert encode_key(None) is None and decode_key(None, "position") is None


@pytest.mark.parametrize(
    "key",
    [
        {},
        "pk",
        {"pk": "x"},
        {"pk": {"SS": ["a"]}},
        {"pk": {"S": 1}},
        {"pk": {"B": "not base64!"}},
        {"pk": {"S": "a", "N": "1"}},
    ],
)
def test_a_position_that_is_not_a_key_is_refused(key: Any) -> None:
    with pytest.raises(ValueError, match="position: expected a DynamoDB key"):
        decode_key(key, "position")


def test_a_position_goes_round_the_state_machine_unchanged() -> None:
    position = Position(
        table=str(ITEM["table"]),
        segment=3,
        total_segments=7,
        execution="job-1",
        start_key={"pk": {"B": b"\x01"}},
        counts=Counts(5, 500, 2, 0),
        invocations=2,
    )
    event = json.loads(json.dumps(position.to_event()))
    assert Position.from_event(event) == position
    first = Position.from_event({**ITEM, "execution": "job-1"})
    assert (first.start_key, first.counts, first.invocations, first.done) == (
        None,
        Counts(),
        0,
        False,
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"table": ""}, "table is ''; expected the copy's name"),
        ({"execution": None}, "execution is None"),
        ({"total_segments": 0}, "total_segments is 0; expected a whole number from 1 to 1000"),
        ({"total_segments": True}, "total_segments is True"),
        ({"segment": 7}, "segment is 7; expected a whole number from 0 to 6"),
        ({"segment": -1}, "segment is -1"),
        ({"invocations": -2}, "invocations is -2"),
        ({"counts": {"items": 1}}, "counts is"),
        ({"position": {"pk": {"X": "1"}}}, "position: expected a DynamoDB key"),
    ],
)
def test_a_worker_event_that_is_not_a_segment_is_refused(
    change: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Position.from_event({**ITEM, "execution": "job-1", **change})
    with pytest.raises(ValueError, match="not an object"):
        Position.from_event(["not", "an", "object"])


def test_the_segments_results_add_up_and_say_which_are_missing() -> None:
    results = [
        {"segment": 0, "counts": Counts(2, 20, 1, 0).to_dict()},
        {"segment": 2, "counts": Counts(3, 30, 0, 0).to_dict()},
    ]
    assert segment_counts(results, 4) == (Counts(5, 50, 1, 0), [1, 3])


@pytest.mark.parametrize(
    ("results", "message"),
    [
        ("segments", "segments is not a list"),
        ([None], "a segment's entry is None"),
        ([{"counts": {}}], "a segment's entry is"),
        ([{"segment": 0, "counts": {}}], "segment 0's counts is"),
    ],
)
def test_results_that_are_not_segments_are_refused(results: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        segment_counts(results, 1)


def test_a_pass_that_found_what_the_backup_held_has_no_problem() -> None:
    assert (
        pass_problems(
            Counts(95, 9500, 10, 0),
            missing_segments=[],
            recorded_items=100,
            tolerance_percent=5,
            min_items=1,
            backup_size_bytes=10_000,
        )
        == []
    )


def test_every_problem_of_a_pass_is_named_with_its_figures() -> None:
    problems = pass_problems(
        Counts(0, 0, 0, 3),
        missing_segments=list(range(12)),
        recorded_items=100,
        tolerance_percent=10,
        min_items=5,
        backup_size_bytes=4000,
    )
    assert problems == [
        "segments 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 and more were not walked",
        "3 items lack a key attribute of the table or have it with another type than the table declares",
        "0 items, fewer than pass.min_items (5)",
        "0 items, fewer than the 100 AWS recorded for the backup less 10% (at least 90 expected)",
        "no items, from a backup of 4000 bytes",
    ]


def test_the_tolerance_is_below_the_recorded_count_only() -> None:
    def problems(items: int) -> list[str]:
        return pass_problems(
            Counts(items, 0, 0, 0),
            missing_segments=[],
            recorded_items=1000,
            tolerance_percent=10,
            min_items=0,
            backup_size_bytes=None,
        )

    assert problems(900) == [] and problems(5000) == []
    assert problems(899) == [
        "899 items, fewer than the 1000 AWS recorded for the backup less 10% (at least 900 expected)"
    ]


def test_the_closing_policy_denies_all_but_the_rotators_roles() -> None:
    arn = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders-staging-20240827-09-20-00"
    policy = closing_policy(arn, ROLES)
    [statement] = json.loads(policy)["Statement"]
    assert statement == {
        "Sid": CLOSING_SID,
        "Effect": "Deny",
        "Principal": "*",
        "Action": "dynamodb:*",
        "Resource": [arn, f"{arn}/*"],
        "Condition": {"ArnNotEquals": {"aws:PrincipalArn": ROLES}},
    }
    assert is_closing_policy(policy)


@pytest.mark.parametrize(
    "policy",
    [
        None,
        "",
        "not json",
        json.dumps({"Statement": [{"Sid": "SomeoneElses"}]}),
        json.dumps({"Statement": [{"Sid": CLOSING_SID}, {"Sid": "More"}]}),
        json.dumps(["a list"]),
    ],
)
def test_any_other_policy_is_not_the_closing_one(policy: str | None) -> None:
    assert not is_closing_policy(policy)


# a custom transform
ITEM_WITH_EVERY_TYPE = {
    "pk": {"S": "a"},
    "B": {"B": b"\x00\x01"},  # an attribute named like a type
    "blobs": {"BS": [b"\xff", b"\x00"]},
    "n": {"N": "1.5"},
    "ns": {"NS": ["1"]},
    "ss": {"SS": ["x"]},
    "yes": {"BOOL": True},
    "none": {"NULL": True},
    "m": {"M": {"inner": {"B": b"\x02"}, "L": {"L": [{"B": b"\x03"}, {"S": "s"}]}}},
}


def test_an_item_goes_to_the_transform_and_back_unchanged() -> None:
    payload = transform_payload("copy-20240827-09-20-00", 3, [ITEM_WITH_EVERY_TYPE])
    assert payload["version"] == "1" and payload["segment"] == 3
    wire = json.loads(json.dumps(payload))["items"][0]
    assert wire["B"] == {"B": "AAE="} and wire["m"]["M"]["L"]["L"][0] == {"B": "Aw=="}
    assert from_wire(wire, "item") == ITEM_WITH_EVERY_TYPE


def test_the_transforms_answer_is_one_entry_an_item() -> None:
    sent = [{"pk": {"S": "a"}, "v": {"S": "x"}}, {"pk": {"S": "b"}}]
    answer = {"items": [{"pk": {"S": "a"}, "v": {"S": "X"}}, None]}
    assert transformed_items(answer, sent, ["pk"]) == [{"pk": {"S": "a"}, "v": {"S": "X"}}, None]


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (None, 'expected {"items": \\[...\\]} with one entry for each of the 2 items sent'),
        ({"items": [None]}, "one entry for each of the 2 items sent"),
        (
            {"items": [{"pk": {"S": "z"}}, None]},
            "item 0 of the transform's answer changes key attribute pk",
        ),
        (
            {"items": [{"pk": "a"}, None]},
            "item 0 of the transform's answer, attribute 'pk' is not an attribute value",
        ),
        (
            {"items": [{"pk": {"S": "a"}, "b": {"B": "%%"}}, None]},
            "attribute 'b' is not an attribute value",
        ),
        ({"items": ["item", None]}, "item 0 of the transform's answer is not an item"),
    ],
)
def test_a_transform_answer_that_is_not_items_is_refused(answer: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        transformed_items(answer, [{"pk": {"S": "a"}}, {"pk": {"S": "b"}}], ["pk"])
