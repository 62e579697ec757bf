"""Send one attempt of a webhook delivery from the worker, and schedule the next on failure.

The address is checked again before every attempt and the connection goes to the address
that was checked. Redirects are never followed: a 3xx answer is a failed attempt saying where
it pointed. A failure is tried again after each of WEBHOOKS_RETRY_DELAYS in turn.
"""

import http.client
import socket
import ssl
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from newsroom import tasks
from newsroom.models import WebhookDelivery
from newsroom.webhooks import addresses, signing

USER_AGENT = "Newsroom-Webhooks/1"


class PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to `address`, whatever its host name resolves to by now."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class PinnedHTTPSConnection(PinnedHTTPConnection):
    """The same over TLS; the certificate is checked against the host name."""

    default_port = http.client.HTTPS_PORT

    def connect(self):
        super().connect()
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(self.sock, server_hostname=self.host)


def post(target, headers, body, timeout):
    """POST `body` to the checked target: (status code, reason, Location, start of answer)."""
    kind = PinnedHTTPSConnection if target.scheme == "https" else PinnedHTTPConnection
    connection = kind(target.host, target.port, target.address, timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.reason, response.getheader("Location"), response.read(300)
    finally:
        connection.close()


def send(delivery):
    """Make one attempt: (status code or None, error or "", whether to try again)."""
    try:
        target = addresses.check(delivery.webhook.url)
    except addresses.Refused as refused:
        return None, str(refused), False
    except addresses.Unreachable as error:
        return None, str(error), True
    body = delivery.payload.encode()
    timestamp = int(timezone.now().timestamp())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Newsroom-Event": delivery.event,
        "X-Newsroom-Delivery": str(delivery.delivery_id),
        "X-Newsroom-Signature": signing.signature(delivery.webhook.secret, timestamp, body),
    }
    try:
        status, reason, location, start = post(target, headers, body, settings.WEBHOOKS_TIMEOUT)
    except (OSError, http.client.HTTPException) as error:
        return None, f"No answer from {target.host}: {error or type(error).__name__}.", True
    if 200 <= status < 300:
        return status, "", False
    if 300 <= status < 400:
        return (
            status,
            f"Answered {status} {reason}, a redirect to {location or 'nowhere'}; webhooks do "
            "not follow redirects: give the webhook its final address.",
            True,
        )
    text = start.decode(errors="replace").strip()
    return status, f"Answered {status} {reason}" + (f": {text}" if text else "."), True


def attempt(delivery_id):
    """Make the attempt the worker was queued for; say what became of it."""
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.delivered_at or delivery.next_attempt_at is None:
        return "nothing to send"
    if not delivery.webhook.active:
        status, error, again = None, "Not sent: the webhook is switched off.", False
    else:
        status, error, again = send(delivery)
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_status_code = status
    delivery.last_error = error
    delivery.next_attempt_at = None
    delays = settings.WEBHOOKS_RETRY_DELAYS
    if not error:
        delivery.delivered_at = now
    elif again and delivery.attempts <= len(delays):
        delivery.next_attempt_at = now + timedelta(seconds=delays[delivery.attempts - 1])
    with transaction.atomic():
        delivery.save()
        if delivery.next_attempt_at:
            later = tasks.deliver_webhook.using(run_after=delivery.next_attempt_at)
            later.enqueue(delivery.pk)
    return delivery.state


def redeliver(delivery):
    """Send a delivery's event again, as a new delivery; return it."""
    with transaction.atomic():
        again = WebhookDelivery.objects.create(
            webhook=delivery.webhook,
            event=delivery.event,
            payload=delivery.payload,
            next_attempt_at=timezone.now(),
        )
        tasks.deliver_webhook.enqueue(again.pk)
    return again
