"""Every application log level the module accepts can be given to the functions."""

from __future__ import annotations

import importlib
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import rotator.handlers
from rotator.handlers import log_level

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
