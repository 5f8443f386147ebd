"""Every log line of a rotation names its job and its execution.

A handler binds ``job_id`` and ``execution_name`` once (``bound``); the loggers made
here add them to every record logged inside, unless the call gives its own. Lambda's
JSON log format writes a record's extra attributes as fields, so each line can be
found by job or execution in CloudWatch Logs Insights.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_fields: ContextVar[dict[str, str]] = ContextVar("rotator_log_fields", default={})  # noqa: B039


class _AddFields(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in _fields.get().items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True


_FILTER = _AddFields()


def get_logger(name: str) -> logging.Logger:
    """``logging.getLogger(name)``, adding the bound fields to its records."""
    logger = logging.getLogger(name)
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
    return logger


@contextmanager
def bound(**fields: str | None) -> Iterator[None]:
    """Add ``fields`` (those that are set) to every record logged inside."""
    token = _fields.set({**_fields.get(), **{k: v for k, v in fields.items() if v}})
    try:
        yield
    finally:
        _fields.reset(token)
