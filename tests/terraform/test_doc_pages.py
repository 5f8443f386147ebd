"""The README is a short front door, and the pages behind it stay true to the files they
describe: the layout lists every root .tf file, each example's README its own outputs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tools.tfcheck.config import load_module
from tools.tfcheck.docs import BEGIN, END

REPO_ROOT = Path(__file__).resolve().parents[2]
README = REPO_ROOT / "README.md"
DEVELOPMENT = REPO_ROOT / "docs" / "development.md"
EXAMPLES = sorted(p.parent for p in (REPO_ROOT / "examples").glob("*/main.tf"))


def section(text: str, heading: str) -> str:
    """The text under a markdown heading, up to the next heading of any level."""
    match = re.search(rf"^#+ {re.escape(heading)}\n(.*?)(?=^#+ |\Z)", text, re.M | re.S)
    assert match, f"no heading {heading!r}"
    return match[1]


def test_the_readme_is_at_most_350_lines_besides_the_generated_block() -> None:
    text = README.read_text()
    before, rest = text.split(BEGIN, 1)
    after = rest.split(END, 1)[1]
    assert len((before + after).splitlines()) <= 350


def test_the_readme_links_every_docs_page() -> None:
    text = README.read_text()
    pages = sorted(p.name for p in (REPO_ROOT / "docs").glob("*.md"))
    assert pages, "docs/ has no page"
    assert [p for p in pages if f"(docs/{p}" not in text] == []


def test_the_layout_lists_every_root_tf_file_and_no_other() -> None:
    tree = re.search(r"## Layout\n.*?```\n(.*?)```", DEVELOPMENT.read_text(), re.S)
    assert tree, "docs/development.md has no layout tree"
    listed = set(re.findall(r"(?<![\w./-])([\w-]+\.tf)\b", tree[1]))
    on_disk = {p.name for p in REPO_ROOT.glob("*.tf")}
    assert sorted(on_disk - listed) == [], "root .tf files missing from the layout"
    assert sorted(listed - on_disk) == [], "the layout lists .tf files that do not exist"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_an_example_readme_names_exactly_the_outputs_it_declares(example: Path) -> None:
    outputs = section((example / "README.md").read_text(), "Outputs")
    rows = re.findall(r"^\| *`?(\w+)`? *\|", outputs, re.M)
    named = {n for n in rows + re.findall(r"`(\w+)`", outputs) if n != "Name"}
    assert sorted(named) == sorted(load_module(example).outputs)
