"""Provider schemas, read from the jsii assemblies that cdktf publishes on PyPI.

The Terraform registry cannot be reached offline, so ``terraform providers schema`` is
not available. The prebuilt cdktf provider packages are generated from the real
provider schemas and carry, inside ``_jsii/<name>@<version>.jsii.tgz``:

* ``package/.jsii``: every resource and data source as a class plus a ``...Config``
  struct whose properties say whether each argument is optional; nested blocks and
  nested attributes are their own structs;
* ``package/lib/**/*.js``: for every struct, a ``...ToHclTerraform`` function that maps
  the Terraform argument name (snake_case, exactly as written in HCL) to the property,
  with ``isBlock`` telling a nested block from an attribute; and getters that read the
  computed attributes by their Terraform names.

:func:`load_schema` downloads the pinned wheel with ``pip download --no-deps`` (once),
extracts the parts above into a compact JSON file under ``.cache/schemas/`` (one per
pin) and returns a :class:`ProviderSchema`.

Every provider has two pins: the newest release (:data:`PROVIDERS`) and the floor
(:data:`FLOOR_PROVIDERS`), generated from the lowest version that the root module's
``required_providers`` allows. The checks run against both; :func:`merge_versions`
turns their findings into one list whose messages name the provider versions.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .findings import Finding

REPO_ROOT = Path(__file__).resolve().parents[2]

# Bump SCHEMA_FORMAT when the layout of the cached JSON changes.
SCHEMA_FORMAT = 1


@dataclass(frozen=True)
class ProviderPin:
    """A provider whose schema comes from a pinned cdktf prebuilt package."""

    local_name: str
    source: str
    package: str
    package_version: str

    @property
    def wheel_name(self) -> str:
        return f"{self.package.replace('-', '_')}-{self.package_version}-py3-none-any.whl"


# The newest pins: cdktf-cdktf-provider-aws 21.22.1 was generated from hashicorp/aws
# 6.25.0 and cdktf-cdktf-provider-archive 11.0.1 from hashicorp/archive 2.7.1 (the
# versions are read from the packages and recorded in the cache; see
# ProviderSchema.provider_version).
PROVIDERS: dict[str, ProviderPin] = {
    "aws": ProviderPin("aws", "hashicorp/aws", "cdktf-cdktf-provider-aws", "21.22.1"),
    "archive": ProviderPin(
        "archive", "hashicorp/archive", "cdktf-cdktf-provider-archive", "11.0.1"
    ),
}

# The floor pins: the packages generated from the lower bounds in versions.tf, which
# schema_check.check_lower_bounds holds them to. cdktf-cdktf-provider-aws 19.1.0 was
# built from hashicorp/aws 5.32.0 (the release that added aws_lambda_function's
# logging_config), and cdktf-cdktf-provider-archive 10.1.0 from hashicorp/archive
# 2.5.0 (10.0.1 is 2.4.2, 10.2.0 is 2.6.0).
FLOOR_PROVIDERS: dict[str, ProviderPin] = {
    "aws": ProviderPin("aws", "hashicorp/aws", "cdktf-cdktf-provider-aws", "19.1.0"),
    "archive": ProviderPin(
        "archive", "hashicorp/archive", "cdktf-cdktf-provider-archive", "10.1.0"
    ),
}


def cache_dir() -> Path:
    return Path(os.environ.get("TFCHECK_CACHE", REPO_ROOT / ".cache"))


@dataclass(frozen=True)
class AttributeSchema:
    name: str
    required: bool
    nested_object: bool = False  # an attribute whose value is an object or a list of objects


@dataclass(frozen=True)
class NestedBlockSchema:
    name: str
    required: bool
    nesting: str  # "list", "set" or "single" as cdktf reports it
    struct: str


@dataclass
class BlockSchema:
    """Arguments, nested blocks and readable attributes of one resource or block."""

    struct: str
    attributes: dict[str, AttributeSchema] = field(default_factory=dict[str, Any])
    blocks: dict[str, NestedBlockSchema] = field(default_factory=dict[str, Any])
    computed: frozenset[str] = frozenset()

    @property
    def readable(self) -> frozenset[str]:
        """Every name that ``<type>.<name>.<attr>`` may use."""
        return frozenset(self.attributes) | frozenset(self.blocks) | self.computed


class ProviderSchema:
    """Resource and data source schemas of one provider, loaded from the cache file."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.provider = str(data["provider"])
        self.provider_version = str(data["provider_version"])
        self.source_package = str(data["source_package"])
        self._resources: dict[str, str] = data["resources"]
        self._data_sources: dict[str, str] = data["data_sources"]
        self._structs: dict[str, dict[str, Any]] = data["structs"]

    def resource_types(self) -> Iterator[str]:
        return iter(self._resources)

    def data_source_types(self) -> Iterator[str]:
        return iter(self._data_sources)

    def resource(self, type_name: str) -> BlockSchema | None:
        struct = self._resources.get(type_name)
        return self.struct(struct) if struct else None

    def data_source(self, type_name: str) -> BlockSchema | None:
        struct = self._data_sources.get(type_name)
        return self.struct(struct) if struct else None

    def struct(self, name: str) -> BlockSchema:
        raw = self._structs[name]
        return BlockSchema(
            struct=name,
            attributes={
                attr: AttributeSchema(attr, bool(spec.get("required")), bool(spec.get("object")))
                for attr, spec in raw.get("attributes", {}).items()
            },
            blocks={
                block: NestedBlockSchema(
                    block, bool(spec.get("required")), spec["nesting"], spec["struct"]
                )
                for block, spec in raw.get("blocks", {}).items()
            },
            computed=frozenset(raw.get("computed", ())),
        )


class Schemas:
    """The schemas of every pinned provider, looked up by resource type prefix.

    ``floor`` says whether these are the floor pins (the lower bounds of
    ``required_providers``) rather than the newest.
    """

    def __init__(self, providers: dict[str, ProviderSchema], floor: bool = False) -> None:
        self.providers = providers
        self.floor = floor

    def provider_for(self, type_name: str) -> ProviderSchema | None:
        # Terraform's implied provider is the type name's first word.
        return self.providers.get(type_name.split("_", 1)[0])

    def resource(self, type_name: str) -> BlockSchema | None:
        provider = self.provider_for(type_name)
        return provider.resource(type_name) if provider else None

    def data_source(self, type_name: str) -> BlockSchema | None:
        provider = self.provider_for(type_name)
        return provider.data_source(type_name) if provider else None

    def describe(self) -> str:
        return ", ".join(
            f"{p.provider} {p.provider_version} (from {p.source_package})"
            for p in self.providers.values()
        )


def load_schemas(names: tuple[str, ...] = ("aws", "archive")) -> Schemas:
    """The schemas of the newest pins."""
    return Schemas({name: load_schema(PROVIDERS[name]) for name in names})


def load_floor_schemas(names: tuple[str, ...] = ("aws", "archive")) -> Schemas:
    """The schemas of the floor pins (the lowest versions versions.tf allows)."""
    return Schemas({name: load_schema(FLOOR_PROVIDERS[name]) for name in names}, floor=True)


# A finding as one check reported it against one set of schemas, with the local name
# of the provider whose schema it depends on (None: it does not depend on one).
Tagged = tuple[Finding, str | None]


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


def merge_versions(results: Sequence[tuple[Schemas, Sequence[Tagged]]]) -> list[Finding]:
    """One finding per problem from checks run against several sets of schemas.

    A finding that depends on a provider's schema gets the versions it was found with
    appended, e.g. ``(hashicorp/aws 6.0.0 and 6.25.0)``; one found only with the floor
    pin says that the newer version accepts the configuration and that the lower bound
    needs raising. Findings that do not depend on a schema are reported once.
    """
    found: dict[Finding, dict[str, set[str]]] = {}
    floor_versions: dict[str, str] = {}
    all_versions: dict[str, set[str]] = {}
    sources: dict[str, str] = {}
    for schemas, tagged in results:
        for name, provider in schemas.providers.items():
            all_versions.setdefault(name, set()).add(provider.provider_version)
            sources[name] = provider.provider
            if schemas.floor:
                floor_versions[name] = provider.provider_version
        for finding, tag in tagged:
            versions = found.setdefault(finding, {})
            if tag is not None and tag in schemas.providers:
                versions.setdefault(tag, set()).add(schemas.providers[tag].provider_version)
    merged: list[Finding] = []
    for finding, by_provider in found.items():
        notes = [
            _versions_note(
                sources[name],
                versions,
                all_versions[name] - versions,
                floor_versions.get(name),
            )
            for name, versions in sorted(by_provider.items())
        ]
        if notes:
            finding = replace(finding, message=f"{finding.message} {' '.join(notes)}")
        merged.append(finding)
    return merged


def _versions_note(source: str, found: set[str], clean: set[str], floor: str | None) -> str:
    def listed(versions: set[str]) -> str:
        return " and ".join(sorted(versions, key=_version_key))

    if not clean:
        return f"({source} {listed(found)})"
    if floor is not None and floor in found:
        return (
            f"({source} {listed(found)}, the lower bound; {listed(clean)} accepts this: "
            "raise the lower bound in required_providers)"
        )
    return f"({source} {listed(found)}; not {listed(clean)})"


def load_schema(pin: ProviderPin) -> ProviderSchema:
    path = cache_dir() / "schemas" / f"{pin.local_name}-{pin.package_version}.json"
    if path.exists():
        data = json.loads(path.read_text())
        if data.get("format") == SCHEMA_FORMAT:
            return ProviderSchema(data)
    data = extract_schema(pin, ensure_wheel(pin))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True))
    tmp.replace(path)
    return ProviderSchema(data)


def ensure_wheel(pin: ProviderPin) -> Path:
    wheels = cache_dir() / "wheels"
    wheel = wheels / pin.wheel_name
    if not wheel.exists():
        wheels.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary=:all:",
                "--disable-pip-version-check",
                "--dest",
                str(wheels),
                f"{pin.package}=={pin.package_version}",
            ],
            check=True,
        )
    if not wheel.exists():
        raise FileNotFoundError(f"pip download did not produce {wheel}")
    return wheel


# --- extraction ---------------------------------------------------------------------

_STRUCT_FN = re.compile(
    r"^function (\w+)ToHclTerraform\(struct\) \{\n(.*?)\n\}\n", re.MULTILINE | re.DOTALL
)
_CLASS = re.compile(
    r"^class (\w+) extends cdktf\.(TerraformResource|TerraformDataSource) \{\n(.*?)\n\}\n",
    re.MULTILINE | re.DOTALL,
)
_ATTRS = re.compile(r"const attrs = \{\n(.*?)\n\s*\};", re.DOTALL)
_ENTRY = re.compile(
    r'^\s*(?P<key>\w+|"[^"]+"): \{\n'
    r"\s*value: (?P<value>.*?),\n"
    r"\s*isBlock: (?P<block>true|false),\n"
    r'\s*type: "(?P<type>\w+)",\n'
    r'\s*storageClassType: "(?P<storage>\w+)",\n'
    r"\s*\},?$",
    re.MULTILINE,
)
_NESTED_FN = re.compile(r"(?<!cdktf\.)\b([a-z]\w*)ToHclTerraform\b")
_PROPERTY = re.compile(r"(?:this\._|struct!?\.)(\w+)")
_RESOURCE_TYPE = re.compile(r'^(\w+)\.tfResourceType = "([^"]+)";', re.MULTILINE)
_FQN = re.compile(r'^(\w+)\[_\w+\] = \{ fqn: "([^"]+)"', re.MULTILINE)
_READ_ATTRIBUTE = re.compile(
    r"""this\.(?:get\w*Attribute|interpolationForAttribute)\(['"]([^'"]+)['"]\)"""
    r"""|new \w+\(this, ['"]([^'"]+)['"]"""
)
_PROVIDER_VERSION = re.compile(r"providerVersion: '([^']+)'")


def _jsii_archive(wheel: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """Return the .jsii assembly and every lib/**/*.js file of the wheel's jsii tgz."""
    with zipfile.ZipFile(wheel) as zf:
        (member,) = [n for n in zf.namelist() if n.endswith(".jsii.tgz")]
        blob = zf.read(member)
    assembly: dict[str, Any] = {}
    sources: dict[str, str] = {}
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as tf:
        for info in tf:
            if not info.isfile():
                continue
            if info.name == "package/.jsii":
                handle = tf.extractfile(info)
                assert handle is not None
                assembly = json.load(handle)
            elif info.name.startswith("package/lib/") and info.name.endswith(".js"):
                handle = tf.extractfile(info)
                assert handle is not None
                sources[info.name] = handle.read().decode("utf-8")
    if not assembly:
        raise ValueError(f"{wheel.name}: no package/.jsii in the jsii archive")
    return assembly, sources


def _struct_name(function_prefix: str) -> str:
    """``lambdaFunctionEnvironment`` (from ``...ToHclTerraform``) -> ``LambdaFunctionEnvironment``."""
    return function_prefix[0].upper() + function_prefix[1:]


def _entries(attrs_body: str) -> Iterator[re.Match[str]]:
    return _ENTRY.finditer(attrs_body)


def extract_schema(pin: ProviderPin, wheel: Path) -> dict[str, Any]:
    assembly, sources = _jsii_archive(wheel)

    # Whether each struct property is optional, by "<namespace>.<Struct>" then property.
    optional: dict[str, dict[str, bool]] = {}
    for fqn, jtype in assembly["types"].items():
        if jtype.get("kind") == "interface" and jtype.get("datatype"):
            props = {p["name"]: bool(p.get("optional")) for p in jtype.get("properties", [])}
            optional[fqn.split(".", 1)[1]] = props

    structs: dict[str, dict[str, Any]] = {}
    resources: dict[str, str] = {}
    data_sources: dict[str, str] = {}
    versions: set[str] = set()

    def convert(namespace: str, struct_name: str, attrs_body: str) -> dict[str, Any]:
        props = optional.get(f"{namespace}.{struct_name}", {})
        attributes: dict[str, dict[str, Any]] = {}
        blocks: dict[str, dict[str, Any]] = {}
        for entry in _entries(attrs_body):
            key = entry["key"].strip('"')
            value = entry["value"]
            prop = _PROPERTY.search(value)
            required = bool(prop) and props.get(prop.group(1) if prop else "", True) is False
            nested = _NESTED_FN.search(value)
            nested_struct = _struct_name(nested.group(1)) if nested else None
            if entry["block"] == "true":
                if nested_struct is None:
                    raise ValueError(f"{struct_name}.{key}: block without a struct: {value}")
                blocks[key] = {
                    "required": required,
                    "nesting": entry["type"],
                    "struct": f"{namespace}.{nested_struct}",
                }
            else:
                spec: dict[str, Any] = {"required": required}
                if nested_struct is not None:
                    spec["object"] = True
                attributes[key] = spec
        return {"attributes": attributes, "blocks": blocks}

    by_dir: dict[str, list[str]] = {}
    for path, source in sources.items():
        parts = path.split("/")
        if len(parts) > 3:  # package/lib/<resource dir>/...
            by_dir.setdefault(parts[2], []).append(source)
    for directory, dir_sources in sorted(by_dir.items()):
        namespaces = {fqn.split(".")[-2] for s in dir_sources for _, fqn in _FQN.findall(s)}
        if len(namespaces) != 1:
            raise ValueError(f"lib/{directory}: expected one jsii namespace, got {namespaces}")
        namespace = namespaces.pop()
        for source in dir_sources:
            for fn in _STRUCT_FN.finditer(source):
                struct_name = _struct_name(fn.group(1))
                attrs = _ATTRS.search(fn.group(2))
                structs[f"{namespace}.{struct_name}"] = convert(
                    namespace, struct_name, attrs.group(1) if attrs else ""
                )
            types = dict(_RESOURCE_TYPE.findall(source))
            for cls in _CLASS.finditer(source):
                name, base, body = cls.group(1), cls.group(2), cls.group(3)
                synth = body.split("synthesizeHclAttributes()", 1)
                attrs = _ATTRS.search(synth[1]) if len(synth) == 2 else None
                struct = convert(namespace, f"{name}Config", attrs.group(1) if attrs else "")
                readable = {a or b for a, b in _READ_ATTRIBUTE.findall(body)}
                struct["computed"] = sorted(
                    readable - set(struct["attributes"]) - set(struct["blocks"])
                )
                key = f"{namespace}.{name}"
                structs[key] = struct
                type_name = types.get(name)
                if type_name is None:
                    raise ValueError(f"class {name} has no tfResourceType")
                (data_sources if base == "TerraformDataSource" else resources)[type_name] = key
                versions.update(_PROVIDER_VERSION.findall(body))

    if len(versions) != 1:
        raise ValueError(f"{wheel.name}: expected one provider version, found {sorted(versions)}")
    # Drop structs no resource reaches (keeps the cache small).
    reachable: set[str] = set()
    stack = list(resources.values()) + list(data_sources.values())
    while stack:
        name = stack.pop()
        if name in reachable or name not in structs:
            continue
        reachable.add(name)
        stack.extend(b["struct"] for b in structs[name]["blocks"].values())
    return {
        "format": SCHEMA_FORMAT,
        "provider": pin.source,
        "provider_version": versions.pop(),
        "source_package": f"{pin.package}=={pin.package_version}",
        "resources": resources,
        "data_sources": data_sources,
        "structs": {k: v for k, v in structs.items() if k in reachable},
    }
