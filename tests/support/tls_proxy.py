"""A TLS-ending proxy for tests, as a load balancer in front of Paddock: https on 127.0.0.1 (a
self-signed certificate made with openssl, so browsers need ``ignore_https_errors``), plain http
to the backend, with ``X-Forwarded-Proto: https`` set on every request (replacing any the client
sent) and the client's Host header kept.

    with TLSProxy(backend_port=8000) as proxy:
        proxy.url  # https://127.0.0.1:<port>

One request per connection: the proxy asks the backend for ``Connection: close`` and relays the
response until the backend closes it, which keeps it small and correct for browsers.
"""

from __future__ import annotations

import socket
import ssl
import subprocess
import tempfile
import threading
from pathlib import Path

HOST = "127.0.0.1"
_HOP_BY_HOP = {b"connection", b"keep-alive", b"proxy-connection", b"x-forwarded-proto", b"upgrade"}
_MAX_HEAD = 64 * 1024


def self_signed_certificate(directory: Path, host: str = HOST) -> tuple[Path, Path]:
    """A throwaway certificate and key for ``host`` (openssl's command line)."""
    cert, key = directory / "proxy.crt", directory / "proxy.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", f"/CN={host}"]
        + ["-addext", f"subjectAltName=IP:{host},DNS:localhost"],
        check=True,
        capture_output=True,
    )
    return cert, key


def _read_request(conn) -> bytes | None:
    """The request's head and body (by Content-Length), with the proxy's headers set."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
        if len(data) > _MAX_HEAD:
            return None
    head, body = data.split(b"\r\n\r\n", 1)
    request_line, *lines = head.split(b"\r\n")
    headers = []
    length = 0
    for line in lines:
        name, _, value = line.partition(b":")
        if name.strip().lower() in _HOP_BY_HOP:
            continue
        if name.strip().lower() == b"content-length":
            length = int(value.strip() or 0)
        headers.append(line)
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    headers += [b"X-Forwarded-Proto: https", b"X-Forwarded-For: 127.0.0.1", b"Connection: close"]
    return b"\r\n".join([request_line, *headers]) + b"\r\n\r\n" + body


class TLSProxy:
    def __init__(self, *, backend_port: int, host: str = HOST):
        self.host = host
        self.backend_port = backend_port
        self._dir = tempfile.TemporaryDirectory(prefix="paddock-tls-")
        cert, key = self_signed_certificate(Path(self._dir.name), host)
        self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._context.load_cert_chain(cert, key)
        self._context.set_alpn_protocols(["http/1.1"])
        self._listener = socket.create_server((host, 0))
        self.port = self._listener.getsockname()[1]
        self._stopped = threading.Event()

    @property
    def url(self) -> str:
        return f"https://{self.host}:{self.port}"

    def start(self) -> TLSProxy:
        threading.Thread(target=self._accept, name="tls-proxy", daemon=True).start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        self._listener.close()
        self._dir.cleanup()

    def __enter__(self) -> TLSProxy:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        client.settimeout(30)
        try:
            with self._context.wrap_socket(client, server_side=True) as tls:
                request = _read_request(tls)
                if request is None:
                    return
                with socket.create_connection((HOST, self.backend_port), timeout=60) as backend:
                    backend.sendall(request)
                    while chunk := backend.recv(65536):
                        tls.sendall(chunk)
        except (OSError, ssl.SSLError, ValueError):
            pass  # a browser dropping a speculative connection, or a test ending
        finally:
            client.close()
