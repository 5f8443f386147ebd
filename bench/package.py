"""The deployable package: its zip size, the import time of each handler module beyond
boto3, and the peak memory of each step's handler run.

- **Zip**: the files Terraform's ``archive_file`` zips (main.tf: ``lambda/`` without
  ``__pycache__``, ``.pyc`` and ``.*_cache``), deflated, as ``zipfile`` writes them.
- **Import time**: in a fresh interpreter per measurement, ``boto3`` and
  ``botocore.exceptions`` are imported first (the Lambda runtime has them), then the
  handler module under ``python -X importtime``; the figure is the sum of the
  cumulative times of the top-level imports after boto3's, in milliseconds, the median
  of ``REPEATS`` runs. *Without .pyc*: the package extracted as Lambda extracts it
  (no ``__pycache__``, and none written: ``PYTHONDONTWRITEBYTECODE``, as ``/var/task``
  is read-only), so every module is compiled at import; *with .pyc*: the same files
  compiled beforehand (``compileall``). boto3's own modules load from their installed
  ``.pyc`` in both.
- **Peak memory**: a rotation on the emulator records each step's real input and
  environment; each step's handler then runs once more, in its own interpreter,
  against the emulator's moto server (``AWS_ENDPOINT_URL``), and reports its peak
  resident set (``VmHWM``) — the figure Lambda reports as "Max Memory Used", less
  the runtime's own share.
"""

from __future__ import annotations

import compileall
import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LAMBDA = ROOT / "lambda"
REPEATS = 7
# What main.tf's archive_file leaves out.
_EXCLUDED_DIRS = ("__pycache__",)
_EXCLUDED_SUFFIXES = (".pyc",)

_IMPORT_SCRIPT = """
import sys
import boto3, botocore.exceptions  # what the Lambda runtime already has loaded
sys.stderr.write("--- after boto3 ---\\n")
sys.stderr.flush()
import {module}
"""

_MEMORY_SCRIPT = """
import json, sys
payload, env = json.load(sys.stdin)
from importlib import import_module
handler = import_module({module!r}).handler
error = None
try:
    handler(payload, None, env)
except Exception as err:  # a step may refuse a repeated input; memory is still measured
    error = type(err).__name__
# VmHWM, the peak resident set of this process image (ru_maxrss would carry over the
# parent's across exec)
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(json.dumps({{"max_rss_kib": peak, "error": error}}))
"""


def package_files() -> list[Path]:
    """The files archive_file puts in the zip, sorted."""
    files = []
    for path in sorted(LAMBDA.rglob("*")):
        relative = path.relative_to(LAMBDA)
        if not path.is_file() or path.suffix in _EXCLUDED_SUFFIXES:
            continue
        if any(part in _EXCLUDED_DIRS or part.startswith(".") for part in relative.parts):
            continue
        files.append(path)
    return files


def build_zip(target: Path) -> int:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in package_files():
            archive.write(path, path.relative_to(LAMBDA).as_posix())
    return target.stat().st_size


def handler_modules() -> list[str]:
    return sorted(
        f"rotator.handlers.{path.stem}"
        for path in (LAMBDA / "rotator" / "handlers").glob("*.py")
        if path.stem != "__init__"
    )


def beyond_boto3_ms(importtime_stderr: str) -> float:
    """Milliseconds of the top-level imports ``-X importtime`` reports after the marker
    (its lines: ``import time: self [us] | cumulative | name``, nested names indented)."""
    _, _, after = importtime_stderr.partition("--- after boto3 ---")
    total_us = 0
    for line in after.splitlines():
        if not line.startswith("import time:"):
            continue
        fields = line.split("|")
        if len(fields) != 3 or not fields[1].strip().isdigit():
            continue  # the header line
        name = fields[2]
        if name.startswith(" ") and not name.startswith("  "):  # one space: top level
            total_us += int(fields[1])
    return total_us / 1000


def import_ms(package_dir: Path, module: str) -> float:
    env = {
        **os.environ,
        "PYTHONPATH": str(package_dir),
        "PYTHONDONTWRITEBYTECODE": "1",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    times = []
    for _ in range(REPEATS):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", _IMPORT_SCRIPT.format(module=module)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            cwd=package_dir,
        )
        times.append(beyond_boto3_ms(done.stderr))
    return round(statistics.median(times), 2)


def import_times(workdir: Path, archive: Path) -> tuple[dict[str, float], dict[str, float]]:
    """(with .pyc, without .pyc) per handler module."""
    bare = workdir / "bare"
    compiled = workdir / "compiled"
    for target in (bare, compiled):
        with zipfile.ZipFile(archive) as opened:
            opened.extractall(target)
    compileall.compile_dir(compiled, quiet=1)
    modules = handler_modules()
    with_pyc = {module: import_ms(compiled, module) for module in modules}
    without_pyc = {module: import_ms(bare, module) for module in modules}
    assert not list(bare.rglob("*.pyc")), "the bare package got .pyc files"
    return with_pyc, without_pyc


def handler_memory(package_dir: Path) -> dict[str, dict[str, Any]]:
    """Each step's handler, run once more in its own interpreter with the input and
    environment a rotation on the emulator gave it."""
    from tests.emulator.harness import Emulator, Settings

    logging.getLogger("moto.stepfunctions.parser").setLevel(logging.CRITICAL)
    figures: dict[str, dict[str, Any]] = {}
    with Emulator(Settings(keep_last=2), restore_seconds=120) as emulator:
        rotation = emulator.rotate(emulator.backup_notification("Orders-Production"))
        if rotation.status != "SUCCEEDED":
            raise RuntimeError(f"the rotation for the memory runs failed: {rotation.cause}")
        inputs: dict[str, Any] = {}
        for invocation in emulator.invocations:
            inputs.setdefault(invocation.function, invocation.payload)
        for key, payload in sorted(inputs.items()):
            env = emulator.environment(key)
            child_env = {
                "PATH": os.environ.get("PATH", ""),
                "PYTHONPATH": str(package_dir),
                "PYTHONDONTWRITEBYTECODE": "1",
                "AWS_ENDPOINT_URL": emulator.endpoint,
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_DEFAULT_REGION": "us-east-1",
                "AWS_REGION": "us-east-1",
            }
            module = f"rotator.handlers.{key}"
            done = subprocess.run(
                [sys.executable, "-c", _MEMORY_SCRIPT.format(module=module)],
                input=json.dumps([payload, env]),
                env=child_env,
                capture_output=True,
                text=True,
                check=True,
                cwd=package_dir,
            )
            figures[module] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def measure() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as temporary:
        workdir = Path(temporary)
        archive = workdir / "rotator.zip"
        zip_bytes = build_zip(archive)
        with_pyc, without_pyc = import_times(workdir, archive)
        memory = handler_memory(workdir / "compiled")
        shutil.rmtree(workdir / "bare")
    return {
        "zip_bytes": zip_bytes,
        "zip_files": len(package_files()),
        "import_ms": with_pyc,
        "import_ms_without_pyc": without_pyc,
        "import_repeats": REPEATS,
        "peak_memory_kib": {module: figure["max_rss_kib"] for module, figure in memory.items()},
        "peak_memory_errors": {
            module: figure["error"] for module, figure in memory.items() if figure["error"]
        },
        "python": sys.version.split()[0],
    }


if __name__ == "__main__":
    print(json.dumps(measure(), indent=2))
