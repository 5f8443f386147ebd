"""What a restore request asks of the new table, applied to moto's restored table.

moto 5.2.5's RestoreTableFromBackup reads only ``TargetTableName`` and ``BackupArn``,
and moto has no StartRestoreJob at all (``backup_restores`` emulates it). These give the
restored table what the request asked for, as far as moto's table model holds it:

* ``RestoreTableFromBackup``'s ``BillingModeOverride``, ``ProvisionedThroughputOverride``
  (the table's capacity; each global index keeps its own unless its entry names one),
  ``OnDemandThroughputOverride`` (the table's maxima, instead of the backup's),
  ``GlobalSecondaryIndexOverride`` and ``LocalSecondaryIndexOverride`` (the indexes
  listed stay, so an empty list leaves none and no list keeps all; an entry is matched
  to the backup's index of the same ``KeySchema`` and ``Projection`` and takes the
  entry's name, and a global entry's ``ProvisionedThroughput``, ``OnDemandThroughput``
  and ``WarmThroughput`` apply to its index) and ``SSESpecificationOverride``. On demand,
  every global index's capacity is 0; PROVISIONED, there are no maxima. The table and
  its indexes start from a new table's warm throughput (``table_settings``).
  ``check_restore_overrides`` refuses, before anything is restored, what DynamoDB
  refuses: capacity without an effective PROVISIONED mode (or an override to
  PROVISIONED without it), maxima without an effective on-demand mode or below 1, an
  index entry matching no index of the backup, and a global entry without capacity on
  a PROVISIONED copy or with it on an on-demand one.
* ``StartRestoreJob``'s DynamoDB metadata ``encryptionType`` (``Default``: DynamoDB's
  own key; ``KMS``: ``kmsMasterKeyArn``, or the account's ``alias/aws/dynamodb``
  without one; neither named: the AWS owned key, the default the AWS Backup console
  offers). Keys are case-insensitive, as AWS Backup's are.

Everything else of the table is what moto restored (with ``moto_gaps``' fix: the
backup's billing mode and encryption; with ``table_settings``': the backup's on-demand
maxima).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.dynamodb.exceptions import MockValidationException

from tests.emulator.table_settings import (
    PAY_PER_REQUEST,
    PROVISIONED,
    billing_mode,
    reset_warm_throughput,
    set_on_demand,
)

ENCRYPTION_TYPES = ("Default", "KMS")
MAXIMA = ("MaxReadRequestUnits", "MaxWriteRequestUnits")


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


def _projection(projection: Mapping[str, Any]) -> tuple[Any, ...]:
    return (projection.get("ProjectionType"), sorted(projection.get("NonKeyAttributes") or []))


def _matches(index: Any, entry: Mapping[str, Any]) -> bool:
    return bool(
        index.schema == entry.get("KeySchema")
        and _projection(index.projection) == _projection(entry.get("Projection") or {})
    )


def _matching(indexes: Sequence[Any], entries: Sequence[Mapping[str, Any]]) -> list[Any]:
    """The index of ``indexes`` each entry keeps (same KeySchema and Projection, the one
    of the entry's name first), each at most once; None for an entry that matches none."""
    taken: list[Any] = []
    for entry in entries:
        candidates = [
            index
            for index in indexes
            if _matches(index, entry) and all(index is not other for other in taken)
        ]
        candidates.sort(key=lambda index: index.name != entry.get("IndexName"))
        taken.append(candidates[0] if candidates else None)
    return taken


def _refused(message: str) -> MockValidationException:
    return MockValidationException(f"Invalid Request: {message}")


def check_restore_overrides(source: Any, request: Mapping[str, Any]) -> None:
    """Refuse the overrides in ``request`` that DynamoDB refuses for a backup of
    ``source`` (the table as backed up), before any table is made."""
    overridden = request.get("BillingModeOverride")
    mode = overridden or billing_mode(source)
    if "ProvisionedThroughputOverride" in request and mode != PROVISIONED:
        raise _refused(
            "Cannot override ProvisionedThroughput if BillingMode is overridden to PAY_PER_REQUEST"
            if overridden == PAY_PER_REQUEST
            else "Cannot override ProvisionedThroughput unless BillingMode is PROVISIONED"
        )
    if overridden == PROVISIONED and "ProvisionedThroughputOverride" not in request:
        raise _refused(
            "Must override ProvisionedThroughput if BillingMode is overridden to PROVISIONED"
        )
    _check_maxima(request.get("OnDemandThroughputOverride"), mode, "")
    for kind, indexes in (("Global", source.global_indexes), ("Local", source.indexes)):
        entries = request.get(f"{kind}SecondaryIndexOverride")
        if entries is None:
            continue
        for entry, index in zip(entries, _matching(indexes, entries), strict=True):
            name = entry.get("IndexName")
            if index is None:
                raise _refused(
                    f"Index {name} does not match a secondary index that existed in the "
                    "source table and cannot be created during the restore operation"
                )
            if kind == "Local":
                continue
            if entry.get("ProvisionedThroughput") is not None and mode != PROVISIONED:
                raise _refused(
                    "Cannot override ProvisionedThroughput if BillingMode is overridden to "
                    f"PAY_PER_REQUEST for index {name}"
                )
            if entry.get("ProvisionedThroughput") is None and mode == PROVISIONED:
                raise _refused(f"Must specify provisioned throughput for index {name}")
            _check_maxima(entry.get("OnDemandThroughput"), mode, f" for index {name}")


def _check_maxima(maxima: Mapping[str, Any] | None, mode: str, where: str) -> None:
    if maxima is None:
        return
    for member in MAXIMA:
        value = maxima.get(member)
        if value is not None and value < 1:
            raise _refused(f"Requested {member} for OnDemandThroughput is outside of valid range")
        if value is not None and mode != PAY_PER_REQUEST:
            raise _refused(
                f"Cannot override {member} for OnDemandThroughput unless BillingModeOverride "
                f"is PAY_PER_REQUEST{where}"
            )


def apply_restore_overrides(table: Any, request: Mapping[str, Any]) -> None:
    """RestoreTableFromBackup's overrides in ``request`` (its JSON body) on ``table``,
    once ``check_restore_overrides`` let them through."""
    if "BillingModeOverride" in request:
        table.billing_mode = request["BillingModeOverride"]
        if table.billing_mode == "PAY_PER_REQUEST":  # as DynamoDB describes on-demand tables
            table.throughput = {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0}
    if "ProvisionedThroughputOverride" in request:
        table.throughput = dict(request["ProvisionedThroughputOverride"])
    table.throughput.setdefault("NumberOfDecreasesToday", 0)
    warmed: list[tuple[Any, Mapping[str, Any]]] = []
    if "GlobalSecondaryIndexOverride" in request:
        entries = request["GlobalSecondaryIndexOverride"]
        kept = _matching(table.global_indexes, entries)
        for entry, index in zip(entries, kept, strict=True):
            index.name = entry["IndexName"]
            if entry.get("ProvisionedThroughput") is not None:
                index.throughput = dict(entry["ProvisionedThroughput"])
            if entry.get("OnDemandThroughput") is not None:
                set_on_demand(index, entry["OnDemandThroughput"])
            if entry.get("WarmThroughput") is not None:
                warmed.append((index, entry["WarmThroughput"]))
        table.global_indexes = kept
    if "LocalSecondaryIndexOverride" in request:
        entries = request["LocalSecondaryIndexOverride"]
        kept = _matching(table.indexes, entries)
        for entry, index in zip(entries, kept, strict=True):
            index.name = entry["IndexName"]
        table.indexes = kept
    if billing_mode(table) == PAY_PER_REQUEST:
        for index in table.global_indexes:
            index.throughput = {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0}
        if "OnDemandThroughputOverride" in request:
            set_on_demand(table, request["OnDemandThroughputOverride"])
    else:
        for owner in (table, *table.global_indexes):
            set_on_demand(owner, {})
    reset_warm_throughput(table)
    for index, warm in warmed:
        index.warm_throughput = {**index.warm_throughput, **warm, "Status": "ACTIVE"}
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
