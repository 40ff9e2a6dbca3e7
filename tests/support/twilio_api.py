"""A local server that speaks Twilio's Messages API, for the real twilio SDK to talk to.

``POST /2010-04-01/Accounts/{sid}/Messages.json`` with form fields To, From or
MessagingServiceSid, and Body, under HTTP basic auth ``sid:token``; it answers 201 with JSON
shaped like Twilio's ({sid, status: "queued", to, from, body, num_segments, ...}). Tell it to
fail the next requests (``fail_next(500)``, ``fail_next(429)``, or a Twilio error body with
``fail_next(400, code=21211, message=...)``) to test retries and refusals. ``receipt(message,
"delivered")`` builds the signed status callback Twilio would then post to the text's
StatusCallback, for the test to post.

    with TwilioAPI(sid="AC...", token="...") as api:
        settings.TWILIO_API_BASE = api.base_url
        ... send ...
        api.messages[0]["Body"]
"""

from __future__ import annotations

import base64
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from twilio.request_validator import RequestValidator


class TwilioAPI:
    def __init__(self, *, sid: str, token: str):
        self.sid, self.token = sid, token
        self.messages: list[dict] = []  # accepted, as the form fields posted
        self.requests: list[dict] = []  # every request, accepted or not
        self._failures: list[tuple[int, dict]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def fail_next(self, status: int, *, times: int = 1, code: int | None = None, message=""):
        """Answer the next ``times`` sends with ``status`` and a Twilio error body."""
        body = {
            "code": code or (20429 if status == 429 else 20500),
            "message": message or "Service unavailable",
            "more_info": "https://www.twilio.com/docs/errors",
            "status": status,
        }
        with self._lock:
            self._failures.extend([(status, body)] * times)

    def receipt(self, message: dict, status: str, *, error_code: str = "") -> tuple[str, dict, str]:
        """Twilio's status callback for an accepted ``message`` (one of ``messages``), as Twilio
        would post it to the StatusCallback the text asked for: (url, form, X-Twilio-Signature)."""
        url = message["StatusCallback"]
        form = {
            "AccountSid": self.sid,
            "ApiVersion": "2010-04-01",
            "MessageSid": message["sid"],
            "SmsSid": message["sid"],
            "MessageStatus": status,
            "SmsStatus": status,
            "To": message["To"],
            "From": message.get("From", ""),
        }
        if error_code:
            form["ErrorCode"] = error_code
        return url, form, RequestValidator(self.token).compute_signature(url, form)

    def __enter__(self) -> TwilioAPI:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                fields = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                api.requests.append({"path": self.path, **fields})
                expected = "Basic " + base64.b64encode(f"{api.sid}:{api.token}".encode()).decode()
                if self.headers.get("Authorization") != expected:
                    return self._answer(
                        401, {"code": 20003, "message": "Authenticate", "status": 401}
                    )
                if self.path != f"/2010-04-01/Accounts/{api.sid}/Messages.json":
                    return self._answer(404, {"code": 20404, "message": "Not found", "status": 404})
                with api._lock:
                    failure = api._failures.pop(0) if api._failures else None
                if failure:
                    return self._answer(*failure)
                if "To" not in fields or "Body" not in fields:
                    return self._answer(
                        400, {"code": 21604, "message": "'To' and 'Body' required", "status": 400}
                    )
                if not ("From" in fields or "MessagingServiceSid" in fields):
                    return self._answer(
                        400, {"code": 21603, "message": "'From' is required", "status": 400}
                    )
                sid = "SM" + uuid.uuid4().hex
                api.messages.append({**fields, "sid": sid})
                self._answer(
                    201,
                    {
                        "sid": sid,
                        "account_sid": api.sid,
                        "status": "queued",
                        "to": fields["To"],
                        "from": fields.get("From"),
                        "messaging_service_sid": fields.get("MessagingServiceSid"),
                        "body": fields["Body"],
                        "num_segments": "1",
                        "direction": "outbound-api",
                        "api_version": "2010-04-01",
                        "uri": f"/2010-04-01/Accounts/{api.sid}/Messages/SM.json",
                    },
                )

        return Handler
