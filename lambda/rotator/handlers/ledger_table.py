"""The ledger of copies in DynamoDB (``LEDGER_TABLE_NAME``): reading and writing the
entries ``rotator.ledger`` defines. Every write is a conditional PutItem, so an entry
is never overwritten by a step that read an older version of it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from rotator.aws import aws_call, client, error_code
from rotator.errors import ConfigurationError
from rotator.ledger import Entry, LedgerError
from rotator.settings import ledger_table_name


class LedgerChanged(Exception):
    """The entry changed (or was made) since it was read: the write did not happen."""


@dataclass(frozen=True)
class Ledger:
    table_name: str

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Ledger:
        return cls(ledger_table_name(env))

    def get(self, copy: str) -> Entry | None:
        """The entry of ``copy`` (strongly consistent read), ``None`` if there is none."""
        with aws_call(f"DynamoDB GetItem {copy} from the ledger {self.table_name}"):
            item = client("dynamodb").get_item(
                TableName=self.table_name, Key={"copy": {"S": copy}}, ConsistentRead=True
            )
        found = item.get("Item")
        return None if found is None else _entry(found)

    def claim(self, entry: Entry) -> bool:
        """Write a new entry; False if the ledger has one for that name already."""
        try:
            self._put(entry, "attribute_not_exists(#copy)", {})
        except LedgerChanged:
            return False
        return True

    def replace(self, old: Entry, new: Entry) -> None:
        """Write ``new`` over ``old``; ``LedgerChanged`` if the stored entry is no longer
        ``old`` (another step wrote it since it was read)."""
        self._put(
            new,
            "#state = :state AND updated_at = :updated",
            {":state": {"S": old.state}, ":updated": old.to_item()["updated_at"]},
        )

    def _put(self, entry: Entry, condition: str, values: dict[str, Any]) -> None:
        request: dict[str, Any] = {
            "TableName": self.table_name,
            "Item": entry.to_item(),
            "ConditionExpression": condition,
            "ExpressionAttributeNames": {"#copy": "copy"}
            if "#copy" in condition
            else {"#state": "state"},
        }
        if values:
            request["ExpressionAttributeValues"] = values
        with aws_call(f"DynamoDB PutItem {entry.copy} into the ledger {self.table_name}"):
            try:
                client("dynamodb").put_item(**request)
            except ClientError as err:
                if error_code(err) != "ConditionalCheckFailedException":
                    raise
                raise LedgerChanged(
                    f"the ledger entry of {entry.copy} changed since it was read; not written"
                ) from None

    def entries_of(self, source_table: str) -> list[Entry]:
        """Every entry of copies of ``source_table`` (Scan with a filter, every page)."""
        entries: list[Entry] = []
        request: dict[str, Any] = {
            "TableName": self.table_name,
            "FilterExpression": "source_table = :source",
            "ExpressionAttributeValues": {":source": {"S": source_table}},
            "ConsistentRead": True,
        }
        with aws_call(f"DynamoDB Scan of the ledger {self.table_name}"):
            while True:
                page = client("dynamodb").scan(**request)
                entries.extend(_entry(item) for item in page.get("Items", []))
                if not page.get("LastEvaluatedKey"):
                    return entries
                request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _entry(item: Mapping[str, Any]) -> Entry:
    try:
        return Entry.from_item(item)
    except LedgerError as err:
        raise ConfigurationError(
            f"the ledger holds an item this rotator cannot read: {err}; expected only items "
            "the rotator's functions wrote"
        ) from None
