"""The deployable package: its zip size, the import time of each handler module beyond
boto3, and the peak memory of each step's handler run.

- **Zip**: the one package every function deploys, lambda/ zipped as functions.tf's
  ``archive_file`` zips it (the project's stand-in for hashicorp/archive,
  ``tools/fakeprovider/archive.py``, deflate): ``zip_bytes``, and ``zip_files``, the
  number of files in it.
- **Import time**: in a fresh interpreter per measurement, ``boto3`` and
  ``botocore.exceptions`` are imported first (the Lambda runtime has them), then the
  handler module under ``python -X importtime``; the figure is the sum of the
  cumulative times of the top-level imports after boto3's, in milliseconds, the median
  of ``REPEATS`` runs. *Without .pyc*: the package extracted as Lambda extracts it
  (no ``__pycache__``, and none written: ``PYTHONDONTWRITEBYTECODE``, as ``/var/task``
  is read-only), so every module is compiled at import; *with .pyc*: the same files
  compiled beforehand (``compileall``). Every handler is imported from the one
  package. boto3's own modules load from their installed
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
_IMPORT_SCRIPT = """
import sys
import boto3, botocore.exceptions  # what the Lambda runtime already has loaded
sys.stderr.write("--- after boto3 ---\\n")
sys.stderr.flush()
import {module}
"""

_MEMORY_SCRIPT = """
import json, sys
payload = json.load(sys.stdin)
from importlib import import_module
handler = import_module({module!r}).handler
error = None
try:
    handler(payload, None)
except Exception as err:  # a step may refuse a repeated input; memory is still measured
    error = type(err).__name__
# VmHWM, the peak resident set of this process image (ru_maxrss would carry over the
# parent's across exec)
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(json.dumps({{"max_rss_kib": peak, "error": error}}))
"""


def build_zip(target: Path) -> list[str]:
    """The package, as functions.tf's archive_file writes it: its entry names."""
    from tests.terraform.test_packages import zip_of

    return zip_of(LAMBDA, target)


def _top_level_us(lines: str, names: set[str] | None = None) -> int:
    """Microseconds of the top-level imports in ``-X importtime`` output (its lines:
    ``import time: self [us] | cumulative | name``, nested names indented), of
    ``names`` only when given."""
    total_us = 0
    for line in lines.splitlines():
        if not line.startswith("import time:"):
            continue
        fields = line.split("|")
        if len(fields) != 3 or not fields[1].strip().isdigit():
            continue  # the header line
        name = fields[2]
        top_level = name.startswith(" ") and not name.startswith("  ")  # one space
        if top_level and (names is None or name.strip() in names):
            total_us += int(fields[1])
    return total_us


def beyond_boto3_ms(importtime_stderr: str) -> float:
    """Milliseconds of the top-level imports reported after the marker: the handler
    module's, beyond what boto3 already loaded."""
    _, _, after = importtime_stderr.partition("--- after boto3 ---")
    return _top_level_us(after) / 1000


def boto3_ms(importtime_stderr: str) -> float:
    """Milliseconds of boto3's and botocore.exceptions' own imports, before the marker,
    in the same interpreter: what the handler's import is held against."""
    before, _, _ = importtime_stderr.partition("--- after boto3 ---")
    return _top_level_us(before, {"boto3", "botocore.exceptions"}) / 1000


def import_ms(package_dir: Path, module: str) -> tuple[float, float]:
    """The median, over ``REPEATS`` fresh interpreters, of ``module``'s import beyond
    boto3 (milliseconds) and of its ratio to boto3's own import in the same
    interpreter: a figure a busy machine slows both sides of."""
    env = {
        **os.environ,
        "PYTHONPATH": str(package_dir),
        "PYTHONDONTWRITEBYTECODE": "1",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    times, ratios = [], []
    for _ in range(REPEATS):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", _IMPORT_SCRIPT.format(module=module)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            cwd=package_dir,
        )
        beyond = beyond_boto3_ms(done.stderr)
        times.append(beyond)
        ratios.append(beyond / boto3_ms(done.stderr))
    return round(statistics.median(times), 2), round(statistics.median(ratios), 3)


def import_times(
    workdir: Path, archive: Path, keys: list[str]
) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """(with .pyc, without .pyc, with .pyc as a ratio to boto3's own import) per
    handler module, each from the one package."""
    bare = workdir / "bare"
    compiled = workdir / "compiled"
    for target in (bare, compiled):
        with zipfile.ZipFile(archive) as opened:
            opened.extractall(target)
    compileall.compile_dir(compiled, quiet=1)
    with_pyc: dict[str, float] = {}
    without_pyc: dict[str, float] = {}
    ratio: dict[str, float] = {}
    for key in sorted(keys):
        module = f"rotator.handlers.{key}"
        with_pyc[module], ratio[module] = import_ms(compiled, module)
        without_pyc[module], _ = import_ms(bare, module)
    assert not list(bare.rglob("*.pyc")), "the bare package got .pyc files"
    return with_pyc, without_pyc, ratio


def handler_memory(packages: dict[str, Path]) -> dict[str, dict[str, Any]]:
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
            # the function's environment is the process's, as in Lambda
            child_env = {
                **emulator.environment(key),
                "PATH": os.environ.get("PATH", ""),
                "PYTHONPATH": str(packages[key]),
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
                input=json.dumps(payload),
                env=child_env,
                capture_output=True,
                text=True,
                check=True,
                cwd=packages[key],
            )
            figures[module] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def function_keys() -> list[str]:
    """The keys of steps.tf's local.steps: each names its handler module."""
    from tests.module_config import locals_of

    return list(locals_of("steps.tf")["steps"])


def measure() -> dict[str, Any]:
    keys = function_keys()
    with tempfile.TemporaryDirectory() as temporary:
        workdir = Path(temporary)
        archive = workdir / "package.zip"
        names = build_zip(archive)
        size = archive.stat().st_size
        with_pyc, without_pyc, ratio = import_times(workdir, archive, keys)
        memory = handler_memory(dict.fromkeys(keys, workdir / "compiled"))
    return {
        "zip_bytes": size,
        "zip_files": len(names),
        "import_ms": with_pyc,
        "import_ms_without_pyc": without_pyc,
        "import_ratio_to_boto3": ratio,
        "import_repeats": REPEATS,
        "peak_memory_kib": {module: figure["max_rss_kib"] for module, figure in memory.items()},
        "peak_memory_errors": {
            module: figure["error"] for module, figure in memory.items() if figure["error"]
        },
        "python": sys.version.split()[0],
    }


if __name__ == "__main__":
    print(json.dumps(measure(), indent=2))
