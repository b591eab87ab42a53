"""Sending one digest delivery (email or webhook) and recording how it went.

Called by the task workers only (``digests/tasks.py``). A failed attempt is recorded on the
delivery row (attempts, error, when the next try is due) and the caller schedules the retry;
after ``DIGEST_MAX_ATTEMPTS`` the delivery is given up, recorded and audited as failed.
Nothing here raises into a sync: syncs only enqueue.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils import timezone

from accounts.audit import audit_event_record
from accounts.redaction import redact_secrets
from customers_app.digests.render import (
    digest_email_message,
    digest_for_language,
    digest_webhook_payload,
    recipient_language,
)
from customers_app.models import DeliveryStatus, DigestChannel, DigestDelivery

__all__ = [
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "AttemptOutcome",
    "digest_delivery_attempt",
    "webhook_recipient",
    "webhook_signature",
]

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Dashboard-Signature"
TIMESTAMP_HEADER = "X-Dashboard-Timestamp"
# The actor named in the audit log for what the workers send.
_AUDIT_ACTOR = "digest-worker"
_WEBHOOK_TIMEOUT = (3.05, 10)


class _PermanentFailure(Exception):
    """A refusal no retry can change (a webhook answering 400, 404...)."""


@dataclass(frozen=True)
class AttemptOutcome:
    """What one attempt did; ``retry_at`` is set when another attempt is due then."""

    status: str
    retry_at: datetime | None = None


def webhook_signature(*, secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 over ``<timestamp>.<raw body>`` with the shared secret.

    The timestamp is signed with the body, so a receiver that refuses old timestamps also
    refuses a captured request replayed later.
    """
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def _send_email(delivery: DigestDelivery, language: str) -> int:
    content = digest_for_language(
        first_run_id=delivery.first_run_id, last_run_id=delivery.last_run_id, language=language
    )
    digest_email_message(content=content, to_address=delivery.recipient, language=language).send(
        fail_silently=False
    )
    return content.total


def _send_webhook(delivery: DigestDelivery, language: str) -> int:
    content = digest_for_language(
        first_run_id=delivery.first_run_id, last_run_id=delivery.last_run_id, language=language
    )
    body = json.dumps(digest_webhook_payload(content=content, language=language)).encode()
    timestamp = str(int(time.time()))
    response = requests.post(
        settings.DIGEST_WEBHOOK_URL,
        data=body,
        headers={
            "Content-Type": "application/json",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: webhook_signature(
                secret=settings.DIGEST_WEBHOOK_SECRET, timestamp=timestamp, body=body
            ),
        },
        timeout=_WEBHOOK_TIMEOUT,
        allow_redirects=False,
    )
    if response.status_code >= 300:
        reason = f"The webhook answered HTTP {response.status_code}."
        # 429 and 5xx pass; any other refusal will be the same next time.
        if response.status_code != 429 and response.status_code < 500:
            raise _PermanentFailure(reason)
        raise RuntimeError(reason)
    return content.total


def webhook_recipient() -> str:
    """How the webhook is named in records: its host, never its path (Slack's and Teams'
    paths are the secret that lets anyone post)."""
    return urlsplit(settings.DIGEST_WEBHOOK_URL).netloc or "webhook"


def _audit(delivery: DigestDelivery, *, outcome: str) -> None:
    audit_event_record(
        request=None,
        username=_AUDIT_ACTOR,
        action=f"digest.{delivery.channel}",
        target=f"user:{delivery.user.get_username()}" if delivery.user else delivery.recipient,
        outcome=outcome,
        detail={
            "to": delivery.recipient,
            "rows": delivery.row_count,
            "syncs": f"{delivery.first_run_id}-{delivery.last_run_id}",
            "kind": delivery.kind,
            "attempts": delivery.attempts,
        },
    )


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=settings.DIGEST_RETRY_BACKOFF_SECONDS * 2 ** (attempts - 1))


def digest_delivery_attempt(*, delivery_id: int) -> AttemptOutcome:
    """Try to send one delivery once; record the outcome and whether to try again."""
    delivery = DigestDelivery.objects.select_related("user").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        # Already sent or given up (a task run twice): never mail twice.
        return AttemptOutcome(delivery.status if delivery else "missing")
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    language = recipient_language(delivery.user) if delivery.user else settings.LANGUAGE_CODE
    retry = True
    try:
        if delivery.channel == DigestChannel.EMAIL:
            delivery.row_count = _send_email(delivery, language)
        else:
            delivery.row_count = _send_webhook(delivery, language)
    except _PermanentFailure as error:
        delivery.last_error, retry = str(error), False
    except Exception as error:  # noqa: BLE001 - every failure is recorded and retried
        delivery.last_error = redact_secrets(f"{type(error).__name__}: {error}")[:2000]
    else:
        delivery.status, delivery.sent_at, delivery.next_attempt_at = DeliveryStatus.SENT, now, None
        # last_error stays: with ``attempts`` it records the outage a late digest went through.
        delivery.save()
        _audit(delivery, outcome="success")
        logger.info("digest %s sent to %s", delivery.pk, delivery.recipient)
        return AttemptOutcome(DeliveryStatus.SENT)
    logger.warning(
        "digest %s to %s failed (attempt %d): %s",
        delivery.pk,
        delivery.recipient,
        delivery.attempts,
        delivery.last_error,
    )
    if retry and delivery.attempts < settings.DIGEST_MAX_ATTEMPTS:
        delivery.next_attempt_at = now + _backoff(delivery.attempts)
        delivery.save()
        return AttemptOutcome(DeliveryStatus.PENDING, retry_at=delivery.next_attempt_at)
    delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
    delivery.save()
    _audit(delivery, outcome="failure")
    return AttemptOutcome(DeliveryStatus.FAILED)
