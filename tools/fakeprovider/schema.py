"""Provider schemas from cdktf's prebuilt provider wheels: ``package/.jsii`` says which
struct properties are optional; in ``package/lib/**/*.js`` each ``...ToHclTerraform``
function maps Terraform arguments to properties and the getters read the computed
attributes. :func:`extract` gives ``terraform providers schema -json``'s shape plus the
provider version (limitations: tools/README.md)."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
Json = dict[str, Any]


def cache_dir() -> Path:
    return Path(os.environ.get("TFCHECK_CACHE", REPO_ROOT / ".cache"))


@dataclass(frozen=True)
class ProviderPin:
    """A provider whose schema comes from a pinned cdktf prebuilt package."""

    local_name: str
    source: str
    package: str
    package_version: str


def _cdktf_pin(name: str, package_version: str) -> ProviderPin:
    return ProviderPin(name, f"hashicorp/{name}", f"cdktf-cdktf-provider-{name}", package_version)


# The newest pins: cdktf-cdktf-provider-aws 21.22.1 was generated from hashicorp/aws
# 6.25.0 and cdktf-cdktf-provider-archive 11.0.1 from hashicorp/archive 2.7.1 (the
# versions are read from the packages: extract()'s "provider_version").
PROVIDERS = {"aws": _cdktf_pin("aws", "21.22.1"), "archive": _cdktf_pin("archive", "11.0.1")}

# The floor pins: the packages generated from the lower bounds in versions.tf, which
# tools/tfcheck/bounds.py holds them to. cdktf-cdktf-provider-aws 19.12.0 was
# built from hashicorp/aws 5.43.0 (the release that added aws_dynamodb_resource_policy,
# which protects the ledger of copies), and cdktf-cdktf-provider-archive 10.1.0 from hashicorp/archive
# 2.5.0 (10.0.1 is 2.4.2, 10.2.0 is 2.6.0).
FLOOR_PROVIDERS = {"aws": _cdktf_pin("aws", "19.12.0"), "archive": _cdktf_pin("archive", "10.1.0")}


def ensure_wheel(pin: ProviderPin) -> Path:
    wheels = cache_dir() / "wheels"
    wheel = wheels / f"{pin.package.replace('-', '_')}-{pin.package_version}-py3-none-any.whl"
    if not wheel.exists():
        pip = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--dest"]
        options = [str(wheels), "--only-binary=:all:", "--disable-pip-version-check"]
        subprocess.run([*pip, *options, f"{pin.package}=={pin.package_version}"], check=True)
    if not wheel.exists():
        raise FileNotFoundError(f"pip download did not produce {wheel}")
    return wheel


_STRUCT_FN = re.compile(r"^function (\w+)ToHclTerraform\(struct\) \{\n(.*?)\n\}\n", re.M | re.S)
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
_PROVIDER_VERSION = re.compile(r"providerVersion: '([^']+)'")


def _jsii_archive(wheel: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """Return the .jsii assembly and every lib/**/*.js file of the wheel's jsii tgz."""
    with zipfile.ZipFile(wheel) as zf:
        (member,) = [n for n in zf.namelist() if n.endswith(".jsii.tgz")]
        blob = zf.read(member)
    files: dict[str, str] = {}
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as tf:
        for info in tf:
            name = info.name
            if name == "package/.jsii" or (name.startswith("package/lib/") and name[-3:] == ".js"):
                handle = tf.extractfile(info)
                files[name] = handle.read().decode("utf-8") if handle else ""
    if "package/.jsii" not in files:
        raise ValueError(f"{wheel.name}: no package/.jsii in the jsii archive")
    return json.loads(files.pop("package/.jsii")), files


_CLASS = re.compile(r"^class (\w+) extends ([\w.]+) \{\n(.*?)\n\}\n", re.M | re.S)
# Readable attributes of a class (a resource, or a ComplexObject of a block): the getter
# names their cdktf type (getStringAttribute, getNumberListAttribute, getStringMapAttribute).
_GETTER = re.compile(
    r"(?P<tolist>cdktf\.Fn\.tolist\()?"
    r"this\.(?:get(?P<type>\w*)Attribute|interpolationForAttribute)\('(?P<name>[^']+)'\)"
)
_NEW = re.compile(r'new ([\w.]+)\(this, "([^"]+)"(?:, (true|false))?\)')
_SUPER_LIST1 = re.compile(r"super\(terraformResource, terraformAttribute, false, 0\);")
_LIST_ELEM = re.compile(r"return new (\w+)\(this\.terraformResource")

_PRIMITIVE = {"string": "string", "number": "number", "boolean": "bool", "any": "dynamic"}
_BASES = {
    "cdktf.TerraformResource": "resource_schemas",
    "cdktf.TerraformDataSource": "data_source_schemas",
    "cdktf.TerraformProvider": "provider",
}


def _primitive_type(kind: str, storage: str) -> Any:
    """A Terraform type (JSON form) from cdktf's type and storage class (``stringList``),
    or None; ``kind`` (list, set or map) is the outermost collection's."""
    match = re.fullmatch(r"(string|number|boolean|any)((?:List|Map)*)", storage)
    if not match:
        return None
    result: Any = _PRIMITIVE[match.group(1)]
    suffixes = re.findall(r"List|Map", match.group(2))
    for index, suffix in enumerate(suffixes):
        if index == len(suffixes) - 1 and kind in ("list", "set", "map"):
            result = [kind, result]
        else:
            result = ["list" if suffix == "List" else "map", result]
    return result


def _cdktf_type(name: str) -> Any:
    """The type of a cdktf getter's or class's name (``NumberList``, ``StringMap``; a bare
    ``List`` or ``Map`` holds strings), or None."""
    name = f"String{name}" if name in ("List", "Map") else name
    return _primitive_type("", name[:1].lower() + name[1:])


def _upper_first(name: str) -> str:
    return name[0].upper() + name[1:]


def _attrs_of(code: str) -> str:
    """The body of the first ``const attrs = {...}`` in ``code``, or ""."""
    attrs = _ATTRS.search(code)
    return attrs.group(1) if attrs else ""


class _Directory:
    """The generated sources of one resource, data source or provider."""

    def __init__(self, namespace: str, source: str, optional: dict[str, dict[str, bool]]) -> None:
        self.namespace = namespace
        self.optional = optional
        # struct name -> body of its attrs table; class name -> (base, body)
        self.functions = {_upper_first(f[1]): _attrs_of(f[2]) for f in _STRUCT_FN.finditer(source)}
        self.classes = {c[1]: (c[2], c[3]) for c in _CLASS.finditer(source)}

    def readable(self, class_body: str, seen: frozenset[str]) -> dict[str, Any]:
        """The type of every attribute a class body can read."""
        found: dict[str, Any] = {}
        for match in _GETTER.finditer(class_body):
            kind: Any = _cdktf_type(match["type"] or "") or "dynamic"
            if match["tolist"] and isinstance(kind, list) and kind[0] == "list":
                kind = ["set", kind[1]]
            found[match["name"]] = kind
        for match in _NEW.finditer(class_body):
            cls, name, wraps_set = match.groups()
            if cls.startswith("cdktf."):  # cdktf.StringMap...
                kind = _cdktf_type(cls.removeprefix("cdktf."))
            else:
                kind = self.class_type(cls, wraps_set == "true", seen)
            if kind is not None:
                found[name] = kind
        return found

    def class_type(self, cls: str, wraps_set: bool, seen: frozenset[str]) -> Any:
        if cls in seen:
            return "dynamic"
        if cls not in self.classes:
            return None
        base, body = self.classes[cls]
        seen = seen | {cls}
        if base in ("cdktf.ComplexList", "cdktf.ComplexMap"):
            match = _LIST_ELEM.search(body)
            element = self.class_type(match.group(1), False, seen) if match else "dynamic"
            kind = "map" if base == "cdktf.ComplexMap" else ("set" if wraps_set else "list")
            return [kind, element]
        if base == "cdktf.ComplexObject":
            obj = ["object", self.readable(body, seen)]
            return ["list", obj] if _SUPER_LIST1.search(body) else obj
        return None

    def block(self, struct: str, class_body: str | None, seen: frozenset[str]) -> Json:
        attrs_body = self.functions.get(struct, "")
        props = self.optional.get(f"{self.namespace}.{struct}", {})
        attributes: Json = {}
        block_types: Json = {}
        if class_body is None:
            class_body = self.classes.get(f"{struct}OutputReference", ("", ""))[1]
        max_one = {
            m.group(2)
            for m in _NEW.finditer(class_body)
            if m.group(1) in self.classes and _SUPER_LIST1.search(self.classes[m.group(1)][1])
        }
        for entry in _ENTRY.finditer(attrs_body):
            key = entry["key"].strip('"')
            prop = _PROPERTY.search(entry["value"])
            required = bool(prop) and props.get(prop.group(1) if prop else "", True) is False
            nested = _NESTED_FN.search(entry["value"])
            kind = entry["type"]
            if nested:
                sub = _upper_first(nested.group(1))
                if sub in seen:
                    continue
                mode = "single" if kind == "struct" else kind
                sub_block = self.block(sub, None, seen | {sub})
                block_type: Json = {"nesting_mode": mode, "block": sub_block}
                if required and mode in ("list", "set", "single"):
                    block_type["min_items"] = 1
                if (required and mode == "single") or (mode == "list" and key in max_one):
                    block_type["max_items"] = 1
                block_types[key] = block_type
                continue
            # jsii cannot tell optional from optional+computed: serve both as optional+computed.
            flags = {"required": True} if required else {"optional": True, "computed": True}
            attributes[key] = {
                "type": _primitive_type(kind, entry["storage"]) or "dynamic",
                **flags,
            }
        for name, kind in self.readable(class_body, seen).items():
            if name not in attributes and name not in block_types:
                attributes[name] = {"type": kind, "computed": True}
        return {"attributes": attributes, "block_types": block_types}


def _has_dynamic(kind: Any) -> bool:
    if isinstance(kind, list):
        return any(map(_has_dynamic, kind[1].values() if kind[0] == "object" else kind[1:]))
    return bool(kind == "dynamic")


def _sets_to_lists(block: Json) -> bool:
    """Terraform rejects set blocks that contain dynamic types: serve them as lists.
    True if ``block`` contains a dynamic type."""
    found = any(_has_dynamic(a.get("type")) for a in block["attributes"].values())
    for block_type in block["block_types"].values():
        if _sets_to_lists(block_type["block"]):
            found = True
            if block_type["nesting_mode"] == "set":
                block_type["nesting_mode"] = "list"
    return found


def extract(wheel: Path) -> Json:
    """The provider, resource and data source schemas of a cdktf provider wheel."""
    assembly, sources = _jsii_archive(wheel)
    optional = {  # struct (namespace.Name) -> property -> optional?
        fqn.split(".", 1)[1]: {p["name"]: bool(p.get("optional")) for p in t.get("properties", [])}
        for fqn, t in assembly["types"].items()
        if t.get("kind") == "interface" and t.get("datatype")
    }
    by_directory: dict[str, list[str]] = {}
    for path, source in sources.items():
        parts = path.split("/")
        if len(parts) > 3:  # package/lib/<directory>/...
            by_directory.setdefault(parts[2], []).append(source)
    result: Json = {"provider": None, "resource_schemas": {}, "data_source_schemas": {}}
    versions: set[str] = set()
    for _, directory_sources in sorted(by_directory.items()):
        source = "\n".join(directory_sources)
        namespaces = {fqn.split(".")[-2] for _, fqn in _FQN.findall(source)}
        if len(namespaces) != 1:
            continue
        directory = _Directory(namespaces.pop(), source, optional)
        types = dict(_RESOURCE_TYPE.findall(source))
        for name, (base, body) in directory.classes.items():
            kind = _BASES.get(base)
            if kind is None:
                continue
            synthesize = body.partition("synthesizeHclAttributes()")[2]
            directory.functions[f"{name}Config"] = _attrs_of(synthesize)
            block = directory.block(f"{name}Config", body, frozenset())
            versions.update(_PROVIDER_VERSION.findall(body))
            if kind == "provider":
                block["attributes"].pop("alias", None)
                for attr in block["attributes"].values():  # provider config computes nothing
                    attr.pop("computed", None)
                result["provider"] = {"version": 0, "block": block}
                continue
            _sets_to_lists(block)
            result[kind][types[name]] = {"version": 0, "block": block}
    if len(versions) != 1:
        raise ValueError(f"{wheel.name}: expected one provider version, found {sorted(versions)}")
    result["provider_version"] = versions.pop()
    return result
