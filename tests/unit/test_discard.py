"""Whether the copy a hook refused is deleted (delete_copy_on_hook_failure): only this
rotator's copy of this table from this very recovery point, never the parameter's
table, never one with deletion protection."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rotator.cleanup import (
    DELETION_PROTECTION,
    NAMED_BY_PARAMETER,
    NO_RESTORED_AT,
    NOT_A_COPY_NAME,
    NOT_THIS_ROTATOR,
    OTHER_RECOVERY_POINT,
    OTHER_SOURCE_TABLE,
    RECOVERY_POINT_TAG,
    REFUSED_BY_HOOK,
    SOURCE_TABLE,
    Candidate,
    discard_choice,
)
from tests.unit.test_cleanup import RECOVERY_POINT, ROTATOR, SOURCE, arn, copy

REFUSED = copy(0)


def choose(table: Candidate, parameter: str | None = None, point: str = RECOVERY_POINT) -> str:
    return discard_choice(
        table,
        rotator=ROTATOR,
        source_table=SOURCE,
        recovery_point_arn=point,
        parameter_value=parameter,
    ).reason


def test_this_rotations_copy_is_deleted() -> None:
    assert choose(REFUSED) == REFUSED_BY_HOOK
    assert choose(REFUSED, parameter=arn("Orders-staging-20240101-00-00-00")) == REFUSED_BY_HOOK


@pytest.mark.parametrize(
    ("table", "parameter", "reason"),
    [
        (REFUSED, REFUSED.arn, NAMED_BY_PARAMETER),
        (REFUSED, REFUSED.name, NAMED_BY_PARAMETER),
        (replace(REFUSED, deletion_protection=True), None, DELETION_PROTECTION),
        (copy(0, rotator="another-rotator"), None, NOT_THIS_ROTATOR),
        (copy(0, rotator=None), None, NOT_THIS_ROTATOR),
        (copy(0, source="Users-Production"), None, OTHER_SOURCE_TABLE),
        (copy(0, restored_at=None), None, NO_RESTORED_AT),
        (replace(REFUSED, name="Orders-staging-copy"), None, NOT_A_COPY_NAME),
        (replace(REFUSED, name=SOURCE), None, SOURCE_TABLE),
        (
            replace(REFUSED, tags={**REFUSED.tags, RECOVERY_POINT_TAG: RECOVERY_POINT + "0"}),
            None,
            OTHER_RECOVERY_POINT,
        ),
    ],
    ids=[
        "parameter's by ARN",
        "parameter's by name",
        "protected",
        "another rotator's",
        "untagged lookalike",
        "another table's",
        "no restored-at",
        "not a copy's name",
        "the source",
        "another recovery point's",
    ],
)
def test_a_copy_that_is_not_provably_this_rotations_or_is_in_use_is_left(
    table: Candidate, parameter: str | None, reason: str
) -> None:
    assert choose(table, parameter) == reason


def test_a_long_recovery_point_is_compared_as_its_tag_keeps_it() -> None:
    long_point = "arn:aws:dynamodb:us-east-1:123456789012:table/" + "t" * 250 + "/backup/01"
    table = replace(REFUSED, tags={**REFUSED.tags, RECOVERY_POINT_TAG: long_point[-256:]})
    assert choose(table, point=long_point) == REFUSED_BY_HOOK


def test_a_protected_copy_is_left_with_a_message_that_says_so() -> None:
    choice = discard_choice(
        replace(REFUSED, deletion_protection=True),
        rotator=ROTATOR,
        source_table=SOURCE,
        recovery_point_arn=RECOVERY_POINT,
        parameter_value=None,
    )
    assert "deletion protection: not deleted" in choice.message


@pytest.mark.parametrize(("rotator", "source"), [("", SOURCE), (ROTATOR, "")])
def test_an_unnamed_rotator_or_source_is_refused(rotator: str, source: str) -> None:
    with pytest.raises(ValueError, match="expected both named"):
        discard_choice(
            REFUSED,
            rotator=rotator,
            source_table=source,
            recovery_point_arn=RECOVERY_POINT,
            parameter_value=None,
        )


@given(
    rotator=st.sampled_from([ROTATOR, "other", None]),
    source=st.sampled_from([SOURCE, "Users-Production", None]),
    point=st.sampled_from([RECOVERY_POINT, "arn:other"]),
    protected=st.booleans(),
    named=st.booleans(),
)
def test_deleted_exactly_when_every_rule_allows_it(
    rotator: str | None, source: str | None, point: str, protected: bool, named: bool
) -> None:
    table = replace(
        copy(0, rotator=rotator, source=source, protected=protected),
    )
    table = replace(table, tags={**table.tags, RECOVERY_POINT_TAG: point})
    reason = choose(table, parameter=table.arn if named else None)
    allowed = (
        rotator == ROTATOR and source == SOURCE and point == RECOVERY_POINT and not named
    ) and not protected
    assert (reason == REFUSED_BY_HOOK) == allowed
