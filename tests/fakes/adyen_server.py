"""A fake Adyen Checkout API on 127.0.0.1: records every request and answers with scripted or default responses.

Point `AdyenGateway(checkout_base_url=fake.base_url)` at it. Paths are those of the Checkout API without the
version prefix (`/sessions`, `/payments`, `/payments/{pspReference}/refunds`).
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

CHECKOUT_PAGE = "https://checkoutshopper-test.adyen.com/checkoutshopper/pay/"
UNAUTHORIZED = {"status": 401, "errorCode": "000", "message": "HTTP Status Response - Unauthorized",
                "errorType": "security"}
NOT_FOUND = {"status": 404, "errorCode": "000", "message": "HTTP Status Response - Not Found",
             "errorType": "validation"}


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # names lower-cased: urllib sends "X-api-key", requests "x-api-key"
    json: Any

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass(frozen=True)
class ScriptedResponse:
    status: int
    json_body: Any = None
    delay: float = 0.0
    raw: bytes | None = None  # a non-JSON body (an HTML error page from a proxy, say)


@dataclass
class _Routes:
    scripted: dict[tuple[str, str], deque[ScriptedResponse]] = field(default_factory=dict)

    def take(self, method: str, path: str) -> ScriptedResponse | None:
        # The longest matching prefix wins, so "/payments/X/refunds" can be scripted apart from "/payments".
        candidates = [(prefix, queue) for (verb, prefix), queue in self.scripted.items()
                      if verb == method and path.startswith(prefix) and queue]
        if not candidates:
            return None
        return max(candidates, key=lambda candidate: len(candidate[0]))[1].popleft()


class FakeAdyen:
    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self._routes = _Routes()
        self._lock = threading.Lock()
        self._counter = itertools.count(1)
        self._wake = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-adyen", daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def respond(self, method: str, path_prefix: str, status: int, json_body: Any = None, delay: float = 0.0,
                *, raw: bytes | None = None) -> None:
        """Script the next answer to `method path_prefix...` (first in, first out per route)."""
        with self._lock:
            key = (method.upper(), path_prefix)
            self._routes.scripted.setdefault(key, deque()).append(ScriptedResponse(status, json_body, delay, raw))

    def requests_to(self, method: str, path_prefix: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == method.upper() and r.path.startswith(path_prefix)]

    def reset(self) -> None:
        # Wake any handler still sleeping on a delay so that it does not answer into the next test.
        with self._lock:
            stale, self._wake = self._wake, threading.Event()
            stale.set()
            self.requests.clear()
            self._routes = _Routes()

    def stop(self) -> None:
        self._wake.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _answer(self, request: RecordedRequest) -> tuple[ScriptedResponse, threading.Event]:
        with self._lock:
            self.requests.append(request)
            scripted = self._routes.take(request.method, request.path)
            wake = self._wake
        if not request.header("x-api-key"):
            return ScriptedResponse(401, UNAUTHORIZED), wake
        return scripted or self._default(request), wake

    def _default(self, request: RecordedRequest) -> ScriptedResponse:
        body = request.json if isinstance(request.json, dict) else {}
        number = next(self._counter)
        if request.method == "POST" and request.path == "/sessions":
            session_id = f"CS-{number}"
            return ScriptedResponse(201, {
                "id": session_id, "url": CHECKOUT_PAGE + session_id, "sessionData": f"Ab02b4c0!{number}",
                "mode": body.get("mode"), "amount": body.get("amount"), "reference": body.get("reference"),
                "merchantAccount": body.get("merchantAccount"), "expiresAt": "2030-01-01T01:00:00+01:00"})
        if request.method == "GET" and (match := re.fullmatch(r"/sessions/([^/]+)", request.path)):
            return ScriptedResponse(200, {
                "id": match[1], "status": "completed",
                "payments": [{"pspReference": f"PSP-{number}", "resultCode": "Authorised"}]})
        if request.method == "POST" and request.path == "/payments":
            return ScriptedResponse(200, {
                "pspReference": f"PSP-{number}", "resultCode": "Authorised", "amount": body.get("amount"),
                "merchantReference": body.get("reference")})
        if request.method == "POST" and (match := re.fullmatch(r"/payments/([^/]+)/refunds", request.path)):
            return ScriptedResponse(201, {
                "pspReference": f"REF-{number}", "paymentPspReference": match[1], "status": "received",
                "merchantAccount": body.get("merchantAccount"), "reference": body.get("reference"),
                "amount": body.get("amount")})
        return ScriptedResponse(404, NOT_FOUND)


def _handler_for(fake: FakeAdyen) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._handle()

        def do_POST(self) -> None:
            self._handle()

        def do_PATCH(self) -> None:
            self._handle()

        def do_DELETE(self) -> None:
            self._handle()

        def _handle(self) -> None:
            response, wake = fake._answer(self._recorded())
            if response.delay:
                wake.wait(response.delay)
            body = response.raw if response.raw is not None else json.dumps(response.json_body or {}).encode()
            try:
                self.send_response(response.status)
                self.send_header("Content-Type", "text/html" if response.raw is not None else "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test): nobody is left to read the answer

        def _recorded(self) -> RecordedRequest:
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            payload = self.rfile.read(length) if length else b""
            return RecordedRequest(
                method=self.command,
                path=url.path,
                query={key: values[-1] for key, values in parse_qs(url.query).items()},
                headers={name.lower(): value for name, value in self.headers.items()},
                json=json.loads(payload) if payload else None,
            )

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's signature
            pass

    return Handler
