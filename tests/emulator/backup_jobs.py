"""AWS Backup's side of a backup job, which moto 5.2.5 lacks: ``StartBackupJob``.

For ``make sandbox`` (and the tests of the operator's snippets, which run against it),
so that a real client drives a rotation as in AWS: ``aws backup start-backup-job`` of a
DynamoDB table completes the job at once (an AWS Backup recovery point of the table as
it is, in the vault given), recorded as the emulator's other AWS Backup records are
(``DescribeBackupJob``, ``DescribeRecoveryPoint``). Then, as AWS Backup does:

* the vault's notification settings (``put-backup-vault-notifications``) decide whether
  ``BACKUP_JOB_COMPLETED`` is published to their topic, with AWS Backup's message and
  message attributes (``tests/emulator/events.py``);
* a ``Backup Job State Change`` event (COMPLETED) is put on the default bus.

Both are delivered before StartBackupJob answers (AWS sends them later, asynchronously):
when the call returns, the trigger has run. Only DynamoDB tables of this account and
Region can be backed up; anything else is refused with AWS Backup's error.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from moto.backup import urls as backup_urls
from moto.backup.models import backup_backends
from moto.backup.responses import BackupResponse
from moto.core.exceptions import JsonRESTError
from moto.dynamodb.models import dynamodb_backends

from tests.emulator.events import ACCOUNT, REGION, backup_completed, backup_job_event
from tests.emulator.harness import Emulator, vault_arn

_START_PATH = "{0}/backup-jobs/?$"
log = logging.getLogger(__name__)


def install(emulator: Emulator) -> None:
    """Serve StartBackupJob in ``emulator`` (before its server first serves AWS Backup)."""

    def start_backup_job(response: Any) -> str:
        body = json.loads(response.body or "{}")
        account, region = response.current_account, response.region
        vault = str(body.get("BackupVaultName", ""))
        backup_backends[account][region].describe_backup_vault(vault)  # raises when missing
        resource = str(body.get("ResourceArn", ""))
        prefix = f"arn:aws:dynamodb:{region}:{account}:table/"
        tables = dynamodb_backends[account][region].tables
        name = resource.removeprefix(prefix)
        if not resource.startswith(prefix) or name not in tables:
            raise JsonRESTError(
                "InvalidParameterValueException",
                f"ResourceArn {resource!r} is not a DynamoDB table of account {account} in "
                f"{region}; expected {prefix}<table name> of an existing table",
            )
        backup_arn = emulator.create_backup(name)
        point = emulator.recovery_points.create(region, account, backup_arn)
        job_id = str(uuid.uuid4()).upper()
        job = emulator.recovery_points.backup_job(
            job_id, resource, point, vault_arn(vault, account)
        )
        started = job.created.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        _notify(emulator, vault, backup_completed(point, resource, job_id, start_time=started))
        # the date in the console's form, as AWS Backup's events give it
        event = backup_job_event(
            job_id,
            resource,
            point,
            creation_date=job.created.strftime("%b %-d, %Y %-I:%M:%S %p"),
            vault=vault,
        )
        emulator.put_event(event)
        return json.dumps(
            {
                "BackupJobId": job_id,
                "RecoveryPointArn": point,
                "CreationDate": job.created.timestamp(),
                "IsParent": False,
            }
        )

    emulator._patch(BackupResponse, "start_backup_job", start_backup_job)
    emulator._patch(
        backup_urls,
        "url_paths",
        {**backup_urls.url_paths, _START_PATH: backup_urls.response.dispatch},
    )


def _notify(emulator: Emulator, vault: str, record: dict[str, Any]) -> None:
    """Publish ``record``'s message to the topic ``vault`` notifies of completed backup
    jobs, if it has one (the notification settings moto_gaps keeps)."""
    settings = backup_backends[ACCOUNT][REGION].__dict__.get("vault_notifications", {}).get(vault)
    if not settings or "BACKUP_JOB_COMPLETED" not in settings["BackupVaultEvents"]:
        log.info("vault %s notifies no topic of completed backup jobs", vault)
        return
    emulator.sns.publish(
        TopicArn=settings["SNSTopicArn"],
        Subject=record["Sns"]["Subject"],
        Message=record["Sns"]["Message"],
        MessageAttributes={
            name: {"DataType": "String", "StringValue": value["Value"]}
            for name, value in record["Sns"]["MessageAttributes"].items()
        },
    )
