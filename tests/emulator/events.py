"""Realistic AWS Backup notifications, shaped as the SNS records Lambda receives.

Built from real traffic and the AWS documentation (the wordings in
``lambda/rotator/sources/sns.py``). moto's own SNS-to-Lambda delivery replaces message
attributes with placeholders, so tests and the demo hand these records to the trigger
directly.
"""

from __future__ import annotations

from typing import Any

ACCOUNT = "123456789012"
REGION = "us-east-1"
TOPIC_ARN = f"arn:aws:sns:{REGION}:{ACCOUNT}:backup-events"
# A topic for the rotator's failure notifications (notification_topic_arn).
FAILURE_TOPIC_ARN = f"arn:aws:sns:{REGION}:{ACCOUNT}:rotation-failures"

WORDINGS = {
    # seen in real traffic (2019 and 2024)
    "traffic": (
        "An AWS Backup job was completed successfully. Recovery point ARN: {rp}. "
        "Backed up Resource ARN : {resource}. Backup Job Id : {job_id}"
    ),
    # as printed in the AWS documentation
    "docs": (
        "An AWS Backup job was completed successfully. Recovery point ARN: {rp}. "
        "Resource ARN : {resource}. BackupJob ID : {job_id}"
    ),
    "failed": "An AWS Backup job failed. Resource ARN : {resource}. BackupJob ID : {job_id}",
}


def backup_message(
    recovery_point_arn: str,
    resource_arn: str,
    job_id: str,
    wording: str = "traffic",
) -> str:
    return WORDINGS[wording].format(rp=recovery_point_arn, resource=resource_arn, job_id=job_id)


def sns_record(
    message: str,
    attributes: dict[str, str] | None,
    message_id: str = "95df01b4-ee98-5cb9-9903-4c221d41eb5e",
    topic_arn: str = TOPIC_ARN,
) -> dict[str, Any]:
    """One ``Records[]`` entry; ``attributes=None`` leaves MessageAttributes out."""
    sns: dict[str, Any] = {
        "Type": "Notification",
        "MessageId": message_id,
        "TopicArn": topic_arn,
        "Subject": "Notification from AWS Backup",
        "Message": message,
        "Timestamp": "2024-08-27T09:56:03.120Z",
        "SignatureVersion": "1",
        "Signature": "EXAMPLE",
        "SigningCertUrl": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService.pem",
        "UnsubscribeUrl": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe",
    }
    if attributes is not None:
        sns["MessageAttributes"] = {
            name: {"Type": "String", "Value": value} for name, value in attributes.items()
        }
    return {
        "EventSource": "aws:sns",
        "EventVersion": "1.0",
        "EventSubscriptionArn": f"{topic_arn}:6f1c2a4e-0b7d-4c1e-9a3f-5d2e8b7c6a10",
        "Sns": sns,
    }


def backup_completed(
    recovery_point_arn: str,
    resource_arn: str,
    job_id: str = "7B1E3A42-9D5C-4F3E-8C1D-2E4F6A8B0C1D",
    start_time: str = "2024-08-27T09:20:00Z",
    wording: str = "traffic",
    account: str = ACCOUNT,
) -> dict[str, Any]:
    """The record AWS Backup sends when a backup job of ``resource_arn`` completes."""
    return sns_record(
        backup_message(recovery_point_arn, resource_arn, job_id, wording),
        {
            "AccountId": account,
            "EventType": "BACKUP_JOB",
            "State": "COMPLETED",
            "StartTime": start_time,
            "Id": job_id,
        },
    )


def sns_event(*records: dict[str, Any]) -> dict[str, Any]:
    return {"Records": list(records)}


# -- EventBridge --------------------------------------------------------------------
# Shaped as the examples in the AWS Backup developer guide (eventbridge.html): the
# recovery point of a backup job only in resources[0]; dates in the console's form,
# which is not RFC 3339; sizes a string in Backup Job events and a number in Copy Job
# events.


def eventbridge_event(
    detail_type: str,
    detail: dict[str, Any],
    resources: list[str],
    account: str = ACCOUNT,
    event_id: str = "710b0a4e-9ea9-4d60-b35b-6ac4a2e5f1a8",
) -> dict[str, Any]:
    return {
        "version": "0",
        "id": event_id,
        "detail-type": detail_type,
        "source": "aws.backup",
        "account": account,
        "time": "2024-08-27T09:41:08Z",
        "region": REGION,
        "resources": resources,
        "detail": detail,
    }


def backup_job_event(
    job_id: str,
    resource_arn: str,
    recovery_point_arn: str,
    state: str = "COMPLETED",
    creation_date: str = "Aug 27, 2024 9:40:00 AM",
    vault: str = "Default",
) -> dict[str, Any]:
    """``Backup Job State Change``, as AWS Backup sends it when ``state`` is reached."""
    detail: dict[str, Any] = {
        "backupJobId": job_id,
        "backupSizeInBytes": "4096",
        "backupVaultArn": f"arn:aws:backup:{REGION}:{ACCOUNT}:backup-vault:{vault}",
        "backupVaultName": vault,
        "bytesTransferred": "4096",
        "creationDate": creation_date,
        "iamRoleArn": f"arn:aws:iam::{ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole",
        "resourceArn": resource_arn,
        "resourceType": "DynamoDB",
        "state": state,
        "statusMessage": "",
        "startBy": "Aug 28, 2024 5:40:00 AM",
        "percentDone": 100.0 if state == "COMPLETED" else 0.0,
        "createdBy": {
            "backupPlanId": "aa1b2c3d-4e5f-6789-0abc-def012345678",
            "backupPlanArn": f"arn:aws:backup:{REGION}:{ACCOUNT}:backup-plan:aa1b2c3d",
            "backupPlanVersion": "ZmQ4YjE0YTctNzQ0Ni00YjJhLWFkYzItYTY2NmQ3Njc2OTI4",
            "backupPlanRuleId": "bb2c3d4e-5f60-7189-0abc-def012345678",
        },
    }
    if state == "COMPLETED":
        detail["completionDate"] = "Aug 27, 2024 9:56:00 AM"
    return eventbridge_event("Backup Job State Change", detail, [recovery_point_arn])


def copy_job_event(
    job_id: str,
    resource_arn: str,
    source_recovery_point_arn: str,
    destination_recovery_point_arn: str,
    destination_vault_arn: str,
    state: str = "COMPLETED",
    account: str = ACCOUNT,
    source_vault_arn: str | None = None,
) -> dict[str, Any]:
    """``Copy Job State Change``; ``account`` is where the copy job ran (the source
    account of a cross-account copy, whose events keep it when forwarded)."""
    detail: dict[str, Any] = {
        "copyJobId": job_id,
        "backupSizeInBytes": 4096,
        "creationDate": "Aug 27, 2024 10:00:00 AM",
        "iamRoleArn": f"arn:aws:iam::{account}:role/service-role/AWSBackupDefaultServiceRole",
        "resourceArn": resource_arn,
        "resourceType": "DynamoDB",
        "sourceBackupVaultArn": source_vault_arn
        or f"arn:aws:backup:{REGION}:{account}:backup-vault:Default",
        "destinationBackupVaultArn": destination_vault_arn,
        "destinationRecoveryPointArn": destination_recovery_point_arn
        if state == "COMPLETED"
        else {},
        "state": state,
    }
    if state == "COMPLETED":
        detail["completionDate"] = "Aug 27, 2024 10:05:00 AM"
    return eventbridge_event(
        "Copy Job State Change", detail, [source_recovery_point_arn], account=account
    )


def copy_completed(job_id: str, account: str = ACCOUNT) -> dict[str, Any]:
    """The SNS record of a vault's COPY_JOB_SUCCESSFUL event. AWS does not document its
    text; the trigger reads only the attributes."""
    return sns_record(
        f"An AWS Backup copy job was completed successfully. Copy Job Id : {job_id}",
        {
            "AccountId": account,
            "EventType": "COPY_JOB",
            "State": "COMPLETED",
            "StartTime": "2024-08-27T10:00:00Z",
            "Id": job_id,
        },
        message_id="0b6d7e2c-55aa-4f1e-9c3d-7e8f9a0b1c2d",
    )


def restore_job_event(
    restore_job_id: str,
    status: str,
    recovery_point_arn: str,
    created_resource_arn: str | None = None,
    status_message: str = "",
) -> dict[str, Any]:
    """``Restore Job State Change``, as AWS Backup sends it when a restore job reaches
    ``status`` (``status``, not ``state``; the recovery point in ``resources``)."""
    detail: dict[str, Any] = {
        "restoreJobId": restore_job_id,
        "backupSizeInBytes": "4096",
        "creationDate": "Aug 27, 2024 9:41:00 AM",
        "iamRoleArn": f"arn:aws:iam::{ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole",
        "percentDone": 100.0 if status == "COMPLETED" else 0.0,
        "resourceType": "DynamoDB",
        "status": status,
        "statusMessage": status_message,
    }
    if created_resource_arn:
        detail["createdResourceArn"] = created_resource_arn
    if status != "RUNNING":
        detail["completionDate"] = "Aug 27, 2024 10:41:00 AM"
    return eventbridge_event(
        "Restore Job State Change",
        detail,
        [recovery_point_arn],
        event_id=f"e5a0{restore_job_id[:8]}-5b1e-4c7d-9e2f-0a1b2c3d4e5f",
    )
