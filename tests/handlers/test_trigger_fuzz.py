"""Fuzzing the trigger with malformed, truncated, wrongly typed and hostile events.

Every event starts from one AWS Backup sends (``tests/emulator/events.py``: SNS backup
and copy notifications, EventBridge Backup and Copy Job State Change) and is then bent:
keys deleted, values replaced by other JSON types, strings truncated, swollen, turned
into unicode, ARNs moved to other services, accounts, Regions and partitions, garbage
nested in, records replaced by things that are not records. Some events are left
intact, or changed only where the trigger does not read, and must still rotate.

Properties:

- reading never raises, and the trigger never raises (no AWS error is transient here);
- an execution is started only for a completed DynamoDB job the event (or, for what
  it lacks, AWS Backup) vouches for, with its recovery point in this account and
  Region and its table matching SOURCE_PATTERN; ``announced_by`` below is that
  specification, written independently of the sources;
- each intact job starts exactly one execution, named after the job;
- everything that starts nothing leaves one log line saying why (``action`` skipped
  or rejected, with a ``reason``), and nothing is "unreadable".

Not generated: lone surrogates (``json.loads`` makes one of ``"\\ud800"``). A job id
holding one still makes the trigger raise, outside the sources: ``execution_name``
hashes its UTF-8 and botocore cannot encode it into DescribeBackupJob's path.

The pure path (``read_event`` and ``lookups`` against a fake AWS Backup that answers
for the same jobs) runs thousands of examples; the whole handler runs a few hundred
through one emulator, a fresh state machine per example. Examples are derandomized, so
CI sees the same ones on every run.
"""

from __future__ import annotations

import copy
import itertools
import json
import logging
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import event as statistic
from hypothesis import strategies as st

from rotator.model import BACKUP_JOB, COPY_JOB, ArnLocation, BackupJob, format_time
from rotator.naming import execution_name
from rotator.sources import lookups, read_event
from rotator.sources.claims import Found, Ignored, Pending
from tests.emulator.events import (
    backup_completed,
    backup_job_event,
    copy_completed,
    copy_job_event,
)
from tests.emulator.harness import Emulator, Settings, vault_arn
from tests.fuzzing import examples

ACCOUNT = "123456789012"
REGION = "us-east-1"
OTHER_ACCOUNT = "210987654321"
HERE = ArnLocation("aws", REGION, ACCOUNT)
PATTERN = re.compile(r"(?i)-production$")  # the module's default source_pattern

FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# -- the jobs AWS Backup knows ---------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    vault_name: str
    table: str
    created: datetime


@dataclass(frozen=True)
class Job:
    job_id: str
    table: str
    point: str
    vault_arn: str
    created: datetime


@dataclass(frozen=True)
class World:
    """The backup jobs, the copy job and the recovery points AWS Backup answers for."""

    orders: Job  # advanced recovery point; its table matches the pattern
    users: Job  # classic DynamoDB backup; matches the pattern
    staging: Job  # a table the pattern does not match
    copy: Job  # a copy of ``orders`` into another vault of this account

    @property
    def backup_jobs(self) -> dict[str, Job]:
        return {job.job_id: job for job in (self.orders, self.users, self.staging)}

    @property
    def points(self) -> dict[str, Point]:
        return {
            job.point: Point(job.vault_arn.rsplit(":", 1)[-1], job.table, job.created)
            for job in (self.orders, self.users, self.staging, self.copy)
        }


def table_arn(name: str, account: str = ACCOUNT) -> str:
    return f"arn:aws:dynamodb:{REGION}:{account}:table/{name}"


CREATED = datetime(2024, 8, 27, 9, 40, tzinfo=UTC)
ORDERS = table_arn("Orders-Production")
PURE_WORLD = World(
    orders=Job(
        "7B1E3A42-9D5C-4F3E-8C1D-2E4F6A8B0C1D",
        ORDERS,
        f"arn:aws:backup:{REGION}:{ACCOUNT}:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45",
        vault_arn("Default"),
        CREATED,
    ),
    users=Job(
        "job-users",
        table_arn("Users.v2-Production"),
        table_arn("Users.v2-Production") + "/backup/01724751600000-b2c3d4e5",
        vault_arn("Default"),
        CREATED,
    ),
    staging=Job(
        "job-staging",
        table_arn("Orders-Staging"),
        f"arn:aws:backup:{REGION}:{ACCOUNT}:recovery-point:5A6B7C8D",
        vault_arn("Default"),
        CREATED,
    ),
    copy=Job(
        "C0FFEE00-1111-4222-8333-444455556666",
        ORDERS,
        f"arn:aws:backup:{REGION}:{ACCOUNT}:recovery-point:C0C0C0C0-0000-4000-8000-000000000000",
        vault_arn("staging-copies"),
        CREATED,  # a copy keeps its source's creation date
    ),
)


# -- valid events and what each should start ---------------------------------------------------


@dataclass(frozen=True)
class Template:
    """A realistic event (or SNS record) and the job it announces; ``irrelevant`` are
    the paths (from its root) the trigger does not read, where any change must leave
    the job intact."""

    name: str
    build: Callable[[World], dict[str, Any]]
    expected: Callable[[World], BackupJob]
    irrelevant: tuple[tuple[str | int, ...], ...]


_SNS_RECORD_IRRELEVANT: tuple[tuple[str | int, ...], ...] = (
    ("EventSource",),
    ("EventVersion",),
    ("EventSubscriptionArn",),
    ("Sns", "Type"),
    ("Sns", "MessageId"),
    ("Sns", "TopicArn"),
    ("Sns", "Subject"),
    ("Sns", "Timestamp"),
    ("Sns", "SignatureVersion"),
    ("Sns", "Signature"),
    ("Sns", "SigningCertUrl"),
    ("Sns", "UnsubscribeUrl"),
    ("Sns", "MessageAttributes", "AccountId"),
    ("Sns", "MessageAttributes", "EventType", "Type"),
    ("Sns", "MessageAttributes", "State", "Type"),
    ("Sns", "MessageAttributes", "Id", "Type"),
)
_EVENTBRIDGE_IRRELEVANT: tuple[tuple[str | int, ...], ...] = (
    ("version",),
    ("id",),
    ("account",),
    ("time",),
    ("region",),
    ("detail", "backupSizeInBytes"),
    ("detail", "bytesTransferred"),
    ("detail", "percentDone"),
    ("detail", "iamRoleArn"),
    ("detail", "statusMessage"),
    ("detail", "startBy"),
    ("detail", "completionDate"),
    ("detail", "createdBy"),
    ("detail", "backupVaultName"),
    ("detail", "backupVaultArn"),
    ("detail", "sourceBackupVaultArn"),
)


def _sns_backup(job: Callable[[World], Job], wording: str) -> Template:
    return Template(
        f"sns-backup-{wording}",
        lambda w: backup_completed(
            job(w).point,
            job(w).table,
            job(w).job_id,
            start_time=format_time(job(w).created),
            wording=wording,
        ),
        lambda w: BackupJob(
            job(w).job_id, job(w).point, job(w).table, job(w).created, vault_name="Default"
        ),
        (*_SNS_RECORD_IRRELEVANT, ("Sns", "MessageAttributes", "StartTime", "Type")),
    )


SNS_RECORDS = (
    _sns_backup(lambda w: w.orders, "traffic"),
    _sns_backup(lambda w: w.users, "docs"),
    _sns_backup(lambda w: w.staging, "traffic"),
    Template(
        "sns-copy",
        lambda w: copy_completed(w.copy.job_id),
        lambda w: BackupJob(
            w.copy.job_id, w.copy.point, w.copy.table, w.copy.created, COPY_JOB, "staging-copies"
        ),
        # a copy is read from its attributes alone
        (*_SNS_RECORD_IRRELEVANT, ("Sns", "Message"), ("Sns", "MessageAttributes", "StartTime")),
    ),
)
EVENTBRIDGE_EVENTS = (
    Template(
        "eventbridge-backup-console-dates",  # as documented: DescribeBackupJob is asked
        lambda w: backup_job_event(w.orders.job_id, w.orders.table, w.orders.point),
        lambda w: BackupJob(
            w.orders.job_id, w.orders.point, w.orders.table, w.orders.created, vault_name="Default"
        ),
        _EVENTBRIDGE_IRRELEVANT,
    ),
    Template(
        "eventbridge-backup-rfc3339",  # complete, and still checked against the record
        lambda w: backup_job_event(
            w.users.job_id, w.users.table, w.users.point, creation_date=format_time(w.users.created)
        ),
        lambda w: BackupJob(
            w.users.job_id, w.users.point, w.users.table, w.users.created, vault_name="Default"
        ),
        _EVENTBRIDGE_IRRELEVANT,
    ),
    Template(
        "eventbridge-copy",  # DescribeRecoveryPoint of the copy
        lambda w: copy_job_event(
            w.copy.job_id, w.copy.table, w.orders.point, w.copy.point, w.copy.vault_arn
        ),
        lambda w: BackupJob(
            w.copy.job_id, w.copy.point, w.copy.table, w.copy.created, COPY_JOB, "staging-copies"
        ),
        (*_EVENTBRIDGE_IRRELEVANT, ("resources",), ("detail", "creationDate")),
    ),
)


# -- hostile values ----------------------------------------------------------------------------

HUGE = "A" * 100_000
GENERIC_STRINGS = (
    "",
    " ",
    "\n",
    "\x00",
    "null",
    "[]",
    "{}",
    "😀" * 50,
    HUGE,
)
WORDS = (
    "COMPLETED",
    "completed",
    " COMPLETED ",
    "COMPLETED\x00",
    "ＣＯＭＰＬＥＴＥＤ",  # fullwidth
    "SUCCESSFUL",
    "FAILED",
    "RUNNING",
    "EXPIRED",
    "BACKUP_JOB",
    "COPY_JOB",
    "RESTORE_JOB",
    "DynamoDB",
    "DynamoDB\u200b",  # zero-width space
    "dynamodb",
    "RDS",
    "\u202eBOJ_PUKCAB",  # right-to-left override
    "aws.backup",
    "aws.backupx",
    "Backup Job State Change",
    "Copy Job State Change",
    "Restore Job State Change",
    "Recovery Point State Change",
    "An AWS Backup job was completed successfully.",
    "An AWS Backup job failed.",
)
TIMES = (
    "2024-08-27T09:20:00Z",
    "2024-08-27T09:20:00.123456789Z",
    "2024-08-27T11:20:00+02:00",
    "2024-08-27t09:20:00z",
    "2019-09-18T11Z",
    "Jul 15, 2020 9:39:07 PM",
    "2024-02-30T00:00:00Z",
    "2024-08-27T24:00:00Z",
    "2024-08-27T09:20:00+23:59",
    "2024-08-27T09:20:00+24:00",
    "2024-08-27T09:20:00",
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00+01:00",  # out of range once in UTC
    "9999-12-31T23:59:59-01:00",
    "0000-01-01T00:00:00Z",
    "٢٠٢٤-٠٨-٢٧T09:20:00Z",  # Arabic-Indic digits
    "2024-08-27T09:20:00.١٢٣Z",
    "1724750400",
)
# ARNs of other services, accounts, Regions and partitions, and almost-ARNs
ARNS = (
    "arn:aws:s3:::bucket/key",
    f"arn:aws:rds:{REGION}:{ACCOUNT}:db:orders",
    f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/Orders-Production/stream/2024",
    table_arn("Orders-Production", OTHER_ACCOUNT),
    table_arn("Payments-Production"),
    table_arn("Orders-Staging"),
    table_arn("a" * 300),
    table_arn("Orders-Production", "١٢٣٤٥٦٧٨٩٠١٢"),
    f"arn:aws-cn:dynamodb:cn-north-1:{ACCOUNT}:table/Orders-Production",
    f"arn:aws-us-gov:dynamodb:us-gov-west-1:{ACCOUNT}:table/Orders-Production",
    f"arn:aws:dynamodb:eu-west-1:{ACCOUNT}:table/Orders-Production",
    f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/Orders-Production/backup/01724750400000-a1b2c3d4",
    f"arn:aws:dynamodb:{REGION}:{OTHER_ACCOUNT}:table/Orders-Production/backup/0-a",
    f"arn:aws:backup:{REGION}:{OTHER_ACCOUNT}:recovery-point:ABC",
    f"arn:aws:backup:eu-west-1:{ACCOUNT}:recovery-point:ABC",
    f"arn:aws-cn:backup:cn-north-1:{ACCOUNT}:recovery-point:ABC",
    f"arn:aws:backup:{REGION}:{ACCOUNT}:recovery-point:ABC",
    f"arn:aws:backup:{REGION}:{ACCOUNT}:recovery-point:" + "B" * 50_000,
    f"arn:aws:backup:{REGION}:{ACCOUNT}:backup-vault:Default",
    f"arn:aws:backup:{REGION}:{ACCOUNT}:backup-vault:staging-copies",
    f"arn:aws:backup:{REGION}:{OTHER_ACCOUNT}:backup-vault:dr",
    f"arn:aws:backup:{REGION}:{ACCOUNT}:backup-vault:",
    "arn:",
    "arn:aws:dynamodb:::table/",
)
HOSTILE_STRINGS = GENERIC_STRINGS + WORDS + TIMES + ARNS


def pick(values: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    """``sampled_from`` whose repr does not print a hundred thousand characters."""
    return st.integers(0, len(values) - 1).map(values.__getitem__)


def brief(value: Any) -> Any:
    """``value`` with long strings cut, for messages."""
    if isinstance(value, str) and len(value) > 120:
        return f"{value[:60]}…({len(value)} characters)"
    if isinstance(value, dict):
        return {brief(k): brief(v) for k, v in value.items()}
    if isinstance(value, list):
        return [brief(v) for v in value[:20]] + (["…"] if len(value) > 20 else [])
    return value


def _kin(text: str) -> tuple[str, ...]:
    """Hostile strings of the same kind as ``text``, to replace it with."""
    if text.startswith("arn:"):
        return ARNS
    if text[:1].isdigit():
        return TIMES
    return WORDS


# (old, new): substitutions that move an ARN or change a word inside longer text
SUBSTITUTIONS = (
    (ACCOUNT, OTHER_ACCOUNT),
    (ACCOUNT, "١٢٣٤٥٦٧٨٩٠١٢"),
    (REGION, "eu-west-1"),
    ("arn:aws:", "arn:aws-cn:"),
    ("arn:aws:", "arn:aws-us-gov:"),
    ("arn:aws:", "arn:"),
    (":dynamodb:", ":rds:"),
    (":backup:", ":s3:"),
    (":recovery-point:", ":recovery-points:"),
    ("/backup/", "/backups/"),
    ("table/", "table/x/"),
    ("-Production", "-Staging"),
    ("-Production", "-production"),
    ("Orders", "Ördérs"),
    ("COMPLETED", "FAILED"),
    ("COMPLETED", "completed"),
    ("completed successfully", "failed"),
    ("Recovery point ARN", "Recovery ARN"),
    ("Resource ARN", "Resource"),
    ("Backup Job Id", "Job"),
    (". ", " "),
    (" : ", ":"),
    (":", ""),
    ("-", "\u2010"),  # a hyphen that is not "-"
    ("1", "𝟏"),
    ("T", " "),
    ("Z", ""),
    ("Backup", "Restore"),
    ("DynamoDB", "DynamoDb"),
)
# ARNs moved: another account, Region or partition (or an account in other digits)
RELOCATIONS = (
    (f":{ACCOUNT}:", f":{OTHER_ACCOUNT}:"),
    (f":{ACCOUNT}:", ":١٢٣٤٥٦٧٨٩٠١٢:"),
    (f":{REGION}:", ":eu-west-1:"),
    ("arn:aws:", "arn:aws-cn:"),
    ("arn:aws:", "arn:aws-us-gov:"),
)
EXTRA_KEYS = (
    "Records",
    "detail-type",
    "source",
    "detail",
    "Sns",
    "state",
    "State",
    " State ",
    "STATE",
    "eventtype",
    "Id",
    "id",
    "recoveryPointArn",
    "destinationRecoveryPointArn",
    "resources",
    "MessageAttributes",
    "Message",
    "",
    "ünïcode",
    "x-extra",
)
# Keys the trigger reads nowhere, for changes that must leave a valid event valid.
INERT_KEYS = ("x-extra", "unrelated", "ünïcode", "Extra", "0")

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()  # NaN and infinities too: Python's json reads them
    | st.text(max_size=20)
    | pick(HOSTILE_STRINGS)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=8) | st.sampled_from(EXTRA_KEYS), inner, max_size=3)
    ),
    max_leaves=8,
)

Path = tuple[str | int, ...]


def paths_of(value: Any, prefix: Path = ()) -> Iterator[Path]:
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths_of(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from paths_of(child, (*prefix, index))


def node_at(value: Any, path: Path) -> Any:
    for step in path:
        value = value[step]
    return value


_DELETE = object()


def put(root: Any, path: Path, new: Any) -> Any:
    """``root`` with the node at ``path`` replaced by ``new`` (or deleted)."""
    if not path:
        return None if new is _DELETE else new
    parent = node_at(root, path[:-1])
    if new is _DELETE:
        del parent[path[-1]]
    else:
        parent[path[-1]] = new
    return root


@st.composite
def changed_value(draw: st.DrawFn, current: Any) -> Any:
    """What a node becomes: deleted, another JSON value, or a bent version of itself."""
    choices = ["delete", "json", "hostile", "wrap", "swell"]
    if isinstance(current, str):
        choices += [
            "kin",
            "kin",
            "truncate",
            "substitute",
            "substitute",
            "affix",
            "case",
            "unicode",
        ]
    if isinstance(current, dict):
        choices += ["add_key", "add_key"]
    if isinstance(current, list):
        choices += ["append", "empty", "reverse", "duplicate"]
    how = draw(st.sampled_from(choices))
    if how == "delete":
        return _DELETE
    if how == "json":
        return draw(json_values)
    if how == "hostile":
        return draw(pick(HOSTILE_STRINGS))
    if how == "kin":
        return draw(pick(_kin(current)))
    if how == "wrap":
        return draw(pick(([current], {"Value": current}, {"x": current}, [current, current])))
    if how == "swell":
        return draw(pick((HUGE, [current] * 100, {str(i): current for i in range(50)})))
    if how == "truncate":
        return current[: draw(st.integers(0, max(len(current) - 1, 0)))]
    if how == "substitute":
        old, new = draw(st.sampled_from(SUBSTITUTIONS))
        return current.replace(old, new, draw(st.sampled_from([1, -1])))
    if how == "affix":
        text = draw(pick((" ", "\n", "\t", ".", "x", "\u200b", "/", HUGE)))
        return draw(pick((text + current, current + text)))
    if how == "case":
        return draw(pick((current.upper(), current.lower(), current.swapcase())))
    if how == "unicode":
        return draw(st.text(min_size=1, max_size=30))
    if how == "add_key":
        return {**current, draw(st.sampled_from(EXTRA_KEYS)): draw(json_values)}
    if how == "append":
        extra = draw(json_values | pick(tuple(current) or (None,)))
        return [*current, copy.deepcopy(extra)]
    if how == "empty":
        return []
    if how == "reverse":
        return current[::-1]
    return [*current, *copy.deepcopy(current)]  # duplicate


@st.composite
def hostile(draw: st.DrawFn, value: Any, max_changes: int = 4) -> Any:
    """``value`` with one to ``max_changes`` changes anywhere in it."""
    value = copy.deepcopy(value)
    for _ in range(draw(st.integers(1, max_changes))):
        paths = list(paths_of(value))
        strings = [p for p in paths if isinstance(node_at(value, p), str)]
        among_strings = bool(strings) and draw(st.booleans())
        path = draw(st.sampled_from(strings if among_strings else paths))
        value = put(value, path, draw(changed_value(node_at(value, path))))
    return value


@st.composite
def bent_string(draw: st.DrawFn, current: str) -> str:
    """A string changed a little: one of its words or ARN parts swapped, another of
    its kind, cut short, padded, or in another case."""
    applicable = tuple((old, new) for old, new in SUBSTITUTIONS if old in current)
    moves = tuple((old, new) for old, new in RELOCATIONS if old in current)
    if moves and draw(st.integers(0, 2)) == 0:
        old, new = draw(st.sampled_from(moves))
        return current.replace(old, new, draw(st.sampled_from([1, -1])))
    how = draw(
        st.sampled_from(
            ["substitute"] * 3 * bool(applicable) + ["kin", "kin", "cut", "pad", "case"]
        )
    )
    if how == "substitute":
        old, new = draw(st.sampled_from(applicable))
        return current.replace(old, new, draw(st.sampled_from([1, -1])))
    if how == "kin":
        return str(draw(pick(_kin(current))))
    if how == "cut":
        return current[: draw(st.integers(0, max(len(current) - 1, 0)))]
    if how == "pad":
        return str(draw(pick((f" {current}", f"{current}\n", f"{current}.", f"{current}/x"))))
    return str(draw(pick((current.upper(), current.lower()))))


@st.composite
def near(draw: st.DrawFn, value: Any, irrelevant: tuple[Path, ...]) -> Any:
    """``value`` with one or two of the strings the trigger reads changed a little:
    events that are almost right, where a check that is too lenient shows."""
    value = copy.deepcopy(value)
    for _ in range(draw(st.integers(1, 2))):
        read = [
            p
            for p in paths_of(value)
            if isinstance(node_at(value, p), str) and not any(p[: len(i)] == i for i in irrelevant)
        ]
        if not read:
            break
        path = draw(st.sampled_from(read))
        value = put(value, path, draw(bent_string(node_at(value, path))))
    return value


@st.composite
def harmless(draw: st.DrawFn, value: Any, irrelevant: tuple[Path, ...]) -> Any:
    """``value`` changed only where the trigger does not read it."""
    value = copy.deepcopy(value)
    for _ in range(draw(st.integers(1, 3))):
        present = [p for p in irrelevant if _has(value, p)]
        containers = [p for p in paths_of(value) if isinstance(node_at(value, p), dict)]
        how = draw(st.sampled_from(["change", "change", "add"] if present else ["add"]))
        if how == "change":
            path = draw(st.sampled_from(present))
            value = put(value, path, draw(changed_value(node_at(value, path))))
        else:
            # a key nothing reads, in any object of the event except the attributes
            # (any attribute name counts there)
            where = draw(st.sampled_from([p for p in containers if "MessageAttributes" not in p]))
            node_at(value, where)[draw(st.sampled_from(INERT_KEYS))] = draw(json_values)
    return value


def _has(value: Any, path: Path) -> bool:
    try:
        node_at(value, path)
    except (KeyError, IndexError, TypeError):
        return False
    return True


# -- one generated case ------------------------------------------------------------------------


@dataclass
class Case:
    event: Any
    # the jobs that were left intact, and must rotate; by record for SNS
    intact: list[BackupJob | None] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"Case(event={brief(self.event)!r}, intact={self.intact!r})"


MODES = ("intact", "harmless", "near", "near", "hostile", "hostile")


def bend(draw: st.DrawFn, template: Template, value: Any, mode: str) -> Any:
    if mode == "harmless":
        return draw(harmless(value, template.irrelevant))
    if mode == "near":
        return draw(near(value, template.irrelevant))
    if mode == "hostile":
        return draw(hostile(value))
    return value


def kept(template: Template, world: World, mode: str) -> BackupJob | None:
    """The job a case must still rotate: only intact or harmlessly changed ones."""
    return template.expected(world) if mode in ("intact", "harmless") else None


@st.composite
def cases(draw: st.DrawFn, world: World) -> Case:
    if draw(st.booleans()):
        records: list[Any] = []
        intact: list[BackupJob | None] = []
        for _ in range(draw(st.integers(1, 3))):
            template = draw(st.sampled_from(SNS_RECORDS))
            mode = draw(st.sampled_from(MODES))
            records.append(bend(draw, template, template.build(world), mode))
            intact.append(kept(template, world, mode))
        event: Any = {"Records": records}
        if draw(st.integers(0, 9)) == 0:  # the event itself bent: nothing is promised
            return Case(draw(hostile(event)), [None] * len(records))
        return Case(event, intact)
    template = draw(st.sampled_from(EVENTBRIDGE_EVENTS))
    mode = draw(st.sampled_from(MODES))
    return Case(bend(draw, template, template.build(world), mode), [kept(template, world, mode)])


# -- the specification: what may start ----------------------------------------------------------

_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?"
    r"(?:([Zz])|([+-])([0-9]{2}):([0-9]{2}))"
)


def rfc3339(text: Any) -> datetime | None:
    """The instant an RFC 3339 date-time names (ASCII digits only), else None."""
    match = _TIME.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zulu, sign, oh, om = match.groups()
    try:
        offset = timedelta(hours=int(oh), minutes=int(om)) if not zulu else timedelta(0)
        zone = timezone(-offset if sign == "-" else offset)
        micro = int((fraction or "0")[:6].ljust(6, "0"))
        moment = datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), micro, zone
        )
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def _stripped(mapping: Any, key: str) -> str | None:
    value = mapping.get(key) if isinstance(mapping, dict) else None
    return value.strip() or None if isinstance(value, str) else None


def _attributes(sns: dict[str, Any]) -> dict[str, str]:
    raw = sns.get("MessageAttributes")
    found: dict[str, str] = {}
    for name, entry in raw.items() if isinstance(raw, dict) else ():
        value = entry.get("Value") if isinstance(entry, dict) else None
        if isinstance(value, str):
            found[name.strip().lower()] = value.strip()
    return found


def sns_vouches(job: BackupJob, record: Any, world: World) -> bool:
    sns = record.get("Sns") if isinstance(record, dict) else None
    if not isinstance(sns, dict):
        return False
    text = sns.get("Message")
    message = text if isinstance(text, str) else ""
    attributes = _attributes(sns)
    said = re.match(r"\s*An\s+AWS\s+Backup\s+job\b", message, re.IGNORECASE)
    event_type = attributes.get("eventtype", "BACKUP_JOB" if said else "").upper()
    if job.job_type == COPY_JOB:
        # AWS Backup's DescribeCopyJob and DescribeRecoveryPoint decide the facts
        return (
            event_type == "COPY_JOB"
            and attributes.get("state", "").upper() in {"COMPLETED", "SUCCESSFUL"}
            and attributes.get("id") == job.job_id == world.copy.job_id
            and (job.recovery_point_arn, job.source_table_arn, job.started_at)
            == (world.copy.point, world.copy.table, world.copy.created)
        )
    completed = (
        attributes["state"].upper() == "COMPLETED"
        if "state" in attributes
        else re.search(r"completed\s+successfully", message, re.IGNORECASE) is not None
    )
    job_id = attributes.get("id") or (job.job_id if job.job_id in message else None)
    return (
        event_type == "BACKUP_JOB"
        and completed
        and job_id == job.job_id
        and job.recovery_point_arn in message
        and job.source_table_arn in message
        and (
            not attributes.get("starttime")  # no claim: the record's time
            or _same_second(rfc3339(attributes["starttime"]), job.started_at)
        )
    )


def _same_second(said: datetime | None, recorded: datetime) -> bool:
    return said is not None and said.replace(microsecond=0) == recorded.replace(microsecond=0)


def eventbridge_vouches(job: BackupJob, event: Any, world: World) -> bool:
    detail = event.get("detail") if isinstance(event, dict) else None
    if not (
        isinstance(detail, dict)
        and event.get("source") == "aws.backup"
        and _stripped(detail, "state") == "COMPLETED"
        and _stripped(detail, "resourceType") == "DynamoDB"
    ):
        return False
    said_table = _stripped(detail, "resourceArn")
    if job.job_type == COPY_JOB:
        said_point = _stripped(detail, "destinationRecoveryPointArn")
        point = world.points.get(job.recovery_point_arn)
        return (
            event.get("detail-type") == "Copy Job State Change"
            and _stripped(detail, "copyJobId") == job.job_id
            and point is not None
            and job.started_at == point.created
            # the event's table, or AWS Backup's when the event has none
            and job.source_table_arn in {said_table or world.copy.table}
            and job.recovery_point_arn in {said_point or world.copy.point}
        )
    known = world.backup_jobs.get(job.job_id)
    resources = event.get("resources") if isinstance(event.get("resources"), list) else []
    return (
        event.get("detail-type") == "Backup Job State Change"
        and _stripped(detail, "backupJobId") == job.job_id
        and job.source_table_arn == (said_table or (known and known.table))
        and (
            job.recovery_point_arn in resources or (known and known.point) == job.recovery_point_arn
        )
        and (
            rfc3339(_stripped(detail, "creationDate")) is None
            or _same_second(rfc3339(_stripped(detail, "creationDate")), job.started_at)
        )
    )


def recorded(job: BackupJob, world: World) -> bool:
    """The oracle: ``job`` is what AWS Backup's record of its job id says, to the
    letter (recovery point, table, the time that names the copy, the job's kind)."""
    known = world.copy if job.job_type == COPY_JOB else world.backup_jobs.get(job.job_id)
    return (
        known is not None
        and known.job_id == job.job_id
        and (known.point, known.table, known.created)
        == (job.recovery_point_arn, job.source_table_arn, job.started_at)
    )


def announced_by(job: BackupJob, event: Any, world: World) -> bool:
    """Whether ``job`` is as AWS Backup records it and ``event`` announced it (no claim
    of the event contradicts the record)."""
    here = re.match(rf"arn:aws:(dynamodb|backup):{REGION}:{ACCOUNT}:", job.recovery_point_arn)
    if here is None or not recorded(job, world):
        return False
    if isinstance(event, dict) and "Records" in event:
        records = event["Records"] if isinstance(event["Records"], list) else []
        return any(sns_vouches(job, record, world) for record in records)
    return eventbridge_vouches(job, event, world)


def entries(event: Any) -> int:
    """How many outcomes an event has: one per SNS record, else one."""
    if isinstance(event, dict) and "Records" in event:
        records = event["Records"]
        return len(records) if isinstance(records, list) and records else 1
    return 1


# -- the pure path: read_event and lookups, AWS Backup faked ------------------------------------


class FakeBackup:
    """Answers DescribeBackupJob / DescribeCopyJob / DescribeRecoveryPoint as AWS
    Backup would for ``world`` (``None``: no such job, ResourceNotFoundException)."""

    def __init__(
        self, world: World, bend: Callable[[str, dict[str, Any]], dict[str, Any]] | None = None
    ) -> None:
        self.world = world
        self.bend = bend or (lambda call, answer: answer)
        self.answers: list[tuple[str, dict[str, Any]]] = []

    def describe(self, call: str, job: Pending) -> dict[str, Any] | None:
        answer = self._truth(call, job)
        if answer is not None:
            answer = self.bend(call, answer)
            self.answers.append((call, answer))
        return answer

    def _truth(self, call: str, job: Pending) -> dict[str, Any] | None:
        w = self.world
        if call == lookups.DESCRIBE_BACKUP_JOB:
            known = w.backup_jobs.get(job.job_id)
            if known is None:
                return None
            return {
                "BackupJobId": known.job_id,
                "BackupVaultName": known.vault_arn.rsplit(":", 1)[-1],
                "ResourceArn": known.table,
                "RecoveryPointArn": known.point,
                "ResourceType": "DynamoDB",
                "State": "COMPLETED",
                "CreationDate": known.created,
            }
        if call == lookups.DESCRIBE_COPY_JOB:
            if job.job_id != w.copy.job_id:
                return None
            return {
                "CopyJob": {
                    "CopyJobId": w.copy.job_id,
                    "ResourceArn": w.copy.table,
                    "SourceRecoveryPointArn": w.orders.point,
                    "DestinationRecoveryPointArn": w.copy.point,
                    "DestinationBackupVaultArn": w.copy.vault_arn,
                    "ResourceType": "DynamoDB",
                    "State": "COMPLETED",
                    "CreationDate": w.copy.created + timedelta(hours=1),
                }
            }
        point = w.points.get(job.recovery_point_arn or "")
        if point is None or point.vault_name != job.vault_name:
            return None
        return {
            "RecoveryPointArn": job.recovery_point_arn,
            "ResourceArn": point.table,
            "ResourceType": "DynamoDB",
            "Status": "COMPLETED",
            "CreationDate": point.created,
        }


_RESOLVE: dict[str, Callable[[Pending, Mapping[str, Any]], Found]] = {
    lookups.DESCRIBE_BACKUP_JOB: lookups.after_backup_job,
    lookups.DESCRIBE_COPY_JOB: lookups.after_copy_job,
    lookups.DESCRIBE_RECOVERY_POINT: lookups.after_recovery_point,
}


def resolve(found: Found, backup: FakeBackup) -> BackupJob | Ignored:
    """What the trigger does with one entry before matching the pattern."""
    for _ in range(3):  # at most DescribeCopyJob then DescribeRecoveryPoint
        if not isinstance(found, Pending):
            break
        problem = lookups.elsewhere(found, HERE)
        if problem is not None:
            return problem
        call = lookups.lookup(found)
        answer = backup.describe(call, found)
        if answer is None:
            return Ignored(f"{call}: no such job", relevant=True)
        found = _RESOLVE[call](found, answer)
    assert not isinstance(found, Pending), f"still pending after three calls: {found}"
    if isinstance(found, BackupJob):
        return lookups.elsewhere(found, HERE) or found
    return found


def _statistic(outcome: BackupJob | Ignored) -> str:
    """For ``--hypothesis-show-statistics``: what became of an entry."""
    if isinstance(outcome, BackupJob):
        return f"rotates a {outcome.job_type} job"
    kind = "rejected" if outcome.relevant else "skipped"
    reason = re.sub(r"'.*|arn:\S*|[0-9A-F-]{8,}\S*", "…", outcome.reason)
    return f"{kind}: {reason[:60]}"


def check_ignored(found: Ignored) -> None:
    assert isinstance(found.reason, str) and found.reason.strip(), found
    assert isinstance(found.relevant, bool)
    assert isinstance(found.details, Mapping)


@settings(FUZZ, max_examples=examples(3000))
@given(cases(PURE_WORLD))
def test_reading_any_event_never_raises_and_rotates_only_what_it_vouches_for(case: Case) -> None:
    found = read_event(case.event)
    assert len(found) == entries(case.event)
    backup = FakeBackup(PURE_WORLD)
    outcomes = [resolve(entry, backup) for entry in found]
    for outcome in outcomes:
        statistic(_statistic(outcome))
        if isinstance(outcome, Ignored):
            check_ignored(outcome)
            continue
        assert outcome.job_type in (BACKUP_JOB, COPY_JOB)
        assert BackupJob.from_dict(json.loads(json.dumps(outcome.to_dict()))) == outcome
        assert announced_by(outcome, case.event, PURE_WORLD), (outcome, case)
    for expected, outcome in zip(case.intact, outcomes, strict=False):
        if expected is not None:
            assert outcome == expected, (outcome, case)


# AWS Backup's answers bent, events intact: AWS Backup decides, and a bad answer rejects.

ANSWER_FIELDS = {
    lookups.DESCRIBE_BACKUP_JOB: (
        "State",
        "ResourceType",
        "ResourceArn",
        "RecoveryPointArn",
        "CreationDate",
    ),
    lookups.DESCRIBE_COPY_JOB: (
        "State",
        "ResourceType",
        "ResourceArn",
        "DestinationRecoveryPointArn",
        "DestinationBackupVaultArn",
    ),
    lookups.DESCRIBE_RECOVERY_POINT: ("Status", "CreationDate"),
}
ANSWER_STRINGS = (
    "",
    "COMPLETED",
    "AVAILABLE",
    "PARTIAL",
    "DELETING",
    "EXPIRED",
    "STOPPED",
    "CREATING",
    "RUNNING",
    "FAILED",
    "completed",
    "DynamoDB",
    "RDS",
    "EBS",
    *(s for s in HOSTILE_STRINGS if s.startswith("arn:")),
    PURE_WORLD.staging.table,
    PURE_WORLD.staging.point,
)
# As botocore gives them: strings for the ARNs and words (anything AWS might say),
# datetimes for timestamps (aware, or naive as a careless stub would make them).
answer_strings = pick(ANSWER_STRINGS) | st.just(_DELETE)
answer_dates = (
    st.datetimes(
        min_value=datetime(2000, 1, 1),
        max_value=datetime(2100, 1, 1),
        timezones=st.none() | st.sampled_from([UTC, timezone(timedelta(hours=-5))]),
    )
    | st.just(_DELETE)
    | st.just("2024-08-27T09:40:00Z")
)


@st.composite
def bent_answers(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    """For each call, the fields to change (``_DELETE`` removes one)."""
    bends: dict[str, dict[str, Any]] = {}
    for call, names in ANSWER_FIELDS.items():
        chosen = draw(st.lists(st.sampled_from(names), max_size=2, unique=True))
        bends[call] = {
            name: draw(answer_dates if name == "CreationDate" else answer_strings)
            for name in chosen
        }
    return bends


def bender(bends: dict[str, dict[str, Any]]) -> Callable[[str, dict[str, Any]], dict[str, Any]]:
    def bend(call: str, answer: dict[str, Any]) -> dict[str, Any]:
        answer = copy.deepcopy(answer)
        target = answer["CopyJob"] if call == lookups.DESCRIBE_COPY_JOB else answer
        for name, value in bends[call].items():
            if value is _DELETE:
                target.pop(name, None)
            else:
                target[name] = value
        return answer

    return bend


def answers_vouch(
    job: BackupJob, event_start: datetime | None, answers: list[tuple[str, dict[str, Any]]]
) -> bool:
    """Every answer consulted says the job completed, and the job is made of them."""
    for call, answer in answers:
        if call == lookups.DESCRIBE_BACKUP_JOB:
            created = answer.get("CreationDate")
            ok = (
                answer.get("State") == "COMPLETED"
                and answer.get("ResourceType") == "DynamoDB"
                and job.source_table_arn == answer.get("ResourceArn")
                and job.recovery_point_arn == answer.get("RecoveryPointArn")
                and job.started_at == created
                and (event_start is None or _same_second(event_start, job.started_at))
                and job.started_at.tzinfo is not None
            )
        elif call == lookups.DESCRIBE_COPY_JOB:
            described = answer["CopyJob"]
            ok = (
                described.get("State") == "COMPLETED"
                and described.get("ResourceType") == "DynamoDB"
                and job.source_table_arn == described.get("ResourceArn")
                and job.recovery_point_arn == described.get("DestinationRecoveryPointArn")
                and re.fullmatch(
                    r"arn:.*:backup-vault:.+", str(described.get("DestinationBackupVaultArn"))
                )
                is not None
            )
        else:
            created = answer.get("CreationDate")
            ok = (
                answer.get("Status") in {"COMPLETED", "AVAILABLE"}
                and isinstance(created, datetime)
                and created.tzinfo is not None
                and job.started_at == created
            )
        if not ok:
            return False
    return True


# every event: each is held to AWS Backup's record
ASKING = (*SNS_RECORDS, *EVENTBRIDGE_EVENTS)


@settings(FUZZ, max_examples=examples(1000))
@given(st.sampled_from(ASKING), bent_answers())
def test_aws_backups_answers_decide_and_a_bad_answer_rejects(
    template: Template, bends: dict[str, dict[str, Any]]
) -> None:
    event = template.build(PURE_WORLD)
    if template in SNS_RECORDS:
        event = {"Records": [event]}
    backup = FakeBackup(PURE_WORLD, bender(bends))
    [entry] = read_event(event)
    event_start = entry.started_at if isinstance(entry, (Pending, BackupJob)) else None
    outcome = resolve(entry, backup)
    statistic(_statistic(outcome))
    if isinstance(outcome, Ignored):
        check_ignored(outcome)
        # only a bent answer rejects: one that does not vouch for the job, or one that
        # leads to a recovery point AWS Backup does not have
        expected = template.expected(PURE_WORLD)
        assert outcome.reason.endswith("no such job") or not answers_vouch(
            expected, event_start, backup.answers
        ), (outcome, brief(backup.answers))
    else:
        assert backup.answers, "a job was rotated without asking AWS Backup"
        assert answers_vouch(outcome, event_start, backup.answers), (outcome, brief(backup.answers))


# -- the whole handler, through one emulator -------------------------------------------------------


NO_OP = json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}})


@dataclass
class Deployed:
    emulator: Emulator
    world: World
    numbers: Iterator[int] = field(default_factory=itertools.count)

    def fresh_state_machine(self) -> None:
        """A state machine of its own for each example, so no job is a duplicate of
        the last example's; it does nothing (only starting is under test)."""
        arn = self.emulator.stepfunctions.create_state_machine(
            name=f"fuzz-{next(self.numbers)}",
            definition=NO_OP,
            roleArn=f"arn:aws:iam::{ACCOUNT}:role/noop",
        )["stateMachineArn"]
        self.emulator.set_environment("trigger", STATE_MACHINE_ARN=arn)
        self.emulator.state_machine_arn = arn


# Module-level, so tests/conftest.py plans it with the rest.
BOTH_TRIGGERS = Settings(trigger="both", restore_copies=True)


@pytest.fixture(scope="module")
def deployed() -> Iterator[Deployed]:
    with Emulator(BOTH_TRIGGERS) as emulator:
        orders = emulator.backup_job("Orders-Production")
        users = emulator.backup_job("Users.v2-Production", job_id="job-users", advanced=False)
        staging = emulator.backup_job("Orders-Staging", job_id="job-staging")
        copy_job = emulator.copy_job(orders)
        assert emulator.environment("trigger")["SOURCE_PATTERN"] == PATTERN.pattern

        def job(finished: Any) -> Job:
            return Job(
                finished.job_id,
                finished.resource_arn,
                finished.recovery_point,
                finished.vault_arn,
                finished.created,
            )

        yield Deployed(emulator, World(job(orders), job(users), job(staging), job(copy_job)))


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(scope="module")
def lines() -> Iterator[Lines]:
    handler, logger = Lines(), logging.getLogger("rotator")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)


@settings(FUZZ, max_examples=examples(400))
@given(data=st.data())
def test_the_trigger_never_raises_and_starts_only_valid_jobs(
    deployed: Deployed, lines: Lines, data: st.DataObject
) -> None:
    case = data.draw(cases(deployed.world))
    emulator, world = deployed.emulator, deployed.world
    deployed.fresh_state_machine()
    lines.records.clear()

    result = emulator.deliver(case.event)
    for action, count in result.items():
        statistic(f"{action}: {count}")

    assert set(result) == {"started", "duplicate", "skipped", "rejected"}
    assert sum(result.values()) == entries(case.event)
    # one line per outcome; what starts nothing says why
    actions = [r for r in lines.records if hasattr(r, "action")]
    assert not [r for r in lines.records if r.exc_info], "the event was unreadable"
    for action in result:
        assert sum(r.__dict__["action"] == action for r in actions) == result[action], action
    for record in actions:
        if record.__dict__["action"] in ("skipped", "rejected"):
            statistic(f"{record.__dict__['action']}: {record.__dict__.get('reason', '')[:30]}")
            reason = record.__dict__.get("reason")
            assert isinstance(reason, str) and reason.strip() and reason in record.getMessage()
            expected_level = (
                logging.ERROR if record.__dict__["action"] == "rejected" else logging.INFO
            )
            assert record.levelno == expected_level

    started: dict[str, BackupJob] = {}
    for execution in emulator.executions():
        described = emulator.stepfunctions.describe_execution(
            executionArn=execution["executionArn"]
        )
        job = BackupJob.from_dict(json.loads(described["input"])["backup"])
        assert execution["name"] == execution_name(job.job_id)
        assert PATTERN.search(job.source_table), job
        assert announced_by(job, case.event, world), (job, case)
        started[job.job_id] = job
    named = {
        r.__dict__["job_id"] for r in actions if r.__dict__["action"] in ("started", "duplicate")
    }
    assert set(started) == named

    for expected in case.intact:
        if expected is None:
            continue
        if PATTERN.search(expected.source_table):
            assert expected.job_id in started, (expected, case, result)
            if None not in case.intact:  # nothing hostile came first with the same id
                assert started[expected.job_id] == expected
        else:
            assert expected.job_id not in started
