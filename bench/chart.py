"""The charts ``make bench`` draws: cost per rotation and state transitions against the
restore's length, the module (both restore paths) next to the original (``draw``); a
pass's wall time and cost against the copy's size (``draw_pass``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter

# key in results.json, legend, colour, marker, where its values are written
SERIES = (
    ("original", "original (SAR application)", "#c0392b", "s", (-6, 8)),
    ("module", "module, DynamoDB backup", "#1f77b4", "o", (-6, 8)),
    ("module_aws_backup", "module, AWS Backup recovery point", "#2ca02c", "^", (-6, -15)),
)


def _label(seconds: int) -> str:
    return f"{seconds // 60} min" if seconds < 3600 else f"{seconds // 3600} h"


def draw(durations: dict[str, dict[str, Any]], path: Path) -> None:
    seconds = sorted(int(key) for key in durations)
    hours = [s / 3600 for s in seconds]
    figure, (costs, transitions) = plt.subplots(1, 2, figsize=(11, 4.4))
    drawn: dict[Any, list[float]] = {costs: [], transitions: []}
    for key, label, colour, marker, offset in SERIES:
        if any(durations[str(s)].get(key) is None for s in seconds):
            continue
        rows: list[dict[str, Any]] = [durations[str(s)][key] for s in seconds]
        for axis, field, scale, fmt in (
            (costs, "cost_usd", 1000, "{:.2f}"),
            (transitions, "transitions", 1, "{:.0f}"),
        ):
            values = [row[field] * scale for row in rows]
            drawn[axis] += values
            axis.plot(hours, values, marker=marker, color=colour, label=label)
            for x, y in zip(hours, values, strict=True):
                axis.annotate(
                    fmt.format(y),
                    (x, y),
                    textcoords="offset points",
                    xytext=offset,
                    fontsize=8,
                    color=colour,
                )
    for axis, title, unit in (
        (costs, "Cost per rotation", "USD per 1,000 rotations"),
        (transitions, "State transitions per rotation", "transitions (every state and retry)"),
    ):
        axis.set_title(title)
        axis.set_ylabel(unit)
        axis.set_xlabel("restore duration")
        # logarithmic: 5 minutes to 6 hours, and the original's growth next to the
        # module's, both stay readable
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xticks(hours, [_label(s) for s in seconds])
        axis.minorticks_off()
        axis.set_xlim(hours[0] / 1.6, hours[-1] * 1.6)
        axis.set_ylim(min(drawn[axis]) / 2, max(drawn[axis]) * 2)
        axis.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
        axis.grid(True, alpha=0.3)
    costs.legend(loc="upper left", fontsize=8)
    figure.suptitle(
        "make bench: one rotation on the emulator's simulated clock "
        "(us-east-1 list prices, bench/prices.json); both axes logarithmic",
        fontsize=10,
    )
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def draw_pass(rows: list[dict[str, Any]], write_limit: float, path: Path) -> None:
    """The pass (``bench.passes``, modelled): wall time and cost against the copy's size,
    at the default MaxConcurrency and at the one that reaches the table's write limit."""
    gib = [row["gib"] for row in rows]
    figure, (times, costs) = plt.subplots(1, 2, figsize=(11, 4.4))
    concurrency = rows[0]["default"]["max_concurrency"]
    for values, label, colour, style in (
        (
            [row["default"]["wall_s"] / 3600 for row in rows],
            f"MaxConcurrency {concurrency} (the default)",
            "#c0392b",
            "o-",
        ),
        (
            [row["needed"]["wall_s"] / 3600 for row in rows],
            "MaxConcurrency that reaches the write limit (at most a worker a segment)",
            "#1f77b4",
            "s-",
        ),
        (
            [row["write_limited_s"] / 3600 for row in rows],
            f"every write at the table's limit ({write_limit:,.0f} write units a second)",
            "#7f7f7f",
            "--",
        ),
    ):
        times.plot(gib, values, style, color=colour, label=label, markersize=4)
    for key, label, colour in (
        ("total", "total", "#000000"),
        ("writes", "DynamoDB writes", "#c0392b"),
        ("lambda", "Lambda", "#ff7f0e"),
        ("reads", "DynamoDB reads", "#1f77b4"),
        ("step_functions", "Step Functions", "#2ca02c"),
    ):
        costs.plot(
            gib,
            [row["default"]["usd"][key] for row in rows],
            "o-",
            color=colour,
            label=label,
            markersize=4,
        )
    for axis, title, unit in (
        (times, "Wall time of a pass", "hours"),
        (costs, f"Cost of a pass (MaxConcurrency {concurrency})", "USD"),
    ):
        axis.set_title(title)
        axis.set_ylabel(unit)
        axis.set_xlabel("copy's size (GiB of 1 KB items, a segment a quarter GiB)")
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
        axis.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
        axis.grid(True, alpha=0.3)
        axis.legend(loc="upper left", fontsize=7)
    figure.suptitle(
        "make bench: a pass modelled from the worker's measured CPU time, assumed API latencies\n"
        "and DynamoDB's per-table limits (bench/pass_model.py, us-east-1 on-demand prices); "
        "both axes logarithmic",
        fontsize=9,
    )
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
