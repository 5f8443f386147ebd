"""Every measured figure the docs state comes from bench/results.json (tools/docfigures.py,
docs/development.md "Figures"): a figure that disagrees, a marker naming nothing, or a
figure stated without a marker fails."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tools import docfigures

REPO_ROOT = Path(__file__).resolve().parents[2]
RESULTS = {"durations": {"3600": {"module": {"transitions": 20, "cost_usd": 0.00051067}}}}
VARIABLES = 'variable "max_poll_interval_seconds" {\n  type    = number\n  default = 300\n}\n'


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "bench").mkdir()
    (tmp_path / "bench" / "results.json").write_text(json.dumps(RESULTS))
    (tmp_path / "variables.tf").write_text(VARIABLES)
    (tmp_path / "docs").mkdir()
    return tmp_path


def messages(root: Path) -> list[str]:
    return [problem.message for problem in docfigures.check(root)]


def test_every_documented_figure_matches_bench_results() -> None:
    problems = docfigures.check(REPO_ROOT)
    assert problems == [], "\n".join(map(str, problems))


def test_the_docs_state_their_figures_through_markers() -> None:
    marked = [
        path
        for path in docfigures.documents(REPO_ROOT)
        if docfigures.MARKER.search(path.read_text())
    ]
    assert REPO_ROOT / "docs" / "performance.md" in marked


def test_figures_that_match_their_sources_pass(root: Path) -> None:
    (root / "README.md").write_text(
        "A rotation: <!-- bench: durations/3600/module/transitions -->20<!-- /bench -->"
        " transitions, $<!-- bench: durations/3600/module/cost_usd | .6f -->0.000511"
        "<!-- /bench -->, noticed within"
        " <!-- default: max_poll_interval_seconds -->300<!-- /default --> s.\n"
    )
    assert messages(root) == []


def test_a_figure_that_disagrees_with_results_json_fails(root: Path) -> None:
    (root / "docs" / "page.md").write_text(
        "\n<!-- bench: durations/3600/module/transitions -->19<!-- /bench --> transitions\n"
    )
    problems = docfigures.check(root)
    assert [(str(p.path), p.line) for p in problems] == [("docs/page.md", 2)]
    assert "says '19' where bench/results.json gives '20'" in problems[0].message


def test_a_default_that_disagrees_with_variables_tf_fails(root: Path) -> None:
    (root / "README.md").write_text(
        "<!-- default: max_poll_interval_seconds -->600<!-- /default --> s\n"
    )
    assert messages(root) == [
        "says '600' where variables.tf gives '300' (max_poll_interval_seconds): run `make docs`"
    ]


def test_a_marker_naming_a_path_that_does_not_exist_fails(root: Path) -> None:
    (root / "README.md").write_text(
        "<!-- bench: durations/7200/module/transitions -->20<!-- /bench --> transitions\n"
        "<!-- default: no_such_input -->1<!-- /default -->\n"
    )
    assert messages(root) == [
        "marker bench: durations/7200/module/transitions: bench/results.json has no durations/7200",
        "marker default: no_such_input: variables.tf has no variable 'no_such_input' "
        "with a literal default",
    ]


def test_a_marker_naming_a_table_instead_of_a_figure_fails(root: Path) -> None:
    (root / "README.md").write_text("<!-- bench: durations/3600 -->x<!-- /bench -->\n")
    assert "not a figure" in messages(root)[0]


@pytest.mark.parametrize(
    "sentence",
    [
        "A one-hour restore takes 19 transitions.",
        "It costs $0.0005 a rotation.",
        "The original costs 9.06 times as much.",
        "It imports in 20.19 ms.",
        "The largest zip is 56,234 bytes.",
        "Its detection lag is at most 300 s.",
        "A burst made 11,443 Lambda invocations.",
    ],
)
def test_a_figure_stated_without_a_marker_fails(root: Path, sentence: str) -> None:
    (root / "README.md").write_text(f"Intro.\n\n{sentence}\n")
    problems = docfigures.check(root)
    assert len(problems) == 1 and problems[0].line == 3, problems
    assert "without a marker" in problems[0].message


def test_code_and_the_generated_block_are_not_read_for_figures(root: Path) -> None:
    (root / "README.md").write_text(
        "Run `aws ... --max-items 20 transitions`.\n\n```sh\n# costs $5\n```\n\n"
        "<!-- BEGIN_TF_DOCS -->\n| at most 25 transitions |\n<!-- END_TF_DOCS -->\n"
        "A count in words: two transitions per hook.\n"
    )
    assert messages(root) == []


def test_update_rewrites_every_marker_from_its_source(root: Path) -> None:
    stale = (
        "<!-- bench: durations/3600/module/transitions -->17<!-- /bench --> transitions,"
        " $<!-- bench: durations/3600/module/cost_usd | .6f -->0.1<!-- /bench -->\n"
    )
    (root / "docs" / "page.md").write_text(stale)
    assert docfigures.update(root) == [Path("docs/page.md")]
    assert (root / "docs" / "page.md").read_text() == stale.replace(">17<", ">20<").replace(
        ">0.1<", ">0.000511<"
    )
    assert messages(root) == []
    assert docfigures.update(root) == []


def test_the_repository_docs_are_checked_on_a_copy_too(tmp_path: Path) -> None:
    """A changed bench/results.json makes the committed docs fail until `make docs`."""
    for name in ("README.md", "variables.tf"):
        shutil.copy(REPO_ROOT / name, tmp_path / name)
    shutil.copytree(REPO_ROOT / "docs", tmp_path / "docs")
    (tmp_path / "bench").mkdir()
    results = json.loads((REPO_ROOT / "bench" / "results.json").read_text())
    results["durations"]["3600"]["module"]["transitions"] += 1
    (tmp_path / "bench" / "results.json").write_text(json.dumps(results))
    changed = [str(p) for p in {p.path for p in docfigures.check(tmp_path)}]
    assert "docs/performance.md" in changed
    docfigures.update(tmp_path)
    assert docfigures.check(tmp_path) == []
