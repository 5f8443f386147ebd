"""Which copies to delete after a rotation, and the tags the rotator labels its copies
with. No AWS calls here.

**Which tables are the rotator's copies is decided by the ledger of copies**
(``rotator.ledger``), never by tags: the Cleanup and DiscardRefusedCopy steps hand this
module only tables the ledger records as the rotator's and that are owned (their
TableId is the ledger's), as ``ledger_candidate`` builds them: with the ledger's facts
written as the bookkeeping tags below. The tags the rotator puts on its copies are
labels for people and cost reports; a table someone else tags is never passed here.
The rules below about tags apply to those candidates.

**Ownership is recorded in tags** that the rotator puts on every copy it makes
(``bookkeeping_tags``):

- ``ROTATOR_TAG``: the rotator's name (the module's ``name``);
- ``SOURCE_TABLE_TAG``: the name of the table the backup was taken of;
- ``RECOVERY_POINT_TAG``: the recovery point restored (for people; not read here);
- ``RESTORED_AT_TAG``: when the rotation restored the copy, RFC 3339 in UTC (the
  restore's start, ``RestoreState.started_at``). This is what "newest" means.

Write them after any tags copied from the source table, so that a source which is
itself another rotator's copy cannot pass its bookkeeping tags on.

**A managed copy** is a candidate that this rotator made of this source table. All of
these must hold, or the table is skipped and never deleted, whatever its name:

1. it is not the source table;
2. ``ROTATOR_TAG`` is the rotator's name and ``SOURCE_TABLE_TAG`` the source table's,
   exactly (tags are case-sensitive): a lookalike without the tags, another rotator's
   copy and a copy of another table are not ours;
3. its name ends in a copy's ``-YYYYMMDD-HH-MM-SS`` time, as every copy's name does (and
   as the IAM policy's DeleteTable resource pattern requires);
4. ``RESTORED_AT_TAG`` is an RFC 3339 time. There is no fallback to the table's creation
   time: a table without a readable tag was not tagged by this rotator, or was
   re-tagged by hand, so it can be neither shown to be ours nor ordered. ``created_at``
   is carried for the log only.

**Ranking.** Managed copies are ranked newest first: the copy just published first (it
is one of the ``keep_last`` kept, not one more), then by restored-at, latest first, and
by name, descending, between equal times, so the choice never depends on the order the
tables were listed in.

**What is kept.** A managed copy is kept when

1. the parameter names it (by name, or by ARN as Publish writes it), or
2. it is the copy just published, or
3. it is the first of the ranking, the newest, or
4. it is among the first ``keep_last`` of the ranking and, when ``max_age`` is set, not
   older than ``max_age`` (restored more than ``max_age`` before ``now``; a copy exactly
   ``max_age`` old is not older).

Every other managed copy is to be deleted, oldest first, so a cleanup cut short has
removed the oldest. One with deletion protection is skipped instead, with that reason:
the rotator never turns the protection off.

**A copy a hook refused** (``delete_copy_on_hook_failure``; ``discard_choice``) is deleted
only if it is a managed copy (the rules above), its ``RECOVERY_POINT_TAG`` is the
rotation's recovery point (so it is this rotation's copy, not an older one of the same
name), the parameter does not name it, and it has no deletion protection.

**max_age** caps the copies' age as ``keep_last`` caps their number: a copy beyond the
newest ``keep_last`` goes, and so does one older than ``max_age`` even among the newest
``keep_last`` (limited to the copies beyond ``keep_last``, it would change nothing, since
those go anyway). The parameter's table, the published copy and the newest copy stay
whatever their age, so a table whose backups stopped keeps its newest copy (and the one
the parameter names) rather than none. Without ``max_age`` none of the newest
``keep_last`` is ever deleted; with it, the newest one never is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from rotator.model import format_time, parse_time
from rotator.naming import split_copy_name
from rotator.pointer import table_named_by

TAG_PREFIX = "dynamodb-backup-rotator:"
ROTATOR_TAG = TAG_PREFIX + "rotator"
SOURCE_TABLE_TAG = TAG_PREFIX + "source-table"
RECOVERY_POINT_TAG = TAG_PREFIX + "recovery-point"
RESTORED_AT_TAG = TAG_PREFIX + "restored-at"
BOOKKEEPING_TAGS = (ROTATOR_TAG, SOURCE_TABLE_TAG, RECOVERY_POINT_TAG, RESTORED_AT_TAG)

# DynamoDB's tag values: up to 256 characters, letters, digits, spaces and + - = . _ : /
TAG_VALUE_MAX = 256
_TAG_VALUE_CHAR = re.compile(r"[\w +\-=.:/]")

# Why a managed copy is kept.
NAMED_BY_PARAMETER = "named-by-parameter"
PUBLISHED = "published"
NEWEST = "newest"
WITHIN_KEEP_LAST = "within-keep-last"
# Why a managed copy is to be deleted.
BEYOND_KEEP_LAST = "beyond-keep-last"
OLDER_THAN_MAX_AGE = "older-than-max-age"
# Why a table is skipped: never deleted.
DELETION_PROTECTION = "deletion-protection"
SOURCE_TABLE = "source-table"
NOT_THIS_ROTATOR = "not-this-rotator"
OTHER_SOURCE_TABLE = "other-source-table"
NOT_A_COPY_NAME = "not-a-copy-name"
NO_RESTORED_AT = "no-restored-at"
OTHER_RECOVERY_POINT = "other-recovery-point"
# Why a copy a hook refused is deleted.
REFUSED_BY_HOOK = "refused-by-hook"
# Why a copy whose rotation never published it is deleted (rotator.ledger.stale).
NEVER_PUBLISHED = "never-published"


@dataclass(frozen=True)
class Candidate:
    """A table that may be one of the rotator's copies (ListTables, DescribeTable,
    ListTagsOfResource). ``arn`` and ``created_at`` are for the handler and the log."""

    name: str
    arn: str
    tags: Mapping[str, str] = field(default_factory=dict)
    deletion_protection: bool = False
    created_at: datetime | None = None


@dataclass(frozen=True)
class Choice:
    """What becomes of one table: ``reason`` is one of this module's reason constants,
    ``message`` the sentence for the log."""

    table: Candidate
    reason: str
    message: str


@dataclass(frozen=True)
class CleanupPlan:
    """Every candidate in exactly one of: ``to_delete`` (oldest first), ``kept`` (managed
    copies, newest first) and ``skipped`` (never deleted, by name)."""

    to_delete: tuple[Choice, ...]
    kept: tuple[Choice, ...]
    skipped: tuple[Choice, ...]


@dataclass(frozen=True)
class _Managed:
    table: Candidate
    restored_at: datetime


def bookkeeping_tags(
    rotator: str, source_table: str, recovery_point_arn: str, restored_at: datetime
) -> dict[str, str]:
    """The tags that make a new copy this rotator's copy of ``source_table``.

    A recovery point ARN longer than a tag value may be (a classic backup of a table
    with a long name) keeps its last 256 characters, which hold the backup's id.
    Raises ``ValueError`` for a value DynamoDB would refuse, an empty rotator or source
    table, or a ``restored_at`` without a time zone."""
    if restored_at.tzinfo is None:
        raise ValueError("restored_at must carry a time zone; expected an aware datetime")
    return {
        ROTATOR_TAG: _tag_value("rotator name", rotator),
        SOURCE_TABLE_TAG: _tag_value("source table name", source_table),
        RECOVERY_POINT_TAG: _tag_value("recovery point ARN", recovery_point_arn[-TAG_VALUE_MAX:]),
        RESTORED_AT_TAG: format_time(restored_at),
    }


def ledger_candidate(
    *,
    name: str,
    arn: str,
    rotator: str,
    source_table: str,
    recovery_point_arn: str,
    requested_at: datetime,
    deletion_protection: bool = False,
    created_at: datetime | None = None,
) -> Candidate:
    """A copy the ledger records as the rotator's (and which it owns), as a candidate:
    the ledger's source table, recovery point and request time stand in the places of
    the bookkeeping tags, whatever tags the table carries."""
    return Candidate(
        name=name,
        arn=arn,
        tags=bookkeeping_tags(rotator, source_table, recovery_point_arn, requested_at),
        deletion_protection=deletion_protection,
        created_at=created_at,
    )


def _tag_value(what: str, value: str) -> str:
    if not value:
        raise ValueError(f"the {what} is empty; expected the value of a bookkeeping tag")
    if len(value) > TAG_VALUE_MAX:
        raise ValueError(
            f"the {what} {value!r} is {len(value)} characters long; DynamoDB tag values "
            f"may be at most {TAG_VALUE_MAX}"
        )
    bad = sorted({char for char in value if not _TAG_VALUE_CHAR.fullmatch(char)})
    if bad:
        raise ValueError(
            f"the {what} {value!r} contains {''.join(bad)!r}; DynamoDB tag values may "
            "contain only letters, digits, spaces and + - = . _ : /"
        )
    return value


def plan_cleanup(
    candidates: Iterable[Candidate],
    *,
    rotator: str,
    source_table: str,
    parameter_value: str | None,
    published: str | None,
    keep_last: int,
    max_age: timedelta | None = None,
    now: datetime,
) -> CleanupPlan:
    """Decide which of ``candidates`` to delete after a rotation of ``source_table`` by
    the rotator named ``rotator`` (the rules are in the module's docstring).

    ``parameter_value`` is what the SSM parameter holds now (a table ARN or name;
    ``None`` when there is none), ``published`` the copy just published (name or ARN;
    ``None`` when none was). Raises ``ValueError`` for settings out of range or a table
    listed twice."""
    _check_settings(rotator, source_table, keep_last, max_age, now)
    skipped: list[Choice] = []
    managed: list[_Managed] = []
    for table in _each_once(candidates):
        ownership = _ownership(table, rotator, source_table)
        if isinstance(ownership, Choice):
            skipped.append(ownership)
        else:
            managed.append(_Managed(table, ownership))
    managed.sort(
        key=lambda copy: (_names(published, copy.table), copy.restored_at, copy.table.name),
        reverse=True,
    )
    kept: list[Choice] = []
    doomed: list[Choice] = []
    for rank, copy in enumerate(managed):
        keep, choice = _judge(copy, rank, parameter_value, published, keep_last, max_age, now)
        (kept if keep else doomed).append(choice)
    to_delete: list[Choice] = []
    for choice in reversed(doomed):
        if choice.table.deletion_protection:
            skipped.append(_protected(choice))
        else:
            to_delete.append(choice)
    skipped.sort(key=lambda choice: choice.table.name)
    return CleanupPlan(tuple(to_delete), tuple(kept), tuple(skipped))


def _check_settings(
    rotator: str, source_table: str, keep_last: int, max_age: timedelta | None, now: datetime
) -> None:
    if not rotator or not source_table:
        raise ValueError(
            f"rotator {rotator!r} and source table {source_table!r}: expected both named"
        )
    if isinstance(keep_last, bool) or not isinstance(keep_last, int) or keep_last < 1:
        raise ValueError(f"keep_last is {keep_last!r}; expected a whole number, at least 1")
    if max_age is not None and max_age <= timedelta(0):
        raise ValueError(f"max_age is {max_age}; expected a positive duration, or None")
    if now.tzinfo is None:
        raise ValueError("now must carry a time zone; expected an aware datetime")


def _each_once(candidates: Iterable[Candidate]) -> list[Candidate]:
    tables: list[Candidate] = []
    seen: set[str] = set()
    for table in candidates:
        if table.name in seen:
            raise ValueError(
                f"table {table.name!r} is listed twice among the candidates; expected "
                "each table once"
            )
        seen.add(table.name)
        tables.append(table)
    return tables


def _ownership(table: Candidate, rotator: str, source_table: str) -> datetime | Choice:
    """The copy's restored-at time if it is a managed copy, else why it is skipped."""
    name = table.name
    if name == source_table:
        return Choice(table, SOURCE_TABLE, f"{name} is the source table")
    owner = table.tags.get(ROTATOR_TAG)
    if owner != rotator:
        return Choice(
            table,
            NOT_THIS_ROTATOR,
            f"{name} is not this rotator's copy: its {ROTATOR_TAG} tag is {owner!r}, "
            f"not {rotator!r}",
        )
    origin = table.tags.get(SOURCE_TABLE_TAG)
    if origin != source_table:
        return Choice(
            table,
            OTHER_SOURCE_TABLE,
            f"{name} is not a copy of {source_table}: its {SOURCE_TABLE_TAG} tag is {origin!r}",
        )
    if split_copy_name(name) is None:
        return Choice(
            table, NOT_A_COPY_NAME, f"{name} does not end in a copy's -YYYYMMDD-HH-MM-SS time"
        )
    return _restored_at(table)


def _restored_at(table: Candidate) -> datetime | Choice:
    text = table.tags.get(RESTORED_AT_TAG)
    moment = _tag_time(text)
    if moment is None:
        return Choice(
            table,
            NO_RESTORED_AT,
            f"{table.name} has no readable {RESTORED_AT_TAG} tag ({text!r}); expected an "
            "RFC 3339 time such as 2024-08-27T09:20:00Z, so it cannot be ordered",
        )
    return moment


def _tag_time(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return parse_time(text)
    except ValueError:
        return None


def _names(reference: str | None, table: Candidate) -> bool:
    """Whether ``reference`` (a table name or ARN) names ``table``; by name, so the ARN
    of a namesake elsewhere protects ours too (safe: it keeps more)."""
    return reference is not None and table_named_by(reference) == table.name


def _judge(
    copy: _Managed,
    rank: int,
    parameter_value: str | None,
    published: str | None,
    keep_last: int,
    max_age: timedelta | None,
    now: datetime,
) -> tuple[bool, Choice]:
    """Keep (``True``) or delete the copy ranked ``rank`` (0: the newest), and why."""
    table, name = copy.table, copy.table.name
    restored = format_time(copy.restored_at)
    if _names(parameter_value, table):
        return True, Choice(table, NAMED_BY_PARAMETER, f"{name} is the table the parameter names")
    if _names(published, table):
        return True, Choice(table, PUBLISHED, f"{name} was just published")
    if rank == 0:
        return True, Choice(table, NEWEST, f"{name} is the newest copy (restored {restored})")
    place = f"{name} is copy {rank + 1} from the newest (restored {restored})"
    if rank >= keep_last:
        return False, Choice(table, BEYOND_KEEP_LAST, f"{place}; keep_last is {keep_last}")
    if max_age is not None and now - copy.restored_at > max_age:
        return False, Choice(table, OLDER_THAN_MAX_AGE, f"{place}, older than max_age {max_age}")
    return True, Choice(table, WITHIN_KEEP_LAST, f"{place}; keep_last is {keep_last}")


def _protected(choice: Choice) -> Choice:
    return Choice(
        choice.table,
        DELETION_PROTECTION,
        f"{choice.message}, but it has deletion protection: not deleted (turn the "
        "protection off to let the rotator delete it)",
    )


def discard_choice(
    table: Candidate,
    *,
    rotator: str,
    source_table: str,
    recovery_point_arn: str,
    parameter_value: str | None,
) -> Choice:
    """Whether to delete ``table``, the copy a hook refused in the rotation of
    ``recovery_point_arn`` of ``source_table``: ``REFUSED_BY_HOOK`` to delete it, any
    other reason to leave it (the rules are in the module's docstring). Raises
    ``ValueError`` for an unnamed rotator or source table."""
    if not rotator or not source_table:
        raise ValueError(
            f"rotator {rotator!r} and source table {source_table!r}: expected both named"
        )
    ownership = _ownership(table, rotator, source_table)
    if isinstance(ownership, Choice):
        return ownership
    name = table.name
    point = table.tags.get(RECOVERY_POINT_TAG)
    if point != recovery_point_arn[-TAG_VALUE_MAX:]:
        return Choice(
            table,
            OTHER_RECOVERY_POINT,
            f"{name} was not restored from {recovery_point_arn}: its {RECOVERY_POINT_TAG} "
            f"tag is {point!r}",
        )
    if _names(parameter_value, table):
        return Choice(table, NAMED_BY_PARAMETER, f"{name} is the table the parameter names")
    refused = Choice(table, REFUSED_BY_HOOK, f"{name} was refused by a hook")
    return _protected(refused) if table.deletion_protection else refused
