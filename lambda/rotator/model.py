"""The facts about one finished backup that a rotation is built from.

``BackupJob`` travels as the Step Functions execution input (``{"backup": {...}}``), so
it converts to and from plain JSON and validates what it reads back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

# arn:<partition>:dynamodb:<region>:<account>:table/<name>
TABLE_ARN = re.compile(
    r"arn:(?P<partition>aws(?:-[a-z]+)*):dynamodb:(?P<region>[a-z0-9-]+):"
    r"(?P<account>[0-9]{12}):table/(?P<table>[A-Za-z0-9_.\-]{1,255})"
)
# arn:<partition>:dynamodb:...:table/<name>/backup/<id>: a classic DynamoDB backup
DYNAMODB_BACKUP_ARN = re.compile(TABLE_ARN.pattern + r"/backup/[A-Za-z0-9_.\-]+")
# arn:<partition>:backup:<region>:<account>:recovery-point:<id>: AWS Backup advanced
BACKUP_RECOVERY_POINT_ARN = re.compile(
    r"arn:aws(?:-[a-z]+)*:backup:[a-z0-9-]+:[0-9]{12}:recovery-point:[A-Za-z0-9_.\-]+"
)

CLASSIC = "dynamodb"
ADVANCED = "backup"

# The kinds of AWS Backup job a rotation restores the recovery point of.
BACKUP_JOB = "backup"
COPY_JOB = "copy"
JOB_TYPES = (BACKUP_JOB, COPY_JOB)


class InvalidBackupJob(ValueError):
    """The facts given for a backup job are missing or malformed."""


@dataclass(frozen=True)
class TableArn:
    partition: str
    region: str
    account_id: str
    table: str


def parse_table_arn(arn: str) -> TableArn | None:
    match = TABLE_ARN.fullmatch(arn)
    if match is None:
        return None
    return TableArn(match["partition"], match["region"], match["account"], match["table"])


def recovery_point_kind(arn: str) -> str | None:
    """``"dynamodb"`` for a classic backup ARN, ``"backup"`` for an AWS Backup
    (advanced) recovery point, ``None`` for anything else."""
    if DYNAMODB_BACKUP_ARN.fullmatch(arn):
        return CLASSIC
    if BACKUP_RECOVERY_POINT_ARN.fullmatch(arn):
        return ADVANCED
    return None


@dataclass(frozen=True)
class ArnLocation:
    partition: str
    region: str
    account_id: str


_ARN_LOCATION = re.compile(r"arn:(aws(?:-[a-z]+)*):[a-z0-9-]+:([a-z0-9-]+):([0-9]{12}):.+")


def arn_location(arn: str) -> ArnLocation | None:
    """Partition, Region and account of a regional ARN, or ``None``."""
    match = _ARN_LOCATION.fullmatch(arn)
    return ArnLocation(*match.groups()) if match else None


def is_text(value: str) -> bool:
    """Whether ``value`` can be sent to AWS (UTF-8; JSON may carry lone surrogates)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def format_time(moment: datetime) -> str:
    """RFC 3339 in UTC with a ``Z``, seconds precision kept as given."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


# RFC 3339 date-time: full date, "T", full time with seconds, optional fraction, and
# "Z" or a numeric offset. Python's fromisoformat accepts more of ISO 8601 (it reads
# "2019-09-18T11Z" as 11:00:00), so the shape is checked first.
_RFC3339 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:[Zz]|[+-][0-9]{2}:[0-9]{2})"
)


def parse_time(text: str) -> datetime:
    """Parse RFC 3339 (``Z`` or offset, with or without fractions) to an aware datetime.

    Raises ``ValueError`` with the text when it is not such a time.
    """
    cleaned = text.strip()
    if not _RFC3339.fullmatch(cleaned):
        raise ValueError(f"{text!r} is not an RFC 3339 time such as 2024-08-27T09:20:00Z")
    if cleaned.endswith(("Z", "z")):
        cleaned = cleaned[:-1] + "+00:00"
    # Python 3.11's fromisoformat accepts any number of fraction digits only up to 6.
    cleaned = re.sub(r"(\.[0-9]{6})[0-9]+", r"\1", cleaned)
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        raise ValueError(f"{text!r} is not an RFC 3339 time such as 2024-08-27T09:20:00Z") from None
    try:
        return moment.astimezone(UTC)  # the shape above guarantees a zone
    except OverflowError:
        raise ValueError(f"{text!r} is out of range once moved to UTC") from None


@dataclass(frozen=True)
class BackupJob:
    """A completed AWS Backup job of a DynamoDB table: a backup job, or a copy job
    whose ``recovery_point_arn`` is the copy (in this account and Region) and whose
    ``source_table_arn`` is the table the original backup was taken of.

    ``started_at`` names the copy: a backup job's start (SNS ``StartTime``, or its
    ``CreationDate``); for a copy, its recovery point's ``CreationDate``, which AWS
    Backup keeps from the source recovery point.
    """

    job_id: str
    recovery_point_arn: str
    source_table_arn: str
    started_at: datetime
    job_type: str = BACKUP_JOB
    # The AWS Backup vault that holds the recovery point, as AWS Backup's record of the
    # job names it: where StartRestore looks the recovery point up (DescribeRecoveryPoint).
    vault_name: str | None = None

    def __post_init__(self) -> None:
        if not self.job_id.strip():
            raise InvalidBackupJob("backup job id is empty")
        if not is_text(self.job_id):
            raise InvalidBackupJob(f"backup job id {self.job_id!r} is not valid Unicode text")
        if parse_table_arn(self.source_table_arn) is None:
            raise InvalidBackupJob(
                f"source table ARN {self.source_table_arn!r} is not a DynamoDB table "
                "ARN (arn:<partition>:dynamodb:<region>:<account>:table/<name>)"
            )
        if recovery_point_kind(self.recovery_point_arn) is None:
            raise InvalidBackupJob(
                f"recovery point ARN {self.recovery_point_arn!r} is neither a DynamoDB "
                "backup (arn:...:dynamodb:...:table/<name>/backup/<id>) nor an AWS "
                "Backup recovery point (arn:...:backup:...:recovery-point:<id>)"
            )
        if self.started_at.tzinfo is None:
            raise InvalidBackupJob("started_at must carry a time zone")
        if self.job_type not in JOB_TYPES:
            raise InvalidBackupJob(
                f"job_type is {self.job_type!r}; expected one of {', '.join(JOB_TYPES)}"
            )
        if self.vault_name is not None and not (
            self.vault_name.strip() and is_text(self.vault_name)
        ):
            raise InvalidBackupJob(
                f"vault_name is {self.vault_name!r}; expected a backup vault's name or no field"
            )

    @property
    def table(self) -> TableArn:
        parsed = parse_table_arn(self.source_table_arn)
        assert parsed is not None  # checked in __post_init__
        return parsed

    @property
    def source_table(self) -> str:
        return self.table.table

    @property
    def recovery_point_kind(self) -> str:
        kind = recovery_point_kind(self.recovery_point_arn)
        assert kind is not None  # checked in __post_init__
        return kind

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["started_at"] = format_time(self.started_at)
        data["source_table"] = self.source_table
        data["recovery_point_kind"] = self.recovery_point_kind
        if self.vault_name is None:
            del data["vault_name"]
        return data

    @classmethod
    def from_dict(cls, data: Any) -> BackupJob:
        """Read back ``to_dict`` output; ``InvalidBackupJob`` says what is wrong."""
        if not isinstance(data, Mapping):
            raise InvalidBackupJob(
                f"expected the backup job as an object, got {type(data).__name__}"
            )
        fields = ("job_id", "recovery_point_arn", "source_table_arn", "started_at")
        missing = [f for f in fields if not isinstance(data.get(f), str)]
        if missing:
            raise InvalidBackupJob(
                f"backup job is missing string field(s) {', '.join(missing)}; "
                f"expected {', '.join(fields)}"
            )
        try:
            started_at = parse_time(data["started_at"])
        except ValueError as err:
            raise InvalidBackupJob(f"backup job started_at: {err}") from None
        job_type = data.get("job_type", BACKUP_JOB)
        if not isinstance(job_type, str):
            raise InvalidBackupJob(
                f"backup job job_type: expected a string, got {type(job_type).__name__}"
            )
        vault_name = data.get("vault_name")
        if vault_name is not None and not isinstance(vault_name, str):
            raise InvalidBackupJob(
                f"backup job vault_name: expected a string, got {type(vault_name).__name__}"
            )
        return cls(
            job_id=data["job_id"],
            recovery_point_arn=data["recovery_point_arn"],
            source_table_arn=data["source_table_arn"],
            started_at=started_at,
            job_type=job_type,
            vault_name=vault_name,
        )


@dataclass(frozen=True)
class RestoreState:
    """The facts of a rotation's restore, written once by StartRestore at ``$.restore``
    and only read by the steps after it (each of which writes its own path)."""

    kind: str
    target_table_name: str
    target_table_arn: str
    started_at: datetime
    deadline: datetime
    restore_job_id: str | None = None  # AWS Backup's, for an advanced recovery point

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["started_at"] = format_time(self.started_at)
        data["deadline"] = format_time(self.deadline)
        if self.restore_job_id is None:
            del data["restore_job_id"]
        return data

    @classmethod
    def from_dict(cls, data: Any) -> RestoreState:
        """Read back ``to_dict`` output; ``ValueError`` names the field that is wrong.

        Fields this version does not know are ignored, so a state written by a newer
        step still reads."""
        if not isinstance(data, Mapping):
            raise ValueError(f"expected the restore state as an object, got {type(data).__name__}")

        def text(name: str) -> str:
            if name not in data:
                raise ValueError(f"restore state has no {name!r} field")
            value = data[name]
            if not isinstance(value, str):
                raise ValueError(
                    f"restore state field {name!r}: expected a string, got {type(value).__name__}"
                )
            return value

        def moment(name: str) -> datetime:
            try:
                return parse_time(text(name))
            except ValueError as err:
                if str(err).startswith("restore state"):
                    raise
                raise ValueError(f"restore state field {name!r}: {err}") from None

        return cls(
            kind=text("kind"),
            target_table_name=text("target_table_name"),
            target_table_arn=text("target_table_arn"),
            started_at=moment("started_at"),
            deadline=moment("deadline"),
            restore_job_id=text("restore_job_id") if "restore_job_id" in data else None,
        )
