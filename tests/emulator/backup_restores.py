"""AWS Backup restore jobs of DynamoDB recovery points, and the backup and copy jobs
that made them, which moto 5.2.5 lacks.

``DescribeBackupJob``, ``DescribeCopyJob`` and ``DescribeRecoveryPoint`` answer for the
jobs and recovery points the emulator records (``RecoveryPoints.backup_job``,
``copy_job``), as AWS Backup would after they completed.

``StartRestoreJob`` and ``DescribeRestoreJob`` are served through moto's AWS Backup
routes, so requests are still validated against botocore's model (client side) and
recorded as IAM actions. A recovery point (``RecoveryPoints.create``) is an
``arn:aws:backup:...:recovery-point:<uuid>`` standing for a snapshot of a table (a
DynamoDB backup kept behind it); a job completes ``restore_seconds`` of simulated time
after it started, when its table really appears in moto's DynamoDB with the
snapshot's items and the encryption the job's metadata asked for
(``restore_overrides``), or ends ``FAILED`` as the emulator is told.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import unquote

from moto.backup import urls as backup_urls
from moto.backup.exceptions import ResourceNotFoundException
from moto.backup.responses import BackupResponse
from moto.core.exceptions import JsonRESTError
from moto.dynamodb.models import dynamodb_backends

from tests.emulator import moto_gaps
from tests.emulator.restore_overrides import apply_restore_metadata, check_restore_metadata

_JOBS_PATH = "{0}/restore-jobs$"
_JOB_PATH = "{0}/restore-jobs/(?P<restore_job_id>[^/]+)$"
_LIST_JOBS_PATH = "{0}/restore-jobs/$"
_JOB_METADATA_PATH = "{0}/restore-jobs/(?P<restore_job_id>[^/]+)/metadata$"
_BACKUP_JOB_PATH = "{0}/backup-jobs/(?P<backup_job_id>[^/]+)$"
_COPY_JOB_PATH = "{0}/copy-jobs/(?P<copy_job_id>[^/]+)$"
_RECOVERY_POINT_PATH = "{0}/backup-vaults/(?P<name>[^/]+)/recovery-points/(?P<arn>[^/]+)$"


@dataclass
class RecoveryPoint:
    arn: str
    vault_arn: str
    resource_arn: str
    created: datetime
    status: str = "COMPLETED"


@dataclass
class FinishedJob:
    """A completed backup job (``recovery_point`` is what it made) or copy job
    (``recovery_point`` is the copy; ``source_recovery_point`` what it copied)."""

    job_id: str
    resource_arn: str
    recovery_point: str
    vault_arn: str
    created: datetime
    state: str = "COMPLETED"
    source_recovery_point: str | None = None
    source_vault_arn: str | None = None


@dataclass
class RestoreJob:
    restore_job_id: str
    recovery_point_arn: str
    role_arn: str
    target: str
    token: str | None
    created: datetime
    status: str = "RUNNING"
    message: str = ""
    created_arn: str | None = None
    copy_source_tags: bool = False
    event_sent: bool = False  # its Restore Job State Change (the emulator sends one)
    metadata: dict[str, str] = field(default_factory=dict)  # as StartRestoreJob got it


class RecoveryPoints:
    """The emulator's AWS Backup recovery points and restore jobs."""

    def __init__(
        self,
        now: Callable[[], datetime],
        restore_seconds: Callable[[], float],
        end_status: Callable[[], str],
        fault: Callable[[str], str | None],
        restore_table: Callable[[Any, str, str], Any],
    ) -> None:
        self._now = now
        self._restore_seconds = restore_seconds
        self._end_status = end_status
        self._fault = fault
        self._restore_table = restore_table  # moto's own RestoreTableFromBackup
        self.snapshots: dict[str, str] = {}  # recovery point ARN -> DynamoDB backup ARN
        self.jobs: dict[str, RestoreJob] = {}
        self.points: dict[str, RecoveryPoint] = {}
        self.backup_jobs: dict[str, FinishedJob] = {}
        self.copy_jobs: dict[str, FinishedJob] = {}

    def create(self, region: str, account: str, backup_arn: str) -> str:
        arn = f"arn:aws:backup:{region}:{account}:recovery-point:{str(uuid.uuid4()).upper()}"
        self.snapshots[arn] = backup_arn
        return arn

    def backup_job(
        self,
        job_id: str,
        resource_arn: str,
        recovery_point: str,
        vault_arn: str,
        created: datetime | None = None,
    ) -> FinishedJob:
        """Record a completed backup job that made ``recovery_point``, created at
        ``created`` (now by default)."""
        job = FinishedJob(job_id, resource_arn, recovery_point, vault_arn, created or self._now())
        self.backup_jobs[job_id] = job
        self.points[recovery_point] = RecoveryPoint(
            recovery_point, vault_arn, resource_arn, job.created
        )
        return job

    def record_point(
        self, recovery_point: str, vault_arn: str, resource_arn: str, created: datetime
    ) -> None:
        """Record ``recovery_point`` of ``resource_arn`` in ``vault_arn`` (no job names
        it): DescribeRecoveryPoint answers for it."""
        self.points[recovery_point] = RecoveryPoint(
            recovery_point, vault_arn, resource_arn, created
        )

    def copy_job(
        self,
        job_id: str,
        source: FinishedJob,
        copy_arn: str,
        vault_arn: str,
    ) -> FinishedJob:
        """Record a completed copy of ``source``'s recovery point as ``copy_arn`` in
        ``vault_arn``; the copy keeps the source's creation date, as AWS Backup's do."""
        job = FinishedJob(
            job_id,
            source.resource_arn,
            copy_arn,
            vault_arn,
            self._now(),
            source_recovery_point=source.recovery_point,
            source_vault_arn=source.vault_arn,
        )
        self.copy_jobs[job_id] = job
        self.points[copy_arn] = RecoveryPoint(
            copy_arn, vault_arn, source.resource_arn, source.created
        )
        if source.recovery_point in self.snapshots:
            self.snapshots[copy_arn] = self.snapshots[source.recovery_point]
        return job

    def install(self, patch: Callable[[Any, str, Any], None]) -> None:
        points = self

        def list_restore_jobs(response: Any) -> str:
            points.raise_fault("ListRestoreJobs")
            for job in points.jobs.values():
                points.advance(job, response.current_account, response.region)
            return json.dumps(
                {
                    "RestoreJobs": [
                        {
                            "RestoreJobId": job.restore_job_id,
                            "RecoveryPointArn": job.recovery_point_arn,
                            "Status": job.status,
                            "ResourceType": "DynamoDB",
                            "CreationDate": job.created.timestamp(),
                            **({"CreatedResourceArn": job.created_arn} if job.created_arn else {}),
                        }
                        for job in points.jobs.values()
                    ]
                }
            )

        def get_restore_job_metadata(response: Any) -> str:
            points.raise_fault("GetRestoreJobMetadata")
            job_id = response.path.rstrip("/").split("/")[-2]
            job = points.jobs.get(job_id)
            if job is None:
                raise ResourceNotFoundException(f"Restore job {job_id} not found")
            return json.dumps({"RestoreJobId": job_id, "Metadata": job.metadata})

        def describe_backup_job(response: Any) -> str:
            points.raise_fault("DescribeBackupJob")
            job_id = unquote(response.path.rstrip("/").rsplit("/", 1)[-1])
            job = points.backup_jobs.get(job_id)
            if job is None:
                raise ResourceNotFoundException(f"Backup job {job_id} not found")
            return json.dumps(
                {
                    "AccountId": response.current_account,
                    "BackupJobId": job.job_id,
                    "BackupVaultArn": job.vault_arn,
                    "BackupVaultName": job.vault_arn.rsplit(":", 1)[-1],
                    "RecoveryPointArn": job.recovery_point,
                    "ResourceArn": job.resource_arn,
                    "ResourceType": "DynamoDB",
                    "State": job.state,
                    "CreationDate": job.created.timestamp(),
                    "CompletionDate": job.created.timestamp() + 60,
                    "PercentDone": "100.0",
                }
            )

        def describe_copy_job(response: Any) -> str:
            points.raise_fault("DescribeCopyJob")
            job_id = unquote(response.path.rstrip("/").rsplit("/", 1)[-1])
            job = points.copy_jobs.get(job_id)
            if job is None:
                raise ResourceNotFoundException(f"Copy job {job_id} not found")
            return json.dumps(
                {
                    "CopyJob": {
                        "AccountId": response.current_account,
                        "CopyJobId": job.job_id,
                        "SourceBackupVaultArn": job.source_vault_arn,
                        "SourceRecoveryPointArn": job.source_recovery_point,
                        "DestinationBackupVaultArn": job.vault_arn,
                        "DestinationRecoveryPointArn": job.recovery_point,
                        "ResourceArn": job.resource_arn,
                        "ResourceType": "DynamoDB",
                        "State": job.state,
                        "CreationDate": job.created.timestamp(),
                        "CompletionDate": job.created.timestamp() + 60,
                    }
                }
            )

        def describe_recovery_point(response: Any) -> str:
            points.raise_fault("DescribeRecoveryPoint")
            *_, vault, _, arn = response.path.rstrip("/").split("/")
            arn = unquote(arn)
            point = points.points.get(arn)
            if point is None or point.vault_arn.rsplit(":", 1)[-1] != unquote(vault):
                raise ResourceNotFoundException(f"Recovery point {arn} not found in vault {vault}")
            return json.dumps(
                {
                    "RecoveryPointArn": point.arn,
                    "BackupVaultName": point.vault_arn.rsplit(":", 1)[-1],
                    "BackupVaultArn": point.vault_arn,
                    "ResourceArn": point.resource_arn,
                    "ResourceType": "DynamoDB",
                    "Status": point.status,
                    "CreationDate": point.created.timestamp(),
                    "CompletionDate": point.created.timestamp() + 60,
                }
            )

        def start_restore_job(response: Any) -> str:
            points.raise_fault("StartRestoreJob")
            body = json.loads(response.body or "{}")
            arn = body["RecoveryPointArn"]
            if arn not in points.snapshots:
                raise ResourceNotFoundException(f"Recovery point {arn} not found")
            given = dict(body.get("Metadata") or {})
            metadata = {k.lower(): v for k, v in given.items()}
            if "targettablename" not in metadata:
                raise JsonRESTError(
                    "InvalidParameterValueException", "Metadata must name targetTableName"
                )
            check_restore_metadata(given)
            token = body.get("IdempotencyToken")
            for job in points.jobs.values():
                if token and job.token == token:
                    return json.dumps({"RestoreJobId": job.restore_job_id})
            job = RestoreJob(
                restore_job_id=str(uuid.uuid4()).upper(),
                recovery_point_arn=arn,
                role_arn=body["IamRoleArn"],
                target=metadata["targettablename"],
                token=token,
                created=points._now(),
                copy_source_tags=bool(body.get("CopySourceTagsToRestoredResource")),
                metadata=given,
            )
            points.jobs[job.restore_job_id] = job
            return json.dumps({"RestoreJobId": job.restore_job_id})

        def describe_restore_job(response: Any) -> str:
            points.raise_fault("DescribeRestoreJob")
            job_id = response.path.rstrip("/").rsplit("/", 1)[-1]
            job = points.jobs.get(job_id)
            if job is None:
                raise ResourceNotFoundException(f"Restore job {job_id} not found")
            points.advance(job, response.current_account, response.region)
            described: dict[str, Any] = {
                "RestoreJobId": job.restore_job_id,
                "AccountId": response.current_account,
                "RecoveryPointArn": job.recovery_point_arn,
                "IamRoleArn": job.role_arn,
                "ResourceType": "DynamoDB",
                "Status": job.status,
                "StatusMessage": job.message,
                "CreationDate": job.created.timestamp(),
                "PercentDone": "100.00%" if job.status == "COMPLETED" else "0.00%",
            }
            if job.created_arn:
                described["CreatedResourceArn"] = job.created_arn
            backups = dynamodb_backends[response.current_account][response.region].backups
            snapshot = backups.get(points.snapshots[job.recovery_point_arn])
            if snapshot is not None:
                described["BackupSizeInBytes"] = moto_gaps.backup_size(snapshot)
            return json.dumps(described)

        patch(BackupResponse, "start_restore_job", start_restore_job)
        patch(BackupResponse, "describe_restore_job", describe_restore_job)
        patch(BackupResponse, "list_restore_jobs", list_restore_jobs)
        patch(BackupResponse, "get_restore_job_metadata", get_restore_job_metadata)
        patch(BackupResponse, "describe_backup_job", describe_backup_job)
        patch(BackupResponse, "describe_copy_job", describe_copy_job)
        patch(BackupResponse, "describe_recovery_point", describe_recovery_point)
        patch(
            backup_urls,
            "url_paths",
            {
                **backup_urls.url_paths,
                **dict.fromkeys(
                    (
                        _JOBS_PATH,
                        _JOB_PATH,
                        _LIST_JOBS_PATH,
                        _JOB_METADATA_PATH,
                        _BACKUP_JOB_PATH,
                        _COPY_JOB_PATH,
                        _RECOVERY_POINT_PATH,
                    ),
                    backup_urls.response.dispatch,
                ),
            },
        )

    def raise_fault(self, operation: str) -> None:
        code = self._fault(operation)
        if code is not None:
            raise JsonRESTError(code, f"injected {code}")

    def finishing(self) -> list[tuple[datetime, RestoreJob]]:
        """Restore jobs whose end has no event yet, with when they end, soonest first."""
        ends = [
            (job.created + timedelta(seconds=self._restore_seconds()), job)
            for job in self.jobs.values()
            if not job.event_sent
        ]
        return sorted(ends, key=lambda end: end[0])

    def advance(self, job: RestoreJob, account: str, region: str) -> None:
        """Complete (or fail) ``job`` once its restore time has passed."""
        if job.status != "RUNNING":
            return
        if (self._now() - job.created).total_seconds() < self._restore_seconds():
            return
        end = self._end_status()
        backend = dynamodb_backends[account][region]
        if end != "COMPLETED":
            job.status, job.message = end, f"Restore of {job.recovery_point_arn} {end.lower()}"
        elif job.target in backend.tables:
            job.status, job.message = "FAILED", f"Table already exists: {job.target}"
        else:
            table = self._restore_table(backend, job.target, self.snapshots[job.recovery_point_arn])
            apply_restore_metadata(table, job.metadata)
            job.status, job.created_arn = "COMPLETED", table.table_arn
