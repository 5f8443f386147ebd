"""checkov, offline (``--skip-download``), over a copy of the module and its examples:
zero failed checks, and skips only inline (``#checkov:skip=CKV_AWS_123:why``) with a
real reason. checkov has its own venv (.cache/venv-checkov): it pins an old boto3."""

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


def check_checkov(root: Path, directories: list[Path]) -> list[Finding]:
    findings = _config_skips(root)
    binary = cache_dir() / "venv-checkov" / "bin" / "checkov"  # make tools installs it
    if not binary.exists():
        return [*findings, Finding(str(root), 0, CHECK, f"{binary} is missing: run `make tools`")]
    with tempfile.TemporaryDirectory(prefix="tfcheck-checkov-") as tmp:
        copy_tree(root, directories, Path(tmp) / "tree")
        command = [str(binary), "--directory", str(Path(tmp) / "tree"), "--framework", "terraform"]
        command += ["--skip-download", "--output", "json", "--compact"]
        env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"}
        result = subprocess.run(
            command, capture_output=True, text=True, check=False, timeout=3600, env=env
        )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        message = f"checkov did not produce a report: {result.stderr[-800:]}"
        return [*findings, Finding(str(root), 0, CHECK, message)]
    reports = report if isinstance(report, list) else [report]
    sections = [r["results"] for r in reports if isinstance(r, dict) and "results" in r]
    applied: list[tuple[str, Path, int, int]] = []  # the skips checkov applied

    def finding(result: dict[str, Any], message: str) -> Finding:
        file, line = root / result["file_path"].lstrip("/"), result["file_line_range"][0]
        return Finding(str(file), int(line), CHECK, message)

    for results in sections:
        for failed in results.get("failed_checks", []):
            guideline = f" ({failed['guideline']})" if failed.get("guideline") else ""
            message = f"{failed['check_id']} failed on {failed['resource']}: {failed['check_name']}"
            findings.append(finding(failed, message + guideline))
        for skipped in results.get("skipped_checks", []):
            check, (start, end) = skipped["check_id"], skipped["file_line_range"]
            applied.append((check, root / skipped["file_path"].lstrip("/"), start, end))
            reason = (skipped.get("check_result") or {}).get("suppress_comment")
            reason = str(reason or skipped.get("suppress_comment") or "").strip()
            if not _is_real_reason(reason):
                message = f"{check} is skipped on {skipped['resource']} without a reason (got {reason!r}): write #checkov:skip={check}:<why it does not apply>"
                findings.append(finding(skipped, message))
        for error in results.get("parsing_errors", []):
            file = str(root / str(error).lstrip("/"))
            findings.append(Finding(file, 0, CHECK, "checkov could not parse this file"))
    # Skip comments that checkov did not apply (outside any resource, or a wrong ID).
    for path in (p for directory in directories for p in sorted(directory.glob("*.tf"))):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if (match := _SKIP_COMMENT.search(line)) and not any(
                check == match["id"] and file == path and start <= number <= end
                for check, file, start, end in applied
            ):
                message = f"skip of {match['id']} suppresses nothing: put it inside the block of the resource it is about, with a check that applies to it"
                findings.append(Finding(str(path), number, CHECK, message))
    return findings


def _is_real_reason(reason: str) -> bool:
    placeholder = reason.lower().strip(" .") in _PLACEHOLDERS
    return not placeholder and len(reason.split()) >= MIN_REASON_WORDS


def _config_skips(root: Path) -> list[Finding]:
    """Checks skipped globally in a checkov config file."""
    message = "checks may only be skipped inline on the resource, with a reason"
    return [
        Finding(str(path), number, CHECK, message)
        for path in (root / ".checkov.yaml", root / ".checkov.yml")
        if path.exists()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.match(r"^\s*(skip-check|skip_check|soft-fail)", line)
    ]
