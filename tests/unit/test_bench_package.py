"""bench/package.py's reading of ``python -X importtime``: the handler's import beyond
boto3, and boto3's own import in the same interpreter that the target holds it against."""

from __future__ import annotations

import pytest

from bench.package import beyond_boto3_ms, boto3_ms

STDERR = """\
import time: self [us] | cumulative | imported package
import time:       200 |        200 |   encodings.utf_8
import time:      5000 |      40000 | site
import time:      3000 |     100000 |   botocore.session
import time:      8000 |     150000 | boto3
import time:       100 |       2000 | botocore.exceptions
--- after boto3 ---
import time:       500 |        900 |     rotator.model
import time:      1000 |      12000 |   rotator.handlers
import time:      3000 |      15000 | rotator.handlers.publish
import time:       400 |       1500 | rotator.settings
"""


def test_the_handler_counts_only_its_top_level_imports_after_boto3() -> None:
    assert beyond_boto3_ms(STDERR) == pytest.approx(16.5)


def test_boto3_counts_only_boto3_and_botocore_exceptions_before_the_marker() -> None:
    # site (Python's own start) and the nested botocore.session are not boto3's figure
    assert boto3_ms(STDERR) == pytest.approx(152.0)


def test_without_the_marker_nothing_is_beyond_boto3() -> None:
    assert beyond_boto3_ms(STDERR.replace("--- after boto3 ---\n", "")) == 0
