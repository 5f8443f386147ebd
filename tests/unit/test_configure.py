"""``rotator.configure``: what is left to do on a copy, from descriptions alone."""

from __future__ import annotations

import re
from typing import Any

import pytest

from rotator.configure import (
    MAX_TAGS,
    CopySettings,
    changes,
    emptiness_problem,
    is_settled,
    wanted_tags,
)
from rotator.restore_options import RestoreOptions

COPY: dict[str, Any] = {
    "TableName": "Orders-staging-20240827-09-20-00",
    "TableStatus": "ACTIVE",
    "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
}
BOOK = {"dynamodb-backup-rotator:rotator": "r"}


def test_a_copy_with_everything_needs_nothing() -> None:
    todo = changes(
        COPY, settings=CopySettings(), options=RestoreOptions(), current_tags=BOOK, wanted=BOOK
    )
    assert todo.done and not todo.more_updates


def test_missing_or_different_tags_are_set_and_extra_ones_left() -> None:
    todo = changes(
        COPY,
        settings=CopySettings(),
        options=RestoreOptions(),
        current_tags={"a": "1", "b": "old", "extra": "x"},
        wanted={"a": "1", "b": "new", "c": "3"},
    )
    assert todo.tags == {"b": "new", "c": "3"} and not todo.done


def test_updates_come_one_at_a_time_in_order() -> None:
    source = {"StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}}
    settings = CopySettings(copy_source_streams=True, deletion_protection=True)
    options = RestoreOptions(billing_mode="PAY_PER_REQUEST")
    provisioned = {**COPY, "BillingModeSummary": {"BillingMode": "PROVISIONED"}}
    todo = changes(
        provisioned, settings=settings, options=options, current_tags={}, wanted={}, source=source
    )
    assert todo.update_table == {"TableName": COPY["TableName"], "BillingMode": "PAY_PER_REQUEST"}
    assert todo.more_updates
    after = changes(
        COPY, settings=settings, options=options, current_tags={}, wanted={}, source=source
    )
    assert after.update_table == {
        "TableName": COPY["TableName"],
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    }
    streamed = {**COPY, "StreamSpecification": source["StreamSpecification"]}
    last = changes(
        streamed, settings=settings, options=options, current_tags={}, wanted={}, source=source
    )
    assert last.update_table == {"TableName": COPY["TableName"], "DeletionProtectionEnabled": True}
    assert not last.more_updates


def test_a_stream_of_another_view_type_is_changed_and_none_is_not_copied() -> None:
    settings = CopySettings(copy_source_streams=True)
    source = {"StreamSpecification": {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}}
    other = {**COPY, "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}}
    todo = changes(
        other,
        settings=settings,
        options=RestoreOptions(),
        current_tags={},
        wanted={},
        source=source,
    )
    assert todo.update_table is not None
    assert todo.update_table["StreamSpecification"]["StreamViewType"] == "KEYS_ONLY"
    off = {"StreamSpecification": {"StreamEnabled": False}}
    none = changes(
        COPY, settings=settings, options=RestoreOptions(), current_tags={}, wanted={}, source=off
    )
    assert none.done
    unreadable = changes(
        COPY, settings=settings, options=RestoreOptions(), current_tags={}, wanted={}, source=None
    )
    assert unreadable.done


@pytest.mark.parametrize(
    ("source_ttl", "copy_ttl", "expected"),
    [
        (
            {"TimeToLiveStatus": "ENABLED", "AttributeName": "exp"},
            None,
            {"Enabled": True, "AttributeName": "exp"},
        ),
        (
            {"TimeToLiveStatus": "ENABLING", "AttributeName": "exp"},
            {"TimeToLiveStatus": "DISABLED"},
            {"Enabled": True, "AttributeName": "exp"},
        ),
        (
            {"TimeToLiveStatus": "ENABLED", "AttributeName": "exp"},
            {"TimeToLiveStatus": "ENABLED", "AttributeName": "exp"},
            None,
        ),
        ({"TimeToLiveStatus": "DISABLED"}, None, None),
        (None, None, None),
    ],
)
def test_ttl_is_copied_only_when_the_source_has_it_and_the_copy_does_not(
    source_ttl: Any, copy_ttl: Any, expected: Any
) -> None:
    todo = changes(
        COPY,
        settings=CopySettings(copy_source_ttl=True),
        options=RestoreOptions(),
        current_tags={},
        wanted={},
        source_ttl=source_ttl,
        copy_ttl=copy_ttl,
    )
    assert todo.time_to_live == expected


def test_point_in_time_recovery_is_turned_on_once() -> None:
    on = CopySettings(point_in_time_recovery=True)
    first = changes(COPY, settings=on, options=RestoreOptions(), current_tags={}, wanted={})
    again = changes(
        COPY,
        settings=on,
        options=RestoreOptions(),
        current_tags={},
        wanted={},
        point_in_time_recovery=True,
    )
    off = changes(
        COPY, settings=CopySettings(), options=RestoreOptions(), current_tags={}, wanted={}
    )
    assert (
        first.point_in_time_recovery,
        again.point_in_time_recovery,
        off.point_in_time_recovery,
    ) == (True, None, None)


def test_source_tags_come_only_when_asked_and_never_override_the_rotators() -> None:
    settings = CopySettings(tags={"env": "staging"}, copy_source_tags=True)
    source = {
        "env": "production",
        "aws:cloudformation:stack-name": "x",
        "owner": "me",
        "r": "other",
    }
    tags, dropped = wanted_tags(settings, source, {"r": "mine"})
    assert tags == {"owner": "me", "env": "staging", "r": "mine"} and dropped == ()
    plain, _ = wanted_tags(CopySettings(tags={"env": "staging"}), source, {"r": "mine"})
    assert plain == {"env": "staging", "r": "mine"}


def test_source_tags_beyond_fifty_are_dropped_by_key_never_the_rotators() -> None:
    source = {f"k{n:02d}": "v" for n in range(60)}
    tags, dropped = wanted_tags(CopySettings(copy_source_tags=True), source, BOOK)
    assert len(tags) == MAX_TAGS and tags["dynamodb-backup-rotator:rotator"] == "r"
    assert dropped == tuple(f"k{n:02d}" for n in range(49, 60))


def test_too_many_module_tags_say_what_to_do() -> None:
    many = CopySettings(tags={f"t{n}": "v" for n in range(50)})
    with pytest.raises(ValueError, match="DynamoDB allows 50: give the module fewer tags"):
        wanted_tags(many, None, BOOK)


@pytest.mark.parametrize(
    ("table", "settled"),
    [
        (COPY, True),
        ({**COPY, "TableStatus": "UPDATING"}, False),
        ({**COPY, "GlobalSecondaryIndexes": [{"IndexStatus": "ACTIVE"}]}, True),
        ({**COPY, "GlobalSecondaryIndexes": [{"IndexStatus": "DELETING"}]}, False),
    ],
)
def test_a_copy_is_settled_when_it_and_its_indexes_are_active(table: Any, settled: bool) -> None:
    assert is_settled(table) is settled


@pytest.mark.parametrize(
    ("size", "sampled", "problem"),
    [(500, 0, True), (500, 1, False), (0, 0, False), (None, 0, False), (1, 0, True)],
)
def test_only_an_empty_copy_of_a_backup_with_data_is_a_problem(
    size: Any, sampled: int, problem: bool
) -> None:
    found = emptiness_problem(size, sampled, "T-20240827-09-20-00")
    assert (found is not None) is problem
    if found:
        assert f"backup holds {size} bytes" in found


def test_two_updates_left_say_another_waits_behind_the_first() -> None:
    source = {"StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}}
    settings = CopySettings(copy_source_streams=True, deletion_protection=True)
    todo = changes(
        COPY, settings=settings, options=RestoreOptions(), current_tags={}, wanted={}, source=source
    )
    assert todo.update_table == {
        "TableName": COPY["TableName"],
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    }
    assert todo.more_updates, "the deletion protection update waits behind the stream's"


def test_a_source_stream_without_a_view_type_is_copied_with_new_and_old_images() -> None:
    todo = changes(
        COPY,
        settings=CopySettings(copy_source_streams=True),
        options=RestoreOptions(),
        current_tags={},
        wanted={},
        source={"StreamSpecification": {"StreamEnabled": True}},
    )
    assert todo.update_table == {
        "TableName": COPY["TableName"],
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    }


@pytest.mark.parametrize(
    ("wanted", "have", "update"),
    [
        (True, True, None),
        (False, False, None),
        (False, True, {"TableName": COPY["TableName"], "DeletionProtectionEnabled": False}),
        (True, False, {"TableName": COPY["TableName"], "DeletionProtectionEnabled": True}),
    ],
)
def test_deletion_protection_is_changed_only_when_the_copy_has_another_setting(
    wanted: bool, have: bool, update: Any
) -> None:
    todo = changes(
        {**COPY, "DeletionProtectionEnabled": have},
        settings=CopySettings(deletion_protection=wanted),
        options=RestoreOptions(),
        current_tags={},
        wanted={},
    )
    assert todo.update_table == update and not todo.more_updates


@pytest.mark.parametrize(
    ("copy_ttl", "expected"),
    [
        # Being enabled on the same attribute: nothing to do, not a second request.
        ({"TimeToLiveStatus": "ENABLING", "AttributeName": "exp"}, None),
        # Enabled on another attribute, or the same one being turned off: set again.
        (
            {"TimeToLiveStatus": "ENABLED", "AttributeName": "other"},
            {"Enabled": True, "AttributeName": "exp"},
        ),
        (
            {"TimeToLiveStatus": "DISABLED", "AttributeName": "exp"},
            {"Enabled": True, "AttributeName": "exp"},
        ),
    ],
)
def test_the_copys_ttl_counts_only_when_enabled_on_the_sources_attribute(
    copy_ttl: Any, expected: Any
) -> None:
    todo = changes(
        COPY,
        settings=CopySettings(copy_source_ttl=True),
        options=RestoreOptions(),
        current_tags={},
        wanted={},
        source_ttl={"TimeToLiveStatus": "ENABLED", "AttributeName": "exp"},
        copy_ttl=copy_ttl,
    )
    assert todo.time_to_live == expected


def test_the_dropped_source_tags_are_passed_on_for_the_logs() -> None:
    todo = changes(
        COPY,
        settings=CopySettings(),
        options=RestoreOptions(),
        current_tags=BOOK,
        wanted=BOOK,
        dropped_tags=["k58", "k59"],
    )
    assert todo.dropped_tags == ("k58", "k59") and todo.done


def test_fifty_own_tags_are_allowed_and_leave_no_room_for_the_sources() -> None:
    settings = CopySettings(tags={f"t{n:02d}": "v" for n in range(49)}, copy_source_tags=True)
    tags, dropped = wanted_tags(settings, {"owner": "me"}, BOOK)
    assert tags == {**settings.tags, **BOOK} and dropped == ("owner",)


def test_fifty_one_own_tags_are_refused_saying_how_many_and_whose() -> None:
    many = CopySettings(tags={f"t{n:02d}": "v" for n in range(50)})
    expected = (
        "the copy would carry 51 tags (the module's tags and the rotator's 1); "
        "DynamoDB allows 50: give the module fewer tags"
    )
    with pytest.raises(ValueError, match=f"^{re.escape(expected)}$"):
        wanted_tags(many, None, BOOK)
