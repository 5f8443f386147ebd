"""The score per module of a mutmut run (``make mutate``), raw and without the mutants
listed as equivalent.

Reads what ``mutmut results --all true`` prints (``    <module>.<function>__mutmut_<n>:
<status>`` a line) and the allow-list of equivalent mutants (``tools/mutation_equivalents.txt``:
one mutant a line, by its name without the module, then the reason it changes no
behaviour). A timeout counts as killed: the tests noticed the mutant (it never finished).

    python -m tools.mutation_report RESULTS [--equivalents FILE] [--fail-under PERCENT]

Exits 1 when an allow-list entry names no surviving mutant (killed, so not equivalent, or
gone, so stale) or, with ``--fail-under``, when a module's score without the equivalent
mutants is below PERCENT.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

EQUIVALENTS = Path(__file__).with_name("mutation_equivalents.txt")
KILLED = frozenset({"killed", "timeout", "caught by type check"})
SURVIVED = "survived"


def parse_results(lines: Iterable[str]) -> dict[str, str]:
    """Mutant name -> status, from ``mutmut results --all true``."""
    results: dict[str, str] = {}
    for line in lines:
        name, sep, status = line.strip().rpartition(": ")
        if sep and "__mutmut_" in name:
            results[name] = status
    return results


def split_name(mutant: str) -> tuple[str, str]:
    """``rotator.naming.x_f__mutmut_3`` -> (``rotator.naming``, ``x_f__mutmut_3``): the
    function part starts with ``x_`` (a function) or ``xǁ`` (a method)."""
    parts = mutant.split(".")
    for i in range(len(parts) - 1, 0, -1):
        if parts[i].startswith(("x_", "xǁ")):
            return ".".join(parts[:i]), ".".join(parts[i:])
    raise ValueError(f"{mutant!r} is not a mutmut mutant name (<module>.x_<function>__mutmut_<n>)")


def parse_equivalents(lines: Iterable[str]) -> dict[str, str]:
    """The end of a mutant's name (``x_f__mutmut_3``, or ``sns.x_f__mutmut_3`` where two
    modules have a function of that name) -> reason; ``#`` starts a comment line."""
    entries: dict[str, str] = {}
    for number, line in enumerate(lines, 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        name, _, reason = text.partition(" ")
        function = name.rpartition(".")[2]
        if not reason.strip() or "__mutmut_" not in name or not function.startswith(("x_", "xǁ")):
            raise ValueError(
                f"line {number}: {text!r}; expected '<function>__mutmut_<n> <reason>', "
                "the end of the name mutmut gives it, from the function part on"
            )
        entries[name] = reason.strip()
    return entries


@dataclass(frozen=True)
class Score:
    module: str
    counts: Mapping[str, int]
    equivalent: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def killed(self) -> int:
        return sum(n for status, n in self.counts.items() if status in KILLED)

    def percent(self, without_equivalent: bool) -> float:
        total = self.total - (self.equivalent if without_equivalent else 0)
        return 100.0 if total == 0 else 100.0 * self.killed / total


def listed(mutant: str, entries: Iterable[str]) -> bool:
    return any(mutant == entry or mutant.endswith("." + entry) for entry in entries)


def scores(
    results: Mapping[str, str], equivalents: Mapping[str, str]
) -> tuple[list[Score], list[str]]:
    """The score of each module, and what is wrong with the allow-list."""
    counts: dict[str, Counter[str]] = {}
    equivalent: Counter[str] = Counter()
    for mutant, status in results.items():
        module, _ = split_name(mutant)
        counts.setdefault(module, Counter())[status] += 1
        if status == SURVIVED and listed(mutant, equivalents):
            equivalent[module] += 1
    problems = []
    for short in equivalents:
        found = [mutant for mutant in results if listed(mutant, [short])]
        if not found:
            problems.append(f"{short}: listed as equivalent, but no such mutant (stale entry)")
        elif len(found) > 1:
            problems.append(
                f"{short}: listed as equivalent, but names {len(found)} mutants "
                f"(put the end of the module's name before it: <module>.{short})"
            )
        elif results[found[0]] != SURVIVED:
            problems.append(
                f"{found[0]}: listed as equivalent, but {results[found[0]]} "
                "(a test tells it apart, so it is not equivalent)"
            )
    table = [Score(m, counts[m], equivalent[m]) for m in sorted(counts)]
    return table, problems


def render(table: list[Score]) -> str:
    """The table, one row a module and one for them all."""
    everything = Score(
        "all", sum((Counter(s.counts) for s in table), Counter()), sum(s.equivalent for s in table)
    )
    rows = [
        ("module", "mutants", "killed", "survived", "no tests", "equivalent", "score", "w/o equiv.")
    ]
    for s in [*table, everything]:
        rows.append(
            (
                s.module,
                str(s.total),
                str(s.killed),
                str(s.counts.get(SURVIVED, 0)),
                str(s.counts.get("no tests", 0)),
                str(s.equivalent),
                f"{s.killed}/{s.total} {s.percent(False):.1f}%",
                f"{s.killed}/{s.total - s.equivalent} {s.percent(True):.1f}%",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            cell.ljust(width) if column == 0 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    rule = "-" * len(lines[0])
    return "\n".join([lines[0], rule, *lines[1:-1], rule, lines[-1]])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path, help="output of `mutmut results --all true`")
    parser.add_argument("--equivalents", type=Path, default=EQUIVALENTS)
    parser.add_argument("--fail-under", type=float, default=None, metavar="PERCENT")
    args = parser.parse_args(argv)
    results = parse_results(args.results.read_text().splitlines())
    if not results:
        print(f"{args.results}: no mutants; did `mutmut run` run?", file=sys.stderr)
        return 1
    equivalents = parse_equivalents(args.equivalents.read_text().splitlines())
    table, problems = scores(results, equivalents)
    print(render(table))
    survivors = sorted(
        m for m, status in results.items() if status not in KILLED and not listed(m, equivalents)
    )
    if survivors:
        print(
            f"\nnot killed, not listed as equivalent ({len(survivors)}; `mutmut show NAME` in .cache/mutate):"
        )
        for mutant in survivors:
            print(f"  {mutant}: {results[mutant]}")
    for problem in problems:
        print(f"error: {args.equivalents}: {problem}", file=sys.stderr)
    below = [s for s in table if args.fail_under is not None and s.percent(True) < args.fail_under]
    for s in below:
        print(
            f"error: {s.module}: {s.percent(True):.1f}% of its behaviour-changing mutants "
            f"killed, under {args.fail_under:g}%",
            file=sys.stderr,
        )
    return 1 if problems or below else 0


if __name__ == "__main__":
    sys.exit(main())
