"""Step "CheckPass" (``pass``): the segments' counts added up and judged
(``rotator.passes.pass_problems``) against what PlanPass read of the backup's record
and the limits of ``pass``. The figures go into the copy's ledger entry either way; a
copy that fails raises ``CopyNotVerified`` with them, so nothing after this step runs
and the pointer stays where it is."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rotator import clock
from rotator.environment import environ
from rotator.errors import CopyNotVerified, InvalidInput
from rotator.handlers import backup_job_of, restore_state_of, workflow_step
from rotator.handlers.ledger_table import Ledger
from rotator.logcontext import get_logger
from rotator.passes import pass_problems, segment_counts
from rotator.settings import CheckPassSettings

logger = get_logger(__name__)


def _record(recovery_point_arn: str, copy: str, figures: Mapping[str, int | None]) -> None:
    """The figures in this rotation's ledger entry of the copy (the entry of its
    recovery point), whether the copy passed or not; the entry's state is left as it is."""
    ledger = Ledger.from_env(environ())
    entry = ledger.get(copy)
    if entry is None or entry.recovery_point_arn != recovery_point_arn:
        raise CopyNotVerified(
            f"the ledger of copies has no entry of copy {copy} from {recovery_point_arn}; "
            "expected the one StartRestore made. The pointer was not moved"
        )
    numbers = tuple(sorted((k, v) for k, v in figures.items() if v is not None))
    ledger.replace(entry, entry.moved_to(entry.state, clock.now(), pass_figures=numbers))


def _figure(plan: Mapping[str, Any], name: str) -> int | None:
    value = plan.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidInput(
            f"step input 'plan.{name}' is {value!r}; expected a whole number or null"
        )
    return value


@workflow_step
def handler(event: Any, context: Any) -> dict[str, Any]:
    """Lambda's entry point."""
    settings = CheckPassSettings.from_env(environ())
    job = backup_job_of(event)
    restore = restore_state_of(event)
    plan = event.get("plan")
    if not isinstance(plan, Mapping):
        raise InvalidInput("step input 'plan' is missing; expected PlanPass's result")
    total_segments = _figure(plan, "total_segments")
    if not total_segments:
        raise InvalidInput("step input 'plan.total_segments' is missing; expected at least 1")
    try:
        counts, missing = segment_counts(event.get("segments"), total_segments)
    except ValueError as err:
        raise InvalidInput(f"step input 'segments': {err}") from None
    recorded = _figure(plan, "recorded_items")
    size = _figure(plan, "backup_size_bytes")
    problems = pass_problems(
        counts,
        missing_segments=missing,
        recorded_items=recorded,
        tolerance_percent=settings.item_count_tolerance_percent,
        min_items=settings.min_items,
        backup_size_bytes=size,
    )
    name = restore.target_table_name
    figures = {
        **counts.to_dict(),
        "segments": total_segments,
        "recorded_items": recorded,
        "backup_size_bytes": size,
    }
    _record(job.recovery_point_arn, name, figures)
    if problems:
        raise CopyNotVerified(
            f"copy {name} failed its pass: {'; '.join(problems)} "
            f"(counted: {counts.items} items, {counts.bytes} bytes, {counts.masked} masked, "
            f"{counts.bad_keys} without their keys, in {total_segments} segments); "
            "the copy stays closed and the pointer was not moved"
        )
    logger.info(
        f"copy {name} passed: {counts.items} items, {counts.bytes} bytes, "
        f"{counts.masked} masked, in {total_segments} segments",
        extra={"action": "pass_checked", "table": name, "outcome": "passed", **figures},
    )
    return figures
