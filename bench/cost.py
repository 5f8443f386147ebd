"""Prices to costs, pure arithmetic: what one rotation costs (state transitions and
Lambda), what the copies a rotator leaves behind cost a month (storage, and the
provisioned capacity a restore keeps unless the billing mode is overridden), and what a
pass over a copy costs (on-demand reads and writes, Lambda, transitions;
``bench.pass_model`` counts them).

Prices and assumptions come from ``bench/prices.json``, each price with its source.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PRICES = Path(__file__).with_name("prices.json")


@dataclass(frozen=True)
class Prices:
    transition: float
    lambda_request: float
    lambda_gb_second: dict[str, float]  # by architecture: "arm64", "x86_64"
    storage_gb_month: float
    rcu_hour: float
    wcu_hour: float
    read_request_unit: float  # on demand
    write_request_unit: float  # on demand
    billed_ms_per_invocation: float
    hours_per_month: float
    days_per_month: int


def load_prices(path: Path = PRICES) -> Prices:
    data = json.loads(path.read_text())
    price = {name: float(entry["value"]) for name, entry in data["prices"].items()}
    assumed = {name: entry["value"] for name, entry in data["assumptions"].items()}
    return Prices(
        transition=price["step_functions_per_state_transition"],
        lambda_request=price["lambda_per_request"],
        lambda_gb_second={
            "arm64": price["lambda_per_gb_second_arm64"],
            "x86_64": price["lambda_per_gb_second_x86_64"],
        },
        storage_gb_month=price["dynamodb_storage_per_gb_month"],
        rcu_hour=price["dynamodb_provisioned_rcu_per_hour"],
        wcu_hour=price["dynamodb_provisioned_wcu_per_hour"],
        read_request_unit=price["dynamodb_on_demand_per_read_request_unit"],
        write_request_unit=price["dynamodb_on_demand_per_write_request_unit"],
        billed_ms_per_invocation=float(assumed["lambda_billed_ms_per_invocation"]),
        hours_per_month=float(assumed["hours_per_month"]),
        days_per_month=int(assumed["days_per_month"]),
    )


def invocation_cost(memory_mb: int, architecture: str, prices: Prices) -> float:
    """One Lambda invocation: the request, and the assumed billed duration at the
    function's memory (GB = MB / 1024) and architecture."""
    gb_seconds = memory_mb / 1024 * prices.billed_ms_per_invocation / 1000
    return prices.lambda_request + gb_seconds * prices.lambda_gb_second[architecture]


def rotation_cost(
    transitions: int, invocations: int, memory_mb: int, architecture: str, prices: Prices
) -> float:
    """What one rotation costs in Step Functions and Lambda (USD)."""
    return transitions * prices.transition + invocations * invocation_cost(
        memory_mb, architecture, prices
    )


def pass_cost(
    *,
    read_units: int,
    write_units: int,
    lambda_requests: int,
    lambda_gb_seconds: float,
    transitions: int,
    architecture: str,
    prices: Prices,
) -> dict[str, float]:
    """What a pass over a copy costs (USD), by service: the copy's on-demand reads and
    writes, Lambda's requests and GB-seconds, Step Functions' transitions."""
    return {
        "reads": read_units * prices.read_request_unit,
        "writes": write_units * prices.write_request_unit,
        "lambda": lambda_requests * prices.lambda_request
        + lambda_gb_seconds * prices.lambda_gb_second[architecture],
        "step_functions": transitions * prices.transition,
    }


@dataclass(frozen=True)
class ExampleTable:
    """The source table whose copies are counted: its size and provisioned capacity
    (a restore without a billing override keeps the capacity as of the backup)."""

    size_gb: float
    read_capacity: int
    write_capacity: int


def copy_month_cost(table: ExampleTable, prices: Prices, on_demand: bool) -> float:
    """One copy of ``table`` held for a month: storage, plus its provisioned capacity
    unless it is on demand (PAY_PER_REQUEST has no idle cost; its reads and writes,
    whatever staging makes, are not counted)."""
    storage = table.size_gb * prices.storage_gb_month
    if on_demand:
        return storage
    hourly = table.read_capacity * prices.rcu_hour + table.write_capacity * prices.wcu_hour
    return storage + hourly * prices.hours_per_month


def copies_held(month: int, keep_last: int | None, days_per_month: int) -> float:
    """Copies held on average during ``month`` (1 = the first) with a backup, and so a
    new copy, a day: the k-th day since the first rotation holds k copies, or at most
    ``keep_last``. Each copy counts a whole day from its rotation on."""
    if month < 1:
        raise ValueError("month counts from 1")
    first = (month - 1) * days_per_month + 1
    days = range(first, first + days_per_month)
    held = sum(day if keep_last is None else min(day, keep_last) for day in days)
    return held / days_per_month


def retained_copies_cost(
    table: ExampleTable,
    prices: Prices,
    *,
    keep_last: int | None,
    on_demand: bool,
    month: int,
) -> float:
    """The month's bill for the copies held (USD)."""
    held = copies_held(month, keep_last, prices.days_per_month)
    return held * copy_month_cost(table, prices, on_demand)


def retained_copies_scenarios(
    table: ExampleTable, prices: Prices, keep_last: int, months: tuple[int, ...] = (1, 12)
) -> list[dict[str, Any]]:
    """Without keep_last (copies pile up, as with the original) and with it, each with
    and without the billing override (PAY_PER_REQUEST): the cost of the copies held in
    each of ``months``."""
    rows = []
    for keep in (None, keep_last):
        for on_demand in (False, True):
            rows.append(
                {
                    "keep_last": keep,
                    "billing_override": "PAY_PER_REQUEST" if on_demand else None,
                    "copy_month_usd": round(copy_month_cost(table, prices, on_demand), 2),
                    "months": {
                        str(month): {
                            "copies_held": round(
                                copies_held(month, keep, prices.days_per_month), 2
                            ),
                            "usd": round(
                                retained_copies_cost(
                                    table,
                                    prices,
                                    keep_last=keep,
                                    on_demand=on_demand,
                                    month=month,
                                ),
                                2,
                            ),
                        }
                        for month in months
                    },
                }
            )
    return rows
