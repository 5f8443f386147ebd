"""The Cleanup step refuses an input that is not what the workflow passes, before any
AWS call (its AWS behaviour is in tests/workflow/test_cleanup.py)."""

from __future__ import annotations

from typing import Any

import pytest

from rotator import environment
from rotator.errors import ConfigurationError, InvalidInput
from rotator.handlers.cleanup import Published, handler

ENV = {
    "ROTATOR_NAME": "ddb-rotator",
    "KEEP_LAST": "2",
    "COPY_NAME_LITERAL": "-staging",
    "LEDGER_TABLE_NAME": "ddb-rotator-copies",
    "RESTORE_TIMEOUT_SECONDS": "86400",
}
COPY = "Orders-staging-20240827-09-20-00"
COPY_ARN = f"arn:aws:dynamodb:us-east-1:123456789012:table/{COPY}"
BACKUP = {
    "job_id": "job-1",
    "recovery_point_arn": "arn:aws:dynamodb:us-east-1:123456789012:table/Orders-Production/backup/1-a",
    "source_table_arn": "arn:aws:dynamodb:us-east-1:123456789012:table/Orders-Production",
    "started_at": "2024-08-27T09:20:00Z",
}
PUBLISHED = {
    "table_name": COPY,
    "table_arn": COPY_ARN,
    "parameter_name": "/staging/database-arn",
    "parameter_version": 3,
}


def test_what_publish_writes_is_read() -> None:
    assert Published.of({"publish": PUBLISHED}) == Published(
        COPY, COPY_ARN, "/staging/database-arn"
    )
    without = Published.of({"publish": {**PUBLISHED, "parameter_name": None}})
    assert without.parameter_name is None
    assert without.table_arn_prefix == "arn:aws:dynamodb:us-east-1:123456789012:table/"


@pytest.mark.parametrize(
    "publish",
    [
        None,
        "Orders-staging-20240827-09-20-00",
        {**PUBLISHED, "table_name": None},
        {**PUBLISHED, "table_arn": "not an ARN"},
        {**PUBLISHED, "table_arn": COPY_ARN.replace("20240827", "20240828")},  # another table
        {**PUBLISHED, "parameter_name": 7},
    ],
)
def test_an_input_without_what_publish_writes_is_refused(publish: Any) -> None:
    with pytest.raises(InvalidInput, match="step input 'publish'"), environment.given(ENV):
        handler({"backup": BACKUP, "publish": publish}, None)


def test_a_missing_backup_is_refused() -> None:
    with pytest.raises(InvalidInput, match="step input 'backup'"), environment.given(ENV):
        handler({"publish": PUBLISHED}, None)


def test_settings_are_checked_first() -> None:
    with (
        pytest.raises(ConfigurationError, match="KEEP_LAST"),
        environment.given({**ENV, "KEEP_LAST": "0"}),
    ):
        handler({"backup": BACKUP, "publish": PUBLISHED}, None)
