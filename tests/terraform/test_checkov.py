"""checkov runs offline with zero failed checks; skips are inline and give a reason."""

from __future__ import annotations

from pathlib import Path

from tests.terraform.editing import append, at
from tools.tfcheck import checkov_check
from tools.tfcheck.config import module_directories

UNENCRYPTED_TOPIC = '\nresource "aws_sns_topic" "plain" {\n  name = "plain"\n}\n'


def _line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def test_the_fixture_module_passes_with_its_reasoned_inline_skip(fixture_copy: Path) -> None:
    assert checkov_check.check_checkov(fixture_copy, module_directories(fixture_copy)) == []


def test_a_failed_check_is_reported_at_the_resource(fixture_copy: Path) -> None:
    main = fixture_copy / "main.tf"
    append(main, UNENCRYPTED_TOPIC)
    findings = checkov_check.check_checkov(fixture_copy, module_directories(fixture_copy))
    reported = at(findings, main, _line_of(main, 'resource "aws_sns_topic" "plain"'))
    assert any("CKV_AWS_26 failed" in f.message for f in reported)


def test_skips_without_a_reason_or_outside_a_resource_are_reported(fixture_copy: Path) -> None:
    main = fixture_copy / "main.tf"
    text = main.read_text().replace(
        "#checkov:skip=CKV_AWS_272:Code signing needs a signing profile that the caller owns; it is an input.",
        "#checkov:skip=CKV_AWS_272",
    )
    main.write_text(text + "\n#checkov:skip=CKV_AWS_26:Stray skip at the top level of the file.\n")
    findings = checkov_check.check_checkov(fixture_copy, module_directories(fixture_copy))
    unreasoned = at(findings, main, _line_of(main, 'resource "aws_lambda_function" "this"'))
    assert unreasoned and all("without a reason" in f.message for f in unreasoned)
    (stray,) = at(findings, main, _line_of(main, "Stray skip"))
    assert "suppresses nothing" in stray.message


def test_a_global_skip_in_a_checkov_config_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / ".checkov.yaml").write_text(
        "framework:\n  - terraform\nskip-check:\n  - CKV_AWS_26\n"
    )
    (finding,) = checkov_check._config_skips(tmp_path)
    assert (finding.line, finding.check) == (3, "checkov")


def test_a_reason_must_say_something() -> None:
    assert not checkov_check._is_real_reason("No comment provided")
    assert not checkov_check._is_real_reason("not needed")
    assert checkov_check._is_real_reason("Logs are encrypted with the caller's KMS key input.")
