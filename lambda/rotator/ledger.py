"""The ledger of copies: the rotator's own record of every table it asked AWS to make.
No AWS calls here.

Which tables are the rotator's copies is decided by this record alone, never by tags
(anyone who may tag a table can set them) or by the shape of a name. The ledger is a
DynamoDB table (``<name>-copies``, ledger.tf) with one item per copy, keyed by the
copy's table name (``copy``); a resource-based policy lets only the rotator's function
roles write it.

**Entries.** StartRestore writes an entry (``Entry``) before it asks AWS to restore,
with a conditional PutItem that fails if the name is in the ledger already, so two
rotations can never both own one name. It records the table's DynamoDB ``TableId``
(classic restores: RestoreTableFromBackup's answer) or the AWS Backup restore job's id.

**States** (``TRANSITIONS``): ``restoring`` (asked for), ``ready`` (Configure found
the table to be the one it asked for), ``published`` (Publish pointed the parameter at
it), ``refused`` (a hook refused it), ``failed`` (the rotation gave up on it),
``deleted`` (the table was deleted, or was never the rotator's; final). Writing an
entry's own state again is allowed (a retried step); anything else not listed raises.

**Claiming a name** (``claim_verdict``): no entry, claim it; an entry of the same
recovery point (whatever job id: StartRestore has held the input to AWS's records, so
this is a retry or a re-run of that recovery point's rotation), which may adopt the
table it finds if that table is owned (below); anything else is a conflict.

**Ownership** (``ownership``): a table is the rotator's copy only if the ledger has an
entry for its name, not deleted, and the table's ``TableId`` is the entry's
``table_id``. An entry without a ``table_id`` yet (a lost answer) is matched once:
for a classic restore, the table's ``RestoreSummary.SourceBackupArn`` must be the
entry's recovery point and its ``CreationDateTime`` not before ``requested_at`` and
at most ``REQUEST_WINDOW`` after it (the restore is asked for within the invocation
that claimed the name); for an AWS Backup restore, the ``CreatedResourceArn`` of the
entry's restore job must be the table's ARN and the table not created after the job
completed. The ``TableId`` so matched is then recorded, and from then on only it
counts. The limit of this first match: a table someone else restores from the same
backup under the copy's name, in place of the rotator's, inside that window and before
the ``TableId`` is recorded, cannot be told apart; RestoreTableFromBackup's answer
records the ``TableId`` at once, so this takes a lost answer as well.

**Stale entries** (``stale``): an entry that was never published (``restoring``,
``ready``, ``refused``, ``failed``) and was requested more than the restore timeout
plus ``STALE_GRACE`` ago belongs to a rotation that is over. Cleanup deletes its table
if the table is owned, and marks the entry ``deleted`` either way (a table that is not
owned is left alone). A deleted entry gets ``expires_at`` (``DELETED_KEPT_FOR`` later)
so DynamoDB's TTL removes it and the ledger stays small.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from rotator.model import format_time, parse_table_arn, parse_time, recovery_point_kind
from rotator.naming import TABLE_NAME_RULE, split_copy_name

RESTORING = "restoring"
READY = "ready"
PUBLISHED = "published"
REFUSED = "refused"
FAILED = "failed"
DELETED = "deleted"
STATES = (RESTORING, READY, PUBLISHED, REFUSED, FAILED, DELETED)

# The states each state may move to (besides itself). Deleted is final.
TRANSITIONS: Mapping[str, frozenset[str]] = {
    RESTORING: frozenset({READY, FAILED, DELETED}),
    READY: frozenset({PUBLISHED, REFUSED, FAILED, DELETED}),
    PUBLISHED: frozenset({DELETED}),
    REFUSED: frozenset({DELETED}),
    FAILED: frozenset({DELETED}),
    DELETED: frozenset(),
}
UNPUBLISHED = frozenset({RESTORING, READY, REFUSED, FAILED})

# How long after its restore timeout an unpublished entry's rotation is taken to be
# over: the steps after the restore (Configure's retries, the hooks) run within it.
STALE_GRACE = timedelta(days=1)
# A classic copy's table is created within the invocation that claimed its name (a
# Lambda invocation lasts at most 15 minutes).
REQUEST_WINDOW = timedelta(minutes=15)
# How long a deleted entry stays before DynamoDB's TTL removes it.
DELETED_KEPT_FOR = timedelta(days=90)

# Claim verdicts.
CLAIM = "claim"
RETRY = "retry"
CONFLICT = "conflict"


class LedgerError(ValueError):
    """An entry or a change of one that the ledger's rules do not allow."""


@dataclass(frozen=True)
class Entry:
    """One copy as the ledger records it. ``backup_time`` is the time in the copy's
    name (the backup's start); ``requested_at`` when StartRestore asked for it."""

    copy: str
    source_table: str
    source_table_arn: str
    recovery_point_arn: str
    job_id: str
    execution: str
    backup_time: datetime
    state: str
    requested_at: datetime
    updated_at: datetime
    table_id: str | None = None
    restore_job_id: str | None = None
    expires_at: datetime | None = None
    # pass: CheckPass's figures (items, bytes, masked, ...), as (name, number) pairs
    pass_figures: tuple[tuple[str, int], ...] | None = None

    def __post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            raise LedgerError(f"ledger entry {self.copy!r}: {'; '.join(problems)}")

    @property
    def classic(self) -> bool:
        """Restored by RestoreTableFromBackup (a DynamoDB backup), not AWS Backup."""
        return recovery_point_kind(self.recovery_point_arn) == "dynamodb"

    def to_item(self) -> dict[str, dict[str, Any]]:
        """The entry as a DynamoDB item (attribute values of the low-level API)."""
        item: dict[str, dict[str, Any]] = {
            "copy": {"S": self.copy},
            "source_table": {"S": self.source_table},
            "source_table_arn": {"S": self.source_table_arn},
            "recovery_point_arn": {"S": self.recovery_point_arn},
            "job_id": {"S": self.job_id},
            "execution": {"S": self.execution},
            "backup_time": {"S": format_time(self.backup_time)},
            "state": {"S": self.state},
            "requested_at": {"S": format_time(self.requested_at)},
            "updated_at": {"S": format_time(self.updated_at)},
        }
        if self.table_id is not None:
            item["table_id"] = {"S": self.table_id}
        if self.restore_job_id is not None:
            item["restore_job_id"] = {"S": self.restore_job_id}
        if self.expires_at is not None:
            item["expires_at"] = {"N": str(int(self.expires_at.timestamp()))}
        if self.pass_figures is not None:
            item["pass"] = {"M": {name: {"N": str(number)} for name, number in self.pass_figures}}
        return item

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> Entry:
        """Read an item back; ``LedgerError`` says which attribute is wrong."""
        if not isinstance(item, Mapping):
            raise LedgerError(f"expected a ledger item as an object, got {type(item).__name__}")
        copy = _string(item, "copy", "?")
        times = {
            name: _time(item, name, copy) for name in ("backup_time", "requested_at", "updated_at")
        }
        expires = item.get("expires_at")
        expires_at = None
        if expires is not None:
            number = expires.get("N") if isinstance(expires, Mapping) else None
            if not isinstance(number, str) or not number.isdigit():
                raise LedgerError(
                    f"ledger entry {copy!r}: attribute 'expires_at' is {expires!r}; expected "
                    "a number of seconds since the epoch ({'N': '...'})"
                )
            expires_at = datetime.fromtimestamp(int(number), UTC)
        return cls(
            pass_figures=_figures(item.get("pass"), copy),
            copy=copy,
            source_table=_string(item, "source_table", copy),
            source_table_arn=_string(item, "source_table_arn", copy),
            recovery_point_arn=_string(item, "recovery_point_arn", copy),
            job_id=_string(item, "job_id", copy),
            execution=_string(item, "execution", copy),
            state=_string(item, "state", copy),
            table_id=_optional_string(item, "table_id", copy),
            restore_job_id=_optional_string(item, "restore_job_id", copy),
            expires_at=expires_at,
            **times,
        )

    def moved_to(self, state: str, now: datetime, **changes: Any) -> Entry:
        """This entry in ``state`` at ``now`` (with ``changes`` to its other fields);
        ``LedgerError`` if the rules do not allow the move. A deleted entry gets its
        ``expires_at``."""
        check_transition(self.copy, self.state, state)
        if state == DELETED and "expires_at" not in changes:
            changes["expires_at"] = now + DELETED_KEPT_FOR
        return replace(self, state=state, updated_at=now, **changes)


def _problems(entry: Entry) -> list[str]:
    problems: list[str] = []
    if not TABLE_NAME_RULE.fullmatch(entry.copy):
        problems.append("copy is not a DynamoDB table name (3 to 255 of a-z A-Z 0-9 _ . -)")
    elif split_copy_name(entry.copy) is None:
        problems.append("copy does not end in a -YYYYMMDD-HH-MM-SS time, as every copy's name does")
    arn = parse_table_arn(entry.source_table_arn)
    if arn is None or arn.table != entry.source_table:
        problems.append(
            f"source_table_arn {entry.source_table_arn!r} is not the DynamoDB ARN of "
            f"source_table {entry.source_table!r}"
        )
    if recovery_point_kind(entry.recovery_point_arn) is None:
        problems.append(
            f"recovery_point_arn {entry.recovery_point_arn!r} is neither a DynamoDB backup "
            "nor an AWS Backup recovery point ARN"
        )
    for name in ("job_id", "execution"):
        if not getattr(entry, name):
            problems.append(f"{name} is empty")
    if entry.state not in STATES:
        problems.append(f"state is {entry.state!r}; expected one of {', '.join(STATES)}")
    for name in ("backup_time", "requested_at", "updated_at", "expires_at"):
        moment = getattr(entry, name)
        if moment is not None and moment.tzinfo is None:
            problems.append(f"{name} has no time zone; expected an aware datetime")
    parts = split_copy_name(entry.copy)
    if parts is not None and entry.backup_time.tzinfo is not None and parts[1] != entry.backup_time:
        problems.append(
            f"backup_time {format_time(entry.backup_time)} is not the time in the copy's "
            f"name ({format_time(parts[1])})"
        )
    for name in ("table_id", "restore_job_id"):
        if getattr(entry, name) == "":
            problems.append(f"{name} is empty; expected an id or None")
    return problems


def _figures(value: Any, copy: str) -> tuple[tuple[str, int], ...] | None:
    """The ``pass`` attribute: a map of whole numbers (``None``: not recorded)."""
    if value is None:
        return None
    figures = value.get("M") if isinstance(value, Mapping) else None
    numbers = (
        {name: number.get("N") for name, number in figures.items() if isinstance(number, Mapping)}
        if isinstance(figures, Mapping)
        else {}
    )
    if (
        not isinstance(figures, Mapping)
        or len(numbers) != len(figures)
        or not all(isinstance(text, str) and text.isdigit() for text in numbers.values())
    ):
        raise LedgerError(
            f"ledger entry {copy!r}: attribute 'pass' is {value!r}; expected a map of whole "
            "numbers ({'M': {'items': {'N': '...'}, ...}})"
        )
    return tuple(sorted((name, int(str(text))) for name, text in numbers.items()))


def _optional_string(item: Mapping[str, Any], name: str, copy: str) -> str | None:
    return None if item.get(name) is None else _string(item, name, copy)


def _string(item: Mapping[str, Any], name: str, copy: str) -> str:
    value = item.get(name)
    text = value.get("S") if isinstance(value, Mapping) else None
    if not isinstance(text, str):
        raise LedgerError(
            f"ledger entry {copy!r}: attribute {name!r} is {value!r}; expected a string "
            "({'S': '...'})"
        )
    return text


def _time(item: Mapping[str, Any], name: str, copy: str) -> datetime:
    text = _string(item, name, copy)
    try:
        return parse_time(text)
    except ValueError as err:
        raise LedgerError(f"ledger entry {copy!r}: attribute {name!r}: {err}") from None


def check_transition(copy: str, old: str, new: str) -> None:
    """Raise ``LedgerError`` unless an entry in state ``old`` may move to ``new``."""
    if new not in STATES:
        raise LedgerError(
            f"ledger entry {copy!r}: {new!r} is not a state; expected one of {STATES}"
        )
    if old == new and old != DELETED:
        return
    if new not in TRANSITIONS.get(old, frozenset()):
        allowed = ", ".join(sorted(TRANSITIONS.get(old, frozenset()))) or "none (it is final)"
        raise LedgerError(
            f"ledger entry {copy!r} is {old}; it cannot become {new} (allowed from {old}: "
            f"{allowed})"
        )


@dataclass(frozen=True)
class Claim:
    """StartRestore's decision for a copy name: ``verdict`` is CLAIM, RETRY or
    CONFLICT, ``message`` the sentence for the log or the error."""

    verdict: str
    message: str


def claim_verdict(existing: Entry | None, recovery_point_arn: str, job_id: str) -> Claim:
    """Whether StartRestore of ``recovery_point_arn`` (backup job ``job_id``) may use the
    copy name whose ledger entry is ``existing`` (``None``: no entry)."""
    if existing is None:
        return Claim(CLAIM, "the ledger has no entry for this name; claimed")
    if existing.state == DELETED:
        return Claim(
            CONFLICT,
            f"the ledger records {existing.copy} as deleted (job {existing.job_id}); a "
            "copy name is used once",
        )
    if existing.recovery_point_arn == recovery_point_arn:
        # The same recovery point gives the same name (StartRestore has held the input
        # to AWS's records), so this is a retry or a re-run of its rotation, whatever
        # job id started it (a manual re-run names its own): adoption still takes the
        # table the ledger shows the rotator made (``ownership``).
        return Claim(
            RETRY,
            f"the ledger entry of {existing.copy} is this recovery point's (job "
            f"{existing.job_id}, now {job_id}); a retry or re-run",
        )
    return Claim(
        CONFLICT,
        f"the ledger entry of {existing.copy} belongs to backup job {existing.job_id} of "
        f"{existing.recovery_point_arn} (execution {existing.execution}), not job {job_id} "
        f"of {recovery_point_arn}",
    )


@dataclass(frozen=True)
class Ownership:
    """Whether a table is the entry's copy; ``record_table_id``: the TableId to record
    (the first match of an entry that had none), else ``None``."""

    owned: bool
    message: str
    record_table_id: str | None = None


def ownership(
    entry: Entry | None,
    table: Mapping[str, Any] | None,
    restore_job: Mapping[str, Any] | None = None,
) -> Ownership:
    """Whether ``table`` (DescribeTable's ``Table``; ``None``: no such table) is the
    rotator's copy as ``entry`` records it (``None``: no entry). ``restore_job`` is
    DescribeRestoreJob's answer for the entry's restore job, needed only for an AWS
    Backup entry without a ``table_id``."""
    if table is None:
        return Ownership(False, "there is no such table")
    name = str(table.get("TableName"))
    if entry is None:
        return Ownership(False, f"{name} is not in the ledger: not the rotator's copy")
    if entry.copy != name:
        return Ownership(False, f"{name} is not the table of the ledger entry {entry.copy}")
    if entry.state == DELETED:
        return Ownership(False, f"the ledger records {name} as deleted: not the rotator's copy")
    table_id = table.get("TableId")
    if not isinstance(table_id, str) or not table_id:
        return Ownership(False, f"{name} has no TableId to compare with the ledger's")
    if entry.table_id is not None:
        if table_id == entry.table_id:
            return Ownership(True, f"{name} is the table the ledger recorded ({table_id})")
        return Ownership(
            False,
            f"{name} has TableId {table_id}, not the ledger's {entry.table_id}: another "
            "table under the copy's name",
        )
    if entry.classic:
        return _classic_first_match(entry, table, name, table_id)
    return _restore_job_first_match(entry, table, name, table_id, restore_job)


def _classic_first_match(
    entry: Entry, table: Mapping[str, Any], name: str, table_id: str
) -> Ownership:
    source = (table.get("RestoreSummary") or {}).get("SourceBackupArn")
    if source != entry.recovery_point_arn:
        return Ownership(
            False,
            f"{name} was restored from {source or 'no backup'}, not the ledger's "
            f"{entry.recovery_point_arn}",
        )
    created = table.get("CreationDateTime")
    if not isinstance(created, datetime) or created.tzinfo is None:
        return Ownership(False, f"{name} has no CreationDateTime to compare with the ledger's")
    if created < entry.requested_at:
        return Ownership(
            False,
            f"{name} was created at {format_time(created)}, before the rotator asked for it "
            f"({format_time(entry.requested_at)}): someone else's restore",
        )
    if created > entry.requested_at + REQUEST_WINDOW:
        return Ownership(
            False,
            f"{name} was created at {format_time(created)}, more than {REQUEST_WINDOW} after "
            f"the rotator asked for it ({format_time(entry.requested_at)}): not its restore",
        )
    return Ownership(
        True, f"{name} was restored from the ledger's backup when it was asked for", table_id
    )


def _restore_job_first_match(
    entry: Entry,
    table: Mapping[str, Any],
    name: str,
    table_id: str,
    restore_job: Mapping[str, Any] | None,
) -> Ownership:
    if entry.restore_job_id is None:
        return Ownership(False, f"the ledger entry of {name} has no restore job yet")
    if restore_job is None or restore_job.get("RestoreJobId") != entry.restore_job_id:
        return Ownership(
            False, f"restore job {entry.restore_job_id} was not described; cannot match {name}"
        )
    created = restore_job.get("CreatedResourceArn")
    if created != table.get("TableArn"):
        return Ownership(
            False,
            f"restore job {entry.restore_job_id} created {created or 'nothing yet'}, not "
            f"{table.get('TableArn')}",
        )
    completed = restore_job.get("CompletionDate")
    made = table.get("CreationDateTime")
    if isinstance(completed, datetime) and isinstance(made, datetime) and made > completed:
        return Ownership(
            False,
            f"{name} was created at {format_time(made)}, after restore job "
            f"{entry.restore_job_id} completed ({format_time(completed)}): another table",
        )
    return Ownership(True, f"{name} is what restore job {entry.restore_job_id} created", table_id)


def stale(entry: Entry, now: datetime, restore_timeout: timedelta) -> bool:
    """Whether ``entry`` is an unpublished copy of a rotation that is over (requested
    more than ``restore_timeout`` + ``STALE_GRACE`` before ``now``)."""
    return entry.state in UNPUBLISHED and now - entry.requested_at > restore_timeout + STALE_GRACE


def new_entry(
    *,
    copy: str,
    source_table_arn: str,
    recovery_point_arn: str,
    job_id: str,
    execution: str,
    now: datetime,
) -> Entry:
    """The entry StartRestore claims a copy name with (state ``restoring``)."""
    arn = parse_table_arn(source_table_arn)
    parts = split_copy_name(copy)
    if arn is None or parts is None:
        raise LedgerError(
            f"copy {copy!r} of {source_table_arn!r}: expected a copy name ending in "
            "-YYYYMMDD-HH-MM-SS and a DynamoDB table ARN"
        )
    return Entry(
        copy=copy,
        source_table=arn.table,
        source_table_arn=source_table_arn,
        recovery_point_arn=recovery_point_arn,
        job_id=job_id,
        execution=execution,
        backup_time=parts[1],
        state=RESTORING,
        requested_at=now,
        updated_at=now,
    )
