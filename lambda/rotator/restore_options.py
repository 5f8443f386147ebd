"""What a copy is restored with (``restore_settings``), turned into AWS requests. No AWS
calls here.

The two restore paths can set different things at restore time:

* ``RestoreTableFromBackup`` (classic DynamoDB backups) takes every setting as an
  override: billing mode, provisioned throughput, encryption, and the global and local
  secondary indexes to keep with their definitions (from DescribeBackup) and each
  global index's capacity (``restore_table_overrides``).
* ``StartRestoreJob`` (AWS Backup recovery points) takes only the encryption in its
  DynamoDB metadata (``encryptionType``, ``kmsMasterKeyArn``;
  ``start_restore_job_metadata``). The billing mode, the throughput, the global indexes
  to keep and their capacity cannot be set there: ``updates_after_restore`` gives the
  ``UpdateTable`` requests that apply them to the restored table. It reads the table's
  own description, so it asks only for what differs, and gives nothing for a copy that
  already has the settings (a classic restore with these overrides, or a repeat). Local
  indexes cannot be removed after a restore: ``local_index_problem`` says which the
  copy holds against the settings.

A setting left unset is left out of the requests, so the restore does what it does
without it (``RestoreTableFromBackup`` keeps the backup's). Every value is checked when
``RestoreOptions`` is built; errors say what was wrong and what was expected.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

PROVISIONED = "PROVISIONED"
PAY_PER_REQUEST = "PAY_PER_REQUEST"
BILLING_MODES = (PROVISIONED, PAY_PER_REQUEST)

# The copy's encryption at rest (DynamoDB's three kinds of key).
AWS_OWNED = "AWS_OWNED"  # DynamoDB's own key, no KMS charge
AWS_MANAGED = "AWS_MANAGED"  # the account's alias/aws/dynamodb
CUSTOMER_MANAGED = "CUSTOMER_MANAGED"  # kms_key_arn
ENCRYPTIONS = (AWS_OWNED, AWS_MANAGED, CUSTOMER_MANAGED)

# StartRestoreJob's DynamoDB metadata values of encryptionType.
_METADATA_ENCRYPTION_TYPE = {AWS_OWNED: "Default", AWS_MANAGED: "KMS", CUSTOMER_MANAGED: "KMS"}

KMS_KEY_ARN = re.compile(r"arn:aws(?:-[a-z]+)*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+")


def _capacity(name: str, value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(
            f"{name} is {value!r}; expected a whole number of capacity units, at least 1"
        )


def _matches(name: str, patterns: Sequence[str] | None) -> bool:
    if patterns is None:
        return True
    from fnmatch import fnmatchcase  # only with index settings: start-restore imports less

    return any(fnmatchcase(name, pattern) for pattern in patterns)


@dataclass(frozen=True)
class RestoreOptions:
    """``restore_settings``: ``None`` (or ``False``) leaves a setting out of the requests.

    ``read_capacity`` and ``write_capacity`` are capacity units, given exactly when
    ``billing_mode`` is PROVISIONED; ``kms_key_arn`` exactly when ``encryption`` is
    CUSTOMER_MANAGED.
    """

    billing_mode: str | None = None
    read_capacity: int | None = None
    write_capacity: int | None = None
    encryption: str | None = None
    kms_key_arn: str | None = None
    exclude_global_secondary_indexes: bool = False
    # The indexes to keep, by name or glob pattern ("*", "?"); None keeps every one.
    global_secondary_indexes: tuple[str, ...] | None = None
    local_secondary_indexes: tuple[str, ...] | None = None
    # (pattern, read, write) per global index of a PROVISIONED copy, sorted by pattern.
    index_capacity: tuple[tuple[str, int, int], ...] | None = None

    def __post_init__(self) -> None:
        if self.billing_mode is not None and self.billing_mode not in BILLING_MODES:
            raise ValueError(
                f"billing_mode is {self.billing_mode!r}; expected PROVISIONED or "
                "PAY_PER_REQUEST, or none to keep the backup's"
            )
        _capacity("read_capacity", self.read_capacity)
        _capacity("write_capacity", self.write_capacity)
        capacities = (self.read_capacity, self.write_capacity)
        if self.billing_mode == PROVISIONED and None in capacities:
            raise ValueError(
                "billing_mode is PROVISIONED but read_capacity and write_capacity are "
                f"{self.read_capacity!r} and {self.write_capacity!r}; expected both, in "
                "capacity units"
            )
        if self.billing_mode != PROVISIONED and capacities != (None, None):
            raise ValueError(
                f"read_capacity and write_capacity are set but billing_mode is "
                f"{self.billing_mode!r}; capacity is only given with billing_mode PROVISIONED"
            )
        if self.encryption is not None and self.encryption not in ENCRYPTIONS:
            raise ValueError(
                f"encryption is {self.encryption!r}; expected one of {', '.join(ENCRYPTIONS)}, "
                "or none to keep the backup's"
            )
        if self.encryption == CUSTOMER_MANAGED:
            if self.kms_key_arn is None or not KMS_KEY_ARN.fullmatch(self.kms_key_arn):
                raise ValueError(
                    f"encryption is CUSTOMER_MANAGED and kms_key_arn is {self.kms_key_arn!r}; "
                    "expected a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<key-id>)"
                )
        elif self.kms_key_arn is not None:
            raise ValueError(
                f"kms_key_arn is set but encryption is {self.encryption!r}; a key is only "
                "given with encryption CUSTOMER_MANAGED"
            )
        if self.exclude_global_secondary_indexes and self.global_secondary_indexes is not None:
            raise ValueError(
                "exclude_global_secondary_indexes and global_secondary_indexes are both set; "
                "expected one (exclude_global_secondary_indexes is global_secondary_indexes = [])"
            )
        for pattern, read, write in self.index_capacity or ():
            _capacity(f"index_capacity[{pattern!r}].read_capacity", read)
            _capacity(f"index_capacity[{pattern!r}].write_capacity", write)
        if self.index_capacity and self.billing_mode != PROVISIONED:
            raise ValueError(
                f"index_capacity is set but billing_mode is {self.billing_mode!r}; index "
                "capacity is only given with billing_mode PROVISIONED"
            )

    def keeps_global(self, index: str) -> bool:
        """Whether the copy keeps the global secondary index named ``index``."""
        if self.exclude_global_secondary_indexes:
            return False
        return _matches(index, self.global_secondary_indexes)

    def keeps_local(self, index: str) -> bool:
        """Whether the copy keeps the local secondary index named ``index``."""
        return _matches(index, self.local_secondary_indexes)

    def capacity_of(self, index: str) -> dict[str, int] | None:
        """The ``ProvisionedThroughput`` index_capacity gives the global index ``index``
        (the first pattern in order that matches it), if any."""
        from fnmatch import fnmatchcase

        for pattern, read, write in self.index_capacity or ():
            if fnmatchcase(index, pattern):
                return {"ReadCapacityUnits": read, "WriteCapacityUnits": write}
        return None

    @property
    def picks_indexes(self) -> bool:
        """Whether the restore needs the backup's index definitions (a subset of the
        indexes kept, or their capacity, is named): DescribeBackup has them."""
        return bool(
            self.global_secondary_indexes or self.local_secondary_indexes or self.index_capacity
        )

    @property
    def throughput(self) -> dict[str, int] | None:
        """The ``ProvisionedThroughput`` the settings give, if any."""
        if self.read_capacity is None or self.write_capacity is None:
            return None
        return {"ReadCapacityUnits": self.read_capacity, "WriteCapacityUnits": self.write_capacity}


def sse_specification(options: RestoreOptions) -> dict[str, Any] | None:
    """DynamoDB's ``SSESpecification`` for the settings' encryption (``None``: keep)."""
    if options.encryption == AWS_OWNED:
        return {"Enabled": False}
    if options.encryption == AWS_MANAGED:
        return {"Enabled": True, "SSEType": "KMS"}
    if options.encryption == CUSTOMER_MANAGED:
        return {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": options.kms_key_arn}
    return None


def _index_definition(index: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "IndexName": index["IndexName"],
        "KeySchema": index["KeySchema"],
        "Projection": index["Projection"],
    }


def restore_table_overrides(
    options: RestoreOptions, backup: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The keyword arguments ``RestoreTableFromBackup`` takes for the settings, besides
    ``TargetTableName`` and ``BackupArn``; empty when every setting keeps the backup's.

    ``backup`` is DescribeBackup's ``BackupDescription``, needed when the settings pick
    indexes (``options.picks_indexes``): an index override lists each index to keep
    with its definition, which the backup's ``SourceTableFeatureDetails`` records. A
    kept global index of a provisioned copy gets index_capacity's throughput, or the
    backup's; an on-demand copy's gets none.
    """
    overrides: dict[str, Any] = {}
    if options.billing_mode is not None:
        overrides["BillingModeOverride"] = options.billing_mode
    if options.throughput is not None:
        overrides["ProvisionedThroughputOverride"] = options.throughput
    if options.exclude_global_secondary_indexes or options.global_secondary_indexes == ():
        # "You can choose to exclude some or all of the indexes": none listed, none kept.
        overrides["GlobalSecondaryIndexOverride"] = []
    elif options.picks_indexes:
        if backup is None:
            raise ValueError("the settings pick indexes; expected the backup's description")
        features = backup.get("SourceTableFeatureDetails") or {}
        details = backup.get("SourceTableDetails") or {}
        provisioned = (options.billing_mode or details.get("BillingMode") or PROVISIONED) == (
            PROVISIONED
        )
        if options.global_secondary_indexes is not None or options.index_capacity:
            kept = []
            for index in features.get("GlobalSecondaryIndexes") or []:
                if not options.keeps_global(str(index["IndexName"])):
                    continue
                definition = _index_definition(index)
                if provisioned:
                    definition["ProvisionedThroughput"] = options.capacity_of(
                        str(index["IndexName"])
                    ) or _throughput(index)
                kept.append(definition)
            overrides["GlobalSecondaryIndexOverride"] = kept
        if options.local_secondary_indexes is not None:
            overrides["LocalSecondaryIndexOverride"] = [
                _index_definition(index)
                for index in features.get("LocalSecondaryIndexes") or []
                if options.keeps_local(str(index["IndexName"]))
            ]
    sse = sse_specification(options)
    if sse is not None:
        overrides["SSESpecificationOverride"] = sse
    return overrides


def start_restore_job_metadata(
    target_table_name: str, options: RestoreOptions, *, source_elsewhere: bool = False
) -> dict[str, str]:
    """``StartRestoreJob``'s ``Metadata`` for a DynamoDB recovery point.

    ``source_elsewhere``: the recovery point is in another Region or account than the
    table it was taken of (a copy). The source's key cannot be kept there, so with the
    encryption unset the copy is asked for DynamoDB's own key (``encryptionType``
    ``Default``) instead of leaving the choice unnamed.
    """
    metadata = {"targetTableName": target_table_name}
    encryption = options.encryption
    if encryption is None and source_elsewhere:
        encryption = AWS_OWNED
    if encryption is not None:
        metadata["encryptionType"] = _METADATA_ENCRYPTION_TYPE[encryption]
    if encryption == CUSTOMER_MANAGED:
        assert options.kms_key_arn is not None  # checked by RestoreOptions
        metadata["kmsMasterKeyArn"] = options.kms_key_arn
    return metadata


def not_set_by_start_restore_job(options: RestoreOptions) -> list[str]:
    """The settings ``StartRestoreJob`` cannot apply (``updates_after_restore`` does)."""
    names = []
    if options.billing_mode is not None:
        names.append("billing_mode")
    if options.throughput is not None:
        names.extend(["read_capacity", "write_capacity"])
    if options.exclude_global_secondary_indexes:
        names.append("exclude_global_secondary_indexes")
    if options.global_secondary_indexes is not None:
        names.append("global_secondary_indexes")
    if options.index_capacity:
        names.append("index_capacity")
    if options.local_secondary_indexes is not None:
        names.append("local_secondary_indexes")
    return names


def _billing_mode(table: Mapping[str, Any]) -> str:
    # DescribeTable leaves BillingModeSummary out for a table that was always provisioned.
    summary = table.get("BillingModeSummary") or {}
    return str(summary.get("BillingMode") or PROVISIONED)


def _throughput(described: Mapping[str, Any]) -> dict[str, int]:
    throughput = described.get("ProvisionedThroughput") or {}
    return {
        "ReadCapacityUnits": int(throughput.get("ReadCapacityUnits", 0)),
        "WriteCapacityUnits": int(throughput.get("WriteCapacityUnits", 0)),
    }


def updates_after_restore(
    table: Mapping[str, Any], options: RestoreOptions, scaled: frozenset[str] = frozenset()
) -> list[dict[str, Any]]:
    """The ``UpdateTable`` requests (keyword arguments, ``TableName`` included) that give
    the restored ``table`` (DescribeTable's ``Table``) the settings' billing mode,
    throughput and global secondary indexes, in the order to send them.

    UpdateTable does one such change at a time and refuses a request while the table
    is ``UPDATING``: send each only once the table and its indexes are ``ACTIVE`` again.
    First one request per global secondary index the settings do not keep (UpdateTable
    deletes one index per call; an index already ``DELETING`` is left to finish); then,
    if the billing mode or the table's throughput differ, one request that sets them.
    Switching to PROVISIONED gives every global secondary index that stays index_capacity's
    throughput, or the table's (UpdateTable wants capacity for the indexes too when the
    mode switches); on a provisioned copy, one request per index whose throughput differs
    from index_capacity's. Encryption is not among them: both paths set it at restore
    time. Local indexes cannot be changed after a restore (``local_index_problem``).

    ``scaled`` names what auto scaling manages the capacity of ("" the table, else an
    index): once a scalable target exists, its capacity is auto scaling's to move, and
    is not set back.

    An empty list: the table has the settings already. Calling it again on the table's
    new description gives what is left, so a repeated step sends nothing twice.
    """
    name = str(table["TableName"])
    indexes = []
    requests: list[dict[str, Any]] = []
    for index in table.get("GlobalSecondaryIndexes") or []:
        if options.keeps_global(str(index["IndexName"])):
            indexes.append(dict(index))
        elif index.get("IndexStatus") != "DELETING":
            requests.append(
                {
                    "TableName": name,
                    "GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": index["IndexName"]}}],
                }
            )
    current = _billing_mode(table)
    if options.billing_mode == PAY_PER_REQUEST and current != PAY_PER_REQUEST:
        requests.append({"TableName": name, "BillingMode": PAY_PER_REQUEST})
    elif options.billing_mode == PROVISIONED:
        wanted = options.throughput
        assert wanted is not None  # checked by RestoreOptions
        if current != PROVISIONED:
            request: dict[str, Any] = {
                "TableName": name,
                "BillingMode": PROVISIONED,
                "ProvisionedThroughput": wanted,
            }
            if indexes:
                request["GlobalSecondaryIndexUpdates"] = [
                    {
                        "Update": {
                            "IndexName": index["IndexName"],
                            "ProvisionedThroughput": options.capacity_of(str(index["IndexName"]))
                            or wanted,
                        }
                    }
                    for index in indexes
                ]
            requests.append(request)
            return requests
        if "" not in scaled and _throughput(table) != wanted:
            requests.append({"TableName": name, "ProvisionedThroughput": wanted})
        for index in indexes:
            capacity = options.capacity_of(str(index["IndexName"]))
            if index["IndexName"] in scaled:
                continue
            if capacity is not None and _throughput(index) != capacity:
                requests.append(
                    {
                        "TableName": name,
                        "GlobalSecondaryIndexUpdates": [
                            {
                                "Update": {
                                    "IndexName": index["IndexName"],
                                    "ProvisionedThroughput": capacity,
                                }
                            }
                        ],
                    }
                )
    return requests


def local_index_problem(table: Mapping[str, Any], options: RestoreOptions) -> str | None:
    """The local secondary indexes ``table`` holds that the settings do not keep: an AWS
    Backup restore cannot leave them out and UpdateTable cannot remove them."""
    extra = sorted(
        str(index["IndexName"])
        for index in table.get("LocalSecondaryIndexes") or []
        if not options.keeps_local(str(index["IndexName"]))
    )
    if not extra:
        return None
    return (
        f"copy {table['TableName']} has local secondary indexes {', '.join(extra)}, which "
        "restore_settings.local_secondary_indexes leaves out; an AWS Backup restore keeps "
        "every local index and none can be removed after it (RestoreTableFromBackup, the "
        "classic path, can leave them out)"
    )
