"""checkov, offline, over the module and its examples: zero failed checks allowed.

checkov lives in its own virtual environment (.cache/venv-checkov, from
requirements-checkov.txt) because it pins an old boto3 and ships its own ``hcl2``.
It runs once, on a copy of the module and examples only (so test fixtures are not
scanned), with ``--skip-download`` so it makes no network call.

Skips are allowed only inline, on the resource, with a reason:
``#checkov:skip=CKV_AWS_123:why this does not apply here``. A skip without a real
reason, a skip comment that suppresses nothing, and a checkov config file that skips
checks globally are all reported.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from tools.fakeprovider.schema import cache_dir

from .config import copy_tree
from .findings import Finding

CHECK = "checkov"
MIN_REASON_WORDS = 4
_PLACEHOLDERS = {"no comment provided", "todo", "fixme", "add reason", "reason", "n/a", "none"}
_SKIP_COMMENT = re.compile(r"checkov:skip=(?P<id>[A-Z0-9_]+)(?::(?P<reason>.*))?")
_CONFIG_FILES = (".checkov.yaml", ".checkov.yml")


def checkov_binary() -> Path:
    override = os.environ.get("TFCHECK_CHECKOV")
    return Path(override) if override else cache_dir() / "venv-checkov" / "bin" / "checkov"


def check_checkov(root: Path, directories: list[Path]) -> list[Finding]:
    findings = _config_skips(root)
    binary = checkov_binary()
    if not binary.exists():
        return [
            *findings,
            Finding(str(root), 0, CHECK, f"{binary} is missing: run `make checkov-venv`"),
        ]
    with tempfile.TemporaryDirectory(prefix="tfcheck-checkov-") as tmp:
        copy_root = Path(tmp) / "tree"
        copy_tree(root, directories, copy_root)
        result = subprocess.run(
            [
                str(binary),
                "--directory",
                str(copy_root),
                "--framework",
                "terraform",
                "--skip-download",
                "--output",
                "json",
                "--compact",
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
            env={
                **os.environ,
                "BC_SKIP_MAPPING": "TRUE",
                "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false",
            },
        )
        try:
            report = json.loads(result.stdout)
        except json.JSONDecodeError:
            return [
                *findings,
                Finding(
                    str(root), 0, CHECK, f"checkov did not produce a report: {result.stderr[-800:]}"
                ),
            ]
        findings.extend(_from_report(report, root))
    findings.extend(_unused_skips(report, root, directories))
    return findings


def _reports(report: Any) -> list[dict[str, Any]]:
    reports = report if isinstance(report, list) else [report]
    return [r for r in reports if isinstance(r, dict) and "results" in r]


def _file(root: Path, file_path: str) -> str:
    return str(root / file_path.lstrip("/"))


def _from_report(report: Any, root: Path) -> list[Finding]:
    findings = []
    for section in _reports(report):
        results = section["results"]
        for failed in results.get("failed_checks", []):
            findings.append(
                Finding(
                    _file(root, failed["file_path"]),
                    int(failed["file_line_range"][0]),
                    CHECK,
                    f"{failed['check_id']} failed on {failed['resource']}: {failed['check_name']}"
                    + (f" ({failed['guideline']})" if failed.get("guideline") else ""),
                )
            )
        for skipped in results.get("skipped_checks", []):
            result = skipped.get("check_result") or {}
            reason = str(result.get("suppress_comment") or skipped.get("suppress_comment") or "")
            reason = reason.strip()
            if not _is_real_reason(reason):
                findings.append(
                    Finding(
                        _file(root, skipped["file_path"]),
                        int(skipped["file_line_range"][0]),
                        CHECK,
                        f"{skipped['check_id']} is skipped on {skipped['resource']} without a "
                        f"reason (got {reason!r}): write "
                        f"#checkov:skip={skipped['check_id']}:<why it does not apply>",
                    )
                )
        for error in results.get("parsing_errors", []):
            findings.append(
                Finding(_file(root, str(error)), 0, CHECK, "checkov could not parse this file")
            )
    return findings


def _is_real_reason(reason: str) -> bool:
    return (
        reason.lower().strip(" .") not in _PLACEHOLDERS and len(reason.split()) >= MIN_REASON_WORDS
    )


def _unused_skips(report: Any, root: Path, directories: list[Path]) -> list[Finding]:
    """Skip comments that checkov did not apply (outside any resource, or a wrong ID)."""
    applied: list[tuple[str, str, int, int]] = []
    for section in _reports(report):
        for skipped in section["results"].get("skipped_checks", []):
            start, end = skipped["file_line_range"]
            applied.append((skipped["check_id"], _file(root, skipped["file_path"]), start, end))
    findings = []
    for directory in directories:
        for path in sorted(directory.glob("*.tf")):
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                match = _SKIP_COMMENT.search(line)
                if not match:
                    continue
                used = any(
                    check == match["id"] and Path(file) == path and start <= number <= end
                    for check, file, start, end in applied
                )
                if not used:
                    findings.append(
                        Finding(
                            str(path),
                            number,
                            CHECK,
                            f"skip of {match['id']} suppresses nothing: put it inside the block of "
                            "the resource it is about, with a check that applies to it",
                        )
                    )
    return findings


def _config_skips(root: Path) -> list[Finding]:
    findings = []
    for name in _CONFIG_FILES:
        path = root / name
        if path.exists():
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if re.match(r"^\s*(skip-check|skip_check|soft-fail)", line):
                    findings.append(
                        Finding(
                            str(path),
                            number,
                            CHECK,
                            "checks may only be skipped inline on the resource, with a reason",
                        )
                    )
    return findings
