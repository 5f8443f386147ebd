"""Realistic AWS Backup notifications, shaped as the SNS records Lambda receives.

Built from the examples in the README's "AWS Backup notifications" section (real
traffic and the AWS documentation). moto's own SNS-to-Lambda delivery replaces message
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
