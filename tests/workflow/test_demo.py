"""`make demo` keeps working: it runs one rotation and prints the result, then the
lifecycle: two more rotations, the pointer moving, the oldest copy going."""

from __future__ import annotations

import pytest

from tests.emulator import demo


def test_the_demo_prints_each_step_and_the_result(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    demo.main()
    out = capsys.readouterr().out
    assert (
        "check 1: table Orders-staging-20240827-09-20-00 is CREATING after 0 s, still "
        "restoring; checked again after a longer wait"
    ) in out
    assert "check 3: table ACTIVE, ready" in out
    assert "execution SUCCEEDED" in out
    assert "new table:  Orders-staging-20240827-09-20-00" in out
    assert "items:      25" in out
    assert (
        "parameter:  /staging/database-arn = arn:aws:dynamodb:us-east-1:123456789012:"
        "table/Orders-staging-20240827-09-20-00"
    ) in out
    assert "configured: 5 tags; the copy holds data" in out  # env and the 4 bookkeeping
    assert (
        "backup of 2024-08-29: parameter -> Orders-staging-20240829-09-20-00\n"
        "     deleted: Orders-staging-20240827-09-20-00; copies now: "
        "Orders-staging-20240828-09-20-00, Orders-staging-20240829-09-20-00"
    ) in out
    # each backup's day comes before its rotation: no copy is from the future, so the
    # parameter rule only ever moves forward, without a WARNING
    assert "in the future" not in out + caplog.text
