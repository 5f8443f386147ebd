"""The fake provider process: ``python -m tools.fakeprovider.server DESCRIPTORS SCHEMA``,
started by Terraform through the mirror's launcher scripts (``build.py``); protocol and
TLS: tools/README.md."""

from __future__ import annotations

import base64
import datetime
import functools
import os
import sys
import threading
from concurrent import futures
from pathlib import Path
from typing import Any

import grpc
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID
from google.protobuf import empty_pb2, message_factory

from . import archive
from .protocol import Protocol

MAGIC_COOKIE = (
    "TF_PLUGIN_MAGIC_COOKIE",
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
)
DEBUG = bool(os.environ.get("FAKEPROVIDER_DEBUG"))
# RPCs with nothing to say: an empty response (no diagnostics).
_EMPTY = {
    *("GetMetadata", "GetResourceIdentitySchemas", "GetFunctions", "ConfigureProvider"),
    *("ValidateProviderConfig", "ValidateResourceConfig", "ValidateDataResourceConfig"),
    *("ValidateEphemeralResourceConfig", "ValidateListResourceConfig", "ValidateActionConfig"),
    "StopProvider",
}


def _serialize(message: Any) -> bytes:
    return message if isinstance(message, bytes) else bytes(message.SerializeToString())


def _handler(streaming: tuple[bool, bool], function: Any, read: Any) -> Any:
    """A grpc method handler for (client streaming, server streaming): grpc's
    unary_unary_rpc_method_handler... ``read`` parses requests; responses may be bytes."""
    kinds = "_".join("stream" if streams else "unary" for streams in streaming)
    factory = getattr(grpc, f"{kinds}_rpc_method_handler")
    return factory(function, request_deserializer=read, response_serializer=_serialize)


def _answer(name: str, answer: Any, response: Any, request: Any, context: Any) -> Any:
    if DEBUG:
        print("[fakeprovider] rpc", name, file=sys.stderr, flush=True)
    if answer is None:
        context.abort(grpc.StatusCode.UNIMPLEMENTED, f"fake provider: no {name}")
    return answer(request, response)


def _echo(**fields: str) -> Any:
    """An answer made of request fields: ``response_field="request_field"``."""
    return lambda request, response: response(
        **{name: getattr(request, field) for name, field in fields.items()}
    )


def provider_service(protocol: Protocol, schema_response: bytes) -> Any:
    answers: dict[str, Any] = {
        "GetProviderSchema": lambda request, response: schema_response,
        "UpgradeResourceState": lambda request, response: response(
            upgraded_state={"json": request.raw_state.json}
        ),
        "ReadResource": _echo(new_state="current_state", private="private"),
        "PlanResourceChange": _echo(
            planned_state="proposed_new_state", planned_private="prior_private"
        ),
        "ApplyResourceChange": _echo(new_state="planned_state", private="planned_private"),
        "ReadDataSource": archive.read_data_source,
        **dict.fromkeys(_EMPTY, lambda request, response: response()),
    }
    service = protocol.pool.FindServiceByName("tfplugin6.Provider")
    handlers: dict[str, Any] = {}
    for method in service.methods:
        streaming = (method.client_streaming, method.server_streaming)
        answer = answers.get(method.name) if streaming == (False, False) else None
        response = message_factory.GetMessageClass(method.output_type)
        handle = functools.partial(_answer, method.name, answer, response)
        read = message_factory.GetMessageClass(method.input_type).FromString
        handlers[method.name] = _handler(streaming, handle, read)
    return grpc.method_handlers_generic_handler(service.full_name, handlers)


def go_plugin_services(protocol: Protocol, server: list[Any]) -> list[Any]:
    """go-plugin's controller (Shutdown), stdio, broker and the gRPC health check."""
    empty, connection = protocol.message("plugin.Empty"), protocol.message("plugin.ConnInfo")
    serving = b"\x08\x01"  # grpc.health.v1.HealthCheckResponse{status: SERVING}

    def shutdown(request: Any, context: Any) -> Any:
        threading.Timer(0.1, lambda: server[0].stop(0)).start()
        return empty()

    def stdio(request: Any, context: Any) -> Any:
        # Nothing to forward: keep the stream open until Terraform goes away.
        done = threading.Event()
        context.add_callback(done.set)
        done.wait()
        return iter(())

    def broker(requests: Any, context: Any) -> Any:
        for _ in requests:
            pass
        return iter(())

    services = {
        ("plugin.GRPCController", "Shutdown"): (shutdown, empty.FromString, (False, False)),
        ("plugin.GRPCStdio", "StreamStdio"): (stdio, empty_pb2.Empty.FromString, (False, True)),
        ("plugin.GRPCBroker", "StartStream"): (broker, connection.FromString, (True, True)),
        ("grpc.health.v1.Health", "Check"): (lambda *_: serving, bytes, (False, False)),
    }
    return [
        grpc.method_handlers_generic_handler(service, {method: _handler(kind, handler, read)})
        for (service, method), (handler, read, kind) in services.items()
    ]


def server_certificate() -> tuple[bytes, bytes, bytes]:
    """A self-signed certificate as go-plugin makes them: (key PEM, cert PEM, cert DER)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name.from_rfc4514_string("CN=localhost,O=HashiCorp")  # O first, then CN
    now = datetime.datetime.now(datetime.UTC)
    granted = ("digital_signature", "key_encipherment", "key_agreement", "key_cert_sign")
    usage = dict.fromkeys(("content_commitment", "data_encipherment", "crl_sign"), False)
    usage.update(dict.fromkeys(granted, True), encipher_only=False, decipher_only=False)
    auth = [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
    builder = x509.CertificateBuilder(
        issuer_name=name,
        subject_name=name,
        public_key=key.public_key(),
        serial_number=x509.random_serial_number(),
        not_valid_before=now - datetime.timedelta(seconds=30),
        not_valid_after=now + datetime.timedelta(days=1),
    )
    for extension, critical in (
        (x509.SubjectAlternativeName([x509.DNSName("localhost")]), False),
        (x509.BasicConstraints(ca=True, path_length=None), True),
        (x509.KeyUsage(**usage), True),
        (x509.ExtendedKeyUsage(auth), False),
    ):
        builder = builder.add_extension(extension, critical=critical)
    certificate = builder.sign(key, hashes.SHA256())
    pem, der = serialization.Encoding.PEM, serialization.Encoding.DER
    key_pem = key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key_pem, certificate.public_bytes(pem), certificate.public_bytes(der)


def serve(descriptors: Path, schema_response: Path) -> int:
    if os.environ.get(MAGIC_COOKIE[0]) != MAGIC_COOKIE[1]:
        print("This binary is a plugin. These are not meant to be executed directly.")
        return 1
    if "6" not in os.environ.get("PLUGIN_PROTOCOL_VERSIONS", "6").split(","):
        print("[fakeprovider] Terraform does not offer plugin protocol 6", file=sys.stderr)
        return 1
    protocol = Protocol(descriptors)
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
    services = [provider_service(protocol, schema_response.read_bytes())]
    server.add_generic_rpc_handlers(services + go_plugin_services(protocol, [server]))
    client_certificate = os.environ.get("PLUGIN_CLIENT_CERT")
    certificate_field = ""
    if client_certificate and not os.environ.get("FAKEPROVIDER_PLAINTEXT"):
        key_pem, cert_pem, cert_der = server_certificate()
        pairs, roots = [(key_pem, cert_pem)], client_certificate.encode()
        credentials = grpc.ssl_server_credentials(pairs, roots, require_client_auth=False)
        port = server.add_secure_port("127.0.0.1:0", credentials)
        certificate_field = base64.b64encode(cert_der).decode().rstrip("=")
    else:
        port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    # go-plugin's handshake: core version | app protocol | network | address | protocol | cert
    print(f"1|6|tcp|127.0.0.1:{port}|grpc|{certificate_field}", flush=True)
    server.wait_for_termination()
    return 0


if __name__ == "__main__":
    raise SystemExit(serve(Path(sys.argv[1]), Path(sys.argv[2])))
