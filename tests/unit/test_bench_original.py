"""make bench's re-statement of the original's state machine (bench/original.py) has
the documented structure: per poll a Wait, a Task and a Choice; no Retry, no Catch."""

from __future__ import annotations

from bench import durations, original


def test_the_original_polls_every_60_s_with_no_retry_and_no_catch() -> None:
    states = original.definition()["States"]
    assert original.definition()["StartAt"] == "Restore Backup"
    assert list(states) == [
        "Restore Backup",
        "SSM Parameter Provided ?",
        "Wait for Restore",
        "Check Restore Status",
        "Restore Complete?",
        "Update SSM Parameter",
        "Complete",
        "Error",
    ]
    assert states["Wait for Restore"] == {
        "Type": "Wait",
        "Seconds": 60,
        "Next": "Check Restore Status",
    }
    check = states["Check Restore Status"]
    assert (check["InputPath"], check["ResultPath"]) == (
        "$.RestoreTableFromBackupOutput",
        "$.DescribeTableOutput",
    )
    loop = {c["StringEquals"]: c["Next"] for c in states["Restore Complete?"]["Choices"]}
    assert loop == {
        "ACTIVE": "Update SSM Parameter",
        "CREATING": "Wait for Restore",
        "UPDATING": "Wait for Restore",
    }
    assert states["Restore Complete?"]["Default"] == "Error"
    assert not any("Retry" in s or "Catch" in s for s in states.values())


def test_its_functions_are_128_mb_x86_64() -> None:
    assert (original.MEMORY_MB, original.ARCHITECTURE) == (128, "x86_64")
    assert set(original.FUNCTIONS) == {"trigger", "restore", "check", "update_ssm"}


def test_the_module_is_costed_at_its_default_memory_and_architecture() -> None:
    assert durations.module_function_settings() == (256, "arm64")
