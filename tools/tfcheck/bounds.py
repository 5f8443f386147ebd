"""The root module's lower bounds in ``required_providers`` are the versions the floor
pins (``FLOOR_PROVIDERS``, which ``make tftest`` validates against) were generated from;
each mismatch is reported at its ``version =`` line."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .config import Module
from .docs import required_providers
from .findings import Finding

CHECK = "bounds"
_CONSTRAINT = re.compile(r"^\s*(=|!=|>=|<=|~>|>|<)?\s*v?(\d+(?:\.\d+)*)(?:-[\w.]+)?\s*$")


@dataclass(frozen=True)
class Floor:
    source: str  # hashicorp/aws
    version: str  # the provider version the floor pin was generated from
    package: str  # cdktf-cdktf-provider-aws==19.1.0


def floor_pins() -> dict[str, Floor]:
    """The floor pins by local name, with the versions the fake providers' build read."""
    from tools.fakeprovider.build import setup
    from tools.fakeprovider.schema import FLOOR_PROVIDERS

    versions = setup()["floor"].versions
    return {
        name: Floor(pin.source, versions[pin.source], f"{pin.package}=={pin.package_version}")
        for name, pin in FLOOR_PROVIDERS.items()
    }


def lower_bound(constraint: str) -> tuple[str | None, str | None]:
    """The lowest version a Terraform version constraint allows, or why there is none.

    ``>= 5.32``, ``~> 5.32``, ``= 5.32.0`` and ``5.32.0`` set a lower bound (the highest
    of several wins); ``> 5.32`` excludes it, so the lowest allowed version is not known.
    """
    bounds: list[str] = []
    for part in constraint.split(","):
        match = _CONSTRAINT.match(part)
        if match is None:
            return None, f'cannot read the version constraint "{part.strip()}"'
        operator, version = match.group(1) or "=", match.group(2)
        if operator == ">":
            return None, f'"> {version}" excludes {version}: write ">= " and the lowest version'
        if operator in ("=", ">=", "~>"):
            bounds.append(version)
    return (max(bounds, key=_release), None) if bounds else (None, "it sets no lower bound")


def _release(version: str) -> tuple[int, ...]:
    """``5.32`` -> ``(5, 32, 0)``, so that 5.32 and 5.32.0 compare equal."""
    parts = tuple(int(p) for p in version.split("."))
    return parts + (0,) * (3 - len(parts))


def check_lower_bounds(module: Module, floor: dict[str, Floor]) -> list[Finding]:
    required = required_providers(module)
    blocks = [b for b in module.other_blocks if b.type == "terraform"]
    where = ([r for b in blocks for r in b.blocks_of("required_providers")] or blocks)[-1:]
    findings: list[Finding] = []
    for name, pin in sorted(floor.items()):
        described = f"{pin.source} {pin.version} ({pin.package})"
        if name not in required:
            file, line = (where[0].file, where[0].line) if where else (str(module.directory), 0)
            message = (
                f'required_providers does not declare "{name}": add {name} = {{ source = '
                f'"{pin.source}", version = ">= {pin.version}" }} (the floor pin is {described})'
            )
            findings.append(Finding(file, line, CHECK, message))
            continue
        attr, source, constraint = required[name]
        lines = attr.source.splitlines()
        line = attr.line + next((i for i, text in enumerate(lines) if "version" in text), 0)
        bound, problem = (
            lower_bound(constraint) if constraint else (None, "no version constraint is given")
        )
        if source.lower() != pin.source:
            message = f'required_providers "{name}" is {source}, but the floor pin is {described}'
        elif bound is None:
            message = (
                f"{pin.source} has no lower bound the floor pin can be held to ({problem}): "
                f'declare version = ">= {pin.version}" (the floor pin is {described})'
            )
        elif _release(bound) != _release(pin.version):
            message = (
                f'The lower bound of {pin.source} is {bound} ("{constraint}") but the floor pin '
                f"is {described}: the module is validated against {pin.version}, not {bound}. "
                f'Declare ">= {pin.version}", or pin the package generated from {pin.source} '
                f"{bound} in FLOOR_PROVIDERS (tools/fakeprovider/schema.py)"
            )
        else:
            continue
        findings.append(Finding(attr.file, line, CHECK, message))
    return findings
