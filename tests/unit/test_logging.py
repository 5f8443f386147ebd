"""Every application log level the module accepts can be given to the functions."""

from __future__ import annotations

import importlib
import logging
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

import rotator.handlers
from rotator.handlers import log_level
from rotator.logcontext import bound, get_logger

ROOT = Path(__file__).resolve().parents[2]


def module_log_levels() -> list[str]:
    """The values variables.tf allows for lambda_log_level."""
    text = (ROOT / "variables.tf").read_text()
    block = text[text.index('variable "lambda_log_level"') :]
    block = block[: block.index("\n}\n")]
    return re.findall(r'"([A-Z]+)"', block[block.index("contains(") :])


def test_the_module_allows_the_lambda_levels() -> None:
    assert set(module_log_levels()) >= {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"}


@pytest.fixture(autouse=True)
def restore_the_logger_level() -> Iterator[None]:
    level = logging.getLogger("rotator").level
    yield
    logging.getLogger("rotator").setLevel(level)


@pytest.mark.parametrize("name", module_log_levels())
def test_every_allowed_level_imports_the_handlers(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_LAMBDA_LOG_LEVEL", name)
    importlib.reload(rotator.handlers)
    expected = "DEBUG" if name == "TRACE" else name
    assert logging.getLogger("rotator").level == logging.getLevelNamesMapping()[expected]


@pytest.mark.parametrize(
    ("name", "level"),
    [
        (None, logging.INFO),
        ("", logging.INFO),
        ("verbose", logging.INFO),
        (" trace ", logging.DEBUG),
    ],
)
def test_unset_or_unknown_levels_fall_back(name: str | None, level: int) -> None:
    assert log_level(name) == level


def test_bound_fields_are_added_to_every_record_and_a_calls_own_win(
    caplog: pytest.LogCaptureFixture,
) -> None:
    logger = get_logger("rotator.test_logcontext")
    with caplog.at_level(logging.INFO, logger="rotator"):
        with bound(job_id="J-1", execution_name="J-1", empty=None):
            logger.info("inside")
            logger.info("own", extra={"job_id": "OTHER"})
            with bound(execution_name="E-2"):
                logger.info("nested")
        logger.info("outside")
    inside, own, nested, outside = caplog.records
    assert (inside.job_id, inside.execution_name) == ("J-1", "J-1")  # type: ignore[attr-defined]
    assert not hasattr(inside, "empty")
    assert own.job_id == "OTHER"  # type: ignore[attr-defined]
    assert (nested.job_id, nested.execution_name) == ("J-1", "E-2")  # type: ignore[attr-defined]
    assert not hasattr(outside, "job_id")


def test_get_logger_attaches_its_filter_once() -> None:
    # a new name every run: loggers are process-wide, and mutmut forks its runs from a
    # process that has already made the test's loggers
    name = f"rotator.test_logcontext_{uuid.uuid4().hex}"
    logger = get_logger(name)
    get_logger(name)
    assert len(logger.filters) == 1
    record = logging.LogRecord("rotator.x", logging.INFO, __file__, 1, "m", None, None)
    with bound(job_id="J-9"):
        assert logger.filters[0].filter(record) is True  # type: ignore[union-attr]
    assert record.job_id == "J-9"  # type: ignore[attr-defined]
