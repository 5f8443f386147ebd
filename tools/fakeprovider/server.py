"""The fake provider process: ``python -m tools.fakeprovider.server DESCRIPTORS SCHEMA``.

Terraform starts it through a launcher script in the filesystem mirror (see
``build.py``) with go-plugin's environment. It serves, over gRPC (plugin protocol 6):

* ``GetProviderSchema``: the pre-serialized response built from the pinned schema;
* validation and configuration RPCs: no diagnostics;
* ``PlanResourceChange``: the proposed new state as the plan (no provider logic, so
  computed attributes Terraform leaves unknown stay unknown), ``ApplyResourceChange``:
  the planned state, ``ReadResource``/``UpgradeResourceState``: the state unchanged,
  ``ReadDataSource``: the configuration, except ``archive_file``, which really writes
  its zip (``archive.py``);
* everything else: UNIMPLEMENTED.

go-plugin's AutoMTLS: Terraform passes its client certificate in
``PLUGIN_CLIENT_CERT`` and expects ours in the handshake line. Its certificate is
ECDSA P-521, which grpcio's BoringSSL does not offer among the signature algorithms
it asks clients for, so the client certificate is requested but not required (the
client still verifies ours). ``FAKEPROVIDER_PLAINTEXT=1`` serves without TLS.
"""

from __future__ import annotations

import base64
import datetime
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
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from google.protobuf import empty_pb2

from . import archive
from .protocol import Protocol

MAGIC_COOKIE = (
    "TF_PLUGIN_MAGIC_COOKIE",
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
)
DEBUG = bool(os.environ.get("FAKEPROVIDER_DEBUG"))


def log(*parts: object) -> None:
    if DEBUG:
        print("[fakeprovider]", *parts, file=sys.stderr, flush=True)


def _serialize(message: Any) -> bytes:
    return message if isinstance(message, bytes) else bytes(message.SerializeToString())


def provider_service(protocol: Protocol, schema_response: bytes) -> Any:
    service = protocol.service("tfplugin6.Provider")
    answers: dict[str, Any] = {
        "GetProviderSchema": lambda request, response: schema_response,
        "UpgradeResourceState": lambda request, response: response(
            upgraded_state={"json": request.raw_state.json}
        ),
        "ReadResource": lambda request, response: response(
            new_state=request.current_state, private=request.private
        ),
        "PlanResourceChange": lambda request, response: response(
            planned_state=request.proposed_new_state, planned_private=request.prior_private
        ),
        "ApplyResourceChange": lambda request, response: response(
            new_state=request.planned_state, private=request.planned_private
        ),
        "ReadDataSource": archive.read_data_source,
        # Nothing to say: an empty response (no diagnostics).
        "GetMetadata": None,
        "GetResourceIdentitySchemas": None,
        "GetFunctions": None,
        "ValidateProviderConfig": None,
        "ValidateResourceConfig": None,
        "ValidateDataResourceConfig": None,
        "ValidateEphemeralResourceConfig": None,
        "ValidateListResourceConfig": None,
        "ValidateActionConfig": None,
        "ConfigureProvider": None,
        "StopProvider": None,
    }
    handlers: dict[str, Any] = {}
    for method in service.methods:
        request_class = protocol.message_class(method.input_type)
        response_class = protocol.message_class(method.output_type)
        name = method.name
        if method.client_streaming or method.server_streaming or name not in answers:

            def unimplemented(request: Any, context: Any, name: str = name) -> Any:
                context.abort(grpc.StatusCode.UNIMPLEMENTED, f"fake provider: no {name}")

            if method.client_streaming and method.server_streaming:
                factory: Any = grpc.stream_stream_rpc_method_handler
            elif method.client_streaming:
                factory = grpc.stream_unary_rpc_method_handler
            elif method.server_streaming:
                factory = grpc.unary_stream_rpc_method_handler
            else:
                factory = grpc.unary_unary_rpc_method_handler
            handlers[name] = factory(
                unimplemented,
                request_deserializer=request_class.FromString,
                response_serializer=_serialize,
            )
            continue
        answer = answers[name]

        def handle(
            request: Any,
            context: Any,
            answer: Any = answer,
            response_class: Any = response_class,
            name: str = name,
        ) -> Any:
            log("rpc", name)
            return response_class() if answer is None else answer(request, response_class)

        handlers[name] = grpc.unary_unary_rpc_method_handler(
            handle, request_deserializer=request_class.FromString, response_serializer=_serialize
        )
    return grpc.method_handlers_generic_handler(service.full_name, handlers)


def go_plugin_services(protocol: Protocol, server: list[Any]) -> list[Any]:
    """go-plugin's controller (Shutdown), stdio, broker and the gRPC health check."""
    empty = protocol.message("plugin.Empty")
    stdio_data = protocol.message("plugin.StdioData")
    conn_info = protocol.message("plugin.ConnInfo")

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

    def health(request: bytes, context: Any) -> bytes:
        return b"\x08\x01"  # grpc.health.v1.HealthCheckResponse{status: SERVING}

    def raw(data: bytes) -> bytes:
        return data

    return [
        grpc.method_handlers_generic_handler(
            "plugin.GRPCController",
            {
                "Shutdown": grpc.unary_unary_rpc_method_handler(
                    shutdown, request_deserializer=empty.FromString, response_serializer=_serialize
                )
            },
        ),
        grpc.method_handlers_generic_handler(
            "plugin.GRPCStdio",
            {
                "StreamStdio": grpc.unary_stream_rpc_method_handler(
                    stdio,
                    request_deserializer=empty_pb2.Empty.FromString,
                    response_serializer=stdio_data.SerializeToString,
                )
            },
        ),
        grpc.method_handlers_generic_handler(
            "plugin.GRPCBroker",
            {
                "StartStream": grpc.stream_stream_rpc_method_handler(
                    broker,
                    request_deserializer=conn_info.FromString,
                    response_serializer=_serialize,
                )
            },
        ),
        grpc.method_handlers_generic_handler(
            "grpc.health.v1.Health",
            {
                "Check": grpc.unary_unary_rpc_method_handler(
                    health, request_deserializer=raw, response_serializer=raw
                )
            },
        ),
    ]


def server_certificate() -> tuple[bytes, bytes, bytes]:
    """A self-signed certificate as go-plugin makes them: (key PEM, cert PEM, cert DER)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "HashiCorp"),
            x509.NameAttribute(NameOID.COMMON_NAME, "localhost"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(seconds=30))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_encipherment=True,
                key_agreement=True,
                key_cert_sign=True,
                content_commitment=False,
                data_encipherment=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return (
        key_pem,
        certificate.public_bytes(serialization.Encoding.PEM),
        certificate.public_bytes(serialization.Encoding.DER),
    )


def serve(descriptors: Path, schema_response: Path) -> int:
    if os.environ.get(MAGIC_COOKIE[0]) != MAGIC_COOKIE[1]:
        print("This binary is a plugin. These are not meant to be executed directly.")
        return 1
    if "6" not in os.environ.get("PLUGIN_PROTOCOL_VERSIONS", "6").split(","):
        print("[fakeprovider] Terraform does not offer plugin protocol 6", file=sys.stderr)
        return 1
    protocol = Protocol(descriptors)
    holder: list[Any] = []
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
    holder.append(server)
    server.add_generic_rpc_handlers(
        [
            provider_service(protocol, schema_response.read_bytes()),
            *go_plugin_services(protocol, holder),
        ]
    )
    client_certificate = os.environ.get("PLUGIN_CLIENT_CERT")
    if client_certificate and not os.environ.get("FAKEPROVIDER_PLAINTEXT"):
        key_pem, cert_pem, cert_der = server_certificate()
        credentials = grpc.ssl_server_credentials(
            [(key_pem, cert_pem)],
            root_certificates=client_certificate.encode(),
            require_client_auth=False,
        )
        port = server.add_secure_port("127.0.0.1:0", credentials)
        certificate_field = base64.b64encode(cert_der).decode().rstrip("=")
    else:
        port = server.add_insecure_port("127.0.0.1:0")
        certificate_field = ""
    server.start()
    # go-plugin's handshake: core version | app protocol | network | address | protocol | cert
    sys.stdout.write(f"1|6|tcp|127.0.0.1:{port}|grpc|{certificate_field}\n")
    sys.stdout.flush()
    server.wait_for_termination()
    return 0


if __name__ == "__main__":
    raise SystemExit(serve(Path(sys.argv[1]), Path(sys.argv[2])))
