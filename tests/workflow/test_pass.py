"""The pass (``pass``): every item of the copy counted, checked and masked on Step
Functions' Distributed Map, before anything points at it.

The source tables hold items with nested maps and lists, sets, binary and numbers; each
rotation's copy is scanned afterwards and compared, item by item, with its source as
the rules say it must be (``rotator.masking``, tested on its own in tests/unit), and on
a few points with values computed here."""

from __future__ import annotations

import hashlib
import hmac
import json
from decimal import Decimal
from typing import Any

import pytest

from rotator.masking import MARKER_ATTRIBUTE, Masker, marker_value, parse_rules
from rotator.passes import CLOSING_SID
from tests.emulator.events import backup_completed, sns_event
from tests.emulator.harness import CHECK_HOOK_ARN, Emulator, Settings
from tests.workflow.test_hooks import create_hook

KEY_PARAMETER = "/rotator/mask-key"
SECRET = b"a key only the rotator reads"
SOURCE = "Customers-Production"
# The table of the main test: every type, nested maps and lists, on both restore paths
# and 1, 7 and 64 segments (64 segments of 1,000 items: some hold a handful).
ITEMS = 1000
COPY = "Customers-staging-20240827-09-20-00"
RULES: list[dict[str, Any]] = [
    {"path": "email", "action": "hash"},
    {"path": "address.street", "action": "redact"},
    {"path": "ssn", "action": "remove"},
    {"path": "name", "action": "fake_name"},
    {"path": "contacts[*].phone", "action": "fake_phone"},
    {"path": "note", "action": "set", "value": "masked"},
    {"path": "tags", "action": "hash"},
    {"path": "photo", "action": "null"},
]
# attributes no rule names: byte-identical on the copy
UNTOUCHED = ("pk", "sk", "total", "scores", "blobs", "active", "nothing", "history")
KEYED = {
    "KeySchema": [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ],
    "AttributeDefinitions": [
        {"AttributeName": "pk", "AttributeType": "S"},
        {"AttributeName": "sk", "AttributeType": "N"},
    ],
}


def passing(segments: int, **more: Any) -> Settings:
    return Settings(
        ssm_parameter_name="/copies/{source_table}",
        copy_settings={"point_in_time_recovery": True, "copy_source_streams": True},
        **{
            "pass": {
                "segments": segments,
                "mask": RULES,
                "secret_ssm_parameter_name": KEY_PARAMETER,
                **more,
            }
        },
    )


# Module-level, so tests/conftest.py plans them with the rest. Other segments, min_items
# and a transform are given as the environment variables Terraform sets from those
# inputs (test_module_wiring checks that it does), so that the file needs two plans.
TWO = passing(2)
HOOKED = TWO.with_inputs(hooks=(CHECK_HOOK_ARN,))
TRANSFORM_ARN = "arn:aws:lambda:us-east-1:123456789012:function:shout-city"


def with_pass_inputs(
    emulator: Emulator,
    *,
    segments: int | None = None,
    min_items: int | None = None,
    transform: str | None = None,
) -> Emulator:
    """``emulator`` with pass.segments, pass.min_items or pass.transform_function_arn
    changed, in the functions' environment as Terraform sets it."""
    if segments is not None:
        emulator.set_environment("plan_pass", PASS_SEGMENTS=str(segments))
    if min_items is not None:
        emulator.set_environment("check_pass", PASS_MIN_ITEMS=str(min_items))
    if transform is not None:
        emulator.set_environment("walk_segment", PASS_TRANSFORM_FUNCTION=transform)
    return emulator


def item(number: int) -> dict[str, Any]:
    """A customer: every type DynamoDB has, nested maps and lists, and attributes
    that only some items have."""
    value: dict[str, Any] = {
        "pk": {"S": f"customer-{number:05d}"},
        "sk": {"N": str(number % 5)},
        "total": {"N": str(Decimal(number) * Decimal("3.25"))},
        "name": {"S": f"Person {number}"},
        "scores": {"NS": [str(number), str(number + 1)]},
        "blobs": {"BS": [bytes([number % 256, 1]), b"\x02"]},
        "active": {"BOOL": number % 2 == 0},
        "nothing": {"NULL": True},
        "history": {"L": [{"N": str(number)}, {"M": {"at": {"S": "2024-01-01"}}}]},
        "contacts": {
            "L": [
                {"M": {"phone": {"S": f"+44 20 7946 {number:04d}"}, "kind": {"S": "home"}}},
                {"M": {"kind": {"S": "none"}}},
            ]
        },
    }
    if number % 2 == 0:
        value["email"] = {"S": f"person{number}@example.com"}
    if number % 3 == 0:
        value["address"] = {
            "M": {"street": {"S": f"{number} High Street"}, "city": {"S": "London"}}
        }
    if number % 4 != 0:
        value["ssn"] = {"S": f"{number:09d}"}
    if number % 6 == 0:
        value["note"] = {"S": "called on Tuesday"}
    if number % 5 == 0:
        value["tags"] = {"SS": ["vip", f"cohort-{number % 3}"]}
    if number % 7 == 0:
        value["photo"] = {"B": bytes(range(number % 50))}
    return value


def announce(emulator: Emulator, items: int, *, advanced: bool, job_id: str = "job-1") -> Any:
    """The source table with ``items`` customers, backed up, and AWS Backup's
    notification of it (a DynamoDB backup, or an AWS Backup recovery point)."""
    arn = emulator.create_source_table(SOURCE, items=0, source=KEYED)
    for start in range(0, items, 25):
        emulator.dynamodb.batch_write_item(
            RequestItems={
                SOURCE: [
                    {"PutRequest": {"Item": item(number)}}
                    for number in range(start, min(start + 25, items))
                ]
            }
        )
    point = emulator.create_recovery_point(SOURCE) if advanced else emulator.create_backup(SOURCE)
    emulator.record_backup_job(job_id, arn, point)
    emulator.ssm.put_parameter(Name=KEY_PARAMETER, Value=SECRET.decode(), Type="SecureString")
    return sns_event(backup_completed(point, arn, job_id=job_id))


def scan(emulator: Emulator, table: str) -> dict[tuple[str, str], dict[str, Any]]:
    items: dict[tuple[str, str], dict[str, Any]] = {}
    request: dict[str, Any] = {"TableName": table}
    while True:
        page = emulator.dynamodb.scan(**request)
        for found in page["Items"]:
            items[found["pk"]["S"], found["sk"]["N"]] = found
        if "LastEvaluatedKey" not in page:
            return items
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def expected_copy(
    emulator: Emulator, source: dict[tuple[str, str], dict[str, Any]] | None = None
) -> dict[tuple[str, str], dict[str, Any]]:
    """The source's items as the rules make them, marked with this copy's mark."""
    table_id = emulator.dynamodb.describe_table(TableName=COPY)["Table"]["TableId"]
    rules = parse_rules(RULES)
    masker = Masker(rules, SECRET, marker_value(table_id, rules))
    return {
        key: masker.mask(original) or original
        for key, original in (source or scan(emulator, SOURCE)).items()
    }


def closed(emulator: Emulator, table: str) -> bool:
    arn = emulator.dynamodb.describe_table(TableName=table)["Table"]["TableArn"]
    try:
        policy = emulator.dynamodb.get_resource_policy(ResourceArn=arn)["Policy"]
    except emulator.dynamodb.exceptions.PolicyNotFoundException:
        return False
    return bool(json.loads(policy)["Statement"][0]["Sid"] == CLOSING_SID)


def watch_the_pass(emulator: Emulator) -> list[dict[str, Any]]:
    """What the copy was like each time a worker started."""
    seen: list[dict[str, Any]] = []

    def look(payload: Any) -> None:
        backups = emulator.dynamodb.describe_continuous_backups(TableName=COPY)
        table = emulator.dynamodb.describe_table(TableName=COPY)["Table"]
        seen.append(
            {
                "pitr": backups["ContinuousBackupsDescription"]
                .get("PointInTimeRecoveryDescription", {})
                .get("PointInTimeRecoveryStatus"),
                "stream": table.get("StreamSpecification", {}).get("StreamEnabled", False),
                "closed": closed(emulator, COPY),
                "pointer_writes": len(pointer_writes(emulator)),
            }
        )

    emulator.before_step("walk_segment", look)
    return seen


def pointer_writes(emulator: Emulator) -> list[Any]:
    """PutParameter calls but the test's own of the key."""
    return [write for write in emulator.parameter_writes if write[1] != KEY_PARAMETER]


def walks(emulator: Emulator) -> list[Any]:
    return [i for i in emulator.invocations if i.function == "walk_segment"]


@pytest.mark.parametrize("advanced", [False, True], ids=["dynamodb backup", "aws backup"])
@pytest.mark.parametrize("segments", [1, 7, 64])
def test_every_item_is_counted_and_masked_before_anything_points_at_the_copy(
    make_emulator: Any, segments: int, advanced: bool
) -> None:
    emulator = with_pass_inputs(make_emulator(TWO), segments=segments)
    event = announce(emulator, ITEMS, advanced=advanced)
    emulator.dynamodb.update_table(
        TableName=SOURCE, StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    )
    during = watch_the_pass(emulator)

    rotation = emulator.rotate(event)

    assert rotation.status == "SUCCEEDED", rotation.cause
    copy, source = scan(emulator, COPY), scan(emulator, SOURCE)
    expected = expected_copy(emulator, source)
    assert len(copy) == len(source) == ITEMS
    assert copy == expected
    changed = [key for key in source if expected[key] != source[key]]
    assert rotation.output is not None
    figures = rotation.output["pass"]
    assert figures["items"] == ITEMS and figures["masked"] == len(changed) > 0
    assert figures["segments"] == segments and figures["bad_keys"] == 0
    assert figures["recorded_items"] == (None if advanced else ITEMS)
    # on a few points, as computed here: the rules reached every item with the path
    for key, original in source.items():
        masked = copy[key]
        assert "ssn" not in masked
        assert {name: masked[name] for name in UNTOUCHED} == {
            name: original[name] for name in UNTOUCHED
        }
        if "email" in original:
            digest = hmac.new(SECRET, b"S:" + original["email"]["S"].encode(), hashlib.sha256)
            assert masked["email"] == {"S": digest.hexdigest()}
        if "address" in original:
            assert masked["address"]["M"]["street"] == {"S": "***"}
            assert masked["address"]["M"]["city"] == original["address"]["M"]["city"]
        if "note" in original:
            assert masked["note"] == {"S": "masked"}
        if "photo" in original:
            assert masked["photo"] == {"NULL": True}
        phones = [c["M"].get("phone") for c in masked["contacts"]["L"]]
        assert phones[1] is None and phones[0]["S"].startswith("+1555")
        assert masked[MARKER_ATTRIBUTE]["S"] == expected[key][MARKER_ATTRIBUTE]["S"]
    # one worker a segment: each invocation walked its segment to the end
    assert sorted(i.payload["segment"] for i in walks(emulator)) == list(range(segments))
    # while it ran: no point-in-time recovery or stream, closed, nothing pointed at it
    assert during and all(
        look == {"pitr": "DISABLED", "stream": False, "closed": True, "pointer_writes": 0}
        for look in during
    )
    backups = emulator.dynamodb.describe_continuous_backups(TableName=COPY)
    assert (
        backups["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"][
            "PointInTimeRecoveryStatus"
        ]
        == "ENABLED"
    )
    assert emulator.dynamodb.describe_table(TableName=COPY)["Table"]["StreamSpecification"][
        "StreamEnabled"
    ]
    assert not closed(emulator, COPY)
    assert emulator.parameter("/copies/Customers-Production")["Value"].endswith(f"table/{COPY}")
    entry = emulator.ledger_entry(COPY)
    assert entry is not None and dict(entry.pass_figures or ())["items"] == ITEMS


def test_a_segment_longer_than_an_invocation_is_handed_on_and_finishes(
    make_emulator: Any,
) -> None:
    # pages of 20 items taking 150 s each: a worker hands on after 6 (its 900 s less
    # the 120 s it keeps), so each segment of about 150 items takes two invocations
    emulator = make_emulator(TWO, scan_page_items=20, scan_page_seconds=150)
    rotation = emulator.rotate(announce(emulator, 300, advanced=False))
    assert rotation.status == "SUCCEEDED", rotation.cause
    assert scan(emulator, COPY) == expected_copy(emulator)
    assert rotation.output is not None and rotation.output["pass"]["items"] == 300
    handed = [i for i in walks(emulator) if not i.result["done"]]
    assert handed and len(walks(emulator)) == 2 + len(handed)
    assert all(i.result["position"] is not None for i in handed)


def test_the_hooks_run_on_the_masked_copy_and_get_the_pass_totals(make_emulator: Any) -> None:
    emulator = make_emulator(HOOKED)
    create_hook(emulator, CHECK_HOOK_ARN, "count_items")
    rotation = emulator.rotate(announce(emulator, 120, advanced=False))
    assert rotation.status == "SUCCEEDED", rotation.cause
    [hook] = [i for i in emulator.invocations if i.function == "check_copy"]
    assert hook.result == {"items": 120}
    assert rotation.output is not None and hook.payload["pass"] == rotation.output["pass"]
    assert hook.payload["pass"]["items"] == 120 and hook.payload["pass"]["masked"] > 0


def expected_transformed(emulator: Emulator) -> dict[tuple[str, str], dict[str, Any]]:
    """The source's items as the rules and then shout_city make them, with this copy's
    mark where anything changed."""
    table_id = emulator.dynamodb.describe_table(TableName=COPY)["Table"]["TableId"]
    rules = parse_rules(RULES)
    mark = {"S": marker_value(table_id, rules, has_transform=True)}
    expected = {}
    for key, original in scan(emulator, SOURCE).items():
        masked = Masker(rules, SECRET, mark["S"]).mask(original)
        item = dict(masked or original)
        item.pop(MARKER_ATTRIBUTE, None)
        if "address" in item:
            address = item["address"]["M"]
            item["address"] = {"M": {**address, "city": {"S": address["city"]["S"].upper()}}}
        expected[key] = {**item, MARKER_ATTRIBUTE: mark} if item != original else original
    return expected


def test_a_transform_function_gets_each_page_after_the_rules_and_once(make_emulator: Any) -> None:
    emulator = with_pass_inputs(make_emulator(TWO, scan_page_items=25), transform=TRANSFORM_ARN)
    create_hook(emulator, TRANSFORM_ARN, "shout_city")
    event = announce(emulator, 200, advanced=False)
    # a write fails after some pages: the retried worker sends only unmarked items
    emulator.inject_fault("BatchWriteItem", "InternalServerError", after=2)
    rotation = emulator.rotate(event)
    assert rotation.status == "SUCCEEDED", rotation.cause
    assert scan(emulator, COPY) == expected_transformed(emulator)
    pages = [i for i in emulator.invocations if i.function == "shout_city"]
    sent = [item["pk"]["S"] for page in pages for item in page.payload["items"]]
    # every item; again only those of the page whose write failed, which were not marked
    assert [i.error for i in walks(emulator)].count("TransientAwsError") == 1
    assert len(set(sent)) == 200 and 0 < len(sent) - 200 <= 25
    assert all(
        page.payload["version"] == "1" and page.payload["table_name"] == COPY for page in pages
    )
    assert all("rotator:masked" not in item for page in pages for item in page.payload["items"])
    assert all(
        "ssn" not in item
        and item.get("address", {}).get("M", {}).get("street", {}).get("S") in (None, "***")
        for page in pages
        for item in page.payload["items"]
    )


def test_a_transform_that_rewrites_a_key_fails_the_rotation(make_emulator: Any) -> None:
    emulator = with_pass_inputs(make_emulator(TWO), transform=TRANSFORM_ARN)
    create_hook(emulator, TRANSFORM_ARN, "rekey")
    rotation = emulator.rotate(announce(emulator, 30, advanced=False))
    assert (rotation.status, rotation.error) == ("FAILED", "States.ExceedToleratedFailureThreshold")
    failures = [i for i in walks(emulator) if i.error]
    assert failures and {i.error for i in failures} == {"TransformFailed"}
    assert pointer_writes(emulator) == [] and closed(emulator, COPY)


def test_a_worker_that_fails_mid_segment_is_retried_to_the_same_copy(
    make_emulator: Any,
) -> None:
    emulator = make_emulator(TWO, scan_page_items=10)
    event = announce(emulator, 300, advanced=False)
    # the fourth write of the pass fails, after three pages were written
    emulator.inject_fault("BatchWriteItem", "InternalServerError", times=1, after=3)
    rotation = emulator.rotate(event)
    assert rotation.status == "SUCCEEDED", rotation.cause
    assert [i.error for i in walks(emulator)].count("TransientAwsError") == 1
    assert scan(emulator, COPY) == expected_copy(emulator)
    assert rotation.output is not None  # the pages read twice counted once
    masked = sum(MARKER_ATTRIBUTE in found for found in expected_copy(emulator).values())
    assert (rotation.output["pass"]["items"], rotation.output["pass"]["masked"]) == (300, masked)


def test_a_rotation_run_again_after_a_failed_pass_makes_the_same_copy(
    make_emulator: Any,
) -> None:
    emulator = make_emulator(TWO, scan_page_items=10)
    event = announce(emulator, 300, advanced=True)
    emulator.inject_fault("BatchWriteItem", "AccessDeniedException", times=2, after=5)
    first = emulator.rotate(event)
    assert (first.status, first.error) == ("FAILED", "States.ExceedToleratedFailureThreshold")
    partly = scan(emulator, COPY)
    assert 0 < sum(MARKER_ATTRIBUTE in found for found in partly.values()) < 300
    assert closed(emulator, COPY)  # the failed pass leaves the copy closed
    assert pointer_writes(emulator) == []
    [record] = event["Records"]
    record["Sns"]["MessageAttributes"]["Id"]["Value"] = "rerun"  # a new execution name
    second = emulator.rotate(event)
    assert second.status == "SUCCEEDED", second.cause
    expected = expected_copy(emulator)
    assert scan(emulator, COPY) == expected
    assert not closed(emulator, COPY)
    # what the first run wrote counts as masked: the figures are the copy's
    assert second.output is not None and second.output["pass"]["masked"] == sum(
        MARKER_ATTRIBUTE in found for found in expected.values()
    )


def test_a_rotation_run_again_after_its_copy_was_published_leaves_the_copy_open(
    make_emulator: Any,
) -> None:
    emulator = make_emulator(TWO)
    event = announce(emulator, 60, advanced=False)
    assert emulator.rotate(event).status == "SUCCEEDED"
    published = scan(emulator, COPY)
    [record] = event["Records"]
    record["Sns"]["MessageAttributes"]["Id"]["Value"] = "rerun"  # a new execution name
    again = emulator.rotate(event)
    assert (again.status, again.error) == ("FAILED", "PassRefused")
    assert "is published already" in str(again.cause)
    assert not closed(emulator, COPY) and scan(emulator, COPY) == published
    assert len(pointer_writes(emulator)) == 1


def test_a_key_that_cannot_be_read_fails_the_rotation_before_any_write(
    make_emulator: Any,
) -> None:
    emulator = make_emulator(TWO)
    event = announce(emulator, 50, advanced=False)
    emulator.ssm.delete_parameter(Name=KEY_PARAMETER)
    rotation = emulator.rotate(event)
    assert (rotation.status, rotation.error) == ("FAILED", "PassRefused")
    assert KEY_PARAMETER in str(rotation.cause) and "Nothing was written" in str(rotation.cause)
    assert walks(emulator) == []
    assert scan(emulator, COPY) == scan(emulator, SOURCE)
    assert pointer_writes(emulator) == []


def test_a_key_too_short_to_keep_hashes_secret_fails_the_rotation_before_any_write(
    make_emulator: Any,
) -> None:
    emulator = make_emulator(TWO)
    event = announce(emulator, 50, advanced=False)
    emulator.ssm.put_parameter(
        Name=KEY_PARAMETER, Value="unset", Type="SecureString", Overwrite=True
    )
    rotation = emulator.rotate(event)
    assert (rotation.status, rotation.error) == ("FAILED", "PassRefused")
    assert "is 5 bytes; expected at least 16" in str(rotation.cause)
    assert walks(emulator) == []
    assert pointer_writes(emulator) == []


def test_a_rule_on_a_key_attribute_of_the_copy_fails_the_rotation_before_any_write(
    make_emulator: Any,
) -> None:
    emulator = make_emulator(TWO)
    # the source is keyed by "email" here: the rule that hashes it cannot apply
    arn = emulator.create_source_table(
        SOURCE,
        items=0,
        source={
            "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "email", "AttributeType": "S"}],
        },
    )
    emulator.dynamodb.put_item(TableName=SOURCE, Item={"email": {"S": "a@example.com"}})
    backup = emulator.create_backup(SOURCE)
    emulator.record_backup_job("job-1", arn, backup)
    emulator.ssm.put_parameter(Name=KEY_PARAMETER, Value="k" * 32, Type="SecureString")
    rotation = emulator.rotate(sns_event(backup_completed(backup, arn, job_id="job-1")))
    assert (rotation.status, rotation.error) == ("FAILED", "PassRefused")
    assert "rule 1" in str(rotation.cause) and "email" in str(rotation.cause)
    assert walks(emulator) == []


def test_a_copy_that_fails_the_check_is_never_pointed_at(make_emulator: Any) -> None:
    emulator = with_pass_inputs(make_emulator(TWO), min_items=1_000_000)
    rotation = emulator.rotate(announce(emulator, 40, advanced=False))
    assert (rotation.status, rotation.error) == ("FAILED", "CopyNotVerified")
    assert "40 items, fewer than pass.min_items (1000000)" in str(rotation.cause)
    assert pointer_writes(emulator) == []
    assert closed(emulator, COPY)
    entry = emulator.ledger_entry(COPY)
    assert entry is not None and dict(entry.pass_figures or ())["items"] == 40
