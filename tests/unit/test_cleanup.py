"""Which copies a rotation deletes: only this rotator's copies of this table, never the
ones the rules protect, exactly the ones beyond keep_last or max_age."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from itertools import product
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rotator.cleanup import (
    BEYOND_KEEP_LAST,
    BOOKKEEPING_TAGS,
    DELETION_PROTECTION,
    NAMED_BY_PARAMETER,
    NEWEST,
    NO_RESTORED_AT,
    NOT_A_COPY_NAME,
    NOT_THIS_ROTATOR,
    OLDER_THAN_MAX_AGE,
    OTHER_SOURCE_TABLE,
    PUBLISHED,
    RECOVERY_POINT_TAG,
    RESTORED_AT_TAG,
    ROTATOR_TAG,
    SOURCE_TABLE,
    SOURCE_TABLE_TAG,
    WITHIN_KEEP_LAST,
    Candidate,
    Choice,
    CleanupPlan,
    bookkeeping_tags,
    plan_cleanup,
)
from tests.fuzzing import examples

ROTATOR = "ddb-rotator"
SOURCE = "Orders-Production"
NOW = datetime(2024, 9, 1, 12, 0, 0, tzinfo=UTC)
RECOVERY_POINT = "arn:aws:backup:us-east-1:123456789012:recovery-point:RP-1"


def arn(table: str, region: str = "us-east-1") -> str:
    return f"arn:aws:dynamodb:{region}:123456789012:table/{table}"


def suffix(moment: datetime) -> str:
    return moment.strftime("-%Y%m%d-%H-%M-%S")


def copy(
    days_ago: float,
    *,
    base: str = "Orders-staging",
    rotator: str | None = ROTATOR,
    source: str | None = SOURCE,
    restored_at: str | None = "",
    protected: bool = False,
) -> Candidate:
    """A copy restored ``days_ago`` days before NOW, tagged as this rotator's unless said
    otherwise (``None`` leaves a tag out; ``restored_at=""`` writes the real time)."""
    moment = NOW - timedelta(days=days_ago)
    name = base + suffix(moment)
    tags = {RECOVERY_POINT_TAG: RECOVERY_POINT}
    if rotator is not None:
        tags[ROTATOR_TAG] = rotator
    if source is not None:
        tags[SOURCE_TABLE_TAG] = source
    if restored_at == "":
        restored_at = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    if restored_at is not None:
        tags[RESTORED_AT_TAG] = restored_at
    return Candidate(name, arn(name), tags, protected)


def plan(
    tables: Sequence[Candidate],
    *,
    keep_last: int = 2,
    max_age: timedelta | None = None,
    parameter: str | None = None,
    published: str | None = None,
    source: str = SOURCE,
) -> CleanupPlan:
    return plan_cleanup(
        tables,
        rotator=ROTATOR,
        source_table=source,
        parameter_value=parameter,
        published=published,
        keep_last=keep_last,
        max_age=max_age,
        now=NOW,
    )


def names(choices: Sequence[Choice]) -> list[str]:
    return [choice.table.name for choice in choices]


def reasons(result: CleanupPlan) -> dict[str, str]:
    return {c.table.name: c.reason for c in (*result.to_delete, *result.kept, *result.skipped)}


# ---- examples --------------------------------------------------------------------------


def test_three_rotations_with_keep_last_two_leave_the_two_newest() -> None:
    oldest, middle, newest = copy(2), copy(1), copy(0)
    result = plan([oldest, newest, middle], parameter=arn(newest.name), published=newest.name)
    assert names(result.to_delete) == [oldest.name]
    assert names(result.kept) == [newest.name, middle.name]
    assert result.skipped == ()
    assert reasons(result) == {
        oldest.name: BEYOND_KEEP_LAST,
        newest.name: NAMED_BY_PARAMETER,
        middle.name: WITHIN_KEEP_LAST,
    }


def test_copies_are_deleted_oldest_first() -> None:
    tables = [copy(days) for days in (3, 9, 5, 0, 7)]
    result = plan(tables, keep_last=1)
    assert names(result.to_delete) == [tables[i].name for i in (1, 4, 2, 0)]


def test_the_order_the_tables_are_listed_in_changes_nothing() -> None:
    tables = [copy(days) for days in (3, 9, 5, 0, 7)]
    assert plan(tables, keep_last=2) == plan(list(reversed(tables)), keep_last=2)


def test_an_untagged_lookalike_is_never_deleted() -> None:
    lookalike = copy(30, rotator=None, source=None, restored_at=None)
    result = plan([copy(0), copy(1), lookalike], keep_last=1)
    assert lookalike not in [c.table for c in result.to_delete]
    assert [(c.table, c.reason) for c in result.skipped] == [(lookalike, NOT_THIS_ROTATOR)]
    assert result.skipped[0].message == (
        f"{lookalike.name} is not this rotator's copy: its {ROTATOR_TAG} tag is None, not "
        f"{ROTATOR!r}"
    )


@pytest.mark.parametrize("other", ["other-rotator", "DDB-ROTATOR", "ddb-rotator ", ""])
def test_another_rotators_copy_is_never_deleted(other: str) -> None:
    theirs = copy(30, rotator=other)
    assert reasons(plan([copy(0), theirs], keep_last=1)) == {
        copy(0).name: NEWEST,
        theirs.name: NOT_THIS_ROTATOR,
    }


@pytest.mark.parametrize("other", ["Users-Production", "orders-production", None])
def test_a_copy_of_another_table_is_never_deleted(other: str | None) -> None:
    theirs = copy(30, source=other)
    result = plan([copy(0), theirs], keep_last=1)
    assert result.to_delete == ()
    assert result.skipped[0].reason == OTHER_SOURCE_TABLE
    assert result.skipped[0].message == (
        f"{theirs.name} is not a copy of {SOURCE}: its {SOURCE_TABLE_TAG} tag is {other!r}"
    )


def test_the_source_table_is_never_deleted_even_tagged_as_a_copy_of_itself() -> None:
    # a source whose own name ends in a copy's time, carrying this rotator's tags
    source_name = "Orders" + suffix(NOW - timedelta(days=30))
    source = copy(30, base="Orders", source=source_name)
    mine = copy(0, source=source_name)
    result = plan([mine, source], keep_last=1, source=source_name)
    assert reasons(result) == {mine.name: NEWEST, source.name: SOURCE_TABLE}
    assert result.skipped[0].message == f"{source_name} is the source table"


def test_a_tagged_table_whose_name_is_no_copy_name_is_never_deleted() -> None:
    tagged = Candidate("Orders-staging", arn("Orders-staging"), copy(30).tags)
    result = plan([copy(0), tagged], keep_last=1)
    assert [(c.table, c.reason) for c in result.skipped] == [(tagged, NOT_A_COPY_NAME)]
    assert result.skipped[0].message == (
        "Orders-staging does not end in a copy's -YYYYMMDD-HH-MM-SS time"
    )


@pytest.mark.parametrize(
    "restored_at", [None, "", "yesterday", "2024-08-01", "2024-13-01T00:00:00Z", "1722470400"]
)
def test_a_copy_without_a_readable_restored_at_tag_is_never_deleted(
    restored_at: str | None,
) -> None:
    unreadable = copy(30)
    tags = dict(unreadable.tags)
    tags.pop(RESTORED_AT_TAG)
    if restored_at is not None:
        tags[RESTORED_AT_TAG] = restored_at
    unreadable = Candidate(unreadable.name, unreadable.arn, tags)
    result = plan([copy(0), unreadable], keep_last=1)
    assert [(c.table, c.reason) for c in result.skipped] == [(unreadable, NO_RESTORED_AT)]
    assert result.skipped[0].message == (
        f"{unreadable.name} has no readable {RESTORED_AT_TAG} tag ({restored_at!r}); "
        "expected an RFC 3339 time such as 2024-08-27T09:20:00Z, so it cannot be ordered"
    )


def test_newest_is_decided_by_the_restored_at_tag_not_by_the_name() -> None:
    # named after an old backup but restored last, e.g. a copy job that arrived late
    late = copy(10, restored_at="2024-09-01T11:00:00+02:00")  # 09:00Z, the latest
    result = plan([copy(0.5), late, copy(1)], keep_last=1)
    assert names(result.kept) == [late.name]
    assert names(result.to_delete) == [copy(1).name, copy(0.5).name]


def test_copies_restored_at_the_same_time_are_ranked_by_name() -> None:
    same = "2024-08-31T00:00:00.000Z"
    a = copy(5, base="Orders-staging", restored_at=same)
    b = copy(5, base="Orders-stagingb", restored_at=same)
    assert names(plan([a, b], keep_last=1).kept) == [b.name]
    assert names(plan([b, a], keep_last=1).kept) == [b.name]


def test_the_parameters_table_is_kept_beyond_keep_last() -> None:
    old = copy(10)
    result = plan([copy(0), copy(1), old], keep_last=1, parameter=arn(old.name))
    assert reasons(result) == {
        copy(0).name: NEWEST,
        copy(1).name: BEYOND_KEEP_LAST,
        old.name: NAMED_BY_PARAMETER,
    }
    assert [c.message for c in result.kept] == [
        f"{copy(0).name} is the newest copy (restored 2024-09-01T12:00:00Z)",
        f"{old.name} is the table the parameter names",
    ]


@pytest.mark.parametrize(
    "parameter", ["{name}", "{arn}", "arn:aws:dynamodb:eu-west-1:123456789012:table/{name}"]
)
def test_the_parameter_names_a_table_by_name_or_arn(parameter: str) -> None:
    old = copy(10)
    value = parameter.format(name=old.name, arn=old.arn)
    assert reasons(plan([copy(0), old], keep_last=1, parameter=value))[old.name] == (
        NAMED_BY_PARAMETER
    )


def test_the_published_copy_counts_among_keep_last() -> None:
    # published, although its restored-at is older than two others (a slow check)
    published = copy(3)
    result = plan([copy(0), copy(1), published, copy(5)], keep_last=2, published=published.name)
    assert names(result.kept) == [published.name, copy(0).name]
    assert reasons(result) == {
        published.name: PUBLISHED,
        copy(0).name: WITHIN_KEEP_LAST,
        copy(1).name: BEYOND_KEEP_LAST,
        copy(5).name: BEYOND_KEEP_LAST,
    }
    assert result.kept[0].message == f"{published.name} was just published"
    assert result.kept[1].message == (
        f"{copy(0).name} is copy 2 from the newest (restored 2024-09-01T12:00:00Z); keep_last is 2"
    )


def test_a_copy_with_deletion_protection_is_skipped_and_says_so() -> None:
    guarded = copy(10, protected=True)
    result = plan([copy(0), guarded, copy(20)], keep_last=1)
    assert names(result.to_delete) == [copy(20).name]
    assert [(c.table, c.reason) for c in result.skipped] == [(guarded, DELETION_PROTECTION)]
    assert result.skipped[0].message == (
        f"{guarded.name} is copy 2 from the newest (restored 2024-08-22T12:00:00Z); "
        "keep_last is 1, but it has deletion protection: not deleted (turn the protection "
        "off to let the rotator delete it)"
    )


def test_a_protected_copy_that_is_kept_anyway_is_listed_as_kept() -> None:
    guarded = copy(0, protected=True)
    assert reasons(plan([guarded], keep_last=1)) == {guarded.name: NEWEST}


def test_max_age_deletes_old_copies_within_keep_last_but_never_the_newest() -> None:
    tables = [copy(40), copy(20), copy(8), copy(6)]
    result = plan(tables, keep_last=10, max_age=timedelta(days=7))
    assert reasons(result) == {
        copy(6).name: NEWEST,
        copy(8).name: OLDER_THAN_MAX_AGE,
        copy(20).name: OLDER_THAN_MAX_AGE,
        copy(40).name: OLDER_THAN_MAX_AGE,
    }
    assert result.to_delete[-1].message == (
        f"{copy(8).name} is copy 2 from the newest (restored 2024-08-24T12:00:00Z), older "
        "than max_age 7 days, 0:00:00"
    )


def test_the_newest_copy_is_kept_however_old() -> None:
    result = plan([copy(400), copy(500)], keep_last=3, max_age=timedelta(days=1))
    assert reasons(result) == {copy(400).name: NEWEST, copy(500).name: OLDER_THAN_MAX_AGE}


def test_the_parameters_and_the_published_copy_are_kept_however_old() -> None:
    pointed, published = copy(300), copy(200)
    result = plan(
        [copy(0), published, pointed],
        keep_last=3,
        max_age=timedelta(days=1),
        parameter=pointed.arn,
        published=published.name,
    )
    assert result.to_delete == ()
    assert reasons(result) == {
        published.name: PUBLISHED,
        copy(0).name: WITHIN_KEEP_LAST,
        pointed.name: NAMED_BY_PARAMETER,
    }


def test_a_copy_exactly_max_age_old_is_not_older_than_max_age() -> None:
    result = plan([copy(0), copy(7), copy(7.00001)], keep_last=3, max_age=timedelta(days=7))
    assert names(result.kept) == [copy(0).name, copy(7).name]
    assert names(result.to_delete) == [copy(7.00001).name]


def test_beyond_keep_last_is_the_reason_when_both_apply() -> None:
    result = plan([copy(0), copy(30)], keep_last=1, max_age=timedelta(days=7))
    assert result.to_delete[0].reason == BEYOND_KEEP_LAST


def test_no_candidates_give_an_empty_plan() -> None:
    assert plan([]) == CleanupPlan((), (), ())


# ---- settings out of range -------------------------------------------------------------


@pytest.mark.parametrize("keep_last", [0, -1, True, 1.5, "2"])
def test_keep_last_must_be_a_whole_number_of_at_least_one(keep_last: object) -> None:
    with pytest.raises(ValueError, match="keep_last") as info:
        plan([copy(0)], keep_last=keep_last)  # type: ignore[arg-type]
    assert str(info.value) == f"keep_last is {keep_last!r}; expected a whole number, at least 1"


@pytest.mark.parametrize("max_age", [timedelta(0), timedelta(seconds=-1)])
def test_max_age_must_be_positive(max_age: timedelta) -> None:
    with pytest.raises(ValueError, match="max_age") as info:
        plan([copy(0)], max_age=max_age)
    assert str(info.value) == f"max_age is {max_age}; expected a positive duration, or None"


def test_now_must_carry_a_time_zone() -> None:
    with pytest.raises(ValueError, match="now must carry a time zone") as info:
        plan_cleanup(
            [],
            rotator=ROTATOR,
            source_table=SOURCE,
            parameter_value=None,
            published=None,
            keep_last=1,
            now=datetime(2024, 9, 1),
        )
    assert str(info.value) == "now must carry a time zone; expected an aware datetime"


@pytest.mark.parametrize(("rotator", "source"), [("", SOURCE), (ROTATOR, "")])
def test_the_rotator_and_the_source_table_must_be_named(rotator: str, source: str) -> None:
    """An empty name would match a copy tagged with an empty value."""
    with pytest.raises(ValueError, match="expected both named") as info:
        plan_cleanup(
            [],
            rotator=rotator,
            source_table=source,
            parameter_value=None,
            published=None,
            keep_last=1,
            now=NOW,
        )
    assert str(info.value) == (
        f"rotator {rotator!r} and source table {source!r}: expected both named"
    )


def test_a_table_listed_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="listed twice") as info:
        plan([copy(0), copy(1), copy(0)])
    assert str(info.value) == (
        f"table {copy(0).name!r} is listed twice among the candidates; expected each table once"
    )


# ---- the bookkeeping tags --------------------------------------------------------------


def test_bookkeeping_tags_record_rotator_source_recovery_point_and_time() -> None:
    restored = datetime(2024, 8, 27, 11, 20, 0, tzinfo=timezone(timedelta(hours=2)))
    assert bookkeeping_tags(ROTATOR, SOURCE, RECOVERY_POINT, restored) == {
        "dynamodb-backup-rotator:rotator": ROTATOR,
        "dynamodb-backup-rotator:source-table": SOURCE,
        "dynamodb-backup-rotator:recovery-point": RECOVERY_POINT,
        "dynamodb-backup-rotator:restored-at": "2024-08-27T09:20:00Z",
    }
    assert set(BOOKKEEPING_TAGS) == set(bookkeeping_tags(ROTATOR, SOURCE, RECOVERY_POINT, NOW))


def test_a_copy_tagged_with_the_bookkeeping_tags_is_managed() -> None:
    name = "Orders-staging" + suffix(NOW)
    tags = {"Team": "data", **bookkeeping_tags(ROTATOR, SOURCE, RECOVERY_POINT, NOW)}
    older = copy(1)
    result = plan([Candidate(name, arn(name), tags), older], keep_last=1)
    assert reasons(result) == {name: NEWEST, older.name: BEYOND_KEEP_LAST}


def test_the_restored_at_tag_keeps_fractions_of_a_second() -> None:
    restored = NOW.replace(microsecond=250000)
    tags = bookkeeping_tags(ROTATOR, SOURCE, RECOVERY_POINT, restored)
    assert tags[RESTORED_AT_TAG] == "2024-09-01T12:00:00.250000Z"


def test_a_recovery_point_arn_longer_than_a_tag_value_keeps_its_end() -> None:
    long_arn = arn("t" * 255) + "/backup/01724750400000-a1b2c3d4"
    value = bookkeeping_tags(ROTATOR, "t" * 255, long_arn, NOW)[RECOVERY_POINT_TAG]
    assert len(long_arn) > 256 and len(value) == 256
    assert value == long_arn[-256:] and value.endswith("/backup/01724750400000-a1b2c3d4")


@pytest.mark.parametrize(
    ("rotator", "source", "message"),
    [
        ("", SOURCE, "the rotator name is empty; expected the value of a bookkeeping tag"),
        (ROTATOR, "", "the source table name is empty; expected the value of a bookkeeping tag"),
        (
            "rot#ator",
            SOURCE,
            "the rotator name 'rot#ator' contains '#'; DynamoDB tag values may contain only "
            "letters, digits, spaces and + - = . _ : /",
        ),
        (
            "r" * 257,
            SOURCE,
            f"the rotator name {'r' * 257!r} is 257 characters long; DynamoDB tag values may "
            "be at most 256",
        ),
    ],
)
def test_bookkeeping_tags_refuse_values_dynamodb_would_refuse(
    rotator: str, source: str, message: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(message)) as info:
        bookkeeping_tags(rotator, source, RECOVERY_POINT, NOW)
    assert str(info.value) == message


def test_every_character_dynamodb_allows_in_a_tag_value_is_accepted() -> None:
    value = "Az09 +-=._:/éß"
    assert bookkeeping_tags(value, SOURCE, RECOVERY_POINT, NOW)[ROTATOR_TAG] == value


def test_bookkeeping_tags_need_an_aware_restore_time() -> None:
    with pytest.raises(ValueError, match="restored_at must carry a time zone") as info:
        bookkeeping_tags(ROTATOR, SOURCE, RECOVERY_POINT, datetime(2024, 9, 1))
    assert str(info.value) == "restored_at must carry a time zone; expected an aware datetime"


def test_a_recovery_point_arn_dynamodb_would_refuse_as_a_tag_value_is_refused() -> None:
    with pytest.raises(ValueError, match="recovery point ARN") as info:
        bookkeeping_tags(ROTATOR, SOURCE, "arn:aws:backup:x#y%", NOW)
    assert str(info.value) == (
        "the recovery point ARN 'arn:aws:backup:x#y%' contains '#%'; DynamoDB tag values "
        "may contain only letters, digits, spaces and + - = . _ : /"
    )


# ---- properties over random table sets -------------------------------------------------
#
# Each generated table remembers the facts its tags and name were made from (`Drawn`), so
# the expectation below is computed from those facts, not by parsing what the module
# parses.

SOURCES = ("Orders-Production", "Orders-staging-20240801-00-00-00")
PLUS_TWO = timezone(timedelta(hours=2))
DAY = 86400
# A small pool gives equal times and times exactly max_age old.
TIME_POOL = [NOW - timedelta(days=days) for days in (0, 1, 2, 3, 5, 7, 8, 13, 21)]
# A negative number picks from the pool, any other is minutes before NOW (from an hour
# after it, a clock a little ahead, to about 90 days before).
RESTORE_TIMES = st.integers(-len(TIME_POOL), 90 * 24 * 60)
TIME_TEXTS = (
    lambda moment: moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
    lambda moment: moment.astimezone(PLUS_TWO).isoformat(),
    lambda moment: moment.isoformat(timespec="milliseconds").replace("+00:00", "z"),
)
UNREADABLE_TIMES = ("", "yesterday", "2024-08-27", "2024-13-01T00:00:00Z", "1724750400")
# (base, ending): "time" is a copy's time suffix; None stands for the source table.
NAMES = [
    (base, "time") for base in ("Orders-staging", "Orders-staging-v2", "Users-staging")
] * 3 + [
    ("Orders-staging", ""),
    ("Orders-staging", "-20241301-09-20-00"),
    ("Users-staging", "-2024-08-27"),
    (None, ""),
]
# A restored-at tag made from a time (TIME_TEXTS), an unreadable text, or none.
RESTORED_AT_TEXTS = [*TIME_TEXTS, *TIME_TEXTS, *TIME_TEXTS, *TIME_TEXTS, *UNREADABLE_TIMES, None]
ROTATOR_TAGS = [ROTATOR, ROTATOR, ROTATOR, "other-rotator", "DDB-Rotator", None]
SOURCE_TAGS = ["same", "same", "same", "Users-Production", "lower case", None]
# One table as drawn: its name's kind, its tags and its protection in one draw (any
# combination, or, as often, one of this rotator's copies: most decisions are about
# those), and two times (its name's, its restored-at tag's), so that thousands of table
# sets stay fast.
ANY_TABLE = list(product(NAMES, ROTATOR_TAGS, SOURCE_TAGS, RESTORED_AT_TEXTS, (False, True)))
OUR_COPY = list(product(NAMES[:3], [ROTATOR], ["same"], TIME_TEXTS, (False, False, False, True)))
RAW_TABLES = st.tuples(
    st.one_of(st.sampled_from(OUR_COPY), st.sampled_from(ANY_TABLE)),
    RESTORE_TIMES,
    RESTORE_TIMES,
)
REFERENCE_KINDS = ["none", "name", "arn", "arn elsewhere", "unrelated"]


def moment(number: int) -> datetime:
    return TIME_POOL[number] if number < 0 else NOW - timedelta(minutes=number - 60)


@dataclass(frozen=True)
class Drawn:
    table: Candidate
    restored_at: datetime | None  # what its restored-at tag says; None: no readable tag
    copy_name: bool  # its name ends in a copy's time
    ours: bool  # tagged with this rotator's name and this source table


def drawn_table(source: str, raw: tuple[Any, ...]) -> Drawn:
    """A table made from drawn facts, which it keeps beside it."""
    ((base, ending), rotator, origin, text, protected), name_time, restored = raw
    if base is None:
        name, copy_name = source, source in SOURCES[1:]
    else:
        copy_name = ending == "time"
        name = base + (suffix(moment(name_time)) if copy_name else ending)
    origin = {"same": source, "lower case": source.lower()}.get(origin, origin)
    tags = {ROTATOR_TAG: rotator, SOURCE_TABLE_TAG: origin}
    restored_at = None
    if callable(text):
        restored_at = moment(restored)
        tags[RESTORED_AT_TAG] = text(restored_at)
    else:
        tags[RESTORED_AT_TAG] = text
    tags = {key: value for key, value in tags.items() if value is not None}
    table = Candidate(name, arn(name), tags, protected)
    return Drawn(table, restored_at, copy_name, rotator == ROTATOR and origin == source)


@dataclass(frozen=True)
class Case:
    source: str
    tables: list[Drawn]
    parameter_value: str | None
    parameter_names: str | None  # the table the parameter's value names
    published: str | None
    published_names: str | None
    keep_last: int
    max_age: timedelta | None

    def run(self) -> CleanupPlan:
        return plan_cleanup(
            [drawn.table for drawn in self.tables],
            rotator=ROTATOR,
            source_table=self.source,
            parameter_value=self.parameter_value,
            published=self.published,
            keep_last=self.keep_last,
            max_age=self.max_age,
            now=NOW,
        )


def reference(tables: list[Drawn], kind: str, index: int) -> tuple[str | None, str | None]:
    """A parameter value or published name, and the table it names (None: none)."""
    if kind == "none" or not tables:
        return None, None
    if kind == "unrelated":
        return ("Orders-manual", arn("Orders-manual"))[index % 2], None
    name = tables[index % len(tables)].table.name
    value = {"name": name, "arn": arn(name), "arn elsewhere": arn(name, "eu-west-1")}[kind]
    return value, name


@st.composite
def cases(draw: st.DrawFn) -> Case:
    source, raw_tables, parameter, published, max_age, keep_last = draw(
        st.tuples(
            st.sampled_from(SOURCES),
            st.lists(RAW_TABLES, max_size=10),
            st.tuples(st.sampled_from(REFERENCE_KINDS), st.integers(0, 9)),
            st.tuples(st.sampled_from(REFERENCE_KINDS), st.integers(0, 9)),
            st.one_of(
                st.none(),
                st.sampled_from([timedelta(days=d) for d in (1, 2, 7, 8, 30)]),
                st.integers(1, 60 * DAY).map(lambda seconds: timedelta(seconds=seconds)),
            ),
            st.integers(1, 4),
        )
    )
    by_name: dict[str, Drawn] = {}
    for raw in raw_tables:
        drawn = drawn_table(source, raw)
        by_name.setdefault(drawn.table.name, drawn)  # each name once
    tables = list(by_name.values())
    return Case(
        source,
        tables,
        *reference(tables, *parameter),
        *reference(tables, *published),
        keep_last,
        max_age,
    )


def managed(case: Case) -> list[Drawn]:
    return [
        d
        for d in case.tables
        if d.ours and d.copy_name and d.restored_at is not None and d.table.name != case.source
    ]


def rank_key(case: Case, drawn: Drawn) -> tuple[bool, datetime, str]:
    assert drawn.restored_at is not None
    return (drawn.table.name == case.published_names, drawn.restored_at, drawn.table.name)


def newer_count(case: Case, drawn: Drawn) -> int:
    """How many managed copies rank before ``drawn``: 0 for the newest."""
    return sum(rank_key(case, other) > rank_key(case, drawn) for other in managed(case))


def expected_reason(case: Case, drawn: Drawn) -> str:
    """The rules of the module's docstring, written out once more."""
    table = drawn.table
    if table.name == case.source:
        return SOURCE_TABLE
    if table.tags.get(ROTATOR_TAG) != ROTATOR:
        return NOT_THIS_ROTATOR
    if table.tags.get(SOURCE_TABLE_TAG) != case.source:
        return OTHER_SOURCE_TABLE
    if not drawn.copy_name:
        return NOT_A_COPY_NAME
    if drawn.restored_at is None:
        return NO_RESTORED_AT
    rank = newer_count(case, drawn)
    if table.name == case.parameter_names:
        return NAMED_BY_PARAMETER
    if table.name == case.published_names:
        return PUBLISHED
    if rank == 0:
        return NEWEST
    if rank >= case.keep_last:
        doomed = BEYOND_KEEP_LAST
    elif case.max_age is not None and NOW - drawn.restored_at > case.max_age:
        doomed = OLDER_THAN_MAX_AGE
    else:
        return WITHIN_KEEP_LAST
    return DELETION_PROTECTION if table.deletion_protection else doomed


@settings(max_examples=examples(2000), deadline=None)
@given(cases())
def test_exactly_the_expected_tables_are_deleted_kept_and_skipped(case: Case) -> None:
    result = case.run()
    expected = {d.table.name: expected_reason(case, d) for d in case.tables}
    assert reasons(result) == expected
    deleting = {BEYOND_KEEP_LAST, OLDER_THAN_MAX_AGE}
    keeping = {NAMED_BY_PARAMETER, PUBLISHED, NEWEST, WITHIN_KEEP_LAST}
    assert {c.reason for c in result.to_delete} <= deleting
    assert {c.reason for c in result.kept} <= keeping
    assert not {c.reason for c in result.skipped} & (deleting | keeping)


@settings(max_examples=examples(2000), deadline=None)
@given(cases())
def test_no_never_rule_is_ever_broken(case: Case) -> None:
    result = case.run()
    deleted = {c.table.name for c in result.to_delete}
    by_name = {d.table.name: d for d in case.tables}
    ours = managed(case)
    for name in deleted:
        drawn = by_name[name]
        assert name != case.source, "the source table"
        assert drawn.table.tags.get(ROTATOR_TAG) == ROTATOR, "another rotator's or untagged"
        assert drawn.table.tags.get(SOURCE_TABLE_TAG) == case.source, "another table's copy"
        assert drawn.restored_at is not None, "no readable restored-at tag"
        assert drawn.copy_name, "not a copy's name"
        assert name != case.parameter_names, "the table the parameter names"
        assert name != case.published_names, "the copy just published"
        assert not drawn.table.deletion_protection, "deletion protection"
    if ours:
        assert max(ours, key=lambda d: rank_key(case, d)).table.name not in deleted, "newest"
    if case.max_age is None:
        newest = sorted(ours, key=lambda d: rank_key(case, d), reverse=True)[: case.keep_last]
        assert not {d.table.name for d in newest} & deleted, "one of the keep_last newest"


@settings(max_examples=examples(200), deadline=None)
@given(cases())
def test_every_table_is_in_exactly_one_list_in_order(case: Case) -> None:
    result = case.run()
    listed = Counter(names(result.to_delete) + names(result.kept) + names(result.skipped))
    assert listed == Counter(d.table.name for d in case.tables)
    by_name = {d.table.name: d for d in case.tables}
    deleting = [rank_key(case, by_name[name]) for name in names(result.to_delete)]
    assert deleting == sorted(deleting), "to_delete is oldest first"
    keeping = [rank_key(case, by_name[name]) for name in names(result.kept)]
    assert keeping == sorted(keeping, reverse=True), "kept is newest first"
    assert names(result.skipped) == sorted(names(result.skipped))
