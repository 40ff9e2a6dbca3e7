"""Production's backend: texts through Twilio's Messages API with the official SDK.

Credentials come from the environment (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, and
TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID; see site/settings/). TWILIO_API_BASE, unset in
production, sends the SDK's requests to another server instead of https://api.twilio.com: the
tests point it at a local server that speaks the Messages API (tests/support/twilio_api.py).
Each text asks Twilio for its delivery receipts at the default showroom's /texts/status/
(community.texts.webhooks) unless TWILIO_STATUS_CALLBACK is off.
"""

import requests
from django.conf import settings
from django.urls import reverse
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from community.showrooms import absolute_url
from community.texts.backends import BaseTextBackend, TextSendError

TWILIO_API = "https://api.twilio.com"


class BaseUrlHttpClient(TwilioHttpClient):
    """The SDK's own HTTP client, with https://api.twilio.com replaced by ``base``."""

    def __init__(self, *, base: str, **kwargs):
        super().__init__(**kwargs)
        self.base = base.rstrip("/")

    def request(self, method, url, *args, **kwargs):
        if url.startswith(TWILIO_API):
            url = self.base + url[len(TWILIO_API) :]
        return super().request(method, url, *args, **kwargs)


def twilio_client() -> Client:
    if not (settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN):
        raise TextSendError(
            "Twilio is not configured: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN.",
            retry=False,
            code="not_configured",
        )
    options = {"timeout": settings.TWILIO_TIMEOUT}
    http_client = (
        BaseUrlHttpClient(base=settings.TWILIO_API_BASE, **options)
        if settings.TWILIO_API_BASE
        else TwilioHttpClient(**options)
    )
    return Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=http_client)


def _retry(error: TwilioRestException) -> bool:
    """Twilio down (5xx) or throttling (429): try later. A refused number or body: never."""
    return error.status == 429 or error.status >= 500


class TwilioBackend(BaseTextBackend):
    """One instance sends a batch of texts: its client (and HTTP session) is made once, so the
    batch shares the provider's kept-alive connection."""

    _client: Client | None = None

    def client(self) -> Client:
        if self._client is None:
            self._client = twilio_client()
        return self._client

    def send(self, *, to: str, body: str, reference: str) -> str:
        sender = (
            {"messaging_service_sid": settings.TWILIO_MESSAGING_SERVICE_SID}
            if settings.TWILIO_MESSAGING_SERVICE_SID
            else {"from_": settings.TWILIO_FROM_NUMBER}
        )
        if settings.TWILIO_STATUS_CALLBACK:  # delivery receipts: community.texts.webhooks
            sender["status_callback"] = absolute_url(reverse("community:text_status"))
        try:
            message = self.client().messages.create(to=to, body=body, **sender)
        except TwilioRestException as error:
            raise TextSendError(
                f"Twilio {error.status} ({error.code}): {error.msg}",
                retry=_retry(error),
                code=str(error.code or error.status),
            ) from error
        except (requests.RequestException, TwilioException) as error:
            raise TextSendError(f"Twilio unreachable: {error}", retry=True) from error
        return message.sid
