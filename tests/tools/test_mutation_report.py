"""`make mutate`'s report: scores per module, raw and without the equivalent mutants."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.mutation_report import EQUIVALENTS, main, parse_equivalents, parse_results, scores

RESULTS = """\
    rotator.naming.x_f__mutmut_1: killed
    rotator.naming.x_f__mutmut_2: survived
    rotator.naming.x_f__mutmut_3: timeout
    rotator.naming.x_g__mutmut_1: no tests
    rotator.model.xǁBackupJobǁto_dict__mutmut_1: killed
    rotator.model.xǁBackupJobǁto_dict__mutmut_2: survived
"""


def test_each_module_is_scored_raw_and_without_its_equivalent_mutants() -> None:
    table, problems = scores(parse_results(RESULTS.splitlines()), {"x_f__mutmut_2": "why"})
    assert problems == []
    by_module = {s.module: s for s in table}
    naming, model = by_module["rotator.naming"], by_module["rotator.model"]
    # a timeout counts as killed; "no tests" does not
    assert (naming.total, naming.killed, naming.equivalent) == (4, 2, 1)
    assert (naming.percent(False), round(naming.percent(True), 1)) == (50.0, 66.7)
    assert (model.total, model.killed, model.equivalent, model.percent(True)) == (2, 1, 0, 50.0)


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ("x_f__mutmut_1", "rotator.naming.x_f__mutmut_1: listed as equivalent, but killed"),
        ("x_h__mutmut_1", "x_h__mutmut_1: listed as equivalent, but no such mutant"),
    ],
)
def test_an_allow_list_entry_that_names_no_survivor_is_a_problem(entry: str, problem: str) -> None:
    _, problems = scores(parse_results(RESULTS.splitlines()), {entry: "why"})
    assert len(problems) == 1 and problems[0].startswith(problem)


def test_an_entry_names_a_mutant_by_the_end_of_its_name_so_a_moved_module_keeps_it() -> None:
    moved = RESULTS.replace("rotator.naming.", "rotator.sources.naming.")
    for entry in ("x_f__mutmut_2", "naming.x_f__mutmut_2", "rotator.sources.naming.x_f__mutmut_2"):
        table, problems = scores(parse_results(moved.splitlines()), {entry: "why"})
        assert problems == [] and sum(s.equivalent for s in table) == 1


def test_an_entry_that_fits_two_modules_must_say_which() -> None:
    both = RESULTS + "    rotator.other.x_f__mutmut_2: survived\n"
    _, problems = scores(parse_results(both.splitlines()), {"x_f__mutmut_2": "why"})
    assert problems == [
        "x_f__mutmut_2: listed as equivalent, but names 2 mutants "
        "(put the end of the module's name before it: <module>.x_f__mutmut_2)"
    ]
    _, problems = scores(parse_results(both.splitlines()), {"other.x_f__mutmut_2": "why"})
    assert problems == []


@pytest.mark.parametrize("line", ["x_f__mutmut_2", "rotator.naming.f__mutmut_2 why", "x_f reason"])
def test_an_allow_list_entry_needs_a_mutant_name_and_a_reason(line: str) -> None:
    with pytest.raises(ValueError, match="line 1"):
        parse_equivalents([line])


def test_the_allow_list_of_the_repository_reads() -> None:
    entries = parse_equivalents(EQUIVALENTS.read_text().splitlines())
    assert entries and all(len(reason) > 20 for reason in entries.values())


def test_the_run_fails_under_the_threshold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results = tmp_path / "results.txt"
    results.write_text(RESULTS)
    equivalents = tmp_path / "equivalents.txt"
    equivalents.write_text("# none\nx_f__mutmut_2 prints the same\n")
    arguments = [str(results), "--equivalents", str(equivalents)]
    assert main(arguments) == 0
    assert main([*arguments, "--fail-under", "60"]) == 1  # model: 1 of 2
    out, err = capsys.readouterr()
    assert "rotator.model" in out and "1/2 50.0%" in out
    assert "rotator.naming.x_g__mutmut_1: no tests" in out
    assert "error: rotator.model: 50.0%" in err
