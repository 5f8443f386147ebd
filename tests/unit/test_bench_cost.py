"""The arithmetic of make bench's cost section (bench/cost.py) and its price table
(bench/prices.json): prices to costs, nothing timed."""

from __future__ import annotations

import json

import pytest

from bench import cost

PRICES = cost.Prices(
    transition=0.000025,
    lambda_request=0.0000002,
    lambda_gb_second={"arm64": 0.0000133334, "x86_64": 0.0000166667},
    storage_gb_month=0.25,
    rcu_hour=0.00013,
    wcu_hour=0.00065,
    read_request_unit=0.000000125,
    write_request_unit=0.000000625,
    billed_ms_per_invocation=100,
    hours_per_month=730,
    days_per_month=30,
)
BUSY = cost.ExampleTable(size_gb=50, read_capacity=400, write_capacity=200)


def test_every_price_in_the_table_has_its_source_and_the_date_it_was_read() -> None:
    data = json.loads(cost.PRICES.read_text())
    assert data["region"] == "us-east-1"
    for name, entry in data["prices"].items():
        assert entry["value"] > 0, name
        assert entry["source"].startswith("https://aws.amazon.com/"), name
        assert entry["read_from"] and entry["read"], name
    for name, entry in data["assumptions"].items():
        assert entry["why"], name


def test_the_table_loads_as_the_prices_used_here() -> None:
    assert cost.load_prices() == PRICES


def test_an_invocation_is_its_request_plus_its_assumed_duration_at_its_memory() -> None:
    # 128 MB for 100 ms: 0.125 GB x 0.1 s = 0.0125 GB-s
    assert cost.invocation_cost(128, "x86_64", PRICES) == pytest.approx(
        0.0000002 + 0.0125 * 0.0000166667
    )
    # 256 MB arm64: 0.025 GB-s at the arm64 price
    assert cost.invocation_cost(256, "arm64", PRICES) == pytest.approx(
        0.0000002 + 0.025 * 0.0000133334
    )


def test_a_rotation_is_its_transitions_and_its_invocations() -> None:
    # the original's one-hour restore: 184 transitions, 63 invocations of 128 MB x86_64
    expected = 184 * 0.000025 + 63 * (0.0000002 + 0.0125 * 0.0000166667)
    assert cost.rotation_cost(184, 63, 128, "x86_64", PRICES) == pytest.approx(expected)
    assert cost.rotation_cost(0, 0, 256, "arm64", PRICES) == 0


def test_arm64_is_cheaper_than_x86_64_at_the_same_memory() -> None:
    assert cost.rotation_cost(20, 20, 256, "arm64", PRICES) < cost.rotation_cost(
        20, 20, 256, "x86_64", PRICES
    )


def test_a_provisioned_copy_pays_its_idle_capacity_every_hour_and_an_on_demand_one_none() -> None:
    storage = 50 * 0.25
    capacity = (400 * 0.00013 + 200 * 0.00065) * 730
    assert cost.copy_month_cost(BUSY, PRICES, on_demand=False) == pytest.approx(storage + capacity)
    assert cost.copy_month_cost(BUSY, PRICES, on_demand=True) == pytest.approx(storage)


@pytest.mark.parametrize(
    ("month", "keep_last", "held"),
    [
        (1, None, 15.5),  # 1 + 2 + ... + 30 copies over 30 days
        (2, None, 45.5),  # 31 ... 60: thirty more each month
        (12, None, 345.5),
        (1, 2, (1 + 29 * 2) / 30),
        (2, 2, 2),
        (1, 1, 1),
        (1, 40, 15.5),  # more than a month's copies: nothing deleted yet
    ],
)
def test_copies_held_pile_up_without_keep_last_and_stop_at_it(
    month: int, keep_last: int | None, held: float
) -> None:
    assert cost.copies_held(month, keep_last, 30) == pytest.approx(held)


def test_months_count_from_one() -> None:
    with pytest.raises(ValueError, match="from 1"):
        cost.copies_held(0, None, 30)


def test_the_scenarios_are_without_and_with_keep_last_each_with_and_without_the_override() -> None:
    rows = cost.retained_copies_scenarios(BUSY, PRICES, keep_last=2)
    assert [(r["keep_last"], r["billing_override"]) for r in rows] == [
        (None, None),
        (None, "PAY_PER_REQUEST"),
        (2, None),
        (2, "PAY_PER_REQUEST"),
    ]
    piled, piled_on_demand, kept, kept_on_demand = rows
    one_copy = cost.copy_month_cost(BUSY, PRICES, on_demand=False)
    assert piled["months"]["1"] == {"copies_held": 15.5, "usd": round(15.5 * one_copy, 2)}
    assert kept["months"]["12"] == {"copies_held": 2, "usd": round(2 * one_copy, 2)}
    assert kept_on_demand["months"]["12"]["usd"] == 25.0
    assert piled_on_demand["months"]["12"]["usd"] == round(345.5 * 12.5, 2)
