"""What a restore request asks of the new table, applied to moto's restored table.

moto 5.2.5's RestoreTableFromBackup reads only ``TargetTableName`` and ``BackupArn``,
and moto has no StartRestoreJob at all (``backup_restores`` emulates it). These give the
restored table what the request asked for, as far as moto's table model holds it:

* ``RestoreTableFromBackup``'s ``BillingModeOverride``, ``ProvisionedThroughputOverride``,
  ``GlobalSecondaryIndexOverride`` (the indexes listed stay, so an empty list leaves
  none) and ``SSESpecificationOverride``;
* ``StartRestoreJob``'s DynamoDB metadata ``encryptionType`` (``Default``: DynamoDB's
  own key; ``KMS``: ``kmsMasterKeyArn``, or the account's ``alias/aws/dynamodb``
  without one; neither named: the AWS owned key, the default the AWS Backup console
  offers). Keys are case-insensitive, as AWS Backup's are.

Everything else of the table is what moto restored (with ``moto_gaps``' fix: the
backup's billing mode and encryption).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from moto.core.exceptions import JsonRESTError

ENCRYPTION_TYPES = ("Default", "KMS")


def _set_encryption(table: Any, specification: Mapping[str, Any]) -> None:
    """``SSESpecification`` semantics: ``Enabled`` false or absent is the AWS owned key
    (DescribeTable then shows no ``SSEDescription``); true is KMS, with
    ``KMSMasterKeyId`` or the account's AWS managed key."""
    if not specification.get("Enabled"):
        table.sse_specification = None
        return
    key = specification.get("KMSMasterKeyId") or table._get_default_encryption_key(
        table.account_id, table.region_name
    )
    table.sse_specification = {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key}


def apply_restore_overrides(table: Any, request: Mapping[str, Any]) -> None:
    """RestoreTableFromBackup's overrides in ``request`` (its JSON body) on ``table``."""
    if "BillingModeOverride" in request:
        table.billing_mode = request["BillingModeOverride"]
        if table.billing_mode == "PAY_PER_REQUEST":  # as DynamoDB describes on-demand tables
            table.throughput = {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0}
    if "ProvisionedThroughputOverride" in request:
        table.throughput = dict(request["ProvisionedThroughputOverride"])
    table.throughput.setdefault("NumberOfDecreasesToday", 0)
    if "GlobalSecondaryIndexOverride" in request:
        kept = {index["IndexName"] for index in request["GlobalSecondaryIndexOverride"]}
        table.global_indexes = [index for index in table.global_indexes if index.name in kept]
    if "SSESpecificationOverride" in request:
        _set_encryption(table, request["SSESpecificationOverride"])


def apply_restore_metadata(table: Any, metadata: Mapping[str, str]) -> None:
    """StartRestoreJob's encryption metadata (keys in any case) on ``table``."""
    by_key = {key.lower(): value for key, value in metadata.items()}
    encryption_type = by_key.get("encryptiontype", "Default")
    if encryption_type == "KMS":
        _set_encryption(table, {"Enabled": True, "KMSMasterKeyId": by_key.get("kmsmasterkeyarn")})
    else:
        _set_encryption(table, {"Enabled": False})


def check_restore_metadata(metadata: Mapping[str, str]) -> None:
    """Refuse an ``encryptionType`` other than ``Default`` or ``KMS`` when the job is
    started (aws-facts section 3 names those two)."""
    by_key = {key.lower(): value for key, value in metadata.items()}
    encryption_type = by_key.get("encryptiontype")
    if encryption_type is not None and encryption_type not in ENCRYPTION_TYPES:
        raise JsonRESTError(
            "InvalidParameterValueException",
            f"encryptionType {encryption_type!r} is not one of {', '.join(ENCRYPTION_TYPES)}",
        )
