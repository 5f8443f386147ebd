"""docs/operations.md's snippets, read as make e2e reads them: what can be checked
without running them (make e2e runs each against the sandbox with the pinned AWS CLI
and checks its effect, tests/emulator/sandbox.py)."""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.emulator.deployment import check_example, example_names
from tests.emulator.sandbox import OPERATION_CHECKS, OPERATIONS, SNIPPET, snippets

CODE = snippets()


def test_every_marked_snippet_is_one_make_e2e_runs_and_checks() -> None:
    assert set(CODE) == set(OPERATION_CHECKS)


def test_every_bash_block_of_the_page_is_a_marked_snippet() -> None:
    text = OPERATIONS.read_text()
    assert text.count("```bash\n") == len(SNIPPET.findall(text)) == len(CODE)


@pytest.mark.parametrize("name", sorted(CODE))
def test_a_snippet_stops_at_the_first_error(name: str) -> None:
    assert CODE[name].startswith("set -euo pipefail\n")


@pytest.mark.parametrize("name", sorted(CODE))
def test_a_snippet_is_valid_bash(name: str) -> None:
    result = subprocess.run(
        ["bash", "-n", "-c", CODE[name]], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", sorted(CODE))
def test_a_snippet_uses_no_option_aws_cli_v1_lacks(name: str) -> None:
    # v2 only: --cli-binary-format, --cli-auto-prompt, --no-cli-pager
    assert not re.search(r"--cli-binary-format|--cli-auto-prompt|--no-cli-pager", CODE[name])


@pytest.mark.parametrize("name", sorted(CODE))
def test_a_snippet_uses_gnu_date_only_with_a_bsd_fallback(name: str) -> None:
    gnu = re.findall(r"date -u -d ", CODE[name])
    assert len(gnu) == len(re.findall(r"\|\| date -u -r ", CODE[name]))


def test_an_unknown_example_is_refused_with_the_list_of_examples() -> None:
    with pytest.raises(ValueError, match="unknown example 'nope'; expected one of basic, "):
        check_example("nope")
    assert {"basic", "complete", "eventbridge"} <= set(example_names())
